"""http(s):// downloads with httpx: checked hop by hop, streamed to a spool, statuses mapped."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

from docfleet_fetcher.addresses import AddressPolicy, Resolver
from docfleet_fetcher.errors import (
    BadFetchRequest,
    FetchError,
    FetchTimeout,
    RateLimited,
    SourceAccessDenied,
    SourceNotFound,
    SourceUnavailable,
    TransientFetchError,
)
from docfleet_fetcher.settings import CONNECT_TIMEOUT_ENV, READ_TIMEOUT_ENV, FetchSettings
from docfleet_fetcher.spool import Spool
from docfleet_fetcher.transport import GuardedTransport
from docfleet_fetcher.urls import check_http_url, redact_url

CHUNK_BYTES = 64 * 1024


def build_http_client(
    settings: FetchSettings,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    resolver: Resolver | None = None,
) -> httpx.AsyncClient:
    """The worker's one HTTP client: every connection checked and pinned by a `GuardedTransport`.

    `transport` replaces the guard entirely (unit tests with `httpx.MockTransport` only);
    `resolver` replaces the system DNS lookup inside the guard.
    """
    timeout = httpx.Timeout(
        settings.fetch_read_timeout_seconds,
        connect=settings.fetch_connect_timeout_seconds,
    )
    if transport is None:
        policy = AddressPolicy(
            allow_cidrs=settings.fetch_allow_cidrs,
            allow_hosts=settings.fetch_allow_hosts,
            resolver=resolver,
            resolve_timeout=settings.fetch_connect_timeout_seconds,
        )
        transport = GuardedTransport(policy)
    return httpx.AsyncClient(
        timeout=timeout,
        # Redirects are followed by `HttpSource`, so each hop is checked like the first URL.
        follow_redirects=False,
        max_redirects=settings.fetch_max_redirects,
        headers={"User-Agent": settings.fetch_user_agent},
        transport=transport,
        # No proxies, .netrc or other ambient configuration may change where requests go.
        trust_env=False,
    )


class HttpSource:
    """Downloads http(s) URLs through a shared `httpx.AsyncClient`, one checked hop at a time."""

    def __init__(self, client: httpx.AsyncClient, *, max_retry_after: float = 600.0) -> None:
        self._client = client
        self._max_retry_after = max_retry_after

    async def download(self, url: str, spool: Spool) -> None:
        """Stream `url` into `spool`; raises a `FetchError` for anything but a full 2xx body."""
        where = redact_url(url)
        try:
            for _ in range(self._client.max_redirects + 1):
                check_http_url(url)
                where = redact_url(url)
                request = self._client.build_request("GET", url)
                response = await self._client.send(request, stream=True)
                try:
                    if response.has_redirect_location:
                        url = str(response.url.join(response.headers["Location"]))
                        continue
                    check_status(
                        response.status_code,
                        where,
                        retry_after=self._retry_after(response),
                    )
                    spool.check_declared_size(_content_length(response), where)
                    async for chunk in response.aiter_bytes(CHUNK_BYTES):
                        spool.write(chunk)
                    return
                finally:
                    await response.aclose()
            raise BadFetchRequest(
                f"{redact_url(url)}: redirected more than {self._client.max_redirects} times"
            )
        except httpx.TimeoutException as exc:
            raise self._timeout(exc, where) from exc
        except httpx.UnsupportedProtocol as exc:
            raise BadFetchRequest(f"{where}: {exc} (only http/https)") from exc
        except httpx.TransportError as exc:
            raise SourceUnavailable(f"{where} could not be read: {exc!r}") from exc
        except (httpx.InvalidURL, httpx.StreamError) as exc:
            raise BadFetchRequest(f"{where}: {exc}") from exc
        except httpx.DecodingError as exc:
            raise TransientFetchError(f"{where} sent an undecodable body: {exc}") from exc

    def _retry_after(self, response: httpx.Response) -> float | None:
        if response.status_code not in (429, 503):
            return None
        delay = parse_retry_after(response.headers.get("Retry-After"))
        return None if delay is None else min(delay, self._max_retry_after)

    def _timeout(self, exc: httpx.TimeoutException, where: str) -> FetchError:
        limits = self._client.timeout
        if isinstance(exc, httpx.ConnectTimeout):
            return FetchTimeout(
                f"{where}: no connection within {limits.connect:g} s ({CONNECT_TIMEOUT_ENV})"
            )
        if isinstance(exc, httpx.PoolTimeout):
            # Every connection of this worker is busy: nothing to hold against the host.
            return TransientFetchError(f"{where}: no free connection within {limits.pool:g} s")
        return FetchTimeout(f"{where}: nothing received for {limits.read:g} s ({READ_TIMEOUT_ENV})")


def check_status(status: int, url: str, *, retry_after: float | None = None) -> None:
    """Map a final HTTP status to its domain error; 2xx passes.

    `retry_after` (seconds, from a 429's or 503's Retry-After) becomes the error's retry delay.
    """
    if 200 <= status < 300:
        return
    error: FetchError
    wait = f"; retry in {retry_after:g} s" if retry_after is not None else "; will retry later"
    if status in (404, 410):
        error = SourceNotFound(f"{url} answered HTTP {status}")
    elif status in (401, 403):
        error = SourceAccessDenied(f"{url} answered HTTP {status}: credentials or access needed")
    elif status == 429:
        error = RateLimited(
            f"{url} answered HTTP 429 (rate limited){wait}", retry_after=retry_after
        )
    elif status == 408:
        error = TransientFetchError(f"{url} answered HTTP 408{wait}")
    elif status == 503:
        error = SourceUnavailable(
            f"{url} answered HTTP 503 (unavailable){wait}", retry_after=retry_after
        )
    elif status >= 500:
        error = SourceUnavailable(f"{url} answered HTTP {status} (server error)")
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


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP-date); None if unusable."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        # RFC 9110 dates are GMT; a zone-less one is read as such rather than as local time.
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
