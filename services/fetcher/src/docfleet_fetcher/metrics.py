"""The fetcher's Prometheus metrics, served by the worker when `DOCFLEET_METRICS_PORT` is set."""

from __future__ import annotations

from typing import Final

from prometheus_client import Counter, Gauge, Histogram

BREAKER_STATES: Final = {"closed": 0, "half_open": 1, "open": 2}
"""Values of `docfleet_fetch_breaker_state`."""

BREAKER_STATE = Gauge(
    "docfleet_fetch_breaker_state",
    "Circuit breaker of a source host as this worker last saw it: 0 closed, 1 half-open, 2 open.",
    ["host"],
)
BREAKER_TRANSITIONS = Counter(
    "docfleet_fetch_breaker_transitions",
    "Breaker state changes this worker caused, by host and the state entered.",
    ["host", "state"],
)
FETCH_BYTES = Counter(
    "docfleet_fetch_bytes",
    "Bytes received from sources, finished downloads or not.",
)
FETCH_DOCUMENTS = Counter(
    "docfleet_fetch_documents",
    "Fetch attempts by outcome: ok, or the error type the attempt failed with.",
    ["outcome"],
)
FETCH_SECONDS = Histogram(
    "docfleet_fetch_seconds",
    "Duration of one fetch attempt (download and upload), any outcome.",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600),
)


def breaker_state(host: str, state: str) -> None:
    """Record the state this worker last saw for `host`'s breaker."""
    BREAKER_STATE.labels(host=host).set(BREAKER_STATES[state])


def breaker_transition(host: str, state: str) -> None:
    """Count a transition this worker caused, and update the gauge."""
    BREAKER_TRANSITIONS.labels(host=host, state=state).inc()
    breaker_state(host, state)
