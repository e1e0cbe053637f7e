import pytest

from docfleet_contracts import KeyField
from quality import fields, normalise


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("22/12/2017", "2017-12-22"),
        ("19-03-18", "2018-03-19"),
        ("11 APR 2018", "2018-04-11"),
        ("01-NOV-2017", "2017-11-01"),
        ("DATE: 10/03/2018 5:41:06 PM", "2018-03-10"),
        ("March 3, 2005", "2005-03-03"),
        ("3rd day of March, 2005", "2005-03-03"),
        ("2024-03-19", "2024-03-19"),
        ("31/02/2018", None),
        ("no date here", None),
    ],
)
def test_iso_date(text: str, iso: str | None) -> None:
    assert normalise.iso_date(text) == iso


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("15.90", "15.90"),
        ("RM4.00", "4.00"),
        ("$8.20", "8.20"),
        ("1234.50 EUR", "1234.50"),
        ("RM 1,234.5", "1234.50"),
        ("1.234,56 €", "1234.56"),
        ("no amount", None),
    ],
)
def test_amount(text: str, value: str | None) -> None:
    assert normalise.amount(text) == value


def test_company_and_address_ignore_spacing_and_punctuation() -> None:
    truth = "NO.113G & 115G, JALAN SETIA GEMBILANG UTARA 1"
    read = "No. 113G & 115G Jalan Setia Gembilang Utara 1."
    assert normalise.alnum(truth) == normalise.alnum(read)


def test_kleister_values_terms_and_parties() -> None:
    assert normalise.kleister("New York") == normalise.kleister("New_York") == "new_york"
    assert normalise.party("Vocus, Inc.") == normalise.party("Vocus_Inc.")
    assert normalise.party("Smith & Sons") == normalise.party("Smith_and_Sons")
    assert normalise.term("two (2) years") == normalise.term("2_years") == "2_years"
    assert normalise.term("7 months") == "7_months"
    assert normalise.term("1 year") == normalise.term("1_year")
    assert normalise.term("forever") is None


def key(name: str, value: str, confidence: float = 0.5) -> KeyField:
    return KeyField(
        name=name, value=value, text=value, page=1, start=0, end=1, confidence=confidence
    )


def test_receipt_fields_score_normalised_values_and_count_misses() -> None:
    tallies: dict[str, fields.FieldTally] = {}
    truth = {"company": "ACME SDN BHD", "date": "22/12/2017", "address": "1 JALAN", "total": "RM9"}
    found = [
        key("vendor", "Acme Sdn. Bhd."),
        key("date", "2017-12-21", 0.2),
        key("date", "2017-12-22", 0.9),
        key("total", "9.00 MYR"),
    ]
    fields.score_single(tallies, fields.RECEIPT, truth, found, "r1")
    assert {name: t.hits for name, t in tallies.items()} == {
        "company": 1,
        "date": 1,
        "address": 0,
        "total": 1,
    }
    assert tallies["address"].misses == [{"document": "r1", "truth": "1 JALAN", "predicted": None}]


def test_parties_hit_only_when_the_sets_match_and_absent_truth_is_not_scored() -> None:
    tallies: dict[str, fields.FieldTally] = {}
    truth = {"party": ["Vocus_Inc.", "Gtcr_LLC"], "jurisdiction": ["Delaware"]}
    fields.score_parties(tallies, truth, [key("party", "Vocus, Inc.")], "n1")
    fields.score_single(tallies, fields.CONTRACT, truth, [key("term", "2 years")], "n1")
    assert (tallies["party"].hits, tallies["party"].scored) == (0, 1)
    assert (tallies["party_found"].hits, tallies["party_found"].scored) == (1, 2)
    assert (tallies["term"].scored, tallies["term"].extra) == (0, 1)
    assert (tallies["jurisdiction"].hits, tallies["jurisdiction"].scored) == (0, 1)
    found = [key("party", "GTCR LLC"), key("party", "Vocus Inc")]
    fields.score_parties(tallies, truth, found, "n2")
    assert (tallies["party"].hits, tallies["party"].accuracy) == (1, 0.5)
