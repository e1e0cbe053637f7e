from __future__ import annotations

from temporalio.api.common.v1 import Header, Memo, Payload, Payloads, SearchAttributes
from temporalio.api.enums.v1 import EventType
from temporalio.api.failure.v1 import Failure
from temporalio.api.history.v1 import (
    ActivityTaskScheduledEventAttributes,
    HistoryEvent,
    WorkflowExecutionContinuedAsNewEventAttributes,
    WorkflowExecutionStartedEventAttributes,
)
from temporalio.client import WorkflowHistory

from docfleet_devstack.histories import measure_run, payload_sizes


def _payload(size: int, encoding: bytes = b"json/plain") -> Payload:
    return Payload(metadata={"encoding": encoding}, data=b"x" * size)


def _started() -> tuple[HistoryEvent, list[Payload]]:
    """A started event with payloads in a repeated field, three maps and a nested failure."""
    inputs = [_payload(10), _payload(2000)]
    memo, attribute, header = _payload(30), _payload(40), _payload(50)
    deep = _payload(60, b"binary/encrypted")
    event = HistoryEvent(
        event_id=1,
        event_type=EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
        workflow_execution_started_event_attributes=WorkflowExecutionStartedEventAttributes(
            input=Payloads(payloads=inputs),
            memo=Memo(fields={"note": memo}),
            search_attributes=SearchAttributes(indexed_fields={"BatchId": attribute}),
            header=Header(fields={"trace": header}),
            continued_failure=Failure(
                message="outer", cause=Failure(message="inner", encoded_attributes=deep)
            ),
        ),
    )
    return event, [*inputs, memo, attribute, header, deep]


def test_payload_sizes_finds_every_nested_payload_once() -> None:
    event, payloads = _started()
    assert sorted(payload_sizes(event)) == sorted(p.ByteSize() for p in payloads)
    # A payload's own metadata map is part of its size, not payloads of their own.
    assert list(payload_sizes(payloads[0])) == [payloads[0].ByteSize()]
    assert list(payload_sizes(HistoryEvent(event_id=2))) == []


def test_measure_run_reports_the_largest_payload_and_continue_as_new() -> None:
    started, payloads = _started()
    scheduled = HistoryEvent(
        event_id=2,
        event_type=EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
        activity_task_scheduled_event_attributes=ActivityTaskScheduledEventAttributes(
            input=Payloads(payloads=[_payload(5000)])
        ),
    )
    continued = HistoryEvent(
        event_id=3,
        event_type=EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
        workflow_execution_continued_as_new_event_attributes=(
            WorkflowExecutionContinuedAsNewEventAttributes(new_execution_run_id="run-2")
        ),
    )
    run = measure_run("run-1", WorkflowHistory("wf", [started, scheduled, continued]))
    assert (run.run_id, run.events, run.continued_as_new) == ("run-1", 3, True)
    assert run.largest_payload == _payload(5000).ByteSize()
    assert run.largest_payload > max(p.ByteSize() for p in payloads)
    assert run.largest_payload_event == "EVENT_TYPE_ACTIVITY_TASK_SCHEDULED"
    alone = measure_run("run-0", WorkflowHistory("wf", [started]))
    assert not alone.continued_as_new
    assert alone.largest_payload_event == "EVENT_TYPE_WORKFLOW_EXECUTION_STARTED"
