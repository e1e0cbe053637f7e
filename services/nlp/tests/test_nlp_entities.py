from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest

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
    assert found["TOTAL", "$1,234.56"].source == "pattern"
    assert found["TOTAL", "$1,234.56"].page == 2
    assert found["DATE", "March 31, 2025"].page == 2
    assert found["PERSON", "John Smith"].page == 2
    assert all(TEXT[e.start : e.end] == e.text for e in entities)


def test_nlp_entities_do_not_overlap_and_come_in_text_order(extractor: EntityExtractor) -> None:
    entities = entities_of(extractor, TEXT, PAGE_STARTS)

    assert all(a.end <= b.start for a, b in pairwise(entities))
    # NER reads "1,234.56" as MONEY, the MONEY pattern "$1,234.56": only the TOTAL is kept.
    assert [e.text for e in entities if e.label in ("MONEY", "TOTAL")] == ["$1,234.56"]


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
    money = [e for e in entities if e.label == "TOTAL"]
    assert [e.page for e in money] == list(range(1, 31))
    assert len([e for e in entities if e.label == "EMAIL"]) == 30
    assert len([e for e in entities if (e.label, e.text) == ("ORG", "Acme Corporation")]) == 30


def test_nlp_entities_trim_whitespace_the_model_takes_in(extractor: EntityExtractor) -> None:
    entities = entities_of(extractor, "Acme Corporation\n123 Main Street\nSpringfield", [])

    assert entities
    assert all(e.text == e.text.strip() for e in entities)


def test_nlp_entities_carry_normalised_values(extractor: EntityExtractor) -> None:
    text = (
        "Invoice No: INV-2024-0012 from Acme Corporation, dated March 3, 2025.\n"
        "Tel: +44 20 7123 4567. IBAN GB82 WEST 1234 5698 7654 32, VAT GB 123 4567 89.\n"
        "Write to Billing@Acme.com. Due 22/12/2025.\nGrand Total: 1.234,56 EUR\n"
    )

    values = {(e.label, e.text): e.value for e in entities_of(extractor, text, [])}

    assert values["DOC_NUMBER", "INV-2024-0012"] == "INV-2024-0012"
    assert values["DATE", "March 3, 2025"] == "2025-03-03"
    assert values["DATE", "22/12/2025"] == "2025-12-22"
    assert values["PHONE", "+44 20 7123 4567"] == "+442071234567"
    assert values["IBAN", "GB82 WEST 1234 5698 7654 32"] == "GB82WEST12345698765432"
    assert values["VAT_ID", "GB 123 4567 89"] == "GB123456789"
    assert values["EMAIL", "Billing@Acme.com"] == "billing@acme.com"
    assert values["TOTAL", "1.234,56 EUR"] == "1234.56 EUR"
    assert values["ORG", "Acme Corporation"] is None


def test_nlp_entities_value_ner_dates_and_money_when_they_read(extractor: EntityExtractor) -> None:
    text = "The lease was signed on Monday, March 3, 2025 for five million dollars last week."

    values = {(e.label, e.text): e.value for e in entities_of(extractor, text, [])}

    assert values["DATE", "Monday, March 3, 2025"] == "2025-03-03"
    assert all(v is None for (label, _), v in values.items() if label not in ("DATE", "MONEY"))
    assert {v for (label, _), v in values.items() if label == "MONEY"} <= {None}


def test_nlp_entities_use_the_extractor_date_order_and_phone_region(nlp: Any) -> None:
    text = "Call us on Tel: 020 7123 4567 before 03/04/2025."
    us = EntityExtractor(nlp, day_first=False, default_region="GB")

    values = {e.label: e.value for e in us.to_entities(text, us.extract(text), [])}
    default = {e.label: e.value for e in to_entities(text, us.extract(text), [])}

    assert values["DATE"] == "2025-03-04" and values["PHONE"] == "+442071234567"
    assert default["DATE"] == "2025-04-03" and default["PHONE"] is None


FILLER = "the parcel went to the depot and waited there, "


def text_cut_inside(entity: str, cut_after: str, limit: int) -> str:
    """Filler words, `entity`, more filler: the first chunk of `limit` ends after `cut_after`.

    The filler has no line breaks or sentence ends, so the cut falls on the last space (or line
    break) before `limit`, and the entity is placed so that is the one right after `cut_after`.
    """
    start = limit - len(cut_after) - 2
    head = (FILLER * (limit // len(FILLER) + 1))[:start]
    head = head[: head.rindex(" ")].ljust(start)  # whole words, then spaces up to the entity
    return head + entity + " " + FILLER * 40


@pytest.mark.parametrize(
    ("entity", "cut_after", "label", "found"),
    [
        ("John Smith signed", "John ", "PERSON", "John Smith"),
        ("Acme Corporation signed", "Acme ", "ORG", "Acme Corporation"),
        ("on March 3, 2025", "on March ", "DATE", "March 3, 2025"),
        ("Total\n12.50\n", "Total\n", "TOTAL", "12.50"),
        ("Invoice No: INV-7", "Invoice No: ", "DOC_NUMBER", "INV-7"),
    ],
)
def test_nlp_entities_straddling_a_chunk_cut_are_found_once(
    nlp: Any, entity: str, cut_after: str, label: str, found: str
) -> None:
    small = EntityExtractor(nlp, chunk_chars=1_000)
    text = text_cut_inside(entity, cut_after, 1_000)
    first = text.index(entity)
    cut = small.chunks(text)[0][1]

    assert first < cut < first + len(entity)  # the cut really falls inside the entity
    spans = small.extract(text)

    assert [text[s.start : s.end] for s in spans if s.label == label] == [found]
    assert all(a.end <= b.start for a, b in pairwise(spans))


def test_nlp_entities_of_chunks_read_alone_add_up_to_the_whole(nlp: Any) -> None:
    small = EntityExtractor(nlp, chunk_chars=1_000)
    text = text_cut_inside("John Smith signed", "John ", 1_000)
    chunks = small.chunks(text)

    # As the activity does it: each chunk on its own, in any order.
    spans = [s for start, end in reversed(chunks) for s in small.extract_chunk(text, start, end)]

    assert sorted(spans) == small.extract(text)
    assert [text[s.start : s.end] for s in spans if s.label == "PERSON"] == ["John Smith"]
