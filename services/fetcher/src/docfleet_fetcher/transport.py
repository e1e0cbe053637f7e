"""An httpx transport that connects only to the address it checked (no second DNS lookup).

The transport resolves and checks the request's host with an `AddressPolicy`, then pins the
chosen address in a context variable for the duration of the request; the network backend's
`connect_tcp` substitutes that address for the host name. httpcore still knows the request by its
host name, so the Host header, TLS SNI and certificate verification all use the name, while the
socket goes to the address that passed the check. A DNS server answering differently a second
time (rebinding) is never asked a second time.
"""

from __future__ import annotations

import contextvars
import logging
import ssl
from collections.abc import Iterable
from dataclasses import dataclass

import httpcore
import httpx

from docfleet_fetcher.addresses import AddressPolicy, IPAddress
from docfleet_fetcher.errors import AddressRefused
from docfleet_fetcher.urls import redact_url

log = logging.getLogger(__name__)

_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class _Pin:
    host: str
    address: IPAddress


_PIN: contextvars.ContextVar[_Pin | None] = contextvars.ContextVar(
    "docfleet_fetch_pin", default=None
)


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """Opens TCP connections to the pinned address only; refuses when nothing is pinned."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        pin = _PIN.get()
        if pin is None or pin.host != host:
            # Fail closed: a connection nobody checked is never opened.
            raise AddressRefused(f"refused: {host} was not checked before connecting")
        return await self._inner.connect_tcp(
            str(pin.address),
            port,
            timeout=timeout,
            local_address=local_address,
            socket_options=socket_options,
        )

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise AddressRefused("refused: unix sockets are never opened by the fetcher")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """`AsyncHTTPTransport` whose every request is checked by `policy` and pinned to its address."""

    def __init__(
        self,
        policy: AddressPolicy,
        *,
        verify: ssl.SSLContext | bool = True,
        limits: httpx.Limits | None = None,
        backend: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        limits = limits or httpx.Limits()
        ssl_context = httpx.create_ssl_context(verify=verify)
        super().__init__(verify=ssl_context, limits=limits)
        self.policy = policy
        # httpx offers no public hook for the network backend; its transport keeps the pool in
        # `_pool`, so the pool is rebuilt here with the pinning backend and the same limits.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=PinnedBackend(backend),
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.raw_host.decode("ascii")
        port = request.url.port or _DEFAULT_PORTS.get(request.url.scheme, 80)
        try:
            address = await self.policy.pick(host, port)
        except AddressRefused as exc:
            log.warning("%s: %s", redact_url(str(request.url)), exc)
            raise
        token = _PIN.set(_Pin(host, address))
        try:
            return await super().handle_async_request(request)
        finally:
            _PIN.reset(token)
