"""The top of a receipt or invoice: who issued it (vendor) and where (vendor address).

Printed receipts open with the issuer's name, then its registration number, its address, its
phone and tax ids, then the sale. These rules read that layout line by line; they know no shop.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from docfleet_nlp.keyfields.text import Line

HEADER_LINES = 14
"""The vendor is looked for in this many lines from the top."""
ADDRESS_LINES = 6
"""An address block holds at most this many lines."""

# A legal form ends the issuer's name: "SDN BHD", "S/B", "Ltd.", "GmbH"...
_LEGAL = re.compile(
    r"\b(?:sdn\.?\s*bhd|s/b|bhd|berhad|pte\.?\s*ltd|pty\.?\s*ltd|ltd|limited|llc|l\.l\.c|llp|inc"
    r"|corp(?:oration)?|plc|gmbh|ag|s\.?a\.?r\.?l|b\.?v|n\.?v|co\.\s*ltd|company)\b\.?",
    re.IGNORECASE,
)
_PHONE = re.compile(
    r"\b(?:tel|phone|fax|mobile|hp|h/p|whatsapps?|hotline)\b|^\+?[\d\s().-]{8,}$", re.IGNORECASE
)
_IDS = re.compile(
    r"\b(?:gst|sst|vat|tva|mwst|ust|btw|iva|nif|cif|siret|tin|abn|ein|reg(?:istration)?|roc"
    r"|co\.?\s*no|company\s*no)\b|\d{8,}"
    r"|^\(?\s*(?:no\.?\s*)?[A-Z]?\d{5,}\s*-?\s*[A-Z]?\s*\)?[.,]?$",
    re.IGNORECASE,
)
_DOCUMENT = re.compile(
    r"invoice|receipt|\b(?:bill|cashier|table|order|slip|counter|tax|copy|date|time|cash)\b",
    re.IGNORECASE,
)
_GREETING = re.compile(r"\b(?:welcome|thank|thanks|visit|original|duplicate)\b", re.I)
_WEB = re.compile(r"@|\bwww\.|https?:|\.com\b", re.IGNORECASE)
_PARTY_LABEL = re.compile(r"\b(?:bill|ship|sold|deliver)(?:ed)?\s+to\b|\bcustomer\b", re.I)
_DATE_LIKE = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b\d{1,2}:\d{2}\b")
# Street words, building words and postcodes mark an address line.
_ADDRESS = re.compile(
    r"\b(?:jalan|jln|lot|no|road|rd|street|st|avenue|ave|lane|ln|blvd|boulevard|taman|tmn"
    r"|level|lvl|floor|flr|block|blk|suite|unit|bandar|kampung|kg|seksyen|section|plaza"
    r"|building|bangunan|centre|center|mall|highway|drive|dr|park|square|sq|way|close"
    r"|perindustrian|industrial|estate|mukim|batu|km|p\.?o\.?\s*box)\b\.?"
    r"|\b\d{5}\b|\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b|^\d+[A-Z]?\s*,",
    re.IGNORECASE,
)
# Street words alone make an address line; other cues need a number or a comma with them.
_STREET = re.compile(
    r"\b(?:jalan|jln|lorong|road|street|avenue|boulevard|blvd|highway)\b", re.IGNORECASE
)
# Words of a trade name: the issuer when no legal form is printed ("KT WONG TRADING").
_TRADE = re.compile(
    r"\b(?:trading|enterprises?|restaurant|restoran|cafe|hardware|store|shop|mart|bakery"
    r"|bakeries|supermarket|pharmacy|services|holdings|industries|marketing|agency|hotel)\b",
    re.IGNORECASE,
)
_TRAILING_BRACKET = re.compile(r"\([^()]*\)?[\s,.]*$")
_AMOUNT = re.compile(r"\d[.,]\d{2}\b")
_CONTINUES = re.compile(r"(?:&|\band|-|,)\s*$", re.IGNORECASE)
_LETTERS = re.compile(r"[^\W\d_]")
# OCR reads I as 1, O as 0, S as 5 inside words ("URBAN 1DEA", "JALAN ANG5A").
_DIGIT_AS_LETTER = str.maketrans("015", "OIS")
_MISREAD_WORD = re.compile(r"\b(?:[^\W\d_]+[015][^\W\d_]+|[15][^\W\d_]{3,})\b")


@dataclass(frozen=True)
class Header:
    """The vendor's name lines and address lines (either may be empty)."""

    vendor: list[Line]
    vendor_text: str
    address: list[Line]
    address_text: str


def is_stop_line(line: str) -> bool:
    """A phone, tax or registration id, date, web or document line: no part of an address."""
    return bool(
        _PHONE.search(line)
        or _IDS.search(line)
        or _DOCUMENT.search(line)
        or _WEB.search(line)
        or _DATE_LIKE.search(line)
    )


def _core(line: str) -> str:
    """The line without a trailing bracket, where receipts print registration numbers."""
    return _TRAILING_BRACKET.sub("", line).strip()


def _is_name_like(line: str) -> bool:
    core = _core(line)
    letters = len(_LETTERS.findall(core))
    visible = len(core.replace(" ", ""))
    return (
        letters >= 3
        and letters >= 0.6 * visible
        and not is_stop_line(core)
        and not _AMOUNT.search(core)
        and not _GREETING.search(core)
    )


def fix_misreads(text: str) -> str:
    """Digits OCR read in place of letters inside words put back ("ANG5A" -> "ANGSA")."""
    fixed = _MISREAD_WORD.sub(lambda word: word.group().translate(_DIGIT_AS_LETTER), text)
    return " ".join(fixed.split())


def _is_address(line: str) -> bool:
    return bool(_ADDRESS.search(line)) and not _PHONE.search(line)


def _opens_address(line: str) -> bool:
    """Surely an address line, so the name above it is complete ("PARK ROYAL" is not one)."""
    digits = any(c.isdigit() for c in line)
    if _is_address(line) and (digits or "," in line or _STREET.search(line)):
        return True
    # "A-G-06, DATARAN GLOMAC,": a unit number and a comma, no street word.
    return digits and "," in line and not _PHONE.search(line) and not _AMOUNT.search(line)


def read_header(lines: Sequence[Line]) -> Header:
    """Vendor and address from the top lines of a receipt-like document."""
    top: list[int] = []
    for index, line in enumerate(lines[:HEADER_LINES]):
        if _PARTY_LABEL.search(line.text):
            break  # the customer's block: the issuer comes before it
        if _opens_address(line.text) and not _LEGAL.search(line.text):
            break  # the issuer's name comes before its address
        core = _core(line.text)
        if _is_name_like(line.text) or (_LEGAL.search(core) and not is_stop_line(core)):
            top.append(index)
    if not top:
        return Header([], "", [], "")
    legal = [i for i in top if _LEGAL.search(lines[i].text)]
    trade = [i for i in top if _TRADE.search(lines[i].text)]
    first = (legal or trade or top)[0]
    chosen = _name_lines(lines, top, first, bool(legal))
    vendor_text = _clean_name(" ".join(lines[i].text for i in chosen), bool(legal))
    address = _address_after(lines, chosen[-1] + 1)
    address_text = fix_misreads(" ".join(line.text for line in address))
    return Header([lines[i] for i in chosen], vendor_text, address, address_text)


def _name_lines(lines: Sequence[Line], top: list[int], first: int, legal: bool) -> list[int]:
    """The line at `first` plus the lines a name visibly runs over ("HARDWARE &" / "ELECTRICAL")."""
    chosen = [first]
    text = lines[first].text
    # A legal form alone on its line ("SDN BHD") or closing a bracket continues the line above.
    if legal and (_LEGAL.match(text) or text.count(")") > text.count("(")):
        before = [i for i in top if i < first][-2:]
        chosen = [*before, first]
    while _CONTINUES.search(lines[chosen[-1]].text) and chosen[-1] + 1 in top:
        chosen.append(chosen[-1] + 1)
    return chosen


def _clean_name(name: str, legal: bool) -> str:
    if legal:
        # Whatever follows the last legal form is a registration number or noise.
        last = list(_LEGAL.finditer(name))[-1]
        name = name[: last.end()]
    else:
        name = _core(name)
    return fix_misreads(name).strip(" ,;:-")


def _address_after(lines: Sequence[Line], start: int) -> list[Line]:
    """The address block after the vendor: from its first address-like line to a stop line."""
    found: list[Line] = []
    for line in lines[start : start + ADDRESS_LINES + 3]:
        if not found:
            if (_is_address(line.text) or _opens_address(line.text)) and not _IDS.search(line.text):
                found.append(line)
            continue
        if is_stop_line(line.text) or len(found) == ADDRESS_LINES:
            break
        found.append(line)
    return found
