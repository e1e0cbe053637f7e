from __future__ import annotations

import asyncio
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from prometheus_client import CollectorRegistry, generate_latest
from temporalio import activity, workflow
from temporalio.client import Client
from temporalio.runtime import MetricBuffer, MetricBufferDurationFormat, Runtime, TelemetryConfig
from temporalio.worker import Worker

from docfleet_devstack.metrics import parse_metrics
from docfleet_runtime import connect_client, process_telemetry, serve
from docfleet_runtime.health import Readiness, serve_http
from docfleet_runtime.sdkmetrics import SdkMetrics


class Slow:
    """An activity that runs until the test releases it."""

    def __init__(self) -> None:
        self.started, self.release = asyncio.Event(), asyncio.Event()

    @activity.defn(name="obs.slow")
    async def run(self) -> str:
        self.started.set()
        await self.release.wait()
        return "done"


@workflow.defn(name="ObsSlowWorkflow", sandboxed=False)
class SlowWorkflow:
    @workflow.run
    async def run(self) -> str:
        result: str = await workflow.execute_activity(
            "obs.slow", start_to_close_timeout=timedelta(seconds=30), result_type=str
        )
        return result


@workflow.defn(name="ObsNoopWorkflow", sandboxed=False)
class Noop:
    @workflow.run
    async def run(self) -> str:
        return "ok"


def get(port: int, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def test_readiness_follows_worker_connection_and_shutdown() -> None:
    readiness = Readiness()
    assert readiness.check() == (False, "worker not started")
    polling = [True]
    readiness.started(lambda: polling[0])
    assert readiness.check() == (True, "ready")
    readiness.connection(False, "connection refused")
    assert readiness.check() == (False, "Temporal unreachable: connection refused")
    readiness.connection(True)
    assert readiness.check() == (True, "ready")
    polling[0] = False
    assert readiness.check() == (False, "worker not polling")
    polling[0] = True
    readiness.stopping()
    assert readiness.check() == (False, "worker shutting down")


@pytest.fixture
def endpoint() -> Iterator[tuple[int, Readiness]]:
    readiness = Readiness()
    server = serve_http("127.0.0.1", 0, readiness)
    yield server.server_port, readiness
    server.shutdown()
    server.server_close()


def test_endpoint_serves_health_readiness_and_metrics(endpoint: tuple[int, Readiness]) -> None:
    port, readiness = endpoint
    assert get(port, "/healthz") == (200, "ok\n")
    assert get(port, "/readyz") == (503, "worker not started\n")
    readiness.started(lambda: True)
    assert get(port, "/readyz") == (200, "ready\n")
    status, text = get(port, "/metrics")
    assert status == 200 and parse_metrics(text)["docfleet_worker_ready"] == 1
    assert get(port, "/other")[0] == 404


@pytest.mark.integration
async def test_serve_is_ready_while_polling_and_not_while_draining(
    temporal_client: Client, task_queue: str
) -> None:
    slow = Slow()
    started, release = slow.started, slow.release
    telemetry = process_telemetry()
    server = serve_http("127.0.0.1", 0, telemetry.readiness)
    port = server.server_port
    worker = Worker(
        temporal_client,
        task_queue=task_queue,
        workflows=[SlowWorkflow],
        activities=[slow.run],
        graceful_shutdown_timeout=timedelta(seconds=20),
    )
    stop = asyncio.Event()
    try:
        running = asyncio.create_task(
            serve(worker, service="test", client=temporal_client, stop=stop)
        )
        handle = await temporal_client.start_workflow(
            SlowWorkflow.run, id=f"obs-slow-{uuid.uuid4()}", task_queue=task_queue
        )
        await asyncio.wait_for(started.wait(), 10)
        assert await asyncio.to_thread(get, port, "/readyz") == (200, "ready\n")
        stop.set()  # what SIGTERM does: the worker drains its in-flight activity
        await asyncio.sleep(0)
        assert await asyncio.to_thread(get, port, "/readyz") == (503, "worker shutting down\n")
        assert await asyncio.to_thread(get, port, "/healthz") == (200, "ok\n")
        release.set()
        await asyncio.wait_for(running, 20)
        assert telemetry.readiness.check() == (False, "worker shutting down")
        # The drained activity's result is kept; a new worker finishes the workflow.
        async with Worker(temporal_client, task_queue=task_queue, workflows=[SlowWorkflow]):
            assert await handle.result() == "done"
    finally:
        release.set()
        server.shutdown()
        server.server_close()


@pytest.mark.integration
async def test_sdk_metrics_from_the_buffer_are_served_by_prometheus_client(
    temporal_client: Client, task_queue: str
) -> None:
    buffer = MetricBuffer(10_000, MetricBufferDurationFormat.SECONDS)
    runtime = Runtime(telemetry=TelemetryConfig(metrics=buffer, attach_service_name=False))
    target = temporal_client.service_client.config.target_host
    client = await connect_client(target, "default", runtime=runtime)
    registry = CollectorRegistry()
    registry.register(SdkMetrics(buffer))
    async with Worker(client, task_queue=task_queue, workflows=[Noop]):
        await client.execute_workflow(
            Noop.run, id=f"obs-noop-{uuid.uuid4()}", task_queue=task_queue
        )
    samples = parse_metrics(generate_latest(registry).decode())
    labels = f'namespace="default",task_queue="{task_queue}",workflow_type="ObsNoopWorkflow"'
    assert samples[f"temporal_workflow_completed_total{{{labels}}}"] == 1
    latency = "temporal_workflow_endtoend_latency_seconds"
    assert samples[f'{latency}_bucket{{le="+Inf",{labels}}}'] == 1
    assert samples[f"{latency}_count{{{labels}}}"] == 1
    assert 0 < samples[f"{latency}_sum{{{labels}}}"] < 10
