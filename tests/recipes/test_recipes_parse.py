"""Every recipe file parses: YAML and JSON(C) under infra/, render.yaml, the devcontainer."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml

if TYPE_CHECKING:
    from tests.recipes.conftest import Kit

ROOT = Path(__file__).resolve().parents[2]
# Helm templates are Go templates, not YAML, until rendered (test_helm_chart checks them).
TEMPLATE_DIRS = ("infra/helm/docfleet/templates",)


def recipe_files(*patterns: str) -> list[Path]:
    found = {
        path
        for pattern in patterns
        for path in ROOT.glob(pattern)
        if not any(str(path.relative_to(ROOT)).startswith(d) for d in TEMPLATE_DIRS)
    }
    return sorted(found)


YAML_FILES = recipe_files("infra/**/*.yaml", "infra/**/*.yml", "render.yaml")
JSON_FILES = recipe_files("infra/**/*.json", ".devcontainer/*.json")


def strip_jsonc(text: str) -> str:
    """JSON with comments (devcontainer.json) to JSON: drops // and /* */ outside strings."""
    pattern = r'"(?:\\.|[^"\\])*"|//[^\n]*|/\*.*?\*/'
    return re.sub(pattern, lambda m: m.group(0) if m.group(0)[0] == '"' else "", text, flags=re.S)


def test_the_recipes_are_all_there() -> None:
    names = {str(p.relative_to(ROOT)) for p in YAML_FILES + JSON_FILES}
    assert {
        "render.yaml",
        "infra/compose/compose.yaml",
        "infra/helm/docfleet/values.yaml",
        "infra/helm/docfleet/Chart.yaml",
        ".devcontainer/devcontainer.json",
    } <= names


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_yaml_recipe_parses(path: Path) -> None:
    documents = [d for d in yaml.safe_load_all(path.read_text()) if d is not None]
    assert documents, f"{path} is empty"


@pytest.mark.parametrize("path", JSON_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_json_recipe_parses(path: Path) -> None:
    assert json.loads(strip_jsonc(path.read_text()))


def test_env_files_are_key_value_lines(kit: Kit) -> None:
    for path in (kit.infra / "compose" / "docfleet.env", kit.infra / "compose" / ".env.example"):
        assert kit.read_env_file(path)


def test_devcontainer_runs_make_install_on_python_311(kit: Kit) -> None:
    config = json.loads(strip_jsonc((kit.root / ".devcontainer" / "devcontainer.json").read_text()))
    assert config["postCreateCommand"] == "make install"
    assert re.search(r"python:\S*3\.11", config["image"])
    assert (kit.root / "Makefile").read_text().count("\ninstall:") == 1


def test_jsonc_stripping_keeps_urls_in_strings() -> None:
    text = '{"a": "https://x//y", // note\n "b": 1 /* c */}'
    assert json.loads(strip_jsonc(text)) == {"a": "https://x//y", "b": 1}
