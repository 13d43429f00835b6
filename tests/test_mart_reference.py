"""The mart against an independent pandas reference computed from the seed CSVs.

tests/reference_metrics.py implements the metric definitions without SQL and without the
models, so a definition that drifts in the model (or in staging) fails here with the
creator-months and
columns that differ.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from dbt_harness import NO_TESTS, DbtProject
from project_copy import PINNED_END_DATE
from reference_metrics import (
    BOOLEAN_COLUMNS,
    COUNT_COLUMNS,
    MONEY_COLUMNS,
    PERCENT_COLUMNS,
    TEXT_COLUMNS,
    reference_metrics,
)

AS_OF_DATE = PINNED_END_DATE
MART = "analytics_marts.fct_creator_monthly_performance"
KEYS = ["creator_id", "month_start_date"]
TOLERANCE = 0.01
SHOWN_MISMATCHES = 10


def mart_frame(project: DbtProject, relation: str = MART) -> pd.DataFrame:
    """The built mart (or a stored copy of it), one row per key, sorted."""
    frame = project.frame(f"select * from {relation}")
    frame["month_start_date"] = pd.to_datetime(frame["month_start_date"]).dt.date
    return frame.sort_values(KEYS, ignore_index=True)


def column_mismatches(built: pd.DataFrame, expected: pd.DataFrame, relation: str) -> list[str]:
    """One message per column that differs, with a few offending creator-months."""
    messages = []
    exact_columns = (*BOOLEAN_COLUMNS, *TEXT_COLUMNS, *COUNT_COLUMNS)
    for column in (*exact_columns, *MONEY_COLUMNS, *PERCENT_COLUMNS):
        got, want = built[column], expected[column]
        both_null = got.isna() & want.isna()
        if column in exact_columns:
            same = both_null | (got.astype(object) == want.astype(object))
        else:
            diff = (got.astype(float) - want.astype(float)).abs()
            same = both_null | (diff <= TOLERANCE + 1e-9)
        bad = built.loc[~same, KEYS].assign(mart=got[~same], reference=want[~same])
        if not bad.empty:
            messages.append(
                f"{relation}.{column}: {len(bad)} creator-months differ from the reference, e.g.\n"
                + bad.head(SHOWN_MISMATCHES).to_string(index=False)
            )
    return messages


def assert_matches_reference(project: DbtProject, seeds_dir: Path, relation: str = MART) -> None:
    """Same keys, counts exactly, money and percentages within a cent / 0.01 point."""
    built = mart_frame(project, relation)
    expected = reference_metrics(seeds_dir, AS_OF_DATE).sort_values(KEYS, ignore_index=True)

    built_keys = set(map(tuple, built[KEYS].to_numpy()))
    expected_keys = set(map(tuple, expected[KEYS].to_numpy()))
    assert built_keys == expected_keys, (
        f"{relation} keys differ from the reference: only in the mart "
        f"{sorted(built_keys - expected_keys)[:10]}, only in the reference "
        f"{sorted(expected_keys - built_keys)[:10]}"
    )
    problems = column_mismatches(built, expected, relation)
    assert not problems, "\n\n".join(problems)


def test_default_data_matches_reference(built_project: DbtProject) -> None:
    """Seed 42, scale 1: every column of every creator-month."""
    assert built_project.build_result is not None and built_project.build_result.ok, (
        built_project.build_result.output[-4000:] if built_project.build_result else "not built"
    )
    assert_matches_reference(built_project, built_project.seeds_dir)


def test_small_second_data_set_matches_reference(
    seed_sets: Callable[..., Path], make_project: Callable[..., DbtProject]
) -> None:
    """A different seed at scale 0.1, so the agreement is not a property of one data set."""
    project = make_project("mart_reference_seed7", seed_sets(seed=7, scale=0.1))
    project.dbt("build", "--vars", f'{{"as_of_date": "{AS_OF_DATE}"}}')
    assert_matches_reference(project, project.seeds_dir)


def test_as_of_month_defaults_to_latest_transaction(
    seed_sets: Callable[..., Path], make_project: Callable[..., DbtProject]
) -> None:
    """Without as_of_date the spine ends in the month of the latest transaction."""
    seeds_dir = seed_sets(seed=7, scale=0.1)
    project = make_project("mart_reference_no_as_of", seeds_dir)
    project.dbt("build", "--select", "+fct_creator_monthly_performance", *NO_TESTS)
    built = mart_frame(project)
    expected = reference_metrics(seeds_dir, None)
    assert built["month_start_date"].max() == expected["month_start_date"].max()
    assert len(built) == len(expected)
