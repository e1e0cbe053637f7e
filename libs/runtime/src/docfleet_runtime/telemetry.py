"""One telemetry setup per worker process: the SDK runtime, the HTTP endpoint, readiness.

Call `start_telemetry(settings)` before `connect_client`: the Temporal SDK fixes a client's
metrics at connect time, and a process must make only one `Runtime` (each has its own threads).
With `DOCFLEET_METRICS_PORT` unset nothing is served and the SDK's default runtime is used.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from wsgiref.simple_server import WSGIServer

from prometheus_client import REGISTRY
from temporalio.runtime import (
    MetricBuffer,
    MetricBufferDurationFormat,
    Runtime,
    TelemetryConfig,
)

from docfleet_runtime.health import Readiness, serve_http
from docfleet_runtime.sdkmetrics import SdkMetrics
from docfleet_runtime.settings import ServiceSettings

log = logging.getLogger(__name__)

BUFFER_SIZE = 100_000
"""SDK metric updates held between drains; drained every `DRAIN_SECONDS` and at each scrape."""
DRAIN_SECONDS = 2.0


@dataclass
class Telemetry:
    """The process's telemetry; `serve` reads the intervals and drives `readiness`."""

    readiness: Readiness = field(default_factory=Readiness)
    sdk_runtime: Runtime | None = None
    """Runtime whose metrics reach `/metrics`; None means the SDK's default (no metrics)."""
    sdk_metrics: SdkMetrics | None = None
    server: WSGIServer | None = None
    probe_seconds: float = 5.0
    backlog_seconds: float = 15.0

    @property
    def port(self) -> int | None:
        """Port the endpoint listens on, or None when it is off."""
        return None if self.server is None else self.server.server_port


_process = Telemetry()


def process_telemetry() -> Telemetry:
    """This process's telemetry (nothing served until `start_telemetry` is called with a port)."""
    return _process


def start_telemetry(settings: ServiceSettings) -> Telemetry:
    """Serve `/metrics`, `/healthz` and `/readyz` on `DOCFLEET_METRICS_PORT`; idempotent.

    Also makes the SDK runtime whose metrics `/metrics` includes: `connect_client` uses it.
    """
    telemetry = _process
    telemetry.probe_seconds = settings.readiness_probe_seconds
    telemetry.backlog_seconds = settings.backlog_poll_seconds
    if settings.metrics_port is None or telemetry.server is not None:
        return telemetry
    if telemetry.sdk_runtime is None:
        buffer = MetricBuffer(BUFFER_SIZE, MetricBufferDurationFormat.SECONDS)
        telemetry.sdk_runtime = Runtime(
            telemetry=TelemetryConfig(metrics=buffer, attach_service_name=False)
        )
        telemetry.sdk_metrics = SdkMetrics(buffer)
        REGISTRY.register(telemetry.sdk_metrics)
        telemetry.sdk_metrics.drain_every(DRAIN_SECONDS)
    telemetry.server = serve_http(settings.metrics_host, settings.metrics_port, telemetry.readiness)
    log.info(
        "metrics, health and readiness on http://%s:%d/{metrics,healthz,readyz}",
        settings.metrics_host,
        telemetry.port,
    )
    return telemetry
