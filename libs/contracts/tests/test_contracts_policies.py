"""Activity policies: defaults, overrides, and the README table that documents them."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from docfleet_contracts import errors
from docfleet_contracts.policies import DEFAULT_POLICIES, ActivityPolicy

README = Path(__file__).parents[3] / "README.md"


def _readme_row(stage: str, policy: ActivityPolicy) -> str:
    def n(value: float | None) -> str:
        return "-" if value is None else f"{value:g}"

    return (
        f"| `{stage}` | {n(policy.start_to_close_seconds)} | "
        f"{n(policy.schedule_to_close_seconds)} | {n(policy.heartbeat_seconds)} | "
        f"{n(policy.initial_interval_seconds)} | {n(policy.maximum_interval_seconds)} | "
        f"{policy.maximum_attempts or 'unlimited'} |"
    )


def test_options_carry_every_timeout_and_the_non_retryable_types() -> None:
    options = DEFAULT_POLICIES.ocr.options()
    assert options["start_to_close_timeout"] == timedelta(hours=1)
    assert options["heartbeat_timeout"] == timedelta(seconds=60)
    assert options["schedule_to_close_timeout"] == timedelta(hours=4)
    assert set(options["retry_policy"].non_retryable_error_types) == set(errors.NON_RETRYABLE)
    assert "heartbeat_timeout" not in DEFAULT_POLICIES.classify.options()


def test_overrides_replace_only_the_named_fields() -> None:
    merged = DEFAULT_POLICIES.merged({"ocr": {"heartbeat_seconds": 5, "maximum_attempts": 2}})
    assert merged.ocr.heartbeat_seconds == 5
    assert merged.ocr.maximum_attempts == 2
    assert merged.ocr.start_to_close_seconds == DEFAULT_POLICIES.ocr.start_to_close_seconds
    assert merged.fetch == DEFAULT_POLICIES.fetch


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"orc": {"maximum_attempts": 2}}, "unknown stage"),
        ({"ocr": {"max_attempts": 2}}, "unknown field"),
    ],
)
def test_misspelt_overrides_are_refused(overrides: dict[str, dict[str, int]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        DEFAULT_POLICIES.merged(overrides)


def test_invalid_override_values_are_refused() -> None:
    with pytest.raises(ValidationError):
        DEFAULT_POLICIES.merged({"store": {"start_to_close_seconds": -1}})


def test_retryable_and_non_retryable_types_do_not_overlap() -> None:
    assert not set(errors.RETRYABLE) & set(errors.NON_RETRYABLE)


def test_readme_documents_every_default_policy() -> None:
    text = README.read_text()
    for stage in type(DEFAULT_POLICIES).model_fields:
        row = _readme_row(stage, getattr(DEFAULT_POLICIES, stage))
        assert row in text, f"README's policy table is out of date; expected:\n{row}"
