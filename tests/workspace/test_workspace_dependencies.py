"""Each member's resolved dependency set, read from uv.lock: the orchestrator stays light."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = {"onnxruntime", "rapidocr-onnxruntime", "spacy", "pymupdf", "thinc", "numpy"}


def resolved(package: str) -> set[str]:
    """Every package `package` pulls in, transitively, according to uv.lock."""
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    graph = {p["name"]: {d["name"] for d in p.get("dependencies", [])} for p in lock["package"]}
    seen: set[str] = set()
    todo = [package]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(graph.get(name, ()))
    return seen - {package}


def test_orchestrator_environment_has_no_ocr_or_nlp_libraries() -> None:
    deps = resolved("docfleet-orchestrator")
    assert "temporalio" in deps and "pydantic" in deps
    assert not deps & HEAVY, f"orchestrator pulls in {sorted(deps & HEAVY)}"


def test_contracts_need_only_pydantic_and_temporalio() -> None:
    direct = {
        d["name"]
        for p in tomllib.loads((ROOT / "uv.lock").read_text())["package"]
        if p["name"] == "docfleet-contracts"
        for d in p.get("dependencies", [])
    }
    assert direct == {"pydantic", "temporalio"}


@pytest.mark.parametrize(
    ("service", "forbidden"),
    [
        ("docfleet-fetcher", {"spacy", "onnxruntime", "pymupdf"}),
        ("docfleet-nlp", {"onnxruntime", "pymupdf"}),
        ("docfleet-ocr", {"spacy", "redis"}),
        ("docfleet-storage", {"spacy", "onnxruntime", "pymupdf"}),
    ],
)
def test_services_do_not_carry_each_others_heavy_libraries(
    service: str, forbidden: set[str]
) -> None:
    assert not resolved(service) & forbidden


@pytest.mark.parametrize("service", ["fetcher", "ocr", "nlp", "storage", "orchestrator"])
def test_service_imports_only_contracts_and_shared_libs_of_docfleet(service: str) -> None:
    """A service never imports another service: they talk only through the contracts."""
    src = ROOT / "services" / service / "src"
    others = {f"docfleet_{s}" for s in ("fetcher", "ocr", "nlp", "storage", "orchestrator")}
    others.discard(f"docfleet_{service}")
    pattern = re.compile(r"^\s*(?:from|import)\s+(docfleet_\w+)", re.MULTILINE)
    imported = {m for f in src.rglob("*.py") for m in pattern.findall(f.read_text())}
    assert not imported & others
