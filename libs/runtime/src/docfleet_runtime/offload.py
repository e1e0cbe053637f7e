"""Claim check for large payloads: the SDK's external storage over DocFleet's blob store.

Any payload of at least `DOCFLEET_PAYLOAD_OFFLOAD_BYTES` (workflow and activity inputs and
results, signals, queries, heartbeat details) is written to the blob store the workers already
use (`DOCFLEET_BLOB_URL`) under `payloads/<sha256>`; history keeps a small reference
`{"uri", "sha256"}`. The SDK runs the codec first, so with encryption on the blob holds
ciphertext. Reading a reference checks the bytes against its SHA-256.

A safety net, not the way documents travel: those still go through the blob store explicitly.
Built on an experimental SDK API (`temporalio.converter.ExternalStorage`).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import threading
from collections.abc import Callable, Coroutine, Sequence
from typing import TYPE_CHECKING, Any

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict
from temporalio.api.common.v1 import Payload
from temporalio.converter import (
    ExternalStorage,
    StorageDriver,
    StorageDriverClaim,
    StorageDriverRetrieveContext,
    StorageDriverSelectContext,
    StorageDriverStoreContext,
)

from docfleet_runtime.settings import default_blob_url

if TYPE_CHECKING:
    from docfleet_blobstore import BlobStore

log = logging.getLogger(__name__)

DRIVER_NAME = "docfleet.blobstore"
KEY_PREFIX = "payloads"
CONTENT_TYPE = "application/x-protobuf"  # a serialized temporal.api.common.v1.Payload
DEFAULT_THRESHOLD = 256 * 1024
_SHA256_HEX = re.compile("[0-9a-f]{64}")
_HASH_IN_THREAD = 1 << 20  # hashing a bigger payload would hold the event loop for milliseconds

StoreOpener = Callable[[], Coroutine[Any, Any, "BlobStore"]]


class OffloadConfigError(ValueError):
    """`DOCFLEET_PAYLOAD_OFFLOAD_BYTES` or the blob-store settings are unusable."""


class OffloadedPayloadError(RuntimeError):
    """An offloaded payload could not be read back."""


class OffloadedPayloadMissing(OffloadedPayloadError):
    """No blob at the reference's URI (another blob store, or deleted)."""


class OffloadedPayloadCorrupt(OffloadedPayloadError):
    """The blob no longer matches the reference's SHA-256."""


class OffloadSettings(BaseSettings):
    """`DOCFLEET_PAYLOAD_OFFLOAD_BYTES` plus the blob-store fields every worker already reads."""

    model_config = SettingsConfigDict(env_prefix="DOCFLEET_", extra="ignore")

    payload_offload_bytes: int = Field(
        default=DEFAULT_THRESHOLD,
        ge=0,
        description="Payloads of at least this many bytes go to the blob store; 0 offloads "
        "nothing new (references already in history are still read).",
    )
    blob_url: str = Field(default_factory=default_blob_url)
    s3_endpoint_url: str | None = None
    s3_region: str = "us-east-1"
    s3_create_bucket: bool = False


class LazyBlobStore:
    """Opens the blob store on first use, once per event loop, however many callers race.

    The converter is built synchronously, before any loop may run, and an S3 client belongs to
    the loop that opened it; a failed open is retried by the next caller.
    """

    def __init__(self, opener: StoreOpener) -> None:
        self._opener = opener
        self._opening: dict[asyncio.AbstractEventLoop, asyncio.Task[BlobStore]] = {}
        self._lock = threading.Lock()  # clients may be used from several threads' loops

    async def get(self) -> BlobStore:
        loop = asyncio.get_running_loop()
        with self._lock:
            task = self._opening.get(loop)
            if task is None or (task.done() and (task.cancelled() or task.exception())):
                for old in [other for other in self._opening if other.is_closed()]:
                    del self._opening[old]
                task = loop.create_task(self._opener())
                self._opening[loop] = task
        # One caller being cancelled must not cancel the open the others wait for.
        return await asyncio.shield(task)

    async def close(self) -> None:
        """Close the store opened on the running loop, if any."""
        with self._lock:
            task = self._opening.pop(asyncio.get_running_loop(), None)
        if task is None:
            return
        try:
            store = await task
        except Exception:
            return  # the open failed: nothing to close
        await store.close()


class BlobPayloadDriver(StorageDriver):
    """Stores each payload as `payloads/<sha256>` in the blob store (written once per content)."""

    def __init__(self, store: LazyBlobStore, name: str = DRIVER_NAME) -> None:
        self._store = store
        self._name = name

    @property
    def blob_store(self) -> LazyBlobStore:
        return self._store

    def name(self) -> str:
        return self._name

    def type(self) -> str:
        return DRIVER_NAME

    async def store(
        self, context: StorageDriverStoreContext, payloads: Sequence[Payload]
    ) -> list[StorageDriverClaim]:
        store = await self._store.get()
        return list(await asyncio.gather(*(_put(store, p) for p in payloads)))

    async def retrieve(
        self, context: StorageDriverRetrieveContext, claims: Sequence[StorageDriverClaim]
    ) -> list[Payload]:
        store = await self._store.get()
        return list(await asyncio.gather(*(_get(store, c) for c in claims)))


async def _sha256(data: bytes) -> str:
    if len(data) >= _HASH_IN_THREAD:
        return await asyncio.to_thread(lambda: hashlib.sha256(data).hexdigest())
    return hashlib.sha256(data).hexdigest()


async def _put(store: BlobStore, payload: Payload) -> StorageDriverClaim:
    data = payload.SerializeToString()
    digest = await _sha256(data)
    key = f"{KEY_PREFIX}/{digest}"
    uri = store.uri_for(key)
    # Content-addressed: the same bytes are already there, so a retry or a repeat costs one HEAD.
    if not await store.exists(uri):
        await store.put_bytes(key, data, CONTENT_TYPE)
    return StorageDriverClaim(claim_data={"uri": uri, "sha256": digest})


async def _get(store: BlobStore, claim: StorageDriverClaim) -> Payload:
    from docfleet_blobstore import BlobNotFound, ForeignBlobUri  # loaded with the store

    uri, expected = claim.claim_data.get("uri"), claim.claim_data.get("sha256")
    if not uri or not expected or not _SHA256_HEX.fullmatch(expected):
        raise OffloadedPayloadError(f"payload reference lacks uri or sha256: {claim.claim_data}")
    try:
        try:
            data = await store.get_bytes(uri)
        except ForeignBlobUri:
            # The fleet's store moved (other bucket or folder): the content address still holds.
            uri = store.uri_for(f"{KEY_PREFIX}/{expected}")
            data = await store.get_bytes(uri)
    except BlobNotFound:
        where = claim.claim_data["uri"] + ("" if uri == claim.claim_data["uri"] else f" nor {uri}")
        raise OffloadedPayloadMissing(
            f"offloaded payload not found at {where}: every worker and client must use the same "
            "blob store (DOCFLEET_BLOB_URL), and payloads/ must outlive the workflows using it"
        ) from None
    actual = await _sha256(data)
    if actual != expected:
        raise OffloadedPayloadCorrupt(
            f"offloaded payload {uri} was altered: sha256 {actual}, reference says {expected}"
        )
    return Payload.FromString(data)


def _inline(context: StorageDriverSelectContext, payload: Payload) -> None:
    return None


def external_storage(driver: StorageDriver, threshold: int) -> ExternalStorage:
    """Offload payloads of at least `threshold` bytes through `driver`; 0: read references only."""
    if threshold < 0:
        raise OffloadConfigError(f"offload threshold must be >= 0 bytes, got {threshold}")
    if threshold == 0:
        # The driver stays registered so references written earlier, or by other processes,
        # still resolve.
        return ExternalStorage(drivers=[driver], driver_selector=_inline)
    return ExternalStorage(drivers=[driver], payload_size_threshold=threshold)


_stores: dict[tuple[str, str | None, str, bool], LazyBlobStore] = {}
_stores_lock = threading.Lock()


def _shared_store(settings: OffloadSettings) -> LazyBlobStore:
    """One lazily opened store per blob-store configuration in this process."""
    key = (
        settings.blob_url,
        settings.s3_endpoint_url,
        settings.s3_region,
        settings.s3_create_bucket,
    )
    with _stores_lock:
        store = _stores.get(key)
        if store is None:
            store = _stores[key] = LazyBlobStore(lambda: _open_store(settings))
        return store


async def _open_store(settings: OffloadSettings) -> BlobStore:
    # aiobotocore takes most of a second to import: only processes that offload pay for it.
    from docfleet_blobstore import open_configured_store

    store = await open_configured_store(settings)
    log.info("payload offload store opened at %s", store.uri_for(KEY_PREFIX))
    return store


def offload_settings() -> OffloadSettings:
    """The offload settings from the environment, with a message naming what is wrong."""
    try:
        return OffloadSettings()
    except ValidationError as exc:
        where = ", ".join(f"DOCFLEET_{e['loc'][0]}".upper() for e in exc.errors() if e["loc"])
        raise OffloadConfigError(f"invalid payload offload settings: {where}") from None


def offload_from_environment() -> ExternalStorage:
    """External storage over the blob store, threshold `DOCFLEET_PAYLOAD_OFFLOAD_BYTES`."""
    settings = offload_settings()
    driver = BlobPayloadDriver(_shared_store(settings))
    return external_storage(driver, settings.payload_offload_bytes)
