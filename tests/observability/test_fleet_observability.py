"""One real fleet with metrics on: endpoints, metrics moving during a batch, logs, backlog."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from temporalio.client import Client

from docfleet_contracts import BatchRequest
from docfleet_contracts.queues import OCR_QUEUE
from docfleet_devstack.batches import eventually, run_batch, start_batch
from docfleet_devstack.faults import scrape, worker_logs
from docfleet_devstack.fleet import SERVICES
from docfleet_devstack.httpd import FolderServer
from docfleet_devstack.samples import Sample, make_numbered_scan, make_samples
from docfleet_devstack.stack import Stack, running_stack
from docfleet_runtime import connect_client

pytestmark = [pytest.mark.integration, pytest.mark.e2e]

BACKLOG_OCR = f'docfleet_task_queue_backlog{{queue="{OCR_QUEUE}"}}'


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("observability")


@pytest.fixture(scope="module")
def samples(folder: Path) -> list[Sample]:
    made = make_samples(folder / "documents")
    make_numbered_scan(folder / "documents" / "queued-scan.pdf", 1)
    return made


@pytest.fixture(scope="module")
def server(folder: Path, samples: list[Sample]) -> Iterator[FolderServer]:
    served = FolderServer(folder / "documents")
    yield served
    served.close()


@pytest.fixture(scope="module")
def stack(folder: Path, samples: list[Sample]) -> Iterator[Stack]:
    with running_stack(
        folder / "stack",
        metrics=True,
        extra_env={"DOCFLEET_READINESS_PROBE_SECONDS": "1"},
        worker_env={
            "orchestrator": {"DOCFLEET_BACKLOG_POLL_SECONDS": "1"},
            # Every document then reads afresh, and its workflow logs why: a workflow log line.
            "storage": {"DOCFLEET_CACHE_ENABLED": "false"},
            # Big print needs no fine rendering: pages read in a fraction of the time.
            "ocr": {"DOCFLEET_OCR_DPI": "100", "DOCFLEET_OCR_MAX_SIDE_LEN": "1200"},
        },
    ) as running:
        yield running


@pytest.fixture
async def client(stack: Stack) -> AsyncIterator[Client]:
    yield await connect_client(stack.temporal.address, "default", wait_seconds=30)


def family_name(sample: str) -> str:
    for suffix in ("_bucket", "_count", "_sum", "_total"):
        sample = sample.removesuffix(suffix)
    return sample


def get(stack: Stack, service: str, path: str) -> tuple[int, str]:
    url = f"http://127.0.0.1:{stack.metrics_ports[service]}{path}"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def total(samples: dict[str, float], prefix: str, *labels: str) -> float:
    """Sum of the samples named `prefix` whose labels include every one of `labels`."""
    return sum(
        value
        for key, value in samples.items()
        if key.split("{")[0] == prefix and all(label in key for label in labels)
    )


def test_every_worker_answers_health_readiness_and_both_metric_families(stack: Stack) -> None:
    for service in SERVICES:
        assert get(stack, service, "/healthz") == (200, "ok\n"), service
        assert get(stack, service, "/readyz") == (200, "ready\n"), service
        metrics = scrape(stack, service)
        assert metrics["docfleet_worker_ready"] == 1, service
        assert total(metrics, "temporal_worker_start_total") >= 1, service
        assert total(metrics, "temporal_num_pollers") >= 1, service


async def test_a_batch_moves_every_workers_metrics(
    stack: Stack, server: FolderServer, samples: list[Sample], client: Client
) -> None:
    before = {service: scrape(stack, service) for service in SERVICES}
    batch_id = f"obs-{uuid.uuid4().hex[:8]}"
    urls = [server.url(sample.name) for sample in samples]
    result = await run_batch(client, batch_id, urls)
    assert (result.succeeded, result.ocr_pages, result.text_layer_pages) == (3, 2, 1)

    async def analytics_counted() -> bool:
        after = scrape(stack, "storage")
        return (
            total(after, "docfleet_documents_total")
            - total(before["storage"], "docfleet_documents_total")
            >= 3
        )

    await eventually(analytics_counted, timeout=20, what="storage to count 3 documents")
    after = {service: scrape(stack, service) for service in SERVICES}

    def moved(service: str, name: str, *labels: str) -> float:
        return total(after[service], name, *labels) - total(before[service], name, *labels)

    assert moved("fetcher", "docfleet_fetch_documents_total", 'outcome="ok"') == 3
    assert moved("fetcher", "docfleet_fetch_bytes_total") > 1000
    assert moved("ocr", "docfleet_ocr_pages_total", 'method="ocr"') == 2
    assert moved("ocr", "docfleet_ocr_pages_total", 'method="text_layer"') == 1
    assert moved("ocr", "docfleet_ocr_page_seconds_count") == 3
    assert moved("storage", "docfleet_documents_total", 'status="succeeded"') == 3
    assert moved("storage", "docfleet_stage_seconds_count", 'stage="reading"') == 3
    assert moved("storage", "docfleet_store_parts_total") >= 3
    sdk_executions = "temporal_activity_execution_latency_seconds_count"
    assert moved("nlp", sdk_executions, 'activity_type="nlp.classify"') == 3
    assert moved("fetcher", sdk_executions, 'activity_type="fetch.fetch_document"') == 3
    assert moved("orchestrator", "temporal_workflow_completed_total") >= 4  # batch + 3 documents


def test_every_sdk_metric_on_the_dashboard_is_served(
    stack: Stack, dashboard_metrics: set[str]
) -> None:
    served = {family_name(key.split("{")[0]) for s in SERVICES for key in scrape(stack, s)}
    wanted = {name for name in dashboard_metrics if name.startswith("temporal_")}
    # Only reported once an attempt failed; this fleet's batch did not fail any.
    wanted.discard("temporal_activity_execution_failed")
    assert wanted and wanted <= served, sorted(wanted - served)


def test_worker_logs_are_json_lines_naming_batch_document_and_activity(stack: Stack) -> None:
    entries = []
    for service in SERVICES:
        for line in worker_logs(stack, service).splitlines():
            if line.startswith("{"):
                entries.append(json.loads(line))
    assert entries and all({"ts", "level", "logger", "message"} <= set(e) for e in entries)
    in_activities = [e for e in entries if "activity" in e and "batch_id" in e]
    assert in_activities, "no log line from inside an activity carried its batch id"
    for entry in in_activities:
        assert entry["workflow_id"] and entry["run_id"] and entry["document_id"]
    in_workflows = [e for e in entries if e["message"] == "no cached reading: cache disabled"]
    assert in_workflows, "no log line from inside a workflow"
    for entry in in_workflows:
        assert entry["workflow_type"] == "DocumentWorkflow" and "activity" not in entry
        assert entry["batch_id"] and entry["document_id"] and entry["run_id"]
        assert entry["workflow_id"] == f"docfleet-doc-{entry['batch_id']}-{entry['document_id']}"


async def test_backlog_rises_while_ocr_is_stopped_and_drains_after(
    stack: Stack, server: FolderServer, client: Client
) -> None:
    stack.stop_worker("ocr")
    request = BatchRequest.model_validate(
        {
            "batch_id": f"obs-backlog-{uuid.uuid4().hex[:8]}",
            "documents": [{"url": server.url("queued-scan.pdf")}],
        }
    )
    handle = await start_batch(client, request)

    async def ocr_backlogged() -> bool:
        return scrape(stack, "orchestrator").get(BACKLOG_OCR, 0) >= 1

    await eventually(ocr_backlogged, timeout=30, what=f"{BACKLOG_OCR} >= 1")
    stack.start_worker("ocr")
    result = await handle.result()
    assert (result.succeeded, result.ocr_pages) == (1, 1)

    async def ocr_drained() -> bool:
        return scrape(stack, "orchestrator").get(BACKLOG_OCR, 1) == 0

    await eventually(ocr_drained, timeout=30, what=f"{BACKLOG_OCR} back to 0")


async def test_workers_are_unready_while_temporal_is_down_and_ready_again_after(
    stack: Stack,
) -> None:
    stack.stop_temporal()
    try:

        async def all_unready() -> bool:
            answers = [get(stack, service, "/readyz") for service in SERVICES]
            return all(status == 503 and "Temporal unreachable" in why for status, why in answers)

        await eventually(all_unready, timeout=15, what="every worker's /readyz to answer 503")
        assert all(get(stack, service, "/healthz")[0] == 200 for service in SERVICES)
    finally:
        stack.start_temporal()

    async def all_ready() -> bool:
        return all(get(stack, service, "/readyz")[0] == 200 for service in SERVICES)

    await eventually(all_ready, timeout=30, what="every worker's /readyz to answer 200 again")
