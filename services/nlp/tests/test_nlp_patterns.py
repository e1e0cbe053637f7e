from __future__ import annotations

import pytest

from docfleet_nlp.entities import merge
from docfleet_nlp.patterns import Span, find_patterns


def found(text: str) -> list[tuple[str, str]]:
    return [(s.label, text[s.start : s.end]) for s in sorted(find_patterns(text))]


@pytest.mark.parametrize(
    "amount", ["$1,234.56", "USD 1,234.56", "1.234,56 EUR", "€ 99", "£12", "RM4.00", "100 CHF"]
)
def test_nlp_patterns_find_money_amounts(amount: str) -> None:
    assert found(f"Total: {amount}.") == [("MONEY", amount)]


@pytest.mark.parametrize(
    "date",
    ["2025-03-03", "03/03/2025", "3 March 2025", "March 3, 2025", "Mar. 3rd, 2025", "11 APR 2018"],
)
def test_nlp_patterns_find_dates(date: str) -> None:
    assert found(f"Signed on {date}, in York.") == [("DATE", date)]


def test_nlp_patterns_find_emails() -> None:
    text = "Write to jane.doe+bills@mail.example.co.uk or (ops@acme.com)."

    assert found(text) == [
        ("EMAIL", "jane.doe+bills@mail.example.co.uk"),
        ("EMAIL", "ops@acme.com"),
    ]


@pytest.mark.parametrize(
    "text",
    ["version 1.2.3", "call 0113 496 0000", "page 12 of 30", "2025", "2025-13-45", "12.5 kg"],
)
def test_nlp_patterns_ignore_numbers_that_are_neither_money_nor_dates(text: str) -> None:
    assert found(text) == []


def test_nlp_patterns_offsets_are_shifted() -> None:
    spans = list(find_patterns("paid $5", offset=100))

    assert spans == [Span(105, 107, "MONEY", "pattern")]


def test_nlp_merge_prefers_patterns_over_other_ner_labels() -> None:
    patterns = [Span(10, 19, "MONEY", "pattern"), Span(30, 40, "DATE", "pattern")]
    ner = [
        Span(11, 19, "MONEY", "ner"),  # "1,234.56" inside "$1,234.56"
        Span(30, 34, "CARDINAL", "ner"),
        Span(50, 60, "ORG", "ner"),
    ]

    assert merge(patterns, ner) == [*patterns, Span(50, 60, "ORG", "ner")]


def test_nlp_merge_keeps_a_longer_ner_span_of_the_same_label() -> None:
    patterns = [Span(8, 21, "DATE", "pattern")]  # "March 3, 2025"
    ner = [Span(0, 21, "DATE", "ner")]  # "Monday, March 3, 2025"

    assert merge(patterns, ner) == ner


def test_nlp_merge_resolves_overlapping_patterns_longest_first() -> None:
    patterns = [Span(0, 12, "MONEY", "pattern"), Span(4, 14, "DATE", "pattern")]

    assert merge(patterns, []) == [Span(0, 12, "MONEY", "pattern")]
