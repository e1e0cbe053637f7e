"""Key fields of receipts and invoices: vendor, vendor_address, date, total, number."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from docfleet_contracts import KeyField
from docfleet_nlp.keyfields.dates import DateFinder, FoundDate, day_first
from docfleet_nlp.keyfields.header import read_header
from docfleet_nlp.keyfields.text import Evidence, Line, key_field, lines_of
from docfleet_nlp.keyfields.totals import find_total
from docfleet_nlp.normalise import parse_money
from docfleet_nlp.patterns import Span

READ_CHARS = 20_000
"""Receipts and invoices are short; their fields are looked for in this many leading characters."""

_DATE_LABEL = re.compile(r"\b(?:date|dated|dt)\b", re.IGNORECASE)
_OTHER_DATE = re.compile(r"\b(?:due|expir\w*|valid|delivery|ship\w*|order|birth)\b", re.IGNORECASE)
# "Invoice No.: CS67832", "INV# 000960100030435", "Receipt #: CSP0406159", "Bill No: 00118887"
_NUMBER = re.compile(
    r"\b(?:invoice|inv|receipt|bill|slip|ticket|doc(?:ument)?|ref(?:erence)?|trans(?:action)?)"
    r"\s*(?:no|n0|n°|nº|num(?:ber)?|#)?\s*[.:#]*\s*(?P<number>[A-Z0-9][A-Z0-9/-]*\d[A-Z0-9/-]*)",
    re.IGNORECASE,
)


def find_receipt_fields(
    text: str, spans: Sequence[Span], page_starts: Sequence[int]
) -> list[KeyField]:
    """Vendor, vendor_address, date, total and number of a receipt or invoice, where found."""
    end = min(len(text), READ_CHARS)
    lines = lines_of(text, 0, end)
    fields: list[KeyField] = []
    header = read_header(lines)
    if header.vendor and header.vendor_text:
        where = Evidence(header.vendor[0].start, header.vendor[-1].end)
        fields.append(key_field("vendor", header.vendor_text, text, where, page_starts, 0.6))
    if header.address:
        where = Evidence(header.address[0].start, header.address[-1].end)
        fields.append(
            key_field("vendor_address", header.address_text, text, where, page_starts, 0.5)
        )
    date = _date(text, spans, lines, end)
    if date is not None:
        where = Evidence(date.start, date.end)
        fields.append(key_field("date", date.iso, text, where, page_starts, 0.8))
    total = find_total(lines, _currency(text, spans, end))
    if total is not None:
        where = Evidence(total.start, total.end)
        fields.append(
            key_field("total", total.money.value, text, where, page_starts, total.confidence)
        )
    number = _number(text, spans, end)
    if number is not None:
        fields.append(key_field("number", text[number.start : number.end], text, number,
                                page_starts, 0.6))  # fmt: skip
    return fields


def _date(text: str, spans: Sequence[Span], lines: Sequence[Line], end: int) -> FoundDate | None:
    """The document's date: one on a line labelled as a date, else the first date."""
    dates = DateFinder(text, spans, first=day_first(text[:end])).within(0, end)
    if not dates:
        return None
    for line in lines:
        if _DATE_LABEL.search(line.text) and not _OTHER_DATE.search(line.text):
            on_line = [d for d in dates if line.start <= d.start < line.end]
            if on_line:
                return on_line[0]
    return dates[0]


def _currency(text: str, spans: Sequence[Span], end: int) -> str | None:
    """The currency most amounts of the document name, for totals printed without one."""
    seen: Counter[str] = Counter()
    for span in spans:
        if span.label in ("MONEY", "TOTAL") and span.end <= end:
            money = parse_money(text[span.start : span.end])
            if money is not None and money.currency is not None:
                seen[money.currency] += 1
    return seen.most_common(1)[0][0] if seen else None


def _number(text: str, spans: Sequence[Span], end: int) -> Evidence | None:
    """The invoice or receipt number: a DOC_NUMBER entity, else a number after such a label."""
    for span in spans:
        if span.label == "DOC_NUMBER" and span.end <= end:
            # Where the entity takes in its label ("Invoice No. 42"), the number alone.
            labelled = _NUMBER.search(text, span.start, span.end)
            if labelled is not None:
                return Evidence(labelled.start("number"), labelled.end("number"))
            return Evidence(span.start, span.end)
    match = _NUMBER.search(text, 0, end)
    return Evidence(match.start("number"), match.end("number")) if match else None
