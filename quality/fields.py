"""Key-field scoring: the extracted `KeyField`s of one document against its `fields.json`.

A field is scored on the documents whose truth has it (Kleister leaves a key out when the
document has no value); a prediction where the truth has none is counted as `extra`.
Parties: `party` is a hit per document when the set of predicted parties equals the set of true
parties after `normalise.party`; `party_found` counts each true party found among the predicted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from docfleet_contracts import KeyField
from quality import normalise

Normaliser = Callable[[str], "str | None"]

RECEIPT: dict[str, tuple[tuple[str, ...], Normaliser]] = {
    "company": (("vendor",), normalise.alnum),
    "date": (("date",), normalise.iso_date),
    "address": (("vendor_address",), normalise.alnum),
    "total": (("total",), normalise.amount),
}
"""SROIE field -> (KeyField names that answer it, normaliser of both sides)."""
CONTRACT: dict[str, tuple[tuple[str, ...], Normaliser]] = {
    "jurisdiction": (("jurisdiction",), normalise.kleister),
    "effective_date": (("effective_date",), normalise.iso_date),
    "term": (("term",), normalise.term),
}
"""Kleister fields scored one value per document; `party` is scored as a set."""
PARTY_NAMES = ("party",)


@dataclass
class FieldTally:
    """Hits over the documents whose truth has the field, and predictions without a truth."""

    hits: int = 0
    scored: int = 0
    extra: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)

    @property
    def accuracy(self) -> float | None:
        return self.hits / self.scored if self.scored else None

    def to_json(self) -> dict[str, Any]:
        return {
            "accuracy": self.accuracy,
            "hits": self.hits,
            "scored": self.scored,
            "extra": self.extra,
            "misses": self.misses,
        }


def _best(found: Sequence[KeyField], names: Sequence[str]) -> KeyField | None:
    candidates = [item for item in found if item.name in names]
    return max(candidates, key=lambda item: item.confidence) if candidates else None


def _side(normaliser: Normaliser, item: KeyField) -> str | None:
    """The prediction normalised: its value, else its evidence text."""
    return normaliser(item.value) or normaliser(item.text)


def score_single(
    tallies: dict[str, FieldTally],
    spec: Mapping[str, tuple[tuple[str, ...], Normaliser]],
    truth: Mapping[str, Any],
    found: Sequence[KeyField],
    document: str,
) -> None:
    """Add one document's single-valued fields to `tallies`."""
    for name, (aliases, normaliser) in spec.items():
        tally = tallies.setdefault(name, FieldTally())
        raw = truth.get(name)
        value = raw[0] if isinstance(raw, list) and raw else raw
        predicted = _best(found, aliases)
        if not value:
            tally.extra += predicted is not None
            continue
        tally.scored += 1
        want = normaliser(str(value))
        got = None if predicted is None else _side(normaliser, predicted)
        if want is not None and got == want:
            tally.hits += 1
        else:
            shown = None if predicted is None else predicted.value
            tally.misses.append({"document": document, "truth": value, "predicted": shown})


def score_parties(
    tallies: dict[str, FieldTally], truth: Mapping[str, Any], found: Sequence[KeyField], doc: str
) -> None:
    """Add one NDA's parties: `party` (set equality) and `party_found` (each true party)."""
    exact = tallies.setdefault("party", FieldTally())
    each = tallies.setdefault("party_found", FieldTally())
    want = {normalise.party(str(value)) for value in truth.get("party") or []}
    got = {normalise.party(item.value) for item in found if item.name in PARTY_NAMES}
    if not want:
        exact.extra += bool(got)
        return
    exact.scored += 1
    exact.hits += got == want
    each.scored += len(want)
    each.hits += len(want & got)
    if got != want:
        exact.misses.append({"document": doc, "truth": sorted(want), "predicted": sorted(got)})
