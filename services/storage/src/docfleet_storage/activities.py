"""Activities of the storage worker: the result file and the analytics aggregates."""

from __future__ import annotations

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from temporalio import activity

from docfleet_blobstore import BlobStore, BlobStoreError
from docfleet_contracts import AnalyticsInput, AnalyticsRecorded, StoreInput, StoreResult
from docfleet_contracts.activities import RECORD_ANALYTICS, STORE_RESULT
from docfleet_runtime import application_error
from docfleet_storage.analytics import AnalyticsRecorder
from docfleet_storage.errors import BackendUnavailable
from docfleet_storage.results import write_result


class StorageActivities:
    """Holds the blob store and the Redis recorder that the worker opened once."""

    def __init__(self, blobs: BlobStore, recorder: AnalyticsRecorder) -> None:
        self.blobs = blobs
        self.recorder = recorder

    @activity.defn(name=STORE_RESULT.name)
    async def store_result(self, request: StoreInput) -> StoreResult:
        try:
            return await write_result(self.blobs, request, progress=activity.heartbeat)
        except BlobStoreError as exc:
            raise application_error(exc) from exc

    @activity.defn(name=RECORD_ANALYTICS.name)
    async def record_analytics(self, request: AnalyticsInput) -> AnalyticsRecorded:
        try:
            recorded = await self.recorder.record(request)
        except (RedisConnectionError, RedisTimeoutError, OSError) as exc:
            raise application_error(BackendUnavailable(f"Redis unreachable: {exc}")) from exc
        if not recorded:
            activity.logger.info("analytics for %s already recorded", request.document_id)
        return AnalyticsRecorded(recorded=recorded)
