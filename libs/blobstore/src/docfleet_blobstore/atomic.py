"""Atomic file writes: a temporary file in the target's folder, fsync, then `os.replace`.

Readers see the old file or the new one, never half of one; after a crash the file is intact.
The temporary file is removed on every failure, so no `*.docfleet-tmp` outlives a write.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from docfleet_blobstore.parts import TEMP_SUFFIX


class WriteStopped(Exception):
    """The write was abandoned (its task was cancelled) before the file was complete."""


def write_atomic(
    target: Path,
    chunks: Iterable[bytes],
    stop: threading.Event | None = None,
    after_chunk: Callable[[int, str, int], None] | None = None,
) -> tuple[str, int]:
    """Write `chunks` to `target` atomically; returns the SHA-256 and size of the whole.

    `after_chunk(index, sha256, size)` is called once each chunk is written; `stop`, when set,
    abandons the write at the next chunk boundary.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f"{target.name}.", suffix=TEMP_SUFFIX)
    temp = Path(name)
    whole = hashlib.sha256()
    size = 0
    try:
        with os.fdopen(fd, "wb") as out:
            for index, chunk in enumerate(chunks):
                if stop is not None and stop.is_set():
                    raise WriteStopped(f"write of {target} abandoned")
                out.write(chunk)
                whole.update(chunk)
                size += len(chunk)
                if after_chunk is not None:
                    after_chunk(index, hashlib.sha256(chunk).hexdigest(), len(chunk))
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_folder(target.parent)
    return whole.hexdigest(), size


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable; some platforms cannot open a folder, which is fine."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
