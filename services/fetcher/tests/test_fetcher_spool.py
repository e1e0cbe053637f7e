from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from docfleet_fetcher.errors import SourceTooLarge, UnsupportedDocument
from docfleet_fetcher.spool import PROGRESS_EVERY, Spool


def _feed(spool: Spool, data: bytes, chunk: int = 4096) -> None:
    for start in range(0, len(data), chunk):
        spool.write(data[start : start + chunk])


def test_fetcher_spool_hashes_counts_and_sniffs(tmp_path: Path, samples: dict[str, bytes]) -> None:
    big = samples["big_pdf"]
    seen: list[int] = []
    with Spool(len(big), directory=tmp_path, progress=seen.append) as spool:
        _feed(spool, big)
        spooled = spool.finish()
        assert spooled.kind == "pdf"
        assert spooled.size == len(big)
        assert spooled.sha256 == hashlib.sha256(big).hexdigest()
        assert spooled.path.read_bytes() == big
    assert list(tmp_path.iterdir()) == []
    assert len(seen) == len(big) // PROGRESS_EVERY
    assert seen == sorted(seen)


def test_fetcher_spool_accepts_exactly_the_cap_and_refuses_one_more(
    tmp_path: Path, samples: dict[str, bytes]
) -> None:
    pdf = samples["pdf"]
    with Spool(len(pdf), directory=tmp_path) as spool:
        _feed(spool, pdf, chunk=100)
        assert spool.finish().size == len(pdf)
    with Spool(len(pdf) - 1, directory=tmp_path) as spool, pytest.raises(SourceTooLarge):
        _feed(spool, pdf, chunk=100)
    assert list(tmp_path.iterdir()) == []


def test_fetcher_spool_refuses_a_declared_size_over_the_cap(tmp_path: Path) -> None:
    with Spool(1000, directory=tmp_path) as spool:
        spool.check_declared_size(1000, "x")
        spool.check_declared_size(None, "x")
        with pytest.raises(SourceTooLarge, match="1001 bytes, over the 1000-byte limit"):
            spool.check_declared_size(1001, "x")


def test_fetcher_spool_gives_up_on_a_web_page_after_the_first_kilobyte(
    tmp_path: Path, samples: dict[str, bytes]
) -> None:
    page = samples["html"] * 1000
    with Spool(len(page), directory=tmp_path) as spool:
        with pytest.raises(UnsupportedDocument, match="HTML"):
            _feed(spool, page, chunk=512)
        assert spool.size <= 1024
    assert list(tmp_path.iterdir()) == []


def test_fetcher_spool_sniffs_short_documents_at_the_end(tmp_path: Path) -> None:
    with Spool(100, directory=tmp_path) as spool, pytest.raises(UnsupportedDocument, match="empty"):
        spool.finish()
