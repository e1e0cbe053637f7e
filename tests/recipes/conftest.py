"""What the recipe tests compare: the deployment recipes in infra/ and render.yaml, and the code.

Everything here is read from the working tree (no network, no Docker): the workers that exist,
the workspace members each needs, the queue each polls and the environment variables each reads.
"""

from __future__ import annotations

import importlib
import inspect
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.requirements import Requirement
from pydantic_settings import BaseSettings

from docfleet_contracts import queues
from docfleet_runtime import ServiceSettings
from docfleet_runtime.codec import CodecSettings

ROOT = Path(__file__).resolve().parents[2]
INFRA = ROOT / "infra"
METRICS_PORT = 9464

# Temporal's own connection variables (temporalio.envconfig, read by every worker's client).
TEMPORAL_VARIABLES = frozenset(
    {
        "TEMPORAL_ADDRESS",
        "TEMPORAL_NAMESPACE",
        "TEMPORAL_API_KEY",
        "TEMPORAL_PROFILE",
        "TEMPORAL_CONFIG_FILE",
        "TEMPORAL_TLS",
        "TEMPORAL_TLS_CLIENT_CERT_PATH",
        "TEMPORAL_TLS_CLIENT_CERT_DATA",
        "TEMPORAL_TLS_CLIENT_KEY_PATH",
        "TEMPORAL_TLS_CLIENT_KEY_DATA",
        "TEMPORAL_TLS_SERVER_CA_CERT_PATH",
        "TEMPORAL_TLS_SERVER_CA_CERT_DATA",
        "TEMPORAL_TLS_SERVER_NAME",
        "TEMPORAL_TLS_DISABLE_HOST_VERIFICATION",
    }
)
# The standard AWS variables botocore reads (credentials of the S3 blob store).
AWS_VARIABLES = frozenset(
    {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"}
)
# Set by the images themselves for Python, not read by DocFleet.
PROCESS_VARIABLES = frozenset({"PATH", "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE"})


@dataclass(frozen=True)
class Worker:
    """One DocFleet service as the code defines it."""

    name: str
    package: str
    module: str
    queue: str
    members: tuple[str, ...]
    settings: type[ServiceSettings]

    @property
    def env_names(self) -> frozenset[str]:
        """Every DOCFLEET_* variable this worker's process reads."""
        return settings_env_names(self.settings) | settings_env_names(CodecSettings)

    @property
    def uses_blobs(self) -> bool:
        return "libs/blobstore" in self.members

    @property
    def uses_redis(self) -> bool:
        return "redis_url" in self.settings.model_fields


def settings_env_names(model: type[BaseSettings]) -> frozenset[str]:
    """The variable names a pydantic-settings model reads (prefix + field name, upper case)."""
    prefix = str(model.model_config.get("env_prefix", ""))
    assert not model.model_config.get("case_sensitive"), f"{model.__name__} is case sensitive"
    names = set()
    for name, field in model.model_fields.items():
        assert field.validation_alias is None, f"{model.__name__}.{name} has an alias"
        names.add(f"{prefix}{name}".upper())
    return frozenset(names)


def workspace_closure(member: str) -> tuple[str, ...]:
    """The workspace members (paths like libs/runtime) `member` needs, itself included."""
    paths = {
        tomllib.loads(p.read_text())["project"]["name"]: str(p.parent.relative_to(ROOT))
        for p in ROOT.glob("*/*/pyproject.toml")
    }
    seen: list[str] = []
    todo = [member]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.append(path)
        project = tomllib.loads((ROOT / path / "pyproject.toml").read_text())
        sources = project.get("tool", {}).get("uv", {}).get("sources", {})
        for dep in project["project"].get("dependencies", []):
            name = Requirement(dep).name
            if sources.get(name, {}).get("workspace"):
                todo.append(paths[name])
    return tuple(sorted(seen))


def _settings_class(service: str) -> type[ServiceSettings]:
    module = importlib.import_module(f"docfleet_{service}.settings")
    found = [
        obj
        for obj in vars(module).values()
        if inspect.isclass(obj)
        and issubclass(obj, ServiceSettings)
        and obj is not ServiceSettings
        and obj.__module__ == module.__name__
    ]
    assert len(found) == 1, f"docfleet_{service}.settings defines {found}"
    return found[0]


def discover_workers() -> dict[str, Worker]:
    """Every services/<name> with a `python -m docfleet_<name>` entry point."""
    workers = {}
    for main in sorted(ROOT.glob("services/*/src/docfleet_*/__main__.py")):
        name = main.parents[2].name
        module = main.parent.name
        assert module == f"docfleet_{name}", main
        workers[name] = Worker(
            name=name,
            package=f"docfleet-{name}",
            module=module,
            queue=getattr(queues, f"{name.upper()}_QUEUE"),
            members=workspace_closure(f"services/{name}"),
            settings=_settings_class(name),
        )
    return workers


WORKERS = discover_workers()


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines of a Compose env file (comments and blank lines skipped)."""
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, sep, value = line.partition("=")
            assert sep, f"{path}: not KEY=VALUE: {line!r}"
            values[key.strip()] = value.strip()
    return values


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test taking `worker` runs once per DocFleet service found in services/."""
    if "worker" in metafunc.fixturenames:
        metafunc.parametrize("worker", list(WORKERS.values()), ids=list(WORKERS))


@dataclass(frozen=True)
class Kit:
    """The helpers above, for test modules (conftest.py cannot be imported under importlib)."""

    root: Path = ROOT
    infra: Path = INFRA
    metrics_port: int = METRICS_PORT
    temporal_variables: frozenset[str] = TEMPORAL_VARIABLES
    aws_variables: frozenset[str] = AWS_VARIABLES
    process_variables: frozenset[str] = PROCESS_VARIABLES

    @staticmethod
    def load_yaml(path: Path) -> Any:
        return load_yaml(path)

    @staticmethod
    def read_env_file(path: Path) -> dict[str, str]:
        return read_env_file(path)

    @staticmethod
    def workspace_closure(member: str) -> tuple[str, ...]:
        return workspace_closure(member)


@pytest.fixture(scope="session")
def kit() -> Kit:
    return Kit()


@pytest.fixture(scope="session")
def workers() -> dict[str, Worker]:
    return WORKERS


@pytest.fixture(scope="session")
def compose() -> dict[str, Any]:
    data: dict[str, Any] = load_yaml(INFRA / "compose" / "compose.yaml")
    return data


@pytest.fixture(scope="session")
def render_blueprint() -> dict[str, Any]:
    data: dict[str, Any] = load_yaml(ROOT / "render.yaml")
    return data


@pytest.fixture(scope="session")
def helm_values() -> dict[str, Any]:
    data: dict[str, Any] = load_yaml(INFRA / "helm" / "docfleet" / "values.yaml")
    return data
