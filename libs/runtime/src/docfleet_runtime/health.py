"""The worker's one HTTP endpoint: `/metrics`, `/healthz` (alive) and `/readyz` (ready).

Ready means connected to Temporal and polling the task queue: an orchestrator (Kubernetes,
Compose, Render) sends no traffic to a worker anyway, but a rollout waits for the new replica
to be ready before it stops an old one, and a worker that lost the server shows it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import TYPE_CHECKING, Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import REGISTRY, CollectorRegistry, Gauge, make_wsgi_app

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

READY = Gauge("docfleet_worker_ready", "1 while this worker is connected to Temporal and polling.")


class Readiness:
    """What `/readyz` reports; updated by `serve` and its connection probe, read by HTTP threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._polling: Callable[[], bool] | None = None
        self._stopping = False
        self._connected = False
        self._problem = "worker not started"

    def started(self, polling: Callable[[], bool]) -> None:
        """The worker runs; `polling()` says whether it still does (false after a fatal error)."""
        with self._lock:
            self._polling, self._stopping = polling, False
            self._connected, self._problem = True, ""

    def connection(self, ok: bool, problem: str = "") -> None:
        """Result of the latest probe of the Temporal server."""
        with self._lock:
            self._connected, self._problem = ok, ("" if ok else problem)

    def stopping(self) -> None:
        """Shutdown began: no longer ready, whatever the connection."""
        with self._lock:
            self._stopping = True

    def check(self) -> tuple[bool, str]:
        """(ready, why not) as of now."""
        with self._lock:
            polling, stopping, connected, problem = (
                self._polling,
                self._stopping,
                self._connected,
                self._problem,
            )
        if polling is None:
            return False, "worker not started"
        if stopping:
            return False, "worker shutting down"
        if not polling():
            return False, "worker not polling"
        if not connected:
            return False, f"Temporal unreachable: {problem}"
        return True, "ready"


def wsgi_app(
    readiness: Readiness, registry: CollectorRegistry = REGISTRY
) -> Callable[[WSGIEnvironment, StartResponse], Iterable[bytes]]:
    """Routes `/healthz`, `/readyz` and `/metrics` (any other path: 404)."""
    metrics = make_wsgi_app(registry)

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/")
        if path == "/metrics":
            body: Iterable[bytes] = metrics(environ, start_response)
            return body
        if path == "/healthz":
            return _text(start_response, "200 OK", "ok")
        if path == "/readyz":
            ready, why = readiness.check()
            return _text(start_response, "200 OK" if ready else "503 Service Unavailable", why)
        return _text(start_response, "404 Not Found", "try /metrics, /healthz or /readyz")

    return app


def _text(start_response: StartResponse, status: str, body: str) -> list[bytes]:
    data = f"{body}\n".encode()
    start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
    return [data]


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Scrapes every few seconds would drown the worker's own log."""


def serve_http(
    host: str, port: int, readiness: Readiness, registry: CollectorRegistry = REGISTRY
) -> WSGIServer:
    """Serve the endpoint in a daemon thread; port 0 picks a free one (`server.server_port`)."""
    READY.set_function(lambda: 1.0 if readiness.check()[0] else 0.0)
    server = make_server(
        host, port, wsgi_app(readiness, registry), server_class=_Server, handler_class=_QuietHandler
    )
    threading.Thread(target=server.serve_forever, name="metrics-http", daemon=True).start()
    return server
