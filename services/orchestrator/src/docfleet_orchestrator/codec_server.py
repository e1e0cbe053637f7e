"""A remote codec for the Temporal Web UI and CLI: `POST /encode` and `POST /decode`.

Bodies follow Temporal's codec-server protocol: `{"payloads": [{"metadata": {...}, "data": ...}]}`
with base64 bytes (protobuf JSON of `Payloads`). Every POST needs `Authorization: Bearer <token>`;
browsers are let in from exactly one origin, the Web UI's.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable, Sequence

from aiohttp import hdrs, web
from google.protobuf import json_format
from google.protobuf.message import DecodeError
from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict
from temporalio.api.common.v1 import Payload, Payloads
from temporalio.converter import PayloadCodec

from docfleet_runtime import (
    CodecConfigError,
    DecryptionError,
    UnknownKeyError,
    codec_from_environment,
    configure_logging,
)

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 8 * 1024 * 1024
ALLOWED_HEADERS = "authorization,content-type,x-namespace"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
CodecFn = Callable[[Sequence[Payload]], Awaitable[list[Payload]]]


class CodecServerSettings(BaseSettings):
    """`DOCFLEET_CODEC_SERVER_*`; the keys themselves come from `DOCFLEET_CODEC_KEYS`."""

    model_config = SettingsConfigDict(env_prefix="DOCFLEET_CODEC_SERVER_", extra="ignore")

    token: SecretStr = Field(
        min_length=16, description="Bearer token every request must carry (required)."
    )
    cors_origin: str = Field(
        default="http://localhost:8233",
        description="The one browser origin allowed (the Temporal Web UI), e.g. https://ui.corp.",
    )


def _cors_headers(origin: str) -> dict[str, str]:
    return {
        hdrs.ACCESS_CONTROL_ALLOW_ORIGIN: origin,
        hdrs.ACCESS_CONTROL_ALLOW_METHODS: "POST, OPTIONS",
        hdrs.ACCESS_CONTROL_ALLOW_HEADERS: ALLOWED_HEADERS,
        hdrs.ACCESS_CONTROL_ALLOW_CREDENTIALS: "true",
        hdrs.ACCESS_CONTROL_MAX_AGE: "600",
        hdrs.VARY: "Origin",
    }


def build_app(codec: PayloadCodec, token: SecretStr, cors_origin: str) -> web.Application:
    """The codec server as an aiohttp application (run it with `web.run_app` or an AppRunner)."""
    expected = f"Bearer {token.get_secret_value()}".encode()
    allowed_origin = cors_origin.rstrip("/")

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        origin = request.headers.get(hdrs.ORIGIN)
        # No Origin header: a non-browser client (temporal CLI, scripts); the token still applies.
        if origin is not None and origin != allowed_origin:
            log.warning("refused request from origin %s", origin)
            return web.json_response({"error": "origin not allowed"}, status=403)
        cors = _cors_headers(allowed_origin) if origin else {}
        if request.method == hdrs.METH_OPTIONS:
            # Browsers send preflights without credentials, so they cannot need the token.
            return web.Response(status=204, headers=cors)
        given = request.headers.get(hdrs.AUTHORIZATION, "").encode()
        if not hmac.compare_digest(given, expected):
            return web.json_response(
                {"error": "missing or wrong bearer token"}, status=401, headers=cors
            )
        response = await handler(request)
        response.headers.update(cors)
        return response

    def endpoint(fn: CodecFn) -> Handler:
        async def handle(request: web.Request) -> web.StreamResponse:
            try:
                payloads = json_format.Parse(await request.read(), Payloads())
            except (json_format.ParseError, DecodeError, UnicodeDecodeError) as exc:
                return web.json_response({"error": f"not a Payloads JSON body: {exc}"}, status=400)
            try:
                result = Payloads(payloads=await fn(payloads.payloads))
            except (UnknownKeyError, DecryptionError) as exc:
                return web.json_response({"error": str(exc)}, status=422)
            return web.Response(
                text=json_format.MessageToJson(result), content_type="application/json"
            )

        return handle

    app = web.Application(middlewares=[guard], client_max_size=MAX_BODY_BYTES)
    app.router.add_post("/encode", endpoint(codec.encode))
    app.router.add_post("/decode", endpoint(codec.decode))
    return app


def _problems(exc: ValidationError) -> str:
    """Which settings are wrong, without echoing their values (one of them is the token)."""
    return "; ".join(
        f"DOCFLEET_CODEC_SERVER_{'.'.join(map(str, e['loc'])).upper()}: {e['msg']}"
        for e in exc.errors()
    )


def run(host: str, port: int) -> int:
    """Serve until interrupted; exit status 2 when the token or the keys are not configured."""
    configure_logging()
    try:
        settings = CodecServerSettings()
        codec = codec_from_environment()
    except ValidationError as exc:
        log.error("codec server not configured: %s", _problems(exc))
        return 2
    except CodecConfigError as exc:
        log.error("codec server not configured: %s", exc)
        return 2
    if codec is None:
        log.error("codec server needs DOCFLEET_CODEC_KEYS")
        return 2
    log.info(
        "codec server on http://%s:%d for origin %s (%r)", host, port, settings.cors_origin, codec
    )
    web.run_app(
        build_app(codec, settings.token, settings.cors_origin),
        host=host,
        port=port,
        print=None,
        access_log=None,
    )
    return 0
