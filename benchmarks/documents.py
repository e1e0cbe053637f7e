"""The benchmark's documents, generated: every one has distinct bytes, so the content-hash
cache never short-cuts a document and each goes through every stage."""

from __future__ import annotations

from pathlib import Path

import pymupdf

A4 = (595, 842)
"""Page size in points."""
PROSE = (
    "The committee reviewed the quarterly figures for the northern region on Tuesday.",
    "Shipments from the Rotterdam warehouse arrived two days later than planned.",
    "Invoices above the agreed threshold need a second signature from finance.",
    "Maria Lopez will present the revised budget to the board in early May.",
    "Customers in Lyon reported that the new billing portal works as expected.",
    "The contract with Harbour Logistics renews automatically on the first of June.",
    "Please send the signed copy to the legal department before the end of the month.",
    "Our auditors asked for the bank statements of January, February and March.",
)


def _text_page(doc: pymupdf.Document, lines: list[str], fontsize: float) -> None:
    page = doc.new_page(width=A4[0], height=A4[1])
    y = 72.0
    for line in lines:
        page.insert_text((60, y), line, fontsize=fontsize, fontname="helv")
        y += fontsize * 1.8


def _lines(doc_number: int, page_number: int, count: int) -> list[str]:
    head = f"Document {doc_number:06d}, page {page_number}: benchmark record"
    body = [PROSE[(doc_number + page_number + i) % len(PROSE)] for i in range(count)]
    return [head, *body]


def digital_pdfs(
    folder: Path, documents: int, pages: int, lines: int = 24, prefix: str = "digital"
) -> list[str]:
    """Born-digital PDFs (text layer) of `pages` pages with `lines` lines of prose each."""
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for number in range(documents):
        doc = pymupdf.open()
        for page_number in range(1, pages + 1):
            _text_page(doc, _lines(number, page_number, lines), 11)
        name = f"{prefix}-{number:04d}.pdf"
        doc.save(folder / name)
        names.append(name)
    return names


def scanned_pdfs(
    folder: Path,
    documents: int,
    pages: int,
    lines: int = 12,
    dpi: int = 200,
    prefix: str = "scanned",
) -> list[str]:
    """Image-only PDFs (no text layer): each page is a grey scan of `lines` lines of prose."""
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for number in range(documents):
        doc = pymupdf.open()
        for page_number in range(1, pages + 1):
            source = pymupdf.open()
            _text_page(source, [prefix, *_lines(number, page_number, lines)], 13)
            pixmap = source[0].get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
            page = doc.new_page(width=A4[0], height=A4[1])
            page.insert_image(page.rect, pixmap=pixmap)
        name = f"{prefix}-{number:04d}.pdf"
        doc.save(folder / name, deflate=True)
        names.append(name)
    return names
