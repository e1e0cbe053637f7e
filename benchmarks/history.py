"""How big a batch's workflow histories got: every run of its continue-as-new chain."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message
from temporalio.api.common.v1 import Payload
from temporalio.client import Client


@dataclass(frozen=True)
class RunHistory:
    """One run of a workflow: its events, their bytes and its largest payload."""

    run_id: str
    events: int
    history_bytes: int
    largest_payload_bytes: int


def payloads(message: Message) -> Iterator[Payload]:
    """Every `Payload` anywhere inside `message` (fields, lists and maps, at any depth)."""
    if isinstance(message, Payload):
        yield message
        return
    for field, value in message.ListFields():
        if field.type != FieldDescriptor.TYPE_MESSAGE or field.message_type is None:
            continue
        if field.message_type.GetOptions().map_entry:
            items = list(value.values())
        elif field.is_repeated:
            items = list(value)
        else:
            items = [value]
        for item in items:
            if isinstance(item, Message):
                yield from payloads(item)


async def run_chain(client: Client, workflow_id: str) -> list[RunHistory]:
    """Every run of `workflow_id`'s chain, first to last, found by walking back from the
    latest run through each run's `continued_execution_run_id`."""
    runs: list[RunHistory] = []
    run_id = (await client.get_workflow_handle(workflow_id).describe()).run_id
    while True:
        history = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
        events = list(history.events)
        started = events[0].workflow_execution_started_event_attributes
        runs.append(
            RunHistory(
                run_id=run_id,
                events=len(events),
                history_bytes=sum(event.ByteSize() for event in events),
                largest_payload_bytes=max(
                    (p.ByteSize() for event in events for p in payloads(event)), default=0
                ),
            )
        )
        if not started.continued_execution_run_id:
            return runs[::-1]
        run_id = started.continued_execution_run_id


async def event_count(client: Client, workflow_id: str) -> int:
    """Events in the history of `workflow_id`'s latest run."""
    history = await client.get_workflow_handle(workflow_id).fetch_history()
    return len(history.events)
