from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pymupdf
import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from docfleet_blobstore import FileBlobStore
from docfleet_contracts import errors as error_types
from docfleet_contracts import naming
from docfleet_contracts.models import OcrCheckpoint, OcrInput
from docfleet_ocr.activities import OcrActivities
from docfleet_ocr.engine import RapidOcrEngine
from docfleet_ocr.settings import OcrSettings

from .conftest import pages_of, pdf_bytes, scanned_page, text_page


@pytest.fixture
def pool() -> Iterator[ThreadPoolExecutor]:
    executor = ThreadPoolExecutor(2)
    yield executor
    executor.shutdown()


def activities(engine: RapidOcrEngine, store: FileBlobStore, pool: ThreadPoolExecutor) -> Any:
    settings = OcrSettings(ocr_heartbeat_every_seconds=600)  # only the per-page heartbeats
    return OcrActivities(engine, store, pool, settings, client=None)


async def test_activity_stores_pages_and_reports_progress(
    engine: RapidOcrEngine, tmp_path: Path, pool: ThreadPoolExecutor
) -> None:
    store = FileBlobStore(tmp_path)
    doc = pymupdf.open()
    text_page(doc, ["Statement of account for March"])
    scanned_page(doc, ["Signed copy attached"])
    source = await store.put_bytes(naming.source_key("b1", "d1"), pdf_bytes(doc), "application/pdf")
    env = ActivityEnvironment()
    beats: list[tuple[Any, ...]] = []
    env.on_heartbeat = lambda *details: beats.append(details)

    result = await env.run(
        activities(engine, store, pool).ocr_pages,
        OcrInput(batch_id="b1", document_id="d1", source=source, kind="pdf"),
    )

    checkpoints = [OcrCheckpoint.model_validate(beat[0]) for beat in beats]
    assert [(c.pages_done, c.pages_total) for c in checkpoints] == [(0, 2), (1, 2), (2, 2)]
    assert (result.page_count, result.text_layer_pages, result.ocr_pages) == (2, 1, 1)
    assert result.page_index.uri == store.uri_for(naming.page_index_key("b1", "d1"))
    pages = await pages_of(store, result)
    assert [page.method for page in pages] == ["text_layer", "ocr"]
    full = await store.read_text(result.text)
    assert full == "Statement of account for March\fSigned copy attached"
    assert result.chars == len(full)
    second = pages[1]
    assert full[second.start : second.start + second.chars] == "Signed copy attached"
    assert second.text_uri == store.uri_for(naming.page_text_key("b1", "d1", 2))
    assert (await store.get_bytes(second.text_uri)).decode() == "Signed copy attached"
    assert result.mean_confidence == second.confidence
    assert result.mean_confidence is not None and result.mean_confidence > 0.8


async def test_corrupt_source_fails_without_retry(
    engine: RapidOcrEngine, tmp_path: Path, pool: ThreadPoolExecutor
) -> None:
    store = FileBlobStore(tmp_path)
    source = await store.put_bytes("sources/b1/bad", b"%PDF-1.4 garbage", "application/pdf")
    with pytest.raises(ApplicationError) as caught:
        await ActivityEnvironment().run(
            activities(engine, store, pool).ocr_pages,
            OcrInput(batch_id="b1", document_id="bad", source=source, kind="pdf"),
        )
    assert caught.value.type == error_types.INVALID_DOCUMENT
    assert caught.value.non_retryable


async def test_missing_source_is_an_invalid_request(
    engine: RapidOcrEngine, tmp_path: Path, pool: ThreadPoolExecutor
) -> None:
    store = FileBlobStore(tmp_path)
    source = await store.put_bytes("sources/b1/gone", b"%PDF", "application/pdf")
    (tmp_path / "sources/b1/gone").unlink()
    with pytest.raises(ApplicationError) as caught:
        await ActivityEnvironment().run(
            activities(engine, store, pool).ocr_pages,
            OcrInput(batch_id="b1", document_id="gone", source=source, kind="pdf"),
        )
    assert caught.value.type == error_types.INVALID_REQUEST
