"""Activities of the storage worker: the result file, the reading cache, the analytics and the
batch manifests."""

from __future__ import annotations

from pydantic import ValidationError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from temporalio import activity

from docfleet_blobstore import DEFAULT_PART_BYTES, BlobStore, BlobStoreError
from docfleet_contracts import (
    AnalyticsInput,
    AnalyticsRecorded,
    AppendResultsInput,
    CacheLookupInput,
    CacheLookupResult,
    FinishResultsInput,
    ManifestPage,
    ManifestPageInput,
    ManifestWritten,
    ResultsManifest,
    ResultsPart,
    StoreInput,
    StoreResult,
    WriteManifestInput,
)
from docfleet_contracts.activities import (
    APPEND_RESULTS,
    FIND_CACHED,
    FINISH_RESULTS,
    READ_MANIFEST,
    RECORD_ANALYTICS,
    STORE_RESULT,
    WRITE_MANIFEST,
)
from docfleet_runtime import application_error
from docfleet_storage.analytics import AnalyticsRecorder
from docfleet_storage.batchresults import append_part, join_parts
from docfleet_storage.cache import ReadingCache
from docfleet_storage.errors import BackendUnavailable, StorageError
from docfleet_storage.manifests import read_page, spill_documents
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

    @activity.defn(name=READ_MANIFEST.name)
    async def read_manifest(self, request: ManifestPageInput) -> ManifestPage:
        try:
            return await read_page(self.blobs, request, progress=activity.heartbeat)
        except (StorageError, BlobStoreError) as exc:
            raise application_error(exc) from exc

    @activity.defn(name=WRITE_MANIFEST.name)
    async def write_manifest(self, request: WriteManifestInput) -> ManifestWritten:
        try:
            return await spill_documents(self.blobs, request)
        except BlobStoreError as exc:
            raise application_error(exc) from exc

    @activity.defn(name=APPEND_RESULTS.name)
    async def append_results(self, request: AppendResultsInput) -> ResultsPart:
        try:
            return await append_part(self.blobs, request)
        except BlobStoreError as exc:
            raise application_error(exc) from exc

    @activity.defn(name=FINISH_RESULTS.name)
    async def finish_results(self, request: FinishResultsInput) -> ResultsManifest:
        try:
            return await join_parts(
                self.blobs, request, part_bytes=self.part_bytes, progress=activity.heartbeat
            )
        except (StorageError, BlobStoreError) as exc:
            raise application_error(exc) from exc


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
