"""Read a worker's Prometheus endpoint as a flat dict, for assertions in fault tests."""

from __future__ import annotations

import urllib.request
from typing import TYPE_CHECKING

from prometheus_client.parser import text_string_to_metric_families

if TYPE_CHECKING:
    from docfleet_devstack.stack import Stack


def sample_key(name: str, labels: dict[str, str]) -> str:
    """`name{a="1",b="2"}` with labels sorted, or the bare name without labels."""
    if not labels:
        return name
    inner = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    return f"{name}{{{inner}}}"


def parse_metrics(text: str) -> dict[str, float]:
    """Every sample of a Prometheus text exposition: `sample_key(...)` -> value."""
    return {
        sample_key(sample.name, sample.labels): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def scrape_port(port: int, host: str = "127.0.0.1", timeout: float = 5.0) -> dict[str, float]:
    """GET http://host:port/metrics and parse it."""
    with urllib.request.urlopen(f"http://{host}:{port}/metrics", timeout=timeout) as response:
        text: str = response.read().decode("utf-8")
    return parse_metrics(text)


def scrape(stack: Stack, service: str) -> dict[str, float]:
    """The metrics of `service`'s current worker (the stack must run with `metrics=True`)."""
    if service not in stack.metrics_ports:
        raise KeyError(f"{service} has no metrics port; start the stack with metrics=True")
    return scrape_port(stack.metrics_ports[service])
