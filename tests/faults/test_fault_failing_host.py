"""Fault 5: a host answers 503 to every request.

Its breaker opens (in the fetcher's log and metrics), further calls fail fast without reaching
the host, documents from other hosts are unaffected, and the failing ones end with a clear typed
error once the fetch retry budget is spent.
"""

from __future__ import annotations

import sys

import pytest
from temporalio.client import Client

from docfleet_contracts import DocumentSpec, errors
from docfleet_devstack.batches import batch_documents, run_batch
from docfleet_devstack.faults import AlwaysFailingServer, scrape, worker_logs
from docfleet_devstack.invariants import check_batch_invariant
from docfleet_devstack.samples import ServedDocuments
from docfleet_devstack.stack import Stack

pytestmark = [
    pytest.mark.faults,
    pytest.mark.e2e,
    pytest.mark.integration,
    pytest.mark.timeout(300),
]

BATCH = "fault-failing-host"
FAILING_DOCUMENTS = 4


async def test_a_failing_host_opens_its_breaker_and_spares_the_others(
    fault_stack: Stack, documents: ServedDocuments, client: Client, fetch_attempts: int
) -> None:
    with AlwaysFailingServer(503) as failing:
        bad = [failing.url(f"report-{i}.pdf") for i in range(FAILING_DOCUMENTS)]
        good = documents.sample_urls()
        result = await run_batch(client, BATCH, bad + good, use_cache=False)
        requests = failing.requests
    origin = failing.url("").rstrip("/")

    outcomes = {d.url: d for d in await batch_documents(fault_stack, result)}
    assert outcomes.keys() == {*bad, *good}
    assert all(outcomes[u].status == "succeeded" for u in good)
    for url in bad:
        document = outcomes[url]
        assert document.status == "failed"
        assert document.error_type in (errors.FETCH_FAILED, errors.CIRCUIT_OPEN), document
        assert document.error_message

    # Without the breaker every attempt of every document would reach the host.
    sys.stdout.write(
        f"\nfailing host: {requests} requests reached it for {FAILING_DOCUMENTS} documents x "
        f"{fetch_attempts} attempts; errors "
        f"{sorted({outcomes[u].error_type or '' for u in bad})}\n"
    )
    assert requests < FAILING_DOCUMENTS * fetch_attempts
    assert f"circuit for {origin} opened" in worker_logs(fault_stack, "fetcher")
    metrics = scrape(fault_stack, "fetcher")
    opened = f'docfleet_fetch_breaker_transitions_total{{host="{origin}",state="open"}}'
    assert metrics[opened] >= 1
    await check_batch_invariant(
        client, BATCH, [DocumentSpec(url=u) for u in bad + good], fault_stack.blob_url,
        fault_stack.s3_options,
    )  # fmt: skip
