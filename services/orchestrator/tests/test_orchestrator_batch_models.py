"""The batch contracts the workflow relies on: one source of documents, a budget that fits the
window, and totals that stay bounded however many documents fail."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from docfleet_contracts import (
    MAX_INLINE_DOCUMENTS,
    BatchCarry,
    BatchRequest,
    BatchTotals,
    DocumentResult,
)
from docfleet_contracts.models.batches import (
    DEFAULT_EVENT_BUDGET,
    DEFAULT_WINDOW,
    FAILURE_SAMPLE_SIZE,
    MAX_ERROR_MESSAGE,
    min_event_budget,
)

MANIFEST = "file:///blobs/batches/b/documents.jsonl"
ONE = [{"url": "https://example.org/a.pdf"}]


def test_a_batch_has_inline_documents_or_a_manifest() -> None:
    inline = BatchRequest.model_validate({"batch_id": "b", "documents": ONE})
    assert (len(inline.documents), inline.manifest_uri) == (1, None)
    listed = BatchRequest.model_validate({"batch_id": "b", "manifest_uri": MANIFEST})
    assert (listed.documents, listed.manifest_uri) == ([], MANIFEST)
    assert listed.max_concurrency == DEFAULT_WINDOW
    assert listed.history_event_budget == DEFAULT_EVENT_BUDGET


@pytest.mark.parametrize(
    "source",
    [{}, {"documents": []}, {"documents": ONE, "manifest_uri": MANIFEST}, {"manifest_uri": ""}],
)
def test_both_sources_or_neither_are_refused(source: dict[str, object]) -> None:
    with pytest.raises(ValidationError, match=r"give either documents \(inline\) or manifest_uri"):
        BatchRequest.model_validate({"batch_id": "b", **source})


def test_inline_documents_are_capped() -> None:
    too_many = [{"url": f"https://example.org/{i}.pdf"} for i in range(MAX_INLINE_DOCUMENTS + 1)]
    with pytest.raises(ValidationError, match=f"at most {MAX_INLINE_DOCUMENTS} items"):
        BatchRequest.model_validate({"documents": too_many})


def test_a_continued_run_carries_its_cursor_instead_of_a_source() -> None:
    first = BatchRequest.model_validate({"batch_id": "b", "documents": ONE})
    carry = BatchCarry(manifest_uri=MANIFEST, manifest_offset=120, next_index=3, runs=2)
    continued = first.model_copy(update={"documents": [], "manifest_uri": None, "carry": carry})
    back = BatchRequest.model_validate_json(continued.model_dump_json())
    assert back.carry == carry and not back.documents and back.manifest_uri is None


def test_an_event_budget_too_small_for_the_window_says_what_would_do() -> None:
    least = min_event_budget(100)
    assert least == 2 * (100 * 8 + 100)
    with pytest.raises(ValidationError) as info:
        BatchRequest.model_validate(
            {"manifest_uri": MANIFEST, "max_concurrency": 100, "history_event_budget": least - 1}
        )
    assert (
        f"history_event_budget {least - 1} is too small for a window of 100 documents: "
        f"use at least {least}"
    ) in str(info.value)
    fits = {"manifest_uri": MANIFEST, "max_concurrency": 100, "history_event_budget": least}
    assert BatchRequest.model_validate(fits).history_event_budget == least
    # The defaults fit each other.
    assert min_event_budget(DEFAULT_WINDOW) <= DEFAULT_EVENT_BUDGET


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"max_concurrency": 0}, "greater than or equal to 1"),
        ({"max_concurrency": 1001}, "less than or equal to 1000"),
        ({"history_event_budget": 199}, "greater than or equal to 200"),
        ({"history_event_budget": 40_001}, "less than or equal to 40000"),
    ],
)
def test_window_and_budget_limits(options: dict[str, int], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        BatchRequest.model_validate({"manifest_uri": MANIFEST, **options})


def _row(n: int, status: str = "succeeded", **fields: object) -> DocumentResult:
    return DocumentResult.model_validate(
        {"document_id": f"d{n}", "url": f"https://example.org/{n}.pdf", "status": status, **fields}
    )


def test_totals_count_outcomes_pages_and_entities() -> None:
    totals = BatchTotals()
    totals.add(_row(1, page_count=3, text_layer_pages=2, ocr_pages=1, entity_count=7))
    totals.add(_row(2, "partial", page_count=2, ocr_pages=2, cached=True))
    # A failed row's figures are not counted, only the failure.
    totals.add(_row(3, "failed", page_count=9, error_type="DocumentNotFound", error_message="404"))
    totals.add(_row(4, "failed", error_type="DocumentNotFound", error_message="404"))
    totals.add(_row(5, "failed"))
    assert (totals.total, totals.succeeded, totals.partial, totals.failed) == (5, 1, 1, 3)
    assert (totals.cached, totals.pages, totals.text_layer_pages, totals.ocr_pages) == (1, 5, 2, 3)
    assert totals.entities == 7
    assert totals.failures_by_type == {"DocumentNotFound": 2, "Unknown": 1}
    assert [(f.document_id, f.error_type, f.error_message) for f in totals.failure_sample] == [
        ("d3", "DocumentNotFound", "404"),
        ("d4", "DocumentNotFound", "404"),
        ("d5", "Unknown", ""),
    ]
    # They travel across continue-as-new as JSON.
    assert BatchTotals.model_validate_json(totals.model_dump_json()) == totals


def test_the_failure_sample_stays_bounded_and_messages_short() -> None:
    totals = BatchTotals()
    failures = FAILURE_SAMPLE_SIZE + 15
    for n in range(failures):
        kind = "FetchTimeout" if n % 2 else "InvalidDocument"
        totals.add(_row(n, "failed", error_type=kind, error_message=f"{n}:" + "x" * 5000))
    assert totals.failed == totals.total == failures
    assert totals.failures_by_type == {"InvalidDocument": 18, "FetchTimeout": 17}
    assert len(totals.failure_sample) == FAILURE_SAMPLE_SIZE
    assert [f.document_id for f in totals.failure_sample] == [
        f"d{n}" for n in range(FAILURE_SAMPLE_SIZE)
    ]
    first = totals.failure_sample[0]
    assert len(first.error_message) == MAX_ERROR_MESSAGE
    assert first.error_message.startswith("0:xxx")
    assert BatchTotals.model_validate_json(totals.model_dump_json()) == totals


def test_an_unset_budget_grows_with_a_large_window() -> None:
    inline = [{"url": "https://example.org/a.pdf"}]
    assert BatchRequest.model_validate({"documents": inline}).history_event_budget == 10_000
    wide = BatchRequest.model_validate({"documents": inline, "max_concurrency": 1000})
    assert wide.history_event_budget == min_event_budget(1000) > 10_000
