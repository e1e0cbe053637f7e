"""Walk a workflow's continue-as-new chain and measure each run's history: events, payloads.

For the tests and the benchmark that check no history or payload grows with the batch.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from google.protobuf.message import Message
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowHistory

_PAYLOAD = "temporal.api.common.v1.Payload"


@dataclass(frozen=True)
class RunHistory:
    """One run of a chain."""

    run_id: str
    events: int
    history_bytes: int
    largest_payload: int
    """Bytes of the largest payload anywhere in the run's events."""
    largest_payload_event: str
    continued_as_new: bool


def payload_sizes(message: Message) -> Iterator[int]:
    """The serialized size of every Payload nested anywhere in `message`."""
    if message.DESCRIPTOR.full_name == _PAYLOAD:
        yield message.ByteSize()
        return
    for field, value in message.ListFields():
        if field.message_type is None:
            continue
        if isinstance(value, Message):
            yield from payload_sizes(value)
            continue
        # A repeated field, or a map (whose values may be messages).
        items = value.values() if hasattr(value, "values") else value
        for item in items:
            if isinstance(item, Message):
                yield from payload_sizes(item)


def measure_run(run_id: str, history: WorkflowHistory) -> RunHistory:
    """Events and largest payload of one run's history."""
    largest, where, continued = 0, "", False
    for event in history.events:
        for size in payload_sizes(event):
            if size > largest:
                largest, where = size, EventType.Name(event.event_type)
        continued |= event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW
    return RunHistory(
        run_id=run_id,
        events=len(history.events),
        history_bytes=sum(event.ByteSize() for event in history.events),
        largest_payload=largest,
        largest_payload_event=where,
        continued_as_new=continued,
    )


async def run_history(client: Client, workflow_id: str, run_id: str | None = None) -> RunHistory:
    """One run's figures (the latest run when `run_id` is None)."""
    history = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
    started = history.events[0].workflow_execution_started_event_attributes
    return measure_run(run_id or started.original_execution_run_id, history)


async def chain_histories(client: Client, workflow_id: str) -> list[RunHistory]:
    """Every run of `workflow_id`'s latest chain, first to last."""
    latest = await client.get_workflow_handle(workflow_id).fetch_history()
    run_id = latest.events[0].workflow_execution_started_event_attributes.first_execution_run_id
    runs: list[RunHistory] = []
    while run_id:
        history = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
        runs.append(measure_run(run_id, history))
        last = history.events[-1]
        run_id = (
            last.workflow_execution_continued_as_new_event_attributes.new_execution_run_id
            if last.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW
            else ""
        )
    return runs
