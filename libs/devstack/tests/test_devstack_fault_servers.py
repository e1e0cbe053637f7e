from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from docfleet_devstack.faults import AlwaysFailingServer, FlakyServer, TricklingServer


def _get(url: str) -> tuple[int, bytes, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as err:
        with err:
            return err.code, err.read(), dict(err.headers)


def test_always_failing_answers_its_status_and_counts() -> None:
    with AlwaysFailingServer(status=429, headers={"Retry-After": "3"}) as server:
        for name in ("a.pdf", "b.pdf", "a.pdf"):
            status, body, headers = _get(server.url(name))
            assert status == 429
            assert headers["Retry-After"] == "3"
            assert b"429" in body
        assert server.requests == 3
        assert server.requests_for("a.pdf") == 2


def test_always_failing_counts_concurrent_requests_exactly() -> None:
    with AlwaysFailingServer() as server, ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda i: _get(server.url(f"d{i % 3}"))[0], range(40)))
        assert statuses == [503] * 40
        assert server.requests == 40


def test_flaky_fails_each_path_first_then_serves_it(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.7 a")
    (tmp_path / "b.png").write_bytes(b"\x89PNG b")
    with FlakyServer(tmp_path, failures_per_path=2, status=502) as server:
        assert [_get(server.url("a.pdf"))[0] for _ in range(2)] == [502, 502]
        assert _get(server.url("b.png"))[0] == 502  # b's failures are its own
        status, body, headers = _get(server.url("a.pdf"))
        assert (status, body) == (200, b"%PDF-1.7 a")
        assert headers["Content-Type"] == "application/pdf"
        assert _get(server.url("b.png"))[0] == 502
        assert _get(server.url("b.png"))[1] == b"\x89PNG b"
        assert _get(server.url("missing.pdf"))[0] == 502
        assert _get(server.url("missing.pdf"))[0] == 502
        assert _get(server.url("missing.pdf"))[0] == 404
        assert _get(server.url("../secret"))[0] == 502  # counted as its own path first
        assert server.requests == 10
        assert server.requests_for("a.pdf") == 3


def test_trickling_promises_much_and_sends_a_byte_at_a_time() -> None:
    with TricklingServer(byte_every_seconds=0.05, content_length=1_000_000) as server:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        conn.request("GET", "/slow.pdf")
        response = conn.getresponse()
        assert response.status == 200
        assert response.headers["Content-Length"] == "1000000"
        started = time.monotonic()
        assert response.read(5) == b"%PDF-"
        assert time.monotonic() - started >= 4 * 0.05  # five bytes, one per interval
        conn.close()  # the client gives up; the server's writer notices and stops
        assert server.requests == 1


def test_trickling_close_ends_a_response_in_flight() -> None:
    server = TricklingServer(byte_every_seconds=0.05)
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    conn.request("GET", "/forever.pdf")
    response = conn.getresponse()
    assert response.read(1) == b"%"
    server.close()
    with pytest.raises(http.client.IncompleteRead):
        response.read()
    conn.close()
    assert 1 <= server.bytes_sent < 1000
