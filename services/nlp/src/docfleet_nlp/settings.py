"""Settings of the NLP worker, read from `DOCFLEET_NLP_*` (and the shared `DOCFLEET_*`)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from docfleet_nlp.entities import DEFAULT_MODEL, NOISY_LABELS
from docfleet_runtime import ServiceSettings


class NlpSettings(ServiceSettings):
    """The spaCy model, how much text is read, and how the CPU work is split."""

    nlp_spacy_model: str = Field(
        default=DEFAULT_MODEL, description="spaCy pipeline package with an `ner` component."
    )
    nlp_max_chars: int = Field(
        default=2_000_000, ge=1, description="Entities are looked for in this many characters."
    )
    nlp_classify_chars: int = Field(
        default=100_000, ge=1, description="The classifier reads this many leading characters."
    )
    nlp_classifier: Literal["model", "keywords"] = Field(
        default="model",
        description="Document types from the trained model (model.py) or phrase rules alone.",
    )
    nlp_other_threshold: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description='The model answers "other" below this top probability (None: the '
        "threshold stored with its weights).",
    )
    nlp_chunk_chars: int = Field(
        default=50_000,
        ge=1_000,
        description="Characters per NER call; the activity heartbeats between chunks.",
    )
    nlp_threads: int = Field(
        default=2, ge=1, description="Threads running spaCy and the classifier in this process."
    )
    nlp_skip_labels: list[str] = Field(
        default_factory=lambda: sorted(NOISY_LABELS),
        description="NER labels left out (JSON list in the environment).",
    )
    nlp_day_first: bool = Field(
        default=True,
        description="Read an ambiguous numeric date (03/04/2025) as day/month (False: month/day).",
    )
    nlp_default_region: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z]{2}$",
        description="ISO 3166 country (GB, MY...) of phone numbers written without a country "
        "code; without it only international numbers get an E.164 value.",
    )
