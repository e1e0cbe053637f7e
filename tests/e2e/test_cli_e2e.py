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
from docfleet_devstack.httpd import FolderServer
from docfleet_devstack.samples import Sample
from docfleet_devstack.servers import temporal_binary
from docfleet_devstack.stack import Stack

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
    assert result.documents[0].document_type == "invoice"


async def test_docfleet_submit_wait_results_and_no_second_run(
    fleet: Stack, fleet_client: Client, sample_server: FolderServer, samples: list[Sample]
) -> None:
    urls = [sample_server.url("invoice-digital.pdf"), "file:///etc/passwd"]
    first = run_cli([DOCFLEET, "submit", *urls, "--batch-id", "cli-twice", "--wait"], fleet)
    assert first.returncode == 1, first.stderr  # one document failed, so exit code 1
    assert "1/2 succeeded" in first.stdout

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
    outside_root = next(d for d in result.documents if d.url == "file:///etc/passwd")
    assert outside_root.error_type == errors.ACCESS_DENIED
    assert result.documents[0].text_uri and result.documents[0].text_uri.endswith(".txt")

    status = run_cli([DOCFLEET, "status", "cli-twice"], fleet)
    assert "COMPLETED" in status.stdout and "1 succeeded, 1 failed" in status.stdout


def test_docfleet_submit_rejects_a_bad_url_before_connecting(fleet: Stack) -> None:
    bad = run_cli([DOCFLEET, "submit", "ftp://example.org/a.pdf"], fleet)
    assert bad.returncode == 2
    assert "scheme 'ftp' is not supported" in bad.stderr
