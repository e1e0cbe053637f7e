from __future__ import annotations

from itertools import pairwise
from typing import Any

from docfleet_contracts import Entity
from docfleet_nlp.entities import EntityExtractor, to_entities

PAGE_1 = (
    "INVOICE\n\n"
    "Invoice from Acme Corporation, 42 Harbour Road, Boston.\n"
    "Billed to Globex Inc. on 2025-03-03. Questions go to billing@acme.com.\n"
)
PAGE_2 = (
    "Amount due: $1,234.56, payable by March 31, 2025.\n"
    "Our contact, John Smith, will call you next week.\n"
)
TEXT = PAGE_1 + "\f" + PAGE_2
PAGE_STARTS = [0, len(PAGE_1) + 1]


def entities_of(extractor: EntityExtractor, text: str, page_starts: list[int]) -> list[Entity]:
    return to_entities(text, extractor.extract(text), page_starts)


def test_nlp_entities_of_an_invoice(extractor: EntityExtractor) -> None:
    entities = entities_of(extractor, TEXT, PAGE_STARTS)
    found = {(e.label, e.text): e for e in entities}

    assert found["ORG", "Acme Corporation"].source == "ner"
    assert found["ORG", "Acme Corporation"].page == 1
    assert found["EMAIL", "billing@acme.com"].source == "pattern"
    assert found["DATE", "2025-03-03"].page == 1
    assert found["MONEY", "$1,234.56"].source == "pattern"
    assert found["MONEY", "$1,234.56"].page == 2
    assert found["DATE", "March 31, 2025"].page == 2
    assert found["PERSON", "John Smith"].page == 2
    assert all(TEXT[e.start : e.end] == e.text for e in entities)


def test_nlp_entities_do_not_overlap_and_come_in_text_order(extractor: EntityExtractor) -> None:
    entities = entities_of(extractor, TEXT, PAGE_STARTS)

    assert all(a.end <= b.start for a, b in pairwise(entities))
    # NER reads "1,234.56" as MONEY too; only the pattern's longer "$1,234.56" is kept.
    assert [e.text for e in entities if e.label == "MONEY"] == ["$1,234.56"]


def test_nlp_entities_leave_out_noisy_labels(extractor: EntityExtractor) -> None:
    labels = {e.label for e in entities_of(extractor, "We shipped 42 boxes, the third today.", [])}

    assert not labels & {"CARDINAL", "ORDINAL"}


def test_nlp_entities_of_a_long_text_keep_offsets_across_chunks(nlp: Any) -> None:
    small = EntityExtractor(nlp, chunk_chars=500)
    pages = [f"Page {n}.\n\n{PAGE_1}\n{PAGE_2}" for n in range(1, 31)]
    text = "\f".join(pages)
    page_starts = [sum(len(p) + 1 for p in pages[:i]) for i in range(len(pages))]

    assert len(small.chunks(text)) > 10
    entities = entities_of(small, text, page_starts)

    assert all(text[e.start : e.end] == e.text for e in entities)
    money = [e for e in entities if e.label == "MONEY"]
    assert [e.page for e in money] == list(range(1, 31))
    assert len([e for e in entities if e.label == "EMAIL"]) == 30
    assert len([e for e in entities if (e.label, e.text) == ("ORG", "Acme Corporation")]) == 30


def test_nlp_entities_trim_whitespace_the_model_takes_in(extractor: EntityExtractor) -> None:
    entities = entities_of(extractor, "Acme Corporation\n123 Main Street\nSpringfield", [])

    assert entities
    assert all(e.text == e.text.strip() for e in entities)
