"""Activities of the storage worker: the result file, the reading cache and the analytics."""

from __future__ import annotations

from pydantic import ValidationError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from temporalio import activity

from docfleet_blobstore import DEFAULT_PART_BYTES, BlobStore, BlobStoreError
from docfleet_contracts import (
    AnalyticsInput,
    AnalyticsRecorded,
    CacheLookupInput,
    CacheLookupResult,
    StoreInput,
    StoreResult,
)
from docfleet_contracts.activities import FIND_CACHED, RECORD_ANALYTICS, STORE_RESULT
from docfleet_runtime import application_error
from docfleet_storage.analytics import AnalyticsRecorder
from docfleet_storage.cache import ReadingCache
from docfleet_storage.errors import BackendUnavailable
from docfleet_storage.metrics import (
    ANALYTICS_RECORDED,
    STORE_BYTES,
    STORE_PARTS,
    document_finished,
)
from docfleet_storage.results import StoreCheckpoint, write_result


class StorageActivities:
    """Holds the blob store, the reading cache and the Redis recorder the worker opened once."""

    def __init__(
        self,
        blobs: BlobStore,
        recorder: AnalyticsRecorder,
        cache: ReadingCache,
        part_bytes: int = DEFAULT_PART_BYTES,
    ) -> None:
        self.blobs = blobs
        self.recorder = recorder
        self.cache = cache
        self.part_bytes = part_bytes

    @activity.defn(name=STORE_RESULT.name)
    async def store_result(self, request: StoreInput) -> StoreResult:
        try:
            stored = await write_result(
                self.blobs,
                request,
                part_bytes=self.part_bytes,
                resume=_last_checkpoint(),
                progress=_beat,
            )
        except BlobStoreError as exc:
            raise application_error(exc) from exc
        cached = await self.cache.remember(request)
        return stored.model_copy(update={"cached": cached})

    @activity.defn(name=FIND_CACHED.name)
    async def find_cached(self, request: CacheLookupInput) -> CacheLookupResult:
        return await self.cache.find(request)

    @activity.defn(name=RECORD_ANALYTICS.name)
    async def record_analytics(self, request: AnalyticsInput) -> AnalyticsRecorded:
        try:
            recorded = await self.recorder.record(request)
        except (RedisConnectionError, RedisTimeoutError, OSError) as exc:
            ANALYTICS_RECORDED.labels(outcome="unavailable").inc()
            raise application_error(BackendUnavailable(f"Redis unreachable: {exc}")) from exc
        ANALYTICS_RECORDED.labels(outcome="recorded" if recorded else "duplicate").inc()
        if recorded:
            document_finished(request)
        else:
            activity.logger.info("analytics for %s already recorded", request.document_id)
        return AnalyticsRecorded(recorded=recorded)


def _beat(checkpoint: StoreCheckpoint) -> None:
    """Heartbeat the checkpoint; count each part this attempt wrote."""
    upload = checkpoint.upload
    if upload is not None and upload.last_part is not None:
        STORE_PARTS.inc()
        STORE_BYTES.inc(upload.part(upload.last_part).size)
    activity.heartbeat(checkpoint.model_dump(mode="json"))


def _last_checkpoint() -> StoreCheckpoint | None:
    """What an earlier attempt heartbeated last; None on a first attempt or an unknown shape."""
    details = activity.info().heartbeat_details
    if not details:
        return None
    try:
        return StoreCheckpoint.model_validate(details[-1])
    except ValidationError:
        activity.logger.info("heartbeat details of an earlier attempt not understood; restarting")
        return None
