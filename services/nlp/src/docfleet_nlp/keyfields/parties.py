"""The parties a contract names in its opening clause, each with its place in the text.

"This Agreement is made ... by and between Acme, Inc., a Delaware corporation ("Acme"), and
John Smith ("Employee")": the parties are what the clause after "between" lists, each cut at its
description (", a Delaware corporation", an address, the defined term in brackets).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from docfleet_nlp.patterns import Span

PREAMBLE_CHARS = 6_000
"""The opening clause is looked for in this many leading characters."""
CLAUSE_CHARS = 1_500

_BETWEEN = re.compile(r"\b(?:by\s+and\s+)?(?:between|among)\s+", re.IGNORECASE)
# Words that end with a dot without ending the sentence.
_ABBREVIATION = re.compile(
    r"(?:\b(?:inc|corp|co|ltd|llc|l\.?p|n\.?a|s\.?a|n\.?v|b\.?v|mr|mrs|ms|dr|st|no|jr|sr|u\.?s"
    r"|plc|p\.?c|l\.?l\.?c)|\b[A-Z])\.$",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(
    r"\.\s+(?=[A-Z“\"(])|\n\s*\n|\bWHEREAS\b|\bRECITALS\b|\bW\s?I\s?T\s?N\s?E\s?S"
)
# Where a party's description starts: ", a Delaware corporation", ", with offices at", an address.
_DESCRIPTION = re.compile(
    r",?\s*\((?!\s*[A-Z][\w.]*\s*\))"
    r"|,\s*(?:a|an|the|with|having|whose|located|organi[sz]ed|incorporated|residing|its|which"
    r"|who|doing|d/b/a|formerly|on\s+behalf)\b"
    r"|,\s*\d"
    r"|\s+(?:a|an)\s+(?:[A-Z][\w-]*\s+){0,3}(?:corporation|company|limited|partnership|bank"
    r"|association|trust)\b",
)
_LEGAL = re.compile(
    r"\b(?:inc|corp|corporation|co|company|ltd|limited|llc|l\.l\.c|llp|lp|l\.p|plc|gmbh|ag|s\.a"
    r"|n\.v|b\.v|holdings|group|partners|bank|trust)\b\.?",
    re.IGNORECASE,
)
# A further party listed inside a description: ", a Texas partnership, Silver Birch Inc., and".
_LISTED = re.compile(
    r",\s+(?:and\s+)?(?P<name>(?:[A-Z][\w.&'-]*,?\s+){0,6}?(?:Inc|Corp|Corporation|LLC|L\.L\.C"
    r"|Ltd|Limited|L\.P|LP|LLP|PLC|GmbH|AG|N\.V|B\.V|S\.A|Company|Co)\b\.?)"
)
_PRONOUN = re.compile(r"^(?:you|yourself)\b", re.IGNORECASE)
_SALUTATION = re.compile(r"^\s*(?:dear\b|gentlemen|ladies|to\s+whom)", re.IGNORECASE | re.M)
# Roles a contract calls its parties by; a "name" made only of these names nobody.
_ROLES = frozenset(
    "the company executive employee employer consultant contractor recipient discloser"
    " disclosing receiving party parties buyer seller purchaser licensor licensee landlord tenant"
    " borrower lender investor customer supplier vendor client individual undersigned".split()
)
_CONNECTORS = frozenset({"of", "and", "&", "de", "du", "der", "van", "von", "la", "le", "the"})
_NAME_TOKEN = re.compile(r"[^\s,]+,?")


@dataclass(frozen=True)
class Party:
    """A party's name as the contract writes it, and its offsets."""

    start: int
    end: int
    name: str


def find_parties(text: str, spans: Sequence[Span]) -> list[Party]:
    """The contract's parties, in the order the opening clause names them."""
    head = text[:PREAMBLE_CHARS]
    for match in _BETWEEN.finditer(head):
        parties = _from_clause(text, match.end(), spans)
        if parties:
            return _unique(parties)
    return _unique(_from_defined_terms(head))


def _from_clause(text: str, start: int, spans: Sequence[Span]) -> list[Party]:
    end = _clause_end(text, start)
    segments = _segments(text, start, end, spans)
    parties: list[Party] = []
    for first, last in segments:
        name = _name_in(text, first, last)
        if name is None:
            continue
        if _PRONOUN.match(name.name):
            addressee = _addressee(text)
            if addressee is not None:
                parties.append(addressee)
            continue
        if _is_name(name.name):
            parties.append(name)
            parties.extend(_listed_after(text, name.end, last))
    return parties


def _listed_after(text: str, start: int, end: int) -> list[Party]:
    return [
        Party(match.start("name"), match.end("name"), " ".join(match["name"].split()))
        for match in _LISTED.finditer(text, start, end)
    ]


def _clause_end(text: str, start: int) -> int:
    limit = min(len(text), start + CLAUSE_CHARS)
    for match in _CLAUSE_END.finditer(text, start, limit):
        before = text[max(0, match.start() - 8) : match.start() + 1]
        if match.group().startswith(".") and _ABBREVIATION.search(before):
            continue
        return match.start()
    return limit


def _segments(text: str, start: int, end: int, spans: Sequence[Span]) -> list[tuple[int, int]]:
    """Pieces of the clause, one per party: cut at defined-term brackets, else at "and"."""
    groups = _bracket_groups(text, start, end)
    defining = [(a, b) for a, b in groups if re.search(r"[“\"]", text[a:b])]
    pieces: list[tuple[int, int]] = []
    if defining:
        cursor = start
        for a, b in defining:
            pieces.append((cursor, a))
            cursor = b
        pieces.append((cursor, end))
    else:
        cursor = start
        for match in re.finditer(r",?\s+and\s+|;\s*", text[start:end]):
            cut = start + match.start()
            if any(s.label == "ORG" and s.start < cut < s.end for s in spans):
                continue  # "Johnson and Johnson" is one name
            pieces.append((cursor, cut))
            cursor = start + match.end()
        pieces.append((cursor, end))
    return [(a, b) for a, b in pieces if text[a:b].strip(" \n,;.")]


def _bracket_groups(text: str, start: int, end: int) -> list[tuple[int, int]]:
    groups: list[tuple[int, int]] = []
    depth, opened = 0, start
    for index in range(start, end):
        char = text[index]
        if char == "(":
            if depth == 0:
                opened = index
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                groups.append((opened, index + 1))
    return groups


def _name_in(text: str, start: int, end: int) -> Party | None:
    piece = text[start:end]
    lead = re.match(r"[\s,;]*(?:and\s+|between\s+)?", piece)
    offset = lead.end() if lead else 0
    cut = _DESCRIPTION.search(piece, offset)
    stop = cut.start() if cut else len(piece)
    name = piece[offset:stop].rstrip(" \n,;:")
    if not name:
        return None
    first = start + offset
    return Party(first, first + len(name), " ".join(name.split()))


def _is_name(name: str) -> bool:
    words = name.split()
    return (
        0 < len(words) <= 12
        and (name[0].isupper() or name[0].isdigit())
        and "agreement" not in name.lower()
        and not _PRONOUN.match(name)
        and not all(word.lower().strip(",.") in _ROLES for word in words)
    )


def _addressee(text: str) -> Party | None:
    """The organisation a letter agreement is addressed to: the legal name above "Dear ..."."""
    salutation = _SALUTATION.search(text, 0, PREAMBLE_CHARS)
    if salutation is None:
        return None
    found: Party | None = None
    for match in re.finditer(r"[^\n]+", text[: salutation.start()]):
        line = match.group().strip()
        if _LEGAL.search(line) and len(line.split()) <= 8 and not re.search(r"\d", line):
            first = match.start() + match.group().index(line)
            found = Party(first, first + len(line), line)
    return found


def _from_defined_terms(head: str) -> list[Party]:
    """Parties named before a defined term: 'Acme, Inc. (the "Company")'."""
    parties: list[Party] = []
    for match in re.finditer(
        r"\(\s*(?:the\s+|hereinafter\s+(?:referred\s+to\s+as\s+)?)?[“\"]", head
    ):
        before = head[max(0, match.start() - 200) : match.start()]
        # Drop a description between the name and the bracket: ", a Delaware corporation,".
        before = re.sub(r",?\s+(?:a|an)\s+[^,()]{0,60},?\s*$", "", before)
        tokens = list(_NAME_TOKEN.finditer(before))
        taken: list[re.Match[str]] = []
        for token in reversed(tokens):
            word = token.group().rstrip(",")
            if word[:1].isupper() or word.lower() in _CONNECTORS or _LEGAL.fullmatch(word):
                taken.insert(0, token)
                continue
            break
        while taken and taken[0].group().lower().rstrip(",") in _CONNECTORS:
            taken.pop(0)
        if not taken:
            continue
        first = max(0, match.start() - 200) + taken[0].start()
        name = head[first : max(0, match.start() - 200) + taken[-1].end()].rstrip(" ,")
        if _LEGAL.search(name) and _is_name(name):
            parties.append(Party(first, first + len(name), " ".join(name.split())))
    return parties[:2]


def _unique(parties: list[Party]) -> list[Party]:
    seen: set[str] = set()
    kept: list[Party] = []
    for party in parties:
        key = re.sub(r"[^a-z0-9]", "", party.name.lower())
        if key not in seen:
            seen.add(key)
            kept.append(party)
    return kept
