"""CPU seconds and memory of processes and their descendants, read from Linux's /proc.

A process tree's CPU is the sum, over its live members, of their own time plus the time of
children they have already reaped (`cutime`/`cstime`): the OCR worker's parser children are
reaped by its fork server, so their CPU counts even after they are gone.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


@dataclass(frozen=True)
class Stat:
    """The fields of /proc/<pid>/stat that matter here."""

    pid: int
    ppid: int
    cpu_ticks: int
    """utime + stime + cutime + cstime."""
    rss_kb: int


def parse_stat(text: str) -> Stat:
    """Parse one /proc/<pid>/stat line; the command name may hold spaces and parentheses."""
    head, _, rest = text.rpartition(")")
    pid = int(head.split("(", 1)[0])
    fields = rest.split()
    # fields[0] is field 3 (state); utime..cstime are fields 14-17, rss field 24.
    utime, stime, cutime, cstime = (int(v) for v in fields[11:15])
    return Stat(pid, int(fields[1]), utime + stime + cutime + cstime, int(fields[21]) * PAGE_KB)


def read_stat(pid: int) -> Stat | None:
    try:
        return parse_stat((PROC / str(pid) / "stat").read_text())
    except (FileNotFoundError, ProcessLookupError, ValueError, IndexError):
        return None  # gone between listing and reading


def all_stats() -> dict[int, Stat]:
    stats = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            stat = read_stat(int(entry.name))
            if stat is not None:
                stats[stat.pid] = stat
    return stats


def tree(root: int, stats: Mapping[int, Stat]) -> list[Stat]:
    """`root` and all its live descendants."""
    children: dict[int, list[int]] = {}
    for stat in stats.values():
        children.setdefault(stat.ppid, []).append(stat.pid)
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        if pid in stats:
            found.append(stats[pid])
            todo.extend(children.get(pid, []))
    return found


def peak_rss_kb(pid: int) -> int | None:
    """VmHWM: the most resident memory `pid` ever had."""
    try:
        for line in (PROC / str(pid) / "status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return None


@dataclass
class Usage:
    """What one watched process (and its tree) used during a phase."""

    cpu_seconds: float = 0.0
    """CPU of the process tree during the phase."""
    peak_rss_kb: int = 0
    """Largest sampled resident memory of the process itself."""
    peak_tree_rss_kb: int = 0
    """Largest sampled resident memory of the process and its descendants together."""


@dataclass
class Phase:
    """Usage per watched name between `Watch.begin` and `Watch.end`."""

    name: str
    started: dict[str, int] = field(default_factory=dict)
    usage: dict[str, Usage] = field(default_factory=dict)


class Watch:
    """Samples named processes' trees in a background thread every `every` seconds; phases
    collect each tree's CPU and peak memory between their begin and end."""

    def __init__(self, every: float = 0.25) -> None:
        self._pids: dict[str, tuple[int, bool]] = {}
        self._every = every
        self._lock = threading.Lock()
        self._open: list[Phase] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="procstats", daemon=True)
        self._thread.start()

    def watch(self, name: str, pid: int, *, descendants: bool = True) -> None:
        """Watch `pid` under `name`, with its descendants unless told otherwise."""
        with self._lock:
            self._pids[name] = (pid, descendants)

    def unwatch(self, name: str) -> None:
        with self._lock:
            self._pids.pop(name, None)

    def begin(self, name: str) -> Phase:
        phase = Phase(name)
        with self._lock:
            snapshot = self._sample()
            phase.started = {n: ticks for n, (ticks, _, _) in snapshot.items()}
            phase.usage = {n: Usage() for n in snapshot}
            self._record(phase, snapshot)
            self._open.append(phase)
        return phase

    def end(self, phase: Phase) -> Phase:
        with self._lock:
            snapshot = self._sample()
            self._record(phase, snapshot)
            for name, (ticks, _, _) in snapshot.items():
                if name in phase.started:
                    phase.usage[name].cpu_seconds = (ticks - phase.started[name]) / TICKS
            self._open.remove(phase)
        return phase

    def close(self) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        while not self._stop.wait(self._every):
            with self._lock:
                if self._open:
                    snapshot = self._sample()
                    for phase in self._open:
                        self._record(phase, snapshot)

    def _sample(self) -> dict[str, tuple[int, int, int]]:
        """name -> (tree CPU ticks, own RSS, tree RSS)."""
        stats = all_stats()
        result = {}
        for name, (pid, descendants) in self._pids.items():
            members = tree(pid, stats) if descendants else [stats[pid]] if pid in stats else []
            if members:
                result[name] = (
                    sum(s.cpu_ticks for s in members),
                    members[0].rss_kb,
                    sum(s.rss_kb for s in members),
                )
        return result

    @staticmethod
    def _record(phase: Phase, snapshot: Mapping[str, tuple[int, int, int]]) -> None:
        for name, (_, own, total) in snapshot.items():
            usage = phase.usage.get(name)
            if usage is not None:
                usage.peak_rss_kb = max(usage.peak_rss_kb, own)
                usage.peak_tree_rss_kb = max(usage.peak_tree_rss_kb, total)


def total_cpu(usages: Iterable[Usage]) -> float:
    return sum(u.cpu_seconds for u in usages)
