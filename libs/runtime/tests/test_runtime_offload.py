from __future__ import annotations

import asyncio
import hashlib
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from temporalio.api.common.v1 import Payload
from temporalio.converter import (
    ExternalStorage,
    StorageDriverClaim,
    StorageDriverRetrieveContext,
    StorageDriverStoreContext,
)

from docfleet_blobstore import BlobStore, FileBlobStore, S3Options, open_blob_store
from docfleet_runtime import (
    BlobPayloadDriver,
    EncryptionCodec,
    OffloadConfigError,
    OffloadedPayloadCorrupt,
    OffloadedPayloadError,
    OffloadedPayloadMissing,
    data_converter,
    offload_from_environment,
)
from docfleet_runtime.offload import DEFAULT_THRESHOLD, LazyBlobStore, external_storage

STORE = StorageDriverStoreContext()
RETRIEVE = StorageDriverRetrieveContext()
CANARY = "CANARY-Acme-Secret-Text"
BACKENDS = ["file", pytest.param("s3", marks=pytest.mark.integration)]


def payload(text: str) -> Payload:
    return Payload(metadata={"encoding": b"json/plain"}, data=f'"{text}"'.encode())


def file_driver(root: Path) -> BlobPayloadDriver:
    async def opener() -> BlobStore:
        return FileBlobStore(root)

    return BlobPayloadDriver(LazyBlobStore(opener))


@pytest.fixture(params=BACKENDS)
async def lazy(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[LazyBlobStore]:
    if request.param == "file":
        url, options = (tmp_path / "blobs").as_uri(), None
    else:
        url = request.getfixturevalue("s3_bucket_url")
        options = S3Options(
            endpoint_url=request.getfixturevalue("moto_endpoint"), create_bucket=True
        )

    async def opener() -> BlobStore:
        return await open_blob_store(url, options)

    store = LazyBlobStore(opener)
    yield store
    await store.close()


async def test_payloads_round_trip_under_their_content_address(lazy: LazyBlobStore) -> None:
    driver = BlobPayloadDriver(lazy)
    originals = [payload("a" * 5000), payload(CANARY)]
    claims = await driver.store(STORE, originals)

    store = await lazy.get()
    for original, claim in zip(originals, claims, strict=True):
        digest = hashlib.sha256(original.SerializeToString()).hexdigest()
        assert dict(claim.claim_data) == {
            "uri": store.uri_for(f"payloads/{digest}"),
            "sha256": digest,
        }
        assert await store.exists(claim.claim_data["uri"])
    assert await driver.retrieve(RETRIEVE, claims) == originals


async def test_altered_blob_is_refused(lazy: LazyBlobStore) -> None:
    driver = BlobPayloadDriver(lazy)
    [claim] = await driver.store(STORE, [payload(CANARY)])
    digest = claim.claim_data["sha256"]
    await (await lazy.get()).put_bytes(
        f"payloads/{digest}", payload("forged").SerializeToString(), "application/x-protobuf"
    )
    with pytest.raises(OffloadedPayloadCorrupt, match=f"reference says {digest}"):
        await driver.retrieve(RETRIEVE, [claim])


async def test_missing_blob_names_the_uri_and_the_likely_cause(lazy: LazyBlobStore) -> None:
    uri = (await lazy.get()).uri_for("payloads/" + "0" * 64)
    claim = StorageDriverClaim(claim_data={"uri": uri, "sha256": "0" * 64})
    with pytest.raises(OffloadedPayloadMissing, match="same blob store") as info:
        await BlobPayloadDriver(lazy).retrieve(RETRIEVE, [claim])
    assert uri in str(info.value)


@pytest.mark.parametrize(
    "claim_data",
    [{"uri": "file:///etc/passwd"}, {"uri": "file:///x", "sha256": "../../../etc/passwd"}],
)
async def test_malformed_reference_is_refused(tmp_path: Path, claim_data: dict[str, str]) -> None:
    with pytest.raises(OffloadedPayloadError, match="lacks uri or sha256"):
        await file_driver(tmp_path).retrieve(RETRIEVE, [StorageDriverClaim(claim_data)])


async def test_identical_payload_is_written_once(tmp_path: Path) -> None:
    driver = file_driver(tmp_path)
    [first] = await driver.store(STORE, [payload("same")])
    written = list((tmp_path / "payloads").iterdir())
    inode = written[0].stat().st_ino
    [second] = await driver.store(STORE, [payload("same")])
    assert first == second
    assert list((tmp_path / "payloads").iterdir()) == written
    assert written[0].stat().st_ino == inode  # an atomic rewrite would give a new inode


async def test_concurrent_first_use_opens_the_store_once(tmp_path: Path) -> None:
    opened: list[FileBlobStore] = []

    async def opener() -> BlobStore:
        await asyncio.sleep(0.05)  # an S3 open takes a round trip; let the callers pile up
        opened.append(FileBlobStore(tmp_path))
        return opened[-1]

    driver = BlobPayloadDriver(LazyBlobStore(opener))
    claims = await asyncio.gather(*(driver.store(STORE, [payload(str(i))]) for i in range(20)))
    assert len(opened) == 1
    assert len({c[0].claim_data["uri"] for c in claims}) == 20


async def test_a_failed_open_is_retried_by_the_next_caller(tmp_path: Path) -> None:
    attempts = 0

    async def opener() -> BlobStore:
        nonlocal attempts
        attempts += 1
        if attempts == 1:
            raise ConnectionError("S3 not up yet")
        return FileBlobStore(tmp_path)

    driver = BlobPayloadDriver(LazyBlobStore(opener))
    with pytest.raises(ConnectionError):
        await driver.store(STORE, [payload("x")])
    assert len(await driver.store(STORE, [payload("x")])) == 1
    assert attempts == 2


async def test_a_store_moved_to_another_folder_still_resolves_by_content(tmp_path: Path) -> None:
    [claim] = await file_driver(tmp_path / "old").store(STORE, [payload(CANARY)])
    moved = file_driver(tmp_path / "new")
    with pytest.raises(OffloadedPayloadMissing):
        await moved.retrieve(RETRIEVE, [claim])
    shutil.copytree(tmp_path / "old", tmp_path / "new", dirs_exist_ok=True)
    assert await moved.retrieve(RETRIEVE, [claim]) == [payload(CANARY)]


async def test_with_codec_history_gets_a_plain_reference_and_the_blob_ciphertext(
    tmp_path: Path,
) -> None:
    codec = EncryptionCodec({"k1": b"k" * 32}, "k1")
    converter = data_converter(codec, external_storage(file_driver(tmp_path), 1024))
    value = {"text": CANARY * 10_000}
    [reference] = await converter.encode([value])

    assert reference.ByteSize() < 1024
    assert reference.metadata["messageType"] == b"temporal.api.sdk.v1.ExternalStorageReference"
    [blob] = (tmp_path / "payloads").iterdir()
    assert blob.stat().st_size > 200_000
    assert CANARY.encode() not in blob.read_bytes()
    assert Payload.FromString(blob.read_bytes()).metadata["encoding"] == b"binary/encrypted"
    assert await converter.decode([reference], [dict]) == [value]


async def test_small_payloads_stay_inline(tmp_path: Path) -> None:
    converter = data_converter(None, external_storage(file_driver(tmp_path), 1024))
    [inline] = await converter.encode(["short"])
    assert inline.data == b'"short"'
    assert not (tmp_path / "payloads").exists()


async def test_threshold_zero_offloads_nothing_but_still_reads_references(tmp_path: Path) -> None:
    writer = data_converter(None, external_storage(file_driver(tmp_path), 1024))
    reader = data_converter(None, external_storage(file_driver(tmp_path), 0))
    big = "x" * 50_000
    [inline] = await reader.encode([big])
    assert inline.ByteSize() > 50_000
    [reference] = await writer.encode([big])
    assert await reader.decode([reference], [str]) == [big]


def test_environment_defaults_to_256_kib(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DOCFLEET_PAYLOAD_OFFLOAD_BYTES", raising=False)
    assert offload_from_environment().payload_size_threshold == DEFAULT_THRESHOLD == 262_144
    monkeypatch.setenv("DOCFLEET_PAYLOAD_OFFLOAD_BYTES", "1024")
    assert offload_from_environment().payload_size_threshold == 1024


@pytest.mark.parametrize("value", ["-1", "lots"])
def test_bad_threshold_names_the_variable(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("DOCFLEET_PAYLOAD_OFFLOAD_BYTES", value)
    with pytest.raises(OffloadConfigError, match="DOCFLEET_PAYLOAD_OFFLOAD_BYTES"):
        offload_from_environment()


def test_processes_share_one_store_per_configuration(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def store_of(storage: ExternalStorage) -> LazyBlobStore:
        [driver] = storage.drivers
        assert isinstance(driver, BlobPayloadDriver)
        return driver.blob_store

    monkeypatch.setenv("DOCFLEET_BLOB_URL", tmp_path.as_uri())
    first = store_of(offload_from_environment())
    assert store_of(offload_from_environment()) is first
    monkeypatch.setenv("DOCFLEET_BLOB_URL", (tmp_path / "other").as_uri())
    assert store_of(offload_from_environment()) is not first
