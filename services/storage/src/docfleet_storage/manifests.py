"""Batch manifests of documents: JSON Lines of `DocumentSpec`, read a page at a time, and spilled.

A page is read from a byte offset with ranged reads, so a manifest of any size costs each call
one page of memory. Blank lines and `#` comments are skipped and take no index; every other
line takes the next index, as a document or as an entry saying why it is not one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager

from pydantic import ValidationError

from docfleet_blobstore import BlobNotFound, BlobStore, ForeignBlobUri
from docfleet_blobstore.manifests import write_manifest
from docfleet_contracts import (
    DocumentSpec,
    ManifestEntry,
    ManifestPage,
    ManifestPageInput,
    ManifestWritten,
    WriteManifestInput,
)
from docfleet_storage.errors import ManifestRefused
from docfleet_storage.lines import Line, LineReader, Progress

CHUNK_BYTES = 256 * 1024
"""Bytes per ranged read of a page."""
COUNT_CHUNK_BYTES = 1024 * 1024
"""Bytes per ranged read when counting a whole manifest."""
MAX_LINE_BYTES = 64 * 1024
"""A longer line is an entry with an error, not a document."""
PAGE_BYTES = 1024 * 1024
"""Most line bytes one page carries (at least one line), far below Temporal's 2 MB payload cap."""
MAX_ERROR = 500
_USERINFO = re.compile(r"(?<=://)[^/@\s'\"]*@")


def spilled_manifest_key(batch_id: str, first_index: int) -> str:
    """Key of the manifest `write_manifest` writes: never the user's own `documents.jsonl`."""
    return f"batches/{batch_id}/documents-from-{first_index}.jsonl"


async def read_page(
    blobs: BlobStore, request: ManifestPageInput, progress: Progress | None = None
) -> ManifestPage:
    """The entries of the lines from `request.offset`: up to `max_documents`, and no more
    than PAGE_BYTES of lines unless one line alone is larger."""
    uri = request.manifest_uri
    with _refused_unless_ours(blobs, request.batch_id, uri):
        reader = LineReader(
            blobs,
            uri,
            request.offset,
            chunk_bytes=CHUNK_BYTES,
            max_line_bytes=MAX_LINE_BYTES,
            progress=progress,
        )
        entries: list[ManifestEntry] = []
        next_offset = request.offset
        carried = 0
        end = True
        while (line := await reader.next()) is not None:
            if not line.counts:
                next_offset = line.end  # consumed even after a full page: `end` can be told
                continue
            size = line.end - line.start
            if len(entries) >= request.max_documents or (entries and carried + size > PAGE_BYTES):
                end = False
                break
            entries.append(parse_entry(request.first_index + len(entries), line))
            carried += size
            next_offset = line.end
        total = await count_documents(blobs, uri, progress) if request.count_total else None
    return ManifestPage(entries=entries, next_offset=next_offset, end=end, total=total)


async def count_documents(blobs: BlobStore, uri: str, progress: Progress | None = None) -> int:
    """Documents in the whole manifest (lines neither blank nor comments), streamed."""
    reader = LineReader(
        blobs, uri, chunk_bytes=COUNT_CHUNK_BYTES, max_line_bytes=MAX_LINE_BYTES, progress=progress
    )
    count = 0
    while (line := await reader.next()) is not None:
        count += line.counts
    return count


def parse_entry(index: int, line: Line) -> ManifestEntry:
    """The document on `line`, or an entry whose error says why there is none."""
    where = f"manifest line at byte {line.start}"
    if line.data is None:
        return _invalid(index, line, f"{where} is longer than {MAX_LINE_BYTES} bytes")
    try:
        text = line.data.decode("utf-8")
    except UnicodeDecodeError:
        return _invalid(index, line, f"{where} is not UTF-8 text")
    try:
        spec = DocumentSpec.model_validate_json(text)
    except ValidationError as exc:
        return _invalid(index, line, f"{where} is not a document: {_describe(exc, text)}")
    # The offset lets a batch that continues as new re-read lines it did not admit.
    return ManifestEntry(index=index, offset=line.start, spec=spec)


async def spill_documents(blobs: BlobStore, request: WriteManifestInput) -> ManifestWritten:
    """Write the documents as a manifest under a key of their own; same input, same bytes."""
    # The JSON form carries passwords in clear (DocumentSpec's serializer): they must survive.
    key = spilled_manifest_key(request.batch_id, request.first_index)
    ref = await write_manifest(blobs, key, request.documents)
    return ManifestWritten(manifest_uri=ref.uri, count=len(request.documents))


def _invalid(index: int, line: Line, message: str) -> ManifestEntry:
    if len(message) > MAX_ERROR:
        message = message[: MAX_ERROR - 3] + "..."
    return ManifestEntry(index=index, offset=line.start, error=message)


def _describe(exc: ValidationError, text: str) -> str:
    """The validation errors without the input values; a password on the line is masked even
    where a validator quotes its input (the URL's), and so is a URL's user:password@."""
    problems = []
    for error in exc.errors(include_url=False, include_input=False, include_context=False)[:3]:
        field = ".".join(str(part) for part in error["loc"])
        problems.append(f"{field}: {error['msg']}" if field else str(error["msg"]))
    message = "; ".join(problems)
    for secret in _secrets(text):
        message = message.replace(secret, "***")
    return _USERINFO.sub("***@", message)


def _secrets(text: str) -> list[str]:
    try:
        raw = json.loads(text)
    except ValueError:
        return []
    password = raw.get("password") if isinstance(raw, dict) else None
    return [password] if isinstance(password, str) and password else []


@contextmanager
def _refused_unless_ours(blobs: BlobStore, batch_id: str, uri: str) -> Iterator[None]:
    """A manifest outside this fleet's blob store, or none at all, is the request's fault."""
    try:
        blobs.key_of(uri)
        yield
    except ForeignBlobUri as exc:
        raise ManifestRefused(
            f"batch {batch_id}: the manifest must be in this fleet's blob store ({exc})"
        ) from exc
    except BlobNotFound as exc:
        raise ManifestRefused(f"batch {batch_id}: no manifest at {uri}") from exc
