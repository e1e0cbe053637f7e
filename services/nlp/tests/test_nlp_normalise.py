from __future__ import annotations

from decimal import Decimal

import pytest

from docfleet_nlp.normalise import (
    Money,
    compact_iban,
    e164,
    iso_date,
    normalise,
    parse_money,
    vat_id,
)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("22/12/2017", "2017-12-22"),
        ("19-03-18", "2018-03-19"),
        ("27/07/17", "2017-07-27"),
        ("19.03.2018", "2018-03-19"),
        ("2024-03-19", "2024-03-19"),
        ("2024/3/9", "2024-03-09"),
        ("11 APR 2018", "2018-04-11"),
        ("01-NOV-2017", "2017-11-01"),
        ("01-NoV-2017", "2017-11-01"),
        ("20 Jun 2018", "2018-06-20"),
        ("March 3, 2005", "2005-03-03"),
        ("Mar. 3rd, 2025", "2025-03-03"),
        ("3rd day of March, 2005", "2005-03-03"),
        ("the 1st of June 2010", "2010-06-01"),
        ("Monday, March 3, 2025", "2025-03-03"),
        ("Sept 9 2019", "2019-09-09"),
        ("september 30, 1999", "1999-09-30"),
        ("11APR2018", "2018-04-11"),
        ("5 jan 70", "1970-01-05"),
        ("29/02/2024", "2024-02-29"),
        ("22/12/2017 14:03", "2017-12-22"),
        ("25/05/2018 6:12:50 PM", "2018-05-25"),
        ("12/31/2024", "2024-12-31"),  # reads only one way
    ],
)
def test_nlp_iso_date_reads_dates(text: str, iso: str) -> None:
    assert iso_date(text) == iso


@pytest.mark.parametrize(
    "text",
    [
        "31/02/2024",
        "29/02/2023",
        "13/13/2020",
        "00/10/2020",
        "2024-13-01",
        "32 Jan 2020",
        "Apr 2018",
        "2020",
        "14:03",
        "3 18 01",
        "6 1.36",
        "next Tuesday",
        "about March 3, 2025 or later",
        "",
        "22/12/201",
    ],
)
def test_nlp_iso_date_gives_none_for_what_is_not_a_date(text: str) -> None:
    assert iso_date(text) is None


def test_nlp_iso_date_reads_ambiguous_numeric_dates_in_the_order_asked() -> None:
    assert iso_date("03/04/2025") == "2025-04-03"
    assert iso_date("03/04/2025", day_first=False) == "2025-03-04"
    assert iso_date("25/04/2025", day_first=False) == "2025-04-25"


def test_nlp_two_digit_years_pivot_at_seventy() -> None:
    assert iso_date("01/01/69") == "2069-01-01"
    assert iso_date("01/01/70") == "1970-01-01"
    assert iso_date("01/01/00") == "2000-01-01"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("RM4.00", "4.00 MYR"),
        ("RM 12.50", "12.50 MYR"),
        ("12.50RM", "12.50 MYR"),
        ("MYR12.5", "12.50 MYR"),
        ("$8.20", "8.20 USD"),
        ("US$ 3.5", "3.50 USD"),
        ("S$10", "10.00 SGD"),
        ("1.234,56 €", "1234.56 EUR"),
        ("€ 99", "99.00 EUR"),
        ("£12", "12.00 GBP"),
        ("100 CHF", "100.00 CHF"),
        ("USD 1,234.56", "1234.56 USD"),
        ("1'234.56", "1234.56"),
        ("1 234,56", "1234.56"),
        ("1\u202f234,56 EUR", "1234.56 EUR"),
        ("1.234.567,89 EUR", "1234567.89 EUR"),
        ("1,234,567.89", "1234567.89"),
        ("1,234", "1234.00"),
        ("12,50", "12.50"),
        ("0.500", "0.50"),
        ("12.50", "12.50"),
        ("12.345", "12345.00"),
        ("-0.05", "-0.05"),
        ("9 .10", "9.10"),
        ("RM4. 00", "4.00 MYR"),
        ("$5 million", "5000000.00 USD"),
        ("20 euros", "20.00 EUR"),
        ("Rs. 500", "500.00 INR"),
        ("0.125", "0.13"),
    ],
)
def test_nlp_parse_money_reads_amounts(text: str, value: str) -> None:
    money = parse_money(text)

    assert money is not None
    assert money.value == value


@pytest.mark.parametrize(
    "text",
    ["", "RM", "Total 12.50", "12 50", "1.2.3", "abc", "RSD 100", "12.50 apples", "$1 $2"],
)
def test_nlp_parse_money_gives_none_for_what_is_not_one_amount(text: str) -> None:
    assert parse_money(text) is None


def test_nlp_money_is_decimal_quantised_to_cents() -> None:
    assert parse_money("RM4") == Money(Decimal("4.00"), "MYR")
    assert parse_money("4", default_currency="EUR") == Money(Decimal("4.00"), "EUR")
    assert parse_money("$4", default_currency="EUR") == Money(Decimal("4.00"), "USD")
    assert Money(Decimal("1234.5"), None).value == "1234.50"


@pytest.mark.parametrize(
    ("text", "region", "number"),
    [
        ("+44 20 7123 4567", None, "+442071234567"),
        ("+44 (0)20 7123 4567", None, "+442071234567"),
        ("+44 020 7123 4567", None, "+442071234567"),
        ("0044 20 7123 4567", None, "+442071234567"),
        ("020 7123 4567", "GB", "+442071234567"),
        ("(555) 123-4567", "US", "+15551234567"),
        ("1-555-123-4567", "us", "+15551234567"),
        ("+1 415 555 0100", None, "+14155550100"),
        ("03-6205 5386", "MY", "+60362055386"),
        ("0111-658 0000", "MY", "+601116580000"),
        ("+60 12-345 6789", None, "+60123456789"),
        ("+33 1 23 45 67 89", None, "+33123456789"),
        ("06 12 34 56 78", "FR", "+33612345678"),
        ("+39 06 1234 5678", None, "+390612345678"),
        ("+49 30 123456", None, "+4930123456"),
        ("+65 6123 4567", None, "+6561234567"),
    ],
)
def test_nlp_e164_reads_phone_numbers(text: str, region: str | None, number: str) -> None:
    assert e164(text, region) == number


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("020 7123 4567", None),  # national, and no region to place it
        ("020 7123 4567", "ZZ"),
        ("+44 20 7123", None),  # too short for the UK
        ("+1 055 123 4567", None),  # no North American area code starts with 0
        ("+999 1234 5678", None),  # no such country code
        ("+33 1 23 45 67 89 00", None),  # too long for France
        ("7123 4567", "GB"),  # a UK national number starts with its trunk 0
        ("tel 020 7123 4567", "GB"),
        ("", "GB"),
    ],
)
def test_nlp_e164_gives_none_for_implausible_numbers(text: str, region: str | None) -> None:
    assert e164(text, region) is None


@pytest.mark.parametrize(
    ("text", "iban"),
    [
        ("GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432"),
        ("DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
        ("fr14 2004 1010 0505 0001 3m02 606", "FR1420041010050500013M02606"),
        ("NL91ABNA0417164300", "NL91ABNA0417164300"),
        ("BE68-5390-0754-7034", "BE68539007547034"),
        ("CH93 0076 2011 6238 5295 7", "CH9300762011623852957"),
    ],
)
def test_nlp_compact_iban_checks_and_compacts(text: str, iban: str) -> None:
    assert compact_iban(text) == iban


@pytest.mark.parametrize(
    "text",
    [
        "GB82 WEST 1234 5698 7654 33",  # check digits wrong
        "GB82 WEST 1234 5698 7654",  # too short for GB
        "DE89 3704 0044 0532 0130 000",  # too long for DE
        "ZZ12 3456 7890 1234 56",  # no such country
        "IBAN",
    ],
)
def test_nlp_compact_iban_gives_none_for_invalid_ibans(text: str) -> None:
    assert compact_iban(text) is None


@pytest.mark.parametrize(
    ("text", "vat"),
    [
        ("DE 123 456 789", "DE123456789"),
        ("GB 123 4567 89", "GB123456789"),
        ("GB123456789012", "GB123456789012"),
        ("NL123456789B01", "NL123456789B01"),
        ("FR 12 345678901", "FR12345678901"),
        ("ATU12345678", "ATU12345678"),
        ("GR123456789", "EL123456789"),
        ("IE1234567T", "IE1234567T"),
        ("be0123.456.789", "BE0123456789"),
        ("ESX1234567X", "ESX1234567X"),
    ],
)
def test_nlp_vat_id_reads_eu_and_uk_formats(text: str, vat: str) -> None:
    assert vat_id(text) == vat


@pytest.mark.parametrize(
    "text", ["DE12345678", "NL123456789", "ATX12345678", "XX123456789", "GB12345", "VAT"]
)
def test_nlp_vat_id_gives_none_for_other_formats(text: str) -> None:
    assert vat_id(text) is None


@pytest.mark.parametrize(
    ("label", "text", "value"),
    [
        ("DATE", " 22/12/2017 ", "2017-12-22"),
        ("MONEY", "RM4.00", "4.00 MYR"),
        ("TOTAL", "$8.20", "8.20 USD"),
        ("PHONE", "+44 20 7123 4567", "+442071234567"),
        ("IBAN", "GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432"),
        ("VAT_ID", "DE 123 456 789", "DE123456789"),
        ("EMAIL", "Billing@Acme.COM", "billing@acme.com"),
        ("DOC_NUMBER", "INV-2024-0012", "INV-2024-0012"),
        ("PERSON", "John Smith", None),
        ("ORG", "Acme Corporation", None),
        ("DATE", "next week", None),
        ("MONEY", "a few dollars", None),
    ],
)
def test_nlp_normalise_dispatches_on_the_label(label: str, text: str, value: str | None) -> None:
    assert normalise(label, text) == value


def test_nlp_normalise_passes_date_order_and_phone_region() -> None:
    assert normalise("DATE", "03/04/2025", day_first=False) == "2025-03-04"
    assert normalise("PHONE", "020 7123 4567") is None
    assert normalise("PHONE", "020 7123 4567", default_region="GB") == "+442071234567"
