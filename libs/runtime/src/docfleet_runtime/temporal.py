"""The one factory for Temporal clients: workers, CLI and tests all connect through it.

Connection settings are Temporal's own (`TEMPORAL_ADDRESS`, `TEMPORAL_NAMESPACE`,
`TEMPORAL_API_KEY`, `TEMPORAL_TLS*`, `TEMPORAL_PROFILE` and the TOML config file), read by the
SDK's envconfig; the Pydantic data converter is always set, since a mismatch breaks silently.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.envconfig import ClientConfig

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


async def connect_client(
    address: str | None = None,
    namespace: str | None = None,
    *,
    wait_seconds: float = 0.0,
) -> Client:
    """Connect with the Pydantic converter, retrying for `wait_seconds` while the server starts."""
    config = connect_config(address, namespace)
    deadline = time.monotonic() + wait_seconds
    delay = 0.2
    while True:
        try:
            return await Client.connect(**config, data_converter=pydantic_data_converter)
        except RuntimeError as exc:
            if time.monotonic() + delay > deadline:
                raise
            log.info("Temporal at %s not ready (%s); retrying", config["target_host"], exc)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)


def describe_target(client: Client) -> str:
    """`host:port/namespace`, for log lines (never includes the API key)."""
    return f"{client.service_client.config.target_host}/{client.namespace}"
