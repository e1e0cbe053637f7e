"""Part `ocr`: every engine on the same images, per dataset: CER, WER, bag of words, s/page.

Datasets: receipts (SROIE photos; reference: annotated lines in reading order), printed lines
(UW-III), multi-column pages (a two-column paper rendered at `DPI`; reference: its text layer in
column order, and whether the output keeps that order, see `columns`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from docfleet_contracts import DocumentKind
from quality.columns import ColumnPage, OrderCheck, column_pages, order_check
from quality.context import Context
from quality.dataset import Entry, line_text, receipt_text
from quality.engines import EngineUnavailable
from quality.metrics import Bag, Score, bag_of_words, cer, wer

DPI = 200
COLUMN_PDF = "pdfminer_issue-1061-colour-space-stack.pdf"
QUICK = {"receipts": 3, "lines": 3, "columns": 1}


@dataclass(frozen=True)
class Item:
    """One image to read, with its reference: a dev-set file (`entry`) or `data` of `kind`;
    `page` for the multi-column checks."""

    label: str
    data: bytes
    kind: DocumentKind
    reference: str
    page: ColumnPage | None = None
    entry: Entry | None = None


@dataclass
class Tally:
    """One engine's sums over a dataset (micro averages: edits over all reference units)."""

    chars: Score = field(default_factory=Score)
    words: Score = field(default_factory=Score)
    bag: Bag = field(default_factory=Bag)
    seconds: float = 0.0
    pages: int = 0
    failed: int = 0
    read_by: Counter[str] = field(default_factory=Counter)
    order: OrderCheck = field(default_factory=OrderCheck)

    def to_json(self) -> dict[str, Any]:
        order = self.order
        return {
            "cer": self.chars.rate,
            "wer": self.words.rate,
            "bow_recall": self.bag.recall,
            "bow_precision": self.bag.precision,
            "bow_f1": self.bag.f1,
            "seconds_per_page": self.seconds / self.pages if self.pages else None,
            "pages": self.pages,
            "failed": self.failed,
            "read_by": dict(self.read_by),
            "order_pairs": order.kept / order.pairs if order.pairs else None,
            "column_pairs": order.column_kept / order.column_pairs if order.column_pairs else None,
            "anchors": order.anchors,
        }


def items(ctx: Context) -> dict[str, list[Item]]:
    """The three datasets' images and references (capped by the run's limits)."""
    receipts = [
        Item(e.name, b"", "jpeg", receipt_text(e), entry=e)
        for e in ctx.take(ctx.devset.receipts(), QUICK["receipts"])
    ]
    lines = [
        Item(e.name, b"", "png", line_text(e), entry=e)
        for e in ctx.take(ctx.devset.lines(), QUICK["lines"])
    ]
    pdf = ctx.devset.root / "digital" / COLUMN_PDF
    pages = ctx.take(column_pages(pdf, DPI), QUICK["columns"]) if pdf.is_file() else []
    columns = [Item(f"{COLUMN_PDF}#{p.number}", p.png, "png", p.text, p) for p in pages]
    return {"receipts": receipts, "lines": lines, "columns": columns}


def available(ctx: Context) -> dict[str, dict[str, Any]]:
    """Which of the asked engines can be built here, and why not."""
    status: dict[str, dict[str, Any]] = {}
    for name in ctx.engines:
        try:
            ctx.harness.engine(name)
            status[name] = {"available": True}
        except EngineUnavailable as exc:
            status[name] = {"available": False, "why": str(exc)}
    return status


async def run(ctx: Context) -> dict[str, Any]:
    engines = available(ctx)
    usable = [name for name, state in engines.items() if state["available"]]
    datasets: dict[str, Any] = {}
    for dataset, images in items(ctx).items():
        tallies = {name: Tally() for name in usable}
        documents: list[dict[str, Any]] = []
        for item in images:
            row: dict[str, Any] = {"file": item.label}
            for name in usable:  # engines take turns per image: machine load hits them alike
                row[name] = await _one(ctx, name, item, tallies[name])
            documents.append(row)
        section: dict[str, Any] = {
            "documents": len(images),
            "engines": {name: tally.to_json() for name, tally in tallies.items()},
            "per_document": documents,
        }
        if dataset == "columns":
            kept = sum(i.page.native_order[0] for i in images if i.page)
            pairs = sum(i.page.native_order[1] for i in images if i.page)
            section["pdf_native_order"] = kept / pairs if pairs else None
        datasets[dataset] = section
    return {"engines": engines, "datasets": datasets}


async def _one(ctx: Context, engine: str, item: Item, tally: Tally) -> dict[str, Any]:
    if item.entry is not None:  # a whole file: its reading is kept for the other parts
        reading = await ctx.read_entry(item.entry, engine)
    else:
        reading = await ctx.read(engine, item.data, item.kind, f"{engine}-{item.label}")
    text = reading.text if reading else ""
    chars, words_ = cer(item.reference, text), wer(item.reference, text)
    bag = bag_of_words(item.reference, text)
    tally.chars, tally.words, tally.bag = tally.chars + chars, tally.words + words_, tally.bag + bag
    result: dict[str, Any] = {"cer": chars.rate, "wer": words_.rate, "bow_f1": bag.f1}
    if reading is None:
        tally.failed += 1
        return {**result, "failed": True}
    tally.seconds += reading.seconds
    tally.pages += len(reading.pages)
    tally.read_by.update(page.engine or "none" for page in reading.pages)
    if item.page is not None:
        check = order_check(item.page, text)
        tally.order += check
        result["order_pairs"] = check.kept / check.pairs if check.pairs else None
    return {**result, "seconds": round(reading.seconds, 2)}
