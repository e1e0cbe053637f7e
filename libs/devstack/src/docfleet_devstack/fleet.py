"""The five DocFleet workers as separate OS processes, as they run in production."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from docfleet_devstack.process import ManagedProcess

SERVICES = ("fetcher", "ocr", "nlp", "storage", "orchestrator")
READY_LINE = "worker serving task queue"


def start_worker(service: str, env: dict[str, str], log_dir: Path) -> ManagedProcess:
    """`python -m docfleet_<service>` with `env` added to this process's environment."""
    return ManagedProcess(
        f"{service}-worker",
        [sys.executable, "-m", f"docfleet_{service}"],
        log_dir / f"{service}-worker.log",
        env={"PYTHONUNBUFFERED": "1", **env},
    )


def start_fleet(
    env: dict[str, str],
    log_dir: Path,
    services: Iterable[str] = SERVICES,
    timeout: float = 180.0,
) -> dict[str, ManagedProcess]:
    """Start every worker, then wait until each one polls its queue."""
    workers = {service: start_worker(service, env, log_dir) for service in services}
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
