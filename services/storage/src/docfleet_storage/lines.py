"""Lines of a blob from any byte offset, read in ranged chunks: never the whole object at once.

A line longer than the cap is not kept: its bytes are skipped up to its newline and it comes
back without data, so one bad line costs a bounded amount of memory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from docfleet_blobstore import BlobStore

BOM = b"\xef\xbb\xbf"
"""A UTF-8 byte-order mark, which some editors put at the start of a file."""

Progress = Callable[[int], None]
"""Called after every chunk read with the bytes read so far."""


@dataclass(frozen=True)
class Line:
    """One line: where it starts, where the next one starts, and its bytes without the newline
    (None when longer than the cap). `head` is its first non-blank byte, b"" if all blank."""

    start: int
    end: int
    data: bytes | None
    head: bytes

    @property
    def counts(self) -> bool:
        """Whether the line is a document: blank lines and `#` comments are not."""
        return self.head not in (b"", b"#")


class LineReader:
    """Reads the lines of the blob at `uri` from byte `offset`, one chunk at a time."""

    def __init__(
        self,
        blobs: BlobStore,
        uri: str,
        offset: int = 0,
        *,
        chunk_bytes: int = 256 * 1024,
        max_line_bytes: int = 64 * 1024,
        progress: Progress | None = None,
    ) -> None:
        self.blobs = blobs
        self.uri = uri
        self.chunk_bytes = chunk_bytes
        self.max_line_bytes = max_line_bytes
        self.progress = progress
        self._first = offset
        self._buffer = bytearray()
        self._buffer_start = offset  # blob offset of self._buffer[0]
        self._read_at = offset
        self._eof = False

    async def next(self) -> Line | None:
        """The next line, or None at the end of the blob."""
        if self._buffer_start == 0:  # the very start: skip a byte-order mark
            while len(self._buffer) < len(BOM) and not self._eof:
                await self._fill()
            if self._buffer.startswith(BOM):
                self._drop(len(BOM))
        start = self._buffer_start
        too_long = False
        head = b""
        scanned = 0
        while True:
            newline = self._buffer.find(b"\n", scanned)
            if newline >= 0:
                return self._take(start, newline, newline + 1, too_long, head)
            if self._eof:
                if not self._buffer and not too_long:
                    return None
                return self._take(start, len(self._buffer), len(self._buffer), too_long, head)
            if len(self._buffer) > self.max_line_bytes:
                # Too long to keep: remember only whether it was blank or a comment.
                head = head or bytes(self._buffer).lstrip()[:1]
                too_long = True
                self._drop(len(self._buffer))
            scanned = len(self._buffer)
            await self._fill()

    def _take(self, start: int, stop: int, consumed: int, too_long: bool, head: bytes) -> Line:
        data: bytes | None = None
        if not too_long and stop <= self.max_line_bytes:
            data = bytes(self._buffer[:stop])
            head = data.lstrip()[:1]
        else:
            head = head or bytes(self._buffer[:stop]).lstrip()[:1]
        self._drop(consumed)
        return Line(start=start, end=self._buffer_start, data=data, head=head)

    def _drop(self, count: int) -> None:
        del self._buffer[:count]
        self._buffer_start += count

    async def _fill(self) -> None:
        chunk = await self.blobs.get_range(self.uri, self._read_at, self.chunk_bytes)
        # Fewer bytes than asked: the blob ends here (a range past the end reads nothing).
        self._eof = len(chunk) < self.chunk_bytes
        self._read_at += len(chunk)
        self._buffer += chunk
        if self.progress is not None:
            self.progress(self._read_at - self._first)
