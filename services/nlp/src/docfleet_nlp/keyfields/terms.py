"""How long a contract runs: from a sentence whose subject is the agreement itself.

"This Agreement shall remain in effect for five (5) years", "the term of this Agreement shall
be three years", "shall terminate on the second anniversary", "shall expire December 31, 2002"
(counted in whole months from the effective date). Periods of single obligations ("for a period
of one year, neither party shall solicit...") are not the agreement's term and are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Final

from docfleet_nlp.keyfields.dates import DateFinder

_NUMBERS: Final = {
    word: value
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
        " fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
} | {"thirty": 30, "thirty-six": 36, "twenty-four": 24, "forty-eight": 48, "sixty": 60}
_ORDINALS: Final = {
    word: value
    for value, word in enumerate(
        "zeroth first second third fourth fifth sixth seventh eighth ninth tenth".split()
    )
}
_SUBJECT = re.compile(
    r"\b(?:the\s+)?term\s+of\s+this\s+agreement\b"
    r"|\b(?:this|the)\s+agreement\b(?:\s*,[^.;]{0,160}?,)?\s+(?:shall|will|is\s+to|is)\s+"
    r"(?:\w+\s+){0,3}?(?:remain|continue|terminate|expire|be\s+valid|valid|be\s+in\s+(?:full\s+)?"
    r"(?:force|effect)|be\s+effective|become\s+effective|last)",
    re.IGNORECASE,
)
_NUMBER_WORD = "|".join(sorted(_NUMBERS, key=len, reverse=True))
_DURATION = re.compile(
    rf"\b(?:(?P<word>{_NUMBER_WORD})\s*(?:\(\s*(?P<check>\d+)\s*\)\s*)?|(?P<digits>\d{{1,3}})\s+)"
    r"(?:full\s+|calendar\s+)?(?P<unit>years?|months?)\b",
    re.IGNORECASE,
)
_ANNIVERSARY = re.compile(
    rf"\b(?P<ordinal>{'|'.join(_ORDINALS)}|\d{{1,2}}(?:st|nd|rd|th))\s+anniversary", re.IGNORECASE
)
_NOTICE = re.compile(r"\W{0,3}(?:s\W+)?(?:prior\s+)?(?:written\s+)?notice", re.IGNORECASE)
_ENDS_ON = re.compile(r"\b(?:expire|terminate)s?\s+(?:on\s+)?", re.IGNORECASE)
SENTENCE_CHARS = 400


@dataclass(frozen=True)
class Term:
    """The agreement's duration ("2 years", "7 months"), its evidence and how sure the rule is."""

    value: str
    start: int
    end: int
    confidence: float


def find_term(text: str, dates: DateFinder, effective: str | None) -> Term | None:
    """The first duration stated for the agreement itself, or None.

    `effective` is the ISO effective date, to count a term that ends on a date.
    """
    for subject in _SUBJECT.finditer(text):
        stop = _sentence_end(text, subject.end())
        for duration in _DURATION.finditer(text, subject.start(), stop):
            count = _count(duration)
            if count and not _NOTICE.match(text, duration.end()):  # "three months' notice"
                unit = duration["unit"].lower().rstrip("s")
                return Term(_plural(count, unit), duration.start(), duration.end(), 0.7)
        anniversary = _ANNIVERSARY.search(text, subject.start(), stop)
        if anniversary is not None:
            word = anniversary["ordinal"].lower()
            count = _ORDINALS.get(word) or int(re.sub(r"\D", "", word))
            return Term(_plural(count, "year"), anniversary.start(), anniversary.end(), 0.6)
        ends = _ENDS_ON.search(text, subject.start(), stop)
        if ends is not None and effective is not None:
            found = dates.within(ends.end(), stop)
            if found and found[0].start - ends.end() <= 4:
                months = _months_between(effective, found[0].iso)
                if months > 0:
                    return Term(_plural(months, "month"), ends.start(), found[0].end, 0.5)
    return None


def _sentence_end(text: str, start: int) -> int:
    limit = min(len(text), start + SENTENCE_CHARS)
    found = re.search(r"\.\s+[A-Z(]|;|\n\s*\n", text[start:limit])
    return start + found.end() if found else limit


def _count(match: re.Match[str]) -> int | None:
    if match["digits"]:
        return int(match["digits"])
    if match["check"]:
        return int(match["check"])
    return _NUMBERS.get(match["word"].lower())


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def _months_between(first: str, last: str) -> int:
    """Whole months from `first` to `last` (ISO dates)."""
    a, b = date.fromisoformat(first), date.fromisoformat(last)
    months = (b.year - a.year) * 12 + b.month - a.month
    return months - 1 if b.day < a.day else months
