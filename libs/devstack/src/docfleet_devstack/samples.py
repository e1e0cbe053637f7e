"""The demo's sample documents, made here rather than downloaded.

One born-digital PDF (text layer), one scanned-only PDF (an image of a page, no text layer) and
one PNG scan. Their words are known, so tests can check what the fleet read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pymupdf

from docfleet_devstack.httpd import FolderServer

INVOICE_LINES = (
    "INVOICE No. 2024-0117",
    "Date: March 3, 2025",
    "From: Acme Corporation, 12 Harbour Street, Springfield",
    "Bill to: Globex Industries, 400 Market Road, Shelbyville",
    "Description: Document processing services, February 2025",
    "Amount due: $1,234.56",
    "Please pay by bank transfer. Contact billing@acme.example with questions.",
)

LETTER_LINES = (
    "Northwind Traders",
    "April 14, 2025",
    "Dear Ms. Jane Smith,",
    "Thank you for your order with Northwind Traders.",
    "We confirm the refund of $980.00 to your account.",
    "Yours sincerely,",
    "Robert King",
)

RECEIPT_LINES = (
    "RECEIPT",
    "Blue Bottle Cafe",
    "2 x Latte 9.00",
    "1 x Croissant 3.50",
    "TOTAL $12.50",
    "Paid by card. Thank you!",
)


@dataclass(frozen=True)
class Sample:
    name: str
    path: Path
    lines: tuple[str, ...]
    expect_method: str


def _page_with(lines: tuple[str, ...], fontsize: float = 13) -> pymupdf.Document:
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)  # A4 in points
    y = 90.0
    for line in lines:
        page.insert_text((72, y), line, fontsize=fontsize, fontname="helv")
        y += fontsize * 2.2
    return doc


def _scan_of(lines: tuple[str, ...], dpi: int = 200) -> pymupdf.Pixmap:
    page = _page_with(lines)[0]
    return page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)


def make_samples(folder: Path) -> list[Sample]:
    """Write the three samples into `folder` and describe them."""
    folder.mkdir(parents=True, exist_ok=True)

    digital = folder / "invoice-digital.pdf"
    _page_with(INVOICE_LINES).save(digital)

    scanned = folder / "letter-scanned.pdf"
    image_only = pymupdf.open()
    page = image_only.new_page(width=595, height=842)
    page.insert_image(page.rect, pixmap=_scan_of(LETTER_LINES))
    image_only.save(scanned)

    png = folder / "receipt-scan.png"
    _scan_of(RECEIPT_LINES).save(png)

    return [
        Sample("invoice-digital.pdf", digital, INVOICE_LINES, "text_layer"),
        Sample("letter-scanned.pdf", scanned, LETTER_LINES, "ocr"),
        Sample("receipt-scan.png", png, RECEIPT_LINES, "ocr"),
    ]


def make_numbered_scan(path: Path, pages: int, dpi: int = 150) -> None:
    """A scanned (image-only) PDF whose page N reads "Page marker N": order can be checked."""
    document = pymupdf.open()
    for number in range(1, pages + 1):
        lines = (f"Chapter {number} begins here", f"Page marker {number}")
        pixmap = _page_with(lines, fontsize=22)[0].get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
        page = document.new_page(width=595, height=842)
        page.insert_image(page.rect, pixmap=pixmap)
    document.save(path)


def make_trivial_pdfs(folder: Path, count: int, prefix: str = "note") -> list[str]:
    """`count` distinct one-line text PDFs (a few hundred bytes each); their file names."""
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for number in range(1, count + 1):
        name = f"{prefix}-{number:05d}.pdf"
        document = _page_with((f"Short note number {number} for the {prefix} batch.",))
        document.save(folder / name, garbage=3, deflate=True)
        names.append(name)
    return names


@dataclass
class ServedDocuments:
    """Sample documents and a numbered multi-page scan, served over real HTTP by `server`."""

    server: FolderServer
    samples: list[Sample]
    scanned: str
    """File name of the numbered scan (see `make_numbered_scan`)."""
    scanned_pages: int

    def url(self, name: str) -> str:
        return self.server.url(name)

    def sample_urls(self) -> list[str]:
        return [self.url(s.name) for s in self.samples]
