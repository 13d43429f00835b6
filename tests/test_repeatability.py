"""Runs are repeatable: the same seeds give the same marts, in another warehouse or the same one.

Tables are compared by a fingerprint that does not depend on row order: per column, the row
count, the number of NULLs and the sum of the 64-bit hashes of its values (a sum, unlike an
XOR, does not let two equal rows cancel out), plus the sum of whole-row hashes. A difference
names the table and the column. (That a seed generated twice is byte-identical is tested in
tests/test_generate_seeds.py.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import duckdb
import pytest

from dbt_harness import NO_TESTS, DbtProject
from project_copy import AS_OF_VARS

# The data tests write nothing a build is compared on: the builds leave them out.
BUILD = ("build", *NO_TESTS)
SCALE = 0.05
BUILT_SCHEMAS = ("analytics_staging", "analytics_marts")

Fingerprint = dict[str, tuple[int, int, int]]


Query = Callable[..., list[tuple[Any, ...]]]


def relations(query: Query) -> list[str]:
    """Every table and view the build wrote (staging views, mart tables), sorted."""
    rows = query(
        "select table_schema || '.' || table_name from information_schema.tables "
        "where table_schema in (select unnest(?)) order by 1",
        [list(BUILT_SCHEMAS)],
    )
    return [name for (name,) in rows]


def fingerprint(query: Query, relation: str) -> Fingerprint:
    """Order-independent fingerprint of every column of a relation, and of whole rows."""
    columns = [
        name
        for (name,) in query(
            "select column_name from information_schema.columns "
            "where table_schema || '.' || table_name = ? order by ordinal_position",
            [relation],
        )
    ]
    parts = [
        f'count(*), count(*) - count("{col}"), coalesce(sum(hash("{col}")::hugeint), 0)'
        for col in columns
    ]
    row_hash = "coalesce(sum(hash(" + ", ".join(f'"{col}"' for col in columns) + ")::hugeint), 0)"
    values = query(f"select {', '.join(parts)}, count(*), 0, {row_hash} from {relation}")[0]
    names = [*columns, "<whole row>"]
    return {name: tuple(int(v) for v in values[i * 3 : i * 3 + 3]) for i, name in enumerate(names)}


def fingerprints(project: DbtProject) -> dict[str, Fingerprint]:
    return {rel: fingerprint(project.query, rel) for rel in relations(project.query)}


def differences(left: dict[str, Fingerprint], right: dict[str, Fingerprint]) -> list[str]:
    """One line per relation or column whose fingerprint differs."""
    lines = [f"{rel}: only in one build" for rel in sorted(set(left) ^ set(right))]
    for relation in sorted(set(left) & set(right)):
        for column in sorted(set(left[relation]) | set(right[relation])):
            a, b = left[relation].get(column), right[relation].get(column)
            if a != b:
                lines.append(f"{relation}.{column}: (rows, nulls, hash sum) {a} != {b}")
    return lines


def test_fingerprint_ignores_order_and_sees_changes():
    """Row order does not matter; a one-cent change, a NULL or a duplicated row does."""
    con = duckdb.connect()

    def query(sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        return con.execute(sql, params or []).fetchall()

    con.execute("create schema analytics_marts")
    variants = {
        "base": "(1, 'a', 10.00), (2, 'b', 20.00), (2, 'b', 20.00), (3, null, 30.00)",
        "reordered": "(3, null, 30.00), (2, 'b', 20.00), (1, 'a', 10.00), (2, 'b', 20.00)",
        "one_cent": "(1, 'a', 10.01), (2, 'b', 20.00), (2, 'b', 20.00), (3, null, 30.00)",
        "null": "(1, null, 10.00), (2, 'b', 20.00), (2, 'b', 20.00), (3, null, 30.00)",
        "dedup": "(1, 'a', 10.00), (2, 'b', 20.00), (3, null, 30.00), (3, null, 30.00)",
        "swapped": "(1, 'b', 10.00), (2, 'a', 20.00), (2, 'b', 20.00), (3, null, 30.00)",
    }
    prints = {}
    for name, rows in variants.items():
        con.execute(
            f"create table analytics_marts.{name} as select * from (values {rows}) "
            "as t(id, label, amount_usd)"
        )
        prints[name] = {"t": fingerprint(query, f"analytics_marts.{name}")}
    assert not differences(prints["base"], prints["reordered"])
    one_cent = differences(prints["base"], prints["one_cent"])
    assert [line.split(":")[0] for line in one_cent] == ["t.<whole row>", "t.amount_usd"]
    # Labels swapped between rows: every column sum is the same, the whole-row hash is not.
    assert [line.split(":")[0] for line in differences(prints["base"], prints["swapped"])] == [
        "t.<whole row>"
    ]
    for name in ("null", "dedup", "swapped"):
        assert differences(prints["base"], prints[name]), name


@pytest.fixture(scope="module")
def first_build(seed_sets, make_project) -> DbtProject:
    project = make_project("repeat_a", seed_sets(scale=SCALE))
    project.dbt(*BUILD, "--vars", AS_OF_VARS)
    return project


def test_two_warehouses_build_identical_marts(first_build, seed_sets, make_project):
    second = make_project("repeat_b", seed_sets(scale=SCALE))
    second.dbt(*BUILD, "--vars", AS_OF_VARS)
    first, other = fingerprints(first_build), fingerprints(second)
    assert "analytics_marts.fct_creator_monthly_performance" in first
    assert not differences(first, other), "\n".join(differences(first, other))


def test_rebuild_in_the_same_warehouse_is_identical(first_build: DbtProject):
    before = fingerprints(first_build)
    first_build.dbt(*BUILD, "--vars", AS_OF_VARS)
    after = fingerprints(first_build)
    assert not differences(before, after), "\n".join(differences(before, after))
