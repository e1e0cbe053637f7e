from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from temporalio.testing import ActivityEnvironment

from docfleet_blobstore import FileBlobStore
from docfleet_contracts import ExtractInput, KeyField, naming
from docfleet_nlp.activities import NlpActivities
from docfleet_nlp.classifier import KeywordClassifier
from docfleet_nlp.entities import EntityExtractor
from docfleet_nlp.keyfields import find_key_fields
from docfleet_nlp.keyfields.contracts import kleister_form

RECEIPT = """\
TAN BROTHERS TRADING SDN BHD (123456-A)
No. 8, Jalan Mawar 3,
Taman Bunga Raya,
47100 Puchong, Selangor
Tel: 03-8070 1122
GST Reg No: 000123456789
TAX INVOICE
Receipt No: CS-00421
Date: 05/11/2017 18:42
Cashier: Ali
2 x MINERAL WATER 1.5L 2.40
1 x INSTANT NOODLE 5PK 6.50
Subtotal 8.90
GST 6% 0.53
Rounding Adj -0.03
Totai Incl. GST RM 9.40
Cash RM 20.00
Change RM 10.60
Total Qty: 3
Thank you, please come again
"""

INVOICE_PAGE_1 = """\
Northwind Analytics Ltd.
14 Kingsway Road
London WC2B 6XF
Phone +44 20 7946 0321

INVOICE
Invoice number: NA-2024-0193
Invoice date: 3 March 2024
Due date: 2 April 2024

Bill to:
Contoso Retail GmbH
Hauptstrasse 5, 10115 Berlin
"""

INVOICE_PAGE_2 = """\
Consulting, February 2024 1,500.00
Travel 240.50
Subtotal 1,740.50
VAT 20% 348.10
Amount due GBP 2,088.60
"""

NDA = """\
MUTUAL NON-DISCLOSURE AGREEMENT

This Mutual Non-Disclosure Agreement (the "Agreement") is entered into as of the 14th day of
September, 2021 (the "Effective Date") by and between Bluefin Robotics, Inc., a Delaware
corporation with offices at 200 Harbor Way, Portland, Maine ("Bluefin"), and Harrow & Vale
Partners LLC, a New York limited liability company ("Harrow").

1. Confidential Information. Each party may disclose Confidential Information to the other.
For a period of one (1) year after the Effective Date, neither party shall solicit the
employees of the other party.

7. Term. This Agreement shall remain in effect for three (3) years from the Effective Date,
unless terminated earlier by either party on thirty days' written notice.

9. Governing Law. This Agreement shall be governed by and construed in accordance with the
laws of the State of North Carolina, without regard to its conflict of laws principles.
"""


def fields_of(
    extractor: EntityExtractor, text: str, kind: str, starts: list[int]
) -> dict[str, list[KeyField]]:
    found: dict[str, list[KeyField]] = {}
    for field in find_key_fields(text, extractor.extract(text), kind, starts):
        found.setdefault(field.name, []).append(field)
    return found


def test_receipt_fields_come_from_its_layout(extractor: EntityExtractor) -> None:
    fields = fields_of(extractor, RECEIPT, "receipt", [0])

    assert fields["vendor"][0].value == "TAN BROTHERS TRADING SDN BHD"
    assert fields["vendor_address"][0].value == (
        "No. 8, Jalan Mawar 3, Taman Bunga Raya, 47100 Puchong, Selangor"
    )
    assert fields["date"][0].value == "2017-11-05"
    assert fields["date"][0].text == "05/11/2017"
    total = fields["total"][0]
    assert total.value == "9.40 MYR"
    assert total.text == "Totai Incl. GST RM 9.40"
    assert RECEIPT[total.start : total.end] == total.text and total.page == 1
    assert fields["number"][0].value == "CS-00421"


def test_receipt_total_prefers_the_strongest_and_largest_total_line() -> None:
    text = (
        "CORNER CAFE\nTotal Amount : 40.00\nService 10% 4.00\nTotal Amount: 44.00\n"
        "TOTAL 44.00\nTax total 2.40\nSub-total 40.00\n"
    )

    fields = {f.name: f for f in find_key_fields(text, [], "receipt", [0])}

    assert fields["total"].value == "44.00"
    assert fields["total"].text == "TOTAL 44.00"  # equal amounts: the last line


def test_invoice_fields_use_the_issue_date_and_amount_due_on_their_pages(
    extractor: EntityExtractor,
) -> None:
    text = INVOICE_PAGE_1 + "\f" + INVOICE_PAGE_2
    fields = fields_of(extractor, text, "invoice", [0, len(INVOICE_PAGE_1) + 1])

    assert fields["vendor"][0].value == "Northwind Analytics Ltd."
    assert fields["vendor_address"][0].value == "14 Kingsway Road London WC2B 6XF"
    assert fields["date"][0].value == "2024-03-03"
    assert fields["number"][0].value == "NA-2024-0193"
    total = fields["total"][0]
    assert (total.value, total.page) == ("2088.60 GBP", 2)
    assert "Contoso" not in fields["vendor"][0].value


def test_contract_fields_from_preamble_term_and_governing_law(extractor: EntityExtractor) -> None:
    fields = fields_of(extractor, NDA, "contract", [0])

    assert [p.value for p in fields["party"]] == [
        "Bluefin Robotics, Inc.",
        "Harrow & Vale Partners LLC",
    ]
    assert fields["effective_date"][0].value == "2021-09-14"
    assert fields["jurisdiction"][0].value == "North Carolina"
    assert fields["term"][0].value == "3 years"
    assert fields["term"][0].text == "three (3) years"
    for field in (f for found in fields.values() for f in found):
        assert NDA[field.start : field.end] == field.text


def test_kleister_form_writes_values_as_the_dataset_does() -> None:
    assert kleister_form("party", "Harrow & Vale Partners, LLC") == "Harrow_and_Vale_Partners_LLC"
    assert kleister_form("jurisdiction", "North Carolina") == "North_Carolina"
    assert kleister_form("term", "1 year") == "1_year"
    assert kleister_form("effective_date", "2021-09-14") == "2021-09-14"


def test_letter_agreement_names_its_addressee_and_ends_on_a_date() -> None:
    text = (
        "June 1, 2019\n\nOrchard Capital LLC\n55 Elm Street\nBoston, MA 02110\n\nDear Sirs:\n\n"
        "In connection with a possible transaction between Meridian Foods, Inc., a Delaware "
        'corporation (the "Company"), and you, you agree as follows. This letter agreement is '
        "effective as of June 1, 2019. This Agreement shall expire on December 31, 2019.\n"
    )

    fields = {f.name: f.value for f in find_key_fields(text, [], "contract", [0])}
    parties = [f.value for f in find_key_fields(text, [], "contract", [0]) if f.name == "party"]

    assert parties == ["Meridian Foods, Inc.", "Orchard Capital LLC"]
    assert fields["effective_date"] == "2019-06-01"
    assert fields["term"] == "6 months"
    assert "jurisdiction" not in fields


def test_obligation_periods_are_not_the_agreement_term() -> None:
    text = (
        'This Agreement is made as of May 2, 2010 between Alpha Corp. ("Alpha") and Beta Ltd. '
        '("Beta"). For a period of two (2) years following the date hereof, Beta shall not '
        "solicit any employee of Alpha.\n"
    )

    names = {f.name for f in find_key_fields(text, [], "contract", [0])}

    assert names == {"party", "effective_date"}


@pytest.mark.parametrize("kind", ["other", "letter", None])
def test_types_without_key_fields_get_none(kind: str | None) -> None:
    assert find_key_fields(RECEIPT, [], kind, [0]) == []


@pytest.mark.parametrize(("kind", "expected"), [("receipt", True), ("other", False)])
async def test_extract_activity_returns_key_fields_for_the_document_type(
    tmp_path: Path, extractor: EntityExtractor, kind: str, expected: bool
) -> None:
    store = FileBlobStore(tmp_path)
    ref = await store.put_text(naming.full_text_key("b1", "d1"), RECEIPT)
    request = ExtractInput(batch_id="b1", document_id="d1", text=ref, document_type=kind)
    with ThreadPoolExecutor(1) as pool:
        acts = NlpActivities(store, KeywordClassifier(), extractor, pool)
        result = await ActivityEnvironment().run(acts.extract_entities, request)

    names = {f.name for f in result.key_fields}
    assert names == ({"vendor", "vendor_address", "date", "total", "number"} if expected else set())
