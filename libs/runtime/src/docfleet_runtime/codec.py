"""Optional payload encryption: an AES-256-GCM `PayloadCodec` with named keys for rotation.

Encrypted payloads carry `encoding: binary/encrypted` and `encryption-key-id: <id>` in their
metadata; the body is a 12-byte nonce followed by the AES-GCM ciphertext of the serialized
original payload, authenticated together with the key id.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Mapping, Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict, SettingsError
from temporalio.api.common.v1 import Payload
from temporalio.converter import PayloadCodec

ENCODING = b"binary/encrypted"
KEY_ID_METADATA = "encryption-key-id"
KEY_BYTES = 32
NONCE_BYTES = 12


class CodecConfigError(ValueError):
    """The codec keys or the active key id are unusable (bad base64, wrong length, unknown id)."""


class UnknownKeyError(ValueError):
    """A payload was encrypted with a key id this process does not know."""


class DecryptionError(ValueError):
    """A payload failed authentication: wrong key material under a known id, or tampering."""


class CodecSettings(BaseSettings):
    """`DOCFLEET_CODEC_*`: payload encryption keys; no keys means no encryption."""

    model_config = SettingsConfigDict(env_prefix="DOCFLEET_", extra="ignore")

    codec_keys: dict[str, SecretStr] = Field(
        default_factory=dict,
        description='JSON object {"key-id": "<base64 of 32 random bytes>", ...}; empty: no codec.',
    )
    codec_active_key: str | None = Field(
        default=None,
        description="Key id used to encrypt; default: the only key when exactly one is set.",
    )

    def active_key_id(self) -> str:
        """The id new payloads are encrypted with."""
        if self.codec_active_key is not None:
            if self.codec_active_key not in self.codec_keys:
                raise CodecConfigError(
                    f"DOCFLEET_CODEC_ACTIVE_KEY={self.codec_active_key!r} is not among the "
                    f"configured key ids {sorted(self.codec_keys)}"
                )
            return self.codec_active_key
        if len(self.codec_keys) != 1:
            raise CodecConfigError(
                f"{len(self.codec_keys)} codec keys configured: set DOCFLEET_CODEC_ACTIVE_KEY"
            )
        return next(iter(self.codec_keys))


def decode_key(key_id: str, encoded: SecretStr) -> bytes:
    """The raw 32-byte key from its base64 form (the error never repeats the value)."""
    try:
        raw = base64.b64decode(encoded.get_secret_value(), validate=True)
    except (binascii.Error, ValueError):
        raise CodecConfigError(f"codec key {key_id!r} is not valid base64") from None
    if len(raw) != KEY_BYTES:
        raise CodecConfigError(
            f"codec key {key_id!r} is {len(raw)} bytes; AES-256 needs {KEY_BYTES}"
        )
    return raw


class EncryptionCodec(PayloadCodec):
    """Encrypts with the active key; decrypts with any known key; passes other payloads through."""

    def __init__(self, keys: Mapping[str, bytes], active_key_id: str) -> None:
        if active_key_id not in keys:
            raise CodecConfigError(f"active key id {active_key_id!r} is not among the keys")
        for key_id, key in keys.items():
            if len(key) != KEY_BYTES:
                raise CodecConfigError(f"codec key {key_id!r} must be {KEY_BYTES} bytes")
        self._ciphers = {key_id: AESGCM(key) for key_id, key in keys.items()}
        self.active_key_id = active_key_id

    @classmethod
    def from_settings(cls, settings: CodecSettings) -> EncryptionCodec | None:
        """The codec the settings describe, or None when no key is configured."""
        if not settings.codec_keys:
            return None
        keys = {key_id: decode_key(key_id, value) for key_id, value in settings.codec_keys.items()}
        return cls(keys, settings.active_key_id())

    @property
    def key_ids(self) -> list[str]:
        return sorted(self._ciphers)

    def __repr__(self) -> str:
        return f"EncryptionCodec(active_key_id={self.active_key_id!r}, key_ids={self.key_ids})"

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self.encrypt(p) for p in payloads]

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self.decrypt(p) for p in payloads]

    def encrypt(self, payload: Payload) -> Payload:
        key_id = self.active_key_id.encode()
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._ciphers[self.active_key_id].encrypt(
            nonce, payload.SerializeToString(), key_id
        )
        return Payload(
            metadata={"encoding": ENCODING, KEY_ID_METADATA: key_id}, data=nonce + sealed
        )

    def decrypt(self, payload: Payload) -> Payload:
        if payload.metadata.get("encoding") != ENCODING:
            return payload  # written before encryption was enabled, or by another codec
        key_id = payload.metadata.get(KEY_ID_METADATA, b"").decode(errors="replace")
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            raise UnknownKeyError(
                f"payload encrypted with unknown key id {key_id!r}; known: {self.key_ids}. "
                "Add that key to DOCFLEET_CODEC_KEYS to read it."
            )
        try:
            plain = cipher.decrypt(
                payload.data[:NONCE_BYTES], payload.data[NONCE_BYTES:], key_id.encode()
            )
        except InvalidTag:
            raise DecryptionError(
                f"payload under key id {key_id!r} failed authentication (wrong key or tampered)"
            ) from None
        return Payload.FromString(plain)


def codec_from_environment() -> EncryptionCodec | None:
    """The codec configured by `DOCFLEET_CODEC_KEYS` / `DOCFLEET_CODEC_ACTIVE_KEY`, if any."""
    try:
        settings = CodecSettings()
    except SettingsError:
        raise CodecConfigError("DOCFLEET_CODEC_KEYS is not a JSON object") from None
    except ValidationError as exc:
        # pydantic would echo the offending value, which may be key material.
        where = ", ".join(".".join(map(str, e["loc"])) for e in exc.errors())
        raise CodecConfigError(f"invalid codec settings at {where}") from None
    return EncryptionCodec.from_settings(settings)


def new_key() -> str:
    """A fresh random key, base64-encoded, ready for `DOCFLEET_CODEC_KEYS`."""
    return base64.b64encode(os.urandom(KEY_BYTES)).decode()
