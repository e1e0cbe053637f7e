"""The sandbox fork server: `python -m docfleet_ocr.zygote FD`, started once per worker.

It imports PyMuPDF and Pillow once, then forks one child per document on request, so a document
costs a fork rather than seconds of imports. Forking the worker itself would be unsafe (it runs
threads); this process runs none. Requests arrive on the control socket `FD` with two file
descriptors: the child's end of the document channel and a pipe on which the child's exit
status (as `os.waitstatus_to_exitcode` gives it) is written when the child ends.
"""

from __future__ import annotations

import os
import select
import signal
import socket
import sys
from dataclasses import fields
from multiprocessing.connection import Connection

from docfleet_ocr.child import serve
from docfleet_ocr.options import ReadOptions
from docfleet_ocr.wire import HEADER_LIMIT, STATUS, decode

REAP_INTERVAL = 1.0
"""Reap at least this often even if a SIGCHLD wake-up were missed."""


def main(control: socket.socket) -> None:
    """Serve fork requests until the worker closes the control socket."""
    children: dict[int, int] = {}
    # SIGCHLD wakes the select below, so a child's status reaches the worker at once.
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    while True:
        ready, _, _ = select.select([control.fileno(), wake_r], [], [], REAP_INTERVAL)
        if wake_r in ready:
            os.read(wake_r, 4096)
        _reap(children)
        if control.fileno() not in ready:
            continue
        raw, fds, _, _ = socket.recv_fds(control, HEADER_LIMIT, 2)
        if not raw:
            return
        request = decode(raw)
        channel, status = fds
        pid = os.fork()
        if pid == 0:
            signal.set_wakeup_fd(-1)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            control.close()
            for other in [status, wake_r, wake_w, *children.values()]:
                os.close(other)
            _child(channel, request)
        os.close(channel)
        children[pid] = status
        control.sendall(STATUS.pack(pid))


def _child(channel: int, request: dict[str, object]) -> None:
    code = 0
    try:
        names = {field.name for field in fields(ReadOptions)}
        given = request["options"]
        assert isinstance(given, dict)
        options = ReadOptions(**{k: v for k, v in given.items() if k in names})
        serve(Connection(channel), str(request["kind"]), options, request.get("fault"))  # type: ignore[arg-type]
    except BaseException:
        code = 1
    os._exit(code)


def _reap(children: dict[int, int]) -> None:
    while children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        fd = children.pop(pid, None)
        if fd is None:
            continue
        try:
            os.write(fd, STATUS.pack(os.waitstatus_to_exitcode(status)))
        except OSError:
            pass  # the worker stopped listening for this child
        os.close(fd)


if __name__ == "__main__":
    main(socket.socket(fileno=int(sys.argv[1])))
