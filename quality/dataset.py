"""The dev set on disk (`quality-dev`, see its README): which files, and their references."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

NOT_TYPES = frozenset({"text_line", "n/a"})
"""MANIFEST labels that are no document type: left out of classification."""
ROW_OVERLAP = 0.5
"""Two boxes share a row when they overlap vertically by this share of the shorter one."""


class MissingData(Exception):
    """The dev-set folder is absent or incomplete."""


@dataclass(frozen=True)
class Entry:
    """One MANIFEST row."""

    path: Path
    kind: str
    label: str

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class Box:
    """An annotated text line: its transcript and bounding box (x0, y0, x1, y1)."""

    text: str
    box: tuple[float, float, float, float]


class DevSet:
    """The files of one dev-set folder, as MANIFEST.tsv lists them."""

    def __init__(self, root: Path) -> None:
        manifest = root / "MANIFEST.tsv"
        if not manifest.is_file():
            raise MissingData(
                f"no dev set at {root} (MANIFEST.tsv missing): pass --data or set "
                "DOCFLEET_QUALITY_DATA to the quality-dev folder"
            )
        self.root = root
        with manifest.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
        self.entries = [Entry(root / row["file"], row["kind"], row["label"]) for row in rows]

    def matching(self, prefix: str, suffix: str = "") -> list[Entry]:
        """Entries whose file name starts with `prefix` (and ends with `suffix`), sorted."""
        found = [e for e in self.entries if e.name.startswith(prefix) and e.name.endswith(suffix)]
        return sorted(found, key=lambda entry: entry.name)

    def receipts(self) -> list[Entry]:
        return self.matching("sroie_", ".jpg")

    def lines(self) -> list[Entry]:
        return self.matching("uw3train_", ".png")

    def ndas(self) -> list[Entry]:
        return self.matching("kleister_", ".pdf")

    def labelled(self) -> list[Entry]:
        """Entries with a document-type label, for classification."""
        return [entry for entry in self.entries if entry.label not in NOT_TYPES]


def sidecar(entry: Entry, suffix: str) -> Path:
    return entry.path.with_name(f"{entry.name}.{suffix}")


def read_fields(entry: Entry) -> dict[str, Any]:
    """The `fields.json` sidecar; Kleister's `{"fields": {...}}` is unwrapped."""
    data: dict[str, Any] = json.loads(sidecar(entry, "fields.json").read_text(encoding="utf-8"))
    inner = data.get("fields")
    return inner if isinstance(inner, dict) else data


def line_text(entry: Entry) -> str:
    """The reference of a single-line image."""
    return sidecar(entry, "gt.txt").read_text(encoding="utf-8").strip()


def parse_boxes(csv_text: str) -> list[Box]:
    """SROIE `lines.csv`: eight corner coordinates, then the transcript (commas allowed)."""
    boxes = []
    for raw in csv_text.splitlines():
        parts = raw.strip().split(",", 8)
        if len(parts) < 9:
            continue
        xs = [float(v) for v in parts[0:8:2]]
        ys = [float(v) for v in parts[1:8:2]]
        boxes.append(Box(parts[8], (min(xs), min(ys), max(xs), max(ys))))
    return boxes


def reading_order(boxes: Sequence[Box]) -> list[list[Box]]:
    """Rows by vertical overlap (top to bottom), boxes of a row left to right."""
    rows: list[list[Box]] = []
    band = (0.0, 0.0)
    for item in sorted(boxes, key=lambda b: (b.box[1] + b.box[3]) / 2):
        top, bottom = item.box[1], item.box[3]
        overlap = min(bottom, band[1]) - max(top, band[0])
        shorter = min(bottom - top, band[1] - band[0])
        if rows and shorter > 0 and overlap >= ROW_OVERLAP * shorter:
            rows[-1].append(item)
            band = (min(top, band[0]), max(bottom, band[1]))
        else:
            rows.append([item])
            band = (top, bottom)
    return [sorted(row, key=lambda b: b.box[0]) for row in rows]


def receipt_text(entry: Entry) -> str:
    """A receipt's reference: its annotated lines in reading order, one row per line."""
    raw = sidecar(entry, "lines.csv").read_bytes().decode("utf-8-sig")
    rows = reading_order(parse_boxes(raw))
    return "\n".join(" ".join(box.text for box in row) for row in rows)
