"""dbt on DuckDB: the documented commands on the demo landing at scale 1, and every model at
each scale on the raw tables landed typed (with the mart's pipeline at the detail scales)."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from bench.landing import land, source_vars
from bench.measure import Result, alternate_steps, dbt_step, repeat_step
from bench.pipeline import baseline_project, bench_floor, bench_pipeline
from bench.report import TEXT, TYPED, Report
from project_copy import AS_OF_VARS, copy_project


def bench_dbt_local(report: Report, seeds_dir: Path, scale: float) -> None:
    """The demo landing, dbt run and dbt test separately, then a first-time dbt build (which
    lands the CSVs itself), on a fresh warehouse."""
    settings = report.settings
    project = copy_project(settings.work_dir / "project_dbt", seeds_dir)
    vars_args = ("--vars", AS_OF_VARS)
    # One repetition is the three in order, the landing on a fresh warehouse.
    steps = {
        "demo landing": ("run-operation", "land_demo_csvs", *vars_args),
        "dbt run": ("run", "--full-refresh", *vars_args),
        "dbt test": ("test", *vars_args),
    }
    results = {name: Result(name, scale) for name in steps}
    for _ in range(settings.repeat):
        project.remove_warehouse()
        for name, args in steps.items():
            results[name].samples.append(dbt_step(project, *args))
    report.dbt_local.extend(results.values())
    report.dbt_local.append(
        repeat_step(
            "dbt build (first time: landing+run+test)",
            scale,
            settings.repeat,
            lambda: dbt_step(project, "build", *vars_args),
            project.remove_warehouse,
        )
    )


def bench_model_layer(report: Report, folders: dict[float, Path]) -> None:
    """Every model on the typed landing at each scale; at the detail scale (10) and the
    largest, the mart's pipeline, the baseline and the floor, then the text landing.

    Each scale has its own warehouse, landed once, and the scales' runs alternate round by
    round: the scaling ratio then compares runs minutes apart at most, not the machine's
    drift between the start and the end of the benchmark.
    """
    settings = report.settings
    baseline = baseline_project(report)
    scales = settings.model_scales
    detail_scales = {scales[min(1, len(scales) - 1)], scales[-1]}
    projects = {
        scale: copy_project(settings.work_dir / f"project_models_{scale:g}") for scale in scales
    }
    for scale, project in projects.items():
        report.loads.append(land(project, folders[scale], scale, TYPED))
    # One model at a time (as in bench_pipeline): overlapping statements would each be timed
    # with the others' work in them, more so on the larger scales.
    run_all = ("run", "--full-refresh", "--threads", "1", "--vars", source_vars())
    runs = [
        (Result("dbt run (all models)", scale, landing=TYPED), partial(dbt_step, project, *run_all))
        for scale, project in projects.items()
    ]
    alternate_steps(runs, settings.repeat)
    report.model_layer.extend(result for result, _ in runs)
    for scale in sorted(detail_scales):
        project = projects[scale]
        bench_pipeline(report, project, scale, TYPED, baseline)
        bench_floor(report, project, scale)
        report.loads.append(land(project, folders[scale], scale, TEXT))
        bench_pipeline(report, project, scale, TEXT)
