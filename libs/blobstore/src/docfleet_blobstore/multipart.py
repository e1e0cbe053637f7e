"""S3 multipart uploads that resume from a checkpoint.

A retryable failure (S3 unreachable, a cancelled attempt) keeps the upload, so the next attempt,
given the last checkpoint, sends only the parts still missing. Any other failure aborts it, so no
half-written upload is left to pay for. An upload that a crash leaves behind for good is what
the bucket's `AbortIncompleteMultipartUpload` lifecycle rule is for.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from docfleet_blobstore.errors import BlobStoreUnavailable, UploadGone
from docfleet_blobstore.parts import (
    MIN_PART_BYTES,
    FinishedPart,
    OnPart,
    UploadCheckpoint,
    write_missing_parts,
)
from docfleet_blobstore.s3errors import s3_errors
from docfleet_contracts import BlobRef

if TYPE_CHECKING:
    from docfleet_blobstore.s3 import S3Client

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MultipartTarget:
    """One object being written: its bucket and full S3 key, and the store key checkpoints name."""

    client: S3Client
    bucket: str
    s3_key: str
    key: str
    content_type: str

    @property
    def where(self) -> str:
        return f"s3://{self.bucket}/{self.s3_key}"

    async def put_whole(self, data: bytes) -> str:
        with s3_errors(self.where):
            response = await self.client.raw.put_object(
                Bucket=self.bucket, Key=self.s3_key, Body=data, ContentType=self.content_type
            )
        return str(response.get("ETag", ""))

    async def create(self) -> str:
        with s3_errors(self.where):
            response = await self.client.raw.create_multipart_upload(
                Bucket=self.bucket, Key=self.s3_key, ContentType=self.content_type
            )
        return str(response["UploadId"])

    async def upload_part(self, upload_id: str, number: int, data: bytes) -> str:
        with s3_errors(self.where):
            response = await self.client.raw.upload_part(
                Bucket=self.bucket,
                Key=self.s3_key,
                UploadId=upload_id,
                PartNumber=number,
                Body=data,
            )
        return str(response["ETag"])

    async def listed_parts(self, upload_id: str) -> dict[int, tuple[str, int]]:
        """The parts S3 holds for the upload: number -> (etag, size); `UploadGone` if none."""
        listed: dict[int, tuple[str, int]] = {}
        marker = 0
        while True:
            with s3_errors(self.where):
                page: dict[str, Any] = await self.client.raw.list_parts(
                    Bucket=self.bucket, Key=self.s3_key, UploadId=upload_id, PartNumberMarker=marker
                )
            for part in page.get("Parts", []):
                listed[int(part["PartNumber"])] = (str(part["ETag"]), int(part["Size"]))
            if not page.get("IsTruncated"):
                return listed
            marker = int(page["NextPartNumberMarker"])

    async def complete(self, upload_id: str, parts: list[FinishedPart]) -> None:
        with s3_errors(self.where):
            await self.client.raw.complete_multipart_upload(
                Bucket=self.bucket,
                Key=self.s3_key,
                UploadId=upload_id,
                MultipartUpload={
                    "Parts": [{"ETag": p.etag, "PartNumber": p.number} for p in parts]
                },
            )

    async def abort(self, upload_id: str) -> None:
        """Abort, best effort: the failure that led here is what the caller must see."""
        try:
            with s3_errors(self.where):
                await self.client.raw.abort_multipart_upload(
                    Bucket=self.bucket, Key=self.s3_key, UploadId=upload_id
                )
        except Exception as exc:
            log.warning("could not abort the multipart upload of %s: %s", self.where, exc)


async def put_in_parts(
    target: MultipartTarget,
    uri: str,
    parts: Sequence[bytes],
    checkpoint: UploadCheckpoint | None,
    on_part: OnPart | None,
) -> BlobRef:
    """Write `parts` as one object: a plain PUT for one part, else a (resumed) multipart upload."""
    total = len(parts)
    if total <= 1:
        data = bytes(parts[0]) if total else b""
        return await _put_single(target, uri, data, checkpoint, on_part)
    upload_id, finished = await _resume(target, checkpoint)
    if upload_id is None:
        upload_id = await target.create()
    active = upload_id

    async def write(number: int, data: bytes) -> str:
        if number < total and len(data) < MIN_PART_BYTES:
            raise ValueError(
                f"part {number} of {target.where} has {len(data)} bytes; S3 needs at least "
                f"{MIN_PART_BYTES} in every part but the last"
            )
        return await target.upload_part(active, number, data)

    try:
        written = await write_missing_parts(target.key, parts, active, finished, write, on_part)
        await target.complete(active, written.parts)
    except (BlobStoreUnavailable, UploadGone):
        raise  # worth retrying: the next attempt resumes this upload, or starts over if it is gone
    except Exception:
        await target.abort(active)
        raise
    return BlobRef(
        uri=uri, sha256=written.sha256, size=written.size, content_type=target.content_type
    )


async def _put_single(
    target: MultipartTarget,
    uri: str,
    data: bytes,
    checkpoint: UploadCheckpoint | None,
    on_part: OnPart | None,
) -> BlobRef:
    etag = await target.put_whole(data)
    if checkpoint is not None and checkpoint.key == target.key and checkpoint.upload_id:
        await target.abort(checkpoint.upload_id)  # the object shrank to one part since then
    digest = hashlib.sha256(data).hexdigest()
    if on_part is not None:
        part = FinishedPart(number=1, etag=etag, size=len(data), sha256=digest)
        on_part(UploadCheckpoint(key=target.key, parts_total=1, parts=[part], last_part=1))
    return BlobRef(uri=uri, sha256=digest, size=len(data), content_type=target.content_type)


async def _resume(
    target: MultipartTarget, checkpoint: UploadCheckpoint | None
) -> tuple[str | None, dict[int, FinishedPart]]:
    """The upload to continue and its parts that S3 still holds as the checkpoint lists them."""
    if checkpoint is None or checkpoint.key != target.key or checkpoint.upload_id is None:
        return None, {}
    try:
        listed = await target.listed_parts(checkpoint.upload_id)
    except UploadGone:
        log.info("upload of %s is gone; starting over", target.where)
        return None, {}
    finished = {
        part.number: part
        for part in checkpoint.parts
        if listed.get(part.number) == (part.etag, part.size)
    }
    return checkpoint.upload_id, finished


async def list_uploads(client: S3Client, bucket: str, prefix: str) -> list[str]:
    """`s3://bucket/key?uploadId=...` for every multipart upload in progress under `prefix`."""
    found: list[str] = []
    markers: dict[str, str] = {}
    while True:
        with s3_errors(f"s3://{bucket}/{prefix}"):
            page: dict[str, Any] = await client.raw.list_multipart_uploads(
                Bucket=bucket, Prefix=prefix, **markers
            )
        for upload in page.get("Uploads", []):
            found.append(f"s3://{bucket}/{upload['Key']}?uploadId={upload['UploadId']}")
        if not page.get("IsTruncated"):
            return sorted(found)
        markers = {"KeyMarker": page["NextKeyMarker"], "UploadIdMarker": page["NextUploadIdMarker"]}
