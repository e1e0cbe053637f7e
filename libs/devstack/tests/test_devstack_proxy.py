from __future__ import annotations

import socket
import socketserver
import threading
from collections.abc import Iterator

import pytest

from docfleet_devstack.faults import TcpProxy


class _Echo(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        while data := self.request.recv(4096):
            self.request.sendall(data)


@pytest.fixture
def echo_port() -> Iterator[int]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Echo)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture
def proxy(echo_port: int) -> Iterator[TcpProxy]:
    with TcpProxy("127.0.0.1", echo_port) as opened:
        yield opened


def _connect(proxy: TcpProxy) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", proxy.port), timeout=5)
    sock.settimeout(5)
    return sock


def _echo(sock: socket.socket, data: bytes) -> bytes:
    sock.sendall(data)
    received = b""
    while len(received) < len(data):
        chunk = sock.recv(65536)
        if not chunk:
            break
        received += chunk
    return received


def test_forwards_both_ways_to_the_target(proxy: TcpProxy, echo_port: int) -> None:
    assert proxy.port != echo_port
    assert proxy.address == f"127.0.0.1:{proxy.port}"
    payload = bytes(range(256)) * 1000
    with _connect(proxy) as sock:
        assert _echo(sock, payload) == payload
    assert proxy.connections == 1


def test_cut_refuses_new_connections_and_drops_open_ones(proxy: TcpProxy) -> None:
    with _connect(proxy) as open_before:
        assert _echo(open_before, b"hello") == b"hello"
        proxy.cut()
        assert proxy.is_cut
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", proxy.port), timeout=5)
        # The open connection was reset: it reads nothing more, or fails outright.
        try:
            open_before.sendall(b"are you there")
            assert open_before.recv(100) == b""
        except (ConnectionResetError, BrokenPipeError):
            pass


def test_restore_listens_again_on_the_same_port(proxy: TcpProxy) -> None:
    port = proxy.port
    proxy.cut()
    proxy.restore()
    assert proxy.port == port and not proxy.is_cut
    with _connect(proxy) as sock:
        assert _echo(sock, b"back again") == b"back again"
    proxy.cut()
    proxy.restore()
    with _connect(proxy) as sock:
        assert _echo(sock, b"and again") == b"and again"


def test_unreachable_target_closes_the_client_connection() -> None:
    with socket.socket() as reserved:
        reserved.bind(("127.0.0.1", 0))  # bound, never listening: connecting is refused
        dead_port = reserved.getsockname()[1]
        with TcpProxy("127.0.0.1", dead_port) as proxy, _connect(proxy) as sock:
            try:
                assert sock.recv(10) == b""
            except ConnectionResetError:
                pass


def test_close_stops_listening(echo_port: int) -> None:
    proxy = TcpProxy("127.0.0.1", echo_port)
    with _connect(proxy) as sock:
        assert _echo(sock, b"x") == b"x"
        proxy.close()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", proxy.port), timeout=5)
    proxy.close()  # twice is harmless
