"""The classifier's training corpus: labelled synthetic documents, generated from a seed.

Every document is written by the generators in this folder (templates, phrase pools and random
fillers; nothing is read from any evaluation set). Variety comes from sub-kinds per label, random
layouts (aligned tables, one cell per line as PDF extraction gives, tabs), English and Chinese
versions, OCR-like noise (swapped glyphs, lost spaces, split columns), truncated openings and
upper-casing. A handful of "other" documents are noise: random letters, digits and words.
The same seed gives the same corpus, byte for byte.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from dataclasses import dataclass

from corpus_business import form, invoice, receipt, statement
from corpus_legal import contract, letter
from corpus_other import other
from corpus_reports import paper, presentation, report
from corpus_zh import zh
from fillers import FIRST, LAST, STREETS, Fill, ocr_noise

GENERATORS: dict[str, Callable[[Fill], tuple[str, str]]] = {
    "receipt": receipt,
    "invoice": invoice,
    "contract": contract,
    "scientific_paper": paper,
    "form": form,
    "report": report,
    "letter": letter,
    "statement": statement,
    "presentation": presentation,
    "other": other,
}
CHINESE_SHARE = 0.1
"""Share of each label's documents written in Chinese."""
NOISE_SHARE = {"receipt": 0.8}
"""Share of documents read through simulated OCR noise (receipts are mostly photos)."""
DEFAULT_NOISE_SHARE = 0.25


@dataclass(frozen=True)
class Example:
    """One labelled training document."""

    label: str
    kind: str
    text: str


def gibberish(f: Fill) -> str:
    """Text with no document type: random letters, digits, scattered words."""
    pool = [*FIRST[:20], *LAST[:20], *(s.split()[-1] for s in STREETS)]
    choice = f.number(0, 2)
    if choice == 0:
        alphabet = string.ascii_letters + string.digits + "  .,-/"
        return "".join(f.pick(alphabet) for _ in range(f.number(20, 600)))
    if choice == 1:
        return "\n".join(
            " ".join(f.pick(pool) for _ in range(f.number(1, 6))) for _ in range(f.number(1, 15))
        )
    return "\n".join(str(f.number(0, 99999)) for _ in range(f.number(2, 30)))


def make_example(label: str, f: Fill) -> Example:
    """One document of `label`, with random language, layout and reading noise."""
    if label == "other" and f.chance(0.12):
        return Example(label, "other_noise", gibberish(f))
    if f.chance(CHINESE_SHARE):
        kind, text = f"{label}_zh", zh(label, f)
    else:
        kind, text = GENERATORS[label](f)
    if f.chance(NOISE_SHARE.get(label, DEFAULT_NOISE_SHARE)):
        text = ocr_noise(f, text, f.rng.uniform(0.01, 0.08))
    lines = text.split("\n")
    if len(lines) > 15 and f.chance(0.15):
        # Only the opening of a long document: a page cut short, or a first page alone.
        text = "\n".join(lines[: len(lines) * f.number(6, 9) // 10])
    if f.chance(0.1):
        text = text.upper()
    return Example(label, kind, text)


def generate(per_label: int, seed: int) -> list[Example]:
    """`per_label` documents of every label, reproducible from `seed`."""
    f = Fill(random.Random(seed))
    return [make_example(label, f) for label in GENERATORS for _ in range(per_label)]
