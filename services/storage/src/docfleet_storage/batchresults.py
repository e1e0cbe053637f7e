"""A batch's results manifest: JSON Lines of `DocumentResult`, written a page at a time.

Each page is its own object (`results_part_key`), replaced if written again. Finishing joins
pages 1..n in order into `results_manifest_key`, one page in memory at a time. The pages are
kept afterwards: a retry of the join, even after a completed one whose answer was lost, reads
them again and writes the same bytes, which deleting them would make impossible.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

from docfleet_blobstore import DEFAULT_PART_BYTES, BlobNotFound, BlobStore
from docfleet_blobstore.manifests import MANIFEST_CONTENT_TYPE
from docfleet_contracts import (
    AppendResultsInput,
    FinishResultsInput,
    ResultsManifest,
    ResultsPart,
    naming,
)
from docfleet_storage.errors import ResultsPartMissing

PartDone = Callable[[int, int], None]
"""Called after each page is read for the join, with its number and the page count."""


async def append_part(blobs: BlobStore, request: AppendResultsInput) -> ResultsPart:
    """Write one page of results under its part key, replacing an earlier write of it."""
    body = b"".join(result.model_dump_json().encode() + b"\n" for result in request.results)
    key = naming.results_part_key(request.batch_id, request.part)
    ref = await blobs.put_bytes(key, body, MANIFEST_CONTENT_TYPE)
    return ResultsPart(uri=ref.uri, count=len(request.results))


async def join_parts(
    blobs: BlobStore,
    request: FinishResultsInput,
    *,
    part_bytes: int = DEFAULT_PART_BYTES,
    progress: PartDone | None = None,
) -> ResultsManifest:
    """Join pages 1..`request.parts` into the results manifest; no pages: an empty manifest."""
    lines = 0

    async def pages() -> AsyncIterator[bytes]:
        nonlocal lines
        for part in range(1, request.parts + 1):
            uri = blobs.uri_for(naming.results_part_key(request.batch_id, part))
            try:
                data = await blobs.get_bytes(uri)
            except BlobNotFound as exc:
                raise ResultsPartMissing(
                    f"batch {request.batch_id}: results page {part} of {request.parts} is "
                    f"missing at {uri}"
                ) from exc
            if data and not data.endswith(b"\n"):
                data += b"\n"  # a page from elsewhere: lines must not run together
            lines += data.count(b"\n")
            if progress is not None:
                progress(part, request.parts)
            yield data

    key = naming.results_manifest_key(request.batch_id)
    ref = await blobs.put_stream(key, pages(), MANIFEST_CONTENT_TYPE, part_bytes=part_bytes)
    return ResultsManifest(results=ref, count=lines)
