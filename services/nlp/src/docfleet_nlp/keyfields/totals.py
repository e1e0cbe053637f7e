"""The amount a receipt or invoice asks for: the strongest total line, read OCR-tolerantly.

A receipt prints several totals (before tax, tax, quantity, rounded, paid). The line whose
words say "this is what is owed" wins; among equally strong lines the largest amount wins, since
subtotals and tax lines are smaller than the total they add up to.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from docfleet_nlp.keyfields.text import Line
from docfleet_nlp.normalise import Money, parse_money

# "Total", and what OCR makes of it: "Totai", "Tota1", "Tota l", "T0TAL", "Tota Amt".
_T = r"t[o0]\s?t\s?a\s?[l1i|]?"
_TOTAL = re.compile(rf"\b{_T}(?![a-z])", re.IGNORECASE)
_STRONG = re.compile(
    rf"\b(?:grand|nett?|final)\s*{_T}(?![a-z])"
    rf"|\b{_T}\W*(?:amount|amt|due|payable|rounded|sales|incl|inclusive|including|to\s*pay)"
    rf"|\b{_T}\W*(?:gst|vat|tax|sst)\W*incl"
    r"|\ba[mn][o0]u?n[t1]\W*(?:incl|inclusive|including)\b"
    r"|\bamt\.?\s*rounded|\b(?:amount|balance)\s*(?:due|payable)|\bpayable\b|\bto\s*pay\b",
    re.IGNORECASE,
)
# Lines that print a total of something else: before tax, tax, items, savings, payment.
_NOT_OWED = re.compile(
    r"sub[\s-]?t[o0]ta|\b(?:qty|quantity|oty|items?|ltem|pcs|count|units?)\b|excl|before\s*tax"
    r"|net\s*of|saving|discount|\bdisc\b|\bincludes\b|(?:gst|vat|tax|sst)\s*(?:total|amount|amt)"
    rf"|{_T}\W*(?:gst|vat|tax|sst)\b(?!\W*incl)"
    r"|\bchange\b|\b(?:tendered|accepted|received)\b|\bcash\b|\bpaid\b(?!\s*t[o0]ta)",
    re.IGNORECASE,
)
_BARE = re.compile(rf"^\W*{_T}\W*(?:rm|myr|usd|eur|gbp|sgd|\$|€|£)?\W*$", re.IGNORECASE)
# An amount with cents; OCR may put a space around the decimal mark ("9 .10", "RM4. 0 0").
_AMOUNT = re.compile(
    r"(?P<mark>RM|MYR|USD|EUR|GBP|SGD|AUD|S\$|US\$|\$|€|£)?\s?"
    r"(?<![\d.,])(?P<whole>\d{1,3}(?:[,.]\d{3})+|\d+)\s?(?P<point>[.,])\s?(?P<c1>\d)\s?(?P<c2>\d)"
    r"(?!\d)(?!\s?%)",
    re.IGNORECASE,
)


_MARKS = r"(?:RM|MYR|USD|EUR|GBP|SGD|S\$|\$|€|£)"
# A line holding only an amount (".00" too): a value column printed apart from its labels.
_VALUE_ONLY = re.compile(rf"^\W*{_MARKS}?\s*-?\s*(?:\d[\d,.]*)?[.,]\s?\d{{2}}\s*[A-Z]?\W*$", re.I)
_MARK_ONLY = re.compile(rf"^\W*{_MARKS}\W*$", re.IGNORECASE)


@dataclass(frozen=True)
class Total:
    """The total's line, the offsets of its amount, its value and how sure the rule is."""

    start: int
    end: int
    money: Money
    confidence: float


def amounts_in(line: Line, currency: str | None) -> list[tuple[int, int, Money]]:
    """Each amount printed on `line`: its offsets in the full text and its value."""
    found: list[tuple[int, int, Money]] = []
    for match in _AMOUNT.finditer(line.text):
        digits = match["whole"] + match["point"] + match["c1"] + match["c2"]
        money = parse_money((match["mark"] or "") + digits, currency)
        if money is not None and money.amount > 0:
            start = line.start + match.start("mark" if match["mark"] else "whole")
            found.append((start, line.start + match.end(), money))
    return found


def _strength(text: str) -> int:
    if not _TOTAL.search(text) and not _STRONG.search(text):
        return 0
    if _NOT_OWED.search(text):
        return 0
    if _STRONG.search(text) or _BARE.match(_AMOUNT.sub("", text)):
        return 3
    return 2


def find_total(lines: Sequence[Line], currency: str | None) -> Total | None:
    """The amount owed: on the strongest total line, the largest; None without a total line."""
    candidates: list[tuple[int, Decimal, int, Total]] = []
    for index, line in enumerate(lines):
        strength = _strength(line.text)
        if not strength:
            continue
        amounts = amounts_in(line, currency)
        if not amounts and index + 1 < len(lines):
            # The amount printed on the next line, as its own column.
            after = lines[index + 1]
            if not _TOTAL.search(after.text) and len(after.text) <= 16:
                amounts = amounts_in(after, currency)
        confidence, first = 0.5 + 0.1 * strength, line.start
        if not amounts:
            amounts = _from_value_column(lines, index, currency)
            confidence -= 0.2
            first = amounts[-1][0] if amounts else first  # the evidence is the amount alone
        if amounts:
            _, end, money = amounts[-1]  # the amount column is the last on a line
            total = Total(first, end, money, confidence)
            candidates.append((strength, money.amount, index, total))
    if not candidates:
        return None
    return max(candidates, key=lambda c: (c[0], c[1], c[2]))[3]


def _from_value_column(
    lines: Sequence[Line], index: int, currency: str | None
) -> list[tuple[int, int, Money]]:
    """The amount of label `index` when OCR gave the labels and their amounts as two blocks.

    The label block runs up and down from the label to lines with amounts; the value block
    follows it (currency marks alone skipped). Blocks are aligned at their last lines, since
    a label block often starts with stray item-column words.
    """

    def is_label(line: Line) -> bool:
        return not _AMOUNT.search(line.text) and not _VALUE_ONLY.match(line.text)

    first = index
    while first > 0 and is_label(lines[first - 1]):
        first -= 1
    last = index
    while last + 1 < len(lines) and is_label(lines[last + 1]):
        if _MARK_ONLY.match(lines[last + 1].text):
            break
        last += 1
    after = last + 1
    while after < len(lines) and _MARK_ONLY.match(lines[after].text):
        after += 1
    values: list[Line] = []
    while after < len(lines) and _VALUE_ONLY.match(lines[after].text):
        values.append(lines[after])
        after += 1
    position = index - (last + 1 - len(values))
    if not values or not 0 <= position < len(values):
        return []
    return amounts_in(values[position], currency)
