"""Fetcher test fixtures: real documents built in memory, a real local HTTP server, a factory."""

from __future__ import annotations

import struct
import threading
import time
import zlib
from collections.abc import AsyncIterator, Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
import pytest

from docfleet_blobstore import BlobStore, FileBlobStore, S3Client
from docfleet_fetcher.activities import FetchActivities
from docfleet_fetcher.breaker import CircuitBreaker
from docfleet_fetcher.client import HttpSource, build_http_client
from docfleet_fetcher.files import FileSource
from docfleet_fetcher.objects import S3Source
from docfleet_fetcher.pipeline import Fetcher
from docfleet_fetcher.settings import FetchSettings


def make_pdf(text: str = "Hello DocFleet", padding: int = 0) -> bytes:
    """A valid one-page PDF showing `text`, grown by `padding` bytes of content-stream comments."""
    lines = [f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET"]
    lines += ["% " + "x" * 1000] * (padding // 1003)
    content = "\n".join(lines).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def make_png(width: int = 4, height: int = 4) -> bytes:
    """A valid 8-bit greyscale PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + bytes(range(width)) for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


PDF = make_pdf()
BIG_PDF = make_pdf(padding=3 * 1024 * 1024)
PNG = make_png()
HTML = b"<!DOCTYPE html>\n<html><body><h1>Please log in</h1></body></html>\n"


@pytest.fixture(scope="session")
def samples() -> dict[str, bytes]:
    """Documents by name: pdf (small), big_pdf (3 MiB), png, html."""
    return {"pdf": PDF, "big_pdf": BIG_PDF, "png": PNG, "html": HTML}


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        self.server.user_agents.append(self.headers.get("User-Agent", ""))
        path = self.path
        if path == "/doc.pdf":
            self._send(200, PDF, "application/pdf")
        elif path == "/big.pdf":
            self._send(200, BIG_PDF, "application/pdf")
        elif path == "/streamed.pdf":
            # No Content-Length: only counting the bytes can enforce the cap.
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(BIG_PDF)
        elif path == "/image.png":
            self._send(200, PNG, "image/png")
        elif path == "/page.html":
            # Lies about its type: the fetcher must believe the bytes, not the header.
            self._send(200, HTML, "application/pdf")
        elif path == "/empty":
            self._send(200, b"", "application/pdf")
        elif path.startswith("/rate-limited?retry-after="):
            self._send(429, b"slow down", "text/plain", {"Retry-After": _query_value(path)})
        elif path.startswith("/unavailable?retry-after="):
            self._send(503, b"later", "text/plain", {"Retry-After": _query_value(path)})
        elif path == "/drip":
            # One byte every 0.2 s: never silent long enough for a read timeout.
            self.send_response(200)
            self.send_header("Content-Length", str(len(PDF)))
            self.end_headers()
            for byte in PDF[:100]:
                if self.server.release.is_set():
                    break
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.2)
        elif path.startswith("/status/"):
            self._send(int(path.removeprefix("/status/")), b"nope", "text/plain")
        elif path.startswith("/hop/"):
            left = int(path.removeprefix("/hop/"))
            target = "/doc.pdf" if left == 0 else f"/hop/{left - 1}"
            self._redirect(target)
        elif path.startswith("/redirect?to="):
            self._redirect(unquote(path.removeprefix("/redirect?to=")))
        elif path == "/loop":
            self._redirect("/loop")
        elif path == "/slow":
            self.server.release.wait(10)
            self._send(200, PDF, "application/pdf")
        elif path == "/trickle":
            self.send_response(200)
            self.send_header("Content-Length", str(len(BIG_PDF)))
            self.end_headers()
            for offset in range(40):
                if self.server.release.is_set():
                    break
                self.wfile.write(BIG_PDF[offset * 64 : (offset + 1) * 64])
                self.wfile.flush()
                time.sleep(0.1)
        else:
            self._send(404, b"not here", "text/plain")

    def _send(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, target: str) -> None:
        self.send_response(302)
        self.send_header("Location", target)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _query_value(path: str) -> str:
    return unquote(path.partition("=")[2])


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    user_agents: list[str]
    release: threading.Event

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that give up early (timeouts, size caps) break pipes: expected, not news.
        pass


@pytest.fixture(scope="session")
def http_server() -> Iterator[_Server]:
    """A real threaded HTTP server on a free port, serving the routes above."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.user_agents = []
    server.release = threading.Event()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture(scope="session")
def http_base(http_server: _Server) -> str:
    """`http://127.0.0.1:PORT` of the session's HTTP server."""
    return f"http://127.0.0.1:{http_server.server_address[1]}"


FetchFactory = Callable[..., FetchActivities]


@pytest.fixture
async def fetch_factory(tmp_path: Path) -> AsyncIterator[FetchFactory]:
    """Builds `FetchActivities` like the worker does, over `FileBlobStore(tmp_path/blobs)`."""
    clients: list[httpx.AsyncClient] = []

    def make(
        *,
        store: BlobStore | None = None,
        s3: S3Client | None = None,
        breaker: CircuitBreaker | None = None,
        **overrides: Any,
    ) -> FetchActivities:
        overrides.setdefault("fetch_temp_dir", tmp_path / "spool")
        # The session's HTTP server and moto listen on loopback, which the defaults refuse;
        # the security tests pass their own values.
        overrides.setdefault("fetch_allow_cidrs", ["127.0.0.0/8"])
        overrides.setdefault("fetch_s3_allowed_buckets", ["*"])
        settings = FetchSettings(**overrides)
        http = build_http_client(settings)
        clients.append(http)
        web = HttpSource(http, max_retry_after=settings.fetch_max_retry_after_seconds)
        sources: dict[str, Any] = {
            "http": web,
            "https": web,
            "file": FileSource(settings.fetch_file_root),
        }
        if s3 is not None:
            sources["s3"] = S3Source(s3, allowed_buckets=settings.fetch_s3_allowed_buckets)
        fetcher = Fetcher(
            store or FileBlobStore(tmp_path / "blobs"),
            sources,
            max_bytes=settings.fetch_max_bytes,
            total_timeout=settings.fetch_total_timeout_seconds,
            temp_dir=settings.fetch_temp_dir,
            breaker=breaker,
        )
        return FetchActivities(fetcher, heartbeat_seconds=settings.fetch_heartbeat_seconds)

    yield make
    for client in clients:
        await client.aclose()
