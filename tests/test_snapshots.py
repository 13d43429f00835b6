"""SCD type 2 snapshots: a changed attribute closes the old version and opens a new one."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import AS_OF_VARS
from dbt_harness import NO_TESTS, DbtProject

PLAN_TYPES = ("lite", "pro", "premium")


def rewrite_csv(path: Path, key: str, key_value: str, column: str, new_value: str) -> str:
    """Set `column` to new_value on the row whose `key` is key_value; return the old value."""
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        fieldnames = list(reader.fieldnames or [])
        rows = list(reader)
    matches = [row for row in rows if row[key] == key_value]
    assert len(matches) == 1, f"{path.name}: expected one row with {key}={key_value}"
    old_value = matches[0][column]
    matches[0][column] = new_value
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fieldnames)
        writer.writeheader()
        writer.writerows(rows)
    return old_value


def first_row(path: Path) -> dict[str, str]:
    with path.open(newline="") as handle:
        return next(csv.DictReader(handle))


def versions(project: DbtProject, table: str, key: str) -> dict[str, list[tuple]]:
    """Versions per key, oldest first: (tracked value..., dbt_valid_from, dbt_valid_to)."""
    rows = project.query(
        f"select {key}, dbt_valid_from, dbt_valid_to "
        f"from analytics_snapshots.{table} order by {key}, dbt_valid_from"
    )
    by_key: dict[str, list[tuple]] = {}
    for row in rows:
        by_key.setdefault(row[0], []).append(row[1:])
    return by_key


@pytest.fixture(scope="module")
def snapshotted(
    seed_sets: Callable[..., Path], make_project: Callable[..., DbtProject]
) -> tuple[DbtProject, dict[str, Any]]:
    """Snapshot small seeds, change one creator's plan and one tier's price, snapshot again."""
    project = make_project("snapshots", seed_sets(scale=0.05))
    # One dbt process per round: the snapshots and the staging views they read (the demo
    # landing lands the raw tables first).
    project.dbt("build", "--select", "+resource_type:snapshot", *NO_TESTS, "--vars", AS_OF_VARS)

    creator = first_row(project.seeds_dir / "creators.csv")
    new_plan = next(plan for plan in PLAN_TYPES if plan != creator["plan_type"])
    rewrite_csv(
        project.seeds_dir / "creators.csv",
        "creator_id",
        creator["creator_id"],
        "plan_type",
        new_plan,
    )
    tier = first_row(project.seeds_dir / "tiers.csv")
    new_price = f"{float(tier['price_usd']) + 1.5:.2f}"
    rewrite_csv(project.seeds_dir / "tiers.csv", "tier_id", tier["tier_id"], "price_usd", new_price)

    # The demo landing lands the two changed CSVs again and the staging views read them as
    # they are: only the snapshots run again.
    project.dbt("build", "--select", "resource_type:snapshot", *NO_TESTS, "--vars", AS_OF_VARS)
    changed = {
        "creator_id": creator["creator_id"],
        "plan_type": (creator["plan_type"], new_plan),
        "tier_id": tier["tier_id"],
        "price_usd": (tier["price_usd"], new_price),
    }
    return project, changed


@pytest.mark.parametrize(
    ("table", "key", "column", "as_value"),
    [
        ("snp_creators", "creator_id", "plan_type", str),
        ("snp_tiers", "tier_id", "price_usd", float),
    ],
)
def test_a_changed_row_has_a_closed_and_a_current_version(
    snapshotted, table, key, column, as_value
) -> None:
    project, changed = snapshotted
    rows = project.query(
        f"select {column}, dbt_valid_from, dbt_valid_to from analytics_snapshots.{table} "
        f"where {key} = ? order by dbt_valid_from",
        [changed[key]],
    )
    assert len(rows) == 2, rows
    (old_value, old_from, old_to), (new_value, new_from, new_to) = rows
    old, new = changed[column]
    assert as_value(old_value) == as_value(old)
    assert old_to is not None, "the superseded version must be closed"
    assert as_value(new_value) == as_value(new)
    assert new_to is None, "the new version must be current"
    assert old_to == new_from, "versions must be contiguous"
    assert old_from < new_from


@pytest.mark.parametrize(
    ("table", "key", "changed_key"),
    [("snp_creators", "creator_id", "creator_id"), ("snp_tiers", "tier_id", "tier_id")],
)
def test_unchanged_rows_keep_one_current_version(snapshotted, table, key, changed_key) -> None:
    project, changed = snapshotted
    by_key = versions(project, table, key)
    source = "creators" if table == "snp_creators" else "tiers"
    (raw_rows,) = project.query(f"select count(*) from analytics_raw.{source}")
    assert len(by_key) == raw_rows[0], "every source row must be snapshotted"
    unchanged = {k: v for k, v in by_key.items() if k != changed[changed_key]}
    several = {k: v for k, v in unchanged.items() if len(v) != 1}
    assert not several, f"{table}: unchanged keys with more than one version: {several}"
    closed = [k for k, v in unchanged.items() if v[0][1] is not None]
    assert not closed, f"{table}: unchanged keys with a closed version: {closed[:10]}"
