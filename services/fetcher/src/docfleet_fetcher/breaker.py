"""Circuit breakers per source host, shared by every fetcher replica through Redis.

A host (`scheme://host:port`) whose requests fail transiently (5xx, connection errors, timeouts)
`failures` times within `window_seconds` is opened: for `open_seconds` its calls fail fast with
`CircuitOpen`, no request sent, and Temporal retries them after the time left. Then exactly one
caller, on any replica, gets the half-open probe (a Redis `SET NX` lease); its success closes the
breaker, its failure opens it again. Every step is one Lua script, so replicas never race.

If Redis cannot be reached the same algorithm runs on in-process state (warned about once a
minute at most) and Redis is tried again a few seconds later, so documents keep flowing.
Times come from an injectable wall clock: replicas compare them, so their clocks must roughly
agree (skew shifts the window and the open period by as much).
"""

from __future__ import annotations

import logging
import math
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from docfleet_fetcher import metrics
from docfleet_fetcher.breaker_state import (
    CLOSED,
    OPEN,
    OPENED,
    PROBE,
    REOPENED,
    BreakerPolicy,
    BreakerStore,
    MemoryBreakerStore,
    RedisBreakerStore,
)
from docfleet_fetcher.errors import CircuitOpen

log = logging.getLogger(__name__)

REDIS_TIMEOUT_SECONDS = 0.5
"""Socket timeouts of the breaker's Redis client: a dead Redis must never stall a fetch."""

T = TypeVar("T")


def connect_redis(url: str, timeout: float = REDIS_TIMEOUT_SECONDS) -> Redis:
    """A Redis client for the breakers: short timeouts, no client-side retries (we fall back)."""
    return Redis.from_url(
        url, socket_timeout=timeout, socket_connect_timeout=timeout, retry=Retry(NoBackoff(), 0)
    )


@dataclass(frozen=True)
class Permit:
    """Leave to send a request to `host`; `probe` when it is the breaker's half-open probe."""

    host: str
    token: str
    probe: bool


class CircuitBreaker:
    """Admits or refuses calls per host and records their outcome; knows nothing of Temporal."""

    def __init__(
        self,
        redis: Redis | None,
        policy: BreakerPolicy,
        *,
        prefix: str = "docfleet",
        clock: Callable[[], float] = time.time,
        redis_retry_seconds: float = 5.0,
        warn_every_seconds: float = 60.0,
    ) -> None:
        self.policy = policy
        self._redis = RedisBreakerStore(redis, prefix) if redis is not None else None
        self._memory = MemoryBreakerStore()
        self._clock = clock
        self._redis_retry_seconds = redis_retry_seconds
        self._warn_every = warn_every_seconds
        self._skip_redis_until = -math.inf
        self._warned_at = -math.inf
        self._redis_down = False

    async def admit(self, host: str) -> Permit:
        """A permit to call `host`, or `CircuitOpen` (with `retry_after`) while it is open."""
        token = uuid.uuid4().hex
        now = self._now_ms()
        code, value = await self._call(lambda store: store.check(host, now, token, self.policy))
        if code == CLOSED:
            metrics.breaker_state(host, "closed")
            return Permit(host, token, probe=False)
        if code == PROBE:
            log.info("circuit for %s half-open: this worker sends one probe request", host)
            metrics.breaker_transition(host, "half_open")
            return Permit(host, token, probe=True)
        if code == OPEN:
            retry_after = value / 1000
            metrics.breaker_state(host, "open")
            message = f"next probe in {retry_after:.1f} s"
        else:
            # Another caller holds the probe; its verdict is due within the lease.
            retry_after = min(value, self.policy.open_ms) / 1000
            metrics.breaker_state(host, "half_open")
            message = f"another worker is probing it; retry in {retry_after:.1f} s"
        raise CircuitOpen(
            f"circuit for {host} is open after repeated failures: no request sent, {message}",
            retry_after=retry_after,
        )

    async def record(self, permit: Permit, *, failed: bool) -> None:
        """Count a call's outcome; `failed` only for faults of the host (5xx, network, timeout)."""
        if not failed:
            if permit.probe:
                await self._call(lambda store: store.succeed(permit.host, permit.token))
                log.info("circuit for %s closed: the probe succeeded", permit.host)
                metrics.breaker_transition(permit.host, "closed")
            return
        now = self._now_ms()
        code, count = await self._call(
            lambda store: store.fail(permit.host, now, permit.token, permit.probe, self.policy)
        )
        pause = self.policy.open_seconds
        if code == OPENED:
            log.warning(
                "circuit for %s opened after %d failures in %g s; calls paused %g s",
                permit.host,
                count,
                self.policy.window_seconds,
                pause,
            )
            metrics.breaker_transition(permit.host, "open")
        elif code == REOPENED:
            log.warning(
                "circuit for %s re-opened: the probe failed; calls paused %g s", permit.host, pause
            )
            metrics.breaker_transition(permit.host, "open")

    async def release(self, permit: Permit) -> None:
        """Give back an unfinished probe (a cancelled call) so another caller may probe at once."""
        if permit.probe:
            await self._call(lambda store: store.release(permit.host, permit.token))

    def _now_ms(self) -> int:
        return round(self._clock() * 1000)

    async def _call(self, op: Callable[[BreakerStore], Awaitable[T]]) -> T:
        if self._redis is not None and self._clock() >= self._skip_redis_until:
            # Any Redis trouble (down, slow, out of memory, read-only) must not stop documents:
            # this worker carries on with its own state.
            try:
                result = await op(self._redis)
            except (RedisError, OSError) as exc:
                self._redis_failed(exc)
            else:
                if self._redis_down:
                    self._redis_down = False
                    log.info("Redis is back: circuit breakers are shared by every replica again")
                return result
        return await op(self._memory)

    def _redis_failed(self, exc: Exception) -> None:
        now = self._clock()
        self._redis_down = True
        self._skip_redis_until = now + self._redis_retry_seconds
        if now - self._warned_at >= self._warn_every:
            self._warned_at = now
            log.warning(
                "circuit breakers: Redis unreachable (%s: %s); using this worker's own state "
                "until it is back (retried every %g s)",
                type(exc).__name__,
                exc,
                self._redis_retry_seconds,
            )
