"""Resuming `ocr.ocr_pages` from an earlier attempt's heartbeat: which pages need no second read.

An attempt heartbeats an `OcrCheckpoint` after each page, once that page's text is stored at
its deterministic key. A retry (on any worker) trusts a listed page only while its text is still
in the blob store with the length the checkpoint gives, and reads the rest again.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from docfleet_blobstore import BlobNotFound, BlobStore
from docfleet_contracts import naming
from docfleet_contracts.models import OcrCheckpoint, PageSummary

log = logging.getLogger(__name__)


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


async def restore(
    blobs: BlobStore, batch_id: str, document_id: str, checkpoint: OcrCheckpoint, total: int
) -> list[DonePage]:
    """The leading pages of `checkpoint` whose texts are still stored, with fresh offsets.

    Stops at the first page that is missing, has another length, or breaks the 1, 2, 3...
    sequence; a checkpoint for another page count is ignored whole.
    """
    if checkpoint.pages_total != total:
        log.warning(
            "checkpoint of %s/%s is for %d pages, the document has %d; reading from page 1",
            batch_id, document_id, checkpoint.pages_total, total,
        )  # fmt: skip
        return []
    done: list[DonePage] = []
    start = 0
    for expected, page in enumerate(checkpoint.pages, start=1):
        uri = blobs.uri_for(naming.page_text_key(batch_id, document_id, expected))
        text = await _stored_text(blobs, uri) if page.number == expected else None
        if text is None or len(text) != page.chars:
            log.warning(
                "checkpoint of %s/%s lists %d pages, but page %d's text is not stored as "
                "listed; reading again from page %d",
                batch_id, document_id, len(checkpoint.pages), expected, expected,
            )  # fmt: skip
            break
        done.append(DonePage(page.model_copy(update={"start": start, "text_uri": uri}), text))
        start += len(text) + 1  # the form feed between pages
    return done


async def _stored_text(blobs: BlobStore, uri: str) -> str | None:
    try:
        return (await blobs.get_bytes(uri)).decode("utf-8")
    except BlobNotFound:
        return None
    except UnicodeDecodeError:
        return None


def checkpoint_of(total: int, done: Sequence[DonePage]) -> OcrCheckpoint:
    """The heartbeat for `done`, the pages finished so far."""
    return OcrCheckpoint(pages_total=total, pages=[page.summary for page in done])
