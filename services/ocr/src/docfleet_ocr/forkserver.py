"""The worker's side of the sandbox fork server (`zygote.py`): start it, ask it for children."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from collections.abc import Mapping

from docfleet_ocr.wire import STATUS, encode

START_TIMEOUT = 120.0
"""Longest wait for the fork server to import its libraries and fork the first child."""


class _ForkServer:
    """The worker's one `docfleet_ocr.zygote` process, (re)started on demand."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._control: socket.socket | None = None

    def fork(self, request: Mapping[str, object], channel: int, status: int) -> int:
        with self._lock:
            control = self._ensure()
            try:
                socket.send_fds(control, [encode(request)], [channel, status])
                reply = control.recv(STATUS.size)
            except OSError:
                reply = b""
            if len(reply) != STATUS.size:
                self._stop()
                raise RuntimeError("the sandbox fork server did not answer")
            return int(STATUS.unpack(reply)[0])

    def warm_up(self) -> None:
        with self._lock:
            self._ensure()

    def _ensure(self) -> socket.socket:
        if self._process is not None and self._process.poll() is None and self._control:
            return self._control
        self._stop()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        command = [sys.executable, "-m", "docfleet_ocr.zygote", str(theirs.fileno())]
        self._process = subprocess.Popen(
            command, pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, stdout=sys.stderr
        )
        theirs.close()
        ours.settimeout(START_TIMEOUT)
        self._control = ours
        return ours

    def _stop(self) -> None:
        if self._control is not None:
            self._control.close()  # the fork server exits on end-of-file
            self._control = None
        if self._process is not None:
            self._process.wait()
            self._process = None


FORK_SERVER = _ForkServer()


def warm_up() -> None:
    """Start the fork server now (it imports PyMuPDF, seconds) rather than at the first document."""
    FORK_SERVER.warm_up()
