"""The one factory for Temporal clients: workers, CLI and tests all connect through it.

Connection settings are Temporal's own (`TEMPORAL_ADDRESS`, `TEMPORAL_NAMESPACE`,
`TEMPORAL_API_KEY`, `TEMPORAL_TLS*`, `TEMPORAL_PROFILE` and the TOML config file), read by the
SDK's envconfig; the Pydantic data converter is always set, since a mismatch breaks silently.
When `DOCFLEET_CODEC_KEYS` is set, payloads (and failure messages) are encrypted by the codec.
Payloads of at least `DOCFLEET_PAYLOAD_OFFLOAD_BYTES` go to the blob store (see `offload`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from typing import Any

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import (
    DataConverter,
    DefaultFailureConverterWithEncodedAttributes,
    ExternalStorage,
    PayloadCodec,
)
from temporalio.envconfig import ClientConfig
from temporalio.runtime import Runtime

from docfleet_runtime.codec import codec_from_environment
from docfleet_runtime.offload import offload_from_environment
from docfleet_runtime.telemetry import process_telemetry

DEFAULT_ADDRESS = "localhost:7233"
DEFAULT_NAMESPACE = "default"

log = logging.getLogger(__name__)


def connect_config(address: str | None = None, namespace: str | None = None) -> dict[str, Any]:
    """Connection keyword arguments from Temporal's env/profile, with explicit overrides."""
    config: dict[str, Any] = dict(ClientConfig.load_client_connect_config())
    config.setdefault("target_host", DEFAULT_ADDRESS)
    config.setdefault("namespace", DEFAULT_NAMESPACE)
    if address:
        config["target_host"] = address
    if namespace:
        config["namespace"] = namespace
    return config


def data_converter(
    codec: PayloadCodec | None, external_storage: ExternalStorage | None = None
) -> DataConverter:
    """The Pydantic converter, with `codec` on payloads and failure messages when given, and
    `external_storage` for payloads over its threshold (the SDK stores the encoded payload)."""
    changes: dict[str, Any] = {}
    if codec is not None:
        # Error messages and stack traces can quote document text: encode them too.
        changes["payload_codec"] = codec
        changes["failure_converter_class"] = DefaultFailureConverterWithEncodedAttributes
    if external_storage is not None:
        changes["external_storage"] = external_storage
    return (
        dataclasses.replace(pydantic_data_converter, **changes)
        if changes
        else pydantic_data_converter
    )


def data_converter_from_environment() -> DataConverter:
    """The converter `connect_client` uses, from `DOCFLEET_CODEC_*` and the offload settings:
    for a `Replayer`, which needs both to read a history."""
    return data_converter(codec_from_environment(), offload_from_environment())


async def connect_client(
    address: str | None = None,
    namespace: str | None = None,
    *,
    wait_seconds: float = 0.0,
    codec: PayloadCodec | None = None,
    external_storage: ExternalStorage | None = None,
    runtime: Runtime | None = None,
) -> Client:
    """Connect with the Pydantic converter, retrying for `wait_seconds` while the server starts.

    `codec` overrides the one configured by `DOCFLEET_CODEC_*` (tests); None reads the environment.
    `external_storage` likewise overrides the payload offload read from `DOCFLEET_BLOB_URL` and
    `DOCFLEET_PAYLOAD_OFFLOAD_BYTES`; every client gets one, so any process can read references.
    `runtime` defaults to the process's telemetry runtime (SDK metrics on `/metrics`) once
    `start_telemetry` made one, else to the SDK's default.
    """
    runtime = runtime or process_telemetry().sdk_runtime
    config = connect_config(address, namespace)
    codec = codec if codec is not None else codec_from_environment()
    external_storage = external_storage or offload_from_environment()
    converter = data_converter(codec, external_storage)
    if codec is not None:
        log.info("payload encryption on: %r", codec)
    deadline = time.monotonic() + wait_seconds
    delay = 0.2
    while True:
        try:
            return await Client.connect(**config, data_converter=converter, runtime=runtime)
        except RuntimeError as exc:
            if time.monotonic() + delay > deadline:
                raise
            log.info("Temporal at %s not ready (%s); retrying", config["target_host"], exc)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)


def describe_target(client: Client) -> str:
    """`host:port/namespace`, for log lines (never includes the API key)."""
    return f"{client.service_client.config.target_host}/{client.namespace}"
