"""S3 uploads from an async stream of chunks, holding about one part in memory.

Unlike `put_parts`, nothing resumes: the sources are read once, so a failed or cancelled
upload is aborted and the next attempt writes the whole object again.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterable

from docfleet_blobstore.multipart import MultipartTarget
from docfleet_blobstore.parts import MIN_PART_BYTES, FinishedPart
from docfleet_contracts import BlobRef


async def put_streamed(
    target: MultipartTarget, uri: str, chunks: AsyncIterable[bytes], part_bytes: int
) -> BlobRef:
    """One `PutObject` when the whole fits in a part, else a multipart upload of `part_bytes`
    parts (the last one shorter), aborted on any failure."""
    if part_bytes < MIN_PART_BYTES:
        raise ValueError(f"part_bytes must be at least {MIN_PART_BYTES} (S3's minimum part)")
    whole = hashlib.sha256()
    size = 0
    buffer = bytearray()
    upload_id: str | None = None
    parts: list[FinishedPart] = []
    try:
        async for chunk in chunks:
            whole.update(chunk)
            size += len(chunk)
            buffer += chunk
            # Strictly more than a part: an object of exactly one part stays a plain PUT.
            while len(buffer) > part_bytes:
                if upload_id is None:
                    upload_id = await target.create()
                data = bytes(buffer[:part_bytes])
                del buffer[:part_bytes]
                parts.append(await _send(target, upload_id, len(parts) + 1, data))
        if upload_id is None:
            await target.put_whole(bytes(buffer))
        else:
            if buffer:
                parts.append(await _send(target, upload_id, len(parts) + 1, bytes(buffer)))
            await target.complete(upload_id, parts)
    except BaseException:
        if upload_id is not None:
            await target.abort(upload_id)
        raise
    return BlobRef(uri=uri, sha256=whole.hexdigest(), size=size, content_type=target.content_type)


async def _send(target: MultipartTarget, upload_id: str, number: int, data: bytes) -> FinishedPart:
    etag = await target.upload_part(upload_id, number, data)
    digest = await asyncio.to_thread(lambda: hashlib.sha256(data).hexdigest())
    return FinishedPart(number=number, etag=etag, size=len(data), sha256=digest)
