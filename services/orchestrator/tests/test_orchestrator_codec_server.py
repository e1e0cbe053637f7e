"""The codec server over real HTTP: token, CORS for the Web UI origin only, encode/decode."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from pydantic import SecretStr
from temporalio.api.common.v1 import Payload

from docfleet_devstack.process import free_port
from docfleet_orchestrator.codec_server import build_app
from docfleet_runtime import EncryptionCodec
from docfleet_runtime.codec import new_key

TOKEN = "test-token-0123456789abcdef"
UI = "http://localhost:8233"
CANARY = "CANARY-Acme-Secret-Text"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def plain_json_payload(value: object) -> dict[str, Any]:
    return {
        "metadata": {"encoding": b64(b"json/plain")},
        "data": b64(json.dumps(value).encode()),
    }


def wire(payload: Payload) -> dict[str, Any]:
    """A payload as the codec-server protocol carries it."""
    return {
        "metadata": {k: b64(v) for k, v in payload.metadata.items()},
        "data": b64(payload.data),
    }


@pytest.fixture
def codec() -> EncryptionCodec:
    return EncryptionCodec({"k1": base64.b64decode(new_key())}, "k1")


@pytest.fixture
async def base_url(codec: EncryptionCodec) -> AsyncIterator[str]:
    runner = web.AppRunner(build_app(codec, SecretStr(TOKEN), UI))
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


async def post(url: str, body: object, headers: dict[str, str]) -> tuple[int, Any, Any]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json=body, headers=headers) as response,
    ):
        return response.status, response.headers.copy(), await response.json()


async def test_requests_without_the_right_token_get_401(base_url: str) -> None:
    body = {"payloads": [plain_json_payload("x")]}
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
        status, _, answer = await post(f"{base_url}/decode", body, headers)
        assert (status, answer["error"]) == (401, "missing or wrong bearer token")


async def test_preflight_from_the_ui_origin_is_allowed(base_url: str) -> None:
    headers = {
        "Origin": UI,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type,x-namespace",
    }
    async with (
        aiohttp.ClientSession() as session,
        session.options(f"{base_url}/decode", headers=headers) as response,
    ):
        assert response.status == 204
        assert response.headers["Access-Control-Allow-Origin"] == UI
        assert "authorization" in response.headers["Access-Control-Allow-Headers"]
        assert "POST" in response.headers["Access-Control-Allow-Methods"]


async def test_other_origins_are_refused(base_url: str) -> None:
    evil = {"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    async with (
        aiohttp.ClientSession() as session,
        session.options(f"{base_url}/decode", headers=evil) as response,
    ):
        assert response.status == 403
        assert "Access-Control-Allow-Origin" not in response.headers
    body = {"payloads": [plain_json_payload("x")]}
    status, headers, _ = await post(f"{base_url}/decode", body, {**AUTH, **evil})
    assert status == 403 and "Access-Control-Allow-Origin" not in headers


async def test_decode_returns_the_plaintext_payloads(base_url: str, codec: EncryptionCodec) -> None:
    plain = Payload(metadata={"encoding": b"json/plain"}, data=json.dumps(CANARY).encode())
    body = {"payloads": [wire(p) for p in await codec.encode([plain])]}
    status, headers, answer = await post(f"{base_url}/decode", body, {**AUTH, "Origin": UI})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == UI
    [payload] = answer["payloads"]
    assert json.loads(base64.b64decode(payload["data"])) == CANARY
    assert base64.b64decode(payload["metadata"]["encoding"]) == b"json/plain"


async def test_encode_then_decode_round_trips(base_url: str) -> None:
    original = {"payloads": [plain_json_payload(CANARY), plain_json_payload({"n": 1})]}
    status, _, encoded = await post(f"{base_url}/encode", original, AUTH)
    assert status == 200
    assert CANARY not in json.dumps(encoded)
    assert {base64.b64decode(p["metadata"]["encryption-key-id"]) for p in encoded["payloads"]} == {
        b"k1"
    }
    status, _, decoded = await post(f"{base_url}/decode", encoded, AUTH)
    assert (status, decoded) == (200, original)


async def test_unknown_key_and_bad_bodies_are_client_errors(base_url: str) -> None:
    other = EncryptionCodec({"k9": base64.b64decode(new_key())}, "k9")
    [sealed] = await other.encode([Payload(metadata={"encoding": b"json/plain"}, data=b"1")])
    body = {"payloads": [wire(sealed)]}
    status, _, answer = await post(f"{base_url}/decode", body, AUTH)
    assert status == 422 and "unknown key id 'k9'" in answer["error"]
    status, _, answer = await post(f"{base_url}/decode", {"payloads": "nope"}, AUTH)
    assert status == 400


def cli() -> str:
    return str(Path(sys.executable).parent / "docfleet")


def test_cli_refuses_to_start_without_a_token() -> None:
    env = {
        **os.environ,
        "DOCFLEET_CODEC_KEYS": json.dumps({"k1": new_key()}),
        "DOCFLEET_CODEC_SERVER_TOKEN": "tok-XYZ",
    }
    argv = [cli(), "codec-server", "--port", str(free_port())]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "DOCFLEET_CODEC_SERVER_TOKEN" in done.stderr
    assert "tok-XYZ" not in done.stderr
