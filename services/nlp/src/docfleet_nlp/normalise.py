"""Normalised values of entities: ISO dates, decimal amounts with currency, E.164 phones, ids.

Each function takes the text of one entity and returns its value, or None when the text does not
read as one (an impossible date, an amount with stray words). They never guess: None is better
than a wrong value, since key fields are chosen from what parses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Final

from docfleet_nlp.identifiers import compact_iban, e164, vat_id

__all__ = ["Money", "compact_iban", "e164", "iso_date", "normalise", "parse_money", "vat_id"]

_MONTHS: Final = (
    "january february march april may june july august september october november december"
).split()
_WEEKDAYS: Final = "monday tuesday wednesday thursday friday saturday sunday".split()
# Words that may sit around a date without changing it: "the 3rd day of March, 2005".
_FILLER: Final = frozenset({"the", "day", "of", "on", "st", "nd", "rd", "th", "dated"})
_TOKEN = re.compile(r"\d+|[^\W\d_]+")
# A time after the date ("22/12/2017 14:03", "25/05/2018 6:12:50 PM") does not change it.
_TIME = re.compile(r"[\s,]+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?\Z", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"\d+ ?([/.\-]) ?\d+ ?\1 ?\d+")
_DATE_CHARS = re.compile(r"[\w\s,./\-']*")


def _month(word: str) -> int | None:
    """1-12 for a month name or its abbreviation ("APR", "Sept", "june"), else None."""
    for number, name in enumerate(_MONTHS, start=1):
        if word == name or (len(word) >= 3 and name.startswith(word)) or word == "sept" == name[:4]:
            return number
    return None


def _is_weekday(word: str) -> bool:
    return any(word == name or (len(word) >= 3 and name.startswith(word)) for name in _WEEKDAYS)


def _year(digits: str) -> int | None:
    # Two-digit years pivot at 70: 00-69 are 20xx, 70-99 are 19xx.
    if len(digits) == 2:
        value = int(digits)
        return 2000 + value if value < 70 else 1900 + value
    if len(digits) == 4:
        return int(digits)
    return None


def _iso(year: int | None, month: int | None, day: int) -> str | None:
    if year is None or month is None or not 1000 <= year <= 2999:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def iso_date(text: str, *, day_first: bool = True) -> str | None:
    """The ISO 8601 date (`2017-12-22`) a date text names, or None.

    Reads numeric day/month/year ("22/12/2017", "19-03-18", "19.03.2018"), year-month-day
    ("2024-03-19"), and dates with a month name or abbreviation in any case ("11 APR 2018",
    "01-NOV-2017", "March 3, 2005", "3rd day of March, 2005", "the 1st of June 2010",
    "Monday, March 3, 2025"). An all-numeric date that reads both ways uses `day_first`; one that
    reads only one way ("12/31/2024") is read that way. Two-digit years 00-69 are 20xx, 70-99
    19xx. Impossible dates (31/02/2024) and anything with other words in it give None.
    """
    text = _TIME.sub("", text.strip())
    if not _DATE_CHARS.fullmatch(text):
        return None
    numbers: list[str] = []
    month: int | None = None
    for token in _TOKEN.findall(text.lower()):
        if token.isdigit():
            numbers.append(token)
        elif (found := _month(token)) is not None and month is None:
            month = found
        elif token not in _FILLER and not _is_weekday(token):
            return None
    if month is not None:
        return _named_month(numbers, month)
    # All-numeric dates need one separator twice: "3 18 01" or "6 1.36" are not dates.
    if not _NUMERIC_DATE.fullmatch(text):
        return None
    return _numeric(numbers, day_first)


def _named_month(numbers: list[str], month: int) -> str | None:
    if len(numbers) != 2:
        return None
    first, second = numbers
    # The year is the four-digit number, or the last one when both are short ("11 APR 18").
    day, year = (second, first) if len(first) == 4 else (first, second)
    if len(day) > 2:
        return None
    return _iso(_year(year), month, int(day))


def _numeric(numbers: list[str], day_first: bool) -> str | None:
    if len(numbers) != 3:
        return None
    first, second, third = numbers
    if len(first) == 4:
        if len(second) > 2 or len(third) > 2:
            return None
        return _iso(int(first), int(second), int(third))
    if len(first) > 2 or len(second) > 2:
        return None
    year = _year(third)
    a, b = int(first), int(second)
    preferred = (a, b) if day_first else (b, a)
    for day, month in (preferred, preferred[::-1]):
        if 1 <= month <= 12 and (found := _iso(year, month, day)):
            return found
    return None


# Currency marks, longest first so "US$" wins over "$". Dollar signs alone are read as USD.
_CURRENCY_MARKS: Final = {
    "US$": "USD",
    "HK$": "HKD",
    "NZ$": "NZD",
    "S$": "SGD",
    "A$": "AUD",
    "C$": "CAD",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "RMB": "CNY",
    "RM": "MYR",
    "RS": "INR",
    "SFR": "CHF",
}
_CURRENCY_CODES: Final = frozenset(
    "USD EUR GBP CHF JPY CAD AUD NZD SGD HKD INR CNY SEK NOK DKK MYR PLN CZK HUF ZAR IDR THB PHP"
    " AED SAR BRL MXN KRW TWD".split()
)
_CURRENCY_WORDS: Final = {
    "dollar": "USD",
    "dollars": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "pound": "GBP",
    "pounds": "GBP",
    "sterling": "GBP",
    "ringgit": "MYR",
    "yen": "JPY",
    "rupee": "INR",
    "rupees": "INR",
    "francs": "CHF",
}
_SCALES: Final = {
    "thousand": Decimal(1_000),
    "k": Decimal(1_000),
    "million": Decimal(1_000_000),
    "m": Decimal(1_000_000),
    "mn": Decimal(1_000_000),
    "billion": Decimal(1_000_000_000),
    "bn": Decimal(1_000_000_000),
}
_MARK = "|".join(re.escape(mark) for mark in sorted(_CURRENCY_MARKS, key=len, reverse=True))
_MARK_TOKEN = re.compile(rf"(?:{_MARK})(?![^\W\d_])|[^\W\d_]+|\S", re.IGNORECASE)
# The amount: digits, possibly grouped by separators, starting and ending with a digit.
_DIGITS = re.compile(r"\d(?:[\d.,' \u00a0\u202f]*\d)?")
# Grouped in threes by one separator (1,234,567.89 / 1.234.567,89 / 1 234 567,89 / 1'234.56)
# or not grouped at all, then an optional decimal part.
_GROUPED = re.compile(r"[1-9]\d{0,2}(?P<sep>[,.' \u00a0\u202f])\d{3}(?:(?P=sep)\d{3})*(?:[.,]\d+)?")
# OCR puts a space by the decimal point ("9 .10", "4. 96"); a space is never one in a price.
_OCR_CENTS = re.compile(r"(\d) ?\. ?(\d{2})(?!\d)")
_PLAIN = re.compile(r"\d+(?:[.,]\d+)?")
_CENT: Final = Decimal("0.01")


@dataclass(frozen=True)
class Money:
    """An amount of money, quantised to cents, with its ISO 4217 currency when one is known."""

    amount: Decimal
    currency: str | None

    @property
    def value(self) -> str:
        """`1234.50 EUR`, or `1234.50` without a currency."""
        return f"{self.amount:.2f} {self.currency}" if self.currency else f"{self.amount:.2f}"


def parse_money(text: str, default_currency: str | None = None) -> Money | None:
    """The amount a money text names ("RM4.00", "$8.20", "1.234,56 €", "USD 1,234.56"), or None.

    Currency symbols and ISO codes may come before or after the amount (RM is MYR, a bare $ is
    USD). Thousands separators may be commas, dots, apostrophes or spaces; the last `.` or `,`
    is the decimal mark unless exactly three digits follow a single one ("1,234" is 1234).
    "million"/"bn"-style scales multiply. Anything else in the text gives None.
    """
    text = _OCR_CENTS.sub(r"\1.\2", text.strip())
    runs = list(_DIGITS.finditer(text))
    if len(runs) != 1:
        return None
    run = runs[0]
    amount = _amount(run[0])
    if amount is None:
        return None
    currency: str | None = None
    scale = Decimal(1)
    for token in _MARK_TOKEN.findall(text[: run.start()]):
        if token in ("-", "\u2212") and scale == 1:
            scale = Decimal(-1)  # a sign, before the amount only
        elif token == "." or token == ":":
            continue  # "Rs. 500", "RM: 4.00"
        elif (code := _currency(token)) is not None and currency is None:
            currency = code
        else:
            return None
    for token in _MARK_TOKEN.findall(text[run.end() :]):
        if token.lower() in _SCALES and abs(scale) == 1:
            scale *= _SCALES[token.lower()]
        elif (code := _currency(token)) is not None and currency is None:
            currency = code
        else:
            return None
    return Money((amount * scale).quantize(_CENT, ROUND_HALF_UP), currency or default_currency)


def _currency(mark: str) -> str | None:
    upper = mark.upper()
    if upper in _CURRENCY_MARKS:
        return _CURRENCY_MARKS[upper]
    if upper in _CURRENCY_CODES:
        return upper
    return _CURRENCY_WORDS.get(mark.lower())


def _amount(digits: str) -> Decimal | None:
    if _GROUPED.fullmatch(digits):
        separators = [c for c in digits if not c.isdigit()]
        group = separators[0]
        last = separators[-1]
        if last != group:  # "1.234,56": the last mark is the decimal one
            whole, _, cents = digits.rpartition(last)
            number = whole.replace(group, "") + "." + cents
        elif len(separators) == 1 and group in ".," and len(digits.rpartition(group)[2]) != 3:
            number = digits.replace(group, ".")
        else:
            number = digits.replace(group, "")
    elif _PLAIN.fullmatch(digits):
        number = digits.replace(",", ".")
    else:
        return None
    try:
        return Decimal(number)
    except InvalidOperation:  # pragma: no cover - the expressions admit only digits and one dot
        return None


def normalise(
    label: str, text: str, *, day_first: bool = True, default_region: str | None = None
) -> str | None:
    """The normalised value of an entity of `label` (see `Entity.value`), None if it has none.

    DATE: ISO date; MONEY and TOTAL: amount with currency; PHONE: E.164; IBAN and VAT_ID: compact
    upper case; EMAIL: lower case; DOC_NUMBER: the number as printed. Other labels have none.
    """
    text = text.strip()
    if label == "DATE":
        return iso_date(text, day_first=day_first)
    if label in ("MONEY", "TOTAL"):
        money = parse_money(text)
        return money.value if money else None
    if label == "PHONE":
        return e164(text, default_region)
    if label == "IBAN":
        return compact_iban(text)
    if label == "VAT_ID":
        return vat_id(text)
    if label == "EMAIL":
        return text.lower() or None
    if label == "DOC_NUMBER":
        return text or None
    return None
