"""Lines with their offsets, and key fields built from a piece of evidence in the full text."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from docfleet_contracts import KeyField
from docfleet_nlp.chunks import page_of

_LINE = re.compile(r"[^\n\f]+")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Line:
    """One non-blank line of the text: its offsets (trailing blanks trimmed) and its text."""

    start: int
    end: int
    text: str


def lines_of(text: str, start: int = 0, end: int | None = None) -> list[Line]:
    """The non-blank lines of `text[start:end]`, with offsets into `text`."""
    found: list[Line] = []
    for match in _LINE.finditer(text, start, len(text) if end is None else end):
        raw = match.group()
        stripped = raw.strip()
        if stripped:
            first = match.start() + len(raw) - len(raw.lstrip())
            found.append(Line(first, first + len(stripped), stripped))
    return found


def collapse(text: str) -> str:
    """`text` on one line with single spaces."""
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class Evidence:
    """Where a field's value was read: offsets into the full text."""

    start: int
    end: int


def key_field(
    name: str,
    value: str,
    text: str,
    where: Evidence,
    page_starts: Sequence[int],
    confidence: float,
) -> KeyField:
    """A `KeyField` whose evidence is `text[where.start:where.end]`, placed on its page."""
    return KeyField(
        name=name,
        value=value,
        text=text[where.start : where.end],
        page=page_of(where.start, page_starts),
        start=where.start,
        end=where.end,
        confidence=round(min(max(confidence, 0.0), 1.0), 2),
    )
