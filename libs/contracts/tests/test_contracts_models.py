from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from docfleet_contracts import BatchRequest, BlobRef, DocumentSpec, FetchResult, errors, naming
from docfleet_contracts.activities import (
    CLASSIFY,
    EXTRACT_ENTITIES,
    FETCH_DOCUMENT,
    OCR_PAGES,
    RECORD_ANALYTICS,
    STORE_RESULT,
    ActivitySpec,
)

SHA = "0" * 64


@pytest.mark.parametrize(
    "url", ["https://example.org/a.pdf", "HTTP://example.org/a", "file:///data/x.png", "s3://b/k"]
)
def test_accepted_urls(url: str) -> None:
    assert DocumentSpec(url=url).url.lower() == url.lower()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org/a.pdf", "scheme 'ftp' is not supported"),
        ("javascript://alert(1)", "scheme 'javascript' is not supported"),
        ("example.org/a.pdf", "is not a URL"),
        ("https://", "has nothing after"),
        ("https://exa mple.org/a.pdf", "whitespace or control characters"),
        ("https://x/" + "a" * 5000, "longer than 4096"),
    ],
)
def test_rejected_urls_say_why(url: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        DocumentSpec(url=url)


def test_batch_limits() -> None:
    with pytest.raises(ValidationError, match="give either documents"):
        BatchRequest(documents=[])
    with pytest.raises(ValidationError, match="less than or equal to 5"):
        BatchRequest.model_validate({"documents": [{"url": "https://x/a", "priority": 7}]})
    with pytest.raises(ValidationError, match="String should match pattern"):
        BatchRequest.model_validate({"batch_id": "a/b", "documents": [{"url": "https://x/a"}]})


def test_wire_models_ignore_fields_from_newer_services() -> None:
    payload = {
        "blob": {"uri": "file:///b", "sha256": SHA, "size": 1, "future": True},
        "kind": "pdf",
        "added_later": {"x": 1},
    }
    assert FetchResult.model_validate(payload).blob == BlobRef(uri="file:///b", sha256=SHA, size=1)


def test_document_ids_are_deterministic_and_respect_client_ids() -> None:
    spec = DocumentSpec(url="https://example.org/a.pdf")
    assert naming.document_id_for(0, spec) == naming.document_id_for(0, spec)
    assert naming.document_id_for(0, spec) != naming.document_id_for(1, spec)
    own = DocumentSpec(url="https://example.org/a.pdf", document_id="inv-7")
    assert naming.document_id_for(5, own) == "inv-7"
    assert naming.batch_workflow_id("b1") == "docfleet-batch-b1"
    assert naming.result_key("b1", "inv-7") == "results/b1/inv-7.json"


def test_activity_names_are_stable_and_queues_split_by_service() -> None:
    specs: list[ActivitySpec[Any, Any]] = [
        FETCH_DOCUMENT,
        OCR_PAGES,
        CLASSIFY,
        EXTRACT_ENTITIES,
        STORE_RESULT,
        RECORD_ANALYTICS,
    ]
    assert [s.name for s in specs] == [
        "fetch.fetch_document",
        "ocr.ocr_pages",
        "nlp.classify",
        "nlp.extract_entities",
        "storage.store_result",
        "storage.record_analytics",
    ]
    assert len({FETCH_DOCUMENT.task_queue, OCR_PAGES.task_queue, CLASSIFY.task_queue}) == 3
    assert errors.NOT_FOUND in errors.NON_RETRYABLE
    assert errors.FETCH_FAILED not in errors.NON_RETRYABLE
