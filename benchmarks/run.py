"""`make bench`: DocFleet measured against its yardsticks in one run, on one machine.

1. Orchestration overhead: N trivial documents through the fleet vs a bare Temporal program of
   the same shape (`baseline.py`) on the same dev server.
2. Scanned throughput: scanned pages through the fleet vs the bare OCR engine (`ocr_bare.py`).
3. Born-digital throughput: text-layer pages through the fleet vs OCR of the same pages.
4. A large batch of trivial documents: wall time, history size of each run, worker memory.

Prints a markdown table and writes the full figures as JSON under `--out`.
Run with `uv run python -m benchmarks.run --help`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import json
import os
import shutil
import signal
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, NoReturn

from benchmarks import baseline, documents, ocr_bare, report
from benchmarks.fleet import TimedBatch, settle, timed_batch, watch_stack
from benchmarks.procstats import Watch, peak_rss_kb
from docfleet_contracts import DocumentSpec, naming
from docfleet_devstack.histories import chain_histories, run_history
from docfleet_devstack.httpd import FolderServer
from docfleet_devstack.samples import make_trivial_pdfs
from docfleet_devstack.stack import Stack, running_stack
from docfleet_runtime import connect_client

PARTS = ("overhead", "digital", "scanned", "large")
QUICK = {
    "trivial": 20,
    "scanned_docs": 2,
    "scanned_pages": 1,
    "digital_docs": 2,
    "digital_pages": 2,
    "digital_ocr_pages": 1,
    "large": 60,
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="make bench", description=(__doc__ or "").splitlines()[0])
    add = parser.add_argument
    add("--trivial", type=int, default=200, help="documents in the overhead comparison (200)")
    add("--scanned-docs", type=int, default=8, help="scanned documents (8)")
    add("--scanned-pages", type=int, default=2, help="pages per scanned document (2)")
    add("--digital-docs", type=int, default=10, help="born-digital documents (10)")
    add("--digital-pages", type=int, default=5, help="pages per born-digital document (5)")
    add(
        "--digital-ocr-pages",
        type=int,
        default=4,
        help="born-digital pages the bare engine OCRs for the comparison (4)",
    )
    add("--large", type=int, default=2000, help="documents in the large batch (2000)")
    add("--window", type=int, default=50, help="documents in flight, fleet and baseline (50)")
    add(
        "--temporal-db",
        choices=("memory", "file"),
        default="memory",
        help="dev server state in memory (default) or in a SQLite file, as `make demo` runs",
    )
    add("--parts", default=",".join(PARTS), help=f"comma-separated subset of {','.join(PARTS)}")
    add("--quick", action="store_true", help="tiny sizes: a smoke run of every part")
    add("--out", type=Path, default=Path(".docfleet/bench"), help="where JSON and logs go")
    args = parser.parse_args(argv)
    if args.quick:
        for name, value in QUICK.items():
            setattr(args, name, value)
    args.parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    unknown = set(args.parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")
    return args


def say(text: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", flush=True)


class Bench:
    """One benchmark run: the documents, the fleet, the watch and the report being filled."""

    def __init__(self, args: argparse.Namespace, work: Path, stamp: str) -> None:
        self.args = args
        self.work = work
        self.docs = work / "documents"
        self.stamp = stamp
        self.watch = Watch()
        self.report: dict[str, Any] = {}
        self.loads: dict[str, float] = {}
        self.settings = ocr_bare.worker_settings()
        self.threads = self.settings.ocr_pool_size
        self.engine = ocr_bare.load_engine(self.settings)

    def batch_id(self, name: str) -> str:
        return f"bench-{self.stamp}-{name}"

    async def measure(
        self, name: str, items: int, unit: str, run: Callable[[], Awaitable[object]]
    ) -> report.Measured:
        """Time `run` inside a phase that stays open until the fleet is quiet again."""
        phase = self.watch.begin(name)
        started = time.monotonic()
        await run()
        seconds = time.monotonic() - started
        quiet = await settle(self.client)
        self.watch.end(phase)
        # Other work on the machine skews every figure: keep a trace of how busy it was.
        self.loads[name] = round(os.getloadavg()[0], 2)
        say(f"{name}: {items} {unit} in {seconds:.1f} s (+{quiet:.1f} s until quiet)")
        return report.Measured.of(phase, items, unit, seconds)

    async def fleet_batch(self, name: str, files: list[str]) -> TimedBatch:
        urls = [self.host.url(f) for f in files]
        return await timed_batch(
            self.client, self.stack, self.batch_id(name), urls, self.args.window
        )

    async def start(self, stack: Stack, host: FolderServer) -> None:
        self.stack, self.host = stack, host
        watch_stack(self.watch, stack)
        self.watch.watch("bench", os.getpid(), descendants=False)
        self.client = await connect_client(stack.temporal.address, "default", wait_seconds=10)
        say("warming up the fleet and the bare engine (untimed)")
        warm = documents.scanned_pdfs(self.docs, 1, 1, prefix="warmup-scan")
        warm += make_trivial_pdfs(self.docs, 2, prefix="warmup-trivial")
        await self.fleet_batch("warmup", warm)
        await settle(self.client)
        pages = ocr_bare.render_scans([self.docs / warm[0]], self.settings)
        ocr_bare.ocr_pages(self.engine, pages, 1, self.settings.ocr_page_seconds)

    async def overhead(self) -> None:
        n = self.args.trivial
        files = make_trivial_pdfs(self.docs, n, prefix="trivial")
        log_dir = self.work / "baseline-logs"
        say(f"overhead: bare Temporal program, {n} documents, six worker processes")
        with baseline.running_workers(self.stack.temporal.address, log_dir) as workers:
            for name, process in workers.items():
                self.watch.watch(f"baseline-{name}", process.pid)
            address = self.stack.temporal.address
            base = await self.measure(
                "baseline",
                n,
                "documents",
                lambda: baseline.run_batch(address, self.batch_id("baseline"), n, self.args.window),
            )
            say(f"overhead: the bare program in DocFleet's shape, {n} documents")
            shaped = await self.measure(
                "baseline-shaped",
                n,
                "documents",
                lambda: baseline.run_batch(
                    address, self.batch_id("shaped"), n, self.args.window, shape="docfleet"
                ),
            )
            for name in workers:
                self.watch.unwatch(f"baseline-{name}")
        say(f"overhead: the fleet, {n} trivial documents")
        fleet = await self.measure(
            "trivial", n, "documents", lambda: self.fleet_batch("trivial", files)
        )
        names = [f"baseline-{name}" for name in workers]
        events = await self._events_per_document(files[0])
        self.report["overhead"] = report.overhead_section(fleet, base, names, events, shaped)

    async def _events_per_document(self, first_file: str) -> dict[str, dict[str, int]]:
        """History events of the first document's workflows, in the fleet and the baseline."""
        fleet_batch = self.batch_id("trivial")
        doc = naming.document_id_for(0, DocumentSpec(url=self.host.url(first_file)))
        base_doc = baseline.document_id(self.batch_id("baseline"), 0)

        async def count(workflow_id: str) -> int:
            return (await run_history(self.client, workflow_id)).events

        return {
            "fleet": {
                "document": await count(naming.document_workflow_id(fleet_batch, doc)),
                "analytics": await count(naming.analytics_workflow_id(fleet_batch, doc)),
            },
            "baseline": {"document": await count(baseline.document_workflow_id(base_doc))},
        }

    async def digital(self) -> None:
        a = self.args
        files = documents.digital_pdfs(self.docs, a.digital_docs, a.digital_pages)
        pages = a.digital_docs * a.digital_pages
        say(f"born-digital: the fleet, {pages} text-layer pages")
        fleet = await self.measure(
            "digital", pages, "pages", lambda: self.fleet_batch("digital", files)
        )
        say(f"born-digital: bare engine OCR of {a.digital_ocr_pages} of those pages")
        paths = [self.docs / f for f in files]
        images = ocr_bare.render_text_pages(paths, self.settings, a.digital_ocr_pages)
        bare = ocr_bare.ocr_pages(self.engine, images, self.threads, self.settings.ocr_page_seconds)
        self.report["digital"] = report.digital_section(fleet, bare)

    async def scanned(self) -> None:
        a = self.args
        files = documents.scanned_pdfs(self.docs, a.scanned_docs, a.scanned_pages)
        pages = a.scanned_docs * a.scanned_pages
        say(f"scanned: the fleet, {pages} pages in {a.scanned_docs} documents")
        fleet = await self.measure(
            "scanned", pages, "pages", lambda: self.fleet_batch("scanned", files)
        )
        say(f"scanned: bare engine on the same {pages} pages, {self.threads} threads")
        started = time.monotonic()
        images = ocr_bare.render_scans([self.docs / f for f in files], self.settings)
        rendered = time.monotonic() - started
        bare = ocr_bare.ocr_pages(
            self.engine, images, self.threads, self.settings.ocr_page_seconds, rendered
        )
        self.report["scanned"] = report.scanned_section(fleet, bare)

    async def large(self) -> None:
        n = self.args.large
        files = make_trivial_pdfs(self.docs, n, prefix="large")
        say(f"large batch: {n} trivial documents, window {self.args.window}")
        fleet = await self.measure(
            "large", n, "documents", lambda: self.fleet_batch("large", files)
        )
        chain = await chain_histories(self.client, naming.batch_workflow_id(self.batch_id("large")))
        self.report["large"] = report.large_section(fleet, chain)


async def bench(args: argparse.Namespace) -> dict[str, Any]:
    started_at = datetime.datetime.now().astimezone()
    started = time.monotonic()
    stamp = started_at.strftime("%Y%m%d-%H%M%S")
    work = (args.out / "work").resolve()
    shutil.rmtree(work, ignore_errors=True)
    load_before = os.getloadavg()
    meta: dict[str, Any] = {
        "started": started_at.isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "temporal_mode": "in memory" if args.temporal_db == "memory" else "with a database file",
        "window": args.window,
        "parts": args.parts,
        "quick": args.quick,
        "ocr_pool_threads": None,
        "baseline": "parent + child per document with five no-op activities on five queues; "
        "six worker processes (workflows, and one per activity queue); default converter",
        "load_average_before": [round(v, 2) for v in load_before],
    }
    say(f"writing under {work}; Temporal dev server {meta['temporal_mode']}")
    runner = Bench(args, work, stamp)
    meta["ocr_pool_threads"] = runner.threads
    try:
        with contextlib.ExitStack() as cleanup:
            runner.docs.mkdir(parents=True, exist_ok=True)
            host = FolderServer(runner.docs)
            cleanup.callback(host.close)
            say("starting the Temporal dev server, Redis and the five workers")
            stack = cleanup.enter_context(
                running_stack(work / "stack", temporal_db=args.temporal_db == "file")
            )
            await runner.start(stack, host)
            for part in PARTS:
                if part in args.parts:
                    await getattr(runner, part)()
            meta["worker_lifetime_peak_rss_mb"] = {
                name: round((peak_rss_kb(process.pid) or 0) / 1024, 1)
                for name, process in stack.workers.items()
            }
    finally:
        runner.watch.close()
    meta["wall_seconds"] = round(time.monotonic() - started, 1)
    meta["load_average_after"] = [round(v, 2) for v in os.getloadavg()]
    meta["load_average_1min_after_each_run"] = runner.loads
    return {"meta": meta, **runner.report}


def _terminate(signum: int, frame: object) -> NoReturn:
    raise SystemExit(128 + signum)  # unwinds the stack's context managers: nothing is left over


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    result = asyncio.run(bench(args))
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"bench-{result['meta']['started'][:19].replace(':', '')}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print()
    print(report.markdown(result), flush=True)
    print(f"Figures written to {path}", flush=True)


if __name__ == "__main__":
    main()
