"""With a codec key, a workflow's history on a real dev server holds no plaintext."""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import json
import re
import uuid
from datetime import timedelta

import pytest
from temporalio import activity, workflow
from temporalio.client import Client, WorkflowFailureError
from temporalio.exceptions import ApplicationError
from temporalio.worker import Worker

from docfleet_devstack.servers import TemporalServer, temporal_binary
from docfleet_runtime import EncryptionCodec, connect_client
from docfleet_runtime.codec import new_key

pytestmark = pytest.mark.integration

CANARY = "CANARY-Acme-Secret-Text"


def readable(raw: str) -> str:
    """The history JSON plus every base64 string in it decoded, so plaintext cannot hide."""
    decoded = []
    for candidate in re.findall(r'"([A-Za-z0-9+/]{4,}={0,2})"', raw):
        with contextlib.suppress(binascii.Error, ValueError):
            decoded.append(base64.b64decode(candidate, validate=True).decode(errors="replace"))
    return raw + "\n".join(decoded)


@activity.defn(name="test.codec_echo")
async def echo(text: str) -> str:
    return f"derived from {text}"


@workflow.defn(name="TestCodecWorkflow", sandboxed=False)
class EchoWorkflow:
    @workflow.run
    async def run(self, text: str) -> str:
        result: str = await workflow.execute_activity(
            echo, text, start_to_close_timeout=timedelta(seconds=10)
        )
        if "fail" in text:
            raise ApplicationError(f"could not handle {result}", non_retryable=True)
        return result


async def history_json(server: TemporalServer, workflow_id: str, *extra: str) -> str:
    """The raw history as the `temporal` CLI prints it."""
    proc = await asyncio.create_subprocess_exec(
        temporal_binary(),
        "workflow",
        "show",
        "--workflow-id",
        workflow_id,
        "--address",
        server.address,
        "--namespace",
        "default",
        "--output",
        "json",
        *extra,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, errors = await asyncio.wait_for(proc.communicate(), timeout=30)
    assert proc.returncode == 0, errors.decode()
    return out.decode()


async def run_echo(client: Client, task_queue: str, text: str) -> str:
    workflow_id = f"codec-{uuid.uuid4().hex[:10]}"
    async with Worker(client, task_queue=task_queue, workflows=[EchoWorkflow], activities=[echo]):
        handle = await client.start_workflow(
            EchoWorkflow.run, text, id=workflow_id, task_queue=task_queue
        )
        try:
            await handle.result()
        except WorkflowFailureError:
            pass
    return workflow_id


async def test_history_holds_only_ciphertext_and_the_codec_reads_it_back(
    temporal_server: TemporalServer, task_queue: str
) -> None:
    codec = EncryptionCodec({"k1": base64.b64decode(new_key())}, "k1")
    client = await connect_client(temporal_server.address, "default", codec=codec, wait_seconds=10)
    workflow_id = await run_echo(client, task_queue, f"note {CANARY}")

    raw = readable(await history_json(temporal_server, workflow_id))
    assert CANARY not in raw
    assert "binary/encrypted" in raw and "encryption-key-id" in raw

    handle = client.get_workflow_handle(workflow_id, result_type=str)
    assert await handle.result() == f"derived from note {CANARY}"
    history = await handle.fetch_history()
    completed = [
        e for e in history.events if e.HasField("activity_task_completed_event_attributes")
    ]
    [payload] = completed[0].activity_task_completed_event_attributes.result.payloads
    [plain] = await codec.decode([payload])
    assert json.loads(plain.data) == f"derived from note {CANARY}"


async def test_failure_messages_are_not_in_plaintext_either(
    temporal_server: TemporalServer, task_queue: str
) -> None:
    codec = EncryptionCodec({"k1": base64.b64decode(new_key())}, "k1")
    client = await connect_client(temporal_server.address, "default", codec=codec, wait_seconds=10)
    workflow_id = await run_echo(client, task_queue, f"fail {CANARY}")

    raw = readable(await history_json(temporal_server, workflow_id))
    assert CANARY not in raw and "binary/encrypted" in raw
    with pytest.raises(WorkflowFailureError) as info:
        await client.get_workflow_handle(workflow_id).result()
    assert isinstance(info.value.cause, ApplicationError)
    assert CANARY in info.value.cause.message


async def test_without_codec_the_canary_is_visible_so_the_check_above_means_something(
    temporal_server: TemporalServer, task_queue: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DOCFLEET_CODEC_KEYS", raising=False)
    client = await connect_client(temporal_server.address, "default", wait_seconds=10)
    workflow_id = await run_echo(client, task_queue, f"note {CANARY}")
    assert f"note {CANARY}" in readable(await history_json(temporal_server, workflow_id))
