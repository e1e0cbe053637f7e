"""The orchestrator worker's settings: activity policy overrides are checked at start-up."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from docfleet_orchestrator.settings import OrchestratorSettings


def test_activity_policy_overrides_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DOCFLEET_ACTIVITY_POLICIES", '{"ocr": {"maximum_attempts": 2}}')
    assert OrchestratorSettings().activity_policies == {"ocr": {"maximum_attempts": 2}}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ('{"orc": {"maximum_attempts": 2}}', "unknown stage"),
        ('{"ocr": {"attempts": 2}}', "unknown field"),
        ('{"ocr": {"heartbeat_seconds": -1}}', "greater than 0"),
    ],
)
def test_bad_overrides_stop_the_worker_at_start_up(
    monkeypatch: pytest.MonkeyPatch, overrides: str, message: str
) -> None:
    monkeypatch.setenv("DOCFLEET_ACTIVITY_POLICIES", overrides)
    with pytest.raises(ValidationError, match=message):
        OrchestratorSettings()
