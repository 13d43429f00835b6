"""The mart's pipeline at a detail scale: a full rebuild and incremental refreshes, the
baseline commit's full rebuild, and the hand-written floor (scripts/bench_floor.sql) with one
read of the mart, checked against what the pipeline built."""

from __future__ import annotations

import subprocess
from functools import partial

import duckdb
import yaml

from bench.landing import source_vars
from bench.measure import Result, Sample, alternate_steps, dbt_step, repeat_step, time_statements
from bench.report import (
    BASELINE,
    BASELINE_COMMIT,
    FLOOR,
    FULL,
    MART_READ,
    MART_TABLE,
    PATRON_GRAIN,
    PIPELINE,
    REFRESH,
    TYPED,
    Report,
)
from project_copy import PINNED_END_DATE, REPO, DbtProject

FLOOR_SQL = REPO / "scripts" / "bench_floor.sql"
# One model at a time: statements that overlap on the two cores would each be timed with the
# others' work in it, and the sum would overstate the warehouse time.
SELECT = ("--select", PIPELINE, "--threads", "1")


def project_vars() -> dict[str, object]:
    """The vars of dbt_project.yml."""
    return yaml.safe_load((REPO / "dbt_project.yml").read_text())["vars"]


def bench_pipeline(
    report: Report,
    project: DbtProject,
    scale: float,
    landing: str,
    baseline: DbtProject | None = None,
) -> None:
    """The mart's pipeline: a full rebuild, then incremental refreshes on the rebuilt tables.

    With a baseline, its full rebuild alternates with the pipeline's, round by round, so
    that the two share the machine's drift; each round ends with the pipeline's own tables.
    A refresh of the latest month (mart_lookback_months 1) is the target's case; the default
    lookback rewrites the latest two months (typed landing only). Each refresh leaves the
    tables as a full rebuild would (tests/test_incremental.py), so the repetitions start
    from the same state.
    """
    settings = report.settings
    # A refresh takes a second or less in the engine at scale 10, and a full rebuild two, so
    # run-to-run noise is large: at least five repetitions there.
    repeat = settings.repeat if settings.quick or scale > 10 else max(settings.repeat, 5)
    full_rebuild = Result(FULL, scale, landing=landing)
    full_rebuilds = [
        (full_rebuild, partial(run_pipeline, project, "--full-refresh", "--vars", source_vars()))
    ]
    if baseline is not None:
        baseline_rebuild = Result(BASELINE, scale, landing=landing)
        full_rebuilds.insert(0, (baseline_rebuild, partial(run_baseline, baseline, project)))
    alternate_steps(full_rebuilds, repeat)
    refreshes = {REFRESH: source_vars(mart_lookback_months=1)}
    if landing == TYPED:
        lookback = int(project_vars()["mart_lookback_months"])
        refreshes[f"refresh, default lookback ({lookback} months)"] = source_vars()
    # The report lists the pipeline's full rebuild, its refreshes, then the baseline.
    report.pipeline.append(full_rebuild)
    for step, refresh_vars in refreshes.items():
        refresh = partial(run_pipeline, project, "--vars", refresh_vars)
        report.pipeline.append(repeat_step(step, scale, repeat, refresh, landing=landing))
    report.pipeline.extend(result for result, _ in full_rebuilds[:-1])


def run_pipeline(project: DbtProject, *args: str) -> Sample:
    """The pipeline's models, one at a time."""
    return dbt_step(project, "run", *SELECT, *args)


def baseline_project(report: Report) -> DbtProject | None:
    """The project at BASELINE_COMMIT, extracted from this clone's git history; None (and a
    line in the report) when the history does not have it."""
    dest = report.settings.work_dir / "project_baseline"
    if (dest / "dbt_project.yml").exists():
        return DbtProject(dest)
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", BASELINE_COMMIT], capture_output=True, check=False
    )
    if archive.returncode != 0:
        report.skipped.append(
            f"the baseline's full rebuild: commit {BASELINE_COMMIT[:7]} is not in this clone"
        )
        return None
    dest.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    return DbtProject(dest)


def run_baseline(baseline: DbtProject, project: DbtProject) -> Sample:
    """The baseline's pipeline rebuilt in full on the same raw tables (it writes into the
    project's warehouse file, replacing the pipeline's tables with equal ones)."""
    baseline.extra_env["DBT_DUCKDB_PATH"] = str(project.warehouse)
    # The baseline read its seeds through ref() unless told the raw tables are landed.
    return dbt_step(
        baseline, "run", *SELECT, "--full-refresh", "--vars", source_vars(load_demo_seeds=False)
    )


def bench_floor(report: Report, project: DbtProject, scale: float) -> None:
    """The hand-written floor, checked against what the pipeline built, and one read of
    every row of the mart (a view, so its rows are computed when read)."""
    repeat = report.settings.repeat
    run_floor = partial(time_statements, project, floor_sql(), "floor")
    report.floor.append(repeat_step(FLOOR, scale, repeat, run_floor, landing=TYPED))
    read_mart = partial(read_into_memory, project, f"select * from {MART_TABLE}")
    report.mart_read.append(repeat_step(MART_READ, scale, repeat, read_mart, landing=TYPED))
    report.floor_checks.append(f"scale {scale:g}: {compare_floor(project)}")


def floor_sql() -> str:
    """The hand-written query with the as-of month and health thresholds filled in."""
    variables = project_vars()
    replacements = {
        "as_of_month": PINNED_END_DATE[:8] + "01",
        "churn_warning": variables["churn_rate_warning_pct"],
        "churn_critical": variables["churn_rate_critical_pct"],
        "collection_warning": variables["collection_rate_warning_pct"],
        "collection_critical": variables["collection_rate_critical_pct"],
        "decline_warning": variables["decline_rate_warning_pct"],
        "decline_critical": variables["decline_rate_critical_pct"],
    }
    sql = FLOOR_SQL.read_text()
    for name, value in replacements.items():
        sql = sql.replace("{" + name + "}", str(value))
    return sql


def read_into_memory(project: DbtProject, sql: str) -> Sample:
    """A query's rows computed into an in-memory (temporary) table, timed in a fresh process:
    what a reader computes."""
    return time_statements(
        project, f"create or replace temporary table mart_rows as {sql}", "mart_rows"
    )


def compare_floor(project: DbtProject) -> str:
    """The floor's two tables against the mart and the patron grain the pipeline built (every
    column, both ways); a warning text when they differ."""
    totals = "count(*), sum(gross_mrr_usd)"
    problems, summary = [], []
    with duckdb.connect(str(project.warehouse), read_only=True) as con:
        for built, floor in (
            (MART_TABLE, "bench.floor"),
            (PATRON_GRAIN, "bench.floor_patron_months"),
        ):
            expected = con.execute(f"select {totals} from {built}").fetchone()
            differing = con.execute(
                f"select count(*) from ((select * from {built} except all select * from {floor})"
                f" union all (select * from {floor} except all select * from {built}))"
            ).fetchone()
            found = con.execute(f"select {totals} from {floor}").fetchone()
            if differing != (0,) or expected != found:
                problems.append(f"{floor} differs from {built} ({differing} rows)")
            summary.append(f"{built.split('.')[-1]} {expected[0]} rows")
    if problems:
        message = "WARNING: the hand-written floor differs from the pipeline: " + "; ".join(
            problems
        )
        print(message)
        return message
    return "verified: same rows, every column equal (" + ", ".join(summary) + ")"
