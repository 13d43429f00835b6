"""Run the dbt project from pytest in isolated copies.

Every test project is a copy of the repository's tracked files in a temporary folder, with
its own seed CSVs, DuckDB file (named patreon_dev.duckdb so that three-part names such as
patreon_dev.analytics_marts.fct_creator_monthly_performance resolve), target/ and logs/.
dbt runs in a subprocess, so every invocation starts from a clean adapter state.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DBT = str(BIN / "dbt")
GENERATOR = REPO / "scripts" / "generate_seeds.py"
# Tests pin the data's last day (the generator's own default is yesterday, which moves), and
# pin the reference instant to the same day with the as_of_date var.
PINNED_END_DATE = "2026-10-31"
# `dbt build` without data and unit tests: seeds, models and snapshots in one dbt process,
# for tests that need what a build writes, not its checks (a dbt process costs seconds
# before any work, so one build is cheaper than a seed and a run).
NO_TESTS = ("--exclude", "resource_type:test", "resource_type:unit_test")
SEED_TABLES = (
    "creators",
    "patrons",
    "tiers",
    "pledges",
    "transactions",
    "posts",
    "engagement_events",
)


# Installed copies of the hub packages (dbt_utils, dbt_expectations, dbt_date, codegen,
# dbt_project_evaluator) for the package-mode tests: PATREON_PACKAGE_COPIES, else a
# `shared/dbt_packages` folder beside the clone, where CI provides them. Only read, never written.
PACKAGE_COPIES = Path(
    os.environ.get("PATREON_PACKAGE_COPIES", REPO.parent / "shared" / "dbt_packages")
).resolve()
EVALUATOR = "dbt_project_evaluator"


def missing_package_copies(*extra: str) -> list[str]:
    """Packages of packages.yml (and `extra`) that PACKAGE_COPIES lacks; empty when complete."""
    sys.path.insert(0, str(REPO / "scripts"))
    import dbt_packages

    available = dbt_packages.installed_projects(PACKAGE_COPIES)
    return [name for name in [*dbt_packages.hub_package_names(), *extra] if name not in available]


def link_package_copies(dest: Path, *extra: str) -> Path:
    """A writable install folder at dest linking the copies (plus `extra`) and package-checks."""
    sys.path.insert(0, str(REPO / "scripts"))
    import dbt_packages

    missing = dbt_packages.link_copies(PACKAGE_COPIES, dest, extra)
    assert not missing, f"{PACKAGE_COPIES} lacks {missing}"
    return dest


def packages_install_path() -> Path:
    """The repository's package folder; copies share it so nothing is installed twice."""
    return (REPO / os.environ.get("DBT_PACKAGES_INSTALL_PATH", "dbt_packages")).resolve()


def tracked_files() -> list[str]:
    """Files git tracks, plus new ones it does not ignore (so work in progress is tested)."""
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [name for name in out.split("\0") if name and (REPO / name).is_file()]


def generate_seeds(
    out_dir: Path, *, seed: int = 42, scale: float = 1.0, end_date: str | None = None
) -> Path:
    """Write the seven seed CSVs with the project's generator, ending on end_date (default:
    PINNED_END_DATE, so that results do not depend on the day the tests run)."""
    args = [sys.executable, str(GENERATOR), "--quiet", "--seed", str(seed), "--scale", str(scale)]
    args += ["--end-date", end_date or PINNED_END_DATE]
    subprocess.run([*args, "--out-dir", str(out_dir)], check=True)
    return out_dir


@dataclass
class DbtResult:
    """Outcome of one dbt invocation."""

    args: Sequence[str]
    returncode: int
    output: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


@dataclass
class DbtProject:
    """A disposable copy of the project with its own warehouse."""

    root: Path
    build_result: DbtResult | None = None
    # Environment for every dbt run of this copy (e.g. another DBT_PACKAGES_INSTALL_PATH).
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def seeds_dir(self) -> Path:
        return self.root / "seeds"

    @property
    def warehouse(self) -> Path:
        return self.root / "patreon_dev.duckdb"

    def env(self, **extra: str) -> dict[str, str]:
        env = {
            **os.environ,
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DBT_TARGET": "local",
            "DBT_PROFILES_DIR": str(self.root),
            "DBT_DUCKDB_PATH": str(self.warehouse),
            "DBT_PACKAGES_INSTALL_PATH": str(packages_install_path()),
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            **self.extra_env,
        }
        env.update(extra)
        return env

    def dbt(self, *args: str, check: bool = True, env: dict[str, str] | None = None) -> DbtResult:
        """Run `dbt <args>` in this copy; with check, fail the test with dbt's output."""
        proc = subprocess.run(
            [DBT, *args],
            cwd=self.root,
            env=self.env(**(env or {})),
            capture_output=True,
            text=True,
            check=False,
        )
        result = DbtResult(args, proc.returncode, proc.stdout + proc.stderr)
        if check and not result.ok:
            raise AssertionError(f"dbt {' '.join(args)} failed:\n{result.output[-6000:]}")
        return result

    def query(self, sql: str, params: Iterable[Any] | None = None) -> list[tuple[Any, ...]]:
        """Rows of a query against this copy's DuckDB warehouse (read-only)."""
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.execute(sql, list(params or [])).fetchall()

    def frame(self, sql: str) -> pd.DataFrame:
        """A query's result as a DataFrame."""
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.execute(sql).df()


def copy_project(dest: Path, seeds_from: Path | None = None) -> DbtProject:
    """Copy the project's files to dest and, if given, the seed CSVs from seeds_from."""
    for name in tracked_files():
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target)
    project = DbtProject(dest)
    project.seeds_dir.mkdir(exist_ok=True)
    if seeds_from is not None:
        for table in SEED_TABLES:
            shutil.copy2(seeds_from / f"{table}.csv", project.seeds_dir / f"{table}.csv")
    return project


def read_seed(folder: Path, table: str) -> pd.DataFrame:
    """A seed CSV as text, empty fields kept as empty strings."""
    return pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)


def with_next_plan(creators: pd.DataFrame, every: int) -> tuple[pd.DataFrame, pd.Series]:
    """A copy of a creators seed frame in which every `every`-th creator has moved to the next
    plan type (sorted, cycling), and the mask of the changed rows."""
    changed = creators.index.to_series() % every == 0
    plans = sorted(creators["plan_type"].unique())
    assert changed.sum() > 1 and len(plans) > 1, "too few creators or plan types to change"
    creators = creators.copy()
    creators.loc[changed, "plan_type"] = [
        plans[(plans.index(plan) + 1) % len(plans)] for plan in creators.loc[changed, "plan_type"]
    ]
    return creators, changed
