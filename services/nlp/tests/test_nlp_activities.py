from __future__ import annotations

import json
import socket
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from docfleet_blobstore import BlobStore, FileBlobStore, S3Options, open_blob_store
from docfleet_contracts import (
    BlobRef,
    ClassifyInput,
    Entity,
    ExtractInput,
    PageIndex,
    PageSummary,
    errors,
    naming,
)
from docfleet_contracts.models import ENTITY_SAMPLE_SIZE
from docfleet_nlp.activities import NlpActivities
from docfleet_nlp.classifier import KeywordClassifier
from docfleet_nlp.entities import EntityExtractor

PAGE_1 = "INVOICE\n\nInvoice from Acme Corporation, 42 Harbour Road, Boston.\n"
PAGE_2 = "Amount due: $1,234.56 by 2025-03-31. Questions go to billing@acme.com.\n"


@pytest.fixture(scope="module")
def executor() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(2) as pool:
        yield pool


@pytest.fixture
def store(tmp_path: Path) -> FileBlobStore:
    return FileBlobStore(tmp_path)


async def page_index(store: BlobStore, document_id: str, starts: list[int]) -> BlobRef:
    """A page index as the OCR worker writes it, with pages starting at `starts`."""
    pages = [
        PageSummary(number=number, method="text_layer", chars=1, start=start)
        for number, start in enumerate(starts, start=1)
    ]
    data = PageIndex(pages=pages).model_dump_json().encode()
    return await store.put_bytes(naming.page_index_key("b1", document_id), data, "application/json")


def activities_for(
    store: BlobStore, extractor: EntityExtractor, executor: ThreadPoolExecutor
) -> NlpActivities:
    return NlpActivities(store, KeywordClassifier(), extractor, executor)


async def test_nlp_activity_extracts_entities_into_a_blob(
    store: FileBlobStore, extractor: EntityExtractor, executor: ThreadPoolExecutor
) -> None:
    text = PAGE_1 + "\f" + PAGE_2
    ref = await store.put_text(naming.full_text_key("b1", "d1"), text)
    heartbeats: list[tuple[object, ...]] = []
    env = ActivityEnvironment()
    env.on_heartbeat = lambda *details: heartbeats.append(details)
    index = await page_index(store, "d1", [0, len(PAGE_1) + 1])
    request = ExtractInput(batch_id="b1", document_id="d1", text=ref, page_index=index)

    result = await env.run(activities_for(store, extractor, executor).extract_entities, request)

    assert result.entities.uri == store.uri_for(naming.entities_key("b1", "d1"))
    assert result.entities.content_type == "application/json"
    stored = [Entity.model_validate(e) for e in json.loads(await store.read(result.entities))]
    assert len(stored) == result.count == sum(result.by_label.values())
    pages = {(e.label, e.text): e.page for e in stored}
    assert pages["ORG", "Acme Corporation"] == 1
    assert pages["TOTAL", "$1,234.56"] == 2
    assert pages["EMAIL", "billing@acme.com"] == 2
    assert pages["DATE", "2025-03-31"] == 2
    assert {(e.label, e.text) for e in result.sample} == set(pages)
    assert heartbeats == [(0, 1), (1, 1)]


async def test_nlp_activity_rejects_a_page_index_that_is_missing_or_not_one(
    store: FileBlobStore, extractor: EntityExtractor, executor: ThreadPoolExecutor
) -> None:
    ref = await store.put_text(naming.full_text_key("b1", "d1"), PAGE_1)
    acts = activities_for(store, extractor, executor)
    gone = BlobRef(uri=store.uri_for(naming.page_index_key("b1", "gone")), sha256="0" * 64, size=2)
    key = naming.page_index_key("b1", "d1")
    garbage = await store.put_bytes(key, b"[1, 2]", "application/json")

    for index, message in ((gone, "does not exist"), (garbage, "is not a page index")):
        request = ExtractInput(batch_id="b1", document_id="d1", text=ref, page_index=index)
        with pytest.raises(ApplicationError, match=message) as raised:
            await ActivityEnvironment().run(acts.extract_entities, request)
        assert raised.value.type == errors.INVALID_REQUEST and raised.value.non_retryable


async def test_nlp_activity_caps_the_sample_and_heartbeats_per_chunk(
    store: FileBlobStore, extractor: EntityExtractor, executor: ThreadPoolExecutor
) -> None:
    text = "".join(
        f"Invoice {i} was paid with ${i},000.00 by user{i}@acme.com.\n\n" for i in range(200)
    )
    ref = await store.put_text("text/b1/d2/full.txt", text)
    heartbeats: list[tuple[object, ...]] = []
    env = ActivityEnvironment()
    env.on_heartbeat = lambda *details: heartbeats.append(details)
    small = EntityExtractor(extractor.nlp, chunk_chars=2_000)
    acts = NlpActivities(store, KeywordClassifier(), small, executor)

    result = await env.run(
        acts.extract_entities, ExtractInput(batch_id="b1", document_id="d2", text=ref)
    )

    assert result.by_label["EMAIL"] == 200 and result.by_label["MONEY"] == 200
    assert len(result.sample) == ENTITY_SAMPLE_SIZE
    assert {"MONEY", "EMAIL"} <= {e.label for e in result.sample}
    assert len(heartbeats) == len(small.chunks(text)) + 1 > 5


async def test_nlp_activity_classifies_a_text_blob(
    store: FileBlobStore, extractor: EntityExtractor, executor: ThreadPoolExecutor
) -> None:
    text = "INVOICE\nInvoice No: 7\nBill To: Globex\nAmount Due: $10.00\nDue Date: 2025-04-01\n"
    ref = await store.put_text("text/b1/d3/full.txt", text)

    result = await ActivityEnvironment().run(
        activities_for(store, extractor, executor).classify, ClassifyInput(text=ref)
    )

    assert result.label == "invoice"
    assert result.confidence > 0.6


async def test_nlp_activity_rejects_a_missing_text_blob(
    store: FileBlobStore, extractor: EntityExtractor, executor: ThreadPoolExecutor
) -> None:
    ref = BlobRef(uri=store.uri_for("text/b1/none/full.txt"), sha256="0" * 64, size=0)
    acts = activities_for(store, extractor, executor)

    with pytest.raises(ApplicationError) as raised:
        await ActivityEnvironment().run(acts.classify, ClassifyInput(text=ref))
    assert raised.value.type == errors.INVALID_REQUEST
    assert raised.value.non_retryable

    with pytest.raises(ApplicationError) as raised:
        request = ExtractInput(batch_id="b1", document_id="none", text=ref)
        await ActivityEnvironment().run(acts.extract_entities, request)
    assert raised.value.type == errors.INVALID_REQUEST


async def test_nlp_activity_rejects_a_text_that_is_not_utf8(
    store: FileBlobStore, extractor: EntityExtractor, executor: ThreadPoolExecutor
) -> None:
    ref = await store.put_bytes("text/b1/bin/full.txt", b"\xff\xfe\x00binary", "text/plain")

    with pytest.raises(ApplicationError) as raised:
        await ActivityEnvironment().run(
            activities_for(store, extractor, executor).classify, ClassifyInput(text=ref)
        )
    assert raised.value.type == errors.INVALID_REQUEST


@pytest.fixture
async def unreachable_store(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[BlobStore]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "docfleet-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "docfleet-test-secret")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens on the port once the probe is closed: connections are refused.
    options = S3Options(endpoint_url=f"http://127.0.0.1:{port}", connect_timeout=0.5)
    store = await open_blob_store("s3://docs/fleet", options)
    yield store
    await store.close()


async def test_nlp_activity_reports_an_unreachable_blob_store_as_retryable(
    unreachable_store: BlobStore, extractor: EntityExtractor, executor: ThreadPoolExecutor
) -> None:
    ref = BlobRef(uri=unreachable_store.uri_for("text/b1/d1/full.txt"), sha256="0" * 64, size=5)

    with pytest.raises(ApplicationError) as raised:
        await ActivityEnvironment().run(
            activities_for(unreachable_store, extractor, executor).classify, ClassifyInput(text=ref)
        )
    assert raised.value.type == errors.DEPENDENCY_UNAVAILABLE
    assert not raised.value.non_retryable
