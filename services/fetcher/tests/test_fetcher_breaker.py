from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import REGISTRY
from redis.asyncio import Redis

from docfleet_devstack.process import free_port
from docfleet_devstack.servers import start_redis
from docfleet_fetcher.breaker import CircuitBreaker, Permit, connect_redis
from docfleet_fetcher.breaker_state import BreakerPolicy, RedisBreakerStore
from docfleet_fetcher.errors import CircuitOpen

pytestmark = pytest.mark.integration

POLICY = BreakerPolicy(failures=5, window_seconds=60, open_seconds=30, probe_seconds=120)
LOGGER = "docfleet_fetcher.breaker"


class Clock:
    def __init__(self) -> None:
        self.now = 1_750_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def host() -> str:
    # A fresh host per test: the metrics registry is process-wide.
    return f"https://{uuid.uuid4().hex[:8]}.example.test:443"


BreakerFactory = Callable[..., CircuitBreaker]


@pytest.fixture
async def breakers(redis_url: str, clock: Clock) -> AsyncIterator[BreakerFactory]:
    """Breakers as separate replicas would have them: each with its own Redis client."""
    clients: list[Redis] = []

    def make(url: str | None = None, **options: Any) -> CircuitBreaker:
        client = connect_redis(url or redis_url)
        clients.append(client)
        options.setdefault("clock", clock)
        return CircuitBreaker(client, options.pop("policy", POLICY), **options)

    yield make
    for client in clients:
        await client.aclose()


async def _fail(breaker: CircuitBreaker, host: str, times: int) -> None:
    for _ in range(times):
        await breaker.record(await breaker.admit(host), failed=True)


async def _refused(breaker: CircuitBreaker, host: str) -> CircuitOpen:
    with pytest.raises(CircuitOpen) as info:
        await breaker.admit(host)
    return info.value


def _metric(name: str, **labels: str) -> float | None:
    return REGISTRY.get_sample_value(name, labels)


async def test_breaker_opens_after_n_failures_within_the_window(
    breakers: BreakerFactory, host: str, caplog: pytest.LogCaptureFixture
) -> None:
    breaker = breakers()
    caplog.set_level(logging.INFO, LOGGER)
    await _fail(breaker, host, 4)
    assert not (await breaker.admit(host)).probe
    await _fail(breaker, host, 1)
    refused = await _refused(breaker, host)
    assert refused.retry_after == 30
    assert refused.error_type == "CircuitOpen"
    assert f"circuit for {host} is open" in str(refused)
    assert f"circuit for {host} opened after 5 failures in 60 s; calls paused 30 s" in caplog.text
    assert _metric("docfleet_fetch_breaker_state", host=host) == 2
    assert _metric("docfleet_fetch_breaker_transitions_total", host=host, state="open") == 1


async def test_breaker_ignores_failures_spread_beyond_the_window(
    breakers: BreakerFactory, host: str, clock: Clock
) -> None:
    breaker = breakers()
    await _fail(breaker, host, 4)
    clock.advance(61)
    await _fail(breaker, host, 4)
    assert not (await breaker.admit(host)).probe
    await _fail(breaker, host, 1)
    await _refused(breaker, host)


async def test_breaker_successes_and_other_hosts_are_not_counted(
    breakers: BreakerFactory, host: str
) -> None:
    breaker = breakers()
    other = host.replace("https://", "http://")
    await _fail(breaker, host, 4)
    for _ in range(3):
        await breaker.record(await breaker.admit(host), failed=False)
    await _fail(breaker, other, 4)
    assert not (await breaker.admit(host)).probe
    assert not (await breaker.admit(other)).probe


async def test_breaker_fails_fast_with_the_time_left_until_the_probe(
    breakers: BreakerFactory, host: str, clock: Clock
) -> None:
    breaker = breakers()
    await _fail(breaker, host, 5)
    clock.advance(12.5)
    assert (await _refused(breaker, host)).retry_after == pytest.approx(17.5)
    clock.advance(17.4)
    assert (await _refused(breaker, host)).retry_after == pytest.approx(0.1)


async def test_breaker_gives_one_half_open_probe_across_replicas(
    breakers: BreakerFactory, host: str, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    first, second = breakers(), breakers()
    caplog.set_level(logging.INFO, LOGGER)
    await _fail(first, host, 5)
    # The other replica sees the open breaker through Redis.
    assert (await _refused(second, host)).retry_after == 30
    clock.advance(30)
    outcomes = await asyncio.gather(
        *(replica.admit(host) for replica in (first, second) * 5), return_exceptions=True
    )
    probes = [o for o in outcomes if isinstance(o, Permit)]
    refused = [o for o in outcomes if isinstance(o, CircuitOpen)]
    assert len(probes) == 1 and probes[0].probe
    assert len(refused) == 9
    # While the probe runs, the others are told to come back after another open period.
    assert all(r.retry_after == 30 for r in refused)
    assert "another worker is probing it" in str(refused[0])
    assert f"circuit for {host} half-open" in caplog.text


async def test_breaker_closes_when_the_probe_succeeds(
    breakers: BreakerFactory, host: str, clock: Clock, redis_url: str
) -> None:
    first, second = breakers(), breakers()
    await _fail(first, host, 5)
    clock.advance(30)
    probe = await second.admit(host)
    await second.record(probe, failed=False)
    assert not (await first.admit(host)).probe
    assert not (await second.admit(host)).probe
    # Closed means no state left behind; the failure count starts again from zero.
    client = connect_redis(redis_url)
    try:
        keys = RedisBreakerStore(client, "docfleet").keys(host)
        assert await client.exists(*keys) == 0
    finally:
        await client.aclose()
    await _fail(first, host, 4)
    assert not (await first.admit(host)).probe
    assert _metric("docfleet_fetch_breaker_state", host=host) == 0
    assert _metric("docfleet_fetch_breaker_transitions_total", host=host, state="closed") == 1


async def test_breaker_reopens_when_the_probe_fails(
    breakers: BreakerFactory, host: str, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    first, second = breakers(), breakers()
    caplog.set_level(logging.INFO, LOGGER)
    await _fail(first, host, 5)
    clock.advance(30)
    probe = await first.admit(host)
    await first.record(probe, failed=True)
    assert (await _refused(second, host)).retry_after == 30
    assert f"circuit for {host} re-opened: the probe failed; calls paused 30 s" in caplog.text
    clock.advance(30)
    assert (await second.admit(host)).probe


async def test_breaker_frees_the_probe_of_a_cancelled_call(
    breakers: BreakerFactory, host: str, clock: Clock
) -> None:
    first, second = breakers(), breakers()
    await _fail(first, host, 5)
    clock.advance(30)
    probe = await first.admit(host)
    await _refused(second, host)
    await first.release(probe)
    assert (await second.admit(host)).probe


async def test_breaker_falls_back_to_memory_when_redis_is_down_and_warns_once(
    breakers: BreakerFactory, host: str, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    dead = f"redis://127.0.0.1:{free_port()}/0"
    # Retrying Redis on every call shows that the warning is rate-limited, not the attempts.
    breaker = breakers(dead, redis_retry_seconds=0)
    caplog.set_level(logging.INFO, LOGGER)
    await _fail(breaker, host, 5)
    refused = await _refused(breaker, host)
    assert refused.retry_after == 30
    warnings = [r for r in caplog.records if "Redis unreachable" in r.getMessage()]
    assert len(warnings) == 1
    assert warnings[0].levelno == logging.WARNING
    clock.advance(30)
    probe = await breaker.admit(host)
    assert probe.probe
    await breaker.record(probe, failed=False)
    assert not (await breaker.admit(host)).probe
    clock.advance(61)
    await breaker.admit(host)
    assert len([r for r in caplog.records if "Redis unreachable" in r.getMessage()]) == 2


async def test_breaker_returns_to_redis_when_it_is_back(
    breakers: BreakerFactory,
    host: str,
    clock: Clock,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    breaker = breakers(url, redis_retry_seconds=5)
    caplog.set_level(logging.INFO, LOGGER)
    await _fail(breaker, host, 2)
    server = start_redis(tmp_path, port=port)
    try:
        # Still inside the retry pause: this failure lands in memory, not in the new Redis.
        await _fail(breaker, host, 1)
        clock.advance(5)
        await _fail(breaker, host, 1)
        assert "Redis is back" in caplog.text
        client = connect_redis(url)
        try:
            keys = RedisBreakerStore(client, "docfleet").keys(host)
            assert await client.zcard(keys[1]) == 1
        finally:
            await client.aclose()
    finally:
        server.process.stop()
