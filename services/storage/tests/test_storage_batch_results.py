from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from temporalio import workflow
from temporalio.client import Client
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from docfleet_blobstore import (
    MIN_PART_BYTES,
    BlobStore,
    FileBlobStore,
    S3BlobStore,
    S3Options,
    open_blob_store,
)
from docfleet_contracts import (
    AppendResultsInput,
    DocumentResult,
    DocumentSpec,
    FinishResultsInput,
    ManifestPage,
    ManifestPageInput,
    ManifestWritten,
    ResultsManifest,
    ResultsPart,
    WriteManifestInput,
    errors,
    naming,
)
from docfleet_contracts.activities import (
    APPEND_RESULTS,
    FINISH_RESULTS,
    READ_MANIFEST,
    WRITE_MANIFEST,
)
from docfleet_contracts.models import WireModel
from docfleet_runtime import build_worker
from docfleet_storage.settings import StorageSettings
from docfleet_storage.worker import activity_functions

from .conftest import MakeActivities
from .stores import BACKENDS, open_store


@pytest.fixture(params=BACKENDS)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[BlobStore]:
    async with await open_store(request, tmp_path) as opened:
        yield opened


def results(first: int, count: int, note: str = "") -> list[DocumentResult]:
    return [
        DocumentResult(
            document_id=f"doc-{i}",
            index=i,
            url=f"https://example.org/{i}.pdf",
            status="failed" if i % 7 == 0 else "succeeded",
            error_message=note or None,
            page_count=i % 4,
        )
        for i in range(first, first + count)
    ]


def append(batch: str, part: int, rows: list[DocumentResult]) -> AppendResultsInput:
    return AppendResultsInput(batch_id=batch, part=part, results=rows)


async def finish(
    acts: Any, batch: str, parts: int, beats: list[Any] | None = None
) -> ResultsManifest:
    env = ActivityEnvironment()
    if beats is not None:
        env.on_heartbeat = lambda *details: beats.append(details)
    manifest: ResultsManifest = await env.run(
        acts.finish_results, FinishResultsInput(batch_id=batch, parts=parts)
    )
    return manifest


async def test_finish_joins_the_pages_in_order_and_again_on_retry(
    store: BlobStore, make_activities: MakeActivities
) -> None:
    acts = make_activities(store)
    pages = {1: results(0, 3), 2: results(3, 500), 3: results(503, 2)}
    env = ActivityEnvironment()
    for part in (3, 1, 2):  # pages finish in any order
        written = await env.run(acts.append_results, append("b1", part, pages[part]))
        assert written == ResultsPart(
            uri=store.uri_for(naming.results_part_key("b1", part)), count=len(pages[part])
        )
    # A retried page replaces the first write of it.
    await env.run(acts.append_results, append("b1", 2, pages[2]))

    beats: list[Any] = []
    manifest = await finish(acts, "b1", 3, beats)

    expected = b"".join(
        row.model_dump_json().encode() + b"\n" for part in (1, 2, 3) for row in pages[part]
    )
    assert manifest.count == 505
    assert manifest.results.uri == store.uri_for(naming.results_manifest_key("b1"))
    assert manifest.results.sha256 == hashlib.sha256(expected).hexdigest()
    assert manifest.results.size == len(expected)
    assert await store.read(manifest.results) == expected
    rows = [DocumentResult.model_validate_json(line) for line in expected.splitlines()]
    assert [r.index for r in rows] == list(range(505))
    assert beats == [(1, 3), (2, 3), (3, 3)]
    # The pages stay, so a retry (even after a join whose answer was lost) gives the same.
    assert await finish(acts, "b1", 3) == manifest
    assert await store.exists(store.uri_for(naming.results_part_key("b1", 1)))
    assert await store.unfinished_uploads() == []


async def test_finish_of_no_pages_is_an_empty_manifest(
    store: BlobStore, make_activities: MakeActivities
) -> None:
    manifest = await finish(make_activities(store), "b0", 0)
    assert manifest.count == 0
    assert manifest.results.size == 0
    assert manifest.results.sha256 == hashlib.sha256(b"").hexdigest()
    assert await store.get_bytes(manifest.results.uri) == b""


async def test_finish_with_a_page_missing_is_an_invalid_request(
    blob_store: FileBlobStore, make_activities: MakeActivities
) -> None:
    acts = make_activities(blob_store)
    await ActivityEnvironment().run(acts.append_results, append("b2", 1, results(0, 2)))
    await ActivityEnvironment().run(acts.append_results, append("b2", 3, results(4, 2)))
    with pytest.raises(ApplicationError) as info:
        await finish(acts, "b2", 3)
    assert info.value.type == errors.INVALID_REQUEST and info.value.non_retryable
    assert "results page 2 of 3 is missing" in info.value.message
    assert not await blob_store.exists(blob_store.uri_for(naming.results_manifest_key("b2")))
    assert await blob_store.unfinished_uploads() == []


@pytest.mark.integration
async def test_s3_finish_streams_a_large_manifest_in_parts(
    s3_options: S3Options, s3_bucket_url: str, make_activities: MakeActivities
) -> None:
    store = await open_blob_store(s3_bucket_url, s3_options)
    assert isinstance(store, S3BlobStore)
    async with store:
        acts = make_activities(store, part_bytes=MIN_PART_BYTES)
        note = "x" * 4000  # about 4 KB a row: three full pages make about 6 MB
        for part in (1, 2, 3):
            rows = results((part - 1) * 500, 500, note)
            await ActivityEnvironment().run(acts.append_results, append("big", part, rows))
        manifest = await finish(acts, "big", 3)
        assert manifest.count == 1500 and manifest.results.size > MIN_PART_BYTES
        data = await store.read(manifest.results)  # checks the whole SHA-256
        assert data.count(b"\n") == 1500
        head = await store.client.raw.head_object(
            Bucket=store.bucket, Key=store._key(naming.results_manifest_key("big"))
        )
        assert head["ETag"].strip('"').endswith("-2")  # uploaded in two parts
        assert await finish(acts, "big", 3) == manifest
        assert await store.unfinished_uploads() == []


# --- through a real worker ----------------------------------------------------------------------


class Probe(WireModel):
    queue: str
    documents: list[DocumentSpec]


class ProbeResult(WireModel):
    written: ManifestWritten
    pages: list[ManifestPage]
    results: ResultsManifest


@workflow.defn(sandboxed=False)
class ManifestProbe:
    """Spills a batch, reads it back page by page, writes two results pages and joins them."""

    @workflow.run
    async def run(self, probe: Probe) -> ProbeResult:
        options: dict[str, Any] = {
            "task_queue": probe.queue,
            "start_to_close_timeout": timedelta(seconds=30),
            "heartbeat_timeout": timedelta(seconds=30),
        }
        spill = WriteManifestInput(batch_id="wb", first_index=0, documents=probe.documents)
        written = await workflow.execute_activity(
            WRITE_MANIFEST.name, spill, result_type=ManifestWritten, **options
        )
        pages: list[ManifestPage] = []
        offset = 0
        while not pages or not pages[-1].end:
            request = ManifestPageInput(
                batch_id="wb",
                manifest_uri=written.manifest_uri,
                offset=offset,
                first_index=sum(len(p.entries) for p in pages),
                max_documents=2,
                count_total=not pages,
            )
            pages.append(
                await workflow.execute_activity(
                    READ_MANIFEST.name, request, result_type=ManifestPage, **options
                )
            )
            offset = pages[-1].next_offset
        for part, page in enumerate(pages, start=1):
            rows = [
                DocumentResult(
                    document_id=f"d{e.index}", index=e.index, url=e.spec.url, status="succeeded"
                )
                for e in page.entries
                if e.spec
            ]
            await workflow.execute_activity(
                APPEND_RESULTS.name,
                AppendResultsInput(batch_id="wb", part=part, results=rows),
                result_type=ResultsPart,
                **options,
            )
        finished = await workflow.execute_activity(
            FINISH_RESULTS.name,
            FinishResultsInput(batch_id="wb", parts=len(pages)),
            result_type=ResultsManifest,
            **options,
        )
        return ProbeResult(written=written, pages=pages, results=finished)


@pytest.mark.integration
async def test_storage_worker_serves_the_manifest_activities(
    temporal_client: Client,
    task_queue: str,
    blob_store: FileBlobStore,
    make_activities: MakeActivities,
) -> None:
    documents = [
        DocumentSpec(url=f"https://example.org/{i}.pdf", password="pw" if i == 2 else None)
        for i in range(5)
    ]
    worker = build_worker(
        temporal_client,
        StorageSettings(),
        task_queue=task_queue,
        activities=activity_functions(make_activities(blob_store)),
        workflows=[ManifestProbe],
    )
    async with worker:
        result = await temporal_client.execute_workflow(
            ManifestProbe.run,
            Probe(queue=task_queue, documents=documents),
            id=f"manifest-probe-{uuid.uuid4().hex}",
            task_queue=task_queue,
        )
    assert result.written.count == 5
    assert [len(p.entries) for p in result.pages] == [2, 2, 1]
    assert result.pages[0].total == 5
    read_back = [e.spec for p in result.pages for e in p.entries]
    assert read_back == documents  # the password survived the data converter both ways
    assert result.results.count == 5
    rows = (await blob_store.read(result.results.results)).decode().splitlines()
    assert [DocumentResult.model_validate_json(r).index for r in rows] == [0, 1, 2, 3, 4]
