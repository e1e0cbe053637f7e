"""Each document's parser runs in its own child process with hard limits; the worker only talks.

A crash, hang or memory blow-up in PyMuPDF or Pillow kills that child, not the worker: the
child's death becomes a typed error and the worker carries on with the next document.
"""

from __future__ import annotations

import dataclasses
import os
import select
import signal
import socket
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

import numpy as np

from docfleet_ocr.engine import Image
from docfleet_ocr.errors import (
    DocumentTooLarge,
    EncryptedDocument,
    InvalidDocument,
    OcrError,
    ReadStopped,
)
from docfleet_ocr.forkserver import FORK_SERVER
from docfleet_ocr.options import Fault, ReadOptions
from docfleet_ocr.wire import HEADER_LIMIT, MAX_DPI, MEMORY_EXIT, STATUS, decode, encode

EXIT_WAIT = 5.0
"""How long a child that closed its channel gets to exit before it is killed."""
RESOURCE_SIGNALS = (signal.SIGXCPU, signal.SIGKILL)
REFUSALS: dict[str, type[OcrError]] = {
    "too_large": DocumentTooLarge,
    "encrypted": EncryptedDocument,
    "invalid": InvalidDocument,
}
"""The error each refusal kind of the wire protocol becomes; unknown kinds are InvalidDocument."""


@dataclass(frozen=True)
class Rendered:
    """A page the child rendered (PDF) or decoded (image file): grey pixels, and the resolution
    a PDF page was rendered at (None for image files)."""

    image: Image
    dpi: int | None = None


class Sandbox:
    """One document open in a limited child; `page(n)` gives its text layer or a `Rendered` image.

    `page` and `close` may run on different threads (one at a time: a lock orders them);
    `interrupt` may be called from any thread, even while a page is in flight.
    """

    def __init__(
        self,
        data: bytes,
        kind: str,
        options: ReadOptions,
        fault: Fault | None,
        password: str | None = None,
    ) -> None:
        self._options = options
        self._budget = options.wall_seconds
        ours, theirs = socket.socketpair()
        status_r, status_w = os.pipe()
        self._status = status_r
        self._exit: int | None = None
        self._lock = threading.Lock()
        self._socket_lock = threading.Lock()
        self._interrupted = False
        request = {"kind": kind, "options": dataclasses.asdict(options), "fault": fault}
        try:
            self._pid = FORK_SERVER.fork(request, theirs.fileno(), status_w)
        except BaseException:
            ours.close()
            os.close(status_r)
            raise
        finally:
            theirs.close()
            os.close(status_w)
        # The socket stays open beside the connection (a duplicate descriptor) so `interrupt`
        # can shut the channel down under a thread blocked on it, without closing a descriptor.
        self._socket = ours
        self._conn = Connection(os.dup(ours.fileno()))
        try:
            # The password goes down the document channel, never into the fork request, argv or env.
            self._call(encode({"password": password}))
            self._call(data)
            self.page_count = self._number(self._header(), "pages")
        except BaseException:
            self.close()
            raise

    def page(self, number: int) -> str | Rendered:
        with self._lock:
            if self._interrupted or self._conn.closed:
                raise ReadStopped(f"page {number} was not read: the reader was stopped")
            return self._page(number)

    def _page(self, number: int) -> str | Rendered:
        self._call(encode({"page": number}))
        header = self._header()
        if header.get("page") != number:
            raise self._violation(f"answered {header!r} for page {number}")
        if header.get("text") is True:
            raw = self._receive(4 * self._options.max_text_chars + 4)
            return raw.decode("utf-8", errors="replace")
        width, height = self._number(header, "width"), self._number(header, "height")
        if not (0 < width and 0 < height and width * height <= self._options.max_image_pixels):
            raise self._violation(f"sent a {width}x{height} page")
        dpi = header.get("dpi")
        if dpi is not None and not (type(dpi) is int and 0 < dpi <= MAX_DPI):
            raise self._violation(f"sent dpi={dpi!r}")
        pixels = self._receive(width * height)
        if len(pixels) != width * height:
            raise self._violation("sent a short image")
        return Rendered(np.frombuffer(pixels, dtype=np.uint8).reshape(height, width), dpi)

    @property
    def exit_code(self) -> int | None:
        """The child's exit status once known (negative: killed by that signal)."""
        return self._exit

    def interrupt(self) -> None:
        """Stop the child now, from any thread: a page in flight fails with `ReadStopped`.

        Shutting the channel down wakes the thread waiting on it, and the child sees end-of-file
        (or a broken pipe) at once; `close` must still follow.
        """
        self._interrupted = True
        with self._socket_lock:
            if self._socket.fileno() != -1:
                try:
                    self._socket.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass  # the child has gone already

    def close(self) -> None:
        """End the child (it exits on end-of-file) and reap its status."""
        with self._lock:
            if self._conn.closed:
                return
            self._conn.close()
            with self._socket_lock:
                self._socket.close()
            if self._wait_exit(0 if self._interrupted else EXIT_WAIT) is None:
                self._kill()
            os.close(self._status)

    def _call(self, message: bytes) -> None:
        try:
            self._conn.send_bytes(message)
        except OSError:
            raise self._death() from None

    def _header(self) -> dict[str, Any]:
        try:
            header = decode(self._receive(HEADER_LIMIT))
        except ValueError as exc:
            raise self._violation(f"sent a malformed header: {exc}") from exc
        if "error" in header:
            error = REFUSALS.get(str(header["error"]), InvalidDocument)
            raise error(str(header.get("message", "the document was refused")))
        return header

    def _receive(self, limit: int) -> bytes:
        started = time.monotonic()
        ready = self._conn.poll(max(self._budget, 0.0))
        self._budget -= time.monotonic() - started
        if not ready:
            self._kill()
            raise DocumentTooLarge(
                f"reading the document took longer than {self._options.wall_seconds:g} s "
                "(DOCFLEET_OCR_SANDBOX_WALL_SECONDS); the parser was stopped"
            )
        try:
            return self._conn.recv_bytes(limit)
        except (EOFError, OSError):
            raise self._death() from None

    def _death(self) -> Exception:
        if self._interrupted:
            self._kill()
            return ReadStopped("the reader was stopped while a page was in flight")
        code = self._wait_exit(EXIT_WAIT)
        if code is None:
            self._kill()
            return InvalidDocument("the document parser stopped answering")
        if code == MEMORY_EXIT:
            return DocumentTooLarge(
                f"reading the document needs more than {self._options.memory_mb} MB of memory "
                "(DOCFLEET_OCR_SANDBOX_MEMORY_MB)"
            )
        if -code in RESOURCE_SIGNALS:
            return DocumentTooLarge(
                f"the document parser was killed by {signal.Signals(-code).name}: over its "
                f"limit of {self._options.cpu_seconds} CPU seconds "
                "(DOCFLEET_OCR_SANDBOX_CPU_SECONDS) or out of memory"
            )
        if code < 0:
            name = signal.Signals(-code).name
            return InvalidDocument(f"the document parser crashed on this document ({name})")
        return InvalidDocument(f"the document parser failed on this document (exit {code})")

    def _number(self, header: dict[str, Any], key: str) -> int:
        value = header.get(key)
        if not isinstance(value, int):
            raise self._violation(f"sent {key}={value!r}")
        return value

    def _violation(self, what: str) -> InvalidDocument:
        self._kill()
        return InvalidDocument(f"the document parser {what}")

    def _wait_exit(self, timeout: float) -> int | None:
        if self._exit is None:
            ready, _, _ = select.select([self._status], [], [], timeout)
            raw = os.read(self._status, STATUS.size) if ready else b""
            if len(raw) == STATUS.size:
                self._exit = int(STATUS.unpack(raw)[0])
        return self._exit

    def _kill(self) -> None:
        if self._wait_exit(0) is None:  # not yet reaped, so the pid is still this child's
            os.kill(self._pid, signal.SIGKILL)
            self._wait_exit(EXIT_WAIT)
