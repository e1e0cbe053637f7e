"""Regular-expression entities the NER model misses or cuts short.

EMAIL, MONEY and DATE are found by their shape alone. TOTAL and DOC_NUMBER are found by the
keyword before them ("Grand Total", "Invoice No."), but their span is the amount or the number
itself. PHONE needs a keyword ("Tel:"), a leading + or a bracketed area code; IBAN and VAT_ID
must pass their country's format (and, for IBAN, the mod-97 check).

Every expression is linear in the text: repetitions that could meet each other are bounded,
and lookbehinds keep a match from starting in the middle of a run of the same characters.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Final

from docfleet_nlp.identifiers import IBAN_LENGTHS, VAT_FORMATS, compact_iban, vat_id


@dataclass(frozen=True, order=True)
class Span:
    """A labelled character range of a text, before it is placed on a page."""

    start: int
    end: int
    label: str
    source: str


Finder = Callable[[str, int, int], Iterator[tuple[int, int]]]
"""Finds `(start, end)` ranges of one label in `text[pos:endpos]` (lookbehinds see before)."""

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")

# 1,234.56 / 1.234,56 / 1'234.56 / 1 234,56 (narrow or no-break space) / 1234.5 / 99
_AMOUNT = (
    r"(?:\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?"
    r"|\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?"
    r"|\d{1,3}(?:['\u00a0\u202f]\d{3})+(?:[.,]\d{1,2})?"
    r"|\d+(?:[.,]\d{1,2})?)(?!\d)"
)
_SYMBOL = r"[$€£¥₹]"
_SP = r"[^\S\n]?"  # one space, never a line break: OCR lines are separate fields
_CODES = "USD EUR GBP CHF JPY CAD AUD NZD SGD HKD INR CNY SEK NOK DKK MYR RM".split()
_CODE = f"(?:{'|'.join(_CODES)})"
_WITH_CURRENCY = (
    rf"(?:(?:{_CODE}{_SP})?{_SYMBOL}{_SP}|(?<![A-Za-z]){_CODE}{_SP}){_AMOUNT}"
    # Not the tail of "1 000 EUR": plain spaces are not read as thousands separators.
    rf"|(?<![\d.,])(?<![\d.,]\s){_AMOUNT}{_SP}(?:{_SYMBOL}|{_CODE}(?![A-Za-z]))"
)
_MONEY = re.compile(_WITH_CURRENCY)

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]|20)\d{2}"
_DATE = re.compile(
    rf"(?<![\d/.-])(?:{_YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"
    rf"|(?:0?[1-9]|[12]\d|3[01])([/.-])(?:0?[1-9]|[12]\d|3[01])\1(?:{_YEAR}|\d{{2}}))(?![\d/-])"
    rf"|(?<![\d/.-])(?:0?[1-9]|[12]\d|3[01])-{_MONTH}-(?:{_YEAR}|\d{{2}})(?![\d/-])"
    rf"|\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b"
    rf"|\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b",
    re.IGNORECASE,
)

# An amount as totals print it: with a currency, or with cents (OCR may put a space by the dot),
# or any amount right after a currency code ("Total RM 1,200", the code being in the gap).
_AFTER_CODE = "|".join(f"(?<={code}{space})" for code in _CODES for space in ("", " "))
_TOTAL_AMOUNT = (
    rf"{_WITH_CURRENCY}|(?:{_AFTER_CODE}){_AMOUNT}"
    r"|\d{1,3}(?:[,.'\u00a0\u202f]\d{3})*[.,]\d{2}(?!\d)|\d+[.,]\d{2}(?!\d)"
    r"|\d+(?: \.|\. )\d{2}(?!\d)"
)
# OCR reads "Total" as "Totai", "Tota1", "Tota l", "T0TAL".
_TOTAL = re.compile(
    r"(?<![\w-])(?<!sub )(?<!tax )(?<!gst )(?<!vat )"
    r"(?:t[o0]ta(?: ?[l1i|])?|(?:amount|balance|total) (?:due|payable)|payable)(?![a-z])"
    r"(?![\s:.]{0,3}(?:gst|tax|vat)\b)"  # the tax itself, not the total
    # Words, brackets and percentages ("Total (Incl GST @ 6%)") up to the amount on this line,
    # taken whole (possessive, so a keyword costs at most 40 steps), or, when nothing else
    # follows the keyword, an amount alone on the next line.
    r"(?P<gap>(?:[^\d\n$€£¥₹]|\d{1,2}(?:\.\d{1,2})? ?%){0,40}+)"
    rf"(?:\n[^\S\n]*(?=(?:{_TOTAL_AMOUNT})[^\S\n]*(?:\n|$)))?"
    rf"(?P<value>{_TOTAL_AMOUNT})(?![\d%])",
    re.IGNORECASE,
)
# Totals that are not the amount to pay: before tax, a count of items, a discount.
_NOT_TOTAL = re.compile(r"excl|[il1|]tem|qty|oty|quantit|discount|saving|includes|weight", re.I)
# A currency the gap took in just before the amount ("Total RM 12.50"): part of the amount.
_CURRENCY_TAIL = re.compile(rf"(?:(?<![A-Za-z]){_CODE}|{_SYMBOL})[^\S\n]?\Z", re.IGNORECASE)


def _totals(text: str, pos: int, endpos: int) -> Iterator[tuple[int, int]]:
    for match in _TOTAL.finditer(text, pos, endpos):
        gap = match["gap"]
        if _NOT_TOTAL.search(gap):
            continue
        start, end = match.span("value")
        if start == match.end("gap") and (currency := _CURRENCY_TAIL.search(gap)):
            start -= len(gap) - currency.start()
        yield start, end


# OCR reads "Invoice No." as "INV0ICE N0", "Involce No." or, without spaces, "INVOICENo.".
_DOC_NUMBER = re.compile(
    r"(?<![A-Za-z])(?:in[vw](?:[o0][il1]ce)?|receipt|rcpt|bill|doc(?:ument)?|credit ?note)"
    r"\.?[^\S\n]{0,3}"
    r"(?:(?:n[o0]|nbr|num(?:ber)?|#)(?![a-z])\.?[^\S\n]{0,3}[:#]?|[:#])[^\S\n]{0,3}"
    r"(?P<value>(?=[\w/.\-]{0,30}\d)[A-Z0-9](?:[\w/\-.]{0,30}[A-Z0-9])?)(?![\w/-])",
    re.IGNORECASE,
)

_PHONE_KEYWORD = (
    r"(?<![A-Za-z])(?:(?:tel(?:ephone)?|phone|ph|mobile|mob|cell|fax|hp|hotline|whatsapp)"
    r"(?:/(?:tel|fax|phone))?\.?(?:[^\S\n]?(?:no|number)\.?)?|(?-i:[TFM])(?=[^\S\n]?:))"
    r"[^\S\n]{0,3}[:.]?[^\S\n]{0,3}"
)
_PHONE_BODY = r"(?:\+|00)?(?:\(\d{1,5}\)[ ]?)?\d{1,5}(?:(?: ?[.\-] ?| )\d{1,5}){0,5}(?![\d.]\d)"
_PHONE = re.compile(
    rf"{_PHONE_KEYWORD}(?P<value>\+?[ ]?{_PHONE_BODY})"
    r"|(?P<international>(?<![\w+])\+\d{1,3}[ .\-]?(?:\(0\)[ ]?)?\d{1,5}(?:[ .\-]?\d{1,5}){1,5})"
    r"(?![\d.]\d)"
    r"|(?P<bracketed>(?<![\w)])\(\d{2,5}\)[ ]?\d{3,4}[ .\-]?\d{3,4})(?!\d)",
    re.IGNORECASE,
)

_IBAN_START = re.compile(r"(?<![A-Za-z0-9])(?P<country>[A-Z]{2})\d{2}(?=[ ]?[A-Z0-9])")
_VAT = re.compile(
    rf"(?<![A-Za-z0-9])(?:{'|'.join([*VAT_FORMATS, 'GR'])})[ ]?"
    r"[A-Z0-9+*]{1,12}(?:[ .\-][A-Z0-9+*]{1,12}){0,4}"
)
_VAT_GROUP = re.compile(r"[A-Z0-9+*]+")


def _regex(pattern: re.Pattern[str], check: Callable[[str], bool] | None = None) -> Finder:
    """A finder yielding the `value` group of each match when it has one, else the match."""
    names = ("value", "international", "bracketed")
    groups = [name for name in names if name in pattern.groupindex]

    def find(text: str, pos: int, endpos: int) -> Iterator[tuple[int, int]]:
        for match in pattern.finditer(text, pos, endpos):
            group = next((name for name in groups if match[name] is not None), 0)
            start, end = match.span(group)
            if check is None or check(text[start:end]):
                yield start, end

    return find


@cache
def _iban_body(length: int) -> re.Pattern[str]:
    # Exactly the country's number of characters, in groups of any size split by single spaces.
    return re.compile(rf"[A-Z]{{2}}\d{{2}}(?:[ ]?[A-Z0-9]){{{length - 4}}}(?![A-Za-z0-9])")


def _ibans(text: str, pos: int, endpos: int) -> Iterator[tuple[int, int]]:
    for start in _IBAN_START.finditer(text, pos, endpos):
        length = IBAN_LENGTHS.get(start["country"])
        match = _iban_body(length).match(text, start.start(), endpos) if length else None
        if match and compact_iban(match[0]):
            yield match.span()


def _vat_ids(text: str, pos: int, endpos: int) -> Iterator[tuple[int, int]]:
    for match in _VAT.finditer(text, pos, endpos):
        # The longest leading run of groups that is a valid id ("DE 123 456 789 BANK").
        body_start = match.start() + 2
        ends = [group.end() for group in _VAT_GROUP.finditer(text, body_start, match.end())]
        for end in reversed(ends):
            # Ten characters at least: "RO 12" is a valid Romanian id but more often not one.
            if len(vat_id(text[match.start() : end]) or "") >= 10:
                yield match.start(), end
                break


def _phone_digits(number: str) -> bool:
    return 7 <= sum(c.isdigit() for c in number) <= 15


PATTERNS: Final[tuple[tuple[str, Finder], ...]] = (
    ("TOTAL", _totals),
    ("DOC_NUMBER", _regex(_DOC_NUMBER)),
    ("IBAN", _ibans),
    ("VAT_ID", _vat_ids),
    ("EMAIL", _regex(_EMAIL)),
    ("PHONE", _regex(_PHONE, _phone_digits)),
    ("MONEY", _regex(_MONEY)),
    ("DATE", _regex(_DATE)),
)
"""Label and finder of each pattern entity, in order of precedence on overlap."""

ANCHORED: Final = frozenset({"TOTAL", "DOC_NUMBER"})
"""Labels found by a keyword before them: they win any overlap, being the more specific."""


def find_patterns(text: str, offset: int = 0) -> Iterator[Span]:
    """Pattern entities in `text`, with offsets shifted by `offset`."""
    for span in find_patterns_in(text, 0, len(text)):
        yield Span(span.start + offset, span.end + offset, span.label, span.source)


def find_patterns_in(text: str, start: int, end: int) -> Iterator[Span]:
    """Pattern entities in `text[start:end]`, with offsets into `text`.

    The context before `start` still counts ("Sub" before a "Total" at `start`); nothing after
    `end` is read.
    """
    for label, finder in PATTERNS:
        for first, last in finder(text, start, end):
            yield Span(first, last, label, "pattern")
