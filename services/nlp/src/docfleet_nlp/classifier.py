"""Document-type classification: a `Classifier` port and a keyword-evidence implementation."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from docfleet_contracts import Classification
from docfleet_nlp.keywords import DEFAULT_RULES, FALLBACK_LABEL, LABELS, Rules

_WORD = re.compile(r"\w+")


class Classifier(Protocol):
    """Anything that labels a text with one of `LABELS`; a model-based one can replace the rules."""

    def classify(self, text: str) -> Classification:
        """The most likely type of `text`, its confidence and a score per label."""
        ...


@dataclass(frozen=True)
class _Phrase:
    label: str
    weight: float
    pattern: re.Pattern[str]


def _compile(phrase: str) -> re.Pattern[str]:
    words = [re.escape(word) for word in phrase.split()]
    body = r"\s+".join(words)
    if phrase.isascii():
        # Whole words only, but the phrase may itself end in punctuation ("re:", "fig.").
        body = rf"(?<![^\W_]){body}" + (r"(?![^\W_])" if phrase[-1].isalnum() else "")
    return re.compile(body, re.IGNORECASE)


class KeywordClassifier:
    """Scores each label by weighted phrase evidence; "other" wins when evidence is weak.

    A phrase found `n` times adds `weight * (1 + ln n)`, and again `weight` when it appears in the
    first `header_chars` characters (titles name the type). The sum is divided by a slowly
    growing function of the word count, so a long text does not win by volume alone. Scores go
    through a softmax (with `temperature`) next to a fixed score `other_score` for "other".
    """

    def __init__(
        self,
        rules: Rules = DEFAULT_RULES,
        *,
        max_chars: int = 100_000,
        header_chars: int = 300,
        other_score: float = 3.0,
        temperature: float = 1.5,
    ) -> None:
        self.labels: Sequence[str] = [*rules, FALLBACK_LABEL]
        self.max_chars = max_chars
        self.header_chars = header_chars
        self.other_score = other_score
        self.temperature = temperature
        self._phrases = [
            _Phrase(label, weight, _compile(phrase))
            for label, phrases in rules.items()
            for phrase, weight in phrases
        ]

    def evidence(self, text: str) -> dict[str, float]:
        """Length-normalised evidence per label (without "other") in a bounded prefix of `text`."""
        text = text[: self.max_chars]
        header = text[: self.header_chars]
        raw = dict.fromkeys(self.labels[:-1], 0.0)
        for phrase in self._phrases:
            count = sum(1 for _ in phrase.pattern.finditer(text))
            if count:
                raw[phrase.label] += phrase.weight * (1 + math.log(count))
                if phrase.pattern.search(header):
                    raw[phrase.label] += phrase.weight
        words = sum(1 for _ in _WORD.finditer(text))
        scale = 1 + math.log10(1 + words / 300)
        return {label: value / scale for label, value in raw.items()}

    def classify(self, text: str) -> Classification:
        scores = self.evidence(text)
        scores[FALLBACK_LABEL] = self.other_score
        top = max(scores.values())
        weights = {k: math.exp((v - top) / self.temperature) for k, v in scores.items()}
        total = sum(weights.values())
        probabilities = {k: round(w / total, 4) for k, w in weights.items()}
        label = max(probabilities, key=lambda k: (probabilities[k], k == FALLBACK_LABEL))
        return Classification(
            label=label, confidence=min(1.0, probabilities[label]), scores=probabilities
        )


__all__ = ["LABELS", "Classifier", "KeywordClassifier"]
