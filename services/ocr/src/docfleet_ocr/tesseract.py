"""Tesseract as an OCR engine: the `tesseract` program (Debian's tesseract-ocr), a process per page.

A process per read keeps the engine thread-safe and lets a time limit or a cancellation end a read
at once (the process is killed); the image goes in on stdin as PNM, the words come back as TSV.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Mapping

import cv2

from docfleet_ocr.engine import BLANK_RANGE, Image, OcrLine
from docfleet_ocr.errors import DocumentTooLarge, EngineUnavailable, ReadStopped

INSTALL = "apt-get install tesseract-ocr tesseract-ocr-eng (or `make install`)"
"""How to get the program and its English data on Debian/Ubuntu."""
POLL_SECONDS = 0.05
"""How often a running read checks its time limit and stop event."""
WORD_LEVEL = "5"
"""TSV rows of this level are words; the others (page, block, paragraph, line) carry no text."""
PAGE_MODES = frozenset({1, *range(3, 14)})
"""`--psm` values that recognise text (0 only detects orientation; 2 is not implemented)."""
PROBE_SECONDS = 30.0
"""Longest wait for `tesseract --version` / `--list-langs` at construction."""

# One thread per process: OpenMP threads made Tesseract slower on the 2-core machines it was
# measured on, and the worker already runs one page per core.
_ENV_OVERRIDES = {"OMP_THREAD_LIMIT": "1"}


class TesseractEngine:
    """Reads a page with the `tesseract` program: its words, grouped into its text lines.

    Each line's confidence is the mean of its words' (0-1); its box encloses its words' boxes.
    Built once per worker: the constructor checks the program and its language data and keeps
    the program's `version` for the logs.
    """

    name = "tesseract"

    def __init__(self, *, cmd: str = "tesseract", lang: str = "eng", psm: int = 3) -> None:
        """`EngineUnavailable` when `cmd` is not a runnable program or lacks a language of
        `lang` (`eng`, `eng+deu`, ...); `ValueError` for a `psm` that recognises no text."""
        if psm not in PAGE_MODES:
            raise ValueError(f"tesseract page segmentation mode {psm} reads no text: 1 or 3-13")
        path = shutil.which(cmd)
        if path is None:
            raise EngineUnavailable(
                f"the tesseract program {cmd!r} was not found: install it with {INSTALL}, "
                "or point DOCFLEET_OCR_TESSERACT_CMD at it"
            )
        self.cmd = path
        self.lang = lang
        self.psm = psm
        self._env: Mapping[str, str] = {**os.environ, **_ENV_OVERRIDES}
        self.version = _version(_probe([path, "--version"], self._env))
        """The program's version (`5.3.0`), for the startup log."""
        listed = _probe([path, "--list-langs"], self._env).splitlines()[1:]
        available = {line.strip() for line in listed if line.strip()}
        missing = sorted(set(lang.split("+")) - available)
        if missing:
            raise EngineUnavailable(
                f"tesseract at {path} has no language data for {', '.join(missing)} "
                f"(it has: {', '.join(sorted(available)) or 'none'}): install "
                f"tesseract-ocr-<lang> packages ({INSTALL}), or set DOCFLEET_OCR_TESSERACT_LANG"
            )

    def read(
        self,
        image: Image,
        time_limit: float | None = None,
        stop: threading.Event | None = None,
    ) -> list[OcrLine]:
        started = time.monotonic()
        if min(image.shape[:2]) < 8 or int(image.max()) - int(image.min()) < BLANK_RANGE:
            return []  # blank or a sliver: not worth a process
        if stop is not None and stop.is_set():
            raise ReadStopped("OCR of the page was stopped: its activity was cancelled")
        ok, encoded = cv2.imencode(".pgm" if image.ndim == 2 else ".ppm", image)
        if not ok:
            raise ValueError(f"cannot encode a {image.shape} image as PNM")
        tsv = self._run(encoded.tobytes(), started, time_limit, stop)
        return lines_of_tsv(tsv, self.name)

    def _run(
        self,
        image: bytes,
        started: float,
        time_limit: float | None,
        stop: threading.Event | None,
    ) -> str:
        args = [self.cmd, "stdin", "stdout", "-l", self.lang, "--psm", str(self.psm), "tsv"]
        try:
            process = subprocess.Popen(
                args,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=self._env,
            )
        except OSError as exc:  # the program went away after startup
            raise EngineUnavailable(f"cannot run tesseract at {self.cmd}: {exc}") from exc
        # communicate() runs in a helper thread: with a timeout it stops feeding stdin once it
        # has timed out (CPython registers stdin only on the first call), so poll a thread instead.
        outcome: list[tuple[bytes, bytes]] = []
        talker = threading.Thread(
            target=lambda: outcome.append(process.communicate(image)),
            name="tesseract-io",
            daemon=True,
        )
        talker.start()
        try:
            while True:
                talker.join(POLL_SECONDS)
                if not talker.is_alive():
                    break
                if stop is not None and stop.is_set():
                    raise ReadStopped("OCR of the page was stopped: its activity was cancelled")
                if time_limit is not None and time.monotonic() - started > time_limit:
                    raise DocumentTooLarge(
                        f"OCR of one page took over {time_limit:g} s (tesseract; "
                        "DOCFLEET_OCR_PAGE_SECONDS)"
                    )
        finally:
            if talker.is_alive():
                process.kill()  # its pipes close, so communicate() returns and the thread ends
                talker.join()
        if not outcome:
            raise EngineUnavailable(f"lost touch with tesseract at {self.cmd}")
        out, err = outcome[0]
        if process.returncode != 0:
            detail = err.decode("utf-8", "replace").strip()[-500:]
            raise EngineUnavailable(f"tesseract exited with {process.returncode}: {detail}")
        return out.decode("utf-8", "replace")


def lines_of_tsv(tsv: str, engine: str = TesseractEngine.name) -> list[OcrLine]:
    """Tesseract's TSV output as text lines, in its reading order.

    Words (level 5) with a confidence (>= 0) and some text are grouped by their block,
    paragraph and line numbers and joined by single spaces.
    """
    words: dict[tuple[str, ...], list[tuple[str, float, int, int, int, int]]] = {}
    for row in tsv.splitlines()[1:]:
        fields = row.split("\t", 11)
        if len(fields) < 12 or fields[0] != WORD_LEVEL:
            continue
        text, confidence = fields[11].strip(), float(fields[10])
        if confidence < 0 or not text:
            continue
        left, top, width, height = (int(value) for value in fields[6:10])
        line = tuple(fields[1:5])  # page, block, paragraph, line
        words.setdefault(line, []).append((text, confidence, left, top, left + width, top + height))
    lines = []
    for members in words.values():
        confidence = sum(word[1] for word in members) / len(members) / 100
        box = (
            float(min(word[2] for word in members)),
            float(min(word[3] for word in members)),
            float(max(word[4] for word in members)),
            float(max(word[5] for word in members)),
        )
        text = " ".join(word[0] for word in members)
        lines.append(OcrLine(text, min(1.0, confidence), box, engine))
    return lines


def _probe(args: list[str], env: Mapping[str, str]) -> str:
    """What a quick run of the program prints (stdout and stderr: versions differ in which)."""
    try:
        done = subprocess.run(args, capture_output=True, env=env, timeout=PROBE_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise EngineUnavailable(f"cannot run {' '.join(args)}: {exc} ({INSTALL})") from exc
    output = (done.stdout + done.stderr).decode("utf-8", "replace")
    if done.returncode != 0:
        raise EngineUnavailable(
            f"{' '.join(args)} exited with {done.returncode}: {output.strip()[-300:]}"
        )
    return output


def _version(banner: str) -> str:
    """`5.3.0` from `tesseract 5.3.0` (the first line of `tesseract --version`)."""
    found = re.search(r"tesseract\s+v?(\S+)", banner)
    if found is None:
        raise EngineUnavailable(f"not a tesseract program (its --version says {banner[:80]!r})")
    return found.group(1)
