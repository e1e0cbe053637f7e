from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from temporalio import workflow
from temporalio.client import Client, WorkflowFailureError
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError, RetryState
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

from docfleet_contracts import errors as error_types
from docfleet_contracts.activities import FETCH_DOCUMENT
from docfleet_contracts.models import FetchInput, FetchResult
from docfleet_devstack.process import free_port
from docfleet_fetcher.settings import FetchSettings


@workflow.defn(sandboxed=False)
class FetchOnce:
    @workflow.run
    async def run(self, request: FetchInput) -> FetchResult:
        return await FETCH_DOCUMENT.execute(
            request,
            start_to_close_timeout=timedelta(seconds=30),
            retry_policy=RetryPolicy(maximum_attempts=3, initial_interval=timedelta(seconds=0.1)),
        )


def test_fetcher_settings_come_from_docfleet_fetch_variables(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DOCFLEET_FETCH_MAX_BYTES", "1234")
    monkeypatch.setenv("DOCFLEET_FETCH_MAX_REDIRECTS", "2")
    monkeypatch.setenv("DOCFLEET_FETCH_FILE_ROOT", str(tmp_path))
    monkeypatch.setenv("DOCFLEET_FETCH_USER_AGENT", "DocFleet-Test/1")
    settings = FetchSettings()
    assert settings.fetch_max_bytes == 1234
    assert settings.fetch_max_redirects == 2
    assert settings.fetch_file_root == tmp_path
    assert settings.fetch_user_agent == "DocFleet-Test/1"


def test_fetcher_settings_default_to_safe_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCFLEET_FETCH_FILE_ROOT", "")
    settings = FetchSettings()
    assert settings.fetch_file_root is None
    assert settings.fetch_max_bytes == 100 * 1024 * 1024
    assert "DocFleet" in settings.fetch_user_agent


def test_fetcher_settings_for_retries_and_breakers(monkeypatch: pytest.MonkeyPatch) -> None:
    defaults = FetchSettings()
    assert defaults.fetch_breaker_enabled
    assert (defaults.fetch_breaker_failures, defaults.fetch_breaker_window_seconds) == (5, 60)
    assert defaults.fetch_breaker_open_seconds == 30
    assert defaults.fetch_max_retry_after_seconds == 600
    assert defaults.breaker_prefix == "docfleet"
    monkeypatch.setenv("DOCFLEET_REDIS_URL", "redis://:hunter2@cache.internal:6380/2")
    monkeypatch.setenv("DOCFLEET_FETCH_BREAKER_FAILURES", "3")
    monkeypatch.setenv("DOCFLEET_FETCH_BREAKER_ENABLED", "false")
    monkeypatch.setenv("DOCFLEET_FETCH_MAX_RETRY_AFTER_SECONDS", "60")
    monkeypatch.setenv("DOCFLEET_BREAKER_PREFIX", "fleet-b")
    settings = FetchSettings()
    assert settings.redis_url == "redis://:hunter2@cache.internal:6380/2"
    assert settings.fetch_breaker_failures == 3
    assert not settings.fetch_breaker_enabled
    assert settings.fetch_max_retry_after_seconds == 60
    assert settings.breaker_prefix == "fleet-b"
    # Settings are logged at start: the Redis password must not be.
    summary = settings.public_summary()
    assert summary["redis_url"] == "redis://cache.internal:6380/2"
    assert "hunter2" not in str(summary)


@pytest.mark.integration
async def test_fetcher_worker_process_serves_and_stops_on_sigterm(
    temporal_client: Client, redis_url: str, tmp_path: Path, samples: dict[str, bytes]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "doc.pdf").write_bytes(samples["pdf"])
    target = temporal_client.service_client.config.target_host
    metrics_port = free_port()
    env = {
        **os.environ,
        "TEMPORAL_ADDRESS": target,
        "DOCFLEET_BLOB_URL": (tmp_path / "blobs").as_uri(),
        "DOCFLEET_FETCH_FILE_ROOT": str(inbox),
        "DOCFLEET_GRACEFUL_SHUTDOWN_SECONDS": "2",
        "DOCFLEET_REDIS_URL": redis_url,
        "DOCFLEET_METRICS_PORT": str(metrics_port),
    }
    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "docfleet_fetcher"], env=env, stdout=log, stderr=log
        )
    try:
        deadline = time.monotonic() + 30
        while "serving task queue" not in log_path.read_text():
            assert process.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.1)
        queue = f"test-{uuid.uuid4().hex[:8]}"
        async with Worker(
            temporal_client,
            task_queue=queue,
            workflows=[FetchOnce],
            workflow_runner=UnsandboxedWorkflowRunner(),
        ):
            result = await temporal_client.execute_workflow(
                FetchOnce.run,
                FetchInput(batch_id="w", document_id="ok", url=(inbox / "doc.pdf").as_uri()),
                id=f"{queue}-ok",
                task_queue=queue,
            )
            with pytest.raises(WorkflowFailureError) as info:
                await temporal_client.execute_workflow(
                    FetchOnce.run,
                    FetchInput(batch_id="w", document_id="no", url=(inbox / "no.pdf").as_uri()),
                    id=f"{queue}-missing",
                    task_queue=queue,
                )
        assert result.kind == "pdf"
        assert (tmp_path / "blobs/sources/w/ok").read_bytes() == samples["pdf"]
        activity_error = info.value.cause
        assert isinstance(activity_error, ActivityError)
        cause = activity_error.cause
        assert isinstance(cause, ApplicationError)
        assert (cause.type, cause.non_retryable) == (error_types.NOT_FOUND, True)
        assert activity_error.retry_state == RetryState.NON_RETRYABLE_FAILURE
        metrics = httpx.get(f"http://127.0.0.1:{metrics_port}/metrics").text
        assert 'docfleet_fetch_documents_total{outcome="ok"} 1.0' in metrics
        assert 'docfleet_fetch_documents_total{outcome="DocumentNotFound"} 1.0' in metrics
        assert f"docfleet_fetch_bytes_total {float(len(samples['pdf']))}" in metrics
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
        assert "docfleet fetcher worker stopped" in log_path.read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
