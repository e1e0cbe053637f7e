"""The Helm chart, read statically (no helm binary here): every value a template uses exists,
probes and the ServiceMonitor use the workers' port, and KEDA scales OCR on its queue."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.recipes.conftest import Kit, Worker

CHART = Path(__file__).resolve().parents[2] / "infra/helm/docfleet"
# The KEDA temporal scaler's documented trigger metadata (keda.sh/docs/2.17+/scalers/temporal).
KEDA_TEMPORAL_KEYS = {
    "endpoint",
    "endpointFromEnv",
    "namespace",
    "taskQueue",
    "targetQueueSize",
    "activationTargetQueueSize",
    "queueTypes",
    "workerDeploymentName",
    "workerDeploymentBuildId",
    "minConnectTimeout",
    "unsafeSsl",
    "tlsServerName",
    "enableTLS",
}


def templates() -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted((CHART / "templates").iterdir())}


def lookup(values: dict[str, Any], dotted: str) -> bool:
    node: Any = values
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def test_every_values_reference_exists(helm_values: dict[str, Any]) -> None:
    used = {
        ref
        for text in templates().values()
        for ref in re.findall(r"\.Values\.([A-Za-z0-9_.]+[A-Za-z0-9_])", text)
    }
    assert len(used) > 20
    missing = sorted(ref for ref in used if not lookup(helm_values, ref))
    assert not missing, f"templates use values that values.yaml lacks: {missing}"


def test_fields_of_each_service_used_in_the_loop_exist(helm_values: dict[str, Any]) -> None:
    used = {ref for text in templates().values() for ref in re.findall(r"\$svc\.([A-Za-z]+)", text)}
    assert {"enabled", "replicas", "module", "env", "resources", "secretEnvFrom"} <= used
    for name, svc in helm_values["services"].items():
        assert used <= set(svc), f"services.{name} lacks {sorted(used - set(svc))}"


def test_template_delimiters_balance() -> None:
    for name, text in templates().items():
        assert text.count("{{") == text.count("}}"), name
        opened = len(re.findall(r"{{-?\s*(?:if|range|with|define)\b", text))
        closed = len(re.findall(r"{{-?\s*end\b", text))
        assert opened == closed, f"{name}: {opened} blocks opened, {closed} closed"


def test_probes_and_service_monitor_use_the_metrics_port(
    kit: Kit, helm_values: dict[str, Any]
) -> None:
    assert helm_values["metrics"]["port"] == kit.metrics_port
    assert helm_values["probes"]["liveness"]["path"] == "/healthz"
    assert helm_values["probes"]["readiness"]["path"] == "/readyz"
    assert helm_values["probes"]["startup"]["path"] == "/healthz"
    deployment = templates()["deployment.yaml"]
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
        assert re.search(probe + r":\n\s+httpGet: \{path: [^,]+, port: metrics\}", deployment)
    monitor = templates()["servicemonitor.yaml"]
    assert "apiVersion: monitoring.coreos.com/v1" in monitor and "kind: ServiceMonitor" in monitor
    assert "- port: metrics" in monitor and "path: /metrics" in monitor
    assert "port: {{ $.Values.metrics.port }}" in templates()["service.yaml"]


def test_keda_scales_ocr_on_its_temporal_queue(
    helm_values: dict[str, Any], workers: dict[str, Worker]
) -> None:
    text = templates()["scaledobject.yaml"]
    assert "apiVersion: keda.sh/v1alpha1" in text and "kind: ScaledObject" in text
    assert "- type: temporal" in text
    block = text.split("- type: temporal", 1)[1].split("metadata:", 1)[1]
    block = block.split("authenticationRef", 1)[0]
    keys = set(re.findall(r"^\s{8}([A-Za-z]+):", block, re.M))
    assert {"endpoint", "namespace", "taskQueue", "targetQueueSize"} <= keys <= KEDA_TEMPORAL_KEYS
    assert "taskQueue: {{ .Values.services.ocr.taskQueue | quote }}" in text
    assert helm_values["services"]["ocr"]["taskQueue"] == workers["ocr"].queue
    assert 'name: {{ include "docfleet.fullname" . }}-ocr' in text
    keda = helm_values["keda"]
    assert keda["enabled"] is True and keda["scaleToZero"] is False
    assert 1 <= keda["minReplicas"] < keda["maxReplicas"]
    assert "ternary 0 (max 1 .Values.keda.minReplicas) .Values.keda.scaleToZero" in text


def test_keda_owns_the_ocr_replica_count(helm_values: dict[str, Any]) -> None:
    deployment = templates()["deployment.yaml"]
    assert '{{- if not (and (eq $name "ocr") $.Values.keda.enabled) }}' in deployment


def test_chart_metadata_and_readme() -> None:
    chart = (CHART / "Chart.yaml").read_text()
    assert "apiVersion: v2" in chart and "name: docfleet" in chart
    readme = (CHART / "README.md").read_text()
    assert "temporal/temporal" in readme and "helm install docfleet" in readme
