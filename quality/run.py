"""`make quality`: DocFleet's reading quality on the dev set, through the workers' activities.

Parts: `ocr` (CER, WER, bag of words and seconds per page, each engine side by side, on
receipts, printed lines and multi-column pages), `rotation` (word recall on pages turned by
0/90/180/270 degrees), `classify` (accuracy and confusion matrix), `fields` (key-field
exact-match accuracy on receipts and NDAs). Prints a markdown table, writes JSON under `--out`.
Run with `uv run python -m quality.run --help`.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import logging
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any, NoReturn

from docfleet_nlp.settings import NlpSettings
from docfleet_ocr.settings import OcrSettings
from quality import nlp_part, ocr_part, report, rotation_part
from quality.context import Context
from quality.dataset import DevSet, MissingData
from quality.engines import DEFAULT, ENGINES, EngineUnavailable
from quality.harness import Harness

PARTS = ("ocr", "rotation", "classify", "fields")
REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data" / "quality-dev"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="make quality", description=(__doc__ or "").split("\n")[0]
    )
    add = parser.add_argument
    data = os.environ.get("DOCFLEET_QUALITY_DATA") or str(DEFAULT_DATA)
    add("--data", type=Path, default=Path(data), help=f"the quality-dev folder ({data})")
    add("--out", type=Path, default=Path(".docfleet/quality"), help="where the JSON goes")
    add("--engines", default=",".join(ENGINES), help="OCR engines compared (ppocr,tesseract,auto)")
    add("--parts", default=",".join(PARTS), help=f"comma-separated subset of {','.join(PARTS)}")
    add("--quick", action="store_true", help="a few files per dataset: a smoke run of every part")
    add("--limit", type=int, default=None, help="at most this many files per dataset")
    args = parser.parse_args(argv)
    args.parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    args.engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = set(args.parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")
    return args


def default_engine(harness: Harness, notes: list[str]) -> str:
    """`auto`; while it cannot be built, `ppocr` stands in (and a note says so)."""
    try:
        harness.engine(DEFAULT)
        return DEFAULT
    except EngineUnavailable as exc:
        notes.append(f"{exc}; rotation, classify and fields read with ppocr instead")
        return "ppocr"


async def measure(args: argparse.Namespace, devset: DevSet) -> dict[str, Any]:
    """Run the asked parts; the dict holds `meta` and one section per part."""
    started = time.monotonic()
    ocr_settings = OcrSettings(ocr_heartbeat_every_seconds=600)  # no timer beats: one doc at once
    meta: dict[str, Any] = {
        "started": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "data": str(devset.root),
        "parts": args.parts,
        "quick": args.quick,
        "limit": args.limit,
        "cpus": os.cpu_count(),
        "load_average_before": [round(v, 2) for v in os.getloadavg()],
        "ocr_inference_threads": ocr_settings.ocr_inference_threads,
        "notes": [],
    }
    result: dict[str, Any] = {"meta": meta}
    async with Harness(ocr_settings, NlpSettings()) as harness:
        ctx = Context(devset, harness, args.engines, limit=args.limit, quick=args.quick)
        if set(args.parts) - {"ocr"}:
            ctx.default = meta["default_engine"] = default_engine(harness, meta["notes"])
        if "ocr" in args.parts:
            result["ocr"] = await ocr_part.run(ctx)
        if "rotation" in args.parts:
            result["rotation"] = await rotation_part.run(ctx)
        if "classify" in args.parts:
            result["classify"] = await nlp_part.classify(ctx)
        if "fields" in args.parts:
            result["fields"] = await nlp_part.key_fields(ctx)
        meta["errors"] = ctx.errors
    meta["wall_seconds"] = round(time.monotonic() - started, 1)
    meta["load_average_after"] = [round(v, 2) for v in os.getloadavg()]
    return result


def render(result: dict[str, Any]) -> str:
    """The table, the confusion matrix and the run's notes, as printed."""
    parts = [report.markdown(result), report.LEGEND]
    if "classify" in result:
        parts.append("Confusion matrix (rows: true label, columns: predicted)")
        parts.append(report.confusion(result["classify"]))
    meta = result["meta"]
    unavailable = [
        f"- not measured: {state['why']}"
        for state in result.get("ocr", {}).get("engines", {}).values()
        if not state["available"]
    ]
    failed = [f"- failed: {e['document']}: {e['error']}" for e in meta["errors"]]
    notes = [f"- {note}" for note in meta["notes"]]
    if unavailable or failed or notes:
        parts.append("\n".join(notes + unavailable + failed))
    parts.append(f"Wall time {meta['wall_seconds']} s on {meta['cpus']} CPUs.")
    return "\n\n".join(parts)


def _terminate(signum: int, frame: object) -> NoReturn:
    raise SystemExit(128 + signum)  # unwinds the harness: temp blobs and pools are cleaned up


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="[quality %(asctime)s] %(message)s")
    try:
        devset = DevSet(args.data)
    except MissingData as exc:
        sys.stderr.write(f"make quality: {exc}\n")
        return 2
    result = asyncio.run(measure(args, devset))
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"quality-{result['meta']['started'][:19].replace(':', '')}.json"
    path.write_text(json.dumps(result, indent=2, default=str) + "\n")
    sys.stdout.write(f"\n{render(result)}\n\nFigures written to {path}\n")
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _terminate)
    sys.exit(main())
