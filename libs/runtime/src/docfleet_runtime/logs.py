"""Process logging: one line per event, JSON for machines or text for people, never secrets.

`DOCFLEET_LOG_FORMAT=auto` (the default) writes text when stderr is a terminal and JSON
otherwise (containers, log files). Every line carries the batch, document, workflow and activity
it belongs to when there is one (see `logcontext`).
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import IO, Any

from temporalio import activity, workflow

from docfleet_runtime.logcontext import ContextFilter, context_fields

FORMATS = ("auto", "text", "json")
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "docfleet", "taskName"}
_SECRET = re.compile(r"pass(word)?|secret|token|api_?key|authorization|credential", re.I)
_NOISY = ("botocore", "aiobotocore", "httpx", "httpcore", "urllib3")


def _context(record: logging.LogRecord) -> dict[str, Any]:
    found = getattr(record, "docfleet", None)
    return found if isinstance(found, dict) else context_fields(record)


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, context ids, extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **_context(record),
        }
        for key, value in vars(record).items():
            if key in _STANDARD or key in entry or key.startswith("temporal_"):
                continue
            entry[key] = "***" if _SECRET.search(key) else value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """`time LEVEL logger: message [batch=.. doc=..]` for a terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        context = _context(record)
        tags = [f"{key}={context[key]}" for key in ("batch_id", "document_id") if key in context]
        if "activity" in context:
            tags.append(f"activity={context['activity']}")
        if not tags:
            return line
        first, newline, rest = line.partition("\n")
        return f"{first} [{' '.join(tags)}]{newline}{rest}"


def resolve_format(fmt: str, stream: IO[str]) -> str:
    """`auto` becomes `text` on a terminal and `json` elsewhere."""
    if fmt not in FORMATS:
        raise ValueError(f"log format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if fmt != "auto":
        return fmt
    isatty = getattr(stream, "isatty", None)
    return "text" if isatty is not None and isatty() else "json"


def configure_logging(level: str = "INFO", fmt: str = "auto") -> None:
    """Send logs to stderr in `fmt` (auto, text or json); quieten chatty libraries."""
    chosen = resolve_format(fmt, sys.stderr)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if chosen == "json" else TextFormatter())
    handler.addFilter(ContextFilter())
    # JSON lines carry the workflow/activity ids as fields: the SDK's "({...})" message suffix
    # would only repeat them.
    workflow.logger.workflow_info_on_message = chosen != "json"
    activity.logger.activity_info_on_message = chosen != "json"
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in _NOISY:
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
