"""The run's figures as one markdown table (plus the classifier's confusion matrix)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from quality.engines import DEFAULT

DATASETS = {"receipts": "receipts", "lines": "printed lines", "columns": "multi-column pages"}
OCR_ROWS = (
    ("cer", "CER", "pct"),
    ("wer", "WER", "pct"),
    ("bow_f1", "bag-of-words F1", "pct"),
    ("bow_recall", "bag-of-words recall", "pct"),
    ("seconds_per_page", "seconds per page", "sec"),
    ("order_pairs", "anchor pairs in reference order", "pct"),
    ("column_pairs", "left/right pairs in column order", "pct"),
)
FIELD_NAMES = {"party": "parties (the exact set)", "party_found": "parties (each one found)"}
LEGEND = (
    "Fields: exact-match accuracy with the true document type (hits/documents with that field), "
    "then with the type the classifier predicted. OCR rates: micro averages over all reference "
    "characters or words, case-folded. Seconds per page: `ocr.ocr_pages` wall time (decoding "
    "and sandbox included) with the worker's settings, one document at a time."
)


def _fmt(value: Any, how: str = "pct") -> str:
    if value is None:
        return "-"
    return f"{100 * value:.1f}%" if how == "pct" else f"{value:.2f}"


def _default(result: dict[str, Any]) -> str:
    return str(result["meta"].get("default_engine", DEFAULT))


def _columns(result: dict[str, Any]) -> list[str]:
    engines = list(result.get("ocr", {}).get("engines", {}))
    return engines if _default(result) in engines else [*engines, _default(result)]


def _row(part: str, dataset: str, measure: str, cells: Sequence[str]) -> str:
    return "| " + " | ".join([part, dataset, measure, *cells]) + " |"


def _ocr_rows(ocr: dict[str, Any], columns: Sequence[str]) -> list[str]:
    rows = []
    for key, section in ocr["datasets"].items():
        if not section["documents"]:
            continue
        name = f"{DATASETS.get(key, key)} ({section['documents']})"
        for field, measure, how in OCR_ROWS:
            if key != "columns" and field in ("order_pairs", "column_pairs"):
                continue
            cells = []
            for engine in columns:
                figures = section["engines"].get(engine)
                cells.append("n/a" if figures is None else _fmt(figures.get(field), how))
            rows.append(_row("OCR", name, measure, cells))
        if "pdf_native_order" in section:
            native = _fmt(section["pdf_native_order"])
            measure = "text layer's own block order: pairs in column order"
            rows.append(_row("OCR", name, measure, [native] * len(columns)))
    return rows


def _only(columns: Sequence[str], engine: str, value: str) -> list[str]:
    return [value if name == engine else "" for name in columns]


def _tally(figures: dict[str, Any]) -> str:
    return f"{_fmt(figures['accuracy'])} ({figures['hits']}/{figures['scored']})"


def markdown(result: dict[str, Any]) -> str:
    """The table: one row per measure, one column per engine (NLP rows: the default only)."""
    columns, default = _columns(result), _default(result)
    lines = [_row("Part", "Dataset (documents)", "Measure", columns)]
    lines.append("|" + "---|" * (3 + len(columns)))
    if "ocr" in result:
        lines += _ocr_rows(result["ocr"], columns)
    if "rotation" in result:
        rotation = result["rotation"]
        for angle, recall in rotation["word_recall"].items():
            name = f"receipts + NDA pages ({rotation['documents']})"
            cells = _only(columns, default, _fmt(recall["all"]))
            lines.append(_row("Rotation", name, f"word recall at {angle}°", cells))
    if "classify" in result:
        classify = result["classify"]
        cells = _only(columns, default, _fmt(classify["accuracy"]))
        lines.append(_row("Classify", f"labelled ({classify['documents']})", "accuracy", cells))
    for group, section in result.get("fields", {}).items():
        name = f"{'receipts' if group == 'receipts' else 'NDAs'} ({section['documents']})"
        for field, figures in section["true_type"].items():
            guessed = section["predicted_type"].get(field)
            value = _tally(figures) + (f"; {_fmt(guessed['accuracy'])}" if guessed else "")
            measure = FIELD_NAMES.get(field, field)
            lines.append(_row("Fields", name, measure, _only(columns, default, value)))
    return "\n".join(lines)


def confusion(classify: dict[str, Any]) -> str:
    """Rows: the true label; columns: the predicted one."""
    labels = classify["labels"]
    lines = ["| truth \\ predicted | " + " | ".join(labels) + " |"]
    lines.append("|" + "---|" * (1 + len(labels)))
    for truth, row in classify["confusion"].items():
        lines.append(f"| {truth} | " + " | ".join(str(row.get(p, "")) for p in labels) + " |")
    return "\n".join(lines)
