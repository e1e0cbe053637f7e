from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from docfleet_nlp.keywords import LABELS
from docfleet_nlp.model import ModelClassifier, load_model_classifier, load_weights

TRAINING = Path(__file__).resolve().parents[1] / "training"


@pytest.fixture(scope="module")
def training() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "train_classifier", TRAINING / "train_classifier.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def classifier() -> ModelClassifier:
    return load_model_classifier()


def test_nlp_training_corpus_is_reproducible_and_covers_every_label(training: ModuleType) -> None:
    first = training.generate(3, 5)

    assert first == training.generate(3, 5)
    assert first != training.generate(3, 6)
    assert [e.label for e in first] == [label for label in LABELS for _ in range(3)]
    assert all(e.kind and e.text.strip() for e in first)


def test_nlp_training_split_keeps_every_label_on_both_sides(training: ModuleType) -> None:
    examples = training.generate(4, 1)

    train, heldout = training.split(examples, 0.25, 1)

    assert sorted(train + heldout) == list(range(len(examples)))
    assert {examples[i].label for i in heldout} == set(LABELS)
    assert {examples[i].label for i in train} == set(LABELS)


def test_nlp_training_script_reproduces_its_weights(
    training: ModuleType,
    classifier: ModelClassifier,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The script's own encoder is the one already loaded: the same weights, loaded once.
    monkeypatch.setattr(training, "MiniLmEncoder", lambda: classifier.features.encoder)
    outputs = [tmp_path / "first.json", tmp_path / "second.json"]
    cache = tmp_path / "embeddings.npz"

    # The first run embeds the corpus and keeps the vectors; the second regenerates the corpus
    # and refits everything from them (embedding itself is checked in test_nlp_embedder).
    for out in outputs:
        argv = ["--quick", "--per-label", "2", "--seed", "11", "--cache", str(cache)]
        training.main([*argv, "--out", str(out)])

    assert outputs[0].read_bytes() == outputs[1].read_bytes()
    with np.load(cache) as saved:
        assert saved["vectors"].shape == (20, 384)
    weights = load_weights(outputs[0])
    assert weights.meta["documents"] == 20
    assert weights.meta["seed"] == 11
    scores = ModelClassifier(weights, classifier.features).classify("Dear Sir, ...").scores
    assert sum(scores.values()) == pytest.approx(1.0, abs=2e-3)


def test_nlp_training_fits_a_logistic_regression_and_a_temperature(training: ModuleType) -> None:
    rng = np.random.default_rng(0)
    y = np.arange(200) % len(LABELS)
    x = np.eye(len(LABELS))[y] * 3 + rng.normal(size=(200, len(LABELS)))

    coef, intercept = training.fit_logistic(x, y, 1e-3, 300)
    logits = x @ coef + intercept

    assert (logits.argmax(axis=1) == y).mean() > 0.9
    temperature = training.fit_temperature(logits, y)
    assert training.nll(logits, y, temperature) <= training.nll(logits, y, 1.0) + 1e-9
    perfect = np.eye(len(LABELS))[y]
    assert training.expected_calibration_error(perfect, y) == pytest.approx(0.0)


def test_nlp_training_metadata_in_the_shipped_weights_is_json(training: ModuleType) -> None:
    meta = load_weights().meta

    assert json.loads(json.dumps(meta)) == meta
    assert meta["documents"] >= 500
