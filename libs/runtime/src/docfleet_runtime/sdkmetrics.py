"""The Temporal SDK's own metrics, served on the same `/metrics` as DocFleet's.

The SDK core records into a `MetricBuffer`; `SdkMetrics` drains it (on every scrape and every
few seconds, so the buffer never fills) and keeps running totals that prometheus-client
exposes. Names follow Prometheus conventions: counters end in `_total`, durations are seconds
and end in `_seconds` (e.g. `temporal_activity_execution_latency_seconds`).
"""

from __future__ import annotations

import bisect
import logging
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from prometheus_client.metrics_core import Metric
from temporalio.common import MetricAttributes
from temporalio.runtime import (
    BUFFERED_METRIC_KIND_COUNTER,
    BUFFERED_METRIC_KIND_HISTOGRAM,
    BufferedMetricUpdate,
    MetricBuffer,
)

log = logging.getLogger(__name__)

BUCKETS: tuple[float, ...] = (
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900
)  # fmt: skip
"""Histogram bounds in seconds: SDK latencies run from milliseconds to minute-long polls."""

_INVALID = re.compile(r"[^a-zA-Z0-9_]")
Labels = tuple[tuple[str, str], ...]


@dataclass
class _Histogram:
    counts: list[int]
    total: float = 0.0
    count: int = 0


@dataclass
class _Family:
    name: str
    kind: str
    documentation: str
    values: dict[Labels, float] = field(default_factory=dict)
    histograms: dict[Labels, _Histogram] = field(default_factory=dict)


class SdkMetrics:
    """A prometheus-client collector fed from the SDK's metric buffer."""

    def __init__(self, buffer: MetricBuffer, buckets: Sequence[float] = BUCKETS) -> None:
        self._buffer = buffer
        self._buckets = tuple(sorted(buckets))
        self._families: dict[str, _Family] = {}
        self._lock = threading.Lock()
        self._stopped = threading.Event()

    def drain(self) -> int:
        """Fold every buffered update into the totals; returns how many there were."""
        with self._lock:
            updates = self._buffer.retrieve_updates()
            for update in updates:
                self._apply(update)
            return len(updates)

    def collect(self) -> Iterable[Metric]:
        self.drain()
        with self._lock:
            return [self._export(family) for family in self._families.values()]

    def describe(self) -> Iterable[Metric]:
        return []  # names appear as the SDK reports them; nothing to check up front

    def drain_every(self, seconds: float) -> threading.Thread:
        """Drain in a daemon thread, so a worker nobody scrapes never overflows the buffer."""

        def loop() -> None:
            while not self._stopped.wait(seconds):
                try:
                    self.drain()
                except Exception:  # keep draining: a lost batch only costs some samples
                    log.exception("draining the Temporal SDK metric buffer failed")

        thread = threading.Thread(target=loop, name="sdk-metrics-drain", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        """End the draining thread (tests; a worker drains until it exits)."""
        self._stopped.set()

    def _apply(self, update: BufferedMetricUpdate) -> None:
        metric = update.metric
        family = self._families.get(metric.name)
        if family is None:
            family = self._families[metric.name] = _Family(
                name=_family_name(metric.name, metric.unit),
                kind=_kind(metric.kind),
                documentation=metric.description or metric.name,
            )
        labels = _labels(update.attributes)
        value = float(update.value)
        if family.kind == "counter":
            family.values[labels] = family.values.get(labels, 0.0) + value
        elif family.kind == "gauge":
            family.values[labels] = value
        else:
            histogram = family.histograms.get(labels)
            if histogram is None:
                histogram = family.histograms[labels] = _Histogram([0] * len(self._buckets))
            index = bisect.bisect_left(self._buckets, value)
            if index < len(self._buckets):
                histogram.counts[index] += 1
            histogram.total += value
            histogram.count += 1

    def _export(self, family: _Family) -> Metric:
        metric = Metric(family.name, family.documentation, family.kind)
        if family.kind == "counter":
            for labels, value in family.values.items():
                metric.add_sample(f"{family.name}_total", dict(labels), value)
        elif family.kind == "gauge":
            for labels, value in family.values.items():
                metric.add_sample(family.name, dict(labels), value)
        for labels, histogram in family.histograms.items():
            cumulative = 0
            for bound, count in zip(self._buckets, histogram.counts, strict=True):
                cumulative += count
                le = {**dict(labels), "le": str(float(bound))}
                metric.add_sample(f"{family.name}_bucket", le, cumulative)
            inf = {**dict(labels), "le": "+Inf"}
            metric.add_sample(f"{family.name}_bucket", inf, histogram.count)
            metric.add_sample(f"{family.name}_count", dict(labels), histogram.count)
            metric.add_sample(f"{family.name}_sum", dict(labels), histogram.total)
        return metric


def _kind(kind: int) -> str:
    if kind == BUFFERED_METRIC_KIND_COUNTER:
        return "counter"
    if kind == BUFFERED_METRIC_KIND_HISTOGRAM:
        return "histogram"
    return "gauge"


def _family_name(name: str, unit: str | None) -> str:
    name = _INVALID.sub("_", name)
    if unit == "s" and not name.endswith("_seconds"):
        name += "_seconds"
    return name.removesuffix("_total")


def _labels(attributes: MetricAttributes) -> Labels:
    return tuple(
        sorted((_INVALID.sub("_", key), _label_value(value)) for key, value in attributes.items())
    )


def _label_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
