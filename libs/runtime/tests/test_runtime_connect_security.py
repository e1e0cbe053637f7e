from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from temporalio.service import TLSConfig

from docfleet_devstack.process import free_port
from docfleet_runtime import connect_client, connect_config
from docfleet_runtime.codec import new_key

API_KEY = "tcld-SECRET-API-KEY-0123456789"


@pytest.fixture
def cloud_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> tuple[bytes, bytes]:
    cert, key = b"-----CLIENT CERT PEM-----\n", b"-----CLIENT PRIVATE KEY PEM-----\n"
    (tmp_path / "client.pem").write_bytes(cert)
    (tmp_path / "client.key").write_bytes(key)
    monkeypatch.setenv("TEMPORAL_CONFIG_FILE", str(tmp_path / "absent.toml"))
    monkeypatch.delenv("TEMPORAL_PROFILE", raising=False)
    monkeypatch.setenv("TEMPORAL_API_KEY", API_KEY)
    monkeypatch.setenv("TEMPORAL_TLS_CLIENT_CERT_PATH", str(tmp_path / "client.pem"))
    monkeypatch.setenv("TEMPORAL_TLS_CLIENT_KEY_PATH", str(tmp_path / "client.key"))
    monkeypatch.setenv("TEMPORAL_TLS_SERVER_NAME", "docs.tmprl.cloud")
    return cert, key


def test_connect_config_picks_up_api_key_and_client_certificate(
    cloud_env: tuple[bytes, bytes],
) -> None:
    config = connect_config()
    assert config["api_key"] == API_KEY
    tls = config["tls"]
    assert isinstance(tls, TLSConfig)
    assert (tls.client_cert, tls.client_private_key, tls.domain) == (
        *cloud_env,
        "docs.tmprl.cloud",
    )


async def test_failed_connections_never_log_credentials_or_codec_keys(
    cloud_env: tuple[bytes, bytes],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    codec_key = new_key()
    monkeypatch.setenv("DOCFLEET_CODEC_KEYS", json.dumps({"k1": codec_key}))
    caplog.set_level(logging.DEBUG)
    with pytest.raises(RuntimeError) as info:
        await connect_client(f"127.0.0.1:{free_port()}", wait_seconds=0.5)
    assert "retrying" in caplog.text and "payload encryption on" in caplog.text
    secrets = [API_KEY, codec_key, *(s.decode().strip() for s in cloud_env)]
    for secret in secrets:
        assert secret not in caplog.text
        assert secret not in str(info.value)
