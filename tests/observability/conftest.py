"""What the observability tests share: the fleet's dashboard and the metrics it queries."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

INFRA = Path(__file__).resolve().parents[2] / "infra"
_METRIC_NAME = re.compile(r"\b((?:docfleet|temporal)_[a-z0-9_]+)\b")
_SUFFIXES = ("_bucket", "_count", "_sum", "_total")


def family_name(sample_name: str) -> str:
    """`x_seconds_bucket` -> `x_seconds`, `x_total` -> `x`: the name a metric is declared with."""
    for suffix in _SUFFIXES:
        sample_name = sample_name.removesuffix(suffix)
    return sample_name


@pytest.fixture(scope="session")
def dashboard() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        (INFRA / "grafana" / "dashboards" / "docfleet.json").read_text()
    )
    return loaded


@pytest.fixture(scope="session")
def dashboard_metrics(dashboard: dict[str, Any]) -> set[str]:
    """Metric families the dashboard queries."""
    return {
        family_name(token)
        for panel in dashboard["panels"]
        for target in panel.get("targets", [])
        for token in _METRIC_NAME.findall(target["expr"])
    }
