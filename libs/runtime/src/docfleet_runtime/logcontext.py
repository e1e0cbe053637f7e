"""Which batch, document, workflow and activity a log line belongs to.

`LogContextInterceptor` (added to every worker) notes the `batch_id` and `document_id` of the
input of each activity and workflow it runs; `ContextFilter` (on the log handler) puts them on
every record together with the workflow id, run id and activity name, whichever logger wrote it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from contextvars import ContextVar
from typing import Any

from temporalio import activity
from temporalio.worker import (
    ActivityInboundInterceptor,
    ExecuteActivityInput,
    ExecuteWorkflowInput,
    Interceptor,
    WorkflowInboundInterceptor,
    WorkflowInterceptorClassInput,
)

_BATCH_PREFIX = "docfleet-batch-"
_ids: ContextVar[Mapping[str, str] | None] = ContextVar("docfleet_log_ids", default=None)

FIELDS = (
    "batch_id",
    "document_id",
    "workflow_id",
    "run_id",
    "workflow_type",
    "activity",
    "activity_id",
    "attempt",
    "task_queue",
)
"""Context keys a record can carry, in the order JSON lines show them."""


def ids_of(args: Sequence[Any]) -> dict[str, str]:
    """`batch_id`/`document_id` of the first argument (a DocFleet wire model), when it has them."""
    if not args:
        return {}
    found = {}
    for name in ("batch_id", "document_id"):
        value = getattr(args[0], name, None)
        if isinstance(value, str) and value:
            found[name] = value
    return found


def context_fields(record: logging.LogRecord) -> dict[str, Any]:
    """The record's context: SDK extras, the running activity, and the interceptor's ids."""
    fields: dict[str, Any] = {}
    workflow = getattr(record, "temporal_workflow", None)
    if isinstance(workflow, Mapping):
        fields.update(
            workflow_id=workflow.get("workflow_id"),
            run_id=workflow.get("run_id"),
            workflow_type=workflow.get("workflow_type"),
            task_queue=workflow.get("task_queue"),
            attempt=workflow.get("attempt"),
        )
    elif activity.in_activity():
        info = activity.info()
        fields.update(
            workflow_id=info.workflow_id,
            run_id=info.workflow_run_id,
            workflow_type=info.workflow_type,
            activity=info.activity_type,
            activity_id=info.activity_id,
            attempt=info.attempt,
            task_queue=info.task_queue,
        )
    fields.update(_ids.get() or {})
    workflow_id = fields.get("workflow_id")
    if "batch_id" not in fields and isinstance(workflow_id, str):
        if workflow_id.startswith(_BATCH_PREFIX):
            fields["batch_id"] = workflow_id.removeprefix(_BATCH_PREFIX)
    return {key: fields[key] for key in FIELDS if fields.get(key) not in (None, "")}


class ContextFilter(logging.Filter):
    """Sets `record.docfleet` to `context_fields(record)`; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "docfleet"):
            record.docfleet = context_fields(record)
        return True


class _ActivityInbound(ActivityInboundInterceptor):
    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        token = _ids.set(ids_of(input.args))
        try:
            return await self.next.execute_activity(input)
        finally:
            _ids.reset(token)


class _WorkflowInbound(WorkflowInboundInterceptor):
    async def execute_workflow(self, input: ExecuteWorkflowInput) -> Any:
        # Replay-safe: a context variable is process state, not workflow state.
        _ids.set(ids_of(input.args))
        return await self.next.execute_workflow(input)


class LogContextInterceptor(Interceptor):
    """Worker interceptor that makes each task's batch and document id known to the logs."""

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _ActivityInbound(next)

    def workflow_interceptor_class(
        self, input: WorkflowInterceptorClassInput
    ) -> type[WorkflowInboundInterceptor] | None:
        return _WorkflowInbound
