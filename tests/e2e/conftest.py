"""One whole fleet for the e2e tests: servers and five worker processes, started once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from temporalio.client import Client

from docfleet_devstack.httpd import FolderServer
from docfleet_devstack.samples import Sample, make_samples
from docfleet_devstack.stack import Stack, running_stack
from docfleet_runtime import connect_client


@pytest.fixture(scope="session")
def e2e_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("e2e")


@pytest.fixture(scope="session")
def samples(e2e_dir: Path) -> list[Sample]:
    return make_samples(e2e_dir / "samples")


@pytest.fixture(scope="session")
def sample_server(e2e_dir: Path, samples: list[Sample]) -> Iterator[FolderServer]:
    server = FolderServer(e2e_dir / "samples")
    yield server
    server.close()


@pytest.fixture(scope="session")
def fleet(e2e_dir: Path, samples: list[Sample]) -> Iterator[Stack]:
    # In memory: no e2e test restarts Temporal, and a database file makes the server 2-3x slower.
    with running_stack(
        e2e_dir / "stack", file_root=e2e_dir / "samples", temporal_db=False
    ) as stack:
        yield stack


@pytest.fixture(scope="session")
async def fleet_client(fleet: Stack) -> Client:
    return await connect_client(fleet.temporal.address, "default", wait_seconds=10)
