"""One fetch end to end: pick the source by scheme, spool, sniff, store under the source key."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from botocore.exceptions import BotoCoreError, ClientError

from docfleet_blobstore import BlobStore, BlobStoreError
from docfleet_contracts import naming
from docfleet_contracts.models import FetchResult
from docfleet_fetcher import metrics
from docfleet_fetcher.breaker import CircuitBreaker
from docfleet_fetcher.errors import (
    BadFetchRequest,
    FetchError,
    FetchTimeout,
    StoreUnavailable,
    TransientFetchError,
)
from docfleet_fetcher.settings import TOTAL_TIMEOUT_ENV
from docfleet_fetcher.sniff import CONTENT_TYPES
from docfleet_fetcher.spool import Spool, Spooled
from docfleet_fetcher.urls import check_http_url, origin_of, redact_url

log = logging.getLogger(__name__)

Progress = Callable[[int], None]


class Source(Protocol):
    """Something that can copy the document a URL names into a spool."""

    async def download(self, url: str, spool: Spool) -> None: ...


class Fetcher:
    """Fetches documents into the blob store; knows nothing of Temporal."""

    def __init__(
        self,
        store: BlobStore,
        sources: Mapping[str, Source],
        *,
        max_bytes: int,
        total_timeout: float,
        temp_dir: Path | None = None,
        breaker: CircuitBreaker | None = None,
    ) -> None:
        self._store = store
        self._breaker = breaker
        self._sources = dict(sources)
        self._max_bytes = max_bytes
        self._total_timeout = total_timeout
        self._temp_dir = temp_dir
        if temp_dir is not None:
            temp_dir.mkdir(parents=True, exist_ok=True)

    async def fetch(
        self, batch_id: str, document_id: str, url: str, *, progress: Progress | None = None
    ) -> FetchResult:
        """Download `url` into the blob store at `source_key(batch_id, document_id)`."""
        started = time.monotonic()
        outcome = "cancelled"
        received = 0
        try:
            source = self._source_for(url)
            with Spool(self._max_bytes, directory=self._temp_dir, progress=progress) as spool:
                try:
                    await self._guarded_download(source, url, spool)
                finally:
                    received = spool.size
                spooled = spool.finish()
                key = naming.source_key(batch_id, document_id)
                result = await self._store_spooled(key, spooled)
            outcome = "ok"
        except FetchError as exc:
            outcome = exc.error_type
            raise
        except Exception:
            outcome = "error"
            raise
        finally:
            metrics.FETCH_DOCUMENTS.labels(outcome=outcome).inc()
            metrics.FETCH_BYTES.inc(received)
            metrics.FETCH_SECONDS.observe(time.monotonic() - started)
        log.info(
            "fetched %s -> %s (%s, %d bytes, %.2f s)",
            redact_url(url),
            result.blob.uri,
            result.kind,
            result.blob.size,
            time.monotonic() - started,
        )
        return result

    async def _guarded_download(self, source: Source, url: str, spool: Spool) -> None:
        """Download through the host's circuit breaker (http(s) only) and report the outcome."""
        host = origin_of(url) if self._breaker is not None else None
        if self._breaker is None or host is None:
            await self._download(source, url, spool)
            return
        # A URL refused on its face must neither spend the half-open probe nor count.
        check_http_url(url)
        permit = await self._breaker.admit(host)
        try:
            await self._download(source, url, spool)
        except FetchError as exc:
            await self._breaker.record(permit, failed=exc.host_fault)
            raise
        except BaseException:
            # Cancelled or a bug: no verdict on the host, but free the probe for someone else.
            await self._breaker.release(permit)
            raise
        await self._breaker.record(permit, failed=False)

    async def _download(self, source: Source, url: str, spool: Spool) -> None:
        try:
            async with asyncio.timeout(self._total_timeout):
                await source.download(url, spool)
        except TimeoutError:
            raise FetchTimeout(
                f"{redact_url(url)} was not downloaded within {self._total_timeout:g} s "
                f"({TOTAL_TIMEOUT_ENV}; {spool.size} bytes received)"
            ) from None
        except OSError as exc:
            raise TransientFetchError(f"{redact_url(url)}: local spool failed: {exc}") from exc

    def _source_for(self, url: str) -> Source:
        scheme = urlsplit(url).scheme.lower()
        source = self._sources.get(scheme)
        if source is None:
            enabled = ", ".join(f"{s}://" for s in sorted(self._sources)) or "none"
            raise BadFetchRequest(
                f"{redact_url(url)}: {scheme}:// is not served here (enabled: {enabled})"
            )
        return source

    async def _store_spooled(self, key: str, spooled: Spooled) -> FetchResult:
        try:
            blob = await self._store.put_file(key, spooled.path, CONTENT_TYPES[spooled.kind])
        except (BlobStoreError, ClientError, BotoCoreError, OSError) as exc:
            raise StoreUnavailable(f"blob store refused {key}: {exc}") from exc
        if blob.sha256 != spooled.sha256 or blob.size != spooled.size:
            # The spool changed between download and upload; a retry starts from scratch.
            raise TransientFetchError(f"{key}: stored bytes differ from the downloaded ones")
        return FetchResult(blob=blob, kind=spooled.kind)
