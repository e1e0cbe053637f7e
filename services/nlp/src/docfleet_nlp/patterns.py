"""Regular-expression entities the NER model misses or cuts short: emails, money, dates."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True, order=True)
class Span:
    """A labelled character range of a text, before it is placed on a page."""

    start: int
    end: int
    label: str
    source: str


_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")

# 1,234.56 / 1.234,56 / 1'234.56 / 1 234,56 (narrow or no-break space) / 1234.5 / 99
_AMOUNT = (
    r"\d{1,3}(?:([,.'\u00a0\u202f])\d{3})(?:\1\d{3})*(?:[.,]\d{1,2})?(?!\d)"
    r"|\d+(?:[.,]\d{1,2})?(?!\d)"
)
_SYMBOL = r"[$€£¥₹]"
_CODE = r"(?:USD|EUR|GBP|CHF|JPY|CAD|AUD|NZD|SGD|HKD|INR|CNY|SEK|NOK|DKK|MYR|RM)"
_MONEY = re.compile(
    rf"(?:(?:{_CODE}\s?)?{_SYMBOL}\s?|(?<![A-Za-z]){_CODE}\s?)(?:{_AMOUNT})"
    # Not the tail of "1 000 EUR": plain spaces are not read as thousands separators.
    rf"|(?<![\d.,])(?<![\d.,]\s)(?:{_AMOUNT})\s?(?:{_SYMBOL}|{_CODE}(?![A-Za-z]))"
)

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]|20)\d{2}"
_DATE = re.compile(
    rf"(?<![\d/.-])(?:{_YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"
    rf"|(?:0?[1-9]|[12]\d|3[01])([/.-])(?:0?[1-9]|[12]\d|3[01])\1(?:{_YEAR}|\d{{2}}))(?![\d/-])"
    rf"|\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b"
    rf"|\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b",
    re.IGNORECASE,
)

PATTERNS: Final = (("EMAIL", _EMAIL), ("MONEY", _MONEY), ("DATE", _DATE))
"""Label and expression of each pattern entity, in order of precedence on overlap."""


def find_patterns(text: str, offset: int = 0) -> Iterator[Span]:
    """Pattern entities in `text`, with offsets shifted by `offset`."""
    for label, pattern in PATTERNS:
        for match in pattern.finditer(text):
            yield Span(match.start() + offset, match.end() + offset, label, "pattern")
