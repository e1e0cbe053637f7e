"""Resuming `ocr.ocr_pages` from an earlier attempt's heartbeat: which pages need no second read.

Each finished page's text and `PageSummary` are stored at their deterministic keys before the
attempt heartbeats an `OcrCheckpoint` counting it; the checkpoint itself stays a few bytes long
whatever the page count. A retry (on any worker) rebuilds the list from the blob store and
trusts a counted page only while both blobs are there and agree, then reads the rest again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from pydantic import ValidationError

from docfleet_blobstore import BlobNotFound, BlobStore
from docfleet_contracts import naming
from docfleet_contracts.models import OcrCheckpoint, PageSummary

log = logging.getLogger(__name__)

T = TypeVar("T")

RESTORE_BATCH = 32
"""Pages whose blobs are fetched at once on resume: a 500-page resume is not 1,000 serial GETs."""


@dataclass(frozen=True)
class DonePage:
    """A finished page: its summary (with its offset in the full text) and its text."""

    summary: PageSummary
    text: str


def parse(details: Sequence[Any]) -> OcrCheckpoint | None:
    """The checkpoint in an earlier attempt's heartbeat details, or None.

    Details arrive decoded as plain JSON; anything that is not a checkpoint (none at all, or
    an older worker's `(pages_done, pages_total)`) means: start from the first page.
    """
    if not details:
        return None
    try:
        return OcrCheckpoint.model_validate(details[0])
    except ValidationError:
        log.warning("heartbeat details are not an OCR checkpoint; reading from the first page")
        return None


def checkpoint_of(total: int, done: Sequence[DonePage]) -> OcrCheckpoint:
    """The heartbeat for `done`, the pages finished (and stored) so far."""
    return OcrCheckpoint(pages_total=total, pages_done=len(done))


async def store_page(
    blobs: BlobStore, batch_id: str, document_id: str, summary: PageSummary, text: str
) -> None:
    """Store a finished page's text and summary (both at once); only then may it be counted."""
    number = summary.number
    await _all(
        blobs.put_text(naming.page_text_key(batch_id, document_id, number), text),
        blobs.put_bytes(
            naming.page_summary_key(batch_id, document_id, number),
            summary.model_dump_json().encode("utf-8"),
            "application/json",
        ),
    )


async def restore(
    blobs: BlobStore, batch_id: str, document_id: str, checkpoint: OcrCheckpoint, total: int
) -> list[DonePage]:
    """The leading pages counted by `checkpoint` whose blobs still agree, with fresh offsets.

    Stops at the first page whose summary or text is missing or unreadable, whose summary
    names another page, or whose text has another length than its summary gives; a checkpoint
    for another page count is ignored whole.
    """
    if checkpoint.pages_total != total:
        log.warning(
            "checkpoint of %s/%s is for %d pages, the document has %d; reading from page 1",
            batch_id, document_id, checkpoint.pages_total, total,
        )  # fmt: skip
        return []
    done: list[DonePage] = []
    start = 0
    for first in range(1, checkpoint.pages_done + 1, RESTORE_BATCH):
        numbers = range(first, min(first + RESTORE_BATCH, checkpoint.pages_done + 1))
        loaded = await _all(*(_stored_page(blobs, batch_id, document_id, n) for n in numbers))
        for number, page in zip(numbers, loaded, strict=True):
            if page is None:
                log.warning(
                    "checkpoint of %s/%s counts %d pages, but page %d is not stored as its "
                    "summary says; reading again from page %d",
                    batch_id, document_id, checkpoint.pages_done, number, number,
                )  # fmt: skip
                return done
            summary, text = page
            done.append(DonePage(summary.model_copy(update={"start": start}), text))
            start += len(text) + 1  # the form feed between pages
    return done


async def _stored_page(
    blobs: BlobStore, batch_id: str, document_id: str, number: int
) -> tuple[PageSummary, str] | None:
    """Page `number`'s summary and text when both are stored and agree, else None."""
    text_uri = blobs.uri_for(naming.page_text_key(batch_id, document_id, number))
    summary_uri = blobs.uri_for(naming.page_summary_key(batch_id, document_id, number))
    try:
        raw_summary, raw_text = await _all(blobs.get_bytes(summary_uri), blobs.get_bytes(text_uri))
        summary = PageSummary.model_validate_json(raw_summary)
        text = raw_text.decode("utf-8")
    except (BlobNotFound, ValidationError, UnicodeDecodeError):
        return None
    if summary.number != number or summary.chars != len(text):
        return None
    return summary.model_copy(update={"text_uri": text_uri}), text


async def _all(*reads: Awaitable[T]) -> list[T]:
    """Every result, or the first error once all have ended: no read outlives a failed call."""
    results = await asyncio.gather(*reads, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return cast(list[T], results)
