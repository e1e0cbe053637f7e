"""One blob-store interface, two backends: a local folder and S3 (aiobotocore)."""

from docfleet_blobstore.base import BlobStore, blob_ref
from docfleet_blobstore.errors import (
    BlobIntegrityError,
    BlobNotFound,
    BlobStoreError,
    BlobStoreUnavailable,
    ForeignBlobUri,
)
from docfleet_blobstore.factory import (
    BlobSettings,
    open_blob_store,
    open_configured_store,
    s3_options_from,
)
from docfleet_blobstore.filesystem import FileBlobStore
from docfleet_blobstore.s3 import S3BlobStore, S3Client, S3Options, split_s3_uri

__all__ = [
    "BlobIntegrityError",
    "BlobNotFound",
    "BlobSettings",
    "BlobStore",
    "BlobStoreError",
    "BlobStoreUnavailable",
    "FileBlobStore",
    "ForeignBlobUri",
    "S3BlobStore",
    "S3Client",
    "S3Options",
    "blob_ref",
    "open_blob_store",
    "open_configured_store",
    "s3_options_from",
    "split_s3_uri",
]
