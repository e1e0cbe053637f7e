"""Hostile inputs built for real: decompression bombs, polyglots, truncated files."""

from __future__ import annotations

import struct
import zlib
from functools import cache

BOMB_SIDE = 30_000
"""A 30000x30000 grey image: 900 million pixels, under a megabyte once deflated."""


@cache
def _zeros_deflated(side: int) -> bytes:
    """`side` rows of `side + 1` zero bytes: a PNG's filtered rows, or more than a PDF needs."""
    squeeze = zlib.compressobj(9)
    row = bytes(side + 1)
    return b"".join(squeeze.compress(row) for _ in range(side)) + squeeze.flush()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def bomb_png(side: int = BOMB_SIDE) -> bytes:
    """A valid grey PNG of `side` x `side` black pixels (each row: filter byte + pixels)."""
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", _zeros_deflated(side))
        + _chunk(b"IEND", b"")
    )


def bomb_pdf(side: int = BOMB_SIDE) -> bytes:
    """A one-page PDF with no text whose page draws one `side` x `side` deflated grey image."""
    image = _zeros_deflated(side)
    content = b"q 612 0 0 792 0 0 cm /Im0 Do Q"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
        % (side, side, len(image), image),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    out = b"%PDF-1.7\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out
