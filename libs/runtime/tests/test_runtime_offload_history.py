"""Payloads over the offload threshold leave only references in a real dev server's history."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message
from temporalio import activity, workflow
from temporalio.api.common.v1 import Payload
from temporalio.api.failure.v1 import Failure
from temporalio.client import Client, WorkflowHandle, WorkflowHistory
from temporalio.worker import Replayer, Worker

from docfleet_devstack.servers import TemporalServer
from docfleet_runtime import connect_client, data_converter

pytestmark = pytest.mark.integration

REFERENCE_TYPE = b"temporal.api.sdk.v1.ExternalStorageReference"
DATA_BYTES = 300 * 1024


@activity.defn(name="test.offload_shout")
async def shout(text: str) -> str:
    return text.upper()


@workflow.defn(name="TestOffloadWorkflow", sandboxed=False)
class ShoutWorkflow:
    @workflow.run
    async def run(self, text: str) -> str:
        loud: str = await workflow.execute_activity(
            shout, text, start_to_close_timeout=timedelta(seconds=30)
        )
        return hashlib.sha256(loud.encode()).hexdigest()


def payloads_in(message: Message) -> Iterator[Payload]:
    """Every `Payload` anywhere in `message` (nested, repeated and map fields included)."""
    if isinstance(message, Payload):
        yield message
        return
    for field, value in message.ListFields():
        kind = field.message_type
        if kind is None:
            continue
        if kind.GetOptions().map_entry:
            entry_value = kind.fields_by_name["value"]
            items = list(value.values()) if entry_value.type == FieldDescriptor.TYPE_MESSAGE else []
        elif field.is_repeated:
            items = list(value)
        else:
            items = [value]
        for item in items:
            yield from payloads_in(item)


@pytest.fixture
async def offloading_client(
    temporal_server: TemporalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Client:
    monkeypatch.delenv("DOCFLEET_CODEC_KEYS", raising=False)
    monkeypatch.setenv("DOCFLEET_BLOB_URL", (tmp_path / "blobs").as_uri())
    monkeypatch.setenv("DOCFLEET_PAYLOAD_OFFLOAD_BYTES", "1024")
    return await connect_client(temporal_server.address, "default", wait_seconds=10)


async def run_shout(client: Client, task_queue: str, text: str) -> tuple[str, WorkflowHistory]:
    async with Worker(client, task_queue=task_queue, workflows=[ShoutWorkflow], activities=[shout]):
        handle = await client.start_workflow(
            ShoutWorkflow.run, text, id=f"offload-{uuid.uuid4().hex[:10]}", task_queue=task_queue
        )
        result = await handle.result()
    return result, await handle.fetch_history()


async def test_large_payloads_travel_as_references_to_the_blob_store(
    offloading_client: Client, task_queue: str, tmp_path: Path
) -> None:
    text = "lorem ipsum dolor " * (DATA_BYTES // 18)
    result, history = await run_shout(offloading_client, task_queue, text)

    assert result == hashlib.sha256(text.upper().encode()).hexdigest()
    payloads = [p for event in history.events for p in payloads_in(event)]
    assert max(p.ByteSize() for p in payloads) < 2048
    references = [p for p in payloads if p.metadata.get("messageType") == REFERENCE_TYPE]
    # Workflow input, activity input (same bytes, same blob) and activity result.
    assert len(references) == 3
    assert all(r.external_payloads[0].size_bytes > len(text) for r in references)
    blobs = sorted((tmp_path / "blobs" / "payloads").iterdir())
    assert len(blobs) == 2
    assert sum(b.stat().st_size for b in blobs) > 2 * len(text)


async def test_offloaded_history_replays_with_the_same_converter_only(
    offloading_client: Client, task_queue: str
) -> None:
    _, history = await run_shout(offloading_client, task_queue, "z" * DATA_BYTES)

    same = Replayer(workflows=[ShoutWorkflow], data_converter=offloading_client.data_converter)
    await same.replay_workflow(history)

    without_storage = Replayer(workflows=[ShoutWorkflow], data_converter=data_converter(None))
    replayed = await without_storage.replay_workflow(history, raise_on_replay_failure=False)
    assert replayed.replay_failure is not None
    assert "external storage is not configured" in str(replayed.replay_failure)


async def test_with_offload_off_the_same_run_puts_the_data_in_history(
    temporal_server: TemporalServer, task_queue: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DOCFLEET_CODEC_KEYS", raising=False)
    monkeypatch.setenv("DOCFLEET_PAYLOAD_OFFLOAD_BYTES", "0")
    client = await connect_client(temporal_server.address, "default", wait_seconds=10)
    _, history = await run_shout(client, task_queue, "z" * DATA_BYTES)
    payloads = [p for event in history.events for p in payloads_in(event)]
    assert max(p.ByteSize() for p in payloads) > DATA_BYTES


async def test_a_missing_blob_holds_the_workflow_until_it_is_back(
    offloading_client: Client, task_queue: str, tmp_path: Path
) -> None:
    handle = await offloading_client.start_workflow(
        ShoutWorkflow.run,
        "q" * DATA_BYTES,
        id=f"offload-{uuid.uuid4().hex[:10]}",
        task_queue=task_queue,
    )
    [blob] = (tmp_path / "blobs" / "payloads").iterdir()
    aside = blob.rename(tmp_path / "aside")
    worker = Worker(
        offloading_client, task_queue=task_queue, workflows=[ShoutWorkflow], activities=[shout]
    )
    async with worker:
        failure = await first_workflow_task_failure(handle)
        assert failure.application_failure_info.type == "OffloadedPayloadMissing"
        assert f"not found at {blob.as_uri()}" in failure.message
        aside.rename(blob)
        # The server retries the failed workflow task with backoff (about 10 s here).
        assert await handle.result() == hashlib.sha256(b"Q" * DATA_BYTES).hexdigest()


async def first_workflow_task_failure(handle: WorkflowHandle[Any, Any]) -> Failure:
    for _ in range(200):
        for event in (await handle.fetch_history()).events:
            if event.HasField("workflow_task_failed_event_attributes"):
                return event.workflow_task_failed_event_attributes.failure
        await asyncio.sleep(0.05)
    raise AssertionError("the workflow task never failed")
