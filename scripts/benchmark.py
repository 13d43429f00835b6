"""Benchmark the generator, the dbt project and the mart's pipeline; write docs/benchmarks.md.

Every step runs in its own subprocess, timed with a wall clock and measured for peak memory
with os.wait4 (the child's own rusage, so each step's peak RSS is its own). A step repeated N
times reports the median time and the highest peak.

Steps: the generator at scales 1 and 10; the demo landing (`dbt run-operation
land_demo_csvs`), `dbt run`, `dbt test` and a first-time `dbt build` on DuckDB at scale 1;
the model layer at scales 1, 10, 30 and 100 on raw tables landed typed in analytics_raw, as
production lands them (timestamps as timestamps, amounts as decimals), read through the
source `raw` (demo landing off); at scales 10 and 100, the mart's pipeline (every model
upstream of the mart) rebuilt in full and refreshed incrementally, the same pipeline of the
commit before the window was made exact (BASELINE_COMMIT) rebuilt in full, and a
hand-written DuckDB floor storing the same outputs (scripts/bench_floor.sql); and the
pipeline again on the raw tables landed as text.

Usage: python scripts/benchmark.py [--repeat N] [--quick] [--work-dir DIR] [--output FILE]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench.generator import bench_generator
from bench.model_layer import bench_dbt_local, bench_model_layer
from bench.report import Report, Settings, render
from bench_fresh_clone import kept_section
from project_copy import REPO

FULL_SCALES = (1.0, 10.0, 30.0, 100.0)
QUICK_SCALES = (0.1, 0.2, 0.3)


def parse_args(argv: Sequence[str] | None = None) -> Settings:
    """Read the command line; --quick is a smoke run (repeat 1, small scales)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="repetitions per step (median)")
    parser.add_argument("--quick", action="store_true", help="repeat 1 and scales 0.1-0.3")
    parser.add_argument(
        "--max-scale", type=float, default=100.0, help="largest model-layer scale (default 100)"
    )
    parser.add_argument("--work-dir", type=Path, default=None, help="scratch folder (temp)")
    parser.add_argument(
        "--output", type=Path, default=REPO / "docs" / "benchmarks.md", help="Markdown report"
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    scales = QUICK_SCALES if args.quick else FULL_SCALES
    model_scales = tuple(s for s in scales if s <= args.max_scale or s == scales[0])
    return Settings(
        repeat=1 if args.quick else args.repeat,
        gen_scales=scales[:2],
        model_scales=model_scales,
        work_dir=args.work_dir or Path(tempfile.mkdtemp(prefix="patreon_bench_")),
        output=args.output,
        quick=args.quick,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run every step and write the report."""
    settings = parse_args(argv)
    settings.work_dir.mkdir(parents=True, exist_ok=True)
    os.environ["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    print(f"benchmark: work dir {settings.work_dir}, repeat {settings.repeat}")
    report = Report(settings)
    if settings.model_scales[-1] < max(FULL_SCALES) and not settings.quick:
        report.skipped.append(
            f"model layer above scale {settings.model_scales[-1]:g} (--max-scale)"
        )
    folders = bench_generator(report)
    first = settings.gen_scales[0]
    bench_dbt_local(report, folders[first], first)
    bench_model_layer(report, folders)
    settings.output.parent.mkdir(parents=True, exist_ok=True)
    # Keep the section `make bench-clone` writes (scripts/bench_fresh_clone.py).
    settings.output.write_text(render(report) + kept_section(settings.output))
    print(f"benchmark: wrote {settings.output}")
    if settings.work_dir.name.startswith("patreon_bench_"):
        shutil.rmtree(settings.work_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
