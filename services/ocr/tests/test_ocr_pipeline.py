from __future__ import annotations

import io

import pymupdf
import pytest
from PIL import Image

from docfleet_ocr.engine import RapidOcrEngine
from docfleet_ocr.errors import DocumentTooLarge, EncryptedDocument, InvalidDocument
from docfleet_ocr.pipeline import ReadOptions, is_real_text, open_document

from .conftest import pdf_bytes, pil_of, scanned_page, text_page

BORN_DIGITAL = ("Quarterly report for the board", "Revenue grew by twelve percent")
SCANNED = ("Delivery note 7781", "Received in good order")


def test_born_digital_page_uses_its_text_layer(engine: RapidOcrEngine) -> None:
    doc = pymupdf.open()
    text_page(doc, BORN_DIGITAL)
    with open_document(pdf_bytes(doc), "pdf", engine, ReadOptions()) as source:
        page = source.read_page(1)
    assert page.method == "text_layer"
    assert page.confidence is None
    assert page.text == "\n".join(BORN_DIGITAL)


def test_mixed_document_reads_each_page_its_own_way(engine: RapidOcrEngine) -> None:
    doc = pymupdf.open()
    text_page(doc, BORN_DIGITAL)
    scanned_page(doc, SCANNED)
    with open_document(pdf_bytes(doc), "pdf", engine, ReadOptions()) as source:
        assert source.page_count == 2
        first, second = source.read_page(1), source.read_page(2)
    assert (first.method, second.method) == ("text_layer", "ocr")
    assert second.text.splitlines() == list(SCANNED)
    assert second.confidence is not None and second.confidence > 0.8


def test_garbage_text_layer_is_not_trusted() -> None:
    assert not is_real_text("\x19\x12\x03\x04" * 10 + "ab", 2)
    assert not is_real_text("ab 12", 20)
    assert is_real_text("Revenue grew by twelve percent", 20)


def test_multi_page_tiff_reads_every_frame(engine: RapidOcrEngine) -> None:
    frames = [pil_of(["Page one of the fax"]), pil_of(["Page two of the fax"])]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="TIFF", save_all=True, append_images=frames[1:])
    with open_document(buffer.getvalue(), "tiff", engine, ReadOptions()) as source:
        texts = [source.read_page(n).text for n in range(1, source.page_count + 1)]
    assert texts == ["Page one of the fax", "Page two of the fax"]


def test_one_bit_palette_png_is_read(engine: RapidOcrEngine) -> None:
    grey = pil_of(["Black and white scan"])
    palette = grey.convert("P", palette=Image.Palette.ADAPTIVE, colors=2)
    buffer = io.BytesIO()
    palette.save(buffer, format="PNG", bits=1)
    saved = Image.open(io.BytesIO(buffer.getvalue()))
    assert saved.mode == "P" and len(saved.getpalette() or []) == 6
    with open_document(buffer.getvalue(), "png", engine, ReadOptions()) as source:
        assert source.read_page(1).text == "Black and white scan"


def test_jpeg_is_read(engine: RapidOcrEngine) -> None:
    buffer = io.BytesIO()
    pil_of(["Receipt number 42"]).convert("RGB").save(buffer, format="JPEG", quality=90)
    with open_document(buffer.getvalue(), "jpeg", engine, ReadOptions()) as source:
        assert source.read_page(1).text == "Receipt number 42"


@pytest.mark.parametrize("kind", ["pdf", "png", "jpeg", "tiff"])
def test_corrupt_bytes_are_an_invalid_document(engine: RapidOcrEngine, kind: str) -> None:
    with pytest.raises(InvalidDocument):
        open_document(b"%PDF-1.7 this is not really a document", kind, engine, ReadOptions())  # type: ignore[arg-type]


def test_password_protected_pdf_is_an_encrypted_document(engine: RapidOcrEngine) -> None:
    doc = pymupdf.open()
    text_page(doc, BORN_DIGITAL)
    locked = pdf_bytes(
        doc, encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="owner", user_pw="secret"
    )
    with pytest.raises(EncryptedDocument, match="not supported without its password"):
        open_document(locked, "pdf", engine, ReadOptions())


def test_too_many_pages_is_too_large(engine: RapidOcrEngine) -> None:
    doc = pymupdf.open()
    for _ in range(4):
        doc.new_page()
    with pytest.raises(DocumentTooLarge, match="4 pages"):
        open_document(pdf_bytes(doc), "pdf", engine, ReadOptions(max_pages=3))


def test_image_over_the_pixel_cap_is_too_large(engine: RapidOcrEngine) -> None:
    buffer = io.BytesIO()
    Image.new("L", (2000, 1000), 255).save(buffer, format="PNG")
    with pytest.raises(DocumentTooLarge, match="MAX_IMAGE_PIXELS"):
        open_document(buffer.getvalue(), "png", engine, ReadOptions(max_image_pixels=10**6))
