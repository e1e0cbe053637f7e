"""Prometheus metrics of the storage worker (served by the runtime when a port is set)."""

from __future__ import annotations

from prometheus_client import Counter

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

CACHE_OUTCOMES = ("hit", "miss", "stale", "unavailable", "disabled")
ANALYTICS_OUTCOMES = ("recorded", "duplicate", "unavailable")
for _outcome in CACHE_OUTCOMES:
    CACHE_LOOKUPS.labels(outcome=_outcome)  # exported at 0 before the first lookup
for _outcome in ANALYTICS_OUTCOMES:
    ANALYTICS_RECORDED.labels(outcome=_outcome)
