"""How often an activity re-sends its heartbeat while it waits on something long."""

from __future__ import annotations

from temporalio import activity


def keepalive_seconds(configured: float) -> float:
    """`configured`, but at most a third of the caller's heartbeat timeout.

    The caller chooses the timeout per call (and operators may shorten it); a keep-alive
    slower than that would make a live worker look lost and get its attempt cancelled.
    """
    timeout = activity.info().heartbeat_timeout
    if timeout is None or timeout.total_seconds() <= 0:
        return configured
    return min(configured, timeout.total_seconds() / 3)
