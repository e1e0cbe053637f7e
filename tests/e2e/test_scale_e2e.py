"""Batches bigger than one run: sliding window, continue-as-new, manifests, bounded payloads.

The whole fleet (five worker processes) reads 500 distinct tiny PDFs with a small window and a
low event budget, so the batch workflow's chain has several runs; then the chain's histories
are walked to check that no run grew past its budget and no payload past a fixed bound.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowFailureError

from docfleet_contracts import BatchRequest, DocumentSpec, naming, search
from docfleet_contracts.activities import WRITE_MANIFEST
from docfleet_contracts.models.batches import min_event_budget
from docfleet_devstack.batches import (
    batch_documents,
    eventually,
    run_batch,
    start_batch,
    upload_manifest,
)
from docfleet_devstack.histories import chain_histories, run_history
from docfleet_devstack.httpd import FolderServer
from docfleet_devstack.invariants import check_batch_invariant
from docfleet_devstack.samples import make_trivial_pdfs
from docfleet_devstack.stack import Stack
from docfleet_orchestrator.batch import RESULTS_PAGE_BYTES

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.timeout(900)]

LARGE = 500
WINDOW = 10
BUDGET = 600
PAYLOAD_BOUND = RESULTS_PAGE_BYTES + 16 * 1024
"""The largest payload is one page of result rows; nothing else comes near."""


@pytest.fixture(scope="module")
def trivial(e2e_dir: Path) -> Iterator[tuple[FolderServer, list[str]]]:
    folder = e2e_dir / "trivial"
    names = make_trivial_pdfs(folder, LARGE)
    server = FolderServer(folder)
    yield server, [server.url(name) for name in names]
    server.close()


async def test_large_batch_continues_as_new_with_bounded_histories(
    fleet: Stack, fleet_client: Client, trivial: tuple[FolderServer, list[str]]
) -> None:
    _, urls = trivial
    assert BUDGET >= min_event_budget(WINDOW)
    result = await run_batch(
        fleet_client,
        "scale-500",
        urls,
        stack=fleet,
        manifest=True,
        max_concurrency=WINDOW,
        history_event_budget=BUDGET,
        use_cache=False,
    )

    assert (result.total, result.succeeded, result.failed) == (LARGE, LARGE, 0)
    assert result.text_layer_pages == LARGE and result.ocr_pages == 0
    runs = await chain_histories(fleet_client, naming.batch_workflow_id("scale-500"))
    figures = f"{len(runs)} runs: " + ", ".join(
        f"{r.events} events (largest payload {r.largest_payload} B in {r.largest_payload_event})"
        for r in runs
    )
    assert result.runs == len(runs) >= 3, figures
    assert all(r.continued_as_new for r in runs[:-1]) and not runs[-1].continued_as_new
    assert max(r.events for r in runs) <= BUDGET, figures
    assert max(r.largest_payload for r in runs) <= PAYLOAD_BOUND, figures

    rows = await batch_documents(fleet, result)
    assert [row.index for row in rows] == list(range(LARGE))
    assert len({row.document_id for row in rows}) == LARGE

    # A document's own history does not grow with the batch either.
    sample = await run_history(
        fleet_client, naming.document_workflow_id("scale-500", rows[-1].document_id)
    )
    assert sample.largest_payload < 16 * 1024

    report = await check_batch_invariant(
        fleet_client, "scale-500", LARGE, fleet.blob_url, fleet.s3_options
    )
    assert report.completed == LARGE


async def test_search_attributes_find_the_batch_and_its_documents(
    fleet_client: Client, fleet: Stack, trivial: tuple[FolderServer, list[str]]
) -> None:
    _, urls = trivial
    result = await run_batch(fleet_client, "scale-search", urls[:6], use_cache=False)
    assert result.succeeded == 6

    async def count(query: str) -> int:
        return (await fleet_client.count_workflows(query)).count

    batch = f'{search.BATCH_ID.name}="scale-search"'
    documents = f'{batch} AND WorkflowType="DocumentWorkflow"'
    await _eventually_equal(lambda: count(documents), 6)
    await _eventually_equal(
        lambda: count(f'{documents} AND {search.DOCUMENT_STATUS.name}="succeeded"'), 6
    )
    assert await count(f'{batch} AND WorkflowType="OrchestratorWorkflow"') == 1
    typed = await count(f"{documents} AND {search.DOCUMENT_TYPE.name} IS NOT NULL")
    assert typed == 6


async def test_inline_batch_spills_to_a_manifest_when_it_continues_as_new(
    fleet: Stack, fleet_client: Client, trivial: tuple[FolderServer, list[str]]
) -> None:
    _, urls = trivial
    window = 4
    result = await run_batch(
        fleet_client,
        "scale-inline",
        urls[:40],
        max_concurrency=window,
        history_event_budget=min_event_budget(window),
        use_cache=False,
    )
    assert (result.total, result.succeeded) == (40, 40)
    assert result.runs >= 2
    rows = await batch_documents(fleet, result)
    assert [row.url for row in rows] == urls[:40]
    workflow_id = naming.batch_workflow_id("scale-inline")
    first = (await chain_histories(fleet_client, workflow_id))[0]
    history = await fleet_client.get_workflow_handle(
        workflow_id, run_id=first.run_id
    ).fetch_history()
    scheduled = [
        e.activity_task_scheduled_event_attributes.activity_type.name
        for e in history.events
        if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
    ]
    assert scheduled.count(WRITE_MANIFEST.name) == 1


async def test_a_bad_manifest_line_fails_only_its_document(
    fleet: Stack, fleet_client: Client, trivial: tuple[FolderServer, list[str]]
) -> None:
    _, urls = trivial
    uri = await upload_manifest(
        fleet.blob_url, "scale-badline", [DocumentSpec(url=u) for u in urls[:3]], fleet.s3_options
    )
    # Append a comment, a blank line and two broken lines to the uploaded manifest.
    path = Path(uri.removeprefix("file://"))
    with path.open("a") as manifest:
        manifest.write('# a comment\n\n{"url": "ftp://nowhere/x.pdf"}\nnot json at all\n')
    request = BatchRequest(batch_id="scale-badline", manifest_uri=uri, use_cache=False)
    result = await (await start_batch(fleet_client, request)).result()

    assert (result.total, result.succeeded, result.failed) == (5, 3, 2)
    assert result.failures_by_type == {"InvalidRequest": 2}
    rows = await batch_documents(fleet, result)
    assert [row.index for row in rows] == [0, 1, 2, 3, 4]
    broken = [row for row in rows if row.status == "failed"]
    assert all("manifest line" in (row.error_message or "") for row in broken)


async def test_a_missing_manifest_fails_the_batch_with_a_typed_error(
    fleet: Stack, fleet_client: Client
) -> None:
    uri = fleet.blob_url.rstrip("/") + "/batches/nowhere/documents.jsonl"
    request = BatchRequest(batch_id="scale-missing", manifest_uri=uri)
    handle = await start_batch(fleet_client, request)
    with pytest.raises(WorkflowFailureError) as caught:
        await handle.result()
    chain = []
    cause: BaseException | None = caught.value
    while cause is not None:
        chain.append(f"{type(cause).__name__}: {getattr(cause, 'type', '')} {cause}")
        cause = cause.__cause__
    text = "\n".join(chain)
    assert "nowhere" in text and ("InvalidRequest" in text or "DocumentNotFound" in text), text


async def _eventually_equal(
    read: Callable[[], Awaitable[int]], want: int, timeout: float = 20.0
) -> None:
    """Visibility lags a little behind the workflows: ask again until the count is right."""

    async def check() -> bool:
        return await read() == want

    await eventually(check, timeout=timeout, what=f"a count of {want}")
