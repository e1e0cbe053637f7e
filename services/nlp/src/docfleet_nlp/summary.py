"""What an `EntitiesResult` carries besides the blob: counts per label and a varied sample."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Final

from docfleet_contracts import Entity
from docfleet_contracts.models import ENTITY_SAMPLE_SIZE

PREFERRED_LABELS: Final = ("ORG", "MONEY", "PERSON", "DATE", "EMAIL")
"""Labels a reader looks for first; the sample takes from these before any other."""


def count_by_label(entities: Sequence[Entity]) -> dict[str, int]:
    """Entities per label, most frequent first."""
    return dict(Counter(e.label for e in entities).most_common())


def pick_sample(entities: Sequence[Entity], size: int = ENTITY_SAMPLE_SIZE) -> list[Entity]:
    """At most `size` distinct entities, taken round-robin across labels, in text order.

    Preferred labels come first, then the rest by frequency, so one label cannot crowd out the
    others; repeats of the same text under the same label are skipped.
    """
    queues: dict[str, list[Entity]] = {}
    seen: set[tuple[str, str]] = set()
    for entity in entities:
        key = (entity.label, " ".join(entity.text.split()).casefold())
        if key not in seen:
            seen.add(key)
            queues.setdefault(entity.label, []).append(entity)
    order = [label for label in PREFERRED_LABELS if label in queues] + [
        label
        for label, _ in Counter(e.label for e in entities).most_common()
        if label not in PREFERRED_LABELS
    ]
    picked: list[Entity] = []
    depth = 0
    while len(picked) < size and any(depth < len(queues[label]) for label in order):
        for label in order:
            if depth < len(queues[label]) and len(picked) < size:
                picked.append(queues[label][depth])
        depth += 1
    return sorted(picked, key=lambda e: e.start)
