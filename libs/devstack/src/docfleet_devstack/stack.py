"""A whole local DocFleet: Temporal dev server, Redis and the five workers, as one unit.

Fault tests break it on purpose through `Stack`'s controls: kill, stop and start workers, and
restart the Temporal dev server or Redis on the same port (their state survives). With `s3=True`
the blob store is moto's S3 API behind a `TcpProxy` that can be cut and restored.
"""

from __future__ import annotations

import contextlib
import os
import signal
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from docfleet_blobstore import S3Options
from docfleet_devstack import fleet
from docfleet_devstack.process import ManagedProcess, free_port
from docfleet_devstack.proxy import TcpProxy
from docfleet_devstack.servers import (
    S3_TEST_ENV,
    MotoServer,
    RedisServer,
    TemporalServer,
    create_bucket,
    shutdown_redis,
    start_moto,
    start_redis,
    start_temporal,
)


@dataclass
class Stack:
    workdir: Path
    temporal: TemporalServer
    redis: RedisServer
    blob_url: str
    env: dict[str, str]
    workers: dict[str, ManagedProcess] = field(default_factory=dict)
    """The newest live worker of each service."""
    worker_env: dict[str, dict[str, str]] = field(default_factory=dict)
    """Per-service variables on top of `env`, used by every start of that service."""
    metrics: bool = False
    metrics_ports: dict[str, int] = field(default_factory=dict)
    """Prometheus port of each service's newest worker (with `metrics=True`)."""
    moto: MotoServer | None = None
    s3_proxy: TcpProxy | None = None
    """The workers' way to S3 (with `s3=True`): `cut()` takes S3 down, `restore()` revives it."""
    processes: list[ManagedProcess] = field(default_factory=list)
    """Every worker process ever started, live or not; all are stopped at the end."""

    @property
    def log_dir(self) -> Path:
        return self.workdir / "logs"

    def client_env(self) -> dict[str, str]:
        """What a CLI process needs to reach this stack: Temporal, and the blob store where it
        uploads manifests and reads results manifests."""
        blobs = {
            name: value
            for name, value in self.env.items()
            if name.startswith(("DOCFLEET_BLOB_", "DOCFLEET_S3_", "AWS_"))
        }
        return {**blobs, "TEMPORAL_ADDRESS": self.temporal.address, "TEMPORAL_NAMESPACE": "default"}

    @property
    def s3_options(self) -> S3Options | None:
        """How a test reaches the stack's S3 directly, past the proxy (works while it is cut)."""
        if self.moto is None:
            return None
        return S3Options(endpoint_url=self.moto.endpoint, region=S3_TEST_ENV["AWS_DEFAULT_REGION"])

    # --- workers ---------------------------------------------------------------------------

    def worker_env_for(
        self, service: str, overrides: Mapping[str, str] | None = None
    ) -> dict[str, str]:
        """The environment a new worker of `service` gets (a fresh metrics port each time)."""
        env = {**self.env, **self.worker_env.get(service, {}), **(overrides or {})}
        if self.metrics and "DOCFLEET_METRICS_PORT" not in (overrides or {}):
            env["DOCFLEET_METRICS_PORT"] = str(free_port())
            env.setdefault("DOCFLEET_METRICS_HOST", "127.0.0.1")
        return env

    def start_worker(
        self, service: str, env_overrides: Mapping[str, str] | None = None, timeout: float = 180.0
    ) -> ManagedProcess:
        """Start one more worker of `service` (a replacement, or a second one), wait until it
        polls its queue, and make it the service's current worker."""
        env = self.worker_env_for(service, env_overrides)
        started = sum(p.name == f"{service}-worker" for p in self.processes)
        log_name = (
            f"{service}-worker.log" if started == 0 else f"{service}-worker-{started + 1}.log"
        )
        process = fleet.start_worker(service, env, self.log_dir, log_name)
        self.processes.append(process)
        try:
            process.wait_for(fleet.READY_LINE, timeout=timeout)
        except BaseException:
            process.stop()
            raise
        self._adopt(service, process)
        return process

    def kill_worker(self, service: str, sig: int = signal.SIGKILL) -> ManagedProcess:
        """Send `sig` to `service`'s current worker. SIGKILL is a crash: its whole process
        group dies at once and this returns after it is gone; any other signal (SIGTERM,
        SIGSTOP, ...) goes to the worker process alone and this returns at once."""
        process = self.workers[service]
        if sig == signal.SIGKILL:
            process.kill()
            self._forget(service, process)
        else:
            process.signal(sig)
        return process

    def stop_worker(self, service: str, timeout: float = 45.0) -> int | None:
        """SIGTERM `service`'s current worker and wait until it drained and exited (SIGKILL
        after `timeout`); returns its exit code."""
        process = self.workers[service]
        code = process.stop(timeout)
        self._forget(service, process)
        return code

    def _adopt(self, service: str, process: ManagedProcess) -> None:
        self.workers[service] = process
        if self.metrics:
            self.metrics_ports[service] = int(process.env["DOCFLEET_METRICS_PORT"])

    def _forget(self, service: str, process: ManagedProcess) -> None:
        """Drop a dead worker; an older live one of the same service becomes current again."""
        if self.workers.get(service) is not process:
            return
        del self.workers[service]
        self.metrics_ports.pop(service, None)
        for older in reversed(self.processes):
            if older.name == f"{service}-worker" and older.alive():
                self._adopt(service, older)
                break

    # --- servers ---------------------------------------------------------------------------

    def stop_temporal(self) -> None:
        """Stop the dev server (SIGTERM); its SQLite file keeps every workflow."""
        self.temporal.process.stop()

    def start_temporal(self, timeout: float = 60.0) -> None:
        """Start the dev server again, same port and database: workers reconnect by themselves."""
        if self.temporal.process.alive():
            raise RuntimeError("the Temporal dev server is still running")
        self.temporal.process = self.temporal.process.respawn()
        self.temporal.process.wait_for(self.temporal.port, timeout=timeout)

    def stop_redis(self, *, save: bool = True) -> None:
        """Stop Redis; with `save` its data is kept for `start_redis`, without it is lost (a
        restart starts empty, as a Redis without persistence would)."""
        shutdown_redis(self.redis, save=save)

    def start_redis(self, timeout: float = 20.0) -> None:
        """Start Redis again on the same port."""
        if self.redis.process.alive():
            raise RuntimeError("Redis is still running")
        self.redis.process = self.redis.process.respawn()
        self.redis.process.wait_for(self.redis.port, timeout=timeout)

    def close(self) -> None:
        """Stop every worker, the S3 proxy and every server (what `running_stack` does)."""
        fleet.stop_all(self.processes)
        if self.s3_proxy is not None:
            self.s3_proxy.close()
        if self.moto is not None:
            self.moto.process.stop()
        self.redis.process.stop()
        self.temporal.process.stop()


@contextlib.contextmanager
def running_stack(
    workdir: Path,
    *,
    ui: bool = False,
    blob_url: str | None = None,
    file_root: Path | None = None,
    extra_env: dict[str, str] | None = None,
    services: tuple[str, ...] = fleet.SERVICES,
    s3: bool = False,
    metrics: bool = False,
    worker_env: Mapping[str, Mapping[str, str]] | None = None,
    temporal_db: bool = True,
) -> Iterator[Stack]:
    """Start everything under `workdir`; stop it all on exit, whatever happened.

    `s3=True` puts the blobs in a fresh bucket of a moto S3 API reached through `Stack.s3_proxy`
    (and sets fake AWS credentials in this process's environment where none are set);
    `metrics=True` gives every worker a Prometheus port (`Stack.metrics_ports`);
    `worker_env` adds variables to one service's workers, e.g. `{"ocr": {...}}`;
    `temporal_db=False` keeps the dev server's state in memory (faster; lost on restart).
    """
    if s3 and blob_url is not None:
        raise ValueError("running_stack: pass either s3=True or blob_url, not both")
    workdir.mkdir(parents=True, exist_ok=True)
    logs = workdir / "logs"
    db_file = workdir / "temporal.db" if temporal_db else None
    temporal = start_temporal(logs, ui=ui, db_file=db_file)
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
        }
        stack = Stack(workdir, temporal, redis, env["DOCFLEET_BLOB_URL"], env, metrics=metrics)
        if s3:
            env.update(_start_s3(stack, logs))
        env.update(extra_env or {})
        stack.blob_url = env["DOCFLEET_BLOB_URL"]
        stack.worker_env = {name: dict(values) for name, values in (worker_env or {}).items()}
        envs = {service: stack.worker_env_for(service) for service in services}
        workers = fleet.start_fleet({}, logs, services, service_env=envs)
        stack.processes.extend(workers.values())
        for service, process in workers.items():
            stack._adopt(service, process)
        yield stack
    finally:
        if stack is not None:
            stack.close()
        else:
            if redis is not None:
                redis.process.stop()
            temporal.process.stop()


def _start_s3(stack: Stack, logs: Path) -> dict[str, str]:
    """moto behind a proxy, with a fresh bucket; returns the workers' S3 variables."""
    stack.moto = start_moto(logs)
    stack.s3_proxy = TcpProxy("127.0.0.1", stack.moto.port)
    bucket = f"docfleet-{uuid.uuid4().hex[:10]}"
    create_bucket(stack.moto.endpoint, bucket)
    for name, value in S3_TEST_ENV.items():
        os.environ.setdefault(name, value)  # so this process can read the bucket too
    return {
        "DOCFLEET_BLOB_URL": f"s3://{bucket}/blobs",
        "DOCFLEET_S3_ENDPOINT_URL": stack.s3_proxy.url,
        "DOCFLEET_S3_REGION": S3_TEST_ENV["AWS_DEFAULT_REGION"],
        **S3_TEST_ENV,
    }
