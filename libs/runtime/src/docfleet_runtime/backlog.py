"""Task-queue backlog as Prometheus gauges, read from the server's task queue stats.

One process per fleet (the orchestrator worker) polls every DocFleet queue, so an autoscaler
(KEDA's Prometheus scaler, an HPA on external metrics) can scale each worker on its own
queue's `docfleet_task_queue_backlog`. The server's counts are approximate and refreshed every
few seconds; they may lag a change by that much.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from prometheus_client import Gauge
from temporalio.api.enums.v1 import TaskQueueKind, TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client
from temporalio.service import RPCError

log = logging.getLogger(__name__)

BACKLOG = Gauge(
    "docfleet_task_queue_backlog",
    "Approximate tasks waiting in a task queue (workflow plus activity tasks), per the server.",
    ["queue"],
)
BACKLOG_AGE = Gauge(
    "docfleet_task_queue_backlog_age_seconds",
    "Age of the oldest task waiting in a task queue.",
    ["queue"],
)
ADD_RATE = Gauge(
    "docfleet_task_queue_add_rate",
    "Tasks added to a task queue per second (server's 30 s average).",
    ["queue"],
)
DISPATCH_RATE = Gauge(
    "docfleet_task_queue_dispatch_rate",
    "Tasks handed to workers from a task queue per second (server's 30 s average).",
    ["queue"],
)
STATS_UP = Gauge(
    "docfleet_task_queue_stats_up", "1 when the last read of the task queue stats succeeded."
)

_TYPES = (TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)


@dataclass(frozen=True)
class QueueStats:
    backlog: int
    age_seconds: float
    add_rate: float
    dispatch_rate: float


async def queue_stats(client: Client, queue: str, timeout: float = 5.0) -> QueueStats:
    """Workflow and activity task stats of `queue`, added together (ages: the oldest)."""
    backlog, age, add, dispatch = 0, 0.0, 0.0, 0.0
    for task_type in _TYPES:
        response = await client.workflow_service.describe_task_queue(
            DescribeTaskQueueRequest(
                namespace=client.namespace,
                task_queue=TaskQueue(name=queue, kind=TaskQueueKind.TASK_QUEUE_KIND_NORMAL),
                task_queue_type=task_type,
                report_stats=True,
            ),
            timeout=timedelta(seconds=timeout),
        )
        stats = response.stats
        backlog += stats.approximate_backlog_count
        age = max(age, stats.approximate_backlog_age.ToTimedelta().total_seconds())
        add += stats.tasks_add_rate
        dispatch += stats.tasks_dispatch_rate
    return QueueStats(backlog, age, add, dispatch)


async def export_once(client: Client, queues: Sequence[str]) -> None:
    """Read every queue's stats into the gauges."""
    for queue in queues:
        stats = await queue_stats(client, queue)
        BACKLOG.labels(queue=queue).set(stats.backlog)
        BACKLOG_AGE.labels(queue=queue).set(stats.age_seconds)
        ADD_RATE.labels(queue=queue).set(stats.add_rate)
        DISPATCH_RATE.labels(queue=queue).set(stats.dispatch_rate)


async def export_backlog(client: Client, queues: Sequence[str], every: float) -> None:
    """Refresh the gauges every `every` seconds until cancelled; errors only log (once)."""
    failing = False
    while True:
        try:
            await export_once(client, queues)
        except (RPCError, RuntimeError) as exc:
            STATS_UP.set(0)
            if not failing:
                log.warning("task queue stats unavailable (%s); retrying every %gs", exc, every)
            failing = True
        else:
            STATS_UP.set(1)
            if failing:
                log.info("task queue stats available again")
            failing = False
        await asyncio.sleep(every)
