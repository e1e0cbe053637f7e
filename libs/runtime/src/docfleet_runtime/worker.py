"""Run one Temporal worker until SIGTERM or SIGINT, then drain and stop."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from datetime import timedelta
from typing import Any

from temporalio.client import Client
from temporalio.worker import Worker

from docfleet_runtime.metrics import start_metrics_server
from docfleet_runtime.settings import ServiceSettings
from docfleet_runtime.temporal import describe_target

log = logging.getLogger(__name__)


def build_worker(
    client: Client,
    settings: ServiceSettings,
    *,
    task_queue: str,
    activities: Sequence[Callable[..., Any]] = (),
    workflows: Sequence[type] = (),
    activity_executor: Executor | None = None,
) -> Worker:
    """A worker for one queue, with the shared concurrency and shutdown settings.

    Also starts the process's metrics endpoint when `DOCFLEET_METRICS_PORT` is set.
    """
    start_metrics_server(settings.metrics_port, settings.metrics_host)
    return Worker(
        client,
        task_queue=task_queue,
        activities=activities,
        workflows=workflows,
        activity_executor=activity_executor,
        max_concurrent_activities=settings.max_concurrent_activities,
        graceful_shutdown_timeout=timedelta(seconds=settings.graceful_shutdown_seconds),
        # The SDK would otherwise hold details back for up to 80% of the heartbeat timeout.
        max_heartbeat_throttle_interval=timedelta(seconds=settings.heartbeat_throttle_seconds),
        default_heartbeat_throttle_interval=timedelta(seconds=settings.heartbeat_throttle_seconds),
    )


async def serve(worker: Worker, *, service: str, client: Client) -> None:
    """Run `worker` until a stop signal; containers send SIGTERM, terminals SIGINT."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        async with worker:
            log.info(
                "docfleet %s worker serving task queue %r on %s",
                service,
                worker.task_queue,
                describe_target(client),
            )
            await stop.wait()
            log.info("docfleet %s worker stopping: draining in-flight tasks", service)
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)
    log.info("docfleet %s worker stopped", service)
