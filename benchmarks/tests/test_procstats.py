import os
import subprocess
import sys

from benchmarks.procstats import Stat, Watch, parse_stat, peak_rss_kb, read_stat, tree


def test_parse_stat_reads_cpu_and_parent_past_a_command_name_with_spaces_and_parens() -> None:
    fields = ["S", "42"] + ["0"] * 9 + ["100", "50", "7", "3"] + ["0"] * 6 + ["25"] + ["0"] * 20
    stat = parse_stat(f"1234 (odd) name (x)) {' '.join(fields)}")

    assert stat.pid == 1234
    assert stat.ppid == 42
    assert stat.cpu_ticks == 160
    assert stat.rss_kb == 25 * os.sysconf("SC_PAGE_SIZE") // 1024


def test_read_stat_of_this_process_matches_its_parent() -> None:
    stat = read_stat(os.getpid())

    assert stat is not None
    assert stat.ppid == os.getppid()
    assert stat.rss_kb > 0


def test_tree_follows_parents_and_ignores_strangers() -> None:
    stats = {
        pid: Stat(pid, ppid, 0, 0)
        for pid, ppid in [(1, 0), (10, 1), (11, 10), (12, 11), (20, 1), (13, 10)]
    }

    assert sorted(s.pid for s in tree(10, stats)) == [10, 11, 12, 13]
    assert tree(99, stats) == []


def _child(code: str) -> subprocess.Popen[str]:
    """A Python child that prints "ready" once it has done `code`, then waits to be killed."""
    script = f"{code}\nprint('ready', flush=True)\nimport time\ntime.sleep(30)\n"
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    return process


def _wait_ready(process: subprocess.Popen[str]) -> None:
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"


def _end(process: subprocess.Popen[str]) -> None:
    process.kill()
    process.wait()
    if process.stdout is not None:
        process.stdout.close()


def test_a_phase_keeps_the_peak_memory_it_sampled() -> None:
    process = _child("block = b'x' * (96 * 1024 * 1024)")
    watch = Watch(every=0.05)
    try:
        watch.watch("holder", process.pid)
        phase = watch.begin("hold")
        _wait_ready(process)
        phase = watch.end(phase)
    finally:
        watch.close()
        _end(process)

    usage = phase.usage["holder"]
    assert usage.peak_rss_kb > 90 * 1024
    assert usage.peak_tree_rss_kb >= usage.peak_rss_kb


def test_cpu_of_a_live_tree_includes_children_it_reaped() -> None:
    spin = (
        "import os, time\n"
        "if os.fork() == 0:\n"
        "    t = time.process_time()\n"
        "    while time.process_time() - t < 0.5: pass\n"
        "    os._exit(0)\n"
        "os.wait()"
    )
    process = _child(spin)
    watch = Watch(every=0.05)
    try:
        watch.watch("parent", process.pid)
        watch.watch("me", os.getpid(), descendants=False)
        phase = watch.begin("child")
        _wait_ready(process)
        phase = watch.end(phase)
        assert peak_rss_kb(process.pid) is not None
    finally:
        watch.close()
        _end(process)

    # The child spun 0.5 s and was reaped before the end sample: its CPU still counts.
    assert phase.usage["parent"].cpu_seconds >= 0.4
    assert phase.usage["me"].cpu_seconds < phase.usage["parent"].cpu_seconds
