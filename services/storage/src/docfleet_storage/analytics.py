"""Analytics aggregates in Redis, counted exactly once per document.

A Lua script marks the document as seen and adds its figures in one atomic step, so an activity
retried after a crash (or a replayed analytics workflow) never counts a document twice.
"""

from __future__ import annotations

import json
from typing import Any

from redis.asyncio import Redis

from docfleet_contracts import AnalyticsInput

_RECORD = """
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) == false then
  return 0
end
local ops = cjson.decode(ARGV[2])
for _, op in ipairs(ops) do
  if op[1] == 'hincrby' then
    redis.call('HINCRBY', op[2], op[3], op[4])
  else
    redis.call('HINCRBYFLOAT', op[2], op[3], op[4])
  end
end
return 1
"""


class AnalyticsRecorder:
    """Adds per-document figures to `<prefix>:analytics:*` hashes."""

    def __init__(self, redis: Redis, prefix: str = "docfleet", dedupe_seconds: int = 30 * 86400):
        self.redis = redis
        self.prefix = prefix
        self.dedupe_seconds = dedupe_seconds
        self._script = redis.register_script(_RECORD)

    def key(self, name: str) -> str:
        return f"{self.prefix}:analytics:{name}"

    def operations(self, record: AnalyticsInput) -> list[list[Any]]:
        """The increments one document contributes; a pure function, unit-tested on its own."""
        doc_type = record.document_type or "unknown"
        ops: list[list[Any]] = [
            ["hincrby", self.key("documents"), record.status, 1],
            ["hincrby", self.key("documents"), "total", 1],
        ]
        if record.status in ("succeeded", "partial"):  # a partial document was read all the same
            ops += [
                ["hincrby", self.key("documents_by_type"), doc_type, 1],
                ["hincrby", self.key("pages"), "total", record.page_count],
                ["hincrby", self.key("pages"), "text_layer", record.text_layer_pages],
                ["hincrby", self.key("pages"), "ocr", record.ocr_pages],
                ["hincrby", self.key("pages_by_type"), doc_type, record.page_count],
            ]
        else:
            ops.append(["hincrby", self.key("failures_by_type"), record.error_type or "unknown", 1])
        for label, count in sorted(record.entities_by_label.items()):
            ops.append(["hincrby", self.key("entities_by_label"), label, count])
        for stage, seconds in sorted(record.stage_seconds.items()):
            ops.append(["hincrbyfloat", self.key("stage_seconds_sum"), stage, seconds])
            ops.append(["hincrby", self.key("stage_seconds_count"), stage, 1])
        return ops

    async def record(self, record: AnalyticsInput) -> bool:
        """Add the document's figures; False when it was already counted."""
        seen = self.key(f"seen:{record.batch_id}:{record.document_id}")
        ops = json.dumps(self.operations(record))
        added = await self._script(keys=[seen], args=[self.dedupe_seconds, ops])
        return bool(added)

    async def snapshot(self) -> dict[str, dict[str, str]]:
        """Every aggregate hash, for the CLI and tests."""
        names = (
            "documents",
            "documents_by_type",
            "pages",
            "pages_by_type",
            "failures_by_type",
            "entities_by_label",
            "stage_seconds_sum",
            "stage_seconds_count",
        )
        out: dict[str, dict[str, str]] = {}
        for name in names:
            raw = await self.redis.hgetall(self.key(name))
            out[name] = {_s(k): _s(v) for k, v in raw.items()}
        return out


def _s(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
