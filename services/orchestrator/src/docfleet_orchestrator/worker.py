"""Entry point of the orchestrator worker (`docfleet-orchestrator-worker`): workflows only."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import NoReturn

from temporalio.worker import Worker

from docfleet_contracts import policies
from docfleet_contracts.queues import ALL_QUEUES, ORCHESTRATOR_QUEUE
from docfleet_orchestrator.search_attributes import ensure_search_attributes
from docfleet_orchestrator.settings import OrchestratorSettings
from docfleet_orchestrator.workflows import WORKFLOWS
from docfleet_runtime import (
    LogContextInterceptor,
    configure_logging,
    connect_client,
    serve,
    start_telemetry,
)
from docfleet_runtime.process import run_process

log = logging.getLogger("docfleet_orchestrator")


async def run(settings: OrchestratorSettings) -> None:
    if settings.activity_policies:
        configured = policies.configure(settings.activity_policies)
        log.info("activity policy overrides: %s", settings.activity_policies)
        log.debug("activity policies in force: %s", configured.model_dump())
    start_telemetry(settings)  # before connecting: the SDK's metrics join /metrics
    client = await connect_client(wait_seconds=settings.temporal_connect_wait_seconds)
    await ensure_search_attributes(client)
    worker = Worker(
        client,
        task_queue=ORCHESTRATOR_QUEUE,
        workflows=list(WORKFLOWS),
        interceptors=[LogContextInterceptor()],
        max_concurrent_workflow_tasks=settings.max_concurrent_workflow_tasks,
        graceful_shutdown_timeout=timedelta(seconds=settings.graceful_shutdown_seconds),
    )
    # This worker also exports every queue's backlog, for autoscalers.
    await serve(worker, service="orchestrator", client=client, backlog_queues=ALL_QUEUES)


def main() -> NoReturn:
    settings = OrchestratorSettings()
    configure_logging(settings.log_level, settings.log_format)
    run_process(run(settings))
