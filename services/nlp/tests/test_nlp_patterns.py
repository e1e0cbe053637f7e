from __future__ import annotations

import pytest

from docfleet_nlp.entities import merge
from docfleet_nlp.patterns import Span, find_patterns, find_patterns_in


def found(text: str) -> list[tuple[str, str]]:
    return [(s.label, text[s.start : s.end]) for s in sorted(find_patterns(text))]


@pytest.mark.parametrize(
    "amount", ["$1,234.56", "USD 1,234.56", "1.234,56 EUR", "€ 99", "£12", "RM4.00", "100 CHF"]
)
def test_nlp_patterns_find_money_amounts(amount: str) -> None:
    assert found(f"Paid: {amount}.") == [("MONEY", amount)]


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


@pytest.mark.parametrize(
    ("text", "total"),
    [
        ("TOTAL RM 12.50", "RM 12.50"),
        ("Total: 1.234,56 EUR", "1.234,56 EUR"),
        ("Grand Total $1,200.00", "$1,200.00"),
        ("Total Amount: 57.80", "57.80"),
        ("Amount Due: $1,200", "$1,200"),
        ("Balance due 99.90", "99.90"),
        ("Total (incl. GST) 9.90", "9.90"),
        ("Total (Incl GST @ 6%) 142.00", "142.00"),
        ("Nett Total: RM8.20", "RM8.20"),
        ("Rounded Total (RM): 489.30", "489.30"),
        ("Total Payable: 73.55", "73.55"),
        ("Totai Incl. of GST 15.90", "15.90"),
        ("Tota1 : 7.40", "7.40"),
        ("TOTAL. : 9 .10", "9 .10"),
        ("Total RM Including GST 6% 538.00", "538.00"),
        ("TOTAL\nRM 12.50\nCASH 20.00", "RM 12.50"),
        ("Total Due:\n   1,234.56\n", "1,234.56"),
    ],
)
def test_nlp_patterns_find_the_amount_after_a_total_keyword(text: str, total: str) -> None:
    assert [t for label, t in found(text) if label == "TOTAL"] == [total]


@pytest.mark.parametrize(
    "text",
    [
        "Subtotal 12.00",
        "Sub Total 12.00",
        "Sub-total: 12.00",
        "Total Excl. of GST 15.00",
        "Total (Excluding GST): 8.59",
        "Total Item(s): 3",
        "Total ltem(6) : 1",
        "Total Qty 4.00",
        "Total Discount 2.00",
        "Tota1 GST (0%): 0.00",
        "TAX TOTAL: 1.36",
        "TOTAL INCLUDES 6% GST 0.63",
        "Total 12",  # neither currency nor cents: a count
        "Qty Code/Desc Total RM\n3 SABA SHIO YAKI SET 53.70",  # a column heading
        "Total\nCASH 20.00",
        "Change Due : 34.10",
    ],
)
def test_nlp_patterns_skip_totals_that_are_not_the_amount_to_pay(text: str) -> None:
    assert [t for label, t in found(text) if label == "TOTAL"] == []


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("INVOICE NO. : INV-2024-0012", "INV-2024-0012"),
        ("Invoice No.: CS67832", "CS67832"),
        ("Inv. No: 1052580 Cashier: Thandar", "1052580"),
        ("Receipt #: CSP0406159 DATE: 15/09/2017", "CSP0406159"),
        ("Bill No 00118887 / P0S01", "00118887"),
        ("Doc No. KTW031475", "KTW031475"),
        ("Document Number: 2024/117", "2024/117"),
        ("Invoice#:OR18041102170437", "OR18041102170437"),
        ("INV# 000960100030435", "000960100030435"),
        ("INV0ICE N0 : 18341/103/T0138", "18341/103/T0138"),
        ("Involce No.: CS67832", "CS67832"),
        ("INVOICENo.2024-0000", "2024-0000"),
        ("Invoice: 2024-001", "2024-001"),
    ],
)
def test_nlp_patterns_find_document_numbers_after_their_keyword(text: str, number: str) -> None:
    assert [t for label, t in found(text) if label == "DOC_NUMBER"] == [number]


@pytest.mark.parametrize(
    "text",
    [
        "Invoice Date: 12/03/2024",
        "Invoice from Acme",
        "Receipt: thank you",
        "Inventory No. 5",
        "billing@acme.com",
        "Bill to: Globex",
    ],
)
def test_nlp_patterns_find_no_document_number_without_one(text: str) -> None:
    assert [t for label, t in found(text) if label == "DOC_NUMBER"] == []


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("Tel: 0111-658 0000", "0111-658 0000"),
        ("TEL:03-6205 5386", "03-6205 5386"),
        ("Phone (555) 123-4567 today", "(555) 123-4567"),
        ("Fax. 020 7123 4567", "020 7123 4567"),
        ("Tel No. 07 - 3865 879", "07 - 3865 879"),
        ("T: +44 20 7123 4567", "+44 20 7123 4567"),
        ("Call +44 (0)20 7123 4567 now", "+44 (0)20 7123 4567"),
        ("Hotline: 1300-13-1300", "1300-13-1300"),
    ],
)
def test_nlp_patterns_find_phone_numbers(text: str, phone: str) -> None:
    assert [t for label, t in found(text) if label == "PHONE"] == [phone]


@pytest.mark.parametrize(
    "text", ["call 0113 496 0000", "GST ID: 0016 6993 5104", "Tel: 12 34", "+12"]
)
def test_nlp_patterns_find_no_phone_without_a_keyword_or_plus(text: str) -> None:
    assert [t for label, t in found(text) if label == "PHONE"] == []


def test_nlp_patterns_find_ibans_that_pass_their_check() -> None:
    text = "IBAN: GB82 WEST 1234 5698 7654 32 BANK, or DE89370400440532013000; not GB82 WEST 1234"

    assert [t for label, t in found(text) if label == "IBAN"] == [
        "GB82 WEST 1234 5698 7654 32",
        "DE89370400440532013000",
    ]
    assert [t for label, t in found("GB82 WEST 1234 5698 7654 33") if label == "IBAN"] == []


def test_nlp_patterns_find_vat_ids_in_their_country_format() -> None:
    text = "VAT: DE 123 456 789 BANK. BTW NL123456789B01, TVA FR 12 345678901, ref DE12, RO 12"

    assert [t for label, t in found(text) if label == "VAT_ID"] == [
        "DE 123 456 789",
        "NL123456789B01",
        "FR 12 345678901",
    ]


def test_nlp_patterns_of_an_ocr_receipt() -> None:
    text = (
        "WARAKUYA PERMAS CITY SDN BHD\nTel: 0111-658 0000\nINVOICE NO. : INV-2024-0012\n"
        "Date: 10/03/2018 5:41:06 PM\nSUBTOTAL 79.60\nTotal Amount: 57.80\nTOTAL: RM 57.80\n"
    )

    spans = merge(find_patterns(text), [])

    assert [(s.label, text[s.start : s.end]) for s in spans] == [
        ("PHONE", "0111-658 0000"),
        ("DOC_NUMBER", "INV-2024-0012"),
        ("DATE", "10/03/2018"),
        ("TOTAL", "57.80"),
        ("TOTAL", "RM 57.80"),
    ]


def test_nlp_patterns_look_behind_the_start_but_not_past_the_end() -> None:
    text = "Sub Total 12.00 and Total 15.00"

    assert list(find_patterns_in(text, 4, len(text))) == [Span(26, 31, "TOTAL", "pattern")]
    assert list(find_patterns_in(text, 20, 29)) == []


def test_nlp_patterns_take_linear_time_on_hostile_text() -> None:
    # Runs of what every expression starts or repeats on; a backtracking blow-up would not end.
    units = [
        "1", "1,", "1.2", "1 ", "1-", "Total ", "Tota l ", "Total\n", "Invoice No: 1-", "inv#",
        "Tel: 1 ", "+44 1", "(12) ", "GB82 A", "DE1 ", "a@a.", "RM1", "12.50 ", "1 Jan ", "6% ",
    ]  # fmt: skip
    text = "".join(unit * (50_000 // len(unit)) for unit in units)

    assert len(text) > 950_000
    spans = list(find_patterns(text))

    assert all(0 <= s.start < s.end <= len(text) for s in spans)


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


def test_nlp_merge_prefers_a_total_over_the_money_it_is() -> None:
    patterns = [Span(0, 8, "MONEY", "pattern"), Span(3, 8, "TOTAL", "pattern")]

    assert merge(patterns, []) == [Span(3, 8, "TOTAL", "pattern")]


def test_nlp_merge_keeps_a_pattern_when_the_longer_ner_span_does_not_read() -> None:
    text = "Date r0jan 27/02/2018"
    patterns = [Span(11, 21, "DATE", "pattern")]
    ner = [Span(5, 21, "DATE", "ner")]

    assert merge(patterns, ner, text) == patterns
    assert merge(patterns, ner) == ner  # without the text, the longer span wins


def test_nlp_merge_resolves_overlapping_patterns_longest_first() -> None:
    patterns = [Span(0, 12, "MONEY", "pattern"), Span(4, 14, "DATE", "pattern")]

    assert merge(patterns, []) == [Span(0, 12, "MONEY", "pattern")]
