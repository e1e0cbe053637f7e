"""The OCR worker's Prometheus metrics (served by the runtime when DOCFLEET_METRICS_PORT is set).

Counters count what THIS process did: after a worker dies, its replacement's `pages` counter
shows how many pages it had to read again, and `pages_resumed` how many a checkpoint saved.
"""

from __future__ import annotations

from typing import Final, get_args

from prometheus_client import Counter, Histogram

from docfleet_contracts.models import PageMethod

OUTCOMES: Final = ("succeeded", "refused", "failed", "cancelled")
"""`documents` outcomes: read; refused for good (a non-retryable error: the document's fault);
failed in a way a retry may fix; cancelled (heartbeat cancel or worker shutdown)."""

PAGES = Counter(
    "docfleet_ocr_pages",
    "Pages this process read and stored, by how (text_layer or ocr); pages restored from a "
    "checkpoint and reads abandoned by a cancel are not counted.",
    ["method"],
)
PAGES_RESUMED = Counter(
    "docfleet_ocr_pages_resumed",
    "Pages a retry did not read again because an earlier attempt's checkpoint listed them.",
)
PAGE_SECONDS = Histogram(
    "docfleet_ocr_page_seconds",
    "Seconds to read one page (sandbox parse/render plus OCR), by method.",
    ["method"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120),
)
DOCUMENTS = Counter(
    "docfleet_ocr_documents",
    "Documents this process finished reading, by outcome.",
    ["outcome"],
)

# Every label value shows from the start, at zero: a scrape never has to guess a missing series.
for _method in get_args(PageMethod):
    PAGES.labels(method=_method)
    PAGE_SECONDS.labels(method=_method)
for _outcome in OUTCOMES:
    DOCUMENTS.labels(outcome=_outcome)
