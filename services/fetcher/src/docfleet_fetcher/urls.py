"""URL hygiene: what may be logged of a URL, and which http(s) URLs may be requested at all."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx

from docfleet_fetcher.errors import BadFetchRequest, CredentialsRefused

HTTP_SCHEMES = ("http", "https")


def redact_url(url: str) -> str:
    """`url` without credentials, query or fragment: safe for logs and error messages."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "<malformed URL>"
    if ":" in host:
        host = f"[{host}]"
    shown = f"{parts.scheme}://{host}{f':{port}' if port is not None else ''}{parts.path}"
    # Signed URLs keep their secrets in the query: say one was there, never what it held.
    return shown + ("?<redacted>" if parts.query else "")


def check_http_url(url: str) -> None:
    """Refuse a URL that is not http(s) or that carries credentials; says nothing of addresses."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise BadFetchRequest(f"{redact_url(url)}: malformed URL ({exc})") from None
    if parts.scheme.lower() not in HTTP_SCHEMES:
        raise BadFetchRequest(
            f"{redact_url(url)}: {parts.scheme}:// is not allowed here "
            "(redirects may only go to http/https)"
        )
    try:
        # httpx's own parse decides what is sent (it turns userinfo into an Authorization header).
        userinfo = httpx.URL(url).userinfo
    except httpx.InvalidURL as exc:
        raise BadFetchRequest(f"{redact_url(url)}: malformed URL ({exc})") from None
    if userinfo or "@" in parts.netloc:
        raise CredentialsRefused(
            f"refused: {redact_url(url)} carries credentials (user:password@host); "
            "URLs with credentials are never fetched"
        )


DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> str | None:
    """`scheme://host:port` of an http(s) URL (the circuit breaker's key); None for others.

    Never carries credentials, path or query, so it is safe in Redis keys, logs and metric labels.
    """
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        host = (parts.hostname or "").lower()
        port = parts.port or DEFAULT_PORTS.get(scheme)
    except ValueError:
        return None
    if scheme not in HTTP_SCHEMES or not host:
        return None
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}:{port}"
