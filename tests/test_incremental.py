"""An incremental refresh of the mart equals a --full-refresh build on the same final data.

The generator does not keep history stable when --end-date moves (every row is drawn again),
so the earlier load is the final data set as its source looked at the end of 2026-09-30: rows
created later are absent, pledges ended or paused later are still open. Some August payments
arrive late (only in the final load), inside the default two-month lookback: a refresh that
did not recompute the window would miss them, and one that lost the month before the window
(its opening state) would get the window's month-over-month metrics wrong. Some creators
changed plan or status after the cutoff: every mart row shows a creator's current attributes,
so a pipeline that stored them with the window's metrics would leave the old values on their
earlier months.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from dbt_harness import NO_TESTS, SEED_TABLES, DbtProject, read_seed, with_next_plan

SCALE = 0.1
FINAL_END_DATE = "2026-10-31"
CUTOFF = "2026-09-30 23:59:59"
LATE_MONTH = "2026-08"
MART = "analytics_marts.fct_creator_monthly_performance"
INCREMENTAL_COPY = "main.incremental_result"
# The patron grain, stored incrementally (the semantic layer reads it): held to the same rule.
MEMBERSHIPS = "analytics_intermediate.int_memberships_aggregated_to_months"
MEMBERSHIPS_COPY = "main.incremental_memberships"
INCREMENTAL_MODELS = (
    "int_memberships_aggregated_to_months",
    "int_metrics_joined_to_creator_months",
)
SHOWN_ROWS = 10

# Rows that did not exist yet at the cutoff, by the column that dates them.
CREATED_AT = {
    "creators": "created_at",
    "patrons": "created_at",
    "tiers": "created_at",
    "pledges": "started_at",
    "transactions": "transaction_at",
    "posts": "published_at",
    "engagement_events": "event_at",
}


def reopen_later_changes(pledges: pd.DataFrame) -> pd.DataFrame:
    """Pledges ended or paused after the cutoff were still open at the cutoff."""
    pledges = pledges.copy()
    ended_later = pledges["ended_at"] > CUTOFF
    paused_later = pledges["pause_started_at"] > CUTOFF
    pledges.loc[ended_later, ["ended_at", "churn_reason"]] = ""
    pledges.loc[paused_later, "pause_started_at"] = ""
    pledges.loc[ended_later | paused_later, "pledge_status"] = "active"
    return pledges


def hold_back_late_payments(transactions: pd.DataFrame) -> pd.DataFrame:
    """Every fifth transaction of the late month has not arrived yet at the cutoff."""
    in_late_month = transactions["transaction_at"].str.startswith(LATE_MONTH)
    late = in_late_month & (transactions.index.to_series() % 5 == 0)
    assert late.sum() > 0, "the test data set has no transactions to deliver late"
    return transactions[~late]


def restore_earlier_attributes(creators: pd.DataFrame) -> pd.DataFrame:
    """Every tenth creator changed plan after the cutoff, and one was renamed."""
    creators, changed = with_next_plan(creators, every=10)
    renamed = creators.index[changed][0]
    creators.loc[renamed, "creator_name"] = creators.loc[renamed, "creator_name"] + " (old name)"
    return creators


def write_earlier_load(final_dir: Path, out_dir: Path) -> Path:
    """The final seed set as the source looked at the cutoff (see the module docstring)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for table in SEED_TABLES:
        frame = read_seed(final_dir, table)
        frame = frame[frame[CREATED_AT[table]] <= CUTOFF]
        if table == "creators":
            frame = restore_earlier_attributes(frame)
        if table == "pledges":
            frame = reopen_later_changes(frame)
        if table == "transactions":
            frame = hold_back_late_payments(frame)
        frame.to_csv(out_dir / f"{table}.csv", index=False)
    return out_dir


def use_seeds(project: DbtProject, folder: Path) -> None:
    """Replace the project's seed CSVs."""
    for table in SEED_TABLES:
        (project.seeds_dir / f"{table}.csv").write_bytes((folder / f"{table}.csv").read_bytes())


def as_of(date: str, lookback_months: int) -> str:
    return f'{{"as_of_date": "{date}", "mart_lookback_months": {lookback_months}}}'


def model_sql(project: DbtProject, model: str, stage: str) -> str:
    """A model's SQL of dbt's last invocation, lowercased: "compiled" is the model's select,
    "run" the statements that wrote it."""
    path = next((project.root / "target" / stage).rglob(f"{model}.sql"))
    return path.read_text().lower()


def keep_copies_of_incremental_results(project: DbtProject) -> None:
    """The mart and the stored patron grain as the incremental refresh left them."""
    with duckdb.connect(str(project.warehouse)) as con:
        con.execute(f"create or replace table {INCREMENTAL_COPY} as select * from {MART}")
        con.execute(f"create or replace table {MEMBERSHIPS_COPY} as select * from {MEMBERSHIPS}")


def rows_only_in(project: DbtProject, left: str, right: str) -> pd.DataFrame:
    """Rows (all columns, with multiplicity) of `left` missing from `right`."""
    return project.frame(
        f"select * from (select * from {left} except all select * from {right}) order by all"
    )


def assert_same_rows(project: DbtProject, incremental: str, full: str) -> None:
    """The incremental result and the full rebuild hold the same rows, every column."""
    only_incremental = rows_only_in(project, incremental, full)
    only_full = rows_only_in(project, full, incremental)
    assert only_incremental.empty and only_full.empty, (
        f"{full}: the incremental refresh differs from --full-refresh: "
        f"{len(only_incremental)} rows only in the incremental result, e.g.\n"
        f"{only_incremental.head(SHOWN_ROWS).to_string(index=False)}\n"
        f"{len(only_full)} rows only in the full rebuild, e.g.\n"
        f"{only_full.head(SHOWN_ROWS).to_string(index=False)}"
    )


@pytest.fixture(scope="module")
def seed_folders(seed_sets: Callable[..., Path], tmp_path_factory) -> tuple[Path, Path]:
    """(earlier load, final load) at scale 0.1."""
    final_dir = seed_sets(scale=SCALE, end_date=FINAL_END_DATE)
    earlier_dir = write_earlier_load(final_dir, tmp_path_factory.mktemp("earlier_load"))
    return earlier_dir, final_dir


def build_incrementally(
    make_project: Callable[..., DbtProject], folders: tuple[Path, Path], lookback_months: int
) -> DbtProject:
    """Build on the earlier load, refresh incrementally on the final one, keep that result,
    then rebuild the mart with --full-refresh on the same final data."""
    earlier_dir, final_dir = folders
    project = make_project(f"incremental_lookback_{lookback_months}", earlier_dir)
    earlier_vars = as_of("2026-09-30", lookback_months)
    final_vars = as_of("2026-10-31", lookback_months)
    project.dbt("build", *NO_TESTS, "--vars", earlier_vars)
    use_seeds(project, final_dir)
    project.dbt("seed", "--full-refresh", "--vars", final_vars)
    refresh = project.dbt("run", "--vars", final_vars)
    assert "incremental model" in refresh.output, refresh.output[-3000:]
    for model in INCREMENTAL_MODELS:
        assert "delete from" in model_sql(project, model, "run"), (
            f"{model}: the refresh did not run as delete+insert"
        )
        assert "month_start_date >= cast(" in model_sql(project, model, "compiled"), (
            f"{model}: the refresh did not read from a window"
        )
    keep_copies_of_incremental_results(project)
    project.dbt("run", "--full-refresh", "--vars", final_vars)
    return project


def test_incremental_refresh_equals_full_refresh(make_project, seed_folders):
    project = build_incrementally(make_project, seed_folders, lookback_months=2)
    assert_same_rows(project, INCREMENTAL_COPY, MART)
    assert_same_rows(project, MEMBERSHIPS_COPY, MEMBERSHIPS)
    months = project.query(f"select count(distinct month_start_date) from {INCREMENTAL_COPY}")
    assert months[0][0] > 2, "the incremental table should keep months outside the window"


@pytest.mark.slow
def test_late_payments_outside_a_one_month_lookback_are_missed(make_project, seed_folders):
    """The data really exercises the window: with lookback 1, August is not recomputed."""
    project = build_incrementally(make_project, seed_folders, lookback_months=1)
    missed = project.query(
        f"""
        select count(*)
        from {INCREMENTAL_COPY} as incremental
        inner join {MART} as full_build
            on incremental.creator_id = full_build.creator_id
            and incremental.month_start_date = full_build.month_start_date
        where incremental.month_start_date = date '{LATE_MONTH}-01'
            and incremental.gross_revenue_usd is distinct from full_build.gross_revenue_usd
        """
    )
    assert missed[0][0] > 0
