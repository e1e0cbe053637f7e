"""Which network addresses the fetcher may connect to: resolve once, refuse non-global ones."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable, Sequence

from docfleet_fetcher.errors import AddressRefused, TransientFetchError
from docfleet_fetcher.settings import ALLOW_CIDRS_ENV, ALLOW_HOSTS_ENV

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[Sequence[str]]]
"""Answers the addresses of `(host, port)`; injectable so tests can play a rebinding DNS."""

METADATA = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
)
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_COMPAT = ipaddress.ip_network("::/96")


async def system_resolver(host: str, port: int) -> Sequence[str]:
    """The operating system's answer (getaddrinfo), off the event loop."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def unwrap(address: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 one carries (mapped, NAT64, 6to4, compatible), else itself."""
    if isinstance(address, ipaddress.IPv4Address):
        return address
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64 or (address in _COMPAT and int(address) > 1):
        # ::1 and :: are themselves, not IPv4-compatible forms of 0.0.0.1 / 0.0.0.0.
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def refusal_rule(address: IPAddress) -> str | None:
    """Why `address` is not globally routable ("a private address"), or None if it is."""
    inner = unwrap(address)
    if inner in METADATA:
        return "the cloud metadata address"
    checks: list[tuple[bool, str]] = [
        (inner.is_unspecified, "an unspecified address"),
        (inner.is_loopback, "a loopback address"),
        (inner.is_link_local, "a link-local address"),
        (inner.is_multicast, "a multicast address"),
        (
            isinstance(inner, ipaddress.IPv4Address) and inner in _CGNAT,
            "a carrier-grade NAT address",
        ),
        (isinstance(inner, ipaddress.IPv6Address) and inner.is_site_local, "a site-local address"),
        (inner.is_reserved, "a reserved address"),
        (inner.is_private, "a private address"),
        (not inner.is_global, "not a globally routable address"),
    ]
    rule = next((name for hit, name in checks if hit), None)
    if rule is not None and inner != address:
        return f"{rule} (wrapped as {address})"
    return rule


class AddressPolicy:
    """Resolves a host once and answers the one address to connect to, or refuses."""

    def __init__(
        self,
        *,
        allow_cidrs: Iterable[str] = (),
        allow_hosts: Iterable[str] = (),
        resolver: Resolver | None = None,
        resolve_timeout: float = 10.0,
    ) -> None:
        self._networks = [ipaddress.ip_network(cidr, strict=False) for cidr in allow_cidrs]
        self._hosts = {_normal_host(host) for host in allow_hosts}
        self._resolve = resolver or system_resolver
        self._resolve_timeout = resolve_timeout

    def allowed(self, address: IPAddress) -> bool:
        """Whether an operator listed `address` (or the IPv4 address it wraps)."""
        candidates = {address, unwrap(address)}
        return any(ip in net for net in self._networks for ip in candidates)

    async def pick(self, host: str, port: int) -> IPAddress:
        """Every address of `host` checked; the first one returned, to be connected to as is."""
        addresses = await self._addresses(host, port)
        if _normal_host(host) in self._hosts:
            return addresses[0]
        for address in addresses:
            rule = None if self.allowed(address) else refusal_rule(address)
            if rule is not None:
                who = str(address) if _literal(host) else f"{host} (resolved to {address})"
                raise AddressRefused(
                    f"refused: {who} is {rule} (set {ALLOW_CIDRS_ENV} or {ALLOW_HOSTS_ENV} "
                    "to allow it)"
                )
        return addresses[0]

    async def _addresses(self, host: str, port: int) -> list[IPAddress]:
        literal = _literal(host)
        if literal is not None:
            return [literal]
        try:
            async with asyncio.timeout(self._resolve_timeout):
                answers = await self._resolve(host, port)
        except TimeoutError:
            raise TransientFetchError(f"resolving {host} timed out") from None
        except OSError as exc:
            raise TransientFetchError(f"could not resolve {host}: {exc}") from None
        addresses = [ip for ip in (_literal(answer) for answer in answers) if ip is not None]
        if not addresses or len(addresses) != len(answers):
            raise TransientFetchError(f"could not resolve {host} to IP addresses ({answers!r})")
        return addresses


def _literal(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return None


def _normal_host(host: str) -> str:
    return host.strip().lower().rstrip(".")
