"""The result JSON lists every page from the OCR's page index; no payload carries that list."""

from __future__ import annotations

import json

import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from docfleet_blobstore import FileBlobStore
from docfleet_contracts import (
    CacheLookupInput,
    PageIndex,
    PageSummary,
    StoreInput,
    errors,
    naming,
)

from .conftest import MakeActivities, MakeInput


def summaries(count: int) -> list[PageSummary]:
    return [
        PageSummary(
            number=number,
            method="ocr",
            chars=9,
            start=(number - 1) * 10,
            confidence=0.75,
            text_uri=f"file:///text/b1/d1/page-{number:05d}.txt",
        )
        for number in range(1, count + 1)
    ]


async def with_pages(store: FileBlobStore, request: StoreInput, count: int) -> StoreInput:
    """`request` whose page index (under its own key) lists `count` pages."""
    index = await store.put_bytes(
        naming.page_index_key(request.batch_id, request.document_id),
        PageIndex(pages=summaries(count)).model_dump_json().encode(),
        "application/json",
    )
    ocr = request.ocr.model_copy(update={"page_index": index, "page_count": count})
    return request.model_copy(update={"ocr": ocr})


async def test_result_lists_every_page_of_the_index_while_the_input_stays_small(
    blob_store: FileBlobStore, make_input: MakeInput, make_activities: MakeActivities
) -> None:
    few = await with_pages(blob_store, await make_input(blob_store), 2)
    many = await with_pages(blob_store, await make_input(blob_store, document_id="d2"), 500)

    stored = await ActivityEnvironment().run(make_activities(blob_store).store_result, many)

    result = json.loads(await blob_store.read(stored.result))
    assert [PageSummary.model_validate(page) for page in result["pages"]] == summaries(500)
    assert result["page_count"] == 500
    # What travels through history: the same size for 2 pages and 500 (ids and counts aside).
    assert abs(len(many.model_dump_json()) - len(few.model_dump_json())) < 16


async def test_missing_page_index_is_a_typed_non_retryable_error(
    blob_store: FileBlobStore, make_input: MakeInput, make_activities: MakeActivities
) -> None:
    request = await make_input(blob_store)
    (blob_store.root / naming.page_index_key("b1", "d1")).unlink()
    with pytest.raises(ApplicationError) as info:
        await ActivityEnvironment().run(make_activities(blob_store).store_result, request)
    assert info.value.type == errors.INVALID_REQUEST and info.value.non_retryable


async def test_a_blob_that_is_no_page_index_is_a_typed_non_retryable_error(
    blob_store: FileBlobStore, make_input: MakeInput, make_activities: MakeActivities
) -> None:
    request = await make_input(blob_store)
    garbage = await blob_store.put_bytes("text/b1/d1/other.json", b"[1, 2]", "application/json")
    ocr = request.ocr.model_copy(update={"page_index": garbage})
    with pytest.raises(ApplicationError, match="is not a page index") as info:
        await ActivityEnvironment().run(
            make_activities(blob_store).store_result, request.model_copy(update={"ocr": ocr})
        )
    assert info.value.type == errors.INVALID_REQUEST and info.value.non_retryable


@pytest.mark.integration
async def test_a_cached_reading_serves_its_page_index_to_a_later_document(
    redis_url: str,
    blob_store: FileBlobStore,
    make_input: MakeInput,
    make_activities: MakeActivities,
) -> None:
    first = await make_input(blob_store)
    acts = make_activities(blob_store, redis_url)
    assert (await ActivityEnvironment().run(acts.store_result, first)).cached
    lookup = CacheLookupInput(sha256=first.source.sha256, kind=first.kind)
    found = await ActivityEnvironment().run(acts.find_cached, lookup)
    assert found.hit is not None and found.hit.ocr.page_index == first.ocr.page_index

    # The same bytes again as d9: its result lists d1's pages, read from d1's page index.
    later = await make_input(blob_store, document_id="d9")
    reused = later.model_copy(update={"ocr": found.hit.ocr, "cached_from": "b1/d1"})
    stored = await ActivityEnvironment().run(acts.store_result, reused)
    result = json.loads(await blob_store.read(stored.result))
    assert [page["method"] for page in result["pages"]] == ["text_layer", "ocr"]

    # Without its page index the entry cannot serve a result: it is a stale miss.
    (blob_store.root / naming.page_index_key("b1", "d1")).unlink()
    found = await ActivityEnvironment().run(acts.find_cached, lookup)
    assert found.hit is None and found.reason == "stale"
