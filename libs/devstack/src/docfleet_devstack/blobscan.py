"""Read a blob store by raw means (folder walk, S3 listing) to check what the fleet left there."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from docfleet_blobstore import BlobNotFound, S3Client, S3Options

TMP_MARKER = ".docfleet-tmp"
"""In the name of every temporary blob the stores write before publishing it."""

LEGACY_TMP_PREFIX = ".tmp-"
"""Temporary files of the folder store before it used `TMP_MARKER`."""


def is_temporary(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    return TMP_MARKER in name or base.startswith(LEGACY_TMP_PREFIX)


def _folder(blob_url: str) -> Path:
    parts = urlsplit(blob_url)
    return Path(unquote(parts.path)) if parts.scheme == "file" else Path(blob_url)


def _bucket_prefix(blob_url: str) -> tuple[str, str]:
    parts = urlsplit(blob_url)
    prefix = parts.path.strip("/")
    return parts.netloc, f"{prefix}/" if prefix else ""


def _is_s3(blob_url: str) -> bool:
    return urlsplit(blob_url).scheme == "s3"


async def read_objects(
    blob_url: str, keys: Iterable[str], s3_options: S3Options | None = None
) -> dict[str, bytes]:
    """The bytes stored under each of `keys` (store keys, as `naming` makes them); missing keys
    are left out."""
    keys = list(keys)
    found: dict[str, bytes] = {}
    if not _is_s3(blob_url):
        root = _folder(blob_url)
        for key in keys:
            if (root / key).is_file():
                found[key] = (root / key).read_bytes()
        return found
    bucket, prefix = _bucket_prefix(blob_url)
    client = await S3Client(s3_options or S3Options()).open()
    try:
        for key in keys:
            try:
                found[key] = await client.get(bucket, prefix + key)
            except BlobNotFound:
                pass
    finally:
        await client.close()
    return found


async def find_leftovers(blob_url: str, s3_options: S3Options | None = None) -> list[str]:
    """Temporary objects anywhere in the store: files or keys named as temporary, and (S3)
    multipart uploads never completed nor aborted."""
    if not _is_s3(blob_url):
        root = _folder(blob_url)
        if not root.exists():
            return []
        return sorted(str(p) for p in root.rglob("*") if p.is_file() and is_temporary(p.name))
    bucket, prefix = _bucket_prefix(blob_url)
    client = await S3Client(s3_options or S3Options()).open()
    try:
        keys = await _list_keys(client.raw, bucket, prefix)
        uploads = await _list_uploads(client.raw, bucket, prefix)
    finally:
        await client.close()
    return [f"s3://{bucket}/{key}" for key in keys if is_temporary(key)] + [
        f"unfinished multipart upload of s3://{bucket}/{key} (upload id {upload_id})"
        for key, upload_id in uploads
    ]


async def _list_keys(raw: Any, bucket: str, prefix: str) -> list[str]:
    keys: list[str] = []
    async for page in raw.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        keys += [item["Key"] for item in page.get("Contents", [])]
    return keys


async def _list_uploads(raw: Any, bucket: str, prefix: str) -> list[tuple[str, str]]:
    uploads: list[tuple[str, str]] = []
    paginator = raw.get_paginator("list_multipart_uploads")
    async for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
        uploads += [(item["Key"], item["UploadId"]) for item in page.get("Uploads", [])]
    return uploads
