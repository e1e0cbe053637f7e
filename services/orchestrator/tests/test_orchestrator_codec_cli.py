"""`docfleet codec-server` as a process, used by the real `temporal` CLI to read a history."""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import json
import re
import sys
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from temporalio import activity, workflow
from temporalio.worker import Worker

from docfleet_devstack.process import ManagedProcess, free_port
from docfleet_devstack.servers import TemporalServer, temporal_binary
from docfleet_runtime import EncryptionCodec, connect_client
from docfleet_runtime.codec import new_key

pytestmark = pytest.mark.integration

CANARY = "CANARY-Acme-Secret-Text"
TOKEN = "cli-token-0123456789abcdef"
KEY = new_key()


def readable(raw: str) -> str:
    """The history JSON plus every base64 string in it decoded, so plaintext cannot hide."""
    decoded = []
    for candidate in re.findall(r'"([A-Za-z0-9+/]{4,}={0,2})"', raw):
        with contextlib.suppress(binascii.Error, ValueError):
            decoded.append(base64.b64decode(candidate, validate=True).decode(errors="replace"))
    return raw + "\n".join(decoded)


@activity.defn(name="test.codec_cli_upper")
async def upper(text: str) -> str:
    return text.upper()


@workflow.defn(name="TestCodecCliWorkflow", sandboxed=False)
class UpperWorkflow:
    @workflow.run
    async def run(self, text: str) -> str:
        result: str = await workflow.execute_activity(
            upper, text, start_to_close_timeout=timedelta(seconds=10)
        )
        return result


@pytest.fixture
def codec_server(tmp_path: Path) -> Iterator[tuple[str, ManagedProcess]]:
    port = free_port()
    env = {
        "DOCFLEET_CODEC_KEYS": json.dumps({"2025-01": KEY}),
        "DOCFLEET_CODEC_SERVER_TOKEN": TOKEN,
        "DOCFLEET_CODEC_SERVER_CORS_ORIGIN": "http://localhost:8233",
    }
    docfleet = str(Path(sys.executable).parent / "docfleet")
    argv = [docfleet, "codec-server", "--host", "127.0.0.1", "--port", str(port)]
    process = ManagedProcess("codec-server", argv, tmp_path / "codec.log", env)
    try:
        process.wait_for(port, timeout=30)
        yield f"http://127.0.0.1:{port}", process
    finally:
        process.stop()


async def show(server: TemporalServer, workflow_id: str, *codec_flags: str) -> str:
    proc = await asyncio.create_subprocess_exec(
        *[temporal_binary(), "workflow", "show", "--workflow-id", workflow_id],
        *["--address", server.address, "--output", "json", *codec_flags],
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, errors = await asyncio.wait_for(proc.communicate(), timeout=30)
    assert proc.returncode == 0, errors.decode()
    return out.decode()


async def test_temporal_cli_decodes_history_through_the_codec_server(
    temporal_server: TemporalServer,
    task_queue: str,
    codec_server: tuple[str, ManagedProcess],
) -> None:
    endpoint, process = codec_server
    codec = EncryptionCodec({"2025-01": base64.b64decode(KEY)}, "2025-01")
    client = await connect_client(temporal_server.address, "default", codec=codec, wait_seconds=10)
    workflow_id = f"codec-cli-{uuid.uuid4().hex[:10]}"
    async with Worker(client, task_queue=task_queue, workflows=[UpperWorkflow], activities=[upper]):
        await client.execute_workflow(
            UpperWorkflow.run, f"x {CANARY}", id=workflow_id, task_queue=task_queue
        )

    assert CANARY not in readable(await show(temporal_server, workflow_id))
    decoded = readable(
        await show(
            temporal_server,
            workflow_id,
            *["--codec-endpoint", endpoint, "--codec-auth", f"Bearer {TOKEN}"],
        )
    )
    assert f"x {CANARY}" in decoded and f"X {CANARY.upper()}" in decoded
    log = process.log_text()
    assert "codec server on" in log and TOKEN not in log and KEY not in log
