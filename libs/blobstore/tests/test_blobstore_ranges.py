from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from docfleet_blobstore import (
    MIN_PART_BYTES,
    TEMP_SUFFIX,
    BlobNotFound,
    BlobStore,
    FileBlobStore,
    ForeignBlobUri,
    S3BlobStore,
    S3Options,
    open_blob_store,
)

BACKENDS = ["file", pytest.param("s3", marks=pytest.mark.integration)]


@pytest.fixture(params=BACKENDS)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[BlobStore]:
    if request.param == "file":
        opened: BlobStore = FileBlobStore(tmp_path / "blobs")
    else:
        options: S3Options = request.getfixturevalue("s3_options")
        opened = await open_blob_store(request.getfixturevalue("s3_bucket_url"), options)
    async with opened:
        yield opened


async def chunks_of(*pieces: bytes) -> AsyncIterator[bytes]:
    for piece in pieces:
        await asyncio.sleep(0)  # a real source awaits between chunks
        yield piece


async def test_get_range_reads_inside_across_and_past_the_end(store: BlobStore) -> None:
    ref = await store.put_bytes("m/a.bin", b"0123456789", "application/octet-stream")
    assert await store.get_range(ref.uri, 0, 4) == b"0123"
    assert await store.get_range(ref.uri, 3, 4) == b"3456"
    assert await store.get_range(ref.uri, 8, 100) == b"89"
    assert await store.get_range(ref.uri, 10, 5) == b""
    assert await store.get_range(ref.uri, 500, 5) == b""
    assert await store.get_range(ref.uri, 2, 0) == b""
    assert await store.size_of(ref.uri) == 10


async def test_get_range_of_an_empty_blob_is_empty(store: BlobStore) -> None:
    ref = await store.put_bytes("m/empty", b"", "application/octet-stream")
    assert await store.get_range(ref.uri, 0, 1024) == b""
    assert await store.size_of(ref.uri) == 0


async def test_ranged_reads_and_size_of_a_missing_blob_are_typed(store: BlobStore) -> None:
    uri = store.uri_for("m/none")
    with pytest.raises(BlobNotFound):
        await store.get_range(uri, 0, 10)
    with pytest.raises(BlobNotFound):
        await store.size_of(uri)


async def test_key_of_inverts_uri_for(store: BlobStore) -> None:
    assert store.key_of(store.uri_for("batches/b1/documents.jsonl")) == "batches/b1/documents.jsonl"
    for foreign in ("https://example.org/m.jsonl", "s3://elsewhere/blobs/m.jsonl", "file:///etc/x"):
        with pytest.raises(ForeignBlobUri):
            store.key_of(foreign)


@pytest.mark.integration
async def test_s3_key_of_refuses_the_bucket_outside_the_prefix(s3_bucket_url: str) -> None:
    store = await open_blob_store(s3_bucket_url, S3Options())  # nothing is sent: no endpoint use
    async with store:
        assert isinstance(store, S3BlobStore)
        # The readers accept any object of the bucket; key_of is stricter.
        for outside in (f"s3://{store.bucket}/other/m.jsonl", f"s3://{store.bucket}/blobs/"):
            with pytest.raises(ForeignBlobUri):
                store.key_of(outside)


async def test_put_stream_joins_chunks_with_the_whole_hash(store: BlobStore) -> None:
    pieces = [b"first line\n", b"", b"second line\n" * 1000, b"last"]
    ref = await store.put_stream("m/joined.jsonl", chunks_of(*pieces), "application/x-ndjson")
    whole = b"".join(pieces)
    assert ref.sha256 == hashlib.sha256(whole).hexdigest()
    assert ref.size == len(whole)
    assert ref.uri == store.uri_for("m/joined.jsonl")
    assert await store.read(ref) == whole
    empty = await store.put_stream("m/empty.jsonl", chunks_of(), "application/x-ndjson")
    assert await store.read(empty) == b"" and empty.size == 0
    assert await store.unfinished_uploads() == []


async def test_put_stream_failure_keeps_the_old_object_and_leaves_no_upload(
    store: BlobStore,
) -> None:
    old = await store.put_text("m/x.txt", "old")

    async def broken() -> AsyncIterator[bytes]:
        yield b"a" * (MIN_PART_BYTES + 10)  # past one part: S3 has begun a multipart upload
        yield b"b" * (MIN_PART_BYTES + 10)
        raise OSError("source broke")

    with pytest.raises(OSError, match="source broke"):
        await store.put_stream("m/x.txt", broken(), "text/plain", part_bytes=MIN_PART_BYTES)
    assert await store.read_text(old) == "old"
    assert await store.unfinished_uploads() == []


@pytest.mark.integration
async def test_s3_put_stream_above_a_part_is_a_multipart_upload(
    s3_options: S3Options, s3_bucket_url: str
) -> None:
    store = await open_blob_store(s3_bucket_url, s3_options)
    async with store:
        assert isinstance(store, S3BlobStore)
        pieces = [bytes([i]) * (MIN_PART_BYTES // 3 + 7) for i in range(7)]  # 2 parts and a rest
        ref = await store.put_stream(
            "m/big.bin", chunks_of(*pieces), "text/plain", part_bytes=MIN_PART_BYTES
        )
        whole = b"".join(pieces)
        assert await store.read(ref) == whole
        head = await store.client.raw.head_object(Bucket=store.bucket, Key=store._key("m/big.bin"))
        assert head["ETag"].strip('"').endswith("-3")  # a multipart ETag names its part count
        assert (
            await store.get_range(ref.uri, MIN_PART_BYTES - 2, 4)
            == whole[MIN_PART_BYTES - 2 : MIN_PART_BYTES + 2]
        )
        assert await store.unfinished_uploads() == []


async def test_file_put_stream_cancelled_leaves_no_temp(blob_store: FileBlobStore) -> None:
    started = asyncio.Event()
    gate = asyncio.Event()

    async def slow() -> AsyncIterator[bytes]:
        yield b"one "
        started.set()
        await gate.wait()
        yield b"two"

    task = asyncio.create_task(blob_store.put_stream("m/c.txt", slow(), "text/plain"))
    await started.wait()
    task.cancel()
    await asyncio.sleep(0.05)
    gate.set()  # the writer thread gets its chunk, sees the stop and removes its temp file
    with pytest.raises(asyncio.CancelledError):
        await task
    assert sorted(blob_store.root.rglob(f"*{TEMP_SUFFIX}")) == []
    assert not await blob_store.exists(blob_store.uri_for("m/c.txt"))
