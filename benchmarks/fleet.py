"""The fleet under measurement: the devstack's servers and five worker processes, batches run
to completion and timed, and a wait for the fleet to fall quiet between measurements."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from temporalio.client import Client

from benchmarks.procstats import Watch
from docfleet_contracts import BatchResult
from docfleet_devstack.batches import run_batch
from docfleet_devstack.stack import Stack

RUNNING = "ExecutionStatus = 'Running'"


@dataclass(frozen=True)
class TimedBatch:
    seconds: float
    """From the start request to the batch workflow's result."""
    result: BatchResult


class BenchmarkError(RuntimeError):
    """A run did not do what it was measured for (documents failed, the cache short-cut them)."""


def watch_stack(watch: Watch, stack: Stack) -> None:
    """Watch the Temporal server, Redis and each worker with its children."""
    watch.watch("temporal", stack.temporal.process.pid)
    watch.watch("redis", stack.redis.process.pid)
    for service, process in stack.workers.items():
        watch.watch(service, process.pid)


async def timed_batch(
    client: Client, stack: Stack, batch_id: str, urls: list[str], window: int
) -> TimedBatch:
    """Run `urls` as one batch with `window` documents in flight; every one must succeed and
    none may come from the content-hash cache, or the figure would not mean what it says."""
    started = time.monotonic()
    result = await run_batch(client, batch_id, urls, stack=stack, max_concurrency=window)
    seconds = time.monotonic() - started
    if result.total != len(urls) or result.succeeded != len(urls):
        raise BenchmarkError(
            f"batch {batch_id}: {result.succeeded} of {len(urls)} documents succeeded "
            f"(failed {result.failed}, partial {result.partial}): {result.failure_sample[:3]}"
        )
    if result.cached:
        raise BenchmarkError(f"batch {batch_id}: {result.cached} documents came from the cache")
    return TimedBatch(seconds, result)


async def settle(client: Client, timeout: float = 300.0) -> float:
    """Wait until no workflow runs (a batch returns before its fire-and-forget analytics
    workflows finish); returns the seconds waited."""
    started = time.monotonic()
    while (await client.count_workflows(RUNNING)).count:
        if time.monotonic() - started > timeout:
            raise BenchmarkError(f"workflows still running {timeout:g} s after a batch")
        await asyncio.sleep(0.25)
    return time.monotonic() - started
