from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError
from rich.console import Console
from temporalio.exceptions import ActivityError, ApplicationError, ChildWorkflowError, RetryState

from docfleet_contracts import BatchResult, BlobRef, DocumentResult, Entity, naming
from docfleet_orchestrator.cli import INLINE_LIMIT, build_request, parser
from docfleet_orchestrator.failures import describe_failure
from docfleet_orchestrator.view import results_table


def activity_error(cause: BaseException) -> ActivityError:
    err = ActivityError(
        "activity failed",
        scheduled_event_id=1,
        started_event_id=2,
        identity="w",
        activity_type="fetch.fetch_document",
        activity_id="1",
        retry_state=RetryState.NON_RETRYABLE_FAILURE,
    )
    err.__cause__ = cause
    return err


def test_describe_failure_digs_out_the_application_error() -> None:
    cause = ApplicationError("HTTP 404 for https://x/a.pdf", type="DocumentNotFound")
    child = ChildWorkflowError(
        "child failed",
        namespace="default",
        workflow_id="w",
        run_id="r",
        workflow_type="DocumentWorkflow",
        initiated_event_id=1,
        started_event_id=2,
        retry_state=None,
    )
    child.__cause__ = activity_error(cause)
    assert describe_failure(child) == ("DocumentNotFound", "HTTP 404 for https://x/a.pdf")


def submit_args(tmp_path: Path, *argv: str) -> argparse.Namespace:
    return parser().parse_args(["submit", *argv])


def test_build_request_reads_urls_from_arguments_and_file(tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text("# comment\nhttps://example.org/b.pdf\n\ns3://bucket/c.png\n")
    args = submit_args(tmp_path, "https://example.org/a.pdf", "--from-file", str(listing))
    submission = build_request(args)
    request = submission.request
    assert submission.spill is None
    assert [d.url for d in request.documents] == [
        "https://example.org/a.pdf",
        "https://example.org/b.pdf",
        "s3://bucket/c.png",
    ]
    assert request.manifest_uri is None
    assert request.batch_id and request.batch_id.startswith("b-")


def _urls(count: int) -> list[str]:
    return [f"https://example.org/{n}.pdf" for n in range(count)]


def test_short_lists_travel_inline(tmp_path: Path) -> None:
    submission = build_request(
        submit_args(tmp_path, *_urls(INLINE_LIMIT), "--concurrency", "7", "--priority", "1")
    )
    assert submission.spill is None
    assert [d.url for d in submission.request.documents] == _urls(INLINE_LIMIT)
    assert {d.priority for d in submission.request.documents} == {1}
    assert submission.request.max_concurrency == 7


def test_long_lists_are_spilled_to_a_manifest(tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text("\n".join(_urls(INLINE_LIMIT + 1)))
    args = submit_args(
        tmp_path, "--from-file", str(listing), "--batch-id", "big", "--priority", "2"
    )
    submission = build_request(args)
    assert submission.request.documents == []
    assert submission.request.manifest_uri == naming.manifest_key("big")
    assert submission.spill is not None
    assert [d.url for d in submission.spill] == _urls(INLINE_LIMIT + 1)
    assert {d.priority for d in submission.spill} == {2}


def test_a_bad_url_in_a_long_list_is_refused_before_any_upload(tmp_path: Path) -> None:
    urls = [*_urls(INLINE_LIMIT), "gopher://x/a"]
    with pytest.raises(ValidationError, match="scheme 'gopher' is not supported"):
        build_request(submit_args(tmp_path, *urls))


def test_a_manifest_is_submitted_as_is_and_not_with_urls(tmp_path: Path) -> None:
    uri = "s3://fleet/blobs/batches/mine/documents.jsonl"
    submission = build_request(submit_args(tmp_path, "--manifest", uri))
    assert (submission.request.manifest_uri, submission.spill) == (uri, None)
    assert submission.request.documents == []
    with pytest.raises(ValidationError, match="give either documents"):
        build_request(submit_args(tmp_path, "https://example.org/a.pdf", "--manifest", uri))
    with pytest.raises(ValidationError, match="give either documents"):
        build_request(submit_args(tmp_path))


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["gopher://x/a"], "scheme 'gopher' is not supported"),
        (["https://x/a.pdf", "--priority", "9"], "less than or equal to 5"),
        (["https://x/a.pdf", "--batch-id", "../etc"], "String should match pattern"),
        (["not a url"], "is not a URL"),
        (["https://x/a.pdf", "--concurrency", "0"], "greater than or equal to 1"),
    ],
)
def test_build_request_explains_what_is_wrong(
    tmp_path: Path, argv: list[str], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        build_request(submit_args(tmp_path, *argv))


RESULTS = BlobRef(uri="file:///blobs/batches/b/results.jsonl", sha256="0" * 64, size=10)


def _result(**fields: object) -> BatchResult:
    return BatchResult.model_validate(
        {
            "batch_id": "b",
            "total": 2,
            "succeeded": 1,
            "failed": 1,
            "pages": 2,
            "ocr_pages": 1,
            "text_layer_pages": 1,
            "entities": 1,
            "failures_by_type": {"DocumentNotFound": 1},
            "failure_sample": [
                {
                    "document_id": "d2",
                    "url": "https://x/b.pdf",
                    "error_type": "DocumentNotFound",
                    "error_message": "HTTP 404",
                }
            ],
            "results": RESULTS,
            **fields,
        }
    )


ROWS = [
    DocumentResult(
        document_id="d1",
        index=0,
        url="https://x/a.pdf",
        status="succeeded",
        document_type="invoice",
        type_confidence=0.9,
        page_count=2,
        text_layer_pages=1,
        ocr_pages=1,
        entity_count=1,
        entity_sample=[Entity(label="ORG", text="Acme", page=1, start=0, end=4)],
        text_uri="file:///tmp/results/b/d1.txt",
    ),
    DocumentResult(
        document_id="d2",
        index=1,
        url="https://x/b.pdf",
        status="failed",
        error_type="DocumentNotFound",
        error_message="HTTP 404",
    ),
]


def _render(table: object) -> str:
    console = Console(width=200, record=True)
    console.print(table)
    return console.export_text()


def test_results_table_shows_every_row_it_is_given() -> None:
    out = _render(results_table(_result(), ROWS))
    assert "1/2 succeeded" in out
    assert "d1" in out and "invoice (0.90)" in out and "ORG:Acme" in out
    assert "DocumentNotFound: HTTP 404" in out
    assert f"every document: {RESULTS.uri}" in out
    assert "runs" not in out


def test_results_table_without_rows_shows_the_failure_sample() -> None:
    out = _render(results_table(_result(runs=3)))
    assert "1/2 succeeded" in out and "3 runs" in out
    assert "d2" in out and "DocumentNotFound: HTTP 404" in out
    assert "d1" not in out  # a succeeded document appears only in the manifest
    assert f"every document: {RESULTS.uri}" in out
    empty = _render(results_table(_result(results=None, failure_sample=[]), None))
    assert "every document" not in empty and "d2" not in empty


def test_cli_reports_a_bad_codec_key_without_a_traceback_or_the_key() -> None:
    cli = str(Path(sys.executable).parent / "docfleet")
    env = {**os.environ, "DOCFLEET_CODEC_KEYS": '{"k1": "c2hvcnQta2V5LXZhbHVl"}'}
    done = subprocess.run(
        [cli, "status", "any"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "payload encryption misconfigured" in done.stderr
    assert "Traceback" not in done.stderr
    assert "c2hvcnQta2V5LXZhbHVl" not in done.stderr
