"""The blob stores the manifest tests run against: a folder, and S3 on the session's moto."""

from __future__ import annotations

from pathlib import Path

import pytest

from docfleet_blobstore import BlobStore, FileBlobStore, S3Options, open_blob_store

BACKENDS = ["file", pytest.param("s3", marks=pytest.mark.integration)]


async def open_store(request: pytest.FixtureRequest, tmp_path: Path) -> BlobStore:
    """The backend `request.param` names; the caller closes it."""
    if request.param == "file":
        return FileBlobStore(tmp_path / "blobs")
    options: S3Options = request.getfixturevalue("s3_options")
    return await open_blob_store(request.getfixturevalue("s3_bucket_url"), options)
