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
from docfleet_fetcher.errors import BadFetchRequest, StoreUnavailable, TransientFetchError
from docfleet_fetcher.sniff import CONTENT_TYPES
from docfleet_fetcher.spool import Spool, Spooled
from docfleet_fetcher.urls import redact_url

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
    ) -> None:
        self._store = store
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
        source = self._source_for(url)
        where = redact_url(url)
        started = time.monotonic()
        with Spool(self._max_bytes, directory=self._temp_dir, progress=progress) as spool:
            try:
                async with asyncio.timeout(self._total_timeout):
                    await source.download(url, spool)
            except TimeoutError:
                raise TransientFetchError(
                    f"{where} was not downloaded within {self._total_timeout:g} s "
                    f"({spool.size} bytes received)"
                ) from None
            except OSError as exc:
                raise TransientFetchError(f"{where}: local spool failed: {exc}") from exc
            spooled = spool.finish()
            result = await self._store_spooled(naming.source_key(batch_id, document_id), spooled)
        log.info(
            "fetched %s -> %s (%s, %d bytes, %.2f s)",
            where,
            result.blob.uri,
            result.kind,
            result.blob.size,
            time.monotonic() - started,
        )
        return result

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
