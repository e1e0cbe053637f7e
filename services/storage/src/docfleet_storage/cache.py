"""Content-hash cache: a complete reading of some bytes, reused when the same bytes come again.

Entries live in Redis under `<prefix>:cache:v<CACHE_VERSION>:<kind>:<sha256>`. The cache only
ever saves work: a Redis outage, a slow Redis or a stale entry is a miss, never an error, and
every call is bounded by a short timeout so it cannot delay a document.
"""

from __future__ import annotations

import asyncio
import logging

from pydantic import ValidationError
from redis.asyncio import Redis
from redis.exceptions import RedisError

from docfleet_blobstore import BlobStore, BlobStoreError, BlobStoreUnavailable
from docfleet_contracts import CachedReading, CacheLookupInput, CacheLookupResult, StoreInput
from docfleet_storage.metrics import CACHE_LOOKUPS

log = logging.getLogger(__name__)

CACHE_VERSION = 1
"""Bump when readings of the same bytes would come out differently (new OCR, new NLP model)."""

_DELETE_IF_SAME = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""

_REDIS_DOWN = (RedisError, OSError, TimeoutError)


class ReadingCache:
    """Reads and writes cached readings; checks on every hit that their blobs still exist."""

    def __init__(
        self,
        redis: Redis,
        blobs: BlobStore,
        *,
        prefix: str = "docfleet",
        ttl_seconds: int = 30 * 86400,
        enabled: bool = True,
        timeout: float = 0.5,
    ) -> None:
        self.redis = redis
        self.blobs = blobs
        self.prefix = prefix
        self.ttl_seconds = ttl_seconds
        self.enabled = enabled
        self.timeout = timeout
        self._delete_if_same = redis.register_script(_DELETE_IF_SAME)

    def key(self, kind: str, sha256: str) -> str:
        return f"{self.prefix}:cache:v{CACHE_VERSION}:{kind}:{sha256}"

    async def find(self, lookup: CacheLookupInput) -> CacheLookupResult:
        """The cached reading of these bytes, or a miss saying why there is none."""
        if not self.enabled:
            return _miss("disabled", "cache disabled")
        key = self.key(lookup.kind, lookup.sha256)
        try:
            async with asyncio.timeout(self.timeout):
                raw = await self.redis.get(key)
        except _REDIS_DOWN as exc:
            return _miss("unavailable", f"cache unavailable: {type(exc).__name__}")
        if raw is None:
            return _miss("miss", None)
        try:
            reading = CachedReading.model_validate_json(raw)
        except ValidationError:
            await self._forget(key, raw)
            return _miss("stale", "stale: unreadable entry")
        try:
            present = await self._blobs_exist(reading)
        except BlobStoreUnavailable:
            return _miss("unavailable", "cache unavailable: blob store unreachable")
        if not present:
            await self._forget(key, raw)
            return _miss("stale", "stale")
        CACHE_LOOKUPS.labels(outcome="hit").inc()
        return CacheLookupResult(hit=reading)

    async def remember(self, request: StoreInput) -> bool:
        """Enter a complete, freshly made reading; False when it is not one or Redis is away."""
        if (
            not self.enabled
            or not request.remember
            or request.cached_from is not None
            or request.classification is None
            or request.entities is None
        ):
            return False
        reading = CachedReading(
            batch_id=request.batch_id,
            document_id=request.document_id,
            ocr=request.ocr,
            classification=request.classification,
            entities=request.entities,
        )
        key = self.key(request.kind, request.source.sha256)
        try:
            async with asyncio.timeout(self.timeout):
                await self.redis.set(key, reading.model_dump_json(), ex=self.ttl_seconds)
        except _REDIS_DOWN as exc:
            log.warning(
                "reading of %s/%s not cached: Redis unavailable (%s)",
                request.batch_id,
                request.document_id,
                type(exc).__name__,
            )
            return False
        return True

    async def _blobs_exist(self, reading: CachedReading) -> bool:
        try:
            blobs = (reading.ocr.text, reading.ocr.page_index, reading.entities.entities)
            for uri in (blob.uri for blob in blobs):
                if not await self.blobs.exists(uri):
                    return False
        except BlobStoreUnavailable:
            raise
        except BlobStoreError:
            return False  # e.g. a blob of another store, from before a configuration change
        return True

    async def _forget(self, key: str, raw: bytes | str) -> None:
        """Delete a stale entry unless it was replaced meanwhile; best effort."""
        try:
            async with asyncio.timeout(self.timeout):
                await self._delete_if_same(keys=[key], args=[raw])
        except _REDIS_DOWN as exc:
            log.info("stale cache entry %s kept: %s", key, type(exc).__name__)


def _miss(outcome: str, reason: str | None) -> CacheLookupResult:
    CACHE_LOOKUPS.labels(outcome=outcome).inc()
    return CacheLookupResult(reason=reason)
