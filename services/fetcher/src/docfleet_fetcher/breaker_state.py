"""Where breaker state lives: Redis (shared by replicas, one Lua script per step) or memory.

Both stores run the same algorithm on millisecond timestamps given by the caller, so a test clock
drives them alike. Per host: `open_until` (absent while closed), the failure times inside the
window, and the half-open probe lease (holder token, expiry).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Final, Protocol

from redis.asyncio import Redis

CLOSED: Final = 0
PROBE: Final = 1
OPEN: Final = 2
PROBING: Final = 3
"""Results of `check`: closed; the caller holds the probe; open (ms left); probe held elsewhere
(ms left of its lease)."""

COUNTED: Final = 0
IGNORED: Final = 2
OPENED: Final = 3
REOPENED: Final = 4
"""Results of `fail`: counted (failures in window); ignored (already open); opened (failures);
re-opened after a failed probe."""

KEEP_MS: Final = 3600 * 1000
"""How long an open breaker's state outlives its open period and probe lease when nobody calls."""


@dataclass(frozen=True)
class BreakerPolicy:
    """When a breaker opens, for how long, and how long one probe may take."""

    failures: int = 5
    window_seconds: float = 60.0
    open_seconds: float = 30.0
    probe_seconds: float = 330.0
    """Lease of the half-open probe: longer than one download, so only one probe runs at a time;
    a probe whose worker died frees the host after this long."""

    @property
    def window_ms(self) -> int:
        return round(self.window_seconds * 1000)

    @property
    def open_ms(self) -> int:
        return round(self.open_seconds * 1000)

    @property
    def probe_ms(self) -> int:
        return round(self.probe_seconds * 1000)


class BreakerStore(Protocol):
    """One step of the breaker algorithm each; every method is atomic."""

    async def check(self, host: str, now: int, token: str, policy: BreakerPolicy) -> list[int]: ...

    async def fail(
        self, host: str, now: int, token: str, probe: bool, policy: BreakerPolicy
    ) -> list[int]: ...

    async def succeed(self, host: str, token: str) -> None: ...

    async def release(self, host: str, token: str) -> None: ...


_CHECK = """
local open_until = tonumber(redis.call('HGET', KEYS[1], 'open_until'))
if not open_until then return {0, 0} end
local now = tonumber(ARGV[1])
if now < open_until then return {2, open_until - now} end
if redis.call('SET', KEYS[3], ARGV[2], 'NX', 'PX', ARGV[3]) then return {1, 0} end
return {3, redis.call('PTTL', KEYS[3])}
"""

_FAIL = """
local now = tonumber(ARGV[1])
local open_ms = tonumber(ARGV[4])
if ARGV[5] == '1' then
  redis.call('HSET', KEYS[1], 'open_until', now + open_ms)
  redis.call('PEXPIRE', KEYS[1], ARGV[6])
  if redis.call('GET', KEYS[3]) == ARGV[2] then redis.call('DEL', KEYS[3]) end
  return {4, 0}
end
if redis.call('HEXISTS', KEYS[1], 'open_until') == 1 then return {2, 0} end
local window = tonumber(ARGV[3])
redis.call('ZADD', KEYS[2], now, ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
redis.call('PEXPIRE', KEYS[2], window)
local count = redis.call('ZCARD', KEYS[2])
if count >= tonumber(ARGV[7]) then
  redis.call('HSET', KEYS[1], 'open_until', now + open_ms)
  redis.call('PEXPIRE', KEYS[1], ARGV[6])
  redis.call('DEL', KEYS[2])
  return {3, count}
end
return {0, count}
"""

_SUCCEED = """
redis.call('DEL', KEYS[1], KEYS[2])
if redis.call('GET', KEYS[3]) == ARGV[1] then redis.call('DEL', KEYS[3]) end
return 1
"""

_RELEASE = """
if redis.call('GET', KEYS[3]) == ARGV[1] then redis.call('DEL', KEYS[3]) end
return 1
"""


class RedisBreakerStore:
    """Breaker state in Redis under `<prefix>:breaker:{<host>}` (one hash slot per host)."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self._prefix = prefix
        self._check = redis.register_script(_CHECK)
        self._fail = redis.register_script(_FAIL)
        self._succeed = redis.register_script(_SUCCEED)
        self._release = redis.register_script(_RELEASE)

    def keys(self, host: str) -> list[str]:
        """State hash, failure times, probe lease."""
        base = f"{self._prefix}:breaker:{{{host}}}"
        return [base, f"{base}:failures", f"{base}:probe"]

    async def check(self, host: str, now: int, token: str, policy: BreakerPolicy) -> list[int]:
        reply = await self._check(keys=self.keys(host), args=[now, token, policy.probe_ms])
        return [int(x) for x in reply]

    async def fail(
        self, host: str, now: int, token: str, probe: bool, policy: BreakerPolicy
    ) -> list[int]:
        keep = policy.open_ms + policy.probe_ms + KEEP_MS
        args: list[str | int] = [
            now,
            token,
            policy.window_ms,
            policy.open_ms,
            int(probe),
            keep,
            policy.failures,
        ]
        reply = await self._fail(keys=self.keys(host), args=args)
        return [int(x) for x in reply]

    async def succeed(self, host: str, token: str) -> None:
        await self._succeed(keys=self.keys(host), args=[token])

    async def release(self, host: str, token: str) -> None:
        await self._release(keys=self.keys(host), args=[token])


class MemoryBreakerStore:
    """The same algorithm on this process's own state: the fallback while Redis is away."""

    def __init__(self) -> None:
        self._open_until: dict[str, int] = {}
        self._failures: dict[str, deque[int]] = {}
        self._probes: dict[str, tuple[str, int]] = {}

    async def check(self, host: str, now: int, token: str, policy: BreakerPolicy) -> list[int]:
        open_until = self._open_until.get(host)
        if open_until is None:
            return [CLOSED, 0]
        if now < open_until:
            return [OPEN, open_until - now]
        holder = self._probes.get(host)
        if holder is None or holder[1] <= now:
            self._probes[host] = (token, now + policy.probe_ms)
            return [PROBE, 0]
        return [PROBING, holder[1] - now]

    async def fail(
        self, host: str, now: int, token: str, probe: bool, policy: BreakerPolicy
    ) -> list[int]:
        if probe:
            self._open_until[host] = now + policy.open_ms
            self._drop_probe(host, token)
            return [REOPENED, 0]
        if host in self._open_until:
            return [IGNORED, 0]
        times = self._failures.setdefault(host, deque())
        times.append(now)
        while times and times[0] <= now - policy.window_ms:
            times.popleft()
        count = len(times)
        if count >= policy.failures:
            self._open_until[host] = now + policy.open_ms
            del self._failures[host]
            return [OPENED, count]
        return [COUNTED, count]

    async def succeed(self, host: str, token: str) -> None:
        self._open_until.pop(host, None)
        self._failures.pop(host, None)
        self._drop_probe(host, token)

    async def release(self, host: str, token: str) -> None:
        self._drop_probe(host, token)

    def _drop_probe(self, host: str, token: str) -> None:
        holder = self._probes.get(host)
        if holder is not None and holder[0] == token:
            del self._probes[host]
