"""The trained document-type classifier: embedding, keyword and layout features into a softmax.

A document becomes one feature vector: its keyword evidence per label (`KeywordClassifier`), the
similarity of its opening's MiniLM embedding to each label's prototypes, and bounded layout
features (`features.py`). A multinomial logistic regression, trained by
`services/nlp/training/train_classifier.py` on the corpus that script generates, turns it into
probabilities, tempered by a temperature fitted on held-out data so confidences are calibrated.
When no label reaches `other_threshold` the answer is "other".
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from docfleet_contracts import Classification
from docfleet_nlp.classifier import KeywordClassifier
from docfleet_nlp.embedder import MAX_TOKENS, Matrix, MiniLmEncoder
from docfleet_nlp.features import FEATURE_NAMES, OPENING_CHARS, layout_features, squash_evidence
from docfleet_nlp.keywords import FALLBACK_LABEL, LABELS

log = logging.getLogger(__name__)

WEIGHTS_PATH = Path(__file__).with_name("data") / "classifier.json"
"""Weights written by the training script, shipped inside the package."""

Vector = NDArray[np.float64]
CLIP = 3.0
"""Standardised inputs are clipped to +-CLIP."""


def feature_names() -> list[str]:
    """Names of the model's inputs, in order."""
    keyword = [f"kw_{label}" for label in LABELS if label != FALLBACK_LABEL]
    embedding = [f"emb_{label}" for label in LABELS]
    return [*keyword, *embedding, *(f"layout_{name}" for name in FEATURE_NAMES)]


class DocumentFeatures:
    """Turns a text into the model's raw inputs; shared by training and inference."""

    def __init__(self, encoder: MiniLmEncoder, keywords: KeywordClassifier) -> None:
        self.encoder = encoder
        self.keywords = keywords

    def embed(self, texts: Sequence[str]) -> Matrix:
        """Unit embeddings of each text's opening (its first 254 word pieces)."""
        windows = [
            self.encoder.word_pieces(text[:OPENING_CHARS])[: MAX_TOKENS - 2] for text in texts
        ]
        return self.encoder.encode_ids(windows)

    def evidence(self, text: str) -> list[float]:
        """Squashed keyword evidence, one value per label except "other"."""
        found = self.keywords.evidence(text)
        return [squash_evidence(found[label]) for label in LABELS if label != FALLBACK_LABEL]


def prototype_similarity(
    embeddings: Matrix, prototypes: Matrix, owners: Sequence[str]
) -> NDArray[np.float64]:
    """Per text and label, the best cosine similarity to one of that label's prototypes."""
    sims = embeddings.astype(np.float64) @ prototypes.astype(np.float64).T
    result = np.full((len(embeddings), len(LABELS)), -1.0)
    owner_index = np.array([LABELS.index(owner) for owner in owners])
    for column in range(len(LABELS)):
        mine = owner_index == column
        if mine.any():
            result[:, column] = sims[:, mine].max(axis=1)
    return result


def softmax(logits: NDArray[np.float64]) -> NDArray[np.float64]:
    """Row-wise softmax, stable for large logits."""
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    result: NDArray[np.float64] = shifted / shifted.sum(axis=-1, keepdims=True)
    return result


@dataclass(frozen=True)
class ModelWeights:
    """Everything `ModelClassifier` needs, as written to `classifier.json`."""

    labels: list[str]
    features: list[str]
    mean: Vector
    scale: Vector
    coef: NDArray[np.float64]
    intercept: Vector
    temperature: float
    other_threshold: float
    prototypes: Matrix
    prototype_labels: list[str]
    meta: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (floats rounded: the file stays small and diffs stay readable)."""

        def rounded(array: NDArray[Any], digits: int = 6) -> Any:
            return np.round(array.astype(np.float64), digits).tolist()

        return {
            "labels": self.labels,
            "features": self.features,
            "mean": rounded(self.mean),
            "scale": rounded(self.scale),
            "coef": rounded(self.coef),
            "intercept": rounded(self.intercept),
            "temperature": round(self.temperature, 6),
            "other_threshold": self.other_threshold,
            "prototypes": rounded(self.prototypes, 5),
            "prototype_labels": self.prototype_labels,
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ModelWeights:
        """The inverse of `to_json`."""
        return cls(
            labels=list(data["labels"]),
            features=list(data["features"]),
            mean=np.array(data["mean"], dtype=np.float64),
            scale=np.array(data["scale"], dtype=np.float64),
            coef=np.array(data["coef"], dtype=np.float64),
            intercept=np.array(data["intercept"], dtype=np.float64),
            temperature=float(data["temperature"]),
            other_threshold=float(data["other_threshold"]),
            prototypes=np.array(data["prototypes"], dtype=np.float32),
            prototype_labels=list(data["prototype_labels"]),
            meta=dict(data.get("meta", {})),
        )

    def standardise(self, inputs: NDArray[np.float64]) -> NDArray[np.float64]:
        """Inputs in standard units, clipped: a value far outside the training range (a
        1000-page document, an odd layout) weighs no more than one at the edge of it."""
        return np.clip((inputs - self.mean) / self.scale, -CLIP, CLIP)

    def probabilities(self, inputs: NDArray[np.float64]) -> NDArray[np.float64]:
        """Calibrated probabilities, one row per input row (columns follow `labels`)."""
        logits = self.standardise(inputs) @ self.coef + self.intercept
        return softmax(logits / self.temperature)


class ModelClassifier:
    """The trained classifier behind the `Classifier` protocol; load it once per process."""

    def __init__(
        self,
        weights: ModelWeights,
        features: DocumentFeatures,
        *,
        other_threshold: float | None = None,
    ) -> None:
        if weights.features != feature_names() or weights.labels != list(LABELS):
            raise ValueError("classifier weights do not match this code's features or labels")
        self.weights = weights
        self.features = features
        self.other_threshold = (
            weights.other_threshold if other_threshold is None else other_threshold
        )

    def inputs(self, texts: Sequence[str]) -> NDArray[np.float64]:
        """Raw feature rows of `texts` (before standardisation)."""
        texts = [text[: self.features.keywords.max_chars] for text in texts]
        sims = prototype_similarity(
            self.features.embed(texts), self.weights.prototypes, self.weights.prototype_labels
        )
        rows = [
            [*self.features.evidence(text), *sim, *layout_features(text)]
            for text, sim in zip(texts, sims, strict=True)
        ]
        return np.array(rows, dtype=np.float64)

    def classify(self, text: str) -> Classification:
        probabilities = self.weights.probabilities(self.inputs([text]))[0]
        scores = {label: round(float(p), 4) for label, p in zip(LABELS, probabilities, strict=True)}
        best = max(scores, key=lambda label: scores[label])
        label = best if scores[best] >= self.other_threshold else FALLBACK_LABEL
        return Classification(label=label, confidence=min(1.0, scores[label]), scores=scores)


def load_weights(path: Path = WEIGHTS_PATH) -> ModelWeights:
    """The weights file the training script wrote."""
    return ModelWeights.from_json(json.loads(path.read_text()))


@functools.cache
def shared_encoder() -> MiniLmEncoder:
    """The process's one MiniLM encoder (about 90 MB of weights), loaded on first use.

    Loading it also caps numpy's BLAS at one thread, process-wide: on shared cores one thread per
    worker process is several times faster than threads competing for them.
    """
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    threadpool_limits(limits=1, user_api="blas")
    return MiniLmEncoder()


@functools.cache
def load_model_classifier(
    path: Path = WEIGHTS_PATH,
    *,
    max_chars: int = 100_000,
    other_threshold: float | None = None,
) -> ModelClassifier:
    """The trained classifier, built once per process and argument set on `shared_encoder`."""
    features = DocumentFeatures(shared_encoder(), KeywordClassifier(max_chars=max_chars))
    log.info("document classifier loaded from %s", path)
    return ModelClassifier(load_weights(path), features, other_threshold=other_threshold)
