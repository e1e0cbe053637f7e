"""HTTP servers that misbehave on purpose, for the fetcher's fault tests.

Each runs in a thread on a free 127.0.0.1 port (like `httpd.FolderServer`), counts the requests
it gets (so a test can tell how often the fleet retried) and stops with `close()`.
"""

from __future__ import annotations

import mimetypes
import threading
from collections import Counter
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, cast
from urllib.parse import unquote, urlsplit


class _Server(ThreadingHTTPServer):
    fault: FaultServer


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        fault = cast(_Server, self.server).fault
        nth = fault._count(urlsplit(self.path).path)
        fault._answer(self, body=True, nth=nth)

    def do_HEAD(self) -> None:
        fault = cast(_Server, self.server).fault
        nth = fault._count(urlsplit(self.path).path)
        fault._answer(self, body=False, nth=nth)


class FaultServer:
    """Base: a threaded HTTP server with a thread-safe request counter."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._per_path: Counter[str] = Counter()
        self.closing = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fault = self
        self.port: int = self._server.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def url(self, name: str) -> str:
        return f"{self.base_url}/{name}"

    @property
    def requests(self) -> int:
        """Requests received so far, all paths together."""
        with self._lock:
            return sum(self._per_path.values())

    def requests_for(self, name: str) -> int:
        """Requests received so far for `/name`."""
        with self._lock:
            return self._per_path["/" + name.lstrip("/")]

    def close(self) -> None:
        self.closing.set()  # ends trickling responses still in flight
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FaultServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _count(self, path: str) -> int:
        """Count a request for `path`; returns how many that path has had, this one included."""
        with self._lock:
            self._per_path[path] += 1
            return self._per_path[path]

    def _answer(self, handler: BaseHTTPRequestHandler, *, body: bool, nth: int) -> None:
        raise NotImplementedError


def _send(
    handler: BaseHTTPRequestHandler,
    status: int,
    payload: bytes,
    content_type: str,
    headers: Mapping[str, str],
    body: bool,
) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(payload)))
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.end_headers()
    if body:
        handler.wfile.write(payload)


class AlwaysFailingServer(FaultServer):
    """Answers every request with `status` (503 by default), plus any `headers` (Retry-After)."""

    def __init__(self, status: int = 503, headers: Mapping[str, str] | None = None) -> None:
        self.status = status
        self.headers = dict(headers or {})
        super().__init__()

    def _answer(self, handler: BaseHTTPRequestHandler, *, body: bool, nth: int) -> None:
        message = f"deliberate failure {self.status}\n".encode()
        _send(handler, self.status, message, "text/plain", self.headers, body)


class TricklingServer(FaultServer):
    """Promises a large body (Content-Length) and then sends one byte every
    `byte_every_seconds`, forever, until the client goes away or the server closes."""

    def __init__(self, byte_every_seconds: float = 0.2, content_length: int = 10**9) -> None:
        self.byte_every_seconds = byte_every_seconds
        self.content_length = content_length
        self._sent_lock = threading.Lock()
        self.bytes_sent = 0
        super().__init__()

    def _answer(self, handler: BaseHTTPRequestHandler, *, body: bool, nth: int) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/pdf")
        handler.send_header("Content-Length", str(self.content_length))
        handler.end_headers()
        handler.wfile.flush()
        if not body:
            return
        prefix = b"%PDF-1.7\n"  # real magic bytes, so only the slowness is at fault
        sent = 0
        try:
            while sent < self.content_length and not self.closing.wait(self.byte_every_seconds):
                handler.wfile.write(prefix[sent : sent + 1] or b"0")
                handler.wfile.flush()
                sent += 1
                with self._sent_lock:
                    self.bytes_sent += 1
        except OSError:
            pass  # the client gave up: what the test wanted
        handler.close_connection = True


class FlakyServer(FaultServer):
    """Serves files from `folder`, but each path fails its first `failures_per_path` requests
    with `status` (and `headers`); later requests get the file (404 when it does not exist)."""

    def __init__(
        self,
        folder: Path,
        failures_per_path: int = 1,
        status: int = 503,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.folder = folder.resolve()
        self.failures_per_path = failures_per_path
        self.status = status
        self.headers = dict(headers or {})
        super().__init__()

    def _answer(self, handler: BaseHTTPRequestHandler, *, body: bool, nth: int) -> None:
        path = urlsplit(handler.path).path
        if nth <= self.failures_per_path:
            message = f"deliberate failure {self.status}\n".encode()
            _send(handler, self.status, message, "text/plain", self.headers, body)
            return
        file = (self.folder / unquote(path).lstrip("/")).resolve()
        if not file.is_relative_to(self.folder) or not file.is_file():
            _send(handler, 404, b"not found\n", "text/plain", {}, body)
            return
        content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        _send(handler, 200, file.read_bytes(), content_type, {}, body)
