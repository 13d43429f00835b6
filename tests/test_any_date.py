"""A fresh clone works on any date: `make build`'s steps under a shifted clock.

Debian's `faketime` moves the clock of the generator, dbt and DuckDB together. On each date
the generator's default data ends the day before; `dbt build` (no vars: the reference instant
is the clock) passes with the package-powered checks when installed copies are available
(their transaction-recency check is measured against the clock), and `dbt source freshness`
passes. Everything else in the suite pins its dates.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date, timedelta

import pandas as pd
import pytest

from dbt_harness import (
    DBT,
    GENERATOR,
    DbtProject,
    link_package_copies,
    missing_package_copies,
    read_seed,
)

FAKETIME = shutil.which("faketime")
# Small data: the dates matter here, not the volume (the default scale is built elsewhere).
SCALE = "0.05"

pytestmark = pytest.mark.skipif(
    FAKETIME is None,
    reason="Debian faketime is not installed (scripts/install_system_deps.sh installs it)",
)


def run_at(
    clock: str, project: DbtProject, env: dict[str, str], *args: str
) -> subprocess.CompletedProcess[str]:
    """Run a command in the project with the clock set to `clock` (and ticking from there)."""
    return subprocess.run(
        [str(FAKETIME), clock, *args],
        cwd=project.root,
        env=project.env(**env),
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("clock", ["2027-09-15 10:00:00", "2030-01-01 00:30:00"])
def test_a_fresh_build_passes_on_another_day(clock: str, make_project, tmp_path) -> None:
    project = make_project(f"any_date_{clock[:10]}")
    package_mode = not missing_package_copies()
    env = (
        {"DBT_PACKAGES_INSTALL_PATH": str(link_package_copies(tmp_path / "packages"))}
        if package_mode
        else {}
    )

    generated = run_at(
        clock, project, env, sys.executable, str(GENERATOR), "--quiet", "--scale", SCALE,
        "--out-dir", str(project.seeds_dir),
    )  # fmt: skip
    assert generated.returncode == 0, generated.stderr
    yesterday = date.fromisoformat(clock[:10]) - timedelta(days=1)
    transactions = read_seed(project.seeds_dir, "transactions")
    last_day = pd.to_datetime(transactions["transaction_at"]).max().date()
    assert yesterday - timedelta(days=3) <= last_day <= yesterday

    built = run_at(clock, project, env, DBT, "build")
    assert built.returncode == 0, built.stdout[-6000:]
    results = json.loads((project.root / "target" / "run_results.json").read_text())["results"]
    package_checks = [
        r for r in results if r["unique_id"].startswith("test.patreon_package_checks.")
    ]
    if package_mode:
        assert package_checks, "package mode ran no package-powered check"
        assert {r["status"] for r in package_checks} == {"pass"}
    ((latest_month, is_complete),) = project.query(
        "select month_start_date, is_complete_month "
        "from analytics_marts.fct_creator_monthly_performance "
        "order by month_start_date desc limit 1"
    )
    assert latest_month == last_day.replace(day=1)
    assert is_complete is False

    freshness = run_at(clock, project, env, DBT, "source", "freshness")
    assert freshness.returncode == 0, freshness.stdout[-3000:]
    sources = json.loads((project.root / "target" / "sources.json").read_text())["results"]
    assert sources and {r["status"] for r in sources} == {"pass"}
