"""Run one Temporal worker until SIGTERM or SIGINT, then drain and stop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from datetime import timedelta
from typing import Any

from temporalio.api.workflowservice.v1 import GetSystemInfoRequest
from temporalio.client import Client
from temporalio.service import RPCError
from temporalio.worker import Worker

from docfleet_runtime.backlog import export_backlog
from docfleet_runtime.health import Readiness
from docfleet_runtime.logcontext import LogContextInterceptor
from docfleet_runtime.settings import ServiceSettings
from docfleet_runtime.telemetry import process_telemetry, start_telemetry
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
    """A worker for one queue, with the shared concurrency, shutdown and log-context settings.

    Also starts the process's metrics endpoint when `DOCFLEET_METRICS_PORT` is set (call
    `start_telemetry` before connecting to get the SDK's metrics there too).
    """
    start_telemetry(settings)
    return Worker(
        client,
        task_queue=task_queue,
        activities=activities,
        workflows=workflows,
        activity_executor=activity_executor,
        interceptors=[LogContextInterceptor()],
        max_concurrent_activities=settings.max_concurrent_activities,
        graceful_shutdown_timeout=timedelta(seconds=settings.graceful_shutdown_seconds),
        # The SDK would otherwise hold details back for up to 80% of the heartbeat timeout.
        max_heartbeat_throttle_interval=timedelta(seconds=settings.heartbeat_throttle_seconds),
        default_heartbeat_throttle_interval=timedelta(seconds=settings.heartbeat_throttle_seconds),
    )


async def serve(
    worker: Worker,
    *,
    service: str,
    client: Client,
    backlog_queues: Sequence[str] = (),
    stop: asyncio.Event | None = None,
) -> None:
    """Run `worker` until a stop signal; containers send SIGTERM, terminals SIGINT.

    While it runs, `/readyz` answers 200 as long as Temporal answers the connection probe;
    with `backlog_queues`, this process also exports those queues' backlog. `stop` lets a
    caller (a test) end it without a signal.
    """
    telemetry = process_telemetry()
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    background: list[asyncio.Task[None]] = []
    try:
        async with worker:
            telemetry.readiness.started(lambda: worker.is_running)
            background.append(
                asyncio.create_task(
                    probe_connection(client, telemetry.readiness, telemetry.probe_seconds)
                )
            )
            if backlog_queues:
                background.append(
                    asyncio.create_task(
                        export_backlog(client, backlog_queues, telemetry.backlog_seconds)
                    )
                )
            log.info(
                "docfleet %s worker serving task queue %r on %s",
                service,
                worker.task_queue,
                describe_target(client),
            )
            await stop.wait()
            telemetry.readiness.stopping()
            log.info("docfleet %s worker stopping: draining in-flight tasks", service)
            for task in background:
                task.cancel()
    finally:
        telemetry.readiness.stopping()
        for task in background:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)
    log.info("docfleet %s worker stopped", service)


async def probe_connection(client: Client, readiness: Readiness, every: float) -> None:
    """Ask the server for its system info every `every` s; readiness follows the answers."""
    connected = True
    while True:
        await asyncio.sleep(every)
        try:
            await client.workflow_service.get_system_info(
                GetSystemInfoRequest(), timeout=timedelta(seconds=max(1.0, min(every, 5.0)))
            )
        except (RPCError, RuntimeError) as exc:
            if connected:
                log.warning("Temporal at %s unreachable: %s", describe_target(client), exc)
            connected = False
            readiness.connection(False, str(exc))
        else:
            if not connected:
                log.info("Temporal at %s reachable again", describe_target(client))
            connected = True
            readiness.connection(True)
