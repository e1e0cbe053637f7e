from __future__ import annotations

import asyncio
import signal
import uuid
from collections.abc import Iterator

import pytest
import redis
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowExecutionStatus

from docfleet_blobstore import BlobStoreUnavailable, S3Options, open_blob_store
from docfleet_contracts import BatchRequest
from docfleet_devstack.batches import start_batch
from docfleet_devstack.faults import scrape
from docfleet_devstack.process import port_open
from docfleet_devstack.stack import Stack, running_stack
from docfleet_runtime import connect_client

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Servers, moto behind its proxy, and the two light workers."""
    workdir = tmp_path_factory.mktemp("stack")
    with running_stack(
        workdir,
        services=("orchestrator", "storage"),
        s3=True,
        metrics=True,
        worker_env={"orchestrator": {"DOCFLEET_LOG_LEVEL": "DEBUG"}},
    ) as started:
        yield started


def test_s3_mode_and_per_worker_env(stack: Stack) -> None:
    assert stack.blob_url.startswith("s3://docfleet-") and stack.blob_url.endswith("/blobs")
    assert stack.s3_proxy is not None and stack.moto is not None
    assert stack.env["DOCFLEET_S3_ENDPOINT_URL"] == stack.s3_proxy.url
    assert stack.env["AWS_ACCESS_KEY_ID"] == "testing"
    worker = stack.workers["storage"]
    assert worker.env["DOCFLEET_METRICS_PORT"] == str(stack.metrics_ports["storage"])


async def test_s3_proxy_cut_and_restore_keeps_the_bucket(stack: Stack) -> None:
    assert stack.s3_proxy is not None
    through_proxy = S3Options(endpoint_url=stack.s3_proxy.url, connect_timeout=1, read_timeout=2)
    async with await open_blob_store(stack.blob_url, through_proxy) as store:
        ref = await store.put_text("probe/before.txt", "written before the outage")
        stack.s3_proxy.cut()
        try:
            with pytest.raises(BlobStoreUnavailable):
                await store.put_text("probe/during.txt", "S3 is down")
        finally:
            stack.s3_proxy.restore()
        assert await store.read_text(ref) == "written before the outage"
    async with await open_blob_store(stack.blob_url, stack.s3_options) as direct:
        assert not await direct.exists(direct.uri_for("probe/during.txt"))


def test_redis_restart_keeps_port_and_data(stack: Stack) -> None:
    port = stack.redis.port
    with redis.Redis.from_url(stack.redis.url) as client:
        client.set("docfleet:probe", "kept")
    stack.stop_redis()
    assert not stack.redis.process.alive() and not port_open(port)
    stack.start_redis()
    assert stack.redis.port == port and stack.redis.process.alive()
    with redis.Redis.from_url(stack.redis.url) as client:
        assert client.get("docfleet:probe") == b"kept"
    stack.stop_redis(save=False)
    stack.start_redis()
    with redis.Redis.from_url(stack.redis.url) as client:
        assert client.get("docfleet:probe") is None


async def test_temporal_restart_keeps_port_state_and_workers(stack: Stack) -> None:
    address = stack.temporal.address
    client = await connect_client(address, "default", wait_seconds=10)
    parked = await client.start_workflow(
        "NobodyServesThis", id=f"parked-{uuid.uuid4().hex[:8]}", task_queue="no-worker-here"
    )
    stack.stop_temporal()
    assert not port_open(stack.temporal.port)
    stack.start_temporal()
    assert stack.temporal.address == address
    again = await connect_client(address, "default", wait_seconds=10)
    description = await again.get_workflow_handle(parked.id).describe()
    assert description.status == WorkflowExecutionStatus.RUNNING

    # The orchestrator worker reconnected by itself: it runs a new batch's first workflow task.
    batch = BatchRequest.model_validate(
        {"batch_id": f"restart-{uuid.uuid4().hex[:8]}", "documents": [{"url": "s3://b/k.pdf"}]}
    )
    handle = await start_batch(again, batch)
    try:
        await asyncio.wait_for(_child_started(again, handle.id), 60)
    finally:
        await handle.terminate("test over")
        await again.get_workflow_handle(parked.id).terminate("test over")
    assert stack.workers["orchestrator"].alive()


async def _child_started(client: Client, workflow_id: str) -> None:
    while True:
        history = await client.get_workflow_handle(workflow_id).fetch_history()
        if any(
            e.event_type == EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED
            for e in history.events
        ):
            return
        await asyncio.sleep(0.2)


def test_worker_env_applies_to_every_start_of_its_service(stack: Stack) -> None:
    assert stack.workers["orchestrator"].env["DOCFLEET_LOG_LEVEL"] == "DEBUG"
    assert "DOCFLEET_LOG_LEVEL" not in stack.workers["storage"].env


def test_kill_start_and_stop_workers(stack: Stack) -> None:
    first = stack.workers["storage"]
    first_port = stack.metrics_ports["storage"]
    assert scrape(stack, "storage")["process_cpu_seconds_total"] > 0
    killed = stack.kill_worker("storage")
    assert killed is first and killed.popen.returncode == -signal.SIGKILL
    assert "storage" not in stack.workers and "storage" not in stack.metrics_ports

    replacement = stack.start_worker("storage", env_overrides={"DOCFLEET_LOG_FORMAT": "json"})
    assert stack.workers["storage"] is replacement and replacement.pid != first.pid
    assert replacement.log_path.name == "storage-worker-2.log"
    assert replacement.env["DOCFLEET_LOG_FORMAT"] == "json"
    assert stack.metrics_ports["storage"] != first_port
    metrics = scrape(stack, "storage")
    assert metrics["process_cpu_seconds_total"] > 0
    assert any(key.startswith("python_info{") for key in metrics)

    assert stack.stop_worker("storage") == 0  # SIGTERM: drained and exited cleanly
    assert not replacement.alive() and "storage" not in stack.workers
