"""The batch invariant every fault test checks, as a pure function over what was observed.

Whatever broke while a batch ran, afterwards: every submitted document is in the result exactly
once and either completed (succeeded or partial) with exactly one stored result object that
matches its recorded SHA-256, or failed with a contract error type and a message; no temporary
objects are left in the blob store; and each document's workflow ran once, storing once.
`invariants.check_batch_invariant` gathers the observation from a live stack.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field

from docfleet_contracts import BatchResult, DocumentResult, naming
from docfleet_contracts import errors as error_types

ALLOWED_ERROR_TYPES = frozenset(
    (*error_types.NON_RETRYABLE, *error_types.RETRYABLE, "Timeout", "Cancelled")
)
"""Error types a failed document may show: the contract's, plus what `failures.py` names for
Temporal's own timeouts and cancellations."""

COMPLETED = ("succeeded", "partial")


@dataclass(frozen=True)
class DocumentRuns:
    """What Temporal knows of one `DocumentWorkflow` id."""

    statuses: tuple[str, ...]
    """Status name of each execution with that id (`COMPLETED`, `FAILED`, `RUNNING`, ...)."""
    store_results_completed: int
    """Completed `storage.store_result` activities over all those executions."""


@dataclass
class BatchObservation:
    """Everything the invariant looks at, gathered after the batch finished."""

    batch_id: str
    submitted: int
    result: BatchResult
    documents: list[DocumentResult]
    """The rows of the batch's results manifest."""
    stored_results: dict[str, bytes]
    """document id -> bytes of the object at `naming.result_key`; absent when there is none."""
    leftovers: list[str]
    """Temporary objects found anywhere in the blob store (files, keys, multipart uploads)."""
    runs: dict[str, DocumentRuns]
    """document id -> its workflow executions; absent when it never ran."""
    expected_document_ids: list[str] | None = None
    """The ids the submitted specs get (`naming.document_id_for`), when the specs are known."""


@dataclass
class InvariantReport:
    """The batch's figures, for a test to print or assert on further."""

    batch_id: str
    submitted: int
    total: int
    succeeded: int
    partial: int
    failed: int
    cached: int
    failure_types: dict[str, int] = field(default_factory=dict)
    violations: list[str] = field(default_factory=list)

    @property
    def completed(self) -> int:
        return self.succeeded + self.partial

    def summary(self) -> str:
        types = ", ".join(f"{name} x{count}" for name, count in sorted(self.failure_types.items()))
        return (
            f"batch {self.batch_id}: submitted {self.submitted}, total {self.total}, "
            f"completed {self.completed} (succeeded {self.succeeded}, partial {self.partial}, "
            f"cached {self.cached}), failed {self.failed}" + (f" [{types}]" if types else "")
        )


def report_for(observation: BatchObservation, violations: list[str]) -> InvariantReport:
    docs = observation.documents
    return InvariantReport(
        batch_id=observation.batch_id,
        submitted=observation.submitted,
        total=observation.result.total,
        succeeded=sum(d.status == "succeeded" for d in docs),
        partial=sum(d.status == "partial" for d in docs),
        failed=sum(d.status == "failed" for d in docs),
        cached=sum(d.cached for d in docs),
        failure_types=dict(Counter(d.error_type or "?" for d in docs if d.status == "failed")),
        violations=violations,
    )


def find_violations(observation: BatchObservation) -> list[str]:
    """Every way the observation breaks the invariant, one readable line each."""
    return [
        *_count_violations(observation),
        *_document_violations(observation),
        *(f"leftover temporary object: {name}" for name in observation.leftovers),
    ]


def _count_violations(obs: BatchObservation) -> list[str]:
    result, docs = obs.result, obs.documents
    found: list[str] = []
    statuses: Counter[str] = Counter(d.status for d in docs)
    completed = statuses["succeeded"] + statuses["partial"]
    if result.batch_id != obs.batch_id:
        found.append(f"result is for batch {result.batch_id!r}, not {obs.batch_id!r}")
    if not obs.submitted == result.total == len(docs) == completed + statuses["failed"]:
        found.append(
            f"counts disagree: submitted {obs.submitted}, total {result.total}, documents "
            f"listed {len(docs)}, completed {completed} + failed {statuses['failed']}"
        )
    for name, counted in (
        ("succeeded", result.succeeded),
        ("partial", result.partial),
        ("failed", result.failed),
    ):
        if counted != statuses[name]:
            found.append(f"result.{name} is {counted} but {statuses[name]} documents say {name}")
    failure_types = Counter(d.error_type or "Unknown" for d in docs if d.status == "failed")
    if dict(failure_types) != result.failures_by_type:
        found.append(
            f"result.failures_by_type {result.failures_by_type} but the rows say "
            f"{dict(failure_types)}"
        )
    failed_ids = {d.document_id for d in docs if d.status == "failed"}
    found += [
        f"failure sample lists {f.document_id}, which did not fail"
        for f in result.failure_sample
        if f.document_id not in failed_ids
    ]
    ids = Counter(d.document_id for d in docs)
    found += [f"document {doc} listed {n} times" for doc, n in sorted(ids.items()) if n > 1]
    if obs.expected_document_ids is not None:
        expected = set(obs.expected_document_ids)
        found += [
            f"submitted document {doc} missing from the result"
            for doc in sorted(expected - ids.keys())
        ]
        found += [
            f"document {doc} in the result was never submitted"
            for doc in sorted(ids.keys() - expected)
        ]
    return found


def _document_violations(obs: BatchObservation) -> list[str]:
    found: list[str] = []
    for doc in obs.documents:
        where = f"document {doc.document_id} ({doc.status})"
        if doc.status in COMPLETED:
            found += [
                f"{where}: {problem}"
                for problem in _stored_problems(
                    obs, doc.document_id, doc.result_sha256, doc.result_uri
                )
            ]
        else:
            if doc.error_type not in ALLOWED_ERROR_TYPES:
                found.append(f"{where}: error type {doc.error_type!r} is not a contract type")
            if not (doc.error_message or "").strip():
                found.append(f"{where}: no error message")
        found += [
            f"{where}: {problem}" for problem in _run_problems(obs, doc.document_id, doc.status)
        ]
    return found


def _stored_problems(
    obs: BatchObservation, document_id: str, sha256: str | None, uri: str | None
) -> list[str]:
    key = naming.result_key(obs.batch_id, document_id)
    data = obs.stored_results.get(document_id)
    if data is None:
        return [f"no stored result object at {key}"]
    problems: list[str] = []
    actual = hashlib.sha256(data).hexdigest()
    if sha256 is None:
        problems.append("result has no result_sha256")
    elif actual != sha256:
        problems.append(f"stored {key} has sha256 {actual[:12]}..., result says {sha256[:12]}...")
    if uri is not None and not uri.endswith("/" + key):
        problems.append(f"result_uri {uri} does not point at {key}")
    try:
        body = json.loads(data)
    except ValueError as exc:
        return [*problems, f"stored {key} is not JSON: {exc}"]
    if not isinstance(body, dict):
        return [*problems, f"stored {key} is not a JSON object"]
    for name, want in (("batch_id", obs.batch_id), ("document_id", document_id)):
        if body.get(name) != want:
            problems.append(f"stored {key} has {name} {body.get(name)!r}, expected {want!r}")
    return problems


def _run_problems(obs: BatchObservation, document_id: str, status: str) -> list[str]:
    runs = obs.runs.get(document_id)
    if runs is None or not runs.statuses:
        return ["its DocumentWorkflow never ran"]
    problems: list[str] = []
    if len(runs.statuses) != 1:
        problems.append(f"DocumentWorkflow ran {len(runs.statuses)} times: {list(runs.statuses)}")
    # A failed document's workflow fails with the document's error (or completes, reporting it).
    ends = ("COMPLETED",) if status in COMPLETED else ("COMPLETED", "FAILED")
    problems += [f"DocumentWorkflow execution ended {s}" for s in runs.statuses if s not in ends]
    stores = 1 if status in COMPLETED else 0
    if runs.store_results_completed != stores:
        problems.append(
            f"{runs.store_results_completed} completed storage.store_result activities, "
            f"expected {stores}"
        )
    return problems
