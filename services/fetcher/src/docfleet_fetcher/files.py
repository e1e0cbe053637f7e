"""file:// reads, confined to one configured root folder (symlinks resolved first)."""

from __future__ import annotations

import asyncio
import stat
from pathlib import Path
from urllib.parse import unquote, urlsplit

from docfleet_fetcher.errors import BadFetchRequest, SourceAccessDenied, SourceNotFound
from docfleet_fetcher.settings import FILE_ROOT_ENV
from docfleet_fetcher.spool import Spool
from docfleet_fetcher.urls import redact_url

CHUNK_BYTES = 1 << 20


class FileSource:
    """Copies files under `root` into a spool; with no root, every file:// URL is refused."""

    def __init__(self, root: Path | None) -> None:
        self.root = root.resolve() if root is not None else None

    def resolve(self, url: str) -> Path:
        """The real path a file:// URL names, or a `FetchError` if it is not allowed."""
        if self.root is None:
            raise SourceAccessDenied(
                f"{redact_url(url)}: file:// URLs are disabled on this worker; set {FILE_ROOT_ENV} "
                "to the folder they may read from"
            )
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise BadFetchRequest(
                f"{redact_url(url)}: file:// URLs must be absolute, as file:///path"
            )
        try:
            # resolve() follows every symlink, so a link pointing outside the root is caught here.
            path = Path(unquote(parts.path)).resolve()
        except (ValueError, OSError) as exc:
            raise BadFetchRequest(f"{redact_url(url)}: not a usable path ({exc})") from exc
        if not path.is_relative_to(self.root):
            raise SourceAccessDenied(
                f"{redact_url(url)} lies outside the allowed folder {self.root}"
            )
        return path

    async def download(self, url: str, spool: Spool) -> None:
        """Copy the file into `spool` off the event loop."""
        path = self.resolve(url)
        await asyncio.to_thread(_copy, url, path, spool)


def _copy(url: str, path: Path, spool: Spool) -> None:
    try:
        # Checked before opening: opening a FIFO or device would block or never end.
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise BadFetchRequest(f"{redact_url(url)} is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise BadFetchRequest(f"{redact_url(url)} is not a regular file")
        spool.check_declared_size(info.st_size, redact_url(url))
        with path.open("rb") as source:
            while chunk := source.read(CHUNK_BYTES):
                spool.write(chunk)
    except FileNotFoundError:
        raise SourceNotFound(f"{redact_url(url)}: no such file") from None
    except PermissionError:
        raise SourceAccessDenied(f"{redact_url(url)}: the worker may not read this file") from None
