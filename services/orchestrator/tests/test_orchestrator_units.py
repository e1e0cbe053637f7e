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

from docfleet_contracts import BatchResult, DocumentResult, Entity
from docfleet_orchestrator.cli import build_request, parser
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
    request = build_request(args)
    assert [d.url for d in request.documents] == [
        "https://example.org/a.pdf",
        "https://example.org/b.pdf",
        "s3://bucket/c.png",
    ]
    assert request.batch_id and request.batch_id.startswith("b-")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["gopher://x/a"], "scheme 'gopher' is not supported"),
        (["https://x/a.pdf", "--priority", "9"], "less than or equal to 5"),
        (["https://x/a.pdf", "--batch-id", "../etc"], "String should match pattern"),
        (["not a url"], "is not a URL"),
    ],
)
def test_build_request_explains_what_is_wrong(
    tmp_path: Path, argv: list[str], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        build_request(submit_args(tmp_path, *argv))


def test_results_table_shows_outcomes_and_errors() -> None:
    result = BatchResult(
        batch_id="b",
        total=2,
        succeeded=1,
        failed=1,
        pages=2,
        ocr_pages=1,
        text_layer_pages=1,
        entities=1,
        documents=[
            DocumentResult(
                document_id="d1",
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
                url="https://x/b.pdf",
                status="failed",
                error_type="DocumentNotFound",
                error_message="HTTP 404",
            ),
        ],
    )
    console = Console(width=200, record=True)
    console.print(results_table(result))
    out = console.export_text()
    assert "1/2 succeeded" in out
    assert "ORG:Acme" in out
    assert "DocumentNotFound: HTTP 404" in out


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
