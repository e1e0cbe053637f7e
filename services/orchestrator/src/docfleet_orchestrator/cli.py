"""The `docfleet` command: submit a batch, watch it, read its results."""

from __future__ import annotations

import argparse
import asyncio
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError
from rich.console import Console
from rich.live import Live
from temporalio.client import Client, WorkflowExecutionStatus, WorkflowHandle
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError

from docfleet_blobstore import BlobStoreError, open_configured_store
from docfleet_blobstore.manifests import read_results, write_manifest
from docfleet_contracts import (
    BatchProgress,
    BatchRequest,
    BatchResult,
    DocumentProgress,
    DocumentResult,
    DocumentSpec,
    naming,
)
from docfleet_contracts import activities as acts
from docfleet_contracts.models.batches import DEFAULT_WINDOW
from docfleet_contracts.naming import batch_workflow_id, document_workflow_id
from docfleet_contracts.queues import ORCHESTRATOR_QUEUE
from docfleet_orchestrator.passwords import PASSWORD_FILE_HELP, PasswordFileError, passwords_for
from docfleet_orchestrator.view import progress_view, results_table
from docfleet_runtime import ServiceSettings, connect_client
from docfleet_runtime.codec import CodecConfigError
from docfleet_runtime.process import end_process

console = Console()
err = Console(stderr=True)

INLINE_LIMIT = 100
"""Longer lists travel as a manifest in the blob store, not in the workflow input."""
TABLE_ROWS = 200
"""Batches up to this size get a row per document; larger ones show totals and failures."""


class CliSettings(ServiceSettings):
    """The CLI reads the fleet's blob-store settings (`DOCFLEET_BLOB_URL`, `DOCFLEET_S3_*`) to
    upload manifests and read results."""


@dataclass
class Submission:
    """What `submit` starts: the request, and a long document list still to upload."""

    request: BatchRequest
    spill: list[DocumentSpec] | None = None


def build_request(args: argparse.Namespace) -> Submission:
    """The batch the arguments describe, validated before any connection."""
    urls = [u.strip() for u in args.urls]
    if args.from_file:
        lines = Path(args.from_file).read_text().splitlines()
        urls += [u.strip() for u in lines if u.strip() and not u.lstrip().startswith("#")]
    passwords = passwords_for(args.password_file, urls)
    documents = [{"url": u, "priority": args.priority, "password": passwords.get(u)} for u in urls]
    options: dict[str, Any] = {"batch_id": args.batch_id or f"b-{uuid.uuid4().hex[:12]}"}
    if args.concurrency is not None:
        options["max_concurrency"] = args.concurrency
    if args.manifest or len(documents) <= INLINE_LIMIT:
        # Both at once is refused by the model, with its own message.
        source = {"documents": documents, "manifest_uri": args.manifest}
        return Submission(BatchRequest.model_validate({**options, **source}))
    # A long list: every document validated now, uploaded as the manifest at submit.
    specs = _SPECS.validate_python(documents)
    placeholder = {"manifest_uri": naming.manifest_key(options["batch_id"])}
    return Submission(BatchRequest.model_validate({**options, **placeholder}), specs)


_SPECS = TypeAdapter(list[DocumentSpec])


async def spill_to_manifest(request: BatchRequest, specs: list[DocumentSpec]) -> BatchRequest:
    """Upload a long list to the blob store, so the workflow input stays small."""
    assert request.batch_id is not None
    settings = CliSettings()
    async with await open_configured_store(settings) as store:
        ref = await write_manifest(store, naming.manifest_key(request.batch_id), specs)
    err.print(f"{len(specs)} documents written to the manifest {ref.uri}")
    return request.model_copy(update={"manifest_uri": ref.uri})


def validated_request(args: argparse.Namespace) -> Submission | None:
    """The batch, or None after printing what is wrong with it (before any connection)."""
    try:
        return build_request(args)
    except PasswordFileError as exc:
        err.print(f"--password-file: {exc}", style="red", markup=False)
        return None
    except ValidationError as exc:
        err.print("[red]invalid batch:[/]")
        for problem in exc.errors():
            where = ".".join(str(p) for p in problem["loc"])
            err.print(f"  {where}: {problem['msg']}")
        return None


async def submit(client: Client, args: argparse.Namespace) -> int:
    submission: Submission = args.submission
    request = submission.request
    batch_id = request.batch_id
    assert batch_id is not None
    if submission.spill is not None:
        request = await spill_to_manifest(request, submission.spill)
    try:
        handle: WorkflowHandle[object, BatchResult] = await client.start_workflow(
            acts.ORCHESTRATOR_WORKFLOW,
            request,
            id=batch_workflow_id(batch_id),
            task_queue=ORCHESTRATOR_QUEUE,
            result_type=BatchResult,
            # The same batch id never runs twice: a running batch is joined, a finished one refused.
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
        )
    except WorkflowAlreadyStartedError:
        # Resubmitting is safe: the finished run's outcome is shown, nothing runs again.
        err.print(f"batch {batch_id} already ran; showing its results, not running it again")
        finished = client.get_workflow_handle(batch_workflow_id(batch_id), result_type=BatchResult)
        return _exit_code(await _show(await finished.result()))
    size = f"{len(request.documents)} documents" if request.documents else request.manifest_uri
    console.print(f"submitted batch [bold]{batch_id}[/] ({size}) as workflow {handle.id}")
    if not args.wait:
        return 0
    return await watch(client, batch_id)


async def watch(client: Client, batch_id: str) -> int:
    handle = client.get_workflow_handle(batch_workflow_id(batch_id), result_type=BatchResult)
    result_task = asyncio.ensure_future(handle.result())
    with Live(console=console, refresh_per_second=4, transient=False) as live:
        while not result_task.done():
            try:
                batch = await handle.query(acts.PROGRESS_QUERY, result_type=BatchProgress)
                docs = await _document_progress(client, batch_id, batch.running_documents)
                live.update(progress_view(batch, docs))
            except RPCError:
                pass  # the first workflow task may not have run yet
            await asyncio.wait([result_task], timeout=0.5)
    return _exit_code(await _show(result_task.result()))


async def _show(result: BatchResult) -> BatchResult:
    console.print(results_table(result, await _rows(result)))
    return result


async def _rows(result: BatchResult) -> list[DocumentResult] | None:
    """The per-document rows of a small batch, from its results manifest (None: not shown)."""
    if result.results is None or result.total > TABLE_ROWS:
        return None
    try:
        async with await open_configured_store(CliSettings()) as store:
            return await read_results(store, result.results)
    except (BlobStoreError, ValueError) as exc:
        err.print(f"cannot read the results manifest {result.results.uri}: {exc}")
        return None


def _exit_code(result: BatchResult) -> int:
    """0 when every document was stored (partial ones included), 1 when any failed."""
    return 0 if result.failed == 0 else 1


async def _document_progress(
    client: Client, batch_id: str, document_ids: list[str]
) -> list[DocumentProgress]:
    async def one(document_id: str) -> DocumentProgress:
        handle = client.get_workflow_handle(document_workflow_id(batch_id, document_id))
        try:
            progress: DocumentProgress = await handle.query(
                acts.PROGRESS_QUERY, result_type=DocumentProgress
            )
            return progress
        except RPCError:
            return DocumentProgress(document_id=document_id, stage="pending")

    return list(await asyncio.gather(*(one(d) for d in document_ids[:20])))


async def status(client: Client, args: argparse.Namespace) -> int:
    handle = client.get_workflow_handle(batch_workflow_id(args.batch_id))
    description = await handle.describe()
    batch = await handle.query(acts.PROGRESS_QUERY, result_type=BatchProgress)
    state = description.status.name if description.status else "UNKNOWN"
    console.print(
        f"batch {batch.batch_id}: {state}; {batch.succeeded} succeeded, "
        + (f"{batch.partial} partial, " if batch.partial else "")
        + f"{batch.failed} failed, "
        f"{batch.running} running, {batch.pending} waiting of {batch.total}"
    )
    return 0


async def results(client: Client, args: argparse.Namespace) -> int:
    handle = client.get_workflow_handle(batch_workflow_id(args.batch_id), result_type=BatchResult)
    description = await handle.describe()
    if description.status == WorkflowExecutionStatus.RUNNING and not args.wait:
        err.print(f"batch {args.batch_id} is still running; add --wait to wait for it")
        return 4
    result = await handle.result()
    if args.json:
        sys.stdout.write(result.model_dump_json(indent=2) + "\n")
    else:
        await _show(result)
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="docfleet",
        description="Submit document batches to DocFleet and read their results. Connection: "
        "TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_PROFILE.",
    )
    commands = root.add_subparsers(dest="command", required=True)
    sub = commands.add_parser("submit", help="start a batch")
    sub.add_argument("urls", nargs="*", help="http(s)://, file:// or s3:// URLs")
    sub.add_argument("--from-file", help="read more URLs from this file, one per line")
    sub.add_argument("--batch-id", help="your id for the batch (default: a random one)")
    sub.add_argument("--priority", type=int, default=3, help="1 (urgent) to 5 (background)")
    sub.add_argument(
        "--manifest", help="the batch's documents: a JSON Lines manifest URI in the blob store"
    )
    sub.add_argument(
        "--concurrency",
        type=int,
        default=None,
        help=f"documents in flight at a time (default {DEFAULT_WINDOW})",
    )
    sub.add_argument("--wait", action="store_true", help="show progress until the batch ends")
    sub.add_argument("--password-file", help=PASSWORD_FILE_HELP)
    st = commands.add_parser("status", help="counts of a batch so far")
    st.add_argument("batch_id")
    res = commands.add_parser("results", help="the outcome of every document of a batch")
    res.add_argument("batch_id")
    res.add_argument("--json", action="store_true", help="print the BatchResult as JSON")
    res.add_argument("--wait", action="store_true", help="wait if the batch is still running")
    codec = commands.add_parser("codec-server", help="serve /encode and /decode for the Web UI")
    codec.add_argument("--host", default="127.0.0.1")
    codec.add_argument("--port", type=int, default=8081)
    return root


async def _main(args: argparse.Namespace) -> int:
    if args.command == "submit":
        args.submission = validated_request(args)
        if args.submission is None:
            return 2
    client = await connect_client()
    command = {"submit": submit, "status": status, "results": results}[args.command]
    return await command(client, args)


def main() -> None:
    args = parser().parse_args()
    if args.command == "codec-server":
        from docfleet_orchestrator.codec_server import run

        raise SystemExit(run(args.host, args.port))
    try:
        code = asyncio.run(_main(args))
    except RPCError as exc:
        err.print(f"[red]Temporal said:[/] {exc.message}")
        code = 5
    except RuntimeError as exc:  # connection failures surface as RuntimeError
        err.print(f"[red]cannot reach Temporal:[/] {exc}")
        code = 5
    except CodecConfigError as exc:  # its message names the setting, never a key
        err.print(f"[red]payload encryption misconfigured:[/] {exc}")
        code = 2
    # Not SystemExit: skip interpreter teardown, which the SDK's threads can crash.
    end_process(code)
