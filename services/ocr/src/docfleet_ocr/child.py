"""The sandbox child: opens one untrusted document under hard limits and serves its pages.

It runs in a process forked from a fork server that imported PyMuPDF and Pillow once; it sets
its own memory, CPU and core-dump limits before it reads a byte of the document, then answers
page requests one at a time until the worker closes the pipe.
"""

from __future__ import annotations

import os
import resource
import signal
import sys
import time
from multiprocessing.connection import Connection

# PyMuPDF imports its optional layout analyser (ONNX, numpy) and pymupdf4llm (which imports
# ONNX Runtime) when installed: we use neither, and they cost seconds of import and hundreds
# of MB of the child's address-space budget (pymupdf4llm alone: ~160 MB, 0.35 s).
if "pymupdf" not in sys.modules:
    sys.modules.setdefault("pymupdf.layout", None)  # type: ignore[arg-type]
    sys.modules.setdefault("pymupdf4llm", None)  # type: ignore[arg-type]

import pymupdf

from docfleet_ocr.images import ImagePages
from docfleet_ocr.options import Fault, ReadOptions
from docfleet_ocr.pdf import PdfPages
from docfleet_ocr.wire import HEADER_LIMIT, MEMORY_EXIT, Page, Refused, decode, encode

CPU_GRACE = 2
"""Seconds between SIGXCPU (soft CPU limit) and SIGKILL (hard limit)."""


def serve(conn: Connection, kind: str, options: ReadOptions, fault: Fault | None) -> None:
    """Process entry point: limits first, then the document; every failure becomes a message."""
    _limit(options)
    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
    try:
        _serve(conn, kind, options, fault)
    except Refused as exc:
        _refuse(conn, exc.kind, str(exc))
    except MemoryError:
        _refuse(conn, "too_large", memory_message(options))
    except Exception as exc:
        if "malloc" in str(exc).lower() or "out of memory" in str(exc).lower():
            _refuse(conn, "too_large", memory_message(options))
        else:
            _refuse(conn, "invalid", f"the document cannot be read: {exc}")
    finally:
        conn.close()


def memory_message(options: ReadOptions) -> str:
    return (
        f"reading the document needs more than {options.memory_mb} MB of memory "
        "(DOCFLEET_OCR_SANDBOX_MEMORY_MB)"
    )


def _limit(options: ReadOptions) -> None:
    memory = options.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = max(1, int(options.cpu_seconds))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + CPU_GRACE))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _serve(conn: Connection, kind: str, options: ReadOptions, fault: Fault | None) -> None:
    password = decode(conn.recv_bytes(HEADER_LIMIT)).get("password")
    data = conn.recv_bytes()
    pages: PdfPages | ImagePages = (
        PdfPages(data, options, password if isinstance(password, str) else None)
        if kind == "pdf"
        else ImagePages(data, kind, options)
    )
    del data, password
    if pages.count == 0:
        raise Refused("invalid", "the document has no pages")
    if pages.count > options.max_pages:
        raise Refused(
            "too_large",
            f"document has {pages.count} pages; this worker reads at most "
            f"{options.max_pages} (DOCFLEET_OCR_MAX_PAGES)",
        )
    conn.send_bytes(encode({"pages": pages.count}))
    _commit(fault)
    while True:
        try:
            request = decode(conn.recv_bytes(HEADER_LIMIT))
        except EOFError:
            return
        number = int(request["page"])
        if not 1 <= number <= pages.count:
            raise Refused("invalid", f"no page {number}")
        _send_page(conn, number, pages.page(number))


def _send_page(conn: Connection, number: int, page: Page) -> None:
    if page.text is not None:
        conn.send_bytes(encode({"page": number, "text": True}))
        conn.send_bytes(page.text.encode())
    else:
        header = {"page": number, "width": page.width, "height": page.height, "dpi": page.dpi}
        conn.send_bytes(encode(header))
        conn.send_bytes(page.pixels)


def _refuse(conn: Connection, kind: str, message: str) -> None:
    try:
        conn.send_bytes(encode({"error": kind, "message": message[:1000]}))
    except MemoryError:
        os._exit(MEMORY_EXIT)
    except OSError:
        pass  # the worker has gone or given up on us


def _commit(fault: Fault | None) -> None:
    """Test-only faults, reachable only through an explicit `fault` argument."""
    if fault == "segfault":
        os.kill(os.getpid(), signal.SIGSEGV)
    elif fault == "hang":
        time.sleep(3600)
    elif fault == "spin":
        while True:
            pass
