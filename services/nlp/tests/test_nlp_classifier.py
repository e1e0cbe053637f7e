from __future__ import annotations

import pytest

from docfleet_nlp.classifier import LABELS, KeywordClassifier

INVOICE = """INVOICE
Acme Corporation, 12 Harbour Road, Leeds LS1 4AB
Invoice No: INV-2025-0042          Invoice Date: 3 March 2025
Bill To: Globex Ltd, 7 Mill Lane, York
Description                         Qty   Unit Price    Amount
Consulting services, February       10    £120.00       £1,200.00
Subtotal £1,200.00   VAT (20%) £240.00
Amount Due: £1,440.00      Due Date: 2 April 2025
Payment terms: 30 days. Bank details: IBAN GB29 NWBK 6016 1331 9268 19
"""

RECEIPT = """CORNER CAFE
45 High Street
RECEIPT #10023   14/02/2025 12:41   Cashier: Maria
2 x Latte           7.00
1 x Croissant       2.50
Subtotal            9.50
Total               9.50
Cash               20.00
Change             10.50
Thank you for shopping with us! Please come again.
"""

CONTRACT = """SERVICES AGREEMENT
This Services Agreement (the "Agreement") is made and entered into as of January 5, 2025
(the "Effective Date") by and between Acme Corporation ("Provider") and Globex Ltd ("Client").
WHEREAS, Client wishes to obtain certain services; NOW, THEREFORE, the parties hereby agree:
1. Term. The term of this Agreement shall be twelve months unless terminated earlier.
2. Confidentiality. Each party shall keep the other party's Confidential Information secret.
3. Governing Law. This Agreement shall be governed by the laws of England.
IN WITNESS WHEREOF, the parties hereto have executed this Agreement.
"""

LETTER = """12 Park Avenue
London, 4 March 2025

Dear Ms Jones,

I am writing to thank you for your help with the move of our office last month. Everyone
appreciated how smoothly it went, and we look forward to working with you again.

Yours sincerely,
Peter Brown
"""

PAPER = """Sparse Attention for Long Documents
A. Author, B. Writer — Department of Computer Science, Example University

Abstract — We study sparse attention for long documents and show that it matches dense
attention at a fraction of the cost.
1 Introduction
Transformers (Vaswani et al., 2017) scale quadratically with sequence length [3].
2 Related Work
Longformer (Beltagy et al., 2020) uses local windows.
5 Conclusion
We presented a simple method.
References
[1] I. Beltagy et al. Longformer. arXiv:2004.05150, 2020. doi:10.48550/arXiv.2004.05150
"""


@pytest.fixture(scope="module")
def classifier() -> KeywordClassifier:
    return KeywordClassifier()


@pytest.mark.parametrize(
    ("text", "label"),
    [
        (INVOICE, "invoice"),
        (RECEIPT, "receipt"),
        (CONTRACT, "contract"),
        (LETTER, "letter"),
        (PAPER, "scientific_paper"),
    ],
)
def test_nlp_classifier_labels_typical_documents(
    classifier: KeywordClassifier, text: str, label: str
) -> None:
    result = classifier.classify(text)

    assert result.label == label
    assert result.confidence >= 0.6
    assert result.confidence == result.scores[label] == max(result.scores.values())


@pytest.mark.parametrize(
    "text",
    ["", "   \n\f  ", "The quick brown fox jumps over the lazy dog near the river bank."],
)
def test_nlp_classifier_says_other_with_low_confidence_without_evidence(
    classifier: KeywordClassifier, text: str
) -> None:
    result = classifier.classify(text)

    assert result.label == "other"
    assert result.confidence < 0.5


def test_nlp_classifier_scores_every_label_and_sums_to_one(classifier: KeywordClassifier) -> None:
    scores = classifier.classify(INVOICE).scores

    assert set(scores) == set(LABELS)
    assert sum(scores.values()) == pytest.approx(1.0, abs=1e-3)
    assert all(0 <= value <= 1 for value in scores.values())


def test_nlp_classifier_reads_only_a_bounded_prefix() -> None:
    classifier = KeywordClassifier(max_chars=1_000)
    text = "lorem ipsum " * 200 + INVOICE * 50

    assert classifier.classify(text).label == "other"
    assert classifier.classify(INVOICE * 50 + "lorem ipsum " * 200).label == "invoice"


def test_nlp_classifier_matches_whole_words_only(classifier: KeywordClassifier) -> None:
    # "address" holds "dear" and "shallow" holds "shall": neither is a letter or contract cue.
    text = "Shallow water near the address, the addressee and the endear hotel."

    assert classifier.evidence(text)["letter"] == 0
    assert classifier.evidence(text)["contract"] == 0


def test_nlp_classifier_repeats_count_less_than_distinct_cues(
    classifier: KeywordClassifier,
) -> None:
    repeated = classifier.evidence("invoice " * 40)["invoice"]
    varied = classifier.evidence("invoice bill to amount due due date payment terms")["invoice"]

    assert varied > repeated
