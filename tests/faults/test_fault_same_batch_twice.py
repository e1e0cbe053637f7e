"""Fault 7: the same batch is submitted twice at the same moment, by two `docfleet` processes.

Both commands attach to one run; every document is processed and stored once.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Awaitable
from pathlib import Path

import pytest
from temporalio.client import Client

from docfleet_contracts import DocumentSpec, naming
from docfleet_devstack.batches import eventually
from docfleet_devstack.invariants import check_batch_invariant
from docfleet_devstack.samples import ServedDocuments
from docfleet_devstack.stack import Stack

pytestmark = [
    pytest.mark.faults,
    pytest.mark.e2e,
    pytest.mark.integration,
    pytest.mark.timeout(300),
]

BATCH = "fault-twice"
DOCFLEET = str(Path(sys.executable).parent / "docfleet")


async def submit(urls: list[str], env: dict[str, str]) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        DOCFLEET, "submit", *urls, "--batch-id", BATCH, "--wait",
        env={**os.environ, **env, "COLUMNS": "200"},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await process.communicate()
    assert process.returncode is not None
    return process.returncode, output.decode()


async def test_two_concurrent_submissions_run_the_batch_once(
    fault_stack: Stack, documents: ServedDocuments, client: Client
) -> None:
    urls = documents.sample_urls()
    env = fault_stack.client_env()
    (code_a, out_a), (code_b, out_b) = await asyncio.gather(submit(urls, env), submit(urls, env))
    assert (code_a, code_b) == (0, 0), out_a + out_b
    everything = f"{len(urls)}/{len(urls)} succeeded"
    assert everything in out_a and everything in out_b

    async def runs() -> int:
        query = f'WorkflowId = "{naming.batch_workflow_id(BATCH)}"'
        return len([execution async for execution in client.list_workflows(query)])

    await eventually(lambda: _positive(runs()), timeout=10, what="the batch run in visibility")
    assert await runs() == 1
    # Exactly one document run and one completed store per document.
    await check_batch_invariant(
        client, BATCH, [DocumentSpec(url=u) for u in urls], fault_stack.blob_url,
        fault_stack.s3_options,
    )  # fmt: skip


async def _positive(count: Awaitable[int]) -> bool:
    return await count > 0
