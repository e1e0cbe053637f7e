"""The keep-alive: while a page is read, the last checkpoint is heartbeated again and again."""

from __future__ import annotations

import asyncio

from docfleet_contracts.models import OcrCheckpoint
from docfleet_ocr.heartbeat import Heartbeat


async def test_the_last_checkpoint_repeats_until_the_block_ends() -> None:
    sent: list[OcrCheckpoint] = []
    repeated = asyncio.Event()

    def send(*details: object) -> None:
        assert len(details) == 1 and isinstance(details[0], OcrCheckpoint)
        sent.append(details[0])
        if len(sent) >= 4:
            repeated.set()

    previous = OcrCheckpoint(pages_total=3)
    latest = OcrCheckpoint(pages_total=3, pages_done=1)
    async with Heartbeat(0.01, initial=previous, send=send) as beats:
        await asyncio.wait_for(_first(sent), timeout=10)  # before any beat: the initial one
        beats.beat(latest)
        await asyncio.wait_for(repeated.wait(), timeout=10)  # a long page: no beat of ours
    assert sent[0] == previous
    assert sent[sent.index(latest) :] == [latest] * (len(sent) - sent.index(latest))
    assert len(sent) >= 4
    assert not [task for task in asyncio.all_tasks() if task.get_name() == "ocr-heartbeat"]


async def _first(sent: list[OcrCheckpoint]) -> None:
    while not sent:
        await asyncio.sleep(0.005)
