"""Train the document-type classifier and write `docfleet_nlp/data/classifier.json`.

Data: the synthetic corpus of `corpus.py` (generated here from `--seed`; see that module for how
it is written), split per label into a training part and a held-out part. Steps:

1. Embed each document's opening with the packaged all-MiniLM-L6-v2 (`docfleet_nlp.embedder`).
2. Prototypes: the mean embedding of each (label, sub-kind) in the training part. Training rows
   get their similarities from prototypes built without their own fold (cross-fitting), so the
   model does not learn to trust a similarity inflated by the document itself.
3. A multinomial logistic regression (L2, full-batch gradient descent; deterministic) on the
   standardised features: keyword evidence, prototype similarity, layout.
4. Temperature scaling fitted on the held-out part (minimum negative log-likelihood), which also
   gives the reported held-out accuracy and expected calibration error (ECE, 10 bins).

    uv run --frozen python services/nlp/training/train_classifier.py          # the shipped model
    uv run --frozen python services/nlp/training/train_classifier.py --quick --out /tmp/c.json
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import random
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import Example, generate

from docfleet_nlp.classifier import KeywordClassifier
from docfleet_nlp.embedder import Matrix, MiniLmEncoder
from docfleet_nlp.features import OPENING_CHARS, layout_features
from docfleet_nlp.keywords import LABELS
from docfleet_nlp.model import (
    CLIP,
    WEIGHTS_PATH,
    DocumentFeatures,
    ModelWeights,
    feature_names,
    prototype_similarity,
    softmax,
)

Array = NDArray[np.float64]

OTHER_THRESHOLD = 0.5
"""Below this top probability the classifier answers "other" (overridable in settings)."""
FOLDS = 5
NO_PROTOTYPE = ("_zh", "_noise")
"""Sub-kinds without a prototype: MiniLM reads Chinese poorly (every Chinese text lands near every
other), and noise has no centre; their labels must come from the other features."""
L2 = 0.02
"""L2 penalty: strong, because the corpus is cleaner than real documents and a model that leans
on a few features that separate it perfectly does worse on real ones."""


def log(message: str) -> None:
    sys.stderr.write(message + "\n")


def split(examples: Sequence[Example], heldout: float, seed: int) -> tuple[list[int], list[int]]:
    """Indices of the training and held-out parts, the same share of every label in each."""
    rng = random.Random(seed + 1)
    by_label: dict[str, list[int]] = defaultdict(list)
    for i, example in enumerate(examples):
        by_label[example.label].append(i)
    train, test = [], []
    for label in LABELS:
        indices = by_label[label][:]
        rng.shuffle(indices)
        cut = max(1, round(len(indices) * heldout))
        test += indices[:cut]
        train += indices[cut:]
    return sorted(train), sorted(test)


def embed_all(features: DocumentFeatures, texts: Sequence[str], batch: int = 8) -> Matrix:
    """Embeddings in batches of similar length (less padding), returned in input order."""
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    result = np.zeros((len(texts), features.encoder.dimension), dtype=np.float32)
    for start in range(0, len(order), batch):
        chunk = order[start : start + batch]
        result[chunk] = features.embed([texts[i] for i in chunk])
    return result


def cached_embeddings(features: DocumentFeatures, texts: Sequence[str], cache: Path) -> Matrix:
    """`embed_all` with a file of earlier results keyed by text hash, for repeated experiments.

    Vectors computed in other batches can differ in the last float digits, so a model trained
    from a cache may differ from the plain run's file in its sixth decimal.
    """
    stored: dict[str, Matrix] = {}
    if cache.exists():
        with np.load(cache) as saved:
            stored = dict(zip(saved["keys"].tolist(), saved["vectors"], strict=True))
    keys = [hashlib.sha1(text[:OPENING_CHARS].encode()).hexdigest() for text in texts]
    missing = sorted({k: i for i, k in enumerate(keys) if k not in stored}.items())
    if missing:
        fresh = embed_all(features, [texts[i] for _, i in missing])
        stored.update({k: fresh[j] for j, (k, _) in enumerate(missing)})
        np.savez(cache, keys=np.array(list(stored)), vectors=np.stack(list(stored.values())))
    return np.stack([stored[k] for k in keys]).astype(np.float32)


def prototypes(
    embeddings: Matrix, examples: Sequence[Example], rows: Sequence[int]
) -> tuple[Matrix, list[str]]:
    """Unit mean embedding of each (label, sub-kind) among `rows`; kinds sorted for determinism."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i in rows:
        if examples[i].kind.endswith(NO_PROTOTYPE):
            continue
        groups[(examples[i].label, examples[i].kind)].append(i)
    keys = sorted(groups, key=lambda key: (LABELS.index(key[0]), key[1]))
    means = np.stack([embeddings[groups[key]].mean(axis=0) for key in keys])
    means /= np.linalg.norm(means, axis=1, keepdims=True)
    return means.astype(np.float32), [label for label, _ in keys]


def cross_fitted_similarity(
    embeddings: Matrix, examples: Sequence[Example], rows: Sequence[int], seed: int
) -> Array:
    """Similarities of `rows` to prototypes built from the other folds of `rows`."""
    order = list(rows)
    random.Random(seed + 2).shuffle(order)
    folds = [order[k::FOLDS] for k in range(FOLDS)]
    result = np.zeros((len(examples), len(LABELS)))
    for k, fold in enumerate(folds):
        rest = [i for j, other in enumerate(folds) if j != k for i in other]
        protos, owners = prototypes(embeddings, examples, rest)
        result[fold] = prototype_similarity(embeddings[fold], protos, owners)
    return result[list(rows)]


def fit_logistic(x: Array, y: NDArray[np.int64], l2: float, steps: int) -> tuple[Array, Array]:
    """Multinomial logistic regression by full-batch gradient descent with momentum."""
    n, d = x.shape
    k = len(LABELS)
    onehot = np.eye(k)[y]
    coef, intercept = np.zeros((d, k)), np.zeros(k)
    v_coef, v_int = np.zeros_like(coef), np.zeros_like(intercept)
    rate, momentum = 0.5, 0.9
    for _ in range(steps):
        p = softmax(x @ coef + intercept)
        grad = (p - onehot) / n
        g_coef = x.T @ grad + l2 * coef
        g_int = grad.sum(axis=0)
        v_coef = momentum * v_coef - rate * g_coef
        v_int = momentum * v_int - rate * g_int
        coef += v_coef
        intercept += v_int
    return coef, intercept


def nll(logits: Array, y: NDArray[np.int64], temperature: float) -> float:
    p = softmax(logits / temperature)
    return float(-np.log(np.maximum(p[np.arange(len(y)), y], 1e-12)).mean())


def fit_temperature(logits: Array, y: NDArray[np.int64]) -> float:
    """The temperature minimising held-out negative log-likelihood (grid, then a finer grid)."""
    grid = np.exp(np.linspace(np.log(0.25), np.log(8.0), 61))
    best = min(grid, key=lambda t: nll(logits, y, float(t)))
    fine = np.linspace(best * 0.9, best * 1.1, 41)
    return float(min(fine, key=lambda t: nll(logits, y, float(t))))


def expected_calibration_error(probabilities: Array, y: NDArray[np.int64], bins: int = 10) -> float:
    """Mean |accuracy - confidence| over confidence bins, weighted by bin size."""
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == y
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for low, high in itertools.pairwise(edges):
        inside = (confidence > low) & (confidence <= high)
        if inside.any():
            total += inside.mean() * abs(correct[inside].mean() - confidence[inside].mean())
    return float(total)


def train(
    examples: Sequence[Example],
    features: DocumentFeatures,
    *,
    seed: int,
    heldout: float = 0.25,
    l2: float = L2,
    steps: int = 1500,
    embeddings: Matrix | None = None,
) -> ModelWeights:
    """The whole recipe above; returns the weights with figures in `meta`.

    `embeddings` (of `examples`, in order) skips step 1 when they are known already.
    """
    texts = [e.text[: features.keywords.max_chars] for e in examples]
    y = np.array([LABELS.index(e.label) for e in examples], dtype=np.int64)
    if embeddings is None:
        started = time.perf_counter()
        embeddings = embed_all(features, texts)
        log(f"embedded {len(texts)} documents in {time.perf_counter() - started:.0f} s")
    train_rows, test_rows = split(examples, heldout, seed)
    protos, owners = prototypes(embeddings, examples, train_rows)
    sims = np.zeros((len(examples), len(LABELS)))
    sims[train_rows] = cross_fitted_similarity(embeddings, examples, train_rows, seed)
    sims[test_rows] = prototype_similarity(embeddings[test_rows], protos, owners)
    rows = np.array(
        [[*features.evidence(t), *s, *layout_features(t)] for t, s in zip(texts, sims, strict=True)]
    )
    mean = rows[train_rows].mean(axis=0)
    scale = rows[train_rows].std(axis=0) + 1e-6
    x = np.clip((rows - mean) / scale, -CLIP, CLIP)
    coef, intercept = fit_logistic(x[train_rows], y[train_rows], l2, steps)
    logits = x[test_rows] @ coef + intercept
    temperature = fit_temperature(logits, y[test_rows])
    raw, calibrated = softmax(logits), softmax(logits / temperature)
    train_accuracy = float(
        (np.argmax(x[train_rows] @ coef + intercept, axis=1) == y[train_rows]).mean()
    )
    meta: dict[str, Any] = {
        "corpus": "services/nlp/training/corpus.py",
        "seed": seed,
        "documents": len(examples),
        "train": len(train_rows),
        "heldout": len(test_rows),
        "l2": l2,
        "steps": steps,
        "train_accuracy": round(train_accuracy, 4),
        "heldout_accuracy": round(float((raw.argmax(axis=1) == y[test_rows]).mean()), 4),
        "heldout_ece_before_temperature": round(expected_calibration_error(raw, y[test_rows]), 4),
        "heldout_ece": round(expected_calibration_error(calibrated, y[test_rows]), 4),
        "heldout_nll": round(nll(logits, y[test_rows], temperature), 4),
    }
    return ModelWeights(
        labels=list(LABELS),
        features=feature_names(),
        mean=mean,
        scale=scale,
        coef=coef,
        intercept=intercept,
        temperature=temperature,
        other_threshold=OTHER_THRESHOLD,
        prototypes=protos,
        prototype_labels=owners,
        meta=meta,
    )


def main(argv: Sequence[str] | None = None) -> ModelWeights:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-label", type=int, default=80, help="documents per label")
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument("--quick", action="store_true", help="a tiny run (8 per label) to check")
    parser.add_argument("--out", type=Path, default=WEIGHTS_PATH)
    parser.add_argument("--cache", type=Path, help="an .npz of embeddings kept between runs")
    parser.add_argument("--l2", type=float, default=L2)
    args = parser.parse_args(argv)
    per_label = min(args.per_label, 8) if args.quick else args.per_label
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    threadpool_limits(limits=1, user_api="blas")  # identical sums on every run and machine
    examples = generate(per_label, args.seed)
    features = DocumentFeatures(MiniLmEncoder(), KeywordClassifier())
    texts = [e.text[: features.keywords.max_chars] for e in examples]
    embeddings = cached_embeddings(features, texts, args.cache) if args.cache else None
    steps = 300 if args.quick else 1500
    weights = train(
        examples, features, seed=args.seed, steps=steps, l2=args.l2, embeddings=embeddings
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(weights.to_json(), separators=(",", ":")) + "\n")
    size = args.out.stat().st_size
    log(json.dumps(weights.meta, indent=1))
    log(f"temperature {weights.temperature:.3f}; wrote {args.out} ({size:,} bytes)")
    return weights


if __name__ == "__main__":
    main()
