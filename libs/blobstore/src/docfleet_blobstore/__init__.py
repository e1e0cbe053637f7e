"""One blob-store interface, two backends: a local folder and S3 (aiobotocore)."""

from docfleet_blobstore.base import BlobStore, blob_ref
from docfleet_blobstore.errors import (
    BlobIntegrityError,
    BlobNotFound,
    BlobStoreError,
    BlobStoreUnavailable,
    ForeignBlobUri,
    UploadGone,
)
from docfleet_blobstore.factory import (
    BlobSettings,
    open_blob_store,
    open_configured_store,
    s3_options_from,
)
from docfleet_blobstore.filesystem import FileBlobStore
from docfleet_blobstore.parts import (
    DEFAULT_PART_BYTES,
    MIN_PART_BYTES,
    TEMP_SUFFIX,
    BytesParts,
    FinishedPart,
    OnPart,
    UploadCheckpoint,
)
from docfleet_blobstore.s3 import S3BlobStore, S3Client, S3Options, split_s3_uri

__all__ = [
    "DEFAULT_PART_BYTES",
    "MIN_PART_BYTES",
    "TEMP_SUFFIX",
    "BlobIntegrityError",
    "BlobNotFound",
    "BlobSettings",
    "BlobStore",
    "BlobStoreError",
    "BlobStoreUnavailable",
    "BytesParts",
    "FileBlobStore",
    "FinishedPart",
    "ForeignBlobUri",
    "OnPart",
    "S3BlobStore",
    "S3Client",
    "S3Options",
    "UploadCheckpoint",
    "UploadGone",
    "blob_ref",
    "open_blob_store",
    "open_configured_store",
    "s3_options_from",
    "split_s3_uri",
]
