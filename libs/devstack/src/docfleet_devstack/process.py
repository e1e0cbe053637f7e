"""Child processes that the stack starts and always stops: servers and workers."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex((host, port)) == 0


def docker_engine_available() -> bool:
    """Whether a Docker engine answers `GET /_ping` on its socket (testcontainers needs one)."""
    host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    if not host.startswith("unix://"):
        return True  # a remote engine was configured on purpose: let testcontainers use it
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(2)
            sock.connect(host.removeprefix("unix://"))
            sock.sendall(b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n")
            response = sock.recv(64)
        return response.startswith(b"HTTP/1.") and b" 200 " in response
    except OSError:
        return False


class ManagedProcess:
    """A process with its output in a log file; `stop()` sends SIGTERM, then SIGKILL."""

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        log_path: Path,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
    ) -> None:
        self.name = name
        self.argv = list(argv)
        self.log_path = log_path
        self.env = dict(env or {})
        self.cwd = cwd
        log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = log_path.open("ab")
        self.popen = subprocess.Popen(
            self.argv,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **self.env},
            cwd=cwd,
            start_new_session=True,  # a Ctrl-C in the terminal reaches us, not the children
        )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for(self, ready: str | int, timeout: float = 60.0) -> None:
        """Wait until the log shows `ready` (a string) or the port `ready` accepts connections."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                tail = self.log_text()[-3000:]
                raise RuntimeError(f"{self.name} exited with {self.popen.returncode}; log:\n{tail}")
            if isinstance(ready, int) and port_open(ready):
                return
            if isinstance(ready, str) and ready in self.log_text():
                return
            time.sleep(0.1)
        raise TimeoutError(f"{self.name} not ready in {timeout}s; log:\n{self.log_text()[-3000:]}")

    def signal(self, sig: int) -> None:
        if self.alive():
            self.popen.send_signal(sig)

    def signal_group(self, sig: int) -> None:
        """`sig` to the whole process group: the worker and any children it started."""
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, sig)

    def respawn(self, log_path: Path | None = None) -> ManagedProcess:
        """The same command, environment and folder again, as a new process (a restart)."""
        return ManagedProcess(self.name, self.argv, log_path or self.log_path, self.env, self.cwd)

    def stop(self, timeout: float = 20.0) -> int | None:
        """SIGTERM, wait, then SIGKILL the whole process group; returns the exit code."""
        if self.alive():
            # A fault test may have frozen it with SIGSTOP; a stopped process ignores SIGTERM.
            self.signal_group(signal.SIGCONT)
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(5)
        self._log.close()
        return self.popen.returncode

    def kill(self) -> None:
        """SIGKILL at once: a crash, as the fault tests want it."""
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(5)
