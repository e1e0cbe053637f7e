"""Uploads in parts that survive a retry: the checkpoint model and the part sources.

A caller hands `put_parts` a sequence of parts and gets back an `UploadCheckpoint` after every
part it wrote. Given the last checkpoint again, a retry rewrites only the parts the checkpoint
does not list (or whose bytes changed). Every part is still read and hashed on a retry, so the
final `BlobRef.sha256` is always that of the whole object without a hash state to carry.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import overload

from pydantic import BaseModel, ConfigDict, Field

MIB = 1024 * 1024
MIN_PART_BYTES = 5 * MIB
"""S3 refuses parts smaller than this, except the last one of an upload."""

DEFAULT_PART_BYTES = 8 * MIB

TEMP_SUFFIX = ".docfleet-tmp"
"""Suffix of the file backend's temporary files (`<name>.<random>.docfleet-tmp`); none may
outlive a write, which the test invariant checker relies on."""


class FinishedPart(BaseModel):
    """One part already stored: enough to skip it on a retry and to complete the upload."""

    model_config = ConfigDict(extra="ignore")

    number: int = Field(ge=1, description="Part number, counting from 1.")
    etag: str = Field(description="What the backend answered for the part (S3 ETag).")
    size: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the part's bytes.")


class UploadCheckpoint(BaseModel):
    """How far an upload in parts got; travels as Temporal heartbeat details.

    `upload_id` is None where nothing can be resumed (the file backend, or a single-part
    object): a retry given such a checkpoint writes the object again from the start.
    """

    model_config = ConfigDict(extra="ignore")

    key: str = Field(description="The store key being written.")
    upload_id: str | None = Field(default=None, description="S3 multipart upload id.")
    parts_total: int = Field(ge=0)
    parts: list[FinishedPart] = Field(default_factory=list)
    last_part: int | None = Field(
        default=None, description="The part whose write produced this checkpoint."
    )

    def part(self, number: int) -> FinishedPart:
        """The finished part with this number."""
        return next(p for p in self.parts if p.number == number)


class BytesParts(Sequence[bytes]):
    """`data` cut into parts of `part_bytes` (the last one shorter), sliced only when read.

    Empty data is one empty part, so every object has at least one part.
    """

    def __init__(self, data: bytes, part_bytes: int = DEFAULT_PART_BYTES) -> None:
        if part_bytes < 1:
            raise ValueError("part_bytes must be positive")
        self.data = data
        self.part_bytes = part_bytes

    def __len__(self) -> int:
        return max(1, -(-len(self.data) // self.part_bytes))

    @overload
    def __getitem__(self, index: int) -> bytes: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[bytes]: ...

    def __getitem__(self, index: int | slice) -> bytes | Sequence[bytes]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        count = len(self)
        if index < 0:
            index += count
        if not 0 <= index < count:
            raise IndexError(index)
        start = index * self.part_bytes
        return self.data[start : start + self.part_bytes]


OnPart = Callable[[UploadCheckpoint], None]
"""Called after every part written, with the checkpoint that now holds it."""


@dataclass(frozen=True)
class WrittenParts:
    """What a pass over all parts produced: the whole object's hash and size, and its parts."""

    sha256: str
    size: int
    parts: list[FinishedPart]


async def write_missing_parts(
    key: str,
    parts: Sequence[bytes],
    upload_id: str | None,
    finished: dict[int, FinishedPart],
    write: Callable[[int, bytes], Awaitable[str]],
    on_part: OnPart | None,
) -> WrittenParts:
    """Read and hash every part in order; `write` only those `finished` lacks or that changed.

    `write(number, data)` stores one part and returns its etag.
    """
    whole = hashlib.sha256()
    size = 0
    done: list[FinishedPart] = []
    total = len(parts)
    for number in range(1, total + 1):
        data = bytes(parts[number - 1])
        # hashlib drops the GIL on large buffers, so hashing in a thread keeps the loop free.
        part_sha = await asyncio.to_thread(_hash_both, whole, data)
        size += len(data)
        prior = finished.get(number)
        if prior is not None and prior.sha256 == part_sha and prior.size == len(data):
            done.append(prior)
            continue
        etag = await write(number, data)
        done.append(FinishedPart(number=number, etag=etag, size=len(data), sha256=part_sha))
        if on_part is not None:
            on_part(
                UploadCheckpoint(
                    key=key,
                    upload_id=upload_id,
                    parts_total=total,
                    parts=list(done),
                    last_part=number,
                )
            )
    return WrittenParts(sha256=whole.hexdigest(), size=size, parts=done)


def _hash_both(whole: hashlib._Hash, data: bytes) -> str:
    whole.update(data)
    return hashlib.sha256(data).hexdigest()
