"""Part `rotation`: pages turned by 0/90/180/270 degrees, read by the default configuration.

Pages: receipt photos and the first page of each Kleister NDA rendered at 200 dpi, all
re-encoded as PNG (lossless, so only the turn differs between the four versions). Measure:
bag-of-words recall against the reference (the annotated lines; the NDA page's text layer).
The rotation the reader reports per page (`PageSummary.rotation`) is kept in the JSON.
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from typing import Any

import pymupdf
from PIL import Image

from quality.context import Context
from quality.dataset import receipt_text
from quality.metrics import Bag, bag_of_words

ANGLES = (0, 90, 180, 270)
TURNS = {
    90: Image.Transpose.ROTATE_90,
    180: Image.Transpose.ROTATE_180,
    270: Image.Transpose.ROTATE_270,
}
"""Counter-clockwise turns, lossless."""
DPI = 200
QUICK = {"receipts": 1, "pages": 1}
RECEIPTS = 8
"""Receipts turned four ways (every NDA's first page is too): enough to see a rotation fail,
and it keeps the part to minutes; `--limit` lowers it further."""


def turned(image: Image.Image, angle: int) -> bytes:
    """`image` turned counter-clockwise by `angle` degrees, as PNG."""
    out = image.transpose(TURNS[angle]) if angle else image
    buffer = io.BytesIO()
    out.save(buffer, format="PNG")
    return buffer.getvalue()


def pages(ctx: Context) -> list[tuple[str, str, Image.Image, str]]:
    """(group, label, upright image, reference text) for every page of this part."""
    found: list[tuple[str, str, Image.Image, str]] = []
    for entry in ctx.take(ctx.devset.receipts(), QUICK["receipts"])[:RECEIPTS]:
        with Image.open(entry.path) as image:
            found.append(("receipts", entry.name, image.convert("L"), receipt_text(entry)))
    for entry in ctx.take(ctx.devset.ndas(), QUICK["pages"]):
        with pymupdf.open(entry.path) as doc:
            page = doc[0]
            pixmap = page.get_pixmap(dpi=DPI, colorspace=pymupdf.csGRAY)
            image = Image.open(io.BytesIO(pixmap.tobytes("png")))
            found.append(("pages", f"{entry.name}#1", image, page.get_text()))
    return found


async def run(ctx: Context) -> dict[str, Any]:
    bags: dict[tuple[str, int], Bag] = defaultdict(Bag)
    reported: dict[int, Counter[str]] = {angle: Counter() for angle in ANGLES}
    documents: list[dict[str, Any]] = []
    for group, label, image, reference in pages(ctx):
        row: dict[str, Any] = {"file": label, "group": group}
        for angle in ANGLES:
            reading = await ctx.read(ctx.default, turned(image, angle), "png", f"{label}-{angle}")
            bag = bag_of_words(reference, reading.text if reading else "")
            bags[group, angle] += bag
            rotations = [page.rotation for page in reading.pages] if reading else []
            reported[angle].update(str(value) for value in rotations)
            row[str(angle)] = {"recall": bag.recall, "reported_rotation": rotations}
        documents.append(row)
    groups = sorted({group for group, _ in bags})
    recall = {
        str(angle): {
            "all": sum((bags[g, angle] for g in groups), Bag()).recall,
            **{group: bags[group, angle].recall for group in groups},
        }
        for angle in ANGLES
    }
    return {
        "engine": ctx.default,
        "documents": len(documents),
        "word_recall": recall,
        "reported_rotation": {str(a): dict(counts) for a, counts in reported.items()},
        "per_document": documents,
    }
