"""Folder backend: the embedded default, one file per key under a root folder."""

from __future__ import annotations

import asyncio
import hashlib
import os
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from docfleet_blobstore.base import BlobStore, blob_ref
from docfleet_blobstore.errors import BlobNotFound, ForeignBlobUri
from docfleet_contracts import BlobRef


class FileBlobStore(BlobStore):
    """Blobs as files under `root`; writes are atomic (temp file, then rename)."""

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
        await asyncio.to_thread(_write_atomic, path, data)
        return blob_ref(path.as_uri(), data, content_type)

    async def put_file(self, key: str, path: Path, content_type: str) -> BlobRef:
        target = self._path_for_key(key)
        digest, size = await asyncio.to_thread(_copy_atomic, path, target)
        return BlobRef(uri=target.as_uri(), sha256=digest, size=size, content_type=content_type)

    async def get_bytes(self, uri: str) -> bytes:
        path = self._path_for_uri(uri)
        try:
            return await asyncio.to_thread(path.read_bytes)
        except FileNotFoundError:
            raise BlobNotFound(f"no blob at {uri}") from None

    async def exists(self, uri: str) -> bool:
        return self._path_for_uri(uri).is_file()


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _copy_atomic(source: Path, target: Path) -> tuple[str, int]:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    digest = hashlib.sha256()
    size = 0
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            while chunk := src.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return digest.hexdigest(), size
