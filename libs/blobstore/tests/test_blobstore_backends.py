from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from docfleet_blobstore import (
    BlobIntegrityError,
    BlobNotFound,
    BlobStore,
    BlobStoreUnavailable,
    FileBlobStore,
    ForeignBlobUri,
    S3Options,
    open_blob_store,
)
from docfleet_devstack.process import docker_engine_available, free_port

BACKENDS = ["file", pytest.param("s3", marks=pytest.mark.integration)]
if docker_engine_available():  # MinIO joins only where a Docker engine can run it
    BACKENDS.append(pytest.param("minio", marks=pytest.mark.integration))


@pytest.fixture(params=BACKENDS)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[BlobStore]:
    if request.param == "file":
        opened: BlobStore = FileBlobStore(tmp_path / "blobs")
    else:
        server = "moto_endpoint" if request.param == "s3" else "minio_endpoint"
        endpoint = request.getfixturevalue(server)
        url = request.getfixturevalue("s3_bucket_url")
        opened = await open_blob_store(url, S3Options(endpoint_url=endpoint, create_bucket=True))
    async with opened:
        yield opened


async def test_round_trip_keeps_bytes_and_hash(store: BlobStore) -> None:
    data = b"%PDF-1.7 not really\x00\xff" * 1000
    ref = await store.put_bytes("sources/b1/d1", data, "application/pdf")
    assert ref.sha256 == hashlib.sha256(data).hexdigest()
    assert ref.size == len(data)
    assert ref.uri == store.uri_for("sources/b1/d1")
    assert await store.read(ref) == data
    assert await store.exists(ref.uri)


async def test_put_file_streams_from_disk(store: BlobStore, tmp_path: Path) -> None:
    source = tmp_path / "big.bin"
    source.write_bytes(bytes(range(256)) * 8192)
    ref = await store.put_file("sources/b1/big", source, "application/octet-stream")
    assert ref.size == 256 * 8192
    assert await store.read(ref) == source.read_bytes()


async def test_rewrite_under_same_key_is_idempotent(store: BlobStore) -> None:
    first = await store.put_text("results/b/d.json", '{"a": 1}')
    second = await store.put_text("results/b/d.json", '{"a": 1}')
    assert first == second


async def test_missing_blob_is_typed(store: BlobStore) -> None:
    uri = store.uri_for("nothing/here")
    assert not await store.exists(uri)
    with pytest.raises(BlobNotFound):
        await store.get_bytes(uri)


async def test_changed_bytes_fail_integrity_check(store: BlobStore) -> None:
    ref = await store.put_text("text/x.txt", "original")
    await store.put_text("text/x.txt", "tampered")
    with pytest.raises(BlobIntegrityError):
        await store.read(ref)


async def test_file_store_refuses_keys_and_uris_outside_its_root(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path / "blobs")
    with pytest.raises(ForeignBlobUri):
        await store.put_text("../escape.txt", "x")
    (tmp_path / "secret.txt").write_text("secret")
    with pytest.raises(ForeignBlobUri):
        await store.get_bytes((tmp_path / "secret.txt").as_uri())


@pytest.mark.integration
async def test_s3_store_down_is_unavailable_not_missing(s3_bucket_url: str) -> None:
    # Nothing listens on this port: the error must say "unavailable" (retryable), not "missing".
    options = S3Options(endpoint_url=f"http://127.0.0.1:{free_port()}", connect_timeout=1)
    store = await open_blob_store(s3_bucket_url, options)
    async with store:
        with pytest.raises(BlobStoreUnavailable):
            await store.get_bytes(store.uri_for("any"))
