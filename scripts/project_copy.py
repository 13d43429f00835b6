"""Disposable copies of the dbt project, for the benchmark and the tests.

A copy holds the repository's tracked files in a folder of its own, with its own seed CSVs,
DuckDB file (named patreon_dev.duckdb so that three-part names such as
patreon_dev.analytics_marts.fct_creator_monthly_performance resolve), target/ and logs/.
dbt runs in a subprocess, so every invocation starts from a clean adapter state.
"""

from __future__ import annotations

import json
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

from generate_seeds import default_end_date
from raw_tables import RAW_TABLES

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DBT = str(BIN / "dbt")
GENERATOR = REPO / "scripts" / "generate_seeds.py"
# The pinned last day of the data and reference instant (the as_of_date var) of the tests and
# the benchmark; the generator's own default is yesterday, which moves.
PINNED_END_DATE = "2026-10-31"


def pinned_vars(**extra: object) -> str:
    """dbt's --vars with the pinned as-of date (and `extra`)."""
    return json.dumps({"as_of_date": PINNED_END_DATE, **extra})


AS_OF_VARS = pinned_vars()


def todays_end_date() -> str:
    """The generator's default end date (yesterday, UTC): the data `make build` makes today."""
    return default_end_date().isoformat()


def generator_command(
    out_dir: Path, *, seed: int = 42, scale: float = 1.0, end_date: str | None = None
) -> list[str]:
    """The generator's command line for seven CSVs in out_dir, ending on end_date (default:
    PINNED_END_DATE, so that results do not depend on the day they are made)."""
    return [
        sys.executable, str(GENERATOR), "--quiet", "--seed", str(seed), "--scale", str(scale),
        "--end-date", end_date or PINNED_END_DATE, "--out-dir", str(out_dir),
    ]  # fmt: skip


def generate_seeds(
    out_dir: Path, *, seed: int = 42, scale: float = 1.0, end_date: str | None = None
) -> Path:
    """Write the seven seed CSVs with the project's generator (see generator_command)."""
    command = generator_command(out_dir, seed=seed, scale=scale, end_date=end_date)
    subprocess.run(command, check=True)
    return out_dir


def has_seeds(folder: Path) -> bool:
    """True when folder holds a CSV of every raw table."""
    return all((folder / f"{table}.csv").is_file() for table in RAW_TABLES)


def packages_install_path() -> Path:
    """The repository's package folder; copies share it so nothing is installed twice."""
    return (REPO / os.environ.get("DBT_PACKAGES_INSTALL_PATH", "dbt_packages")).resolve()


def tracked_files() -> list[str]:
    """Files git tracks, plus new ones it does not ignore (so work in progress is copied)."""
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [name for name in out.split("\0") if name and (REPO / name).is_file()]


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

    def dbt(
        self,
        *args: str,
        check: bool = True,
        env: dict[str, str] | None = None,
        command: Sequence[str] = (DBT,),
    ) -> DbtResult:
        """Run `dbt <args>` (or another command that takes dbt's) in this copy; with check,
        fail with its output."""
        proc = subprocess.run(
            [*command, *args],
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

    def remove_warehouse(self) -> None:
        """Delete the copy's DuckDB file, so the next dbt command starts from none."""
        for suffix in ("", ".wal"):
            Path(f"{self.warehouse}{suffix}").unlink(missing_ok=True)


def copy_project(dest: Path, seeds_from: Path | None = None) -> DbtProject:
    """Copy the project's files to dest and, if given, the seed CSVs from seeds_from."""
    for name in tracked_files():
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target)
    project = DbtProject(dest)
    project.seeds_dir.mkdir(exist_ok=True)
    if seeds_from is not None:
        for table in RAW_TABLES:
            shutil.copy2(seeds_from / f"{table}.csv", project.seeds_dir / f"{table}.csv")
    return project
