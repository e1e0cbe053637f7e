"""The demo batch through the five workers as separate OS processes, checked on content."""

from __future__ import annotations

import asyncio
import json
import re
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from redis.asyncio import Redis
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

from docfleet_contracts import (
    BatchRequest,
    BatchResult,
    DocumentResult,
    DocumentSpec,
    errors,
    naming,
)
from docfleet_devstack.batches import batch_documents, start_batch
from docfleet_devstack.httpd import FolderServer
from docfleet_devstack.samples import Sample, make_numbered_scan
from docfleet_devstack.stack import Stack
from docfleet_orchestrator.workflows import WORKFLOWS

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.timeout(600)]

WORD = re.compile(r"[A-Za-z]{3,}")


def words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


async def hash_of(redis: Redis, key: str) -> dict[str, str]:
    raw = await redis.hgetall(key)
    return {str(k): str(v) for k, v in raw.items()}


def read_file_uri(uri: str) -> str:
    with open(unquote(urlsplit(uri).path), encoding="utf-8") as f:
        return f.read()


@pytest.fixture(scope="module")
async def demo_result(
    fleet: Stack, fleet_client: Client, samples: list[Sample], sample_server: FolderServer
) -> BatchResult:
    urls = [sample_server.url(s.name) for s in samples] + [sample_server.url("missing.pdf")]
    request = BatchRequest.model_validate(
        # Read afresh even if another test processed the same bytes: these tests check reading.
        {"batch_id": "e2e-demo", "documents": [{"url": u} for u in urls], "use_cache": False}
    )
    handle = await start_batch(fleet_client, request)
    result: BatchResult = await handle.result()
    return result


@pytest.fixture(scope="module")
async def demo_rows(fleet: Stack, demo_result: BatchResult) -> list[DocumentResult]:
    """The demo batch's rows, from its results manifest."""
    return await batch_documents(fleet, demo_result)


def by_name(rows: list[DocumentResult], name: str) -> DocumentResult:
    return next(d for d in rows if d.url.endswith("/" + name))


async def test_bad_url_fails_alone_with_its_typed_error(
    demo_result: BatchResult, demo_rows: list[DocumentResult]
) -> None:
    assert (demo_result.total, demo_result.succeeded, demo_result.failed) == (4, 3, 1)
    assert [d.index for d in demo_rows] == [0, 1, 2, 3]
    assert demo_rows[-1].url.endswith("/missing.pdf")
    assert demo_result.failures_by_type == {errors.NOT_FOUND: 1}
    [failure] = demo_result.failure_sample
    missing = by_name(demo_rows, "missing.pdf")
    assert (failure.document_id, failure.error_type) == (missing.document_id, errors.NOT_FOUND)
    assert missing.status == "failed"
    assert missing.error_type == errors.NOT_FOUND
    assert "404" in (missing.error_message or "")


async def test_born_digital_pdf_is_read_from_its_text_layer(
    demo_rows: list[DocumentResult], samples: list[Sample]
) -> None:
    invoice = by_name(demo_rows, "invoice-digital.pdf")
    assert invoice.status == "succeeded"
    assert (invoice.page_count, invoice.text_layer_pages, invoice.ocr_pages) == (1, 1, 0)
    assert invoice.document_type == "invoice"
    assert invoice.text_uri is not None
    text = read_file_uri(invoice.text_uri)
    assert "Acme Corporation" in text
    stored = json.loads(read_file_uri(invoice.result_uri or ""))
    found = {(e["label"], e["text"]) for e in stored["entities"]}
    assert ("ORG", "Acme Corporation") in found
    assert ("TOTAL", "$1,234.56") in found
    values = {e["text"]: e["value"] for e in stored["entities"]}
    assert values["$1,234.56"] == "1234.56 USD"
    # The invoice's key fields travel in the batch's results too, each with its evidence.
    fields = {field.name: field for field in invoice.key_fields}
    assert fields["total"].value == "1234.56 USD"
    assert fields["date"].value == "2025-03-03"
    assert text[fields["total"].start : fields["total"].end] == fields["total"].text
    assert ("EMAIL", "billing@acme.example") in found


@pytest.mark.parametrize("name", ["letter-scanned.pdf", "receipt-scan.png"])
async def test_scans_are_ocrd_with_the_words_rendered_into_them(
    demo_rows: list[DocumentResult], samples: list[Sample], name: str
) -> None:
    document = by_name(demo_rows, name)
    sample = next(s for s in samples if s.name == name)
    assert document.status == "succeeded"
    assert document.ocr_pages == 1 and document.text_layer_pages == 0
    text = read_file_uri(document.text_uri or "")
    expected = words(" ".join(sample.lines))
    missing = expected - words(text)
    assert len(missing) <= len(expected) // 20, f"OCR missed {sorted(missing)} in {text!r}"
    # Spaces survive OCR: whole phrases come back, not glued words.
    assert sample.lines[-1].split()[0] in text.split()


async def test_letter_entities_include_the_written_organisation_and_amount(
    demo_rows: list[DocumentResult],
) -> None:
    letter = by_name(demo_rows, "letter-scanned.pdf")
    stored = json.loads(read_file_uri(letter.result_uri or ""))
    texts = {(e["label"], e["text"]) for e in stored["entities"]}
    assert ("MONEY", "$980.00") in texts
    assert any(label == "ORG" and "Northwind" in t for label, t in texts)


async def test_result_files_and_analytics_exist(
    demo_rows: list[DocumentResult], fleet: Stack
) -> None:
    for document in demo_rows:
        if document.status == "succeeded":
            result_uri = fleet.blob_url + "/" + naming.result_key("e2e-demo", document.document_id)
            assert json.loads(read_file_uri(result_uri))["document_id"] == document.document_id
    # Analytics run fire-and-forget after each document: wait for this batch's markers.
    redis = Redis.from_url(fleet.redis.url, decode_responses=True)
    markers = [f"docfleet:analytics:seen:e2e-demo:{d.document_id}" for d in demo_rows]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and await redis.exists(*markers) < len(markers):
        await asyncio.sleep(0.2)
    seen = await redis.exists(*markers)
    counts = await hash_of(redis, "docfleet:analytics:documents")
    pages = await hash_of(redis, "docfleet:analytics:pages")
    failures = await hash_of(redis, "docfleet:analytics:failures_by_type")
    await redis.aclose()
    # Other e2e tests share the fleet's Redis, so totals are at least this batch's figures.
    assert seen == 4
    assert int(counts["total"]) == int(counts["succeeded"]) + int(counts["failed"]) >= 4
    assert int(failures[errors.NOT_FOUND]) >= 1
    assert int(pages["ocr"]) >= 2 and int(pages["text_layer"]) >= 1


async def test_histories_replay_deterministically(
    demo_rows: list[DocumentResult], fleet_client: Client
) -> None:
    replayer = Replayer(workflows=list(WORKFLOWS), data_converter=pydantic_data_converter)
    ids = [naming.batch_workflow_id("e2e-demo")] + [
        naming.document_workflow_id("e2e-demo", d.document_id) for d in demo_rows
    ]
    for workflow_id in ids:
        history = await fleet_client.get_workflow_handle(workflow_id).fetch_history()
        await replayer.replay_workflow(history)


async def test_concurrency_bound_runs_documents_one_at_a_time(
    fleet: Stack, fleet_client: Client, sample_server: FolderServer
) -> None:
    url = sample_server.url("invoice-digital.pdf")
    request = BatchRequest.model_validate(
        {
            "batch_id": "e2e-serial",
            "documents": [{"url": url, "document_id": f"copy-{i}"} for i in range(3)],
            "max_concurrency": 1,
        }
    )
    handle = await start_batch(fleet_client, request)
    result = await handle.result()
    assert result.succeeded == 3
    in_flight = peak = 0
    async for event in handle.fetch_history_events():
        if event.HasField("start_child_workflow_execution_initiated_event_attributes"):
            in_flight += 1
            peak = max(peak, in_flight)
        if event.HasField("child_workflow_execution_completed_event_attributes"):
            in_flight -= 1
    assert peak == 1


async def test_ocr_worker_signals_page_progress_to_its_document_workflow(
    fleet_client: Client, sample_server: FolderServer, e2e_dir: Path
) -> None:
    make_numbered_scan(e2e_dir / "samples" / "numbered-3.pdf", pages=3)
    request = BatchRequest.model_validate(
        {
            "batch_id": "e2e-progress",
            "documents": [{"url": sample_server.url("numbered-3.pdf"), "document_id": "scan"}],
            "use_cache": False,
        }
    )
    result = await (await start_batch(fleet_client, request)).result()
    assert result.succeeded == 1 and result.ocr_pages == 3
    handle = fleet_client.get_workflow_handle(naming.document_workflow_id("e2e-progress", "scan"))
    signals = [
        event.workflow_execution_signaled_event_attributes.signal_name
        async for event in handle.fetch_history_events()
        if event.HasField("workflow_execution_signaled_event_attributes")
    ]
    # The first page is signalled at once; the last never is (the activity's result says it).
    assert 1 <= len(signals) <= 2 and set(signals) == {"page_progress"}
    progress = await handle.query("progress")
    assert (progress["stage"], progress["pages_done"], progress["pages_total"]) == ("done", 3, 3)


async def test_bytes_seen_before_reuse_their_stored_reading(
    fleet: Stack, fleet_client: Client, sample_server: FolderServer
) -> None:
    url = sample_server.url("receipt-scan.png")
    first = await (
        await start_batch(
            fleet_client, BatchRequest(batch_id="e2e-cache-1", documents=[DocumentSpec(url=url)])
        )
    ).result()
    second_handle = await start_batch(
        fleet_client, BatchRequest(batch_id="e2e-cache-2", documents=[DocumentSpec(url=url)])
    )
    second = await second_handle.result()
    assert first.succeeded == second.succeeded == 1
    [original] = await batch_documents(fleet, first)
    [reused] = await batch_documents(fleet, second)
    assert reused.cached and second.cached == 1
    assert reused.ocr_pages == original.ocr_pages == 1
    assert reused.document_type == original.document_type
    stored = json.loads(read_file_uri(reused.result_uri or ""))
    assert stored["batch_id"] == "e2e-cache-2" and stored["cached_from"]
    # The reading itself was skipped: the document's history ran no OCR activity.
    doc = fleet_client.get_workflow_handle(
        naming.document_workflow_id("e2e-cache-2", reused.document_id)
    )
    activity_types = [
        event.activity_task_scheduled_event_attributes.activity_type.name
        async for event in doc.fetch_history_events()
        if event.HasField("activity_task_scheduled_event_attributes")
    ]
    assert "ocr.ocr_pages" not in activity_types
    assert "storage.find_cached" in activity_types
