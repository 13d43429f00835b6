"""Run the dbt project from pytest in isolated copies (scripts/project_copy.py), with the
helpers only the tests need: installed package copies and seed-frame edits."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

import dbt_packages
from project_copy import (
    BIN,
    DBT,
    GENERATOR,
    REPO,
    DbtProject,
    DbtResult,
    copy_project,
    generate_seeds,
    tracked_files,
)
from raw_tables import RAW_TABLES as SEED_TABLES

__all__ = [
    "BIN",
    "DBT",
    "GENERATOR",
    "REPO",
    "SEED_TABLES",
    "DbtProject",
    "DbtResult",
    "copy_project",
    "generate_seeds",
    "tracked_files",
]

# `dbt build` without data and unit tests: seeds, models and snapshots in one dbt process,
# for tests that need what a build writes, not its checks (a dbt process costs seconds
# before any work, so one build is cheaper than a seed and a run).
NO_TESTS = ("--exclude", "resource_type:test", "resource_type:unit_test")


# Installed copies of the hub packages (dbt_utils, dbt_expectations, dbt_date, codegen,
# dbt_project_evaluator) for the package-mode tests: PATREON_PACKAGE_COPIES, else a
# `shared/dbt_packages` folder beside the clone, where CI provides them. Only read, never written.
PACKAGE_COPIES = Path(
    os.environ.get("PATREON_PACKAGE_COPIES", REPO.parent / "shared" / "dbt_packages")
).resolve()
EVALUATOR = "dbt_project_evaluator"


def missing_package_copies(*extra: str) -> list[str]:
    """Packages of packages.yml (and `extra`) that PACKAGE_COPIES lacks; empty when complete."""
    available = dbt_packages.installed_projects(PACKAGE_COPIES)
    return [name for name in [*dbt_packages.hub_package_names(), *extra] if name not in available]


def link_package_copies(dest: Path, *extra: str) -> Path:
    """A writable install folder at dest linking the copies (plus `extra`) and package-checks."""
    missing = dbt_packages.link_copies(PACKAGE_COPIES, dest, extra)
    assert not missing, f"{PACKAGE_COPIES} lacks {missing}"
    return dest


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
