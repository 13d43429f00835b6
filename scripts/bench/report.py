"""What a benchmark run collects (Settings, Report) and the Markdown report it renders, with
the targets checked against the measured numbers (reported, never asserted)."""

from __future__ import annotations

import datetime as dt
import os
import platform
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.measure import Result
from project_copy import PINNED_END_DATE

MART = "fct_creator_monthly_performance"
# The mart and everything it is computed from: what a full rebuild and a refresh run.
PIPELINE = f"+{MART}"
MART_TABLE = f"analytics_marts.{MART}"
PATRON_GRAIN = "analytics_intermediate.int_memberships_aggregated_to_months"
# The raw tables as production lands them; the demo seeds' all-text landing is reported beside.
TYPED, TEXT = "typed", "text"
# The pipeline as it was before its refresh replaced whole months (issue 26): the full
# rebuild must be no slower than this one's. Built from git history when the clone has it.
BASELINE_COMMIT = "9f665d70b090d9862cf7489bb16474ad0da52320"
# The steps of the pipeline and the floor, as the report names them.
FULL = "pipeline full rebuild"
REFRESH = "refresh of the latest month (lookback 1)"
BASELINE = f"the pipeline of {BASELINE_COMMIT[:7]}, full rebuild"
FLOOR = "hand-written floor (patron grain and mart rows stored)"
MART_READ = "the mart's rows read once (the view computed into memory)"

# Targets, checked against the measured numbers (reported, never asserted): issue 7 (build,
# scaling), issue 26 (refresh, floor, full rebuild).
TARGET_BUILD_S = 60.0
TARGET_FLOOR_RATIO = 1.0
TARGET_SCALE_RATIO = 12.0
TARGET_INCREMENTAL_RATIO = 0.10
# "No slower than today's": run-to-run noise of a median of three is a few per cent here.
TARGET_BASELINE_RATIO = 1.05
MEMORY_LIMIT_GIB = 24.0


@dataclass
class Settings:
    """Command-line settings."""

    repeat: int
    gen_scales: tuple[float, ...]
    model_scales: tuple[float, ...]
    work_dir: Path
    output: Path
    quick: bool


@dataclass
class Report:
    """Everything the Markdown report needs."""

    settings: Settings
    generator: list[Result] = field(default_factory=list)
    dbt_local: list[Result] = field(default_factory=list)
    model_layer: list[Result] = field(default_factory=list)
    loads: list[Result] = field(default_factory=list)
    # The mart's pipeline: full rebuilds, refreshes and the baseline's full rebuild.
    pipeline: list[Result] = field(default_factory=list)
    floor: list[Result] = field(default_factory=list)
    mart_read: list[Result] = field(default_factory=list)
    floor_checks: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def pipeline_step(self, step: str, scale: float, landing: str = TYPED) -> Result | None:
        """The pipeline result of a step (FULL, REFRESH, ...) at a scale and landing."""
        return next(
            (r for r in self.pipeline if (r.step, r.scale, r.landing) == (step, scale, landing)),
            None,
        )

    def scale_step(self, results: list[Result], scale: float) -> Result | None:
        """The result of a list (floor, mart_read) at a scale."""
        return next((r for r in results if r.scale == scale), None)


def machine_facts() -> list[str]:
    """Cores, memory, CPU model, date and tool versions, as Markdown bullet lines."""
    from importlib.metadata import version

    meminfo = Path("/proc/meminfo").read_text().splitlines()
    mem_kib = int(next(line for line in meminfo if line.startswith("MemTotal")).split()[1])
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [
            ln.split(":", 1)[1].strip()
            for ln in cpuinfo.read_text().splitlines()
            if ln.startswith("model name")
        ]
        cpu = names[0] if names else cpu
    return [
        f"- Date: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {os.cpu_count()} cores ({cpu}), {mem_kib / 1024 / 1024:.1f} GiB memory, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}",
        f"- dbt-core {version('dbt-core')}, dbt-duckdb {version('dbt-duckdb')}, "
        f"duckdb {version('duckdb')}",
    ]


def fmt(value: float | None, digits: int = 2) -> str:
    """A number for the table, or an em dash."""
    return "—" if value is None else f"{value:.{digits}f}"


def table(
    results: Sequence[Result], base_index: int | None = None, inner: bool = False
) -> list[str]:
    """A Markdown table; base_index adds ratio columns against that row (wall, in-engine)."""
    header = "| step | scale | median wall s | peak RSS MiB |"
    rule = "| --- | ---: | ---: | ---: |"
    if inner:
        header += " median in-engine s |"
        rule += " ---: |"
    if base_index is not None:
        header += " ratio (wall) |" + (" ratio (in-engine) |" if inner else "")
        rule += " ---: |" + (" ---: |" if inner else "")
    lines = [header, rule]
    for result in results:
        line = f"| {result.step} | {result.scale:g} | {fmt(result.seconds)} | "
        line += f"{result.peak_rss_mib:.0f} |"
        if inner:
            line += f" {fmt(result.inner_seconds)} |"
        if base_index is not None:
            base = results[base_index]
            line += f" {result.seconds / base.seconds:.2f}x |"
            if inner:
                line += f" {ratio(result.inner_seconds, base.inner_seconds)} |"
        lines.append(line)
    return lines


def ratio(value: float | None, base: float | None) -> str:
    """value / base as '1.23x', or an em dash when either is missing."""
    return "—" if value is None or not base else f"{value / base:.2f}x"


def verdict(ok: bool) -> str:
    """PASS or MISS."""
    return "PASS" if ok else "MISS"


def target_lines(report: Report) -> list[str]:
    """Each target with the measured value."""
    lines = ["| target | measured | result |", "| --- | ---: | --- |"]
    build = next((r for r in report.dbt_local if r.step.startswith("dbt build")), None)
    if build:
        lines.append(
            f"| first-time dbt build on local at scale {build.scale:g} < {TARGET_BUILD_S:g} s | "
            f"{build.seconds:.1f} s | {verdict(build.seconds < TARGET_BUILD_S)} |"
        )
    lines += refresh_target_lines(report)
    for per_scale in (floor_target_line, baseline_target_line):
        lines += filter(None, (per_scale(report, s) for s in sorted(pipeline_scales(report))))
    lines += scaling_target_lines(report)
    return lines


def pipeline_scales(report: Report) -> list[float]:
    """The scales at which the pipeline ran, largest first."""
    return sorted({result.scale for result in report.pipeline}, reverse=True)


def refresh_target_lines(report: Report) -> list[str]:
    """The refresh's share of a full rebuild: the target at the largest scale, typed landing;
    the other scales and the text landing beside it."""
    scales = pipeline_scales(report)
    shares = []
    for scale in scales:
        for landing in (TYPED, TEXT):
            full = report.pipeline_step(FULL, scale, landing)
            refresh = report.pipeline_step(REFRESH, scale, landing)
            if full and refresh and full.warehouse_seconds and refresh.warehouse_seconds:
                shares.append((scale, landing, refresh.warehouse_seconds / full.warehouse_seconds))
    if not shares:
        return []
    top, landing, share = shares[0]
    beside = "; ".join(f"scale {s:g} {land}: {v:.0%}" for s, land, v in shares[1:])
    return [
        f"| one-month refresh at most {TARGET_INCREMENTAL_RATIO:.0%} of a full rebuild "
        f"(warehouse time, scale {top:g}, {landing} landing) | {share:.0%} ({beside}) | "
        f"{verdict(share <= TARGET_INCREMENTAL_RATIO)} |"
    ]


def floor_target_line(report: Report, scale: float) -> str | None:
    """The pipeline (full rebuild plus one read of the mart) against the floor at a scale."""
    full = report.pipeline_step(FULL, scale)
    floor = report.scale_step(report.floor, scale)
    mart_read = report.scale_step(report.mart_read, scale)
    if not (full and floor and mart_read and full.warehouse_seconds and floor.inner_seconds):
        return None
    pipeline = full.warehouse_seconds + (mart_read.inner_seconds or 0.0)
    share = pipeline / floor.inner_seconds
    return (
        f"| the pipeline at most {TARGET_FLOOR_RATIO:g}x a hand-written floor storing the "
        f"same outputs (scale {scale:g}; full rebuild plus one read of the mart) | "
        f"{share:.2f}x ({full.warehouse_seconds:.2f} s + {mart_read.inner_seconds:.2f} s vs "
        f"{floor.inner_seconds:.2f} s) | {verdict(share <= TARGET_FLOOR_RATIO)} |"
    )


def baseline_target_line(report: Report, scale: float) -> str | None:
    """The full rebuild against the baseline's at a scale (typed landing)."""
    full = report.pipeline_step(FULL, scale)
    baseline = report.pipeline_step(BASELINE, scale)
    if not (full and baseline and full.warehouse_seconds and baseline.warehouse_seconds):
        return None
    share = full.warehouse_seconds / baseline.warehouse_seconds
    return (
        f"| a full rebuild no slower than before issue 26 ({BASELINE_COMMIT[:7]}; scale "
        f"{scale:g}, warehouse time, within {TARGET_BASELINE_RATIO - 1:.0%} noise) | "
        f"{share:.2f}x ({full.warehouse_seconds:.2f} s vs {baseline.warehouse_seconds:.2f} s) "
        f"| {verdict(share <= TARGET_BASELINE_RATIO)} |"
    )


def scaling_target_lines(report: Report) -> list[str]:
    """The model layer from the first scale to the second, and from the second to the last."""
    lines = []
    if len(report.model_layer) >= 2:
        first, second = report.model_layer[0], report.model_layer[1]
        share = second.seconds / first.seconds
        lines.append(
            f"| model layer scale {first.scale:g} -> {second.scale:g} at most "
            f"{TARGET_SCALE_RATIO:g}x | {share:.2f}x wall "
            f"({ratio(second.inner_seconds, first.inner_seconds)} models in-engine) | "
            f"{verdict(share <= TARGET_SCALE_RATIO)} |"
        )
    if len(report.model_layer) >= 3:
        base, top = report.model_layer[1], report.model_layer[-1]
        growth = top.scale / base.scale
        share = (top.warehouse_seconds or 0.0) / (base.warehouse_seconds or 1.0)
        lines.append(
            f"| model layer scale {base.scale:g} -> {top.scale:g} at most linear "
            f"({growth:g}x), peak memory under {MEMORY_LIMIT_GIB:g} GiB | {share:.2f}x warehouse "
            f"({top.seconds / base.seconds:.2f}x wall), peak {top.peak_rss_mib / 1024:.1f} GiB | "
            f"{verdict(share <= growth and top.peak_rss_mib / 1024 < MEMORY_LIMIT_GIB)} |"
        )
    return lines


def warehouse_lines(results: Sequence[Result]) -> list[str]:
    """Warehouse seconds per scale, with the ratio to the first scale."""
    lines = ["| scale | warehouse s | ratio |", "| ---: | ---: | ---: |"]
    for result in results:
        lines.append(
            f"| {result.scale:g} | {fmt(result.warehouse_seconds)} | "
            f"{ratio(result.warehouse_seconds, results[0].warehouse_seconds)} |"
        )
    return lines


def pipeline_table(results: Sequence[Result]) -> list[str]:
    """Wall, node, warehouse and data-statement time of each run, each with its ratio to the
    full rebuild at the same scale and landing."""
    lines = [
        "| step | landing | scale | wall s | node s | warehouse s | of which data statements s "
        "| peak RSS MiB | ratio (warehouse) | ratio (data statements) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in sorted(results, key=lambda r: (r.scale, r.landing != TYPED)):
        base = next(
            r
            for r in results
            if (r.step, r.scale, r.landing) == (FULL, result.scale, result.landing)
        )
        lines.append(
            f"| {result.step} | {result.landing} | {result.scale:g} | {fmt(result.seconds)} | "
            f"{fmt(result.inner_seconds)} | {fmt(result.warehouse_seconds)} | "
            f"{fmt(result.data_seconds)} | {result.peak_rss_mib:.0f} | "
            f"{ratio(result.warehouse_seconds, base.warehouse_seconds)} | "
            f"{ratio(result.data_seconds, base.data_seconds)} |"
        )
    return lines


def model_time_table(report: Report) -> list[str]:
    """Warehouse seconds per model of the full rebuild and the refresh at the largest scale
    (typed landing): which statements hold the time."""
    if not report.pipeline:
        return []
    top = pipeline_scales(report)[0]
    full, refresh = report.pipeline_step(FULL, top), report.pipeline_step(REFRESH, top)
    if not (full and refresh):
        return []
    full_models, refresh_models = full.model_seconds(), refresh.model_seconds()
    lines = [
        f"| model (scale {top:g}, typed landing) | full rebuild s | refresh s | refresh share |",
        "| --- | ---: | ---: | ---: |",
    ]
    for model in sorted(full_models, key=lambda m: -refresh_models.get(m, 0.0)):
        lines.append(
            f"| {model} | {full_models[model]:.2f} | {refresh_models.get(model, 0.0):.2f} | "
            f"{ratio(refresh_models.get(model), full_models[model])} |"
        )
    return lines


def render(report: Report) -> str:
    """The whole Markdown report."""
    settings = report.settings
    parts = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`scripts/benchmark.py`"
        + (" --quick" if settings.quick else "")
        + f", median of {settings.repeat} repetition(s) per step; peak RSS is the highest "
        "of the step's own process over the repetitions, from os.wait4). Numbers are for this "
        "machine; rerun to refresh them.",
        "",
        *machine_facts(),
        "",
        "## Targets",
        "",
        *target_lines(report),
        "",
        "## Generator",
        "",
        *table(report.generator, 0),
        "",
        f"## dbt on `local` (DuckDB), as_of_date {PINNED_END_DATE}",
        "",
        "`dbt run` is `--full-refresh`; the first-time build starts from no warehouse file.",
        "",
        *table(report.dbt_local),
        "",
        "## Model layer (every model, typed landing)",
        "",
        "The raw tables are landed in `analytics_raw` by DuckDB from the CSVs, typed as "
        "production lands them: every column the project declares (the `is_castable` checks on "
        "the raw columns) cast to its type, timestamps as timestamps and amounts as "
        "decimal(18, 2). Staging reads them through the source `raw` (the demo "
        "landing off). The text landing, beside it below, is what the demo landing writes. "
        "Each scale has its own warehouse, and the scales' runs alternate round by round, so "
        "that a ratio between scales is not the machine's drift over the benchmark. "
        "Wall time is the whole `dbt run --full-refresh --threads 1` (dbt start-up "
        "included; one model at a time, so that no statement's time includes another's work "
        "on the shared cores); in-engine is the models' execution times from "
        "run_results.json, summed; warehouse is their SQL statements' times from dbt's log. "
        "Ratio: wall time against the first scale.",
        "",
        *table(report.loads),
        "",
        *table(report.model_layer, 0, inner=True),
        "",
        *warehouse_lines(report.model_layer),
        "",
        "## The mart's pipeline: full rebuild, refresh, baseline",
        "",
        f"`dbt run --select {PIPELINE} --threads 1` (the mart and every model it is "
        "computed from, one at a time). The refreshes run on the tables the full rebuild "
        f"left. The baseline is the same pipeline at commit {BASELINE_COMMIT[:7]}, before its "
        "refresh replaced whole months, rebuilt in full on the same raw tables, its runs "
        "alternating with the pipeline's full rebuilds so that both share the machine's "
        "drift; at scale 10 and below every step here is repeated at least five times. "
        "Wall: the "
        "whole command, dbt start-up included. Node: the models' execution times "
        "(run_results.json), summed, which include dbt's own work for each model (rendering, "
        "metadata queries). Warehouse: the sum of the models' SQL statements' times from "
        "dbt's log, i.e. the engine's work. Data statements: the part of it spent in the "
        "statements that compute or write rows (tables built from queries, inserts, deletes); "
        "the rest is dbt's bookkeeping per model (views' DDL, renames, transactions, metadata "
        "queries), which does not grow with the data. Ratios: against the full rebuild at the "
        "same scale and landing.",
        "",
        *pipeline_table(report.pipeline),
        "",
        "Where the warehouse time goes, per model (median over the repetitions):",
        "",
        *model_time_table(report),
        "",
        "## The pipeline against the hand-written floor (scripts/bench_floor.sql)",
        "",
        "The floor stores what the pipeline stores for its readers, computed by hand from the "
        "raw tables in two DuckDB statements in a fresh process (in-engine time): the patron "
        f"grain (`{PATRON_GRAIN}`'s rows and columns) and the mart's rows. The mart is a view "
        "over stored tables, so its rows are computed when read: the target compares the "
        "floor with the warehouse time of the pipeline's full rebuild (typed landing) plus one "
        "read of every row of the mart (the view computed into an in-memory table, as a query "
        f"would). Check: {'; '.join(report.floor_checks)}",
        "",
        *table([*report.floor, *report.mart_read], inner=True),
        "",
    ]
    if report.skipped:
        parts += ["## Skipped", "", *[f"- {line}" for line in report.skipped], ""]
    return "\n".join(parts)
