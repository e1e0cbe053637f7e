"""http(s):// downloads with httpx: streamed to a spool, statuses mapped to domain errors."""

from __future__ import annotations

import httpx

from docfleet_fetcher.errors import (
    BadFetchRequest,
    FetchError,
    SourceAccessDenied,
    SourceNotFound,
    TransientFetchError,
)
from docfleet_fetcher.settings import FetchSettings
from docfleet_fetcher.spool import Spool

CHUNK_BYTES = 64 * 1024


def build_http_client(
    settings: FetchSettings, *, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    """The worker's one HTTP client: timeouts, bounded redirects and a DocFleet User-Agent."""
    timeout = httpx.Timeout(
        settings.fetch_read_timeout_seconds,
        connect=settings.fetch_connect_timeout_seconds,
    )
    return httpx.AsyncClient(
        timeout=timeout,
        follow_redirects=True,
        max_redirects=settings.fetch_max_redirects,
        headers={"User-Agent": settings.fetch_user_agent},
        transport=transport,
    )


class HttpSource:
    """Downloads http(s) URLs through a shared `httpx.AsyncClient`."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    async def download(self, url: str, spool: Spool) -> None:
        """Stream `url` into `spool`; raises a `FetchError` for anything but a full 2xx body."""
        try:
            async with self._client.stream("GET", url) as response:
                check_status(response.status_code, url)
                spool.check_declared_size(_content_length(response), url)
                async for chunk in response.aiter_bytes(CHUNK_BYTES):
                    spool.write(chunk)
        except httpx.TooManyRedirects:
            raise BadFetchRequest(
                f"{url} redirected more than {self._client.max_redirects} times"
            ) from None
        except httpx.TimeoutException as exc:
            raise TransientFetchError(f"{url} timed out ({type(exc).__name__})") from exc
        except httpx.UnsupportedProtocol as exc:
            raise BadFetchRequest(f"{url}: {exc} (redirects may only go to http/https)") from exc
        except httpx.TransportError as exc:
            raise TransientFetchError(f"{url} could not be read: {exc!r}") from exc
        except (httpx.InvalidURL, httpx.StreamError) as exc:
            raise BadFetchRequest(f"{url}: {exc}") from exc
        except httpx.DecodingError as exc:
            raise TransientFetchError(f"{url} sent an undecodable body: {exc}") from exc


def check_status(status: int, url: str) -> None:
    """Map a final HTTP status to its domain error; 2xx passes."""
    if 200 <= status < 300:
        return
    error: FetchError
    if status in (404, 410):
        error = SourceNotFound(f"{url} answered HTTP {status}")
    elif status in (401, 403):
        error = SourceAccessDenied(f"{url} answered HTTP {status}: credentials or access needed")
    elif status in (408, 429):
        error = TransientFetchError(f"{url} answered HTTP {status}; will retry later")
    elif status >= 500:
        error = TransientFetchError(f"{url} answered HTTP {status} (server error)")
    else:
        error = BadFetchRequest(f"{url} answered HTTP {status}")
    raise error


def _content_length(response: httpx.Response) -> int | None:
    value = response.headers.get("Content-Length")
    try:
        return int(value) if value is not None else None
    except ValueError:
        # A garbled header decides nothing; the streamed byte count still enforces the cap.
        return None
