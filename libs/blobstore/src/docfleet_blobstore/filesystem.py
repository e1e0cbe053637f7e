"""Folder backend: the embedded default, one file per key under a root folder."""

from __future__ import annotations

import asyncio
import contextvars
import functools
import threading
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar
from urllib.parse import unquote, urlsplit

from docfleet_blobstore.atomic import write_atomic
from docfleet_blobstore.base import BlobStore
from docfleet_blobstore.errors import BlobNotFound, ForeignBlobUri
from docfleet_blobstore.parts import (
    DEFAULT_PART_BYTES,
    TEMP_SUFFIX,
    FinishedPart,
    OnPart,
    UploadCheckpoint,
)
from docfleet_contracts import BlobRef

T = TypeVar("T")


class FileBlobStore(BlobStore):
    """Blobs as files under `root`; every write is atomic (temp file, fsync, rename).

    `put_parts` does not resume: a local write is cheap to redo, and a temporary file left for
    a later attempt would break the rule that none outlives a write. A checkpoint is accepted
    and ignored; the ones it reports carry no upload id.
    """

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def uri_for(self, key: str) -> str:
        return self._path_for_key(key).as_uri()

    def _path_for_key(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root) or path == self.root:
            raise ForeignBlobUri(f"key {key!r} escapes the blob root")
        return path

    def _path_for_uri(self, uri: str) -> Path:
        parts = urlsplit(uri)
        if parts.scheme != "file":
            raise ForeignBlobUri(f"{uri} is not a file:// URI; this store is {self.root.as_uri()}")
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(self.root):
            raise ForeignBlobUri(f"{uri} lies outside this store's folder {self.root}")
        return path

    async def put_bytes(self, key: str, data: bytes, content_type: str) -> BlobRef:
        path = self._path_for_key(key)
        return await self._write(path, [data], content_type)

    async def put_file(self, key: str, path: Path, content_type: str) -> BlobRef:
        target = self._path_for_key(key)
        return await self._write(target, _read_chunks(path), content_type)

    async def put_parts(
        self,
        key: str,
        parts: Sequence[bytes],
        content_type: str,
        *,
        checkpoint: UploadCheckpoint | None = None,
        on_part: OnPart | None = None,
    ) -> BlobRef:
        target = self._path_for_key(key)
        loop = asyncio.get_running_loop()
        total = len(parts)
        done: list[FinishedPart] = []

        def after_chunk(index: int, sha256: str, size: int) -> None:
            # Runs in the writer thread; the callback runs on the event loop, queued ahead of
            # the write's completion, so every report is delivered before put_parts returns.
            done.append(FinishedPart(number=index + 1, etag=sha256, size=size, sha256=sha256))
            if on_part is not None:
                point = UploadCheckpoint(
                    key=key, parts_total=total, parts=list(done), last_part=index + 1
                )
                loop.call_soon_threadsafe(on_part, point)

        chunks = (bytes(parts[i]) for i in range(total))
        return await self._write(target, chunks, content_type, after_chunk)

    async def put_stream(
        self,
        key: str,
        chunks: AsyncIterable[bytes],
        content_type: str,
        *,
        part_bytes: int = DEFAULT_PART_BYTES,
    ) -> BlobRef:
        target = self._path_for_key(key)
        source = aiter(chunks)
        try:
            return await self._write(
                target, _pulled(source, asyncio.get_running_loop()), content_type
            )
        finally:
            close = getattr(source, "aclose", None)
            if close is not None:
                await close()

    async def _write(
        self,
        target: Path,
        chunks: Iterable[bytes],
        content_type: str,
        after_chunk: Callable[[int, str, int], None] | None = None,
    ) -> BlobRef:
        stop = threading.Event()
        digest, size = await _in_thread_to_the_end(
            stop, functools.partial(write_atomic, target, chunks, stop, after_chunk)
        )
        return BlobRef(uri=target.as_uri(), sha256=digest, size=size, content_type=content_type)

    async def unfinished_uploads(self, prefix: str = "") -> list[str]:
        def scan() -> list[str]:
            if not self.root.is_dir():
                return []
            found = (p for p in self.root.rglob(f"*{TEMP_SUFFIX}") if p.is_file())
            return sorted(
                p.as_uri() for p in found if p.relative_to(self.root).as_posix().startswith(prefix)
            )

        return await asyncio.to_thread(scan)

    async def get_bytes(self, uri: str) -> bytes:
        path = self._path_for_uri(uri)
        try:
            return await asyncio.to_thread(path.read_bytes)
        except FileNotFoundError:
            raise BlobNotFound(f"no blob at {uri}") from None

    async def exists(self, uri: str) -> bool:
        return self._path_for_uri(uri).is_file()

    async def get_range(self, uri: str, start: int, length: int) -> bytes:
        path = self._path_for_uri(uri)

        def read() -> bytes:
            with path.open("rb") as f:
                f.seek(start)
                return f.read(max(0, length))

        try:
            return await asyncio.to_thread(read)
        except (FileNotFoundError, IsADirectoryError):
            raise BlobNotFound(f"no blob at {uri}") from None

    async def size_of(self, uri: str) -> int:
        path = self._path_for_uri(uri)
        try:
            stat = await asyncio.to_thread(path.stat)
        except FileNotFoundError:
            raise BlobNotFound(f"no blob at {uri}") from None
        if not path.is_file():
            raise BlobNotFound(f"no blob at {uri}")
        return stat.st_size

    def key_of(self, uri: str) -> str:
        path = self._path_for_uri(uri)
        if path == self.root:
            raise ForeignBlobUri(f"{uri} is this store's folder, not a blob in it")
        return path.relative_to(self.root).as_posix()


async def _in_thread_to_the_end(stop: threading.Event, call: Callable[[], T]) -> T:
    """Run `call` in a thread; if this task is cancelled, ask it to `stop` and wait for it, so
    its temporary file is gone before the cancellation goes on."""
    context = contextvars.copy_context()
    future = asyncio.get_running_loop().run_in_executor(None, context.run, call)
    try:
        return await asyncio.shield(future)
    except asyncio.CancelledError:
        stop.set()
        await asyncio.wait([future])
        if not future.cancelled():
            future.exception()  # retrieved: the cancellation is what goes on, not this error
        raise


def _read_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as source:
        while chunk := source.read(1 << 20):
            yield chunk


def _pulled(source: AsyncIterator[bytes], loop: asyncio.AbstractEventLoop) -> Iterator[bytes]:
    """`source` as a blocking iterator for the writer thread: each chunk is awaited on `loop`."""

    async def next_chunk() -> bytes:
        return await anext(source)

    while True:
        try:
            yield asyncio.run_coroutine_threadsafe(next_chunk(), loop).result()
        except StopAsyncIteration:
            return
