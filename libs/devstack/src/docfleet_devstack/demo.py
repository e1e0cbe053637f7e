"""`make demo`: the whole fleet on a sample batch, end to end, then everything stops again.

Starts a Temporal dev server (with its Web UI), Redis and the five workers as separate
processes, serves generated sample documents over HTTP, submits them plus one bad URL with the
`docfleet` CLI, shows progress and the result table, and says where the results are.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console

from docfleet_devstack.httpd import FolderServer
from docfleet_devstack.samples import make_samples
from docfleet_devstack.stack import Stack, running_stack

console = Console()


def _docfleet(args: list[str], env: dict[str, str]) -> int:
    cli = Path(sys.executable).parent / "docfleet"
    return subprocess.call([str(cli), *args], env={**os.environ, **env})


def _run_batch(stack: Stack, urls: list[str], started: float, *, keep: bool) -> None:
    """Submit `urls` with the CLI, as a user would, and say where everything is."""
    workers = ", ".join(f"{name} (pid {p.pid})" for name, p in stack.workers.items())
    console.print(f"Temporal {stack.temporal.address}, Web UI {stack.temporal.ui_url}")
    console.print(f"Workers: {workers}")
    batch_id = f"demo-{int(time.time())}"
    submitted = time.monotonic()
    code = _docfleet(["submit", *urls, "--batch-id", batch_id, "--wait"], stack.client_env())
    processing = time.monotonic() - submitted
    if code not in (0, 1):
        raise SystemExit(f"docfleet submit failed with exit code {code}")
    console.print(
        f"\nBatch [bold]{batch_id}[/]: {len(urls)} documents in {processing:.1f} s "
        f"({len(urls) / processing:.2f} docs/s); demo wall time so far "
        f"{time.monotonic() - started:.1f} s"
    )
    console.print(f"Results: {stack.blob_url}/results/{batch_id}/")
    console.print(f"Web UI:  {stack.temporal.ui_url}/namespaces/default/workflows")
    console.print(f"Logs:    {stack.workdir / 'logs'}")
    if keep:
        console.print("Fleet is running; press Ctrl-C to stop it.")
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--workdir", type=Path, default=Path(".docfleet/demo"))
    parser.add_argument(
        "--keep", action="store_true", help="keep the fleet and the Web UI running until Ctrl-C"
    )
    args = parser.parse_args()
    workdir: Path = args.workdir.resolve()
    shutil.rmtree(workdir, ignore_errors=True)

    started = time.monotonic()
    samples = make_samples(workdir / "samples")
    console.print(f"[bold]DocFleet demo[/] in {workdir}")
    with contextlib.ExitStack() as cleanup:
        server = FolderServer(workdir / "samples")
        cleanup.callback(server.close)
        with console.status("starting Temporal dev server, Redis and five workers..."):
            stack = cleanup.enter_context(running_stack(workdir, ui=True))
        cleanup.callback(console.print, "stopping the fleet...")
        # The samples plus one bad URL, which must fail alone with its typed error.
        urls = [server.url(s.name) for s in samples] + [server.url("missing-document.pdf")]
        _run_batch(stack, urls, started, keep=args.keep)
    console.print(f"Stopped. Demo wall time {time.monotonic() - started:.1f} s.")


if __name__ == "__main__":
    main()
