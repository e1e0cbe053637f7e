"""Client side of batch manifests: write a batch's documents, read back its results.

Both are JSON Lines in the blob store (see `docfleet_contracts.models.manifests`); the storage
worker reads the first and writes the second for the batch workflow.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from docfleet_blobstore.base import BlobStore
from docfleet_blobstore.parts import DEFAULT_PART_BYTES
from docfleet_contracts import BlobRef, DocumentResult, DocumentSpec

MANIFEST_CONTENT_TYPE = "application/x-ndjson"


def manifest_lines(specs: Iterable[DocumentSpec]) -> Iterator[bytes]:
    """One JSON line per document (passwords included: they are part of the request)."""
    for spec in specs:
        yield spec.model_dump_json(exclude_none=True).encode() + b"\n"


def _parts(lines: Iterable[bytes]) -> list[bytes]:
    parts: list[bytes] = []
    buffer = bytearray()
    for line in lines:
        buffer += line
        if len(buffer) >= DEFAULT_PART_BYTES:
            parts.append(bytes(buffer))
            buffer.clear()
    if buffer or not parts:
        parts.append(bytes(buffer))
    return parts


async def write_manifest(store: BlobStore, key: str, specs: Iterable[DocumentSpec]) -> BlobRef:
    """Write `specs` as a JSON Lines manifest under `key`."""
    parts: Sequence[bytes] = _parts(manifest_lines(specs))
    return await store.put_parts(key, parts, MANIFEST_CONTENT_TYPE)


def parse_results(data: bytes) -> list[DocumentResult]:
    """The rows of a results manifest."""
    return [DocumentResult.model_validate_json(line) for line in data.splitlines() if line.strip()]


async def read_results(store: BlobStore, ref: BlobRef) -> list[DocumentResult]:
    """Every row of a batch's results manifest, in batch order."""
    rows = parse_results(await store.read(ref))
    return sorted(rows, key=lambda row: (row.index is None, row.index or 0))
