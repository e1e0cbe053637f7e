"""Each worker's Prometheus endpoint: DocFleet's own metrics, served by prometheus-client.

Services declare their metrics at module level with prometheus-client (one registry per
process); `start_metrics_server` exposes them when `DOCFLEET_METRICS_PORT` is set.
"""

from __future__ import annotations

import logging

from prometheus_client import start_http_server

log = logging.getLogger(__name__)

_started: set[int] = set()


def start_metrics_server(port: int | None, host: str = "0.0.0.0") -> None:
    """Serve `/metrics` on `host:port` in a background thread; None leaves metrics off."""
    if port is None or port in _started:
        return
    start_http_server(port, addr=host)
    _started.add(port)
    log.info("metrics served on http://%s:%d/metrics", host, port)
