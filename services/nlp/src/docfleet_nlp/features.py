"""Layout and text features of a document's opening, the non-semantic inputs of the classifier.

All are shares in [0, 1] and read only the first `OPENING_CHARS` characters, so a 200-page
document looks like its first pages. Total length and page count are left out on purpose: the
training corpus cannot show how long real documents of each type are, and a model trained on it
learnt "long means contract".
"""

from __future__ import annotations

import math
import re
from typing import Final

OPENING_CHARS: Final = 6_000
"""Layout features and the embedding read this many leading characters."""

_AMOUNT = re.compile(r"(?<![\d.,])\d{1,3}(?:[,.\s]\d{3})*[.,]\d{2}(?![\d])")
_DATE = re.compile(
    r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{4}\b"
    r"|\b[A-Za-z]{3,9}\.?\s+\d{1,2},\s+\d{4}\b|\d{4}年\d{1,2}月"
)
_FIELD = re.compile(r"^[^\W\d][^:]{0,40}:\s*(?:_*\s*)?$|_{4,}|\[\s?\]|☐|□")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[^\W\d_]{2,}")

FEATURE_NAMES: Final = (
    "short_lines",
    "digits",
    "upper",
    "cjk",
    "amount_lines",
    "dates",
    "sentence_lines",
    "field_lines",
)


def layout_features(text: str) -> list[float]:
    """One value per `FEATURE_NAMES` entry, each in [0, 1]."""
    opening = text[:OPENING_CHARS]
    lines = [line.strip() for line in opening.replace("\f", "\n").splitlines() if line.strip()]
    n = max(len(lines), 1)
    visible = sum(1 for ch in opening if not ch.isspace()) or 1
    letters = [ch for ch in opening if ch.isalpha()]
    words = len(_WORD.findall(opening)) or 1
    return [
        sum(1 for line in lines if len(line) < 25) / n,
        sum(ch.isdigit() for ch in opening) / visible,
        sum(ch.isupper() for ch in letters) / (len(letters) or 1),
        len(_CJK.findall(opening)) / visible,
        sum(1 for line in lines if _AMOUNT.search(line)) / n,
        min(1.0, 10 * len(_DATE.findall(opening)) / words),
        sum(1 for line in lines if line.endswith((".", "。")) and len(line) > 30) / n,
        sum(1 for line in lines if _FIELD.search(line)) / n,
    ]


def squash_evidence(value: float) -> float:
    """Keyword evidence (0 to a few tens) on a log scale, so one strong label does not swamp."""
    return math.log1p(max(value, 0.0))
