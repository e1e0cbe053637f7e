"""Parts `classify` and `fields`: the NLP activities on the default configuration's readings.

Classification: every MANIFEST document with a type label (not `text_line` or `n/a`), read by
`ocr.ocr_pages` (text layer or OCR, as the worker decides), then `nlp.classify`.
Key fields: receipts and NDAs through `nlp.extract_entities`, once with the true document type
(what the field scores measure) and once with the type the classifier predicted.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from docfleet_contracts import KeyField
from quality import fields
from quality.context import Context
from quality.dataset import Entry, read_fields

TRUE_TYPE = {"receipts": "receipt", "ndas": "contract"}
QUICK_PER_LABEL = 2
QUICK = {"receipts": 3, "ndas": 2}


def labelled(ctx: Context) -> list[Entry]:
    """The documents to classify; a quick run takes the smallest few of each label."""
    by_label: dict[str, list[Entry]] = defaultdict(list)
    entries = ctx.devset.labelled()
    if ctx.quick:
        entries.sort(key=lambda entry: entry.path.stat().st_size)
    for entry in entries:
        by_label[entry.label].append(entry)
    return [e for label in sorted(by_label) for e in ctx.take(by_label[label], QUICK_PER_LABEL)]


async def predicted(ctx: Context, entry: Entry) -> tuple[str | None, float | None]:
    """The classifier's label and confidence for `entry` (None when it could not be read)."""
    reading = await ctx.read_entry(entry)
    if reading is None:
        return None, None
    result = await ctx.harness.classify(reading)
    return result.label, result.confidence


async def classify(ctx: Context) -> dict[str, Any]:
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    documents = []
    for entry in labelled(ctx):
        label, confidence = await predicted(ctx, entry)
        shown = label or "(unread)"
        confusion[entry.label][shown] += 1
        documents.append(
            {"file": entry.name, "truth": entry.label, "predicted": shown, "confidence": confidence}
        )
    hits = sum(row[truth] for truth, row in confusion.items())
    total = len(documents)
    return {
        "documents": total,
        "classifier": type(ctx.harness.nlp.classifier).__name__,
        "accuracy": hits / total if total else None,
        "labels": sorted({*confusion, *(p for row in confusion.values() for p in row)}),
        "confusion": {truth: dict(row) for truth, row in sorted(confusion.items())},
        "per_document": documents,
    }


async def key_fields(ctx: Context) -> dict[str, Any]:
    result: dict[str, Any] = {}
    groups = {
        "receipts": ctx.take(ctx.devset.receipts(), QUICK["receipts"]),
        "ndas": ctx.take(ctx.devset.ndas(), QUICK["ndas"]),
    }
    for group, entries in groups.items():
        by_type: dict[str, dict[str, fields.FieldTally]] = {"true_type": {}, "predicted_type": {}}
        for entry in entries:
            reading = await ctx.read_entry(entry)
            truth = read_fields(entry)
            label, _ = await predicted(ctx, entry)
            for mode, document_type in (("true_type", TRUE_TYPE[group]), ("predicted_type", label)):
                found: list[KeyField] = []
                if reading is not None:
                    found = (await ctx.harness.extract(reading, document_type)).key_fields
                _score(group, by_type[mode], truth, found, entry.name)
        result[group] = {
            "documents": len(entries),
            **{
                mode: {name: tally.to_json() for name, tally in tallies.items()}
                for mode, tallies in by_type.items()
            },
        }
    return result


def _score(
    group: str,
    tallies: dict[str, fields.FieldTally],
    truth: dict[str, Any],
    found: list[KeyField],
    name: str,
) -> None:
    if group == "receipts":
        fields.score_single(tallies, fields.RECEIPT, truth, found, name)
    else:
        fields.score_parties(tallies, truth, found, name)
        fields.score_single(tallies, fields.CONTRACT, truth, found, name)
