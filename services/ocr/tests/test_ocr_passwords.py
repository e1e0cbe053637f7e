"""Encrypted PDFs: the sandbox unlocks them with the supplied password, and never repeats it."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pymupdf
import pytest
from prometheus_client import REGISTRY
from pydantic import SecretStr
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from docfleet_blobstore import FileBlobStore
from docfleet_contracts import errors as error_types
from docfleet_contracts import naming
from docfleet_contracts.models import OcrInput
from docfleet_ocr.activities import OcrActivities
from docfleet_ocr.engine import RapidOcrEngine
from docfleet_ocr.errors import EncryptedDocument
from docfleet_ocr.pipeline import ReadOptions, open_document
from docfleet_ocr.settings import OcrSettings

from .conftest import pdf_bytes, text_page

LINES = ("Confidential salary review 2025", "Payroll total 98,765.43")
PASSWORD = "correct-horse-battery-staple-4711"
AES_128 = Path("/work/shared/data/quality-dev/hostile/pdfminer_aes-128.pdf")


@pytest.fixture(scope="module")
def locked() -> bytes:
    doc = pymupdf.open()
    text_page(doc, LINES)
    return pdf_bytes(
        doc, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw=PASSWORD, owner_pw="owner-only-9"
    )


def test_the_right_password_unlocks_the_text(engine: RapidOcrEngine, locked: bytes) -> None:
    with open_document(locked, "pdf", engine, ReadOptions(), password=PASSWORD) as source:
        page = source.read_page(1)
    assert (page.method, page.text.splitlines()) == ("text_layer", list(LINES))


def test_a_wrong_password_is_an_encrypted_document(engine: RapidOcrEngine, locked: bytes) -> None:
    wrong = "not-the-password-1234"
    with pytest.raises(EncryptedDocument, match="the supplied password is wrong") as caught:
        open_document(locked, "pdf", engine, ReadOptions(), password=wrong)
    assert wrong not in str(caught.value) and PASSWORD not in str(caught.value)


def test_no_password_says_one_can_be_supplied(engine: RapidOcrEngine, locked: bytes) -> None:
    with pytest.raises(EncryptedDocument, match="not supported without its password"):
        open_document(locked, "pdf", engine, ReadOptions())


def test_a_password_on_an_unencrypted_pdf_is_harmless(engine: RapidOcrEngine) -> None:
    doc = pymupdf.open()
    text_page(doc, LINES)
    with open_document(pdf_bytes(doc), "pdf", engine, ReadOptions(), password="x") as source:
        assert source.read_page(1).text.splitlines() == list(LINES)


def test_real_aes_128_file_reads_with_its_user_password(engine: RapidOcrEngine) -> None:
    with open_document(AES_128.read_bytes(), "pdf", engine, ReadOptions(), password="baz") as doc:
        texts = [doc.read_page(n).text for n in range(1, doc.page_count + 1)]
    assert "Secret!" in "\n".join(texts)


@pytest.fixture
def pool() -> Iterator[ThreadPoolExecutor]:
    executor = ThreadPoolExecutor(2)
    yield executor
    executor.shutdown()


async def test_activity_reads_with_the_password_and_types_a_wrong_one(
    engine: RapidOcrEngine, tmp_path: Path, pool: ThreadPoolExecutor, locked: bytes
) -> None:
    store = FileBlobStore(tmp_path)
    source = await store.put_bytes(naming.source_key("b1", "d1"), locked, "application/pdf")
    ocr = OcrActivities(engine, store, pool, OcrSettings(), client=None)
    request = OcrInput(
        batch_id="b1", document_id="d1", source=source, kind="pdf", password=SecretStr(PASSWORD)
    )
    assert PASSWORD not in repr(request)

    result = await ActivityEnvironment().run(ocr.ocr_pages, request)
    assert (await store.read_text(result.text)).splitlines() == list(LINES)

    wrong = request.model_copy(update={"password": SecretStr("guess-guess-guess")})
    with pytest.raises(ApplicationError) as caught:
        await ActivityEnvironment().run(ocr.ocr_pages, wrong)
    assert caught.value.type == error_types.ENCRYPTED_DOCUMENT
    assert caught.value.non_retryable
    assert "the supplied password is wrong" in str(caught.value)
    assert "guess-guess-guess" not in str(caught.value)


async def test_activity_refuses_an_encrypted_pdf_without_password_for_good(
    engine: RapidOcrEngine, tmp_path: Path, pool: ThreadPoolExecutor, locked: bytes
) -> None:
    store = FileBlobStore(tmp_path)
    source = await store.put_bytes(naming.source_key("b1", "d2"), locked, "application/pdf")
    ocr = OcrActivities(engine, store, pool, OcrSettings(), client=None)
    refused = REGISTRY.get_sample_value("docfleet_ocr_documents_total", {"outcome": "refused"})
    with pytest.raises(ApplicationError) as caught:
        await ActivityEnvironment().run(
            ocr.ocr_pages, OcrInput(batch_id="b1", document_id="d2", source=source, kind="pdf")
        )
    assert (caught.value.type, caught.value.non_retryable) == (error_types.ENCRYPTED_DOCUMENT, True)
    assert "password-protected PDF: not supported without its password" in str(caught.value)
    after = REGISTRY.get_sample_value("docfleet_ocr_documents_total", {"outcome": "refused"})
    assert after == (refused or 0) + 1
