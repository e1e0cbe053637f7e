"""Normalisers applied to both sides of a key-field comparison (dev-set README, "quirks").

Written here rather than taken from the NLP service, so a bug there cannot hide itself by
normalising the truth the same wrong way.

- SROIE company and address: case-folded, only letters and digits kept (spacing and
  punctuation differ between annotations).
- Dates: ISO `YYYY-MM-DD`; an all-numeric date is read day first, as on these receipts.
- Totals: a decimal with two places; currency signs and codes dropped.
- Kleister values: the dataset's convention (spaces and colons as `_`, `&` as `and`),
  case-folded; parties also lose punctuation; terms become `{number}_{unit}` in the plural.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
NUMBERS = {
    word: value
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve".split()
    )
}
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})")
_DAY_MONTH = re.compile(
    r"(\d{1,2})(?:st|nd|rd|th)?(?:\s+day\s+of)?[\s\-/.]*([a-z]+)[\s\-/.,]*(\d{2,4})"
)
_MONTH_DAY = re.compile(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_AMOUNT = re.compile(r"-?\d[\d,.\s]*")
_TERM = re.compile(r"(\d+|[a-z]+)\W*(?:\(\d+\)\s*)?(year|month|week|day)s?")


def alnum(text: str) -> str:
    """Case-folded letters and digits only."""
    return "".join(char for char in text.casefold() if char.isalnum())


def iso_date(text: str) -> str | None:
    """The date in `text` as ISO, or None when no valid date is found."""
    low = text.casefold()
    if found := _ISO.search(low):
        year, month, day = (int(v) for v in found.groups())
    elif found := _NUMERIC.search(low):
        day, month, year = (int(v) for v in found.groups())
    elif (found := _DAY_MONTH.search(low)) and found.group(2) in MONTHS:
        day, month, year = int(found.group(1)), MONTHS[found.group(2)], int(found.group(3))
    elif (found := _MONTH_DAY.search(low)) and found.group(1) in MONTHS:
        month, day, year = MONTHS[found.group(1)], int(found.group(2)), int(found.group(3))
    else:
        return None
    if year < 100:
        year += 2000 if year < 70 else 1900
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def amount(text: str) -> str | None:
    """The first amount in `text` with two decimals ("RM1,234.5" -> "1234.50")."""
    found = _AMOUNT.search(text)
    if found is None:
        return None
    digits = re.sub(r"\s", "", found.group()).rstrip(".,")
    if re.search(r",\d{1,2}$", digits) and "." not in digits[-3:]:  # 1.234,56
        digits = digits.replace(".", "").replace(",", ".")
    try:
        return str(Decimal(digits.replace(",", "")).quantize(Decimal("0.01")))
    except InvalidOperation:
        return None


def kleister(text: str) -> str:
    """A value in the Kleister convention, case-folded ("New York" -> "new_york")."""
    value = re.sub(r"\s*&\s*", " and ", text.strip()).casefold()
    return re.sub(r"[\s:]+", "_", value).strip("_")


def party(text: str) -> str:
    """A party name compared without case, spacing or punctuation ("Vocus, Inc." = "Vocus_Inc.")."""
    return alnum(kleister(text))


def term(text: str) -> str | None:
    """A duration as `{number}_{unit}s` ("two (2) years", "2_years", "24 months")."""
    found = _TERM.search(text.casefold().replace("_", " "))
    if found is None:
        return None
    count = found.group(1)
    number = int(count) if count.isdigit() else NUMBERS.get(count)
    if number is None:
        return None
    return f"{number}_{found.group(2)}s"
