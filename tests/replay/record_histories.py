"""Re-record the workflow histories the replay tests check (`make record-histories`).

Runs real batches through a real local fleet and saves the history of every workflow execution
they started (batch, documents, analytics) as JSON under `histories/<scenario>/`. Run it on
purpose, after a deliberate, versioned change to workflow code; the replay tests then guard the
new histories. Scenarios: a clean success, a partial failure (one URL is missing), a retried
fetch (the host fails the first request), a degraded document (the NLP workers are down, so
classification and extraction give up and the result is partial), a cache hit, and a batch
that continues as new (a window of 2 and the smallest event budget, so its inline list is
spilled to a manifest and read back page by page; every run of the batch's chain is saved).
"""

from __future__ import annotations

import asyncio
import json
import shutil
import sys
import tempfile
from pathlib import Path

from temporalio.client import Client

from docfleet_contracts.models.batches import min_event_budget
from docfleet_devstack.batches import run_batch
from docfleet_devstack.faults import FlakyServer
from docfleet_devstack.httpd import FolderServer
from docfleet_devstack.samples import make_samples
from docfleet_devstack.stack import running_stack
from docfleet_runtime import connect_client

HISTORIES = Path(__file__).parent / "histories"

# The NLP queue has no worker in the degraded scenario: give up on it quickly.
GIVE_UP_ON_NLP = json.dumps(
    {
        "classify": {"schedule_to_close_seconds": 3, "maximum_attempts": 1},
        "extract": {"schedule_to_close_seconds": 3, "maximum_attempts": 1},
    }
)


async def _save(client: Client, scenario: str, batch_id: str, prefix: str = "docfleet-") -> int:
    """Write every execution (every run) whose id mentions `batch_id` and starts with `prefix`;
    returns how many."""
    folder = HISTORIES / scenario
    folder.mkdir(parents=True, exist_ok=True)
    saved = 0
    async for execution in client.list_workflows('WorkflowId STARTS_WITH "docfleet-"'):
        if batch_id not in execution.id or not execution.id.startswith(prefix):
            continue
        handle = client.get_workflow_handle(execution.id, run_id=execution.run_id)
        history = await handle.fetch_history()
        (folder / f"{execution.id}.{execution.run_id[:8]}.json").write_text(history.to_json())
        saved += 1
    return saved


async def _wait_visible(client: Client, batch_id: str, expected: int) -> None:
    """Visibility lags a little behind completion on the dev server."""
    for _ in range(100):
        count = 0
        async for execution in client.list_workflows('WorkflowId STARTS_WITH "docfleet-"'):
            count += batch_id in execution.id
        if count >= expected:
            return
        await asyncio.sleep(0.2)
    raise RuntimeError(f"only some executions of {batch_id} became visible")


async def record_healthy(workdir: Path) -> None:
    samples = make_samples(workdir / "samples")
    server = FolderServer(workdir / "samples")
    flaky = FlakyServer(workdir / "samples", failures_per_path=1, status=503)
    try:
        with running_stack(workdir / "stack") as stack:
            client = await connect_client(stack.temporal.address, "default", wait_seconds=10)
            scenarios = {
                "success": [server.url(samples[0].name), server.url(samples[1].name)],
                "partial-failure": [server.url(samples[0].name), server.url("missing.pdf")],
                "retry": [flaky.url(samples[2].name)],
                "cache-hit": [server.url(samples[1].name)],
            }
            for scenario, urls in scenarios.items():
                batch_id = f"replay-{scenario}"
                result = await run_batch(client, batch_id, urls)
                # batch + one document and one analytics workflow per document
                await _wait_visible(client, batch_id, 1 + 2 * result.total)
                saved = await _save(client, scenario, batch_id)
                sys.stdout.write(f"{scenario}: {saved} histories\n")
            batch_id = "replay-continue-as-new"
            urls = [server.url(samples[0].name)] * 24
            result = await run_batch(
                client,
                batch_id,
                urls,
                max_concurrency=2,
                history_event_budget=min_event_budget(2),
                use_cache=False,
            )
            assert result.runs > 1, result
            await _wait_visible(client, batch_id, result.runs + 2 * result.total)
            # Only the batch's runs: its documents' histories are like the other scenarios'.
            saved = await _save(client, "continue-as-new", batch_id, prefix="docfleet-batch-")
            sys.stdout.write(f"continue-as-new: {saved} histories ({result.runs} batch runs)\n")
    finally:
        flaky.close()
        server.close()


async def record_degraded(workdir: Path) -> None:
    samples = make_samples(workdir / "samples")
    server = FolderServer(workdir / "samples")
    services = ("fetcher", "ocr", "storage", "orchestrator")
    try:
        with running_stack(
            workdir / "stack",
            services=services,
            extra_env={"DOCFLEET_ACTIVITY_POLICIES": GIVE_UP_ON_NLP},
        ) as stack:
            client = await connect_client(stack.temporal.address, "default", wait_seconds=10)
            batch_id = "replay-degraded"
            result = await run_batch(client, batch_id, [server.url(samples[0].name)])
            assert result.partial == 1, result
            await _wait_visible(client, batch_id, 3)
            saved = await _save(client, "degraded", batch_id)
            sys.stdout.write(f"degraded: {saved} histories\n")
    finally:
        server.close()


async def main() -> None:
    shutil.rmtree(HISTORIES, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="docfleet-record-") as tmp:
        await record_healthy(Path(tmp) / "healthy")
        await record_degraded(Path(tmp) / "degraded")


if __name__ == "__main__":
    asyncio.run(main())
