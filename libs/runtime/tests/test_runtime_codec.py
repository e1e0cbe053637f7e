from __future__ import annotations

import base64
import json

import pytest
from pydantic import SecretStr
from temporalio.api.common.v1 import Payload
from temporalio.api.failure.v1 import Failure

from docfleet_runtime import (
    CodecConfigError,
    CodecSettings,
    DecryptionError,
    EncryptionCodec,
    UnknownKeyError,
    codec_from_environment,
    data_converter,
)
from docfleet_runtime.codec import new_key

CANARY = "CANARY-Acme-Secret-Text"
OLD, NEW = b"o" * 32, b"n" * 32


def b64(key: bytes) -> str:
    return base64.b64encode(key).decode()


async def test_converter_round_trip_hides_the_canary() -> None:
    converter = data_converter(EncryptionCodec({"k1": OLD}, "k1"))
    [payload] = await converter.encode([{"text": CANARY}])
    assert CANARY.encode() not in payload.SerializeToString()
    assert payload.metadata["encoding"] == b"binary/encrypted"
    assert payload.metadata["encryption-key-id"] == b"k1"
    assert await converter.decode([payload], [dict]) == [{"text": CANARY}]


async def test_rotation_encrypts_with_active_key_and_decrypts_old_and_new() -> None:
    plain = Payload(metadata={"encoding": b"json/plain"}, data=json.dumps(CANARY).encode())
    [old_sealed] = await EncryptionCodec({"2024": OLD}, "2024").encode([plain])
    rotated = EncryptionCodec({"2024": OLD, "2025": NEW}, "2025")
    [new_sealed] = await rotated.encode([plain])
    assert new_sealed.metadata["encryption-key-id"] == b"2025"
    assert await rotated.decode([old_sealed, new_sealed]) == [plain, plain]
    with pytest.raises(UnknownKeyError, match="unknown key id '2025'"):
        await EncryptionCodec({"2024": OLD}, "2024").decode([new_sealed])


async def test_wrong_key_under_known_id_or_tampering_is_refused() -> None:
    plain = Payload(metadata={"encoding": b"json/plain"}, data=b'"x"')
    [sealed] = await EncryptionCodec({"k": OLD}, "k").encode([plain])
    with pytest.raises(DecryptionError):
        await EncryptionCodec({"k": NEW}, "k").decode([sealed])
    relabelled = Payload(metadata={**sealed.metadata, "encryption-key-id": b"j"}, data=sealed.data)
    with pytest.raises(DecryptionError):  # the key id is authenticated data
        await EncryptionCodec({"k": OLD, "j": OLD}, "k").decode([relabelled])


async def test_unencrypted_payloads_pass_through_decode() -> None:
    plain = Payload(metadata={"encoding": b"json/plain"}, data=b'"old history"')
    assert await EncryptionCodec({"k": OLD}, "k").decode([plain]) == [plain]


def test_settings_read_keys_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCFLEET_CODEC_KEYS", json.dumps({"a": b64(OLD), "b": b64(NEW)}))
    monkeypatch.setenv("DOCFLEET_CODEC_ACTIVE_KEY", "b")
    codec = codec_from_environment()
    assert codec is not None
    assert (codec.active_key_id, codec.key_ids) == ("b", ["a", "b"])
    assert b64(OLD) not in repr(codec) and b64(OLD) not in repr(CodecSettings())


def test_single_key_is_active_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCFLEET_CODEC_KEYS", json.dumps({"only": new_key()}))
    monkeypatch.delenv("DOCFLEET_CODEC_ACTIVE_KEY", raising=False)
    codec = codec_from_environment()
    assert codec is not None and codec.active_key_id == "only"


def test_no_keys_means_no_codec(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DOCFLEET_CODEC_KEYS", raising=False)
    assert codec_from_environment() is None


@pytest.mark.parametrize(
    ("keys", "active", "message"),
    [
        ({"a": b64(OLD), "b": b64(NEW)}, None, "set DOCFLEET_CODEC_ACTIVE_KEY"),
        ({"a": b64(OLD)}, "z", "'z' is not among"),
        ({"a": b64(b"short")}, None, "is 5 bytes"),
        ({"a": "not base64!"}, None, "not valid base64"),
    ],
)
def test_bad_configuration_is_explained_without_the_key(
    keys: dict[str, str], active: str | None, message: str
) -> None:
    settings = CodecSettings(
        codec_keys={k: SecretStr(v) for k, v in keys.items()}, codec_active_key=active
    )
    with pytest.raises(CodecConfigError, match=message) as info:
        EncryptionCodec.from_settings(settings)
    assert all(value not in str(info.value) for value in keys.values())


def test_malformed_environment_never_echoes_key_material(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCFLEET_CODEC_KEYS", '{"a": ["SECRET-KEY-MATERIAL"]}')
    with pytest.raises(CodecConfigError) as info:
        codec_from_environment()
    assert "SECRET-KEY-MATERIAL" not in str(info.value)
    monkeypatch.setenv("DOCFLEET_CODEC_KEYS", "SECRET-KEY-MATERIAL")
    with pytest.raises(CodecConfigError) as info:
        codec_from_environment()
    assert "SECRET-KEY-MATERIAL" not in str(info.value)


async def test_failure_messages_are_encoded_too() -> None:
    converter = data_converter(EncryptionCodec({"k": OLD}, "k"))
    failure = Failure()
    await converter.encode_failure(RuntimeError(CANARY), failure)
    assert CANARY.encode() not in failure.SerializeToString()
    assert CANARY in str(await converter.decode_failure(failure))
