"""Accuracy and confusion matrix of a classifier on the quality-dev set's labelled documents.

With `--generated SEED` it scores freshly generated documents instead (a corpus seed other than
the training one), the figure the issue asks to report apart from the dev set.

The dev set lives outside the repository (`../shared/data/quality-dev`, see its README); texts
come from a folder of `<file name>.txt` files read by the pipeline (pages split by form feeds).
Labels `text_line` and `n/a` are not document types and are left out.

    uv run --frozen python services/nlp/training/evaluate_dev.py --texts /tmp/qdev-text
    uv run --frozen python services/nlp/training/evaluate_dev.py --generated 4242
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any, TextIO

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate

from docfleet_nlp.classifier import LABELS, Classifier, KeywordClassifier
from docfleet_nlp.model import WEIGHTS_PATH, load_model_classifier

DATA = Path(__file__).resolve().parents[4] / "shared/data/quality-dev"
SKIP = {"text_line", "n/a"}


def say(line: str, file: TextIO = sys.stdout) -> None:
    file.write(line + "\n")


def labelled(data: Path, texts: Path) -> list[tuple[str, str, str]]:
    """(file, label, text) for every labelled document whose text file exists."""
    rows = list(csv.DictReader((data / "MANIFEST.tsv").open(), delimiter="\t"))
    found = []
    for row in rows:
        if row["label"] in SKIP:
            continue
        path = texts / (Path(row["file"]).name + ".txt")
        if not path.exists():
            say(f"missing text: {path}", file=sys.stderr)
            continue
        found.append((row["file"], row["label"], path.read_text()))
    return found


def confusion(pairs: list[tuple[str, str]]) -> str:
    """A confusion matrix, true labels down, predictions across (labels that occur only)."""
    used = [label for label in LABELS if any(label in pair for pair in pairs)]
    counts = Counter(pairs)
    short = {label: label[:6] for label in used}
    lines = ["true \\ pred".ljust(18) + " ".join(short[p].rjust(6) for p in used)]
    for truth in used:
        if not any(t == truth for t, _ in pairs):
            continue
        cells = " ".join(str(counts[(truth, p)] or ".").rjust(6) for p in used)
        lines.append(truth.ljust(18) + cells)
    return "\n".join(lines)


def calibration_error(rows: list[dict[str, Any]], bins: int = 10) -> float:
    """Mean |accuracy - confidence| over confidence bins, weighted by bin size."""
    total = 0.0
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        inside = [
            r for r in rows if low < r["confidence"] <= high or (b == 0 and r["confidence"] == 0)
        ]
        if inside:
            accuracy = sum(r["label"] == r["predicted"] for r in inside) / len(inside)
            confidence = sum(r["confidence"] for r in inside) / len(inside)
            total += len(inside) / len(rows) * abs(accuracy - confidence)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=Path, default=Path("/tmp/qdev-text"))
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--classifier", choices=["model", "keywords"], default="model")
    parser.add_argument("--weights", type=Path, default=WEIGHTS_PATH)
    parser.add_argument("--json", type=Path, help="write per-document results here")
    parser.add_argument(
        "--generated",
        type=int,
        metavar="SEED",
        help="score 20 generated documents per label from this corpus seed instead (pick one "
        "the shipped model was not trained on)",
    )
    args = parser.parse_args()
    if args.generated is None and not (args.data / "MANIFEST.tsv").exists():
        sys.exit(f"dev set not found at {args.data}")
    started = time.perf_counter()
    classifier: Classifier = (
        load_model_classifier(args.weights) if args.classifier == "model" else KeywordClassifier()
    )
    load_s = time.perf_counter() - started
    if args.generated is None:
        docs = labelled(args.data, args.texts)
    else:
        docs = [
            (f"{e.kind}#{i}", e.label, e.text) for i, e in enumerate(generate(20, args.generated))
        ]
    pairs: list[tuple[str, str]] = []
    rows: list[dict[str, Any]] = []
    spent = 0.0
    for file, label, text in docs:
        started = time.perf_counter()
        result = classifier.classify(text)
        spent += time.perf_counter() - started
        pairs.append((label, result.label))
        rows.append(
            {
                "file": file,
                "label": label,
                "predicted": result.label,
                "confidence": result.confidence,
            }
        )
        mark = "  " if label == result.label else "XX"
        say(f"{mark} {label:17} {result.label:17} {result.confidence:.2f}  {file}")
    right = sum(t == p for t, p in pairs)
    say(f"\naccuracy {right}/{len(pairs)} = {right / len(pairs):.1%}")
    say(f"expected calibration error (10 bins) {calibration_error(rows):.3f}")
    say(f"load {load_s:.2f} s, {spent / len(pairs):.3f} s per document")
    say(confusion(pairs))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
