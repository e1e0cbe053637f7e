"""The orchestrator worker registers DocFleet's search attributes where they are missing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from temporalio.api.operatorservice.v1 import ListSearchAttributesRequest

from docfleet_contracts import search
from docfleet_devstack.servers import TemporalServer, start_temporal
from docfleet_orchestrator.search_attributes import ensure_search_attributes
from docfleet_runtime import connect_client

pytestmark = pytest.mark.integration


@pytest.fixture
def bare_server(tmp_path: Path) -> Iterator[TemporalServer]:
    server = start_temporal(tmp_path, search_attributes=False)
    yield server
    server.process.stop()


async def test_missing_attributes_are_registered_once(bare_server: TemporalServer) -> None:
    client = await connect_client(bare_server.address, "default", wait_seconds=10)
    names = sorted(key.name for key in search.ALL)

    listed = await client.operator_service.list_search_attributes(
        ListSearchAttributesRequest(namespace="default")
    )
    assert not set(names) & set(listed.custom_attributes)

    assert sorted(await ensure_search_attributes(client)) == names
    assert await ensure_search_attributes(client) == []
    listed = await client.operator_service.list_search_attributes(
        ListSearchAttributesRequest(namespace="default")
    )
    assert set(names) <= set(listed.custom_attributes)
