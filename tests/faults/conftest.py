"""One real fleet that the fault tests break on purpose, and the documents they send through it.

The stack runs every server and worker as its own process: Temporal dev server with a database
file, Redis, moto's S3 API behind a TCP proxy (so S3 can go down without losing its data), and
the five workers with metrics. Budgets are shortened so faults play out in seconds: heartbeat
timeouts of 5 s, small retry intervals, a 3 s download deadline, a breaker that opens after 3
failures. Each test starts from a healthy stack (`healthy`), whatever the previous one broke.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from temporalio.client import Client

from docfleet_devstack.fleet import SERVICES
from docfleet_devstack.httpd import FolderServer
from docfleet_devstack.samples import ServedDocuments, make_numbered_scan, make_samples
from docfleet_devstack.stack import Stack, running_stack
from docfleet_runtime import connect_client

SCANNED_PAGES = 10

# Short waits and patient retries, so outages of a few seconds play out quickly. Fetches give
# up after 3 attempts, so the failing-host and slow-URL tests end soon.
PATIENT: dict[str, float] = {
    "initial_interval_seconds": 0.5,
    "maximum_interval_seconds": 2,
    "maximum_attempts": 40,
}
POLICIES: dict[str, dict[str, float]] = {
    "fetch": {
        "initial_interval_seconds": 0.5,
        "maximum_interval_seconds": 2,
        "maximum_attempts": 3,
        "schedule_to_close_seconds": 120,
    },
    "ocr": {"heartbeat_seconds": 5, **PATIENT},
    "classify": PATIENT,
    "extract": PATIENT,
    "store": {"heartbeat_seconds": 10, **PATIENT},
    "find_cached": {"schedule_to_close_seconds": 10, "maximum_attempts": 2},
    "analytics": {"initial_interval_seconds": 0.5, "maximum_interval_seconds": 2},
}

FAULT_ENV = {
    "DOCFLEET_ACTIVITY_POLICIES": json.dumps(POLICIES),
    "DOCFLEET_FETCH_TOTAL_TIMEOUT_SECONDS": "3",
    "DOCFLEET_FETCH_READ_TIMEOUT_SECONDS": "2",
    "DOCFLEET_FETCH_BREAKER_FAILURES": "3",
    "DOCFLEET_FETCH_BREAKER_OPEN_SECONDS": "5",
    "DOCFLEET_PROGRESS_SIGNAL_INTERVAL_SECONDS": "0",
    "DOCFLEET_HEARTBEAT_THROTTLE_SECONDS": "1",
    "DOCFLEET_GRACEFUL_SHUTDOWN_SECONDS": "5",
}


@pytest.fixture(scope="session")
def fault_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("faults")


@pytest.fixture(scope="session")
def documents(fault_dir: Path) -> Iterator[ServedDocuments]:
    folder = fault_dir / "documents"
    samples = make_samples(folder)
    make_numbered_scan(folder / "chapters-scanned.pdf", SCANNED_PAGES)
    server = FolderServer(folder)
    yield ServedDocuments(server, samples, "chapters-scanned.pdf", SCANNED_PAGES)
    server.close()


@pytest.fixture(scope="session")
def fault_stack(fault_dir: Path, documents: ServedDocuments) -> Iterator[Stack]:
    with running_stack(fault_dir / "stack", s3=True, metrics=True, extra_env=FAULT_ENV) as stack:
        yield stack


@pytest.fixture(autouse=True)
def healthy(fault_stack: Stack) -> None:
    """Undo whatever an earlier test broke: every server up, every worker polling."""
    if not fault_stack.temporal.process.alive():
        fault_stack.start_temporal()
    if not fault_stack.redis.process.alive():
        fault_stack.start_redis()
    if fault_stack.s3_proxy is not None and fault_stack.s3_proxy.is_cut:
        fault_stack.s3_proxy.restore()
    for service in SERVICES:
        worker = fault_stack.workers.get(service)
        if worker is None or not worker.alive():
            fault_stack.start_worker(service)


@pytest.fixture
async def client(fault_stack: Stack) -> AsyncIterator[Client]:
    yield await connect_client(fault_stack.temporal.address, "default", wait_seconds=30)


@pytest.fixture(scope="session")
def fetch_attempts() -> int:
    """How many times the fault stack tries a fetch before the document fails."""
    return int(POLICIES["fetch"]["maximum_attempts"])
