"""Dates a document prints, read as ISO dates, and which way round its numeric dates go."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from docfleet_nlp.normalise import iso_date
from docfleet_nlp.patterns import Span

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ORDINAL = r"\d{1,2}(?:st|nd|rd|th)?"
# The forms NER or the DATE pattern may miss or take with a time: "01-NOV-2017", "19/05/18",
# "the 28th day of November, 2006", "6th of February, 1999".
_DATE = re.compile(
    r"(?<![\d/.-])\d{1,2}([/.-])\d{1,2}\1(?:\d{4}|\d{2})(?![\d/-])"
    r"|(?<![\d/.-])\d{4}-\d{2}-\d{2}(?!\d)"
    rf"|\b{_ORDINAL}[\s-]?(?:day\s+)?(?:of\s+)?{_MONTH}(?:,|\s|-)\s*\d{{2,4}}\b"
    rf"|\b{_MONTH}\s+{_ORDINAL},?\s+\d{{4}}\b",
    re.IGNORECASE,
)
_SEPARATED = re.compile(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}")
_LETTER = re.compile(r"[^\W\d_]")
_NUMERIC = re.compile(r"(?<![\d/.-])(\d{1,2})[/.-](\d{1,2})[/.-](?:\d{4}|\d{2})(?![\d/-])")


@dataclass(frozen=True, order=True)
class FoundDate:
    """A date in the text: its offsets and its ISO value."""

    start: int
    end: int
    iso: str


def day_first(text: str) -> bool:
    """Whether `text` writes numeric dates day first: what its unambiguous ones show (day first
    when they show nothing or disagree, as most of the world writes them)."""
    days_first = months_first = 0
    for match in _NUMERIC.finditer(text):
        first, second = int(match[1]), int(match[2])
        days_first += first > 12 >= second
        months_first += second > 12 >= first
    return not months_first > days_first


class DateFinder:
    """Finds dates in ranges of one text: DATE entities first, the expression above for the
    forms they miss. `first` reads ambiguous numeric dates day first (see `day_first`)."""

    def __init__(self, text: str, spans: Sequence[Span], *, first: bool = True) -> None:
        self.text = text
        self.first = first
        self.spans = sorted(s for s in spans if s.label == "DATE")
        self.starts = [s.start for s in self.spans]

    def within(self, start: int = 0, end: int | None = None) -> list[FoundDate]:
        """Every date in `text[start:end]` that reads as a real date, in text order."""
        text, stop = self.text, len(self.text) if end is None else end
        found: list[FoundDate] = []
        for span in self.spans[bisect_left(self.starts, start) : bisect_left(self.starts, stop)]:
            if span.end <= stop and (iso := _read(text[span.start : span.end], self.first)):
                found.append(FoundDate(span.start, span.end, iso))
        ends = [f.end for f in found]
        extra: list[FoundDate] = []
        for match in _DATE.finditer(text, start, stop):
            # Entities are sorted and do not overlap: the first ending after this start decides.
            index = bisect_right(ends, match.start())
            if index < len(found) and found[index].start < match.end():
                continue
            iso = _read(match.group(), self.first)
            if iso is not None:
                extra.append(FoundDate(match.start(), match.end(), iso))
        return sorted(found + extra)


def _read(text: str, first: bool) -> str | None:
    # An all-numeric date needs its separators: "3 18 01" on a receipt is not a date.
    if not _LETTER.search(text) and not _SEPARATED.search(text):
        return None
    return iso_date(text, day_first=first)
