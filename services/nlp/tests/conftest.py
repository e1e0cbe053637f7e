"""Fixtures of the NLP tests: the spaCy pipeline loads once per session, as in the worker."""

from __future__ import annotations

from typing import Any

import pytest

from docfleet_nlp.entities import EntityExtractor, load_pipeline


@pytest.fixture(scope="session")
def nlp() -> Any:
    return load_pipeline()


@pytest.fixture(scope="session")
def extractor(nlp: Any) -> EntityExtractor:
    return EntityExtractor(nlp)
