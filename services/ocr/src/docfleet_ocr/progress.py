"""Page-progress signals from the OCR activity to the workflow that scheduled it, throttled."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from temporalio.client import Client

from docfleet_contracts.activities import PAGE_PROGRESS_SIGNAL
from docfleet_contracts.models import PageProgress

log = logging.getLogger(__name__)

SIGNAL_TIMEOUT = timedelta(seconds=5)


class ProgressSignaller:
    """Sends `PageProgress` at most once per `interval` seconds; never raises.

    The last page is never signalled: the activity's result, a moment later, says it (a signal
    costs the workflow a history event and a workflow task, and one-page documents are common).

    Progress is a nicety: a lost signal must not fail or slow down the OCR, so errors are
    logged at debug level and dropped.
    """

    def __init__(self, client: Client | None, workflow_id: str | None, interval: float) -> None:
        self._client = client
        self._workflow_id = workflow_id
        self._interval = interval
        self._last_sent: float | None = None
        self.sent = 0

    async def report(self, pages_done: int, pages_total: int) -> None:
        if self._client is None or not self._workflow_id:
            return
        now = time.monotonic()
        if pages_done >= pages_total:
            return
        if self._last_sent is not None and now - self._last_sent < self._interval:
            return
        self._last_sent = now
        try:
            handle = self._client.get_workflow_handle(self._workflow_id)
            await handle.signal(
                PAGE_PROGRESS_SIGNAL,
                PageProgress(pages_done=pages_done, pages_total=pages_total),
                rpc_timeout=SIGNAL_TIMEOUT,
            )
            self.sent += 1
        except Exception as exc:
            log.debug("page progress signal to %s failed: %s", self._workflow_id, exc)
