"""Text-comparison measures: CER, WER, bag-of-words scores and how much order survives.

All comparisons run on `fold`ed text (NFKC, case-folded, whitespace runs as one space), so a
ligature in a text layer, a line break against a space, or upper against lower case costs nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

_SPACE = re.compile(r"\s+")
_EDGE_PUNCT = re.compile(r"^[^\w]+|[^\w]+$")


def fold(text: str) -> str:
    """NFKC, case-folded, whitespace collapsed: the form every measure compares."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def words(text: str) -> list[str]:
    """The folded words of `text`, punctuation stripped from their edges (for bags of words)."""
    stripped = (_EDGE_PUNCT.sub("", word) for word in fold(text).split())
    return [word for word in stripped if word]


def edit_distance(reference: Sequence[Hashable], hypothesis: Sequence[Hashable]) -> int:
    """Levenshtein distance, one row of the table at a time in numpy (pages have ~5,000 chars)."""
    if not reference or not hypothesis:
        return max(len(reference), len(hypothesis))
    ids: dict[Hashable, int] = {}
    ref = np.array([ids.setdefault(item, len(ids)) for item in reference], dtype=np.int32)
    hyp = np.array([ids.setdefault(item, len(ids)) for item in hypothesis], dtype=np.int32)
    steps = np.arange(len(hyp) + 1, dtype=np.int32)
    row = steps.copy()
    for index, item in enumerate(ref, start=1):
        diagonal = row[:-1] + (hyp != item)
        above = row[1:] + 1
        best = np.empty_like(row)
        best[0] = index
        best[1:] = np.minimum(diagonal, above)
        # Insertions chain along the row: d[j] = min_k (best[k] + j - k), a running minimum.
        row = np.minimum.accumulate(best - steps) + steps
    return int(row[-1])


@dataclass(frozen=True)
class Score:
    """Edits against a reference of `length` units (characters or words); `rate` = edits/length."""

    edits: int = 0
    length: int = 0

    @property
    def rate(self) -> float:
        return self.edits / self.length if self.length else float(self.edits > 0)

    def __add__(self, other: Score) -> Score:
        return Score(self.edits + other.edits, self.length + other.length)


def cer(reference: str, hypothesis: str) -> Score:
    """Character errors of `hypothesis` against `reference`, both folded."""
    ref, hyp = fold(reference), fold(hypothesis)
    return Score(edit_distance(ref, hyp), len(ref))


def wer(reference: str, hypothesis: str) -> Score:
    """Word errors (words split on whitespace, punctuation kept) of folded texts."""
    ref, hyp = fold(reference).split(), fold(hypothesis).split()
    return Score(edit_distance(ref, hyp), len(ref))


@dataclass(frozen=True)
class Bag:
    """Order-free word matches: `matched` words common to both multisets of words."""

    matched: int = 0
    reference: int = 0
    hypothesis: int = 0

    @property
    def recall(self) -> float:
        return self.matched / self.reference if self.reference else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.hypothesis if self.hypothesis else float(not self.reference)

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def __add__(self, other: Bag) -> Bag:
        return Bag(
            self.matched + other.matched,
            self.reference + other.reference,
            self.hypothesis + other.hypothesis,
        )


def bag_of_words(reference: str, hypothesis: str) -> Bag:
    """Words shared by both texts counted with multiplicity, whatever their order."""
    ref, hyp = Counter(words(reference)), Counter(words(hypothesis))
    return Bag(sum((ref & hyp).values()), sum(ref.values()), sum(hyp.values()))


def pairs_in_order(positions: Sequence[int]) -> tuple[int, int]:
    """(pairs kept in order, pairs) of items listed in reference order at `positions`."""
    pairs = kept = 0
    for first, second in combinations(positions, 2):
        pairs += 1
        kept += first < second
    return kept, pairs
