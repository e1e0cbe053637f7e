"""Settings of the NLP worker, read from `DOCFLEET_NLP_*` (and the shared `DOCFLEET_*`)."""

from __future__ import annotations

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
