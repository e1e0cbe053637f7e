"""S3 backend over aiobotocore: AWS S3, MinIO, R2 or any S3 API (endpoint configurable)."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterable, Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiobotocore.config import AioConfig
from aiobotocore.session import get_session
from botocore.exceptions import BotoCoreError, ClientError

from docfleet_blobstore.base import BlobStore, blob_ref
from docfleet_blobstore.errors import BlobNotFound, BlobStoreUnavailable, ForeignBlobUri
from docfleet_blobstore.multipart import MultipartTarget, list_uploads, put_in_parts
from docfleet_blobstore.parts import DEFAULT_PART_BYTES, OnPart, UploadCheckpoint
from docfleet_blobstore.s3errors import error_code, s3_errors
from docfleet_blobstore.streamed import put_streamed
from docfleet_contracts import BlobRef


@dataclass(frozen=True)
class S3Options:
    """How to reach the S3 API; credentials come from the standard AWS variables or profile."""

    endpoint_url: str | None = None
    region: str = "us-east-1"
    create_bucket: bool = False
    connect_timeout: float = 5.0
    read_timeout: float = 60.0


def split_s3_uri(uri: str) -> tuple[str, str]:
    """`s3://bucket/some/key` -> (`bucket`, `some/key`)."""
    parts = urlsplit(uri)
    if parts.scheme != "s3" or not parts.netloc:
        raise ForeignBlobUri(f"{uri} is not an s3://bucket/key URI")
    return parts.netloc, parts.path.lstrip("/")


class S3Client:
    """A thin async S3 client, opened once per process and shared by its users."""

    def __init__(self, options: S3Options) -> None:
        self.options = options
        self._stack = AsyncExitStack()
        self._client: Any = None

    async def open(self) -> S3Client:
        config = AioConfig(
            connect_timeout=self.options.connect_timeout,
            read_timeout=self.options.read_timeout,
            retries={"max_attempts": 3, "mode": "standard"},
            s3={"addressing_style": "path"},
        )
        self._client = await self._stack.enter_async_context(
            get_session().create_client(
                "s3",
                endpoint_url=self.options.endpoint_url,
                region_name=self.options.region,
                config=config,
            )
        )
        return self

    async def close(self) -> None:
        await self._stack.aclose()

    @property
    def raw(self) -> Any:
        if self._client is None:
            raise RuntimeError("S3Client.open() was not awaited")
        return self._client

    async def get(self, bucket: str, key: str) -> bytes:
        with s3_errors(f"s3://{bucket}/{key}"):
            response = await self.raw.get_object(Bucket=bucket, Key=key)
            async with response["Body"] as body:
                data: bytes = await body.read()
                return data

    async def get_range(self, bucket: str, key: str, start: int, length: int) -> bytes:
        """Bytes [start, start + length) of an object; b"" past its end."""
        if length <= 0:
            return b""
        try:
            with s3_errors(f"s3://{bucket}/{key}"):
                response = await self.raw.get_object(
                    Bucket=bucket, Key=key, Range=f"bytes={start}-{start + length - 1}"
                )
                async with response["Body"] as body:
                    data: bytes = await body.read()
                    return data
        except ClientError as exc:
            if error_code(exc) == "InvalidRange":  # 416: the range starts past the end
                return b""
            raise

    async def put(self, bucket: str, key: str, body: Any, content_type: str) -> None:
        with s3_errors(f"s3://{bucket}/{key}"):
            await self.raw.put_object(Bucket=bucket, Key=key, Body=body, ContentType=content_type)

    async def head(self, bucket: str, key: str) -> dict[str, Any] | None:
        try:
            with s3_errors(f"s3://{bucket}/{key}"):
                head: dict[str, Any] = await self.raw.head_object(Bucket=bucket, Key=key)
                return head
        except BlobNotFound:
            return None

    async def ensure_bucket(self, bucket: str) -> None:
        try:
            await self.raw.head_bucket(Bucket=bucket)
        except ClientError:
            await self.raw.create_bucket(Bucket=bucket)
        except (TimeoutError, BotoCoreError, OSError) as exc:
            raise BlobStoreUnavailable(f"S3 unreachable: {exc}") from exc


class S3BlobStore(BlobStore):
    """Blobs as objects under `s3://bucket/prefix/`."""

    def __init__(self, bucket: str, prefix: str, client: S3Client) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.client = client

    @classmethod
    async def open(cls, url: str, options: S3Options) -> S3BlobStore:
        bucket, prefix = split_s3_uri(url if "/" in url[5:] else url + "/")
        client = await S3Client(options).open()
        if options.create_bucket:
            await client.ensure_bucket(bucket)
        return cls(bucket, prefix, client)

    def _key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def uri_for(self, key: str) -> str:
        return f"s3://{self.bucket}/{self._key(key)}"

    def _own(self, uri: str) -> str:
        bucket, key = split_s3_uri(uri)
        if bucket != self.bucket:
            raise ForeignBlobUri(f"{uri} is not in this store's bucket {self.bucket}")
        return key

    async def put_bytes(self, key: str, data: bytes, content_type: str) -> BlobRef:
        await self.client.put(self.bucket, self._key(key), data, content_type)
        return blob_ref(self.uri_for(key), data, content_type)

    async def put_file(self, key: str, path: Path, content_type: str) -> BlobRef:
        digest, size = await asyncio.to_thread(_hash_file, path)
        with path.open("rb") as body:
            await self.client.put(self.bucket, self._key(key), body, content_type)
        return BlobRef(uri=self.uri_for(key), sha256=digest, size=size, content_type=content_type)

    async def put_parts(
        self,
        key: str,
        parts: Sequence[bytes],
        content_type: str,
        *,
        checkpoint: UploadCheckpoint | None = None,
        on_part: OnPart | None = None,
    ) -> BlobRef:
        target = MultipartTarget(self.client, self.bucket, self._key(key), key, content_type)
        return await put_in_parts(target, self.uri_for(key), parts, checkpoint, on_part)

    async def put_stream(
        self,
        key: str,
        chunks: AsyncIterable[bytes],
        content_type: str,
        *,
        part_bytes: int = DEFAULT_PART_BYTES,
    ) -> BlobRef:
        target = MultipartTarget(self.client, self.bucket, self._key(key), key, content_type)
        source = aiter(chunks)
        try:
            return await put_streamed(target, self.uri_for(key), source, part_bytes)
        finally:
            close = getattr(source, "aclose", None)
            if close is not None:
                await close()

    async def unfinished_uploads(self, prefix: str = "") -> list[str]:
        return await list_uploads(self.client, self.bucket, self._key(prefix))

    async def get_bytes(self, uri: str) -> bytes:
        return await self.client.get(self.bucket, self._own(uri))

    async def exists(self, uri: str) -> bool:
        return await self.client.head(self.bucket, self._own(uri)) is not None

    async def get_range(self, uri: str, start: int, length: int) -> bytes:
        return await self.client.get_range(self.bucket, self._own(uri), start, length)

    async def size_of(self, uri: str) -> int:
        head = await self.client.head(self.bucket, self._own(uri))
        if head is None:
            raise BlobNotFound(f"no blob at {uri}")
        return int(head["ContentLength"])

    def key_of(self, uri: str) -> str:
        s3_key = self._own(uri)
        if not self.prefix:
            return s3_key
        if not s3_key.startswith(self.prefix + "/") or s3_key == self.prefix + "/":
            raise ForeignBlobUri(
                f"{uri} is not under this store's prefix s3://{self.bucket}/{self.prefix}/"
            )
        return s3_key[len(self.prefix) + 1 :]

    async def close(self) -> None:
        await self.client.close()


def _hash_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size
