"""Phone numbers, IBANs and VAT ids: compact tables of formats, checked before a value is given.

The tables cover the countries DocFleet's documents most often come from (Europe, North America,
Asia-Pacific); a number or id from a country not listed gives None rather than a guess.
"""

from __future__ import annotations

import re
from typing import Final, NamedTuple


class PhonePlan(NamedTuple):
    """How a country writes its numbers: calling code, trunk prefix dropped, national lengths."""

    code: str
    trunk: str
    shortest: int
    longest: int


# Region (ISO 3166 alpha-2) -> numbering plan. Lengths are those of the national significant
# number (after the trunk prefix), from the ITU's national plans, rounded out to a range.
PHONE_PLANS: Final = {
    "US": PhonePlan("1", "1", 10, 10),
    "CA": PhonePlan("1", "1", 10, 10),
    "GB": PhonePlan("44", "0", 9, 10),
    "IE": PhonePlan("353", "0", 7, 9),
    "FR": PhonePlan("33", "0", 9, 9),
    "DE": PhonePlan("49", "0", 6, 13),
    "AT": PhonePlan("43", "0", 4, 13),
    "CH": PhonePlan("41", "0", 9, 9),
    "NL": PhonePlan("31", "0", 9, 9),
    "BE": PhonePlan("32", "0", 8, 9),
    "LU": PhonePlan("352", "", 4, 11),
    "ES": PhonePlan("34", "", 9, 9),
    "PT": PhonePlan("351", "", 9, 9),
    "IT": PhonePlan("39", "", 6, 11),  # Italy keeps its leading 0 after the country code
    "DK": PhonePlan("45", "", 8, 8),
    "SE": PhonePlan("46", "0", 7, 10),
    "NO": PhonePlan("47", "", 8, 8),
    "FI": PhonePlan("358", "0", 5, 12),
    "PL": PhonePlan("48", "", 9, 9),
    "CZ": PhonePlan("420", "", 9, 9),
    "GR": PhonePlan("30", "", 10, 10),
    "AU": PhonePlan("61", "0", 9, 9),
    "NZ": PhonePlan("64", "0", 8, 10),
    "IN": PhonePlan("91", "0", 10, 10),
    "SG": PhonePlan("65", "", 8, 8),
    "MY": PhonePlan("60", "0", 8, 10),
    "HK": PhonePlan("852", "", 8, 8),
    "CN": PhonePlan("86", "0", 7, 11),
    "JP": PhonePlan("81", "0", 9, 10),
    "KR": PhonePlan("82", "0", 8, 10),
    "ID": PhonePlan("62", "0", 8, 12),
    "TH": PhonePlan("66", "0", 8, 9),
    "PH": PhonePlan("63", "0", 8, 10),
    "ZA": PhonePlan("27", "0", 9, 9),
    "BR": PhonePlan("55", "0", 10, 11),
    "MX": PhonePlan("52", "", 10, 10),
    "AE": PhonePlan("971", "0", 8, 9),
}
_BY_CODE: Final = {plan.code: plan for plan in PHONE_PLANS.values()}
_PHONE_TEXT = re.compile(r"\+?[\d\s().\-/\u00a0]+")
_TRUNK_IN_BRACKETS = re.compile(r"^(\+\d{1,3})\s*\(0\)")


def e164(text: str, default_region: str | None = None) -> str | None:
    """The E.164 form (`+442071234567`) of a phone number, or None.

    An international number (`+44 20 7123 4567`, `0044 ...`, `+44 (0)20 ...`) is read with the
    plan of its calling code; a national one (`020 7123 4567`) only with `default_region`. The
    number's length must fit its country's plan (`PHONE_PLANS`); unknown codes give None.
    """
    text = _TRUNK_IN_BRACKETS.sub(r"\1", text.strip())
    if not _PHONE_TEXT.fullmatch(text):
        return None
    digits = re.sub(r"\D", "", text)
    if text.startswith("+") or digits.startswith("00"):
        digits = digits[2:] if not text.startswith("+") else digits
        for size in (1, 2, 3):
            plan = _BY_CODE.get(digits[:size])
            if plan is not None:
                return _checked(plan, digits[size:])
        return None
    plan = PHONE_PLANS.get((default_region or "").upper())
    if plan is None:
        return None
    if plan.trunk and digits.startswith(plan.trunk):
        digits = digits[len(plan.trunk) :]
    elif plan.trunk == "0":
        return None  # a national number in such a country starts with its trunk prefix
    return _checked(plan, digits)


def _checked(plan: PhonePlan, national: str) -> str | None:
    if plan.trunk == "0" and national.startswith("0") and len(national) > plan.shortest:
        national = national[1:]  # "+44 020 ...": the trunk prefix kept by mistake
    if not plan.shortest <= len(national) <= plan.longest:
        return None
    if plan.code == "1" and national[0] in "01":
        return None  # North American area codes start with 2-9
    return f"+{plan.code}{national}"


# Country -> IBAN length, from the SWIFT IBAN registry.
IBAN_LENGTHS: Final = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18,
    "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24,
    "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24,
    "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}  # fmt: skip
_IBAN = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}")


def compact_iban(text: str) -> str | None:
    """The IBAN without spaces, upper case (`GB82WEST12345698765432`), or None.

    The country's length (`IBAN_LENGTHS`) and the ISO 7064 mod-97 check digits must hold.
    """
    compact = re.sub(r"[\s\-]", "", text).upper()
    if not _IBAN.fullmatch(compact) or IBAN_LENGTHS.get(compact[:2]) != len(compact):
        return None
    rearranged = compact[4:] + compact[:4]
    # Letters count as 10-35; int(c, 36) maps both digits and letters that way.
    number = int("".join(str(int(c, 36)) for c in rearranged))
    return compact if number % 97 == 1 else None


# Country prefix -> format of the rest of a VAT id (EU VIES formats; GB and XI for the UK).
_UK_VAT = r"\d{9}|\d{12}|GD[0-4]\d{2}|HA[5-9]\d{2}"
VAT_FORMATS: Final = {
    "AT": r"U\d{8}",
    "BE": r"[01]\d{9}",
    "BG": r"\d{9,10}",
    "CY": r"\d{8}[A-Z]",
    "CZ": r"\d{8,10}",
    "DE": r"\d{9}",
    "DK": r"\d{8}",
    "EE": r"\d{9}",
    "EL": r"\d{9}",
    "ES": r"[A-Z0-9]\d{7}[A-Z0-9]",
    "FI": r"\d{8}",
    "FR": r"[0-9A-HJ-NP-Z]{2}\d{9}",
    "HR": r"\d{11}",
    "HU": r"\d{8}",
    "IE": r"\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W]",
    "IT": r"\d{11}",
    "LT": r"\d{9}|\d{12}",
    "LU": r"\d{8}",
    "LV": r"\d{11}",
    "MT": r"\d{8}",
    "NL": r"\d{9}B\d{2}",
    "PL": r"\d{10}",
    "PT": r"\d{9}",
    "RO": r"[1-9]\d{1,9}",
    "SE": r"\d{10}01",
    "SI": r"\d{8}",
    "SK": r"\d{10}",
    "GB": _UK_VAT,
    "XI": _UK_VAT,
}
_VAT_RESTS: Final = {country: re.compile(rest) for country, rest in VAT_FORMATS.items()}


def vat_id(text: str) -> str | None:
    """The VAT id without spaces, dots or dashes, upper case (`DE123456789`), or None.

    Only the format of the country (`VAT_FORMATS`) is checked, not its check digits. Greek ids
    written with GR get their VIES prefix EL.
    """
    compact = re.sub(r"[\s.\-]", "", text).upper()
    country, rest = compact[:2], compact[2:]
    country = "EL" if country == "GR" else country
    pattern = _VAT_RESTS.get(country)
    if pattern is None or not pattern.fullmatch(rest):
        return None
    return country + rest
