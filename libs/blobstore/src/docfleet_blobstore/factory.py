"""Open the blob store a URL names: `file:///folder`, a bare folder path, or `s3://bucket/prefix`."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from docfleet_blobstore.base import BlobStore
from docfleet_blobstore.filesystem import FileBlobStore
from docfleet_blobstore.s3 import S3BlobStore, S3Options


async def open_blob_store(url: str, s3: S3Options | None = None) -> BlobStore:
    """The store for `url`; close it (or use `async with`) when done."""
    parts = urlsplit(url)
    if parts.scheme == "s3":
        return await S3BlobStore.open(url, s3 or S3Options())
    if parts.scheme == "file":
        return FileBlobStore(Path(unquote(parts.path)))
    if parts.scheme == "":
        return FileBlobStore(Path(url))
    raise ValueError(f"blob store URL {url!r}: use file:///folder or s3://bucket/prefix")


class BlobSettings(Protocol):
    """The blob-store fields every worker's settings carry (see `docfleet_runtime`)."""

    blob_url: str
    s3_endpoint_url: str | None
    s3_region: str
    s3_create_bucket: bool


def s3_options_from(settings: BlobSettings) -> S3Options:
    """S3 connection options from a worker's settings."""
    return S3Options(
        endpoint_url=settings.s3_endpoint_url,
        region=settings.s3_region,
        create_bucket=settings.s3_create_bucket,
    )


async def open_configured_store(settings: BlobSettings) -> BlobStore:
    """The blob store a worker's settings name."""
    return await open_blob_store(settings.blob_url, s3_options_from(settings))
