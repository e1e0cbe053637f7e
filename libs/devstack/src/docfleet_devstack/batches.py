"""Start a batch the way `docfleet submit` does, and wait for things, for tests and tools."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any

from temporalio.client import Client, WorkflowHandle

from docfleet_blobstore import S3Options, open_blob_store
from docfleet_blobstore.manifests import write_manifest
from docfleet_contracts import (
    MAX_INLINE_DOCUMENTS,
    BatchRequest,
    BatchResult,
    DocumentResult,
    DocumentSpec,
    naming,
)
from docfleet_contracts.activities import ORCHESTRATOR_WORKFLOW
from docfleet_contracts.queues import ORCHESTRATOR_QUEUE
from docfleet_devstack.invariants import read_batch_results

if TYPE_CHECKING:
    from docfleet_devstack.stack import Stack


async def start_batch(client: Client, request: BatchRequest) -> WorkflowHandle[Any, BatchResult]:
    """Start `request` under its deterministic workflow id; it must carry a batch id."""
    if request.batch_id is None:
        raise ValueError("start_batch needs a request with a batch_id")
    return await client.start_workflow(
        ORCHESTRATOR_WORKFLOW,
        request,
        id=naming.batch_workflow_id(request.batch_id),
        task_queue=ORCHESTRATOR_QUEUE,
        result_type=BatchResult,
    )


async def upload_manifest(
    blob_url: str, batch_id: str, specs: Iterable[DocumentSpec], s3: S3Options | None = None
) -> str:
    """Write `specs` as the batch's JSON Lines manifest in the store at `blob_url`; its URI."""
    store = await open_blob_store(blob_url, s3)
    try:
        ref = await write_manifest(store, naming.manifest_key(batch_id), specs)
    finally:
        await store.close()
    return ref.uri


async def run_batch(
    client: Client,
    batch_id: str,
    urls: list[str],
    *,
    stack: Stack | None = None,
    manifest: bool | None = None,
    **options: Any,
) -> BatchResult:
    """Start a batch of `urls` (with `BatchRequest` `options`) and wait for its result.

    The documents go inline, or, with `manifest` (the default past MAX_INLINE_DOCUMENTS), as a
    manifest uploaded to `stack`'s blob store.
    """
    specs = [DocumentSpec(url=u) for u in urls]
    if manifest is None:
        manifest = len(specs) > MAX_INLINE_DOCUMENTS
    source: dict[str, Any] = {"documents": specs}
    if manifest:
        if stack is None:
            raise ValueError("a manifest batch needs the stack whose blob store holds it")
        uri = await upload_manifest(stack.blob_url, batch_id, specs, stack.s3_options)
        source = {"manifest_uri": uri}
    request = BatchRequest.model_validate({"batch_id": batch_id, **source, **options})
    handle = await start_batch(client, request)
    return await handle.result()


async def batch_documents(stack: Stack, result: BatchResult) -> list[DocumentResult]:
    """The per-document rows of a finished batch, from its results manifest."""
    return await read_batch_results(result, stack.blob_url, stack.s3_options)


async def eventually(
    check: Callable[[], Awaitable[bool]], *, timeout: float, what: str, every: float = 0.2
) -> None:
    """Poll `check` until it holds; fail naming `what` after `timeout` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await check():
        if loop.time() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        await asyncio.sleep(every)
