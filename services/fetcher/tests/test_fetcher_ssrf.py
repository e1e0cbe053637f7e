from __future__ import annotations

import socket
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpcore
import httpx
import pytest

from docfleet_contracts import errors as error_types
from docfleet_fetcher.addresses import AddressPolicy
from docfleet_fetcher.client import HttpSource, build_http_client
from docfleet_fetcher.errors import AddressRefused, CredentialsRefused, FetchError
from docfleet_fetcher.settings import FetchSettings
from docfleet_fetcher.spool import Spool
from docfleet_fetcher.transport import GuardedTransport

pytestmark = pytest.mark.integration


class Canary:
    """A real listener that only counts the connections it accepts; refusals must leave it at 0."""

    def __init__(self, host: str, port: int = 0) -> None:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.bind((host, port))
        self.sock.listen(16)
        self.sock.settimeout(0.05)
        self.port: int = self.sock.getsockname()[1]
        self.accepted = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.accepted += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture
def canary4() -> Iterator[Canary]:
    canary = Canary("127.0.0.1")
    yield canary
    canary.close()


@pytest.fixture
def canary6() -> Iterator[Canary]:
    canary = Canary("::1")
    yield canary
    canary.close()


class Answers:
    """A DNS stand-in answering from a table, one answer list per call (the last one repeats)."""

    def __init__(self, table: dict[str, list[list[str]]]) -> None:
        self.table = table
        self.calls: list[str] = []

    async def __call__(self, host: str, port: int) -> Sequence[str]:
        self.calls.append(host)
        answers = self.table[host]
        return answers[min(len(self.calls) - 1, len(answers) - 1)]


async def _get(url: str, tmp_path: Path, resolver: Answers | None = None, **settings: Any) -> bytes:
    config = FetchSettings(fetch_connect_timeout_seconds=2, **settings)
    async with build_http_client(config, resolver=resolver) as client:
        with Spool(10_000_000, directory=tmp_path) as spool:
            await HttpSource(client).download(url, spool)
            return spool.finish().path.read_bytes()


async def _refused(url: str, tmp_path: Path, resolver: Answers | None = None, **kw: Any) -> str:
    with pytest.raises(FetchError) as info:
        await _get(url, tmp_path, resolver, **kw)
    assert isinstance(info.value, AddressRefused | CredentialsRefused), info.value
    assert (info.value.error_type, info.value.retryable) == (error_types.ACCESS_DENIED, False)
    return str(info.value)


def test_fetcher_ssrf_defaults_allow_nothing_extra() -> None:
    settings = FetchSettings()
    assert settings.fetch_allow_cidrs == []
    assert settings.fetch_allow_hosts == []
    assert settings.fetch_s3_allowed_buckets == []


@pytest.mark.parametrize(
    ("host", "family", "rule"),
    [
        ("127.0.0.1", 4, "a loopback address"),
        ("localhost", 4, "loopback"),
        ("127.1", 4, "loopback"),
        ("2130706433", 4, "loopback"),
        ("0x7f000001", 4, "loopback"),
        ("0.0.0.0", 4, "an unspecified address"),
        ("[::1]", 6, "a loopback address"),
        ("[::]", 6, "an unspecified address"),
        ("[::ffff:127.0.0.1]", 4, "a loopback address (wrapped as ::ffff:7f00:1)"),
        ("[64:ff9b::7f00:1]", 4, "a loopback address (wrapped as 64:ff9b::7f00:1)"),
        ("[2002:7f00:1::]", 4, "a loopback address (wrapped as 2002:7f00:1::)"),
        ("[64:ff9b::a00:5]", 4, "a private address (wrapped"),
        ("[2002:c0a8:101::]", 4, "a private address (wrapped"),
        ("169.254.169.254", 4, "the cloud metadata address"),
        ("[fd00:ec2::254]", 6, "the cloud metadata address"),
        ("[::ffff:169.254.169.254]", 4, "the cloud metadata address"),
        ("169.254.10.1", 4, "a link-local address"),
        ("[fe80::1]", 6, "a link-local address"),
        ("10.0.0.5", 4, "a private address"),
        ("172.16.3.4", 4, "a private address"),
        ("192.168.1.1", 4, "a private address"),
        ("[fc00::5]", 6, "a private address"),
        ("100.64.0.1", 4, "a carrier-grade NAT address"),
        ("224.0.0.1", 4, "a multicast address"),
        ("[ff02::1]", 6, "a multicast address"),
        ("240.0.0.1", 4, "a reserved address"),
    ],
)
async def test_fetcher_ssrf_refuses_non_global_addresses_by_default(
    tmp_path: Path, canary4: Canary, canary6: Canary, host: str, family: int, rule: str
) -> None:
    port = canary4.port if family == 4 else canary6.port
    message = await _refused(f"http://{host}:{port}/doc.pdf", tmp_path)
    assert message.startswith("refused: ")
    assert rule in message
    assert "DOCFLEET_FETCH_ALLOW_CIDRS" in message
    assert (canary4.accepted, canary6.accepted) == (0, 0)


async def test_fetcher_ssrf_allow_cidrs_opens_loopback(
    tmp_path: Path, http_base: str, samples: dict[str, bytes]
) -> None:
    with pytest.raises(AddressRefused, match="loopback"):
        await _get(f"{http_base}/doc.pdf", tmp_path)
    body = await _get(f"{http_base}/doc.pdf", tmp_path, fetch_allow_cidrs=["127.0.0.0/8"])
    assert body == samples["pdf"]


@pytest.mark.parametrize(
    ("answers", "rule"),
    [
        (["10.0.0.5"], "localhost (resolved to 10.0.0.5) is a private address"),
        (["192.168.7.7"], "localhost (resolved to 192.168.7.7) is a private address"),
        (["8.8.8.8", "127.0.0.1"], "localhost (resolved to 127.0.0.1) is a loopback address"),
        (["169.254.169.254"], "the cloud metadata address"),
    ],
)
async def test_fetcher_ssrf_checks_every_resolved_address(
    tmp_path: Path, canary4: Canary, canary6: Canary, answers: list[str], rule: str
) -> None:
    # "localhost" would reach the canaries if anything resolved the name a second time.
    resolver = Answers({"localhost": [answers]})
    message = await _refused(f"http://localhost:{canary4.port}/doc.pdf", tmp_path, resolver)
    assert rule in message
    assert (canary4.accepted, canary6.accepted) == (0, 0)


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:{canary}/doc.pdf",
        "http://[::ffff:127.0.0.1]:{canary}/doc.pdf",
        "http://inside.test:{canary}/doc.pdf",
        "http://169.254.169.254/latest/meta-data/",
    ],
)
async def test_fetcher_ssrf_checks_every_redirect(
    tmp_path: Path, http_server: Any, canary4: Canary, target: str
) -> None:
    port = http_server.server_address[1]
    resolver = Answers({"docs.test": [["127.0.0.1"]], "inside.test": [["127.0.0.1"]]})
    to = quote(target.format(canary=canary4.port), safe="")
    url = f"http://docs.test:{port}/redirect?to={to}"
    message = await _refused(url, tmp_path, resolver, fetch_allow_hosts=["docs.test"])
    assert "DOCFLEET_FETCH_ALLOW_CIDRS" in message
    assert canary4.accepted == 0


async def test_fetcher_ssrf_allowed_redirects_still_work(
    tmp_path: Path, http_server: Any, samples: dict[str, bytes]
) -> None:
    port = http_server.server_address[1]
    resolver = Answers({"docs.test": [["127.0.0.1"]]})
    to = quote(f"http://docs.test:{port}/hop/2", safe="")
    body = await _get(
        f"http://docs.test:{port}/redirect?to={to}",
        tmp_path,
        resolver,
        fetch_allow_hosts=["DOCS.test."],
    )
    assert body == samples["pdf"]


class Recorder(httpcore.AnyIOBackend):
    """The real backend, noting where each connection goes; never leaves loopback."""

    def __init__(self) -> None:
        self.targets: list[str] = []

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        self.targets.append(host)
        if host not in ("127.0.0.1", "::1"):
            raise httpcore.ConnectError(f"test network: {host} is unreachable")
        return await super().connect_tcp(host, port, timeout, local_address, socket_options)


async def _rebind_fetch(tmp_path: Path, resolver: Answers, recorder: Recorder, url: str) -> bytes:
    policy = AddressPolicy(allow_cidrs=["127.0.0.1/32"], resolver=resolver)
    transport = GuardedTransport(policy, backend=recorder)
    async with httpx.AsyncClient(transport=transport, max_redirects=0) as client:
        with Spool(10_000_000, directory=tmp_path) as spool:
            await HttpSource(client).download(url, spool)
            return spool.finish().path.read_bytes()


async def test_fetcher_ssrf_rebinding_connects_to_the_checked_address_only(
    tmp_path: Path, http_server: Any, samples: dict[str, bytes]
) -> None:
    port = http_server.server_address[1]
    # The canary waits on ::1 at the very port of the real server: a second lookup would land there.
    canary = Canary("::1", port)
    try:
        resolver = Answers({"rebind.test": [["127.0.0.1"], ["::1"]]})
        recorder = Recorder()
        url = f"http://rebind.test:{port}/doc.pdf"
        assert await _rebind_fetch(tmp_path, resolver, recorder, url) == samples["pdf"]
        assert (resolver.calls, recorder.targets, canary.accepted) == (
            ["rebind.test"],
            ["127.0.0.1"],
            0,
        )
        # The next fetch is checked afresh, and the rebound answer is refused.
        with pytest.raises(AddressRefused, match=r"resolved to ::1\) is a loopback"):
            await _rebind_fetch(tmp_path, resolver, recorder, url)
        assert (recorder.targets, canary.accepted) == (["127.0.0.1"], 0)
    finally:
        canary.close()


async def test_fetcher_ssrf_rebinding_from_a_public_answer_never_reaches_loopback(
    tmp_path: Path, canary4: Canary
) -> None:
    resolver = Answers({"rebind.test": [["93.184.216.34"], ["127.0.0.1"]]})
    recorder = Recorder()
    with pytest.raises(FetchError) as info:
        await _rebind_fetch(tmp_path, resolver, recorder, f"http://rebind.test:{canary4.port}/")
    assert info.value.retryable  # the public address was unreachable: a transient failure
    assert (resolver.calls, recorder.targets) == (["rebind.test"], ["93.184.216.34"])
    assert canary4.accepted == 0


@pytest.mark.parametrize("userinfo", ["user:s3cret@", "user@", ":s3cret@", "user%40corp:s3cret@"])
async def test_fetcher_ssrf_refuses_credentials_in_urls(
    tmp_path: Path, canary4: Canary, userinfo: str
) -> None:
    url = f"http://{userinfo}127.0.0.1:{canary4.port}/doc.pdf?sig=abc"
    message = await _refused(url, tmp_path, fetch_allow_cidrs=["127.0.0.0/8"])
    assert "carries credentials" in message
    assert "s3cret" not in message and "sig=abc" not in message
    assert canary4.accepted == 0
