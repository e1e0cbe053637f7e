"""Custom search attributes: operators filter DocFleet's workflows by batch, type and status.

`temporal workflow list -q 'DocFleetBatchId="b-1" AND DocFleetDocumentStatus="failed"'`.
They must be registered on the namespace first (the dev server: `--search-attribute`; elsewhere
the orchestrator worker registers them at start, or `temporal operator search-attribute create`).
"""

from __future__ import annotations

from typing import Final

from temporalio.common import SearchAttributeKey

BATCH_ID: Final = SearchAttributeKey.for_keyword("DocFleetBatchId")
"""Set on every batch, document and analytics workflow."""

DOCUMENT_TYPE: Final = SearchAttributeKey.for_keyword("DocFleetDocumentType")
"""The document's classified type, once known."""

DOCUMENT_STATUS: Final = SearchAttributeKey.for_keyword("DocFleetDocumentStatus")
"""running, then succeeded, partial or failed."""

ALL: Final = (BATCH_ID, DOCUMENT_TYPE, DOCUMENT_STATUS)


def dev_server_flags() -> list[str]:
    """`temporal server start-dev` arguments that register every attribute."""
    flags: list[str] = []
    for key in ALL:
        flags += ["--search-attribute", f"{key.name}=Keyword"]
    return flags
