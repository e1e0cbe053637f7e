"""Determinism guard: recorded histories of real runs must replay on today's workflow code.

A change that alters the commands a workflow issues for the same history (a new activity, a
reordered call) breaks running workflows on upgrade; this test fails instead. After a deliberate
change (guarded with `workflow.patched` for runs in flight), re-record with
`make record-histories`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from docfleet_contracts import activities as acts
from docfleet_orchestrator.workflows import WORKFLOWS
from docfleet_runtime import data_converter

HISTORIES = Path(__file__).parent / "histories"
SCENARIOS = ("success", "partial-failure", "retry", "degraded", "cache-hit", "continue-as-new")


async def _each(histories: list[WorkflowHistory]) -> AsyncIterator[WorkflowHistory]:
    for history in histories:
        yield history


def _load() -> list[WorkflowHistory]:
    return [
        WorkflowHistory.from_json(path.stem, path.read_text())
        for path in sorted(HISTORIES.glob("*/*.json"))
    ]


def test_every_scenario_and_workflow_type_is_recorded() -> None:
    histories = _load()
    scenarios = {path.parent.name for path in HISTORIES.glob("*/*.json")}
    assert scenarios == set(SCENARIOS)
    types = {
        h.events[0].workflow_execution_started_event_attributes.workflow_type.name
        for h in histories
    }
    assert types == {acts.ORCHESTRATOR_WORKFLOW, acts.DOCUMENT_WORKFLOW, acts.ANALYTICS_WORKFLOW}


def test_the_retry_scenario_really_retried_the_fetch() -> None:
    """The recorded retry is real: the fetch activity completed on a later attempt."""
    attempts = [
        event.activity_task_started_event_attributes.attempt
        for path in (HISTORIES / "retry").glob("docfleet-doc-*.json")
        for event in WorkflowHistory.from_json(path.stem, path.read_text()).events
        if event.HasField("activity_task_started_event_attributes")
    ]
    assert max(attempts) >= 2


def test_the_continue_as_new_scenario_holds_a_chain_of_batch_runs() -> None:
    runs = [
        WorkflowHistory.from_json(path.stem, path.read_text())
        for path in (HISTORIES / "continue-as-new").glob("docfleet-batch-*.json")
    ]
    continued = [
        h
        for h in runs
        if h.events[-1].HasField("workflow_execution_continued_as_new_event_attributes")
    ]
    assert len(runs) >= 2 and len(continued) == len(runs) - 1


@pytest.mark.parametrize("scenario", SCENARIOS)
async def test_recorded_histories_replay_without_nondeterminism(scenario: str) -> None:
    paths = sorted((HISTORIES / scenario).glob("*.json"))
    assert paths, f"no histories recorded for {scenario}; run `make record-histories`"
    histories = [WorkflowHistory.from_json(p.stem, p.read_text()) for p in paths]
    replayer = Replayer(workflows=list(WORKFLOWS), data_converter=data_converter(None))
    results = await replayer.replay_workflows(_each(histories), raise_on_replay_failure=False)
    failures = {run_id: str(error) for run_id, error in results.replay_failures.items()}
    assert failures == {}
