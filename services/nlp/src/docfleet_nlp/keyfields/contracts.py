"""Key fields of contracts: party (one field each), effective_date, jurisdiction, term."""

from __future__ import annotations

import re
from collections.abc import Sequence

from docfleet_contracts import KeyField
from docfleet_nlp.keyfields.dates import DateFinder, FoundDate, day_first
from docfleet_nlp.keyfields.parties import find_parties
from docfleet_nlp.keyfields.terms import Term, find_term
from docfleet_nlp.keyfields.text import Evidence, key_field
from docfleet_nlp.patterns import Span

MAX_PARTIES = 8

# The cue right before an effective date: "effective as of", "made and entered into as of the",
# "dated as of", "made this".
_DATE_CUE = re.compile(
    r"\beffective\s+(?:as\s+of|on|from)\s+"
    r"|\b(?:dated|made|entered\s+into|executed)(?:\s+and\s+(?:entered\s+into|executed))?"
    r"\s+(?:(?:as\s+of|on|effective)\s+)?(?:this\s+)?"
    r"|[“\"]?Effective\s+Date[”\"]?\)?\s+(?:of|is|means|shall\s+be)\s+",
    re.IGNORECASE,
)
_DEFINES_EFFECTIVE = re.compile(r"\(\s*(?:the\s+|hereinafter\s+)?[“\"]Effective\s+Date", re.I)
# Governing-law cues, strongest first: a dispute clause "resolved in accordance with the laws
# of" counts only where no contract says "governed by".
_GOVERNED = (
    re.compile(r"\bgovern(?:ed|ing)\b|\bconstrued\b", re.IGNORECASE),
    re.compile(r"\bin\s+accordance\s+with\b", re.IGNORECASE),
)
# "a corporation organized under the laws of the State of Delaware" names no governing law.
_INCORPORATED = re.compile(
    r"(?:organi[sz]ed|incorporated|existing|formed)\W+(?:\w+\W+){0,4}$", re.I
)
_LAWS_OF = re.compile(
    r"\blaws?\s+of\s+(?:the\s+)?(?:(?:State|Commonwealth|Province|Republic|Kingdom)\s+of\s+)?"
    r"(?P<place>[A-Z][a-z]+(?:\s+(?:of\s+)?[A-Z][a-z]+){0,3})"
    r"|\b(?:State|Commonwealth)\s+of\s+(?P<state>[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2})",
)
_NOT_PLACES = frozenset({"United States", "The", "This", "Such", "Any"})


def find_contract_fields(
    text: str, spans: Sequence[Span], page_starts: Sequence[int]
) -> list[KeyField]:
    """Parties, effective date, governing-law jurisdiction and term of a contract, where found."""
    fields = [
        key_field("party", p.name, text, Evidence(p.start, p.end), page_starts, 0.6)
        for p in find_parties(text, spans)[:MAX_PARTIES]
    ]
    dates = DateFinder(text, spans, first=day_first(text))
    effective = effective_date(text, dates)
    if effective is not None:
        where = Evidence(effective.start, effective.end)
        fields.append(key_field("effective_date", effective.iso, text, where, page_starts, 0.7))
    place = jurisdiction(text)
    if place is not None:
        name, where = place
        fields.append(key_field("jurisdiction", name, text, where, page_starts, 0.8))
    term: Term | None = find_term(text, dates, effective.iso if effective else None)
    if term is not None:
        where = Evidence(term.start, term.end)
        fields.append(key_field("term", term.value, text, where, page_starts, term.confidence))
    return fields


def effective_date(text: str, dates: DateFinder) -> FoundDate | None:
    """The date a contract takes effect: the first date right after a cue such as "effective
    as of" or "made this", or one defined as the "Effective Date"."""
    found: list[FoundDate] = []
    for cue in _DATE_CUE.finditer(text):
        after = dates.within(cue.end(), min(len(text), cue.end() + 60))
        # Only "the" may stand between the cue and the date.
        if after and re.fullmatch(r"(?:the\s+)?", text[cue.end() : after[0].start], re.I):
            found.append(after[0])
            break
    for defined in _DEFINES_EFFECTIVE.finditer(text):
        before = dates.within(max(0, defined.start() - 60), defined.start())
        if before and not text[before[-1].end : defined.start()].strip(" ,"):
            found.append(before[-1])
            break
    return min(found) if found else None


def jurisdiction(text: str) -> tuple[str, Evidence] | None:
    """The place whose laws govern the contract ("the laws of the State of New York")."""
    for cue in _GOVERNED:
        for governed in cue.finditer(text):
            window_end = min(len(text), governed.end() + 300)
            for match in _LAWS_OF.finditer(text, governed.start(), window_end):
                group = "place" if match["place"] else "state"
                place = re.sub(r"\s+State$", "", match[group])  # "New York State"
                before = text[max(0, match.start() - 40) : match.start()]
                if place not in _NOT_PLACES and not _INCORPORATED.search(before):
                    return place, Evidence(match.start(group), match.start(group) + len(place))
    return None


def kleister_form(name: str, value: str) -> str:
    """`value` written as the Kleister NDA dataset writes it: "Vocus, Inc." -> "Vocus_Inc.",
    "New York" -> "New_York", "2 years" -> "2_years", "1 year" -> "1_year"; dates stay ISO."""
    if name == "party":
        value = value.replace(",", "").replace("&", "and")
    return "_".join(value.replace(":", " ").split())
