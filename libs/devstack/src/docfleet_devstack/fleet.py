"""The five DocFleet workers as separate OS processes, as they run in production."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

from docfleet_devstack.process import ManagedProcess

SERVICES = ("fetcher", "ocr", "nlp", "storage", "orchestrator")
READY_LINE = "worker serving task queue"


def start_worker(
    service: str, env: Mapping[str, str], log_dir: Path, log_name: str | None = None
) -> ManagedProcess:
    """`python -m docfleet_<service>` with `env` added to this process's environment.

    Its log is `<service>-worker.log` unless `log_name` says otherwise: a replacement needs a
    fresh log, or its predecessor's ready line would count as its own.
    """
    return ManagedProcess(
        f"{service}-worker",
        [sys.executable, "-m", f"docfleet_{service}"],
        log_dir / (log_name or f"{service}-worker.log"),
        env={"PYTHONUNBUFFERED": "1", **env},
    )


def start_fleet(
    env: Mapping[str, str],
    log_dir: Path,
    services: Iterable[str] = SERVICES,
    timeout: float = 180.0,
    service_env: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, ManagedProcess]:
    """Start every worker (with its `service_env` on top of `env`), then wait until each one
    polls its queue."""
    extra = service_env or {}
    workers = {
        service: start_worker(service, {**env, **extra.get(service, {})}, log_dir)
        for service in services
    }
    try:
        for worker in workers.values():
            worker.wait_for(READY_LINE, timeout=timeout)
    except BaseException:
        stop_all(workers.values())
        raise
    return workers


def stop_all(processes: Iterable[ManagedProcess]) -> None:
    for process in processes:
        process.stop()
