"""Prometheus metrics of the storage worker (served by the runtime when a port is set)."""

from __future__ import annotations

from typing import get_args

from prometheus_client import Counter, Histogram

from docfleet_contracts import AnalyticsInput
from docfleet_contracts.models import DocumentStatus

STORE_PARTS = Counter(
    "docfleet_store_parts", "Parts of result files written (a resumed upload skips some)."
)
STORE_BYTES = Counter("docfleet_store_bytes", "Bytes of result files written, part by part.")
CACHE_LOOKUPS = Counter(
    "docfleet_cache_lookups",
    "Content-hash cache lookups by outcome.",
    ["outcome"],
)
ANALYTICS_RECORDED = Counter(
    "docfleet_analytics_recorded",
    "Analytics records by outcome: recorded, duplicate (already counted) or unavailable.",
    ["outcome"],
)

# Fleet-wide document metrics, counted once per document: here, where analytics are recorded
# exactly once (a repeated record is a duplicate and not counted again).
DOCUMENTS = Counter(
    "docfleet_documents",
    "Documents finished, by status (succeeded, partial, failed) and document type (or none).",
    ["status", "type"],
)
DOCUMENT_ERRORS = Counter(
    "docfleet_document_errors",
    "Failed documents by the error type that failed them.",
    ["error_type"],
)
STAGE_SECONDS = Histogram(
    "docfleet_stage_seconds",
    "Time a document spent in each pipeline stage (workflow clock, retries included).",
    ["stage"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 1800, 3600),
)
STAGES = ("fetching", "reading", "classifying", "extracting", "storing")


def document_finished(record: AnalyticsInput) -> None:
    """Count one document's outcome and stage times (call once per document)."""
    DOCUMENTS.labels(status=record.status, type=record.document_type or "none").inc()
    if record.error_type:
        DOCUMENT_ERRORS.labels(error_type=record.error_type).inc()
    for stage, seconds in record.stage_seconds.items():
        STAGE_SECONDS.labels(stage=stage).observe(seconds)


CACHE_OUTCOMES = ("hit", "miss", "stale", "unavailable", "disabled")
ANALYTICS_OUTCOMES = ("recorded", "duplicate", "unavailable")
for _outcome in CACHE_OUTCOMES:
    CACHE_LOOKUPS.labels(outcome=_outcome)  # exported at 0 before the first lookup
for _outcome in ANALYTICS_OUTCOMES:
    ANALYTICS_RECORDED.labels(outcome=_outcome)
for _stage in STAGES:
    STAGE_SECONDS.labels(stage=_stage)
for _status in get_args(DocumentStatus):
    DOCUMENTS.labels(status=_status, type="none")
