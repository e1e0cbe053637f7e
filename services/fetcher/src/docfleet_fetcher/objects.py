"""s3:// reads with the shared `S3Client`: head first for the size cap, then a streamed get."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from docfleet_blobstore import BlobStoreUnavailable, S3Client, split_s3_uri
from docfleet_blobstore.errors import ForeignBlobUri
from docfleet_fetcher.errors import (
    BadFetchRequest,
    BucketRefused,
    FetchError,
    SourceAccessDenied,
    SourceNotFound,
    TransientFetchError,
)
from docfleet_fetcher.settings import S3_BUCKETS_ENV
from docfleet_fetcher.spool import Spool
from docfleet_fetcher.urls import redact_url

CHUNK_BYTES = 1 << 20
_MISSING = {"NoSuchKey", "NoSuchBucket", "404", "NotFound"}
_DENIED = {"AccessDenied", "403", "Forbidden", "InvalidAccessKeyId", "SignatureDoesNotMatch"}


class S3Source:
    """Downloads `s3://bucket/key` objects through a client opened once per process."""

    def __init__(self, client: S3Client, *, allowed_buckets: Iterable[str] = ()) -> None:
        self._client = client
        self._buckets = frozenset(allowed_buckets)

    def check_bucket(self, bucket: str) -> None:
        """Refuse a bucket the operator did not list; an empty list refuses them all."""
        if not self._buckets:
            raise BucketRefused(
                f"refused: s3:// URLs are disabled on this worker; set {S3_BUCKETS_ENV} to a "
                "JSON list of the buckets they may read ('[\"*\"]' for any)"
            )
        if "*" not in self._buckets and bucket not in self._buckets:
            raise BucketRefused(f"refused: bucket {bucket!r} is not listed in {S3_BUCKETS_ENV}")

    async def download(self, url: str, spool: Spool) -> None:
        """Stream the object into `spool`; refuses before reading when its size is over the cap."""
        where = redact_url(url)
        try:
            bucket, key = split_s3_uri(url)
        except ForeignBlobUri as exc:
            raise BadFetchRequest(str(exc)) from None
        self.check_bucket(bucket)
        if not key:
            raise BadFetchRequest(f"{where} names a bucket, not an object")
        try:
            head = await self._client.head(bucket, key)
            if head is None:
                raise SourceNotFound(f"{where}: no such object")
            spool.check_declared_size(head.get("ContentLength"), where)
            response: dict[str, Any] = await self._client.raw.get_object(Bucket=bucket, Key=key)
            async with response["Body"] as body:
                async for chunk in body.iter_chunks(CHUNK_BYTES):
                    spool.write(chunk)
        except ClientError as exc:
            raise _translate(exc, where) from exc
        except NoCredentialsError as exc:
            raise _no_credentials(where) from exc
        except BlobStoreUnavailable as exc:
            # S3Client wraps every botocore error; a missing credential is not worth a retry.
            if isinstance(exc.__cause__, NoCredentialsError):
                raise _no_credentials(where) from exc
            raise TransientFetchError(f"{where}: S3 unreachable ({exc})") from exc
        except (TimeoutError, BotoCoreError, OSError) as exc:
            raise TransientFetchError(f"{where}: S3 unreachable ({exc})") from exc


def _translate(exc: ClientError, url: str) -> FetchError:
    error = exc.response.get("Error", {})
    code = str(error.get("Code", ""))
    if code in _MISSING:
        return SourceNotFound(f"{url}: no such object ({code})")
    if code in _DENIED:
        return SourceAccessDenied(f"{url}: access denied by S3 ({code})")
    status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
    if status >= 500 or status in (408, 429) or code in {"SlowDown", "RequestTimeout"}:
        return TransientFetchError(f"{url}: S3 error {code or status}")
    return BadFetchRequest(f"{url}: S3 refused the request ({code or status})")


def _no_credentials(url: str) -> SourceAccessDenied:
    return SourceAccessDenied(f"{url}: no S3 credentials are configured on this worker")
