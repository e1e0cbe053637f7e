from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from docfleet_ocr.engine import RapidOcrEngine
from docfleet_ocr.pipeline import ReadOptions, open_document


def quality_dev() -> Path:
    """The team's quality-dev set: beside the checkout, or where DOCFLEET_QUALITY_DATA says."""
    candidates = [
        os.environ.get("DOCFLEET_QUALITY_DATA", ""),
        str(Path(__file__).resolve().parents[3].parent / "shared" / "data" / "quality-dev"),
        "/work/shared/data/quality-dev",
    ]
    for candidate in candidates:
        if candidate and Path(candidate, "MANIFEST.tsv").is_file():
            return Path(candidate)
    raise FileNotFoundError(
        "quality-dev data set not found; set DOCFLEET_QUALITY_DATA to its folder"
    )


SCANNED = quality_dev() / "scanned"


def word_recall(found: str, truth: str) -> float:
    """Share of ground-truth words found, case-insensitive and order-insensitive."""
    found_words = Counter(found.upper().split())
    truth_words = Counter(truth.upper().split())
    return sum((found_words & truth_words).values()) / sum(truth_words.values())


@pytest.mark.parametrize(
    ("name", "kind", "least"),
    [("sroie_012.jpg", "jpeg", 0.6), ("uw3train_010028.png", "png", 0.8)],
)
def test_real_scan_finds_most_ground_truth_words(
    engine: RapidOcrEngine, name: str, kind: str, least: float
) -> None:
    path = SCANNED / name
    truth = (SCANNED / f"{name}.gt.txt").read_text(encoding="utf-8")
    with open_document(path.read_bytes(), kind, engine, ReadOptions()) as source:  # type: ignore[arg-type]
        text = source.read_page(1).text
    assert word_recall(text, truth) >= least
