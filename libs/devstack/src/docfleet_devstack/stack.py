"""A whole local DocFleet: Temporal dev server, Redis and the five workers, as one unit."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from docfleet_devstack.fleet import SERVICES, start_fleet, stop_all
from docfleet_devstack.process import ManagedProcess
from docfleet_devstack.servers import RedisServer, TemporalServer, start_redis, start_temporal


@dataclass
class Stack:
    workdir: Path
    temporal: TemporalServer
    redis: RedisServer
    blob_url: str
    env: dict[str, str]
    workers: dict[str, ManagedProcess] = field(default_factory=dict)

    def client_env(self) -> dict[str, str]:
        """What a CLI process needs to reach this stack."""
        return {"TEMPORAL_ADDRESS": self.temporal.address, "TEMPORAL_NAMESPACE": "default"}


@contextlib.contextmanager
def running_stack(
    workdir: Path,
    *,
    ui: bool = False,
    blob_url: str | None = None,
    file_root: Path | None = None,
    extra_env: dict[str, str] | None = None,
    services: tuple[str, ...] = SERVICES,
) -> Iterator[Stack]:
    """Start everything under `workdir`; stop it all on exit, whatever happened."""
    workdir.mkdir(parents=True, exist_ok=True)
    logs = workdir / "logs"
    temporal = start_temporal(logs, ui=ui, db_file=workdir / "temporal.db")
    redis: RedisServer | None = None
    stack: Stack | None = None
    try:
        redis = start_redis(logs)
        env = {
            "TEMPORAL_ADDRESS": temporal.address,
            "TEMPORAL_NAMESPACE": "default",
            "DOCFLEET_BLOB_URL": blob_url or (workdir / "blobs").resolve().as_uri(),
            "DOCFLEET_REDIS_URL": redis.url,
            # The fetcher refuses loopback by default (SSRF); this local stack serves from it.
            "DOCFLEET_FETCH_ALLOW_CIDRS": '["127.0.0.0/8", "::1/128"]',
            **({"DOCFLEET_FETCH_FILE_ROOT": str(file_root)} if file_root else {}),
            **(extra_env or {}),
        }
        stack = Stack(workdir, temporal, redis, env["DOCFLEET_BLOB_URL"], env)
        stack.workers = start_fleet(env, logs, services)
        yield stack
    finally:
        if stack is not None:
            stop_all(stack.workers.values())
        if redis is not None:
            redis.process.stop()
        temporal.process.stop()
