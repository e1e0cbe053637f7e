from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from docfleet_nlp import embedder, model
from docfleet_nlp.classifier import KeywordClassifier
from docfleet_nlp.keywords import LABELS
from docfleet_nlp.model import ModelClassifier, load_model_classifier, load_weights
from docfleet_nlp.settings import NlpSettings
from docfleet_nlp.worker import build_classifier

# Written for these tests in wording the training templates do not use.
DOCUMENTS = {
    "receipt": """MAYFAIR MINI MARKET
No 12, Jalan Pasar, 41000 Klang
GST REG: 000123456789
Tax Invoice      No: 88213
28/03/2018  19:02    Till 2
MAGGI CURRY 5S        1 x 4.99     4.99
GARDENIA WHITE        1 x 3.10     3.10
F&N ORANGE 1.5L       2 x 3.50     7.00
TOTAL (INCL GST)                  15.09
CASH                              20.00
CHANGE                             4.91
THANK YOU. PLEASE COME AGAIN
""",
    "invoice": """Brightside Web Studio
4 Canal Wharf, Bristol BS1 6PP
INVOICE
Invoice number: BWS-1187    Issued: 12 May 2025    Due: 11 June 2025
Bill to: Harper & Lane Solicitors, 90 Queen Square, Bristol
Website redesign (fixed price)                    £3,800.00
Hosting, 12 months                                  £240.00
Subtotal £4,040.00   VAT 20% £808.00   Total due £4,848.00
Please pay by bank transfer to sort code 20-00-00, account 12345678, quoting the invoice number.
""",
    "contract": """CONSULTING AGREEMENT
This Consulting Agreement is entered into as of March 1, 2024 between Nimbus Data Inc., a
Delaware corporation ("Client"), and Jordan Ellis ("Consultant").
1. Services. Consultant shall provide the data engineering services described in Exhibit A.
2. Fees. Client shall pay Consultant $150 per hour, invoiced monthly.
3. Confidentiality. Consultant shall not disclose any Confidential Information of Client.
4. Term and Termination. This Agreement shall remain in effect for six months and may be
terminated by either party on fifteen days' written notice.
5. Governing Law. This Agreement is governed by the laws of the State of New York.
IN WITNESS WHEREOF the parties have signed this Agreement on the date first above written.
""",
    "scientific_paper": """Learning to Rank Scanned Pages by Legibility
Maria Okafor, Daniel Berg
Faculty of Informatics, University of Tartu
Abstract. We present a lightweight model that predicts how legible a scanned page is before
it is sent to OCR. On 12,000 annotated pages it ranks pages with a Spearman correlation of 0.81.
Keywords: document analysis, OCR, image quality
1. Introduction
Optical character recognition degrades on blurred scans [4, 7]. Prior work (Smith et al., 2019)
estimates quality from character confidences after recognition.
2. Method
References
[1] R. Smith et al. An overview of the Tesseract OCR engine. ICDAR, 2007.
""",
    "form": """Form HR-12 (Rev. 2023)
APPLICATION FOR ANNUAL LEAVE
Please complete in block letters and return to Human Resources.
Employee name: ______________________   Staff number: __________
Department: ______________________
First day of leave (DD/MM/YYYY): ___/___/______   Last day: ___/___/______
Type of leave:  [ ] Annual  [ ] Unpaid  [ ] Compassionate
Employee signature: ____________________  Date: __________
For HR use only:  Approved [ ]  Declined [ ]
""",
    "report": """Quarterly Operations Report - Q3 2024
Prepared by the Operations Directorate for the Board
Executive summary
Throughput rose 12% on the previous quarter while unit costs fell 4%. Two incidents were
recorded, neither with lasting impact. This report sets out the findings and recommendations.
Key figures
Region      Q3 2024   Q2 2024   Change
North        4,120     3,700     +11%
South        3,980     3,510     +13%
Findings
Delays in the South depot were caused by staff shortages in July.
Recommendations
We recommend recruiting two additional shift supervisors before the winter peak.
""",
    "letter": """14 Rowan Close
Cambridge CB4 2AX

9 October 2025

Mr T. Haddad
Greenfield Lettings
2 Market Street, Cambridge

Dear Mr Haddad,

Thank you for your letter of 2 October about the renewal of my tenancy. I am happy to renew
for a further twelve months on the terms you describe, and I enclose the signed form.

Please let me know if you need anything else from me.

Yours sincerely,
Amelia Clarke
""",
    "statement": """Northbridge Bank
Current Account Statement
Mr Samuel Ortiz, 18 Linden Road, Leeds LS6 1AA
Account number 40-11-22 71234567      Statement period 1 Aug 2025 to 31 Aug 2025
Opening balance                                    £2,310.45
01 Aug  Card payment  SAINSBURYS             54.20              2,256.25
03 Aug  Direct debit  COUNCIL TAX           132.00              2,124.25
15 Aug  Credit        SALARY ACME LTD                 2,450.00  4,574.25
22 Aug  Cash withdrawal                     100.00              4,474.25
Closing balance                                    £4,474.25
""",
    "presentation": """Customer Onboarding Revamp
Presented by Priya Nair, Product Team
\f
Agenda
• Where we are today
• What customers told us
• Proposed changes
• Timeline
\f
Proposed changes
• Single sign-up page
• Guided first project
\f
Questions?
""",
    "other": """The Atlantic puffin is a seabird of the auk family. It breeds on the coasts of
Iceland, Norway, the Faroe Islands and Britain, and spends the winter far out at sea. Puffins
dive to catch small fish such as sand eels, and can carry a dozen of them crosswise in the bill. The
species is listed as vulnerable because numbers in several large colonies have fallen sharply
since the 1990s, probably because warmer seas have reduced the supply of food for the chicks.
""",
}


@pytest.fixture(scope="module")
def classifier() -> ModelClassifier:
    return load_model_classifier()


@pytest.mark.parametrize("label", sorted(DOCUMENTS))
def test_nlp_model_labels_documents_of_every_type(classifier: ModelClassifier, label: str) -> None:
    result = classifier.classify(DOCUMENTS[label])

    assert result.label == label, result.scores
    assert result.confidence == result.scores[label] == max(result.scores.values())
    assert result.confidence >= 0.5


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\f  ",
        "qzx vbn lkj 88 mnbv poiu 3.2 wer tyuio asdf ghjk",
        "Monday Tuesday blue green seven eleven",
    ],
)
def test_nlp_model_says_other_on_gibberish(classifier: ModelClassifier, text: str) -> None:
    result = classifier.classify(text)

    assert result.label == "other"
    assert max(p for label, p in result.scores.items() if label != "other") < 0.5


def test_nlp_model_is_less_sure_of_a_mixed_document_and_then_abstains(
    classifier: ModelClassifier,
) -> None:
    invoice, letter = DOCUMENTS["invoice"], DOCUMENTS["letter"]
    mixed = invoice[: len(invoice) // 2] + "\n" + letter[len(letter) // 2 :]

    result = classifier.classify(mixed)
    top = max(result.scores.values())
    assert top < classifier.classify(invoice).confidence
    assert top < classifier.classify(letter).confidence

    cautious = ModelClassifier(classifier.weights, classifier.features, other_threshold=top + 0.01)
    abstained = cautious.classify(mixed)
    assert abstained.label == "other"
    assert abstained.confidence == abstained.scores["other"]
    assert abstained.scores == result.scores


def test_nlp_model_scores_every_label_and_sums_to_one(classifier: ModelClassifier) -> None:
    for text in (DOCUMENTS["receipt"], DOCUMENTS["other"], ""):
        scores = classifier.classify(text).scores

        assert list(scores) == list(LABELS)
        assert sum(scores.values()) == pytest.approx(1.0, abs=2e-3)
        assert all(0 <= value <= 1 for value in scores.values())


def test_nlp_model_loads_once_per_process(
    classifier: ModelClassifier, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_reload(*args: object, **kwargs: object) -> None:
        raise AssertionError("the model was loaded again")

    monkeypatch.setattr(embedder.MiniLmEncoder, "__init__", no_reload)
    monkeypatch.setattr(model, "load_weights", no_reload)

    assert load_model_classifier() is classifier
    started = time.perf_counter()
    classifier.classify(DOCUMENTS["letter"])
    assert time.perf_counter() - started < 5


def test_nlp_worker_builds_the_configured_classifier_on_the_shared_encoder(
    classifier: ModelClassifier, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_reload(*args: object, **kwargs: object) -> None:
        raise AssertionError("the encoder was loaded again")

    monkeypatch.setattr(embedder.MiniLmEncoder, "__init__", no_reload)
    settings = NlpSettings(nlp_classify_chars=5_000, nlp_other_threshold=0.7)

    built = build_classifier(settings)

    assert isinstance(built, ModelClassifier)
    assert built.features.encoder is classifier.features.encoder
    assert built.other_threshold == 0.7
    assert built.features.keywords.max_chars == 5_000
    keywords = build_classifier(NlpSettings(nlp_classifier="keywords"))
    assert isinstance(keywords, KeywordClassifier)


def test_nlp_model_reads_only_a_bounded_prefix(classifier: ModelClassifier) -> None:
    long_text = DOCUMENTS["contract"] + "lorem ipsum dolor " * 200_000

    assert classifier.classify(long_text).label == "contract"


def test_nlp_model_weights_ship_with_the_package_and_record_their_training() -> None:
    weights = load_weights()
    meta = weights.meta

    assert weights.labels == list(LABELS)
    assert meta["corpus"] == "services/nlp/training/corpus.py"
    assert meta["heldout_accuracy"] >= 0.9
    assert meta["heldout_ece"] <= 0.05
    assert 0 < weights.temperature < 10
    assert model.WEIGHTS_PATH.stat().st_size < 1_000_000


def test_nlp_model_refuses_weights_for_other_features(
    classifier: ModelClassifier, tmp_path: Path
) -> None:
    data = json.loads(model.WEIGHTS_PATH.read_text())
    data["features"] = data["features"][:-1]

    with pytest.raises(ValueError, match="features"):
        ModelClassifier(model.ModelWeights.from_json(data), classifier.features)
