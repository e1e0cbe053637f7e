from __future__ import annotations

import pytest

from docfleet_fetcher.errors import UnsupportedDocument
from docfleet_fetcher.sniff import SNIFF_BYTES, describe, sniff


@pytest.mark.parametrize("name", ["pdf", "big_pdf", "png"])
def test_fetcher_sniff_recognises_generated_documents(samples: dict[str, bytes], name: str) -> None:
    assert sniff(samples[name][:SNIFF_BYTES]) == name.removeprefix("big_")


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\r\n  junk before the header %PDF-1.7\n", "pdf"),
        (b"\x00" * 1000 + b"%PDF-1.4", "pdf"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "jpeg"),
        (b"\xff\xd8\xff\xe1\x00\x10Exif\x00", "jpeg"),
        (b"II*\x00\x08\x00\x00\x00", "tiff"),
        (b"MM\x00*\x00\x00\x00\x08", "tiff"),
    ],
)
def test_fetcher_sniff_recognises_supported_kinds(head: bytes, kind: str) -> None:
    assert sniff(head) == kind


def test_fetcher_sniff_ignores_pdf_marker_past_the_first_kilobyte() -> None:
    head = b" " * SNIFF_BYTES + b"%PDF-1.4"
    with pytest.raises(UnsupportedDocument, match="plain text"):
        sniff(head)


@pytest.mark.parametrize(
    ("head", "phrase"),
    [
        (b"", "empty file"),
        (b"<!DOCTYPE html>\n<html><body>Log in</body></html>", "looks like HTML"),
        (b"\xef\xbb\xbf  <html lang='en'><head></head></html>", "looks like HTML"),
        (b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'/>", "SVG image"),
        (b"<?xml version='1.0'?><invoice/>", "looks like XML"),
        (b'{"error": "not found"}', "looks like JSON"),
        (b"Invoice 2024-001\nTotal: 12.00 EUR\n", "plain text"),
        ("Facture n\u00b0 12 \u00e9t\u00e9".encode(), "plain text"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP archive"),
        (b"GIF89a\x01\x00\x01\x00", "GIF image"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "WebP image"),
        (b"\x1f\x8b\x08\x00\x00\x00", "gzip"),
        (b"II+\x00\x08\x00", "BigTIFF"),
        (b"\x00\x01\x02\x03\xfe\xfd\xfc\xfb\x10", "unrecognised binary data starting 00 01 02"),
    ],
)
def test_fetcher_sniff_names_what_it_saw(head: bytes, phrase: str) -> None:
    with pytest.raises(UnsupportedDocument) as info:
        sniff(head)
    assert phrase in str(info.value)
    assert info.value.error_type == "UnsupportedDocumentType"
    assert not info.value.retryable


def test_fetcher_describe_tolerates_a_character_cut_at_the_sample_end() -> None:
    sample = ("\u00e9" * 600).encode()[:1023]
    assert describe(sample) == "looks like plain text"
