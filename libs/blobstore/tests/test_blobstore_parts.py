from __future__ import annotations

import asyncio
import hashlib
import threading
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import overload

import pytest

from docfleet_blobstore import (
    MIN_PART_BYTES,
    TEMP_SUFFIX,
    BytesParts,
    FileBlobStore,
    FinishedPart,
    S3BlobStore,
    S3Options,
    UploadCheckpoint,
    open_blob_store,
)
from docfleet_contracts import BlobRef

MIB = 1024 * 1024


class ScriptedParts(Sequence[bytes]):
    """Parts that call `before(index)` first, like a source that can stall or break."""

    def __init__(self, parts: list[bytes], before: Callable[[int], None]) -> None:
        self.parts = parts
        self.before = before

    def __len__(self) -> int:
        return len(self.parts)

    @overload
    def __getitem__(self, index: int) -> bytes: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[bytes]: ...

    def __getitem__(self, index: int | slice) -> bytes | Sequence[bytes]:
        if isinstance(index, slice):
            raise TypeError("not sliced here")
        self.before(index)
        return self.parts[index]


def break_at(index: int) -> Callable[[int], None]:
    def before(i: int) -> None:
        if i == index:
            raise OSError("source broke")

    return before


def temp_files(root: Path) -> list[Path]:
    return sorted(root.rglob(f"*{TEMP_SUFFIX}"))


@pytest.fixture
async def s3_store(s3_options: S3Options, s3_bucket_url: str) -> AsyncIterator[S3BlobStore]:
    store = await open_blob_store(s3_bucket_url, s3_options)
    assert isinstance(store, S3BlobStore)
    async with store:
        yield store


async def parts_on_s3(store: S3BlobStore, key: str, upload_id: str) -> list[int]:
    listed = await store.client.raw.list_parts(
        Bucket=store.bucket, Key=store._key(key), UploadId=upload_id
    )
    return [int(p["PartNumber"]) for p in listed.get("Parts", [])]


def test_bytes_parts_cut_at_part_size() -> None:
    parts = BytesParts(b"abcdefghij", 4)
    assert list(parts) == [b"abcd", b"efgh", b"ij"]
    assert parts[-1] == b"ij"
    assert list(BytesParts(b"", 4)) == [b""]
    assert len(BytesParts(b"x" * 8, 4)) == 2


# --- file backend --------------------------------------------------------------------------------


async def test_file_put_parts_round_trip_reports_each_part(blob_store: FileBlobStore) -> None:
    data = bytes(range(256)) * 100
    seen: list[UploadCheckpoint] = []
    ref = await blob_store.put_parts(
        "results/b/d.txt", BytesParts(data, 10_000), "text/plain", on_part=seen.append
    )
    assert ref.sha256 == hashlib.sha256(data).hexdigest()
    assert ref.size == len(data)
    assert await blob_store.read(ref) == data
    assert [c.last_part for c in seen] == [1, 2, 3]
    assert all(c.upload_id is None for c in seen)  # nothing to resume on a folder
    assert seen[-1].part(3).sha256 == hashlib.sha256(data[20_000:]).hexdigest()
    assert await blob_store.unfinished_uploads() == []


async def test_file_put_parts_failure_keeps_old_file_and_leaves_no_temp(
    blob_store: FileBlobStore,
) -> None:
    old = await blob_store.put_text("results/b/d.txt", "old text")
    with pytest.raises(OSError, match="source broke"):
        await blob_store.put_parts(
            "results/b/d.txt", ScriptedParts([b"new ", b"text"], break_at(1)), "text/plain"
        )
    assert await blob_store.read_text(old) == "old text"
    assert temp_files(blob_store.root) == []
    assert await blob_store.unfinished_uploads() == []


async def test_file_put_file_of_missing_source_leaves_no_temp(
    blob_store: FileBlobStore, tmp_path: Path
) -> None:
    with pytest.raises(FileNotFoundError):
        await blob_store.put_file("sources/b/d", tmp_path / "absent.pdf", "application/pdf")
    assert temp_files(blob_store.root) == []
    assert not await blob_store.exists(blob_store.uri_for("sources/b/d"))


async def test_file_put_parts_cancelled_midway_leaves_no_temp(blob_store: FileBlobStore) -> None:
    gate = threading.Event()

    def stall_after_first(index: int) -> None:
        if index > 0:
            gate.wait(10)

    parts = ScriptedParts([b"one ", b"two ", b"three"], stall_after_first)
    loop = asyncio.get_running_loop()

    def cancel_after_first(_: UploadCheckpoint) -> None:
        task.cancel()
        loop.call_soon(gate.set)  # runs after the task has taken its cancellation

    task = asyncio.create_task(
        blob_store.put_parts("results/b/d.txt", parts, "text/plain", on_part=cancel_after_first)
    )
    with pytest.raises(asyncio.CancelledError):
        await task
    assert temp_files(blob_store.root) == []
    assert not await blob_store.exists(blob_store.uri_for("results/b/d.txt"))


async def test_file_temp_names_and_unfinished_uploads_listing(blob_store: FileBlobStore) -> None:
    await blob_store.put_text("results/b/d.json", "{}")
    stray = blob_store.root / "results" / "b" / f"d.json.abc123{TEMP_SUFFIX}"
    stray.write_bytes(b"half")  # what a killed process would leave
    assert await blob_store.unfinished_uploads("results/") == [stray.as_uri()]
    assert await blob_store.unfinished_uploads("text/") == []


# --- S3 backend ----------------------------------------------------------------------------------


@pytest.mark.integration
async def test_s3_multipart_resumes_with_only_the_missing_parts(s3_store: S3BlobStore) -> None:
    data = b"".join(bytes([i]) * MIN_PART_BYTES for i in range(2)) + b"tail" * 1000
    parts = BytesParts(data, MIN_PART_BYTES)
    first: list[UploadCheckpoint] = []

    def interrupt(checkpoint: UploadCheckpoint) -> None:
        first.append(checkpoint)
        task.cancel()  # as a lost worker's attempt is: after part 1, without any clean-up

    task = asyncio.create_task(
        s3_store.put_parts("big/x.txt", parts, "text/plain", on_part=interrupt)
    )
    with pytest.raises(asyncio.CancelledError):
        await task
    assert [c.last_part for c in first] == [1]
    upload_id = first[-1].upload_id
    assert upload_id is not None
    assert await parts_on_s3(s3_store, "big/x.txt", upload_id) == [1]
    assert len(await s3_store.unfinished_uploads("big/")) == 1
    assert await s3_store.unfinished_uploads("other/") == []

    second: list[UploadCheckpoint] = []
    ref = await s3_store.put_parts(
        "big/x.txt", parts, "text/plain", checkpoint=first[-1], on_part=second.append
    )

    assert [c.last_part for c in second] == [2, 3]  # part 1 was not sent again
    assert {c.upload_id for c in second} == {upload_id}
    assert second[-1].part(1) == first[-1].part(1)
    assert ref == BlobRef(
        uri=s3_store.uri_for("big/x.txt"),
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        content_type="text/plain",
    )
    assert await s3_store.read(ref) == data
    assert await s3_store.unfinished_uploads() == []


@pytest.mark.integration
async def test_s3_resume_of_a_vanished_upload_starts_over(s3_store: S3BlobStore) -> None:
    data = b"a" * MIN_PART_BYTES + b"b"
    stale = UploadCheckpoint(
        key="big/y.bin",
        upload_id="no-such-upload",
        parts_total=2,
        parts=[FinishedPart(number=1, etag='"x"', size=MIN_PART_BYTES, sha256="0" * 64)],
    )
    seen: list[UploadCheckpoint] = []
    ref = await s3_store.put_parts(
        "big/y.bin",
        BytesParts(data, MIN_PART_BYTES),
        "application/octet-stream",
        checkpoint=stale,
        on_part=seen.append,
    )
    assert [c.last_part for c in seen] == [1, 2]
    assert seen[0].upload_id != "no-such-upload"
    assert ref.sha256 == hashlib.sha256(data).hexdigest()
    assert await s3_store.read(ref) == data
    assert await s3_store.unfinished_uploads() == []


@pytest.mark.integration
async def test_s3_non_retryable_failure_aborts_the_upload(s3_store: S3BlobStore) -> None:
    # The first part is below S3's minimum: refused before it is sent, and the upload aborted.
    with pytest.raises(ValueError, match="at least"):
        await s3_store.put_parts("big/z.bin", [b"small", b"parts"], "application/octet-stream")
    assert await s3_store.unfinished_uploads() == []
    assert not await s3_store.exists(s3_store.uri_for("big/z.bin"))


@pytest.mark.integration
async def test_s3_one_part_is_a_plain_put(s3_store: S3BlobStore) -> None:
    seen: list[UploadCheckpoint] = []
    ref = await s3_store.put_parts(
        "small/a.json", BytesParts(b'{"a": 1}'), "application/json", on_part=seen.append
    )
    assert await s3_store.read(ref) == b'{"a": 1}'
    assert len(seen) == 1 and seen[0].upload_id is None and seen[0].parts_total == 1
    assert await s3_store.unfinished_uploads() == []
