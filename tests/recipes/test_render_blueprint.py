"""render.yaml holds together as Render reads it: references resolve, secrets are prompted for,
every path it builds from exists, OCR autoscales (field names per Render's Blueprint spec)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SERVICE_TYPES = {"web", "pserv", "worker", "cron", "keyvalue"}
PLANS = {"starter", "standard", "pro", "pro plus", "pro max", "pro ultra"}
ENV_SOURCES = {"value", "generateValue", "sync", "fromDatabase", "fromService", "fromGroup"}


def test_services_have_the_fields_their_type_needs(render_blueprint: dict[str, Any]) -> None:
    names = [s["name"] for s in render_blueprint["services"]]
    assert len(names) == len(set(names))
    for spec in render_blueprint["services"]:
        assert spec["type"] in SERVICE_TYPES, spec["name"]
        if spec["type"] == "keyvalue":
            assert "ipAllowList" in spec and "runtime" not in spec
            continue
        assert spec["runtime"] in {"docker", "image"}, spec["name"]
        assert spec.get("plan", "starter") in PLANS, spec["name"]
        if spec["runtime"] == "docker":
            assert (ROOT / spec["dockerfilePath"]).is_file(), spec["dockerfilePath"]
            assert spec["dockerContext"] == "."
        else:
            assert spec["image"]["url"].count(":") >= 1, "pin the image tag"
        assert 1 <= spec.get("maxShutdownDelaySeconds", 30) <= 300


def test_references_resolve(render_blueprint: dict[str, Any]) -> None:
    services = {s["name"]: s for s in render_blueprint["services"]}
    databases = {d["name"] for d in render_blueprint["databases"]}
    groups = {g["name"] for g in render_blueprint["envVarGroups"]}
    for spec in services.values():
        for var in spec.get("envVars", []):
            sources = ENV_SOURCES & set(var)
            assert len(sources) == 1, f"{spec['name']}: {var}"
            if "fromGroup" in var:
                assert var["fromGroup"] in groups
            if "fromDatabase" in var:
                ref = var["fromDatabase"]
                assert ref["name"] in databases
                assert ref["property"] in {"connectionString", "user", "password", "database"}
            if "fromService" in var:
                ref = var["fromService"]
                target = services[ref["name"]]
                assert ref["type"] == target["type"], f"{spec['name']} -> {ref}"
                if "envVarKey" in ref:
                    keys = {v.get("key") for v in target.get("envVars", [])}
                    assert ref["envVarKey"] in keys, f"{ref['name']} has no {ref['envVarKey']}"
                else:
                    assert ref["property"] in {"host", "port", "hostport", "connectionString"}
                    if ref["property"] in {"host", "hostport"}:
                        assert target["type"] in {"pserv", "web"}


def test_secrets_are_prompted_never_committed(render_blueprint: dict[str, Any]) -> None:
    for group in render_blueprint["envVarGroups"]:
        for var in group["envVars"]:
            assert "value" in var, f"group {group['name']}: only plain values work in a group"
    secret_words = ("PASSWORD", "SECRET", "ACCESS_KEY", "API_KEY", "CODEC_KEYS")
    for spec in render_blueprint["services"]:
        for var in spec.get("envVars", []):
            if any(w in var.get("key", "") for w in secret_words):
                assert "value" not in var, f"{spec['name']}: {var['key']} is committed"
    prompted = {
        v["key"]
        for s in render_blueprint["services"]
        for v in s.get("envVars", [])
        if v.get("sync") is False
    }
    assert {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "TEMPORAL_AUTH_CLIENT_SECRET"} <= prompted


def test_ocr_autoscales_and_temporal_stack_is_complete(render_blueprint: dict[str, Any]) -> None:
    services = {s["name"]: s for s in render_blueprint["services"]}
    scaling = services["docfleet-ocr"]["scaling"]
    assert 1 <= scaling["minInstances"] < scaling["maxInstances"] <= 100
    assert 1 <= scaling["targetCPUPercent"] <= 90
    assert "numInstances" not in services["docfleet-ocr"]
    assert services["docfleet-temporal"]["type"] == "pserv"
    assert services["docfleet-elasticsearch"]["type"] == "pserv"
    assert services["docfleet-pgbouncer"]["type"] == "pserv"
    assert services["docfleet-redis"]["type"] == "keyvalue"
    assert services["docfleet-temporal-ui"]["type"] == "web"
    assert render_blueprint["databases"][0]["ipAllowList"] == []
    temporal_env = {v["key"]: v for v in services["docfleet-temporal"]["envVars"]}
    assert temporal_env["POSTGRES_SEEDS"]["fromService"]["name"] == "docfleet-pgbouncer"
    assert temporal_env["ENABLE_ES"]["value"] == "true"
