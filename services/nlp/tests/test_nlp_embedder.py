from __future__ import annotations

import numpy as np
import pytest

from docfleet_nlp.embedder import MAX_TOKENS, MiniLmEncoder
from docfleet_nlp.model import shared_encoder


@pytest.fixture(scope="module")
def encoder() -> MiniLmEncoder:
    # The classifier's own encoder: loaded once per process, as in the worker.
    return shared_encoder()


def test_nlp_embedder_gives_unit_vectors_of_384_dimensions(encoder: MiniLmEncoder) -> None:
    vectors = encoder.encode(["Invoice number 42", "", "a" * 5_000])

    assert vectors.shape == (3, 384)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_nlp_embedder_matches_the_published_similarities_of_all_minilm_l6_v2(
    encoder: MiniLmEncoder,
) -> None:
    # sentence-transformers' quickstart prints these cosine similarities for this model:
    # 0.6660 (weather / sunny), 0.1046 (weather / stadium), 0.1411 (sunny / stadium).
    a, b, c = encoder.encode(
        ["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."]
    )

    assert float(a @ b) == pytest.approx(0.6660, abs=2e-3)
    assert float(a @ c) == pytest.approx(0.1046, abs=2e-3)
    assert float(b @ c) == pytest.approx(0.1411, abs=2e-3)


def test_nlp_embedder_puts_similar_documents_closer(encoder: MiniLmEncoder) -> None:
    invoice, bill, poem = encoder.encode(
        [
            "Invoice no. 1042. Amount due: $1,200. Payment terms: net 30 days.",
            "Please pay the attached bill of $950 within thirty days. Invoice 77.",
            "The river keeps its quiet song beneath a sky of silver grey.",
        ]
    )

    assert float(invoice @ bill) > float(invoice @ poem) + 0.2


def test_nlp_embedder_is_deterministic_and_batch_independent(encoder: MiniLmEncoder) -> None:
    texts = ["Dear Ms Jones, thank you for your letter.", "Total RM 12.50 cash 20.00 change 7.50"]

    alone = np.stack([encoder.encode([text])[0] for text in texts])
    together = encoder.encode(texts)

    assert np.allclose(alone, together, atol=1e-5)
    assert np.array_equal(encoder.encode(texts), together)


def test_nlp_embedder_refuses_a_window_longer_than_the_model_reads(
    encoder: MiniLmEncoder,
) -> None:
    with pytest.raises(ValueError, match="254"):
        encoder.encode_ids([[1000] * (MAX_TOKENS - 1)])
    assert encoder.encode_ids([]).shape == (0, 384)
