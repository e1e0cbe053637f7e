"""The activity policies in force on this orchestrator worker.

Defaults come from the contracts (`docfleet_contracts.policies`); the worker applies
`DOCFLEET_ACTIVITY_POLICIES` once at start-up, before it polls. Workflows import this module
through the sandbox's pass-through, so they see the worker's configured values. Timeouts and
retry settings do not take part in replay, so a changed value never breaks a running workflow.
"""

from __future__ import annotations

from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from docfleet_contracts.policies import DEFAULT_POLICIES, ActivityPolicies

_current: ActivityPolicies = DEFAULT_POLICIES


def configure(overrides: dict[str, dict[str, Any]]) -> ActivityPolicies:
    """Apply `{stage: {field: value}}` over the defaults; raises ValueError on unknown names."""
    global _current
    _current = DEFAULT_POLICIES.merged(overrides)
    return _current


def current() -> ActivityPolicies:
    """The policies workflows use for their next activity call."""
    return _current
