"""The Compose stack holds together: dependencies exist, secrets come from .env with no default,
mounted files exist, and the pieces the issue asks for are there."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.recipes.conftest import Kit

COMPOSE = Path(__file__).resolve().parents[2] / "infra/compose"
VARIABLE = re.compile(r"\$\{(\w+)(:?[?-])?([^}]*)\}")


def test_the_production_pieces_are_there(compose: dict[str, Any]) -> None:
    images = {name: str(spec.get("image", "")) for name, spec in compose["services"].items()}
    assert images["temporal"].startswith("temporalio/server:")
    assert images["temporal-schema"].startswith("temporalio/admin-tools:")
    assert images["temporal-ui"].startswith("temporalio/ui:")
    assert images["postgresql"].startswith("postgres:")
    assert images["elasticsearch"].startswith("elasticsearch:")
    assert images["minio"].startswith("minio/minio:") and images["minio-init"].startswith(
        "minio/mc:"
    )
    assert {"redis", "prometheus", "grafana", "pgbouncer"} <= set(images)
    temporal = compose["services"]["temporal"]["environment"]
    assert temporal["POSTGRES_SEEDS"] == "pgbouncer" and temporal["ENABLE_ES"] == "true"


def test_depends_on_names_existing_services(compose: dict[str, Any]) -> None:
    for name, spec in compose["services"].items():
        for dep in spec.get("depends_on", []):
            assert dep in compose["services"], f"{name} depends on unknown {dep}"


def test_secrets_have_no_default_and_are_in_the_example(kit: Kit) -> None:
    text = (COMPOSE / "compose.yaml").read_text()
    example = kit.read_env_file(COMPOSE / ".env.example")
    for name, op, _default in VARIABLE.findall(text):
        if any(w in name for w in ("PASSWORD", "SECRET")):
            assert op == ":?", f"${{{name}}} must be required, not defaulted"
            assert example.get(name) == "", f".env.example must list {name} empty"
        assert name in example, f".env.example does not mention {name}"
    assert (COMPOSE / ".gitignore").read_text().splitlines()[-1] == ".env"


def test_mounted_files_exist(compose: dict[str, Any]) -> None:
    for name, spec in compose["services"].items():
        for volume in spec.get("volumes", []):
            source = str(volume).split(":")[0]
            if source.startswith("."):
                assert (COMPOSE / source).exists(), f"{name} mounts missing {source}"


def test_pgbouncer_authenticates_with_scram() -> None:
    script = (COMPOSE.parent / "docker/pgbouncer/docker-entrypoint.sh").read_text()
    assert "auth_type = scram-sha-256" in script and "auth_file" in script
