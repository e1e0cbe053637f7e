from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import yaml
from prometheus_client import REGISTRY

from docfleet_devstack.fleet import SERVICES

INFRA = Path(__file__).resolve().parents[2] / "infra"
METRIC_MODULES = (
    "docfleet_fetcher.metrics",
    "docfleet_ocr.metrics",
    "docfleet_storage.metrics",
    "docfleet_runtime.backlog",
    "docfleet_runtime.health",
)


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def panels(dashboard: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in dashboard["panels"] if p["type"] != "row"]


def test_prometheus_scrapes_every_worker_on_9464_and_the_temporal_server() -> None:
    config = load_yaml(INFRA / "prometheus" / "prometheus.yml")
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    assert set(jobs) == {"docfleet", "temporal"}
    (discovery,) = jobs["docfleet"]["dns_sd_configs"]
    assert sorted(discovery["names"]) == sorted(SERVICES)
    assert (discovery["type"], discovery["port"]) == ("A", 9464)
    assert jobs["temporal"]["static_configs"][0]["targets"] == ["temporal:8000"]


def test_grafana_provisioning_points_at_prometheus_and_the_dashboards_folder(
    dashboard: dict[str, Any],
) -> None:
    provisioning = INFRA / "grafana" / "provisioning"
    (source,) = load_yaml(provisioning / "datasources" / "prometheus.yaml")["datasources"]
    assert (source["type"], source["url"]) == ("prometheus", "http://prometheus:9090")
    (provider,) = load_yaml(provisioning / "dashboards" / "docfleet.yaml")["providers"]
    assert provider["options"]["path"] == "/var/lib/grafana/dashboards"
    used = {panel["datasource"]["uid"] for panel in panels(dashboard)}
    assert used == {source["uid"]}


def test_dashboard_panels_are_well_formed(dashboard: dict[str, Any]) -> None:
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids)) and dashboard["uid"] == "docfleet-fleet"
    for panel in panels(dashboard):
        grid = panel["gridPos"]
        assert grid["x"] + grid["w"] <= 24, panel["title"]
        assert panel["targets"] and all(t["expr"] and t["refId"] for t in panel["targets"])
    titles = " ".join(panel["title"] for panel in panels(dashboard))
    for needed in ("by status", "per stage", "by error type", "backlog", "OCR pages per second"):
        assert needed.lower() in titles.lower(), needed


def test_every_docfleet_metric_on_the_dashboard_is_defined_by_the_code(
    dashboard_metrics: set[str],
) -> None:
    for module in METRIC_MODULES:
        importlib.import_module(module)
    defined = {family.name for family in REGISTRY.collect()}
    wanted = {name for name in dashboard_metrics if name.startswith("docfleet_")}
    assert wanted and wanted <= defined, sorted(wanted - defined)
