"""Hostile documents through the activity: each fails typed, and the SAME worker reads on."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pymupdf
import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from docfleet_blobstore import FileBlobStore
from docfleet_contracts import errors as error_types
from docfleet_contracts import naming
from docfleet_contracts.models import DocumentKind, OcrInput, OcrResult
from docfleet_ocr.activities import OcrActivities
from docfleet_ocr.engine import RapidOcrEngine
from docfleet_ocr.settings import OcrSettings

from .conftest import pages_of, pdf_bytes, png_of, scanned_page
from .ocr_attacks import bomb_pdf, bomb_png
from .test_ocr_scans import quality_dev

HOSTILE = quality_dev() / "hostile"
GOOD = ("Signed copy attached",)


@pytest.fixture(scope="module")
def worker(engine: RapidOcrEngine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Worker]:
    pool = ThreadPoolExecutor(2)
    store = FileBlobStore(tmp_path_factory.mktemp("blobs"))
    settings = OcrSettings(ocr_sandbox_wall_seconds=4, ocr_sandbox_cpu_seconds=2)
    faults = {"crash": "segfault", "hang": "hang", "spin": "spin"}
    yield Worker(OcrActivities(engine, store, pool, settings, faults=faults), store)  # type: ignore[arg-type]
    pool.shutdown()


class Worker:
    """One activities object (one worker) and its blob store."""

    def __init__(self, activities: OcrActivities, store: FileBlobStore) -> None:
        self.activities = activities
        self.store = store

    async def read(self, doc_id: str, data: bytes, kind: DocumentKind) -> OcrResult:
        source = await self.store.put_bytes(naming.source_key("b", doc_id), data, "x/y")
        request = OcrInput(batch_id="b", document_id=doc_id, source=source, kind=kind)
        return await ActivityEnvironment().run(self.activities.ocr_pages, request)

    async def refuses(self, doc_id: str, data: bytes, kind: DocumentKind) -> ApplicationError:
        with pytest.raises(ApplicationError) as caught:
            await self.read(doc_id, data, kind)
        assert caught.value.non_retryable
        await self.still_reads()
        return caught.value

    async def still_reads(self) -> None:
        doc = pymupdf.open()
        scanned_page(doc, GOOD)
        result = await self.read("good", pdf_bytes(doc), "pdf")
        assert await self.store.read_text(result.text) == GOOD[0]


def two_pages() -> bytes:
    doc = pymupdf.open()
    scanned_page(doc, ["First page"], dpi=100)
    scanned_page(doc, ["Second page"], dpi=100)
    return pdf_bytes(doc)


@pytest.mark.parametrize(
    ("doc_id", "error_type", "message"),
    [
        ("crash", error_types.INVALID_DOCUMENT, "crashed on this document (SIGSEGV)"),
        ("hang", error_types.TOO_LARGE, "DOCFLEET_OCR_SANDBOX_WALL_SECONDS"),
        ("spin", error_types.TOO_LARGE, "DOCFLEET_OCR_SANDBOX_CPU_SECONDS"),
    ],
)
async def test_parser_faults_kill_only_the_child(
    worker: Worker, doc_id: str, error_type: str, message: str
) -> None:
    error = await worker.refuses(doc_id, two_pages(), "pdf")
    assert error.type == error_type
    assert message in str(error)


@pytest.mark.parametrize(
    ("name", "kind", "error_type", "message"),
    [
        ("bomb-png", "png", error_types.TOO_LARGE, "DOCFLEET_OCR_MAX_IMAGE_PIXELS"),
        ("bomb-pdf", "pdf", error_types.TOO_LARGE, "DOCFLEET_OCR_MAX_EMBEDDED_IMAGE_PIXELS"),
        ("empty", "pdf", error_types.INVALID_DOCUMENT, "empty"),
        ("truncated", "pdf", error_types.INVALID_DOCUMENT, "not a readable PDF"),
        ("zip-polyglot", "pdf", error_types.INVALID_DOCUMENT, "ZIP archive"),
        ("html-polyglot", "pdf", error_types.INVALID_DOCUMENT, "markup"),
        ("png-then-pdf", "pdf", error_types.INVALID_DOCUMENT, "bytes are PNG"),
        ("png-then-pdf", "png", error_types.INVALID_DOCUMENT, "not a readable PNG"),
        ("pdf-as-png", "png", error_types.INVALID_DOCUMENT, "bytes are PDF"),
    ],
)
async def test_hostile_bytes_fail_typed(
    worker: Worker, name: str, kind: DocumentKind, error_type: str, message: str
) -> None:
    pdf = two_pages()
    makers: dict[str, Callable[[], bytes]] = {
        "bomb-png": bomb_png,
        "bomb-pdf": bomb_pdf,
        "empty": lambda: b"",
        "truncated": lambda: pdf[:200],
        "zip-polyglot": lambda: b"PK\x03\x04" + bytes(26) + pdf,
        "html-polyglot": lambda: b"<!DOCTYPE html><html></html>\n" + pdf,
        "png-then-pdf": lambda: png_of(GOOD)[:33] + pdf,
        "pdf-as-png": lambda: pdf,
    }
    data = makers[name]()
    error = await worker.refuses(name, data, kind)
    assert error.type == error_type
    assert message in str(error)


HOSTILE_FILES = sorted(path.name for path in HOSTILE.glob("*.pdf"))


@pytest.mark.parametrize("name", HOSTILE_FILES)
async def test_quality_dev_hostile_pdfs_behave_as_expected(worker: Worker, name: str) -> None:
    expect = json.loads((HOSTILE / f"{name}.expect.json").read_text())["expect"]
    data = (HOSTILE / name).read_bytes()
    if expect == "encrypted":
        error = await worker.refuses(name, data, "pdf")
        assert error.type == error_types.ENCRYPTED_DOCUMENT
        assert "password-protected PDF: not supported" in str(error)
        return
    result = await worker.read(name, data, "pdf")
    assert result.page_count >= 1
    if expect in ("opens_blank", "malformed_repairable"):
        assert result.chars == 0
    pages = await pages_of(worker.store, result)
    if expect == "opens":  # page 2 is a CCITT scan: read by OCR
        assert pages[1].method == "ocr" and pages[1].chars > 100
    if name.startswith("ocrmypdf_type3"):  # a junk text layer goes to OCR
        assert pages[0].method == "ocr"
    await worker.still_reads()
