"""The `fetch.fetch_document` activity: a thin Temporal shell around `Fetcher`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from temporalio import activity

from docfleet_blobstore import BlobStoreError
from docfleet_contracts.activities import FETCH_DOCUMENT
from docfleet_contracts.models import FetchInput, FetchResult
from docfleet_fetcher.pipeline import Fetcher
from docfleet_runtime import ServiceError, application_error
from docfleet_runtime.heartbeats import keepalive_seconds


class FetchActivities:
    """Activities of the fetcher worker; holds the process-wide `Fetcher`."""

    def __init__(self, fetcher: Fetcher, *, heartbeat_seconds: float = 5.0) -> None:
        self._fetcher = fetcher
        self._heartbeat_seconds = heartbeat_seconds

    @activity.defn(name=FETCH_DOCUMENT.name)
    async def fetch_document(self, request: FetchInput) -> FetchResult:
        """Download one document into the blob store and report its kind.

        Heartbeats carry the bytes received so far: once per MiB while bytes arrive, and every
        `heartbeat_seconds` whatever happens (a slow source, the upload), so the caller's
        heartbeat_timeout only fires for a lost worker, and a cancellation reaches us promptly.
        Cancelled, the download stops and its spool file is deleted.
        """
        beats = _Heartbeats()
        async with beats.running(keepalive_seconds(self._heartbeat_seconds)):
            try:
                return await self._fetcher.fetch(
                    request.batch_id, request.document_id, request.url, progress=beats.progress
                )
            except (ServiceError, BlobStoreError) as exc:
                raise application_error(exc) from exc


class _Heartbeats:
    """The activity's heartbeats: on progress, and on a timer around every long await."""

    def __init__(self) -> None:
        self.received = 0

    def progress(self, received: int) -> None:
        self.received = received
        activity.heartbeat(received)

    @asynccontextmanager
    async def running(self, every: float) -> AsyncIterator[None]:
        task = asyncio.create_task(self._beat(every))
        try:
            yield
        finally:
            # Not awaited: waiting here could swallow a cancellation meant for the activity.
            task.cancel()

    async def _beat(self, every: float) -> None:
        while True:
            await asyncio.sleep(every)
            activity.heartbeat(self.received)
