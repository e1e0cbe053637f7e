"""Each worker's Prometheus endpoint: DocFleet's own metrics, served by prometheus-client.

Services declare their metrics at module level with prometheus-client (one registry per
process). Workers call `start_telemetry(settings)` (see `telemetry`), which serves them with the
Temporal SDK's metrics, `/healthz` and `/readyz`; `start_metrics_server` is the older entry
point for callers without settings.
"""

from __future__ import annotations

import logging

from docfleet_runtime.health import serve_http
from docfleet_runtime.telemetry import process_telemetry

log = logging.getLogger(__name__)


def start_metrics_server(port: int | None, host: str = "0.0.0.0") -> None:
    """Serve the process's endpoint on `host:port` in a background thread; None leaves it off."""
    telemetry = process_telemetry()
    if port is None or telemetry.server is not None:
        return
    telemetry.server = serve_http(host, port, telemetry.readiness)
    log.info("metrics served on http://%s:%d/metrics", host, port)
