from __future__ import annotations

import io
import json
import logging
import os
import sys
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from pydantic import BaseModel
from temporalio import activity, workflow
from temporalio.client import Client
from temporalio.worker import Worker

from docfleet_runtime import LogContextInterceptor, configure_logging
from docfleet_runtime.logcontext import ContextFilter
from docfleet_runtime.logs import JsonFormatter, TextFormatter, resolve_format


class Job(BaseModel):
    batch_id: str
    document_id: str


@activity.defn(name="obs.log_something")
async def log_something(job: Job) -> None:
    logging.getLogger("docfleet_test.activity").info("working on it")


@workflow.defn(name="ObsLogWorkflow", sandboxed=False)  # test modules are not importable there
class LogWorkflow:
    @workflow.run
    async def run(self, job: Job) -> None:
        workflow.logger.info("workflow says hello")
        await workflow.execute_activity(
            log_something, job, start_to_close_timeout=timedelta(seconds=10)
        )


class Capture(logging.Handler):
    def __init__(self, formatter: logging.Formatter) -> None:
        super().__init__()
        self.setFormatter(formatter)
        self.addFilter(ContextFilter())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def json_lines() -> Iterator[Capture]:
    handler = Capture(JsonFormatter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield handler
    root.removeHandler(handler)
    root.setLevel(old_level)


def record(message: str, **extra: object) -> logging.LogRecord:
    return logging.makeLogRecord(
        {"name": "docfleet_x", "levelname": "INFO", "msg": message, **extra}
    )


def test_json_line_is_one_object_with_time_level_logger_and_message() -> None:
    line = JsonFormatter().format(record("fetched %d bytes", args=(42,)))
    entry = json.loads(line)
    assert (entry["level"], entry["logger"], entry["message"]) == (
        "INFO",
        "docfleet_x",
        "fetched 42 bytes",
    )
    assert entry["ts"].endswith("+00:00") and "\n" not in line


def test_json_line_keeps_tracebacks_on_the_same_line() -> None:
    try:
        raise ValueError("bad page\nsecond line")
    except ValueError:
        rec = logging.makeLogRecord({"msg": "failed", "exc_info": sys.exc_info()})
    line = JsonFormatter().format(rec)
    assert "\n" not in line
    assert "ValueError: bad page" in json.loads(line)["exc"]


def test_json_line_masks_secret_looking_extras_and_keeps_others() -> None:
    entry = json.loads(
        JsonFormatter().format(record("start", api_key="sk-123", password="hunter2", pages=3))
    )
    assert entry["api_key"] == "***" and entry["password"] == "***" and entry["pages"] == 3


def test_text_line_names_batch_and_document() -> None:
    rec = record("reading")
    rec.docfleet = {"batch_id": "b1", "document_id": "d1", "activity": "ocr.ocr_pages"}
    line = TextFormatter().format(rec)
    assert line.endswith("docfleet_x: reading [batch_id=b1 document_id=d1 activity=ocr.ocr_pages]")


def test_auto_format_is_text_on_a_terminal_and_json_elsewhere() -> None:
    leader, follower = os.openpty()
    with os.fdopen(follower, "w") as terminal:
        assert resolve_format("auto", terminal) == "text"
    os.close(leader)
    assert resolve_format("auto", io.StringIO()) == "json"
    assert resolve_format("text", io.StringIO()) == "text"
    with pytest.raises(ValueError, match="auto, text, json"):
        resolve_format("yaml", io.StringIO())


def test_configure_logging_json_writes_json_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        configure_logging("INFO", "json")
        logging.getLogger("docfleet_y").warning("disk %s", "full")
        err = capsys.readouterr().err.strip().splitlines()
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        workflow.logger.workflow_info_on_message = True
        activity.logger.activity_info_on_message = True
    entry = json.loads(err[-1])
    assert (entry["logger"], entry["message"], entry["level"]) == (
        "docfleet_y",
        "disk full",
        "WARNING",
    )


@pytest.mark.integration
async def test_lines_inside_a_real_worker_carry_batch_document_workflow_and_activity(
    temporal_client: Client, task_queue: str, json_lines: Capture
) -> None:
    job = Job(batch_id=f"b-{uuid.uuid4().hex[:6]}", document_id="doc-0001-abc")
    workflow_id = f"obs-log-{uuid.uuid4()}"
    async with Worker(
        temporal_client,
        task_queue=task_queue,
        workflows=[LogWorkflow],
        activities=[log_something],
        interceptors=[LogContextInterceptor()],
    ):
        handle = await temporal_client.start_workflow(
            LogWorkflow.run, job, id=workflow_id, task_queue=task_queue
        )
        await handle.result()
    entries = [json.loads(line) for line in json_lines.lines]
    in_activity = next(e for e in entries if e["message"] == "working on it")
    assert in_activity | {"ts": ""} == {
        "ts": "",
        "level": "INFO",
        "logger": "docfleet_test.activity",
        "message": "working on it",
        "batch_id": job.batch_id,
        "document_id": job.document_id,
        "workflow_id": workflow_id,
        "run_id": handle.result_run_id,
        "workflow_type": "ObsLogWorkflow",
        "activity": "obs.log_something",
        "activity_id": "1",
        "attempt": 1,
        "task_queue": task_queue,
    }
    in_workflow = next(e for e in entries if e["message"].startswith("workflow says hello"))
    assert {
        k: in_workflow.get(k) for k in ("batch_id", "document_id", "workflow_id", "run_id")
    } == {
        "batch_id": job.batch_id,
        "document_id": job.document_id,
        "workflow_id": workflow_id,
        "run_id": handle.result_run_id,
    }
    assert "activity" not in in_workflow
