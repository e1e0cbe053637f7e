"""Starting batches with the stock `temporal` CLI and with `docfleet`, against the live fleet."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from temporalio.client import Client, WorkflowExecutionStatus

from docfleet_contracts import BatchResult, errors, naming
from docfleet_devstack.batches import batch_documents
from docfleet_devstack.httpd import FolderServer
from docfleet_devstack.samples import Sample
from docfleet_devstack.servers import temporal_binary
from docfleet_devstack.stack import Stack
from docfleet_orchestrator.cli import INLINE_LIMIT

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.timeout(600)]

DOCFLEET = str(Path(sys.executable).parent / "docfleet")


def run_cli(argv: list[str], fleet: Stack) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv,
        env={**os.environ, **fleet.client_env(), "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=300,
    )


async def test_stock_temporal_cli_starts_a_batch(
    fleet: Stack, fleet_client: Client, sample_server: FolderServer
) -> None:
    batch = {
        "batch_id": "cli-batch",
        "documents": [{"url": sample_server.url("invoice-digital.pdf")}],
    }
    started = run_cli(
        [
            temporal_binary(),
            "workflow",
            "start",
            "--address",
            fleet.temporal.address,
            "--type",
            "OrchestratorWorkflow",
            "--task-queue",
            "docfleet-orchestrator",
            "--workflow-id",
            naming.batch_workflow_id("cli-batch"),
            "--input",
            json.dumps(batch),
        ],
        fleet,
    )
    assert started.returncode == 0, started.stderr
    handle = fleet_client.get_workflow_handle(
        naming.batch_workflow_id("cli-batch"), result_type=BatchResult
    )
    result = await handle.result()
    assert result.succeeded == 1
    [document] = await batch_documents(fleet, result)
    assert document.document_type == "invoice"


async def test_docfleet_submit_wait_results_and_no_second_run(
    fleet: Stack, fleet_client: Client, sample_server: FolderServer, samples: list[Sample]
) -> None:
    urls = [sample_server.url("invoice-digital.pdf"), "file:///etc/passwd"]
    first = run_cli([DOCFLEET, "submit", *urls, "--batch-id", "cli-twice", "--wait"], fleet)
    assert first.returncode == 1, first.stderr  # one document failed, so exit code 1
    assert "1/2 succeeded" in first.stdout
    # A row per document, read from the results manifest: the succeeded one's type too.
    assert "invoice (" in first.stdout, first.stdout + first.stderr
    assert errors.ACCESS_DENIED in first.stdout
    assert "cannot read the results manifest" not in first.stderr

    again = run_cli([DOCFLEET, "submit", *urls, "--batch-id", "cli-twice"], fleet)
    assert again.returncode == 1, again.stderr  # the first run's outcome, not a second run
    assert "already ran" in again.stderr
    assert "1/2 succeeded" in again.stdout
    description = await fleet_client.get_workflow_handle(
        naming.batch_workflow_id("cli-twice")
    ).describe()
    assert description.status == WorkflowExecutionStatus.COMPLETED

    as_json = run_cli([DOCFLEET, "results", "cli-twice", "--json"], fleet)
    assert as_json.returncode == 0, as_json.stderr
    result = BatchResult.model_validate_json(as_json.stdout)
    assert result.failures_by_type == {errors.ACCESS_DENIED: 1}
    rows = await batch_documents(fleet, result)
    outside_root = next(d for d in rows if d.url == "file:///etc/passwd")
    assert outside_root.error_type == errors.ACCESS_DENIED
    assert [f.document_id for f in result.failure_sample] == [outside_root.document_id]
    assert rows[0].text_uri and rows[0].text_uri.endswith(".txt")

    status = run_cli([DOCFLEET, "status", "cli-twice"], fleet)
    assert "COMPLETED" in status.stdout and "1 succeeded, 1 failed" in status.stdout


async def test_docfleet_submit_spills_a_long_list_to_a_manifest(
    fleet: Stack, tmp_path: Path
) -> None:
    # Documents that fail at once (outside the file root), so the batch is quick.
    count = INLINE_LIMIT + 1
    listing = tmp_path / "urls.txt"
    listing.write_text("\n".join(["file:///etc/passwd"] * count))
    argv = [DOCFLEET, "submit", "--from-file", str(listing), "--batch-id", "cli-spill", "--wait"]
    done = run_cli(argv, fleet)
    assert done.returncode == 1, done.stderr
    assert f"{count} documents written to the manifest" in done.stderr
    assert f"0/{count} succeeded" in done.stdout
    result = BatchResult.model_validate_json(
        run_cli([DOCFLEET, "results", "cli-spill", "--json"], fleet).stdout
    )
    assert result.failures_by_type == {errors.ACCESS_DENIED: count}
    rows = await batch_documents(fleet, result)
    assert [d.index for d in rows] == list(range(count))
    assert len({d.document_id for d in rows}) == count


def test_docfleet_submit_rejects_a_bad_url_before_connecting(fleet: Stack) -> None:
    bad = run_cli([DOCFLEET, "submit", "ftp://example.org/a.pdf"], fleet)
    assert bad.returncode == 2
    assert "scheme 'ftp' is not supported" in bad.stderr
