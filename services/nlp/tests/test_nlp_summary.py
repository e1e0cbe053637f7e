from __future__ import annotations

from docfleet_contracts import Entity
from docfleet_contracts.models import ENTITY_SAMPLE_SIZE
from docfleet_nlp.summary import count_by_label, pick_sample


def entity(label: str, text: str, start: int) -> Entity:
    return Entity(label=label, text=text, page=1, start=start, end=start + len(text))


def test_nlp_sample_is_capped_and_diverse() -> None:
    entities = [entity("GPE", f"City {i}", i * 10) for i in range(100)]
    entities += [
        entity("ORG", "Acme", 2_000),
        entity("MONEY", "$5", 2_010),
        entity("PERSON", "Ann Lee", 2_020),
        entity("DATE", "2025-01-01", 2_030),
        entity("EMAIL", "a@b.co", 2_040),
    ]

    sample = pick_sample(entities)

    assert len(sample) == ENTITY_SAMPLE_SIZE
    assert {"ORG", "MONEY", "PERSON", "DATE", "EMAIL", "GPE"} == {e.label for e in sample}
    assert [e.start for e in sample] == sorted(e.start for e in sample)


def test_nlp_sample_prefers_the_main_labels_when_short_of_room() -> None:
    entities = [
        entity("GPE", "Leeds", 0),
        entity("NORP", "British", 10),
        entity("EMAIL", "a@b.co", 20),
        entity("ORG", "Acme", 30),
    ]

    assert [e.label for e in pick_sample(entities, size=2)] == ["EMAIL", "ORG"]


def test_nlp_sample_skips_repeats_of_the_same_entity() -> None:
    entities = [entity("ORG", "Acme", i * 10) for i in range(5)] + [entity("ORG", "ACME ", 60)]

    assert len(pick_sample(entities)) == 1


def test_nlp_counts_by_label() -> None:
    entities = [entity("ORG", "Acme", 0), entity("ORG", "Globex", 10), entity("DATE", "May", 20)]

    assert count_by_label(entities) == {"ORG": 2, "DATE": 1}
    assert pick_sample([]) == []
