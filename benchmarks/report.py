"""The benchmark's figures: derived ratios, the JSON document and the markdown tables.

Everything here is pure: it takes what the runs measured and returns dicts and text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from benchmarks.ocr_bare import BareRun
from benchmarks.procstats import Phase
from docfleet_devstack.histories import RunHistory

SERVER = "temporal"
FLEET_WORKERS = ("fetcher", "ocr", "nlp", "storage", "orchestrator")
FLEET = (SERVER, "redis", *FLEET_WORKERS)
"""Every process of the fleet; the benchmark's own process (client, file host) is left out."""
OVERHEAD_TARGET = 0.8
SCANNED_TARGET = 0.85


@dataclass(frozen=True)
class Measured:
    """One timed run: `items` documents or pages in `seconds`, and what each process used."""

    items: int
    unit: str
    seconds: float
    cpu_seconds: dict[str, float] = field(default_factory=dict)
    peak_rss_kb: dict[str, int] = field(default_factory=dict)
    peak_tree_rss_kb: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, phase: Phase, items: int, unit: str, seconds: float) -> Measured:
        return cls(
            items=items,
            unit=unit,
            seconds=seconds,
            cpu_seconds={name: u.cpu_seconds for name, u in phase.usage.items()},
            peak_rss_kb={name: u.peak_rss_kb for name, u in phase.usage.items()},
            peak_tree_rss_kb={name: u.peak_tree_rss_kb for name, u in phase.usage.items()},
        )

    @property
    def rate(self) -> float:
        return self.items / self.seconds if self.seconds > 0 else 0.0

    def cpu_per_item(self, names: Sequence[str]) -> float:
        total = sum(self.cpu_seconds.get(name, 0.0) for name in names)
        return total / self.items if self.items else 0.0

    def to_json(self, workers: Sequence[str]) -> dict[str, Any]:
        unit = self.unit.rstrip("s")
        return {
            "items": self.items,
            "unit": self.unit,
            "seconds": round(self.seconds, 3),
            f"{self.unit}_per_second": round(self.rate, 4),
            f"server_cpu_seconds_per_{unit}": round(self.cpu_per_item([SERVER]), 4),
            f"worker_cpu_seconds_per_{unit}": round(self.cpu_per_item(workers), 4),
            "workers": list(workers),
            "cpu_seconds": {k: round(v, 3) for k, v in sorted(self.cpu_seconds.items())},
            "peak_rss_mb": _mb(self.peak_rss_kb),
            "peak_rss_with_children_mb": _mb(self.peak_tree_rss_kb),
        }


def _mb(values: Mapping[str, int]) -> dict[str, float]:
    return {name: round(kb / 1024, 1) for name, kb in sorted(values.items())}


def ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator > 0 else None


def bare_json(run: BareRun) -> dict[str, Any]:
    return {
        "pages": run.pages,
        "seconds": round(run.seconds, 3),
        "pages_per_second": round(run.pages_per_second, 4),
        "cpu_seconds_per_page": round(run.cpu_seconds / run.pages, 4) if run.pages else None,
        "threads": run.threads,
        "chars": run.chars,
        "render_seconds_untimed": round(run.render_seconds, 3),
    }


def overhead_section(
    fleet: Measured,
    baseline: Measured,
    baseline_workers: Sequence[str],
    events: Mapping[str, Mapping[str, int]] | None = None,
    shaped: Measured | None = None,
) -> dict[str, Any]:
    """`events`: history events of one document's workflows, {"fleet"|"baseline": {type: n}};
    `shaped`: the bare program in DocFleet's shape (two workflows, seven activities)."""
    value = ratio(fleet.rate, baseline.rate)
    fleet_cpu = fleet.cpu_per_item(FLEET)
    baseline_cpu = baseline.cpu_per_item([SERVER, *baseline_workers])
    extra: dict[str, Any] = {}
    if shaped is not None:
        shaped_cpu = shaped.cpu_per_item([SERVER, *baseline_workers])
        extra = {
            "baseline_docfleet_shape": shaped.to_json(baseline_workers),
            "docfleet_shape_cpu_seconds_per_document": round(shaped_cpu, 4),
            "docfleet_shape_ratio": _round(ratio(fleet.rate, shaped.rate)),
            "docfleet_shape_cpu_ratio": _round(ratio(shaped_cpu, fleet_cpu)),
        }
    return {
        **extra,
        "fleet": fleet.to_json(FLEET_WORKERS),
        "baseline": baseline.to_json(baseline_workers),
        # On a busy machine docs/s wobbles; CPU per document is the steadier comparison.
        "fleet_cpu_seconds_per_document": round(fleet_cpu, 4),
        "baseline_cpu_seconds_per_document": round(baseline_cpu, 4),
        "cpu_ratio": _round(ratio(baseline_cpu, fleet_cpu)),
        "history_events_per_document": {k: dict(v) for k, v in (events or {}).items()},
        "ratio": _round(value),
        "target": OVERHEAD_TARGET,
        "met": value is not None and value >= OVERHEAD_TARGET,
    }


def scanned_section(fleet: Measured, bare: BareRun) -> dict[str, Any]:
    value = ratio(fleet.rate, bare.pages_per_second)
    fleet_cpu = fleet.cpu_per_item(FLEET)
    bare_cpu = bare.cpu_seconds / bare.pages if bare.pages else 0.0
    return {
        "fleet": fleet.to_json(FLEET_WORKERS),
        "bare_engine": bare_json(bare),
        # CPU per page is what other load on the machine disturbs least.
        "fleet_cpu_seconds_per_page": round(fleet_cpu, 4),
        "cpu_ratio": _round(ratio(bare_cpu, fleet_cpu)),
        "ratio": _round(value),
        "target": SCANNED_TARGET,
        "met": value is not None and value >= SCANNED_TARGET,
    }


def digital_section(fleet: Measured, bare: BareRun) -> dict[str, Any]:
    return {
        "fleet": fleet.to_json(FLEET_WORKERS),
        "bare_engine_ocr_of_same_pages": bare_json(bare),
        "times_faster_than_ocr": _round(ratio(fleet.rate, bare.pages_per_second)),
    }


def large_section(fleet: Measured, chain: Sequence[RunHistory]) -> dict[str, Any]:
    return {
        "fleet": fleet.to_json(FLEET_WORKERS),
        "runs": len(chain),
        "largest_run_events": max((run.events for run in chain), default=0),
        "largest_payload_bytes": max((run.largest_payload for run in chain), default=0),
        "chain": [
            {
                "run_id": run.run_id,
                "events": run.events,
                "history_bytes": run.history_bytes,
                "largest_payload_bytes": run.largest_payload,
            }
            for run in chain
        ],
    }


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


# --- markdown --------------------------------------------------------------------------------


def markdown(report: Mapping[str, Any]) -> str:
    """The report as markdown: a headline table of the figures, then peak memory per worker."""
    meta = report["meta"]
    lines = [
        f"DocFleet benchmark, {meta['started']}: {meta['cpus']} CPUs, Temporal dev server "
        f"{meta['temporal_mode']}, window {meta['window']}, total wall time "
        f"{meta['wall_seconds']:.0f} s.",
        "",
        "| measure | DocFleet | reference | ratio | target |",
        "|---|---|---|---|---|",
    ]
    lines += _overhead_rows(report.get("overhead"))
    lines += _scanned_rows(report.get("scanned"))
    lines += _digital_rows(report.get("digital"))
    lines += _large_rows(report.get("large"))
    memory = _memory_table(report)
    if memory:
        lines += ["", *memory]
    return "\n".join(lines) + "\n"


def _target(section: Mapping[str, Any]) -> str:
    verdict = "met" if section["met"] else "missed"
    return f"≥ {section['target']:g} ({verdict})"


def _num(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}"


def _overhead_rows(section: Mapping[str, Any] | None) -> list[str]:
    if not section:
        return []
    fleet, base = section["fleet"], section["baseline"]
    n = fleet["items"]
    return [
        f"| orchestration: {n} trivial documents, docs/s | {_num(fleet['documents_per_second'])}"
        f" | {_num(base['documents_per_second'])} (bare Temporal program) "
        f"| {_num(section['ratio'])} | {_target(section)} |",
        f"| ↳ Temporal server CPU-s per document | "
        f"{_num(fleet['server_cpu_seconds_per_document'], 3)} | "
        f"{_num(base['server_cpu_seconds_per_document'], 3)} | | |",
        f"| ↳ worker CPU-s per document (all workers) | "
        f"{_num(fleet['worker_cpu_seconds_per_document'], 3)} | "
        f"{_num(base['worker_cpu_seconds_per_document'], 3)} | | |",
        f"| ↳ CPU-s per document, every process (server, workers; fleet: Redis too) | "
        f"{_num(section['fleet_cpu_seconds_per_document'], 3)} | "
        f"{_num(section['baseline_cpu_seconds_per_document'], 3)} | "
        f"{_num(section['cpu_ratio'])} | |",
        *_events_row(section.get("history_events_per_document") or {}),
        *_shaped_rows(section),
    ]


def _shaped_rows(section: Mapping[str, Any]) -> list[str]:
    shaped = section.get("baseline_docfleet_shape")
    if not shaped:
        return []
    fleet = section["fleet"]
    return [
        f"| ↳ against the bare program in DocFleet's shape (2 workflows, 7 no-op activities), "
        f"docs/s | {_num(fleet['documents_per_second'])} | "
        f"{_num(shaped['documents_per_second'])} | {_num(section['docfleet_shape_ratio'])} | |",
        f"| ↳ ↳ CPU-s per document, every process | "
        f"{_num(section['fleet_cpu_seconds_per_document'], 3)} | "
        f"{_num(section['docfleet_shape_cpu_seconds_per_document'], 3)} | "
        f"{_num(section['docfleet_shape_cpu_ratio'])} | |",
    ]


def _events_row(events: Mapping[str, Mapping[str, int]]) -> list[str]:
    if not events:
        return []

    def cell(counts: Mapping[str, int]) -> str:
        parts = " + ".join(f"{n} {kind}" for kind, n in counts.items())
        return f"{sum(counts.values())} ({parts})" if len(counts) > 1 else str(sum(counts.values()))

    return [
        f"| ↳ history events of one document's workflows | {cell(events.get('fleet', {}))} | "
        f"{cell(events.get('baseline', {}))} | | |"
    ]


def _scanned_rows(section: Mapping[str, Any] | None) -> list[str]:
    if not section:
        return []
    fleet, bare = section["fleet"], section["bare_engine"]
    return [
        f"| scanned: {fleet['items']} pages, pages/s | {_num(fleet['pages_per_second'], 3)} | "
        f"{_num(bare['pages_per_second'], 3)} (bare engine, {bare['threads']} threads) | "
        f"{_num(section['ratio'])} | {_target(section)} |",
        f"| ↳ CPU-s per page (fleet: server, Redis, workers; bare: its process) | "
        f"{_num(section['fleet_cpu_seconds_per_page'])} | "
        f"{_num(bare['cpu_seconds_per_page'])} | {_num(section['cpu_ratio'])} | |",
    ]


def _digital_rows(section: Mapping[str, Any] | None) -> list[str]:
    if not section:
        return []
    fleet, bare = section["fleet"], section["bare_engine_ocr_of_same_pages"]
    speedup = section["times_faster_than_ocr"]
    return [
        f"| born-digital: {fleet['items']} text-layer pages, pages/s | "
        f"{_num(fleet['pages_per_second'])} | {_num(bare['pages_per_second'], 3)} (bare "
        f"engine OCR of {bare['pages']} of those pages) | "
        f"{_num(speedup, 0) + 'x' if speedup is not None else 'n/a'} faster | |",
    ]


def _large_rows(section: Mapping[str, Any] | None) -> list[str]:
    if not section:
        return []
    fleet = section["fleet"]
    return [
        f"| large batch: {fleet['items']:,} trivial documents, wall time | "
        f"{fleet['seconds']:.0f} s ({_num(fleet['documents_per_second'])} docs/s) | | | |",
        f"| ↳ runs in the continue-as-new chain; largest run history | {_runs(section['runs'])};"
        f" {section['largest_run_events']:,} events | | | |",
        f"| ↳ largest payload in the chain's histories | "
        f"{section['largest_payload_bytes'] / 1024:,.1f} KiB | | | |",
    ]


def _memory_table(report: Mapping[str, Any]) -> list[str]:
    phases = [
        (title, report[key]["fleet"])
        for key, title in (("scanned", "scanned run"), ("large", "large batch"))
        if report.get(key)
    ]
    if not phases:
        return []
    header = "| peak RSS, MB (process / with its children) | " + " | ".join(
        title for title, _ in phases
    )
    lines = [header + " |", "|---" * (len(phases) + 1) + "|"]
    for worker in FLEET_WORKERS:
        cells = [
            f"{fleet['peak_rss_mb'].get(worker, 0):,.0f} / "
            f"{fleet['peak_rss_with_children_mb'].get(worker, 0):,.0f}"
            for _, fleet in phases
        ]
        lines.append(f"| {worker} worker | " + " | ".join(cells) + " |")
    return lines


def _runs(count: int) -> str:
    return f"{count} run" if count == 1 else f"{count} runs"
