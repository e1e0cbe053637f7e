import json

import pytest

from benchmarks.ocr_bare import BareRun
from benchmarks.report import (
    Measured,
    digital_section,
    large_section,
    markdown,
    overhead_section,
    scanned_section,
)
from benchmarks.run import QUICK, parse_args
from docfleet_devstack.histories import RunHistory

WORKERS = ("fetcher", "ocr", "nlp", "storage", "orchestrator")


def measured(items: int, unit: str, seconds: float, **cpu: float) -> Measured:
    return Measured(
        items=items,
        unit=unit,
        seconds=seconds,
        cpu_seconds=dict(cpu),
        peak_rss_kb=dict.fromkeys(WORKERS, 100 * 1024),
        peak_tree_rss_kb=dict.fromkeys(WORKERS, 150 * 1024),
    )


def bare(pages: int, seconds: float) -> BareRun:
    return BareRun(
        pages=pages, seconds=seconds, cpu_seconds=2 * seconds, threads=2, chars=10, render_seconds=0
    )


def sample_report() -> dict[str, object]:
    fleet = measured(200, "documents", 50.0, temporal=20.0, ocr=10.0, nlp=10.0, orchestrator=20.0)
    base = measured(200, "documents", 40.0, temporal=16.0, **{"baseline-workflows": 8.0})
    chain = [
        RunHistory("a", 9000, 10**6, 2048, "EVENT_TYPE_ACTIVITY_TASK_SCHEDULED", True),
        RunHistory("b", 3000, 10**5, 4096, "EVENT_TYPE_ACTIVITY_TASK_SCHEDULED", False),
    ]
    return {
        "meta": {
            "started": "2026-01-01T00:00:00+00:00",
            "cpus": 2,
            "temporal_mode": "in memory",
            "window": 50,
            "wall_seconds": 700.4,
        },
        "overhead": overhead_section(
            fleet,
            base,
            ["baseline-workflows"],
            {"fleet": {"document": 40, "analytics": 11}, "baseline": {"document": 23}},
            measured(200, "documents", 45.0, temporal=18.0, **{"baseline-workflows": 9.0}),
        ),
        "scanned": scanned_section(measured(16, "pages", 64.0, ocr=120.0), bare(16, 50.0)),
        "digital": digital_section(measured(50, "pages", 5.0), bare(4, 20.0)),
        "large": large_section(measured(2000, "documents", 600.0), chain),
    }


def test_overhead_ratio_and_cpu_per_document_compare_like_with_like() -> None:
    section = sample_report()["overhead"]
    assert isinstance(section, dict)

    assert section["ratio"] == pytest.approx(0.8)
    assert section["met"] is True
    assert section["fleet"]["documents_per_second"] == 4.0
    assert section["fleet"]["server_cpu_seconds_per_document"] == 0.1
    assert section["fleet"]["worker_cpu_seconds_per_document"] == 0.2
    assert section["baseline"]["worker_cpu_seconds_per_document"] == 0.04
    assert section["fleet_cpu_seconds_per_document"] == 0.3
    assert section["baseline_cpu_seconds_per_document"] == 0.12
    assert section["cpu_ratio"] == 0.4
    # The same program in DocFleet's shape: 200 / 45 docs/s, 27 CPU-s for 200 documents.
    assert section["docfleet_shape_ratio"] == pytest.approx(0.9)
    assert section["docfleet_shape_cpu_seconds_per_document"] == 0.135
    assert section["docfleet_shape_cpu_ratio"] == 0.45


def test_targets_are_missed_below_their_thresholds() -> None:
    section = scanned_section(measured(10, "pages", 20.0), bare(10, 10.0))

    assert section["ratio"] == 0.5
    assert section["met"] is False


def test_born_digital_speedup_and_large_batch_chain() -> None:
    report = sample_report()
    digital, large = report["digital"], report["large"]
    assert isinstance(digital, dict) and isinstance(large, dict)

    assert digital["times_faster_than_ocr"] == 50.0
    assert large["runs"] == 2
    assert large["largest_run_events"] == 9000
    assert large["largest_payload_bytes"] == 4096


def test_report_is_json_and_markdown_has_a_row_per_figure() -> None:
    report = sample_report()
    text = markdown(json.loads(json.dumps(report)))

    assert "Temporal dev server in memory" in text
    assert "| orchestration: 200 trivial documents, docs/s | 4.00 | 5.00" in text
    assert "| 0.80 | ≥ 0.8 (met) |" in text
    assert "| 51 (40 document + 11 analytics) | 23 | | |" in text
    assert (
        "DocFleet's shape (2 workflows, 7 no-op activities), docs/s | 4.00 | 4.44 | 0.90 |" in text
    )
    assert "| scanned: 16 pages, pages/s | 0.250 | 0.320 (bare engine, 2 threads) | 0.78" in text
    assert "≥ 0.85 (missed)" in text
    assert "| ↳ CPU-s per page (fleet: server, Redis, workers; bare: its process) | 7.50 |" in text
    assert "50x faster" in text
    assert "2 runs; 9,000 events" in text
    assert "| ocr worker | 100 / 150 | 100 / 150 |" in text
    rows = [line for line in text.splitlines() if line.startswith("|")]
    assert all(line.count("|") == rows[0].count("|") for line in rows[:10])


def test_markdown_leaves_out_parts_that_did_not_run() -> None:
    report = sample_report()
    for part in ("overhead", "digital", "large"):
        del report[part]

    text = markdown(report)

    assert "orchestration" not in text
    assert "scanned run |" in text
    assert "large batch" not in text


def test_quick_shrinks_every_size_and_parts_are_checked() -> None:
    args = parse_args(["--quick", "--parts", "scanned,large"])

    assert args.trivial == QUICK["trivial"]
    assert args.large == QUICK["large"]
    assert args.parts == ["scanned", "large"]
    with pytest.raises(SystemExit):
        parse_args(["--parts", "everything"])
