"""Compose, Render and Helm list exactly the workers the repository has, run each one's real
entry point, use the queue the code polls, and set only variables the workers read."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from tests.recipes.conftest import Kit, Worker

ROOT = Path(__file__).resolve().parents[2]
INTERPOLATED = re.compile(r"\$\{[^}]*\}")


# ---- Where each recipe defines its workers -------------------------------------------------


def compose_workers(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Compose services built from a worker Dockerfile, keyed by worker name."""
    found = {}
    for spec in compose["services"].values():
        dockerfile = (spec.get("build") or {}).get("dockerfile", "")
        match = re.fullmatch(r"infra/docker/(\w+)\.Dockerfile", dockerfile)
        if match and match.group(1) != "pgbouncer":
            found[match.group(1)] = spec
    return found


def render_workers(blueprint: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = {}
    for spec in blueprint["services"]:
        match = re.fullmatch(r"\./infra/docker/(\w+)\.Dockerfile", spec.get("dockerfilePath", ""))
        if match and match.group(1) != "pgbouncer":
            found[match.group(1)] = spec
    return found


def compose_env(kit: Kit, spec: dict[str, Any]) -> dict[str, str]:
    env: dict[str, str] = {}
    for name in spec.get("env_file", []):
        env |= kit.read_env_file(kit.infra / "compose" / name)
    env |= {k: str(v) for k, v in (spec.get("environment") or {}).items()}
    return env


def render_env(blueprint: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    groups = {g["name"]: g["envVars"] for g in blueprint.get("envVarGroups", [])}
    env: dict[str, Any] = {}
    for var in spec.get("envVars", []):
        if "fromGroup" in var:
            env |= {v["key"]: v for v in groups[var["fromGroup"]]}
        else:
            env[var["key"]] = var
    return env


def helm_env(kit: Kit, values: dict[str, Any], name: str) -> dict[str, str]:
    template = (kit.infra / "helm/docfleet/templates/deployment.yaml").read_text()
    fixed = re.findall(r"- name: ([A-Z][A-Z0-9_]+)\n\s+value:", template)
    env = dict.fromkeys(fixed, "")
    env |= {k: str(v) for k, v in values["env"].items()}
    env |= {k: str(v) for k, v in values["services"][name]["env"].items()}
    return env


def dockerfile_env(kit: Kit, name: str) -> set[str]:
    """Variables the worker image's final stage sets."""
    text = (kit.infra / f"docker/{name}.Dockerfile").read_text().replace("\\\n", " ")
    final = re.split(r"^FROM ", text, flags=re.M)[-1]
    names = set()
    for line in final.splitlines():
        if line.startswith("ENV "):
            names |= set(re.findall(r"([A-Z_][A-Z0-9_]*)=", line))
    return names


def check_names(worker: Worker, kit: Kit, names: set[str], where: str) -> None:
    allowed = worker.env_names | kit.temporal_variables | kit.aws_variables
    unknown = {n for n in names if n not in allowed and n not in kit.process_variables}
    assert not unknown, f"{where} sets {sorted(unknown)}, which {worker.module} never reads"


def check_values(worker: Worker, env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Literal DOCFLEET_* values must validate in the worker's own settings model."""
    for name, value in env.items():
        if name.startswith("DOCFLEET_") and not INTERPOLATED.search(value):
            monkeypatch.setenv(name, value)
    settings = worker.settings()
    assert settings.metrics_port is not None


def check_required(worker: Worker, kit: Kit, names: set[str], where: str) -> None:
    required = {"TEMPORAL_ADDRESS", "DOCFLEET_METRICS_PORT"}
    required |= {
        f"DOCFLEET_{n}".upper() for n, f in worker.settings.model_fields.items() if f.is_required()
    }
    if worker.uses_blobs:
        required |= {"DOCFLEET_BLOB_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}
    if worker.uses_redis:
        required.add("DOCFLEET_REDIS_URL")
    missing = required - names
    assert not missing, f"{where} leaves {sorted(missing)} unset for {worker.name}"


# ---- Compose -------------------------------------------------------------------------------


def test_compose_lists_every_worker(compose: dict[str, Any], workers: dict[str, Worker]) -> None:
    assert set(compose_workers(compose)) == set(workers)


def test_compose_worker_environment(
    worker: Worker, kit: Kit, compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = compose_workers(compose)[worker.name]
    env = compose_env(kit, spec)
    names = set(env) | dockerfile_env(kit, worker.name)
    check_names(worker, kit, names, f"compose service {worker.name}")
    check_required(worker, kit, names, "compose")
    check_values(worker, env, monkeypatch)
    assert env["DOCFLEET_METRICS_PORT"] == str(kit.metrics_port)
    assert env["TEMPORAL_ADDRESS"] == "temporal:7233"
    assert not spec.get("command") and not spec.get("entrypoint"), "the image's entry point runs"


def test_compose_ocr_has_a_replica_count(compose: dict[str, Any]) -> None:
    assert str(compose_workers(compose)["ocr"]["deploy"]["replicas"]).startswith("${OCR_REPLICAS")


# ---- Render --------------------------------------------------------------------------------


def test_render_lists_every_worker_as_a_background_worker(
    render_blueprint: dict[str, Any], workers: dict[str, Worker]
) -> None:
    found = render_workers(render_blueprint)
    assert set(found) == set(workers)
    assert {spec["type"] for spec in found.values()} == {"worker"}
    assert all(
        spec.get("envVars", [])[0] == {"fromGroup": "docfleet-common"} for spec in found.values()
    )


def test_render_worker_environment(
    worker: Worker, kit: Kit, render_blueprint: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = render_workers(render_blueprint)[worker.name]
    env = render_env(render_blueprint, spec)
    names = set(env) | dockerfile_env(kit, worker.name)
    check_names(worker, kit, names, f"render service {spec['name']}")
    check_required(worker, kit, names, "render.yaml")
    literal = {k: str(v["value"]) for k, v in env.items() if "value" in v}
    check_values(worker, literal, monkeypatch)
    assert literal["DOCFLEET_METRICS_PORT"] == str(kit.metrics_port)


def test_render_worker_builds_only_on_its_own_changes(
    worker: Worker, render_blueprint: dict[str, Any]
) -> None:
    spec = render_workers(render_blueprint)[worker.name]
    paths = set(spec["buildFilter"]["paths"])
    expected = {"pyproject.toml", "uv.lock", f"infra/docker/{worker.name}.Dockerfile"}
    expected |= {f"{member}/**" for member in worker.members}
    assert paths == expected
    assert spec["dockerContext"] == "."


# ---- Helm ----------------------------------------------------------------------------------


def test_helm_lists_every_worker(helm_values: dict[str, Any], workers: dict[str, Worker]) -> None:
    assert set(helm_values["services"]) == set(workers)


def test_helm_worker_module_queue_and_environment(
    worker: Worker, kit: Kit, helm_values: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = helm_values["services"][worker.name]
    assert spec["module"] == worker.module
    assert spec["taskQueue"] == worker.queue
    env = helm_env(kit, helm_values, worker.name)
    secret_names = {s["name"] for s in helm_values["secretEnvFrom"] + spec["secretEnvFrom"]}
    names = set(env) | dockerfile_env(kit, worker.name)
    check_names(worker, kit, names, f"helm services.{worker.name}")
    # Secrets (created by the operator, see the chart README) provide the credentials.
    provided = set(names)
    if "docfleet-blobstore" in secret_names:
        provided |= {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}
    if "docfleet-redis" in secret_names:
        provided.add("DOCFLEET_REDIS_URL")
    check_required(worker, kit, provided, "the helm chart")
    assert ("docfleet-redis" in secret_names) == worker.uses_redis
    env["DOCFLEET_METRICS_PORT"] = str(helm_values["metrics"]["port"])
    check_values(worker, env, monkeypatch)


def test_helm_chart_readme_documents_the_secrets(kit: Kit, helm_values: dict[str, Any]) -> None:
    readme = (kit.infra / "helm/docfleet/README.md").read_text()
    secrets = {s["name"] for s in helm_values["secretEnvFrom"]}
    secrets |= {s["name"] for svc in helm_values["services"].values() for s in svc["secretEnvFrom"]}
    for name in secrets:
        assert f"create secret generic {name}" in readme
