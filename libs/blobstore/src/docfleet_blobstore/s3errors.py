"""What aiobotocore raises, translated into blob-store errors (retryable or not, typed)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from botocore.exceptions import BotoCoreError, ClientError

from docfleet_blobstore.errors import BlobNotFound, BlobStoreUnavailable, UploadGone

_MISSING = {"NoSuchKey", "404", "NotFound", "NoSuchBucket"}


@contextmanager
def s3_errors(where: str) -> Iterator[None]:
    """Translate what aiobotocore raises into blob-store errors for the object `where`."""
    try:
        yield
    except ClientError as exc:
        translated = _translate(exc, where)
        if translated is exc:
            raise
        raise translated from exc
    except (TimeoutError, BotoCoreError, OSError) as exc:
        raise BlobStoreUnavailable(f"S3 unreachable: {exc}") from exc


def error_code(exc: ClientError) -> str:
    """The S3 error code of a client error (`NoSuchKey`, `InvalidRange`, ...)."""
    return str(exc.response.get("Error", {}).get("Code", ""))


def _translate(exc: ClientError, where: str) -> Exception:
    code = error_code(exc)
    if code in _MISSING:
        return BlobNotFound(f"no blob at {where}")
    if code == "NoSuchUpload":
        return UploadGone(f"the multipart upload of {where} no longer exists")
    status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
    if status >= 500 or code in {"SlowDown", "ServiceUnavailable", "InternalError"}:
        return BlobStoreUnavailable(f"S3 error {code} at {where}")
    return exc
