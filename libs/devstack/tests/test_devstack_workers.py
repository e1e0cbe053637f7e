from __future__ import annotations

import signal
from pathlib import Path

from docfleet_devstack.process import ManagedProcess
from docfleet_devstack.servers import RedisServer, TemporalServer
from docfleet_devstack.stack import Stack


def _sleeper(tmp_path: Path, name: str, port: int) -> ManagedProcess:
    env = {"DOCFLEET_METRICS_PORT": str(port)}
    return ManagedProcess(name, ["sleep", "60"], tmp_path / f"{port}.log", env=env)


def test_an_older_live_worker_becomes_current_when_the_newest_goes(tmp_path: Path) -> None:
    dummy = _sleeper(tmp_path, "dummy", 1)
    stack = Stack(
        tmp_path,
        TemporalServer("127.0.0.1:1", None, dummy),
        RedisServer("redis://127.0.0.1:2/0", 2, dummy),
        tmp_path.as_uri(),
        {},
        metrics=True,
    )
    older, newer = _sleeper(tmp_path, "ocr-worker", 11), _sleeper(tmp_path, "ocr-worker", 12)
    try:
        for process in (older, newer):
            stack.processes.append(process)
            stack._adopt("ocr", process)
        assert stack.workers["ocr"] is newer and stack.metrics_ports["ocr"] == 12

        assert stack.kill_worker("ocr", signal.SIGSTOP) is newer  # frozen, not gone
        assert stack.workers["ocr"] is newer and newer.alive()
        assert stack.stop_worker("ocr") == -signal.SIGTERM  # SIGCONT first, so SIGTERM lands
        assert stack.workers["ocr"] is older and stack.metrics_ports["ocr"] == 11

        assert stack.kill_worker("ocr") is older
        assert older.popen.returncode == -signal.SIGKILL
        assert "ocr" not in stack.workers and "ocr" not in stack.metrics_ports
    finally:
        for process in (older, newer, dummy):
            process.stop()
