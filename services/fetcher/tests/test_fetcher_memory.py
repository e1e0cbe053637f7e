"""A large download streams through a disk spool into the blob store: never whole in memory."""

from __future__ import annotations

import hashlib
import threading
import tracemalloc
from collections.abc import Callable, Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from temporalio.testing import ActivityEnvironment

from docfleet_blobstore import BlobStore, FileBlobStore, S3Options, open_blob_store
from docfleet_contracts.models import FetchInput, FetchResult
from docfleet_fetcher.activities import FetchActivities

from .conftest import make_pdf

SIZE = 30 * 1024 * 1024
PEAK_LIMIT = 8 * 1024 * 1024
"""Python memory a 30 MiB fetch may add at its peak: chunks and buffers, not the document."""

Factory = Callable[..., FetchActivities]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def large_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("served") / "large.pdf"
    path.write_bytes(make_pdf(padding=SIZE))
    return path


@pytest.fixture(scope="module")
def served(large_pdf: Path) -> Iterator[str]:
    """The URL of `large_pdf` on a local server that sends it from disk in small chunks."""
    handler = partial(_Quiet, directory=str(large_pdf.parent))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{large_pdf.name}"
    server.shutdown()
    server.server_close()
    thread.join(5)


async def fetch_measured(activities: FetchActivities, url: str) -> tuple[FetchResult, int]:
    """Fetch `url`; also give the peak of Python memory allocated meanwhile (all threads)."""
    request = FetchInput(batch_id="b", document_id="large", url=url)
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        result: FetchResult = await ActivityEnvironment().run(activities.fetch_document, request)
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    return result, peak


async def check(store: BlobStore, factory: Factory, url: str, large_pdf: Path) -> None:
    result, peak = await fetch_measured(factory(store=store), url)
    data = large_pdf.read_bytes()
    assert result.kind == "pdf" and result.blob.size == len(data) > SIZE
    assert result.blob.sha256 == hashlib.sha256(data).hexdigest()
    assert hashlib.sha256(await store.read(result.blob)).hexdigest() == result.blob.sha256
    assert peak < PEAK_LIMIT, f"a {len(data)}-byte fetch peaked at {peak} bytes of memory"


async def test_a_large_download_reaches_a_folder_store_without_being_held_in_memory(
    fetch_factory: Factory, served: str, large_pdf: Path, tmp_path: Path
) -> None:
    await check(FileBlobStore(tmp_path / "large-blobs"), fetch_factory, served, large_pdf)


@pytest.mark.integration
async def test_a_large_download_reaches_s3_without_being_held_in_memory(
    fetch_factory: Factory,
    served: str,
    large_pdf: Path,
    s3_options: S3Options,
    s3_bucket_url: str,
) -> None:
    store = await open_blob_store(s3_bucket_url, s3_options)
    try:
        await check(store, fetch_factory, served, large_pdf)
    finally:
        await store.close()
