"""The `fetch.fetch_document` activity: a thin Temporal shell around `Fetcher`."""

from __future__ import annotations

from temporalio import activity

from docfleet_blobstore import BlobStoreError
from docfleet_contracts.activities import FETCH_DOCUMENT
from docfleet_contracts.models import FetchInput, FetchResult
from docfleet_fetcher.pipeline import Fetcher
from docfleet_runtime import ServiceError, application_error


class FetchActivities:
    """Activities of the fetcher worker; holds the process-wide `Fetcher`."""

    def __init__(self, fetcher: Fetcher) -> None:
        self._fetcher = fetcher

    @activity.defn(name=FETCH_DOCUMENT.name)
    async def fetch_document(self, request: FetchInput) -> FetchResult:
        """Download one document into the blob store and report its kind."""
        try:
            return await self._fetcher.fetch(
                request.batch_id, request.document_id, request.url, progress=_heartbeat
            )
        except (ServiceError, BlobStoreError) as exc:
            raise application_error(exc) from exc


def _heartbeat(received: int) -> None:
    # Lets a caller's heartbeat_timeout tell a slow download from a dead worker.
    activity.heartbeat(received)
