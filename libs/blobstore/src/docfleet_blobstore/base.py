"""The blob-store port: services write and read bytes by key and pass `BlobRef`s around."""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import AsyncIterable, Sequence
from pathlib import Path

from docfleet_blobstore.errors import BlobIntegrityError
from docfleet_blobstore.parts import DEFAULT_PART_BYTES, OnPart, UploadCheckpoint
from docfleet_contracts import BlobRef


class BlobStore(ABC):
    """Where document bytes and long text live, so Temporal history carries only references."""

    @abstractmethod
    def uri_for(self, key: str) -> str:
        """The URI a blob written under `key` will have."""

    @abstractmethod
    async def put_bytes(self, key: str, data: bytes, content_type: str) -> BlobRef:
        """Write `data` under `key` (replacing what was there) and return its reference."""

    @abstractmethod
    async def put_file(self, key: str, path: Path, content_type: str) -> BlobRef:
        """Write a local file under `key` without holding it all in memory where possible."""

    @abstractmethod
    async def put_parts(
        self,
        key: str,
        parts: Sequence[bytes],
        content_type: str,
        *,
        checkpoint: UploadCheckpoint | None = None,
        on_part: OnPart | None = None,
    ) -> BlobRef:
        """Write the concatenation of `parts` under `key`, calling `on_part` after each part.

        Given the last checkpoint of an earlier, interrupted call for the same key, backends
        that can resume write only the parts it does not list. `parts` may be lazy (any
        sequence); every part is read once per call. The result's sha256 is of the whole object.
        """

    @abstractmethod
    async def put_stream(
        self,
        key: str,
        chunks: AsyncIterable[bytes],
        content_type: str,
        *,
        part_bytes: int = DEFAULT_PART_BYTES,
    ) -> BlobRef:
        """Write the concatenation of `chunks` under `key`, holding about one part in memory.

        For objects built from sources read asynchronously (other blobs), which a `put_parts`
        sequence cannot read. Nothing resumes: a failed or cancelled call leaves the old object
        (or none) and no upload behind, and a retry writes the whole again.
        """

    @abstractmethod
    async def unfinished_uploads(self, prefix: str = "") -> list[str]:
        """One URI per upload begun under the key `prefix` and neither finished nor abandoned
        (S3 multipart uploads, the file backend's temporary files); for invariant checks."""

    @abstractmethod
    async def get_bytes(self, uri: str) -> bytes:
        """Read the blob at `uri`; raises `BlobNotFound` when absent."""

    @abstractmethod
    async def exists(self, uri: str) -> bool:
        """Whether a blob exists at `uri`."""

    @abstractmethod
    async def get_range(self, uri: str, start: int, length: int) -> bytes:
        """Bytes [start, start + length) of the blob at `uri`: fewer at its end, none past it.

        Raises `BlobNotFound` when the blob is absent.
        """

    @abstractmethod
    async def size_of(self, uri: str) -> int:
        """Size in bytes of the blob at `uri`; raises `BlobNotFound` when absent."""

    @abstractmethod
    def key_of(self, uri: str) -> str:
        """The key of `uri` in this store, the inverse of `uri_for`.

        Raises `ForeignBlobUri` when `uri` lies outside the store: another scheme, bucket,
        prefix or folder. Stricter than the readers, which accept any object of the bucket.
        """

    async def close(self) -> None:  # noqa: B027 - most backends hold nothing to close
        """Release connections."""

    async def read(self, ref: BlobRef) -> bytes:
        """Read a blob and check it still matches its reference."""
        data = await self.get_bytes(ref.uri)
        if hashlib.sha256(data).hexdigest() != ref.sha256:
            raise BlobIntegrityError(f"{ref.uri} does not match its SHA-256 any more")
        return data

    async def read_text(self, ref: BlobRef) -> str:
        """Read a UTF-8 text blob."""
        return (await self.read(ref)).decode("utf-8")

    async def put_text(self, key: str, text: str) -> BlobRef:
        """Write UTF-8 text."""
        return await self.put_bytes(key, text.encode("utf-8"), "text/plain; charset=utf-8")

    async def __aenter__(self) -> BlobStore:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


def blob_ref(uri: str, data: bytes, content_type: str) -> BlobRef:
    """A reference for `data` stored at `uri`."""
    return BlobRef(
        uri=uri, sha256=hashlib.sha256(data).hexdigest(), size=len(data), content_type=content_type
    )
