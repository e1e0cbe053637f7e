"""Heartbeats of `ocr.ocr_pages`: the latest checkpoint, sent after each page and kept alive.

A page can take longer than the heartbeat timeout to OCR; a background task re-sends the last
checkpoint every few seconds meanwhile, so the timeout only fires when the worker is gone. The
SDK throttles what actually reaches the server, so re-sending often costs nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from types import TracebackType

from temporalio import activity

from docfleet_contracts.models import OcrCheckpoint


class Heartbeat:
    """`beat(checkpoint)` heartbeats at once; inside `async with`, the last one repeats every
    `every` seconds. Before the first `beat`, the repeated one is `initial` (if given)."""

    def __init__(
        self,
        every: float,
        initial: OcrCheckpoint | None = None,
        send: Callable[..., None] | None = None,
    ) -> None:
        self._every = every
        self._last = initial
        self._send = send or activity.heartbeat
        self._task: asyncio.Task[None] | None = None

    def beat(self, checkpoint: OcrCheckpoint) -> None:
        self._last = checkpoint
        self._send(checkpoint)

    async def __aenter__(self) -> Heartbeat:
        self._task = asyncio.create_task(self._repeat(), name="ocr-heartbeat")
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.wait([self._task])  # never swallows a cancel of the activity itself

    async def _repeat(self) -> None:
        while True:
            await asyncio.sleep(self._every)
            if self._last is not None:
                self._send(self._last)
