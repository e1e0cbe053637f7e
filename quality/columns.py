"""Multi-column pages: a born-digital page rendered as a scan, its text layer as the reference.

The reference puts the text-layer blocks in column order by geometry alone (regions cut by
full-width blocks; in each region the left column, then the right), so it does not trust the
PDF's own order; how far that order agrees is reported (`native_order`). Whether OCR output keeps
the columns apart is checked with anchors: word 4-grams found once in the reference and once in
the output, whose positions must come in the same order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import astuple, dataclass
from pathlib import Path

import pymupdf

from quality.metrics import pairs_in_order, words

GRAM = 4
"""Words per anchor: long enough to be unique on a page, short enough to survive OCR errors."""


@dataclass(frozen=True)
class Block:
    """A text-layer block: its text, column region (top to bottom) and side (L, R or F)."""

    text: str
    region: int
    side: str
    native: int


@dataclass(frozen=True)
class ColumnPage:
    """One rendered page, its reference text (column order) and blocks."""

    number: int
    png: bytes
    blocks: list[Block]

    @property
    def text(self) -> str:
        return "\n".join(block.text for block in self.blocks)

    @property
    def native_order(self) -> tuple[int, int]:
        """(block pairs the PDF lists in column order, block pairs)."""
        return pairs_in_order([block.native for block in self.blocks])


@dataclass(frozen=True)
class OrderCheck:
    """Anchor pairs kept in reference order: all of them, and those across two columns."""

    anchors: int = 0
    kept: int = 0
    pairs: int = 0
    column_kept: int = 0
    column_pairs: int = 0

    def __add__(self, other: OrderCheck) -> OrderCheck:
        return OrderCheck(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))


def column_blocks(page: pymupdf.Page) -> list[Block]:
    """The page's text blocks in column order (see the module docstring)."""
    mid = page.rect.width / 2
    raw = [b for b in page.get_text("blocks", sort=False) if b[6] == 0 and b[4].strip()]
    ordered: list[Block] = []
    region = 0
    left: list[Block] = []
    right: list[Block] = []
    for native, b in sorted(enumerate(raw), key=lambda item: item[1][1]):
        text = " ".join(b[4].split())
        if b[2] <= mid:
            left.append(Block(text, region, "L", native))
        elif b[0] >= mid:
            right.append(Block(text, region, "R", native))
        else:  # full width: closes the region above it
            ordered += left + right
            left, right = [], []
            ordered.append(Block(text, region + 1, "F", native))
            region += 2
    return ordered + left + right


def column_pages(path: Path, dpi: int, limit: int | None = None) -> list[ColumnPage]:
    """The first `limit` pages of a PDF as grey PNGs at `dpi`, with their column-order blocks."""
    pages = []
    with pymupdf.open(path) as doc:
        for index, page in enumerate(doc):
            if limit is not None and index >= limit:
                break
            png = bytes(page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY).tobytes("png"))
            pages.append(ColumnPage(index + 1, png, column_blocks(page)))
    return pages


def _tagged(blocks: Sequence[Block]) -> list[tuple[str, Block]]:
    return [(word, block) for block in blocks for word in words(block.text)]


def order_check(page: ColumnPage, output: str) -> OrderCheck:
    """How much of the reference's order survives in `output` (see the module docstring)."""
    ref = _tagged(page.blocks)
    out = words(output)
    grams = [tuple(word for word, _ in ref[i : i + GRAM]) for i in range(len(ref) - GRAM + 1)]
    out_grams = [tuple(out[i : i + GRAM]) for i in range(len(out) - GRAM + 1)]
    ref_count = _counts(grams)
    out_at: dict[tuple[str, ...], int] = {}
    out_count = _counts(out_grams)
    for position, gram in enumerate(out_grams):
        out_at.setdefault(gram, position)
    anchors: list[tuple[int, Block]] = []
    last = -GRAM
    for index, gram in enumerate(grams):
        # Anchors do not overlap, so one long matching run does not dominate the pairs.
        if index - last >= GRAM and ref_count[gram] == 1 and out_count.get(gram) == 1:
            anchors.append((out_at[gram], ref[index][1]))
            last = index
    kept, pairs = pairs_in_order([position for position, _ in anchors])
    across = [
        (a[0], b[0])
        for i, a in enumerate(anchors)
        for b in anchors[i + 1 :]
        if a[1].region == b[1].region and {a[1].side, b[1].side} == {"L", "R"}
    ]
    column_kept = sum(first < second for first, second in across)
    return OrderCheck(len(anchors), kept, pairs, column_kept, len(across))


def _counts(grams: Sequence[tuple[str, ...]]) -> dict[tuple[str, ...], int]:
    counts: dict[tuple[str, ...], int] = {}
    for gram in grams:
        counts[gram] = counts.get(gram, 0) + 1
    return counts
