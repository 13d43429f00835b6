"""An incremental refresh of the mart equals a --full-refresh build on the same final data.

The generator does not keep history stable when --end-date moves (every row is drawn again),
so the earlier load is the final data set as its source looked at the end of 2026-09-30: rows
created later are absent, pledges ended or paused later are still open. Some August payments
arrive late (only in the final load), inside the default two-month lookback: a refresh that
did not recompute the window would miss them, and one that lost the month before the window
(its opening state) would get the window's month-over-month metrics wrong. Some creators
changed plan or status after the cutoff: every mart row shows a creator's current attributes,
so a pipeline that stored them with the window's metrics would leave the old values on their
earlier months. And inside the window rows were changed and removed between the two loads
(tests/window_edits.py): pledges (among them a patron's only pledge to a creator), payments,
posts and events, and one creator's whole activity. A refresh that replaced rows by key
would keep the vanished patrons, posts and events in the window's months.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dbt_harness import NO_TESTS, SEED_TABLES, DbtProject, with_next_plan
from project_copy import PINNED_END_DATE
from test_mart_reference import assert_matches_reference
from window_edits import (
    DATED_BY,
    Frames,
    Window,
    after_load,
    before_load,
    idle_creator,
    read_frames,
    removed_pledges,
    write_frames,
)

SCALE = 0.1
FINAL_END_DATE = PINNED_END_DATE
CUTOFF = "2026-09-30 23:59:59"
LATE_MONTH = "2026-08"
# The earlier tables end in September: a default (two-month) refresh rewrites August on.
WINDOW = Window(start=f"{LATE_MONTH}-01 00:00:00", until=CUTOFF)
MART = "analytics_marts.fct_creator_monthly_performance"
INCREMENTAL_COPY = "main.incremental_result"
# The patron grain, stored incrementally (the semantic layer reads it): held to the same rule.
MEMBERSHIPS = "analytics_intermediate.int_memberships_aggregated_to_months"
MEMBERSHIPS_COPY = "main.incremental_memberships"
EARLIER_MEMBERSHIPS = "main.earlier_memberships"
EARLIER_MART = "main.earlier_mart"
INCREMENTAL_MODELS = (
    "int_memberships_aggregated_to_months",
    "int_metrics_joined_to_creator_months",
)
SHOWN_ROWS = 10


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


def earlier_load(frames: Frames) -> Frames:
    """The before load (tests/window_edits.py) as the source looked at the cutoff."""
    earlier = {}
    for table, frame in before_load(frames, WINDOW).items():
        frame = frame[frame[DATED_BY[table]] <= CUTOFF]
        if table == "creators":
            frame = restore_earlier_attributes(frame)
        if table == "pledges":
            frame = reopen_later_changes(frame)
        if table == "transactions":
            frame = hold_back_late_payments(frame)
        earlier[table] = frame
    return earlier


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


def keep_copies(project: DbtProject, copies: dict[str, str]) -> None:
    """Copy each relation (value) into a table (key), to compare after the next run."""
    with duckdb.connect(str(project.warehouse)) as con:
        for copy, relation in copies.items():
            con.execute(f"create or replace table {copy} as select * from {relation}")


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


@dataclass(frozen=True)
class Loads:
    """The earlier and the final seed folders, and what changed between them."""

    earlier: Path
    final: Path
    idle_creator: str
    removed_sole_pledge: tuple[str, str]


def sole_open_removed_pledge(frames: Frames) -> tuple[str, str]:
    """(creator, patron) of a removed pledge that was open at the cutoff and the patron's only
    pledge to the creator: the case a refresh by key kept."""
    pledges = frames["pledges"]
    pledges_of_pair = pledges.groupby(["creator_id", "patron_id"])["pledge_id"].transform("size")
    open_at_cutoff = pledges["ended_at"].eq("") | (pledges["ended_at"] > CUTOFF)
    sole = pledges[removed_pledges(pledges, WINDOW) & open_at_cutoff & (pledges_of_pair == 1)]
    assert not sole.empty, "no removed pledge is a patron's only, open pledge to a creator"
    return str(sole["creator_id"].iloc[0]), str(sole["patron_id"].iloc[0])


@pytest.fixture(scope="module")
def loads(seed_sets: Callable[..., Path], tmp_path_factory) -> Loads:
    """The earlier and final loads at scale 0.1, from one generated seed set."""
    generated = read_frames(seed_sets(scale=SCALE, end_date=FINAL_END_DATE))
    return Loads(
        earlier=write_frames(earlier_load(generated), tmp_path_factory.mktemp("earlier_load")),
        final=write_frames(after_load(generated, WINDOW), tmp_path_factory.mktemp("final_load")),
        idle_creator=idle_creator(generated, WINDOW),
        removed_sole_pledge=sole_open_removed_pledge(generated),
    )


def build_incrementally(
    make_project: Callable[..., DbtProject], loads: Loads, lookback_months: int
) -> DbtProject:
    """Build on the earlier load, refresh incrementally on the final one, keep that result,
    then rebuild the mart with --full-refresh on the same final data."""
    project = make_project(f"incremental_lookback_{lookback_months}", loads.earlier)
    earlier_vars = as_of("2026-09-30", lookback_months)
    final_vars = as_of(FINAL_END_DATE, lookback_months)
    project.dbt("build", *NO_TESTS, "--vars", earlier_vars)
    keep_copies(project, {EARLIER_MART: MART, EARLIER_MEMBERSHIPS: MEMBERSHIPS})
    use_seeds(project, loads.final)
    project.dbt("seed", "--full-refresh", "--vars", final_vars)
    refresh = project.dbt("run", "--vars", final_vars)
    assert "incremental model" in refresh.output, refresh.output[-3000:]
    # The earlier tables end in September: the window starts lookback - 1 months before.
    window = f"month_start_date >= cast('2026-{10 - lookback_months:02d}-01' as date)"
    for model in INCREMENTAL_MODELS:
        assert f"where {window}" in model_sql(project, model, "compiled"), (
            f"{model}: the refresh did not read from the window ({window})"
        )
        written = model_sql(project, model, "run")
        assert f"where {window};" in written and " using " not in written, (
            f"{model}: the refresh did not delete the window's months, but:\n{written[-2000:]}"
        )
    keep_copies(project, {INCREMENTAL_COPY: MART, MEMBERSHIPS_COPY: MEMBERSHIPS})
    project.dbt("run", "--full-refresh", "--vars", final_vars)
    return project


@pytest.fixture(scope="module")
def refreshed(make_project: Callable[..., DbtProject], loads: Loads) -> DbtProject:
    """The project refreshed with the default lookback, then rebuilt with --full-refresh."""
    return build_incrementally(make_project, loads, lookback_months=2)


def test_incremental_refresh_equals_full_refresh(refreshed: DbtProject) -> None:
    assert_same_rows(refreshed, INCREMENTAL_COPY, MART)
    assert_same_rows(refreshed, MEMBERSHIPS_COPY, MEMBERSHIPS)
    months = refreshed.query(f"select count(distinct month_start_date) from {INCREMENTAL_COPY}")
    assert months[0][0] > 2, "the incremental table should keep months outside the window"


def test_refreshed_mart_matches_the_reference(refreshed: DbtProject, loads: Loads) -> None:
    """The refreshed mart, cell for cell, against the pandas reference on the final load."""
    assert_matches_reference(refreshed, loads.final, INCREMENTAL_COPY)


def test_the_window_lost_rows(refreshed: DbtProject, loads: Loads) -> None:
    """The data exercises removals: patron-months of the window vanished (among them the
    removed sole pledge's), and the idle creator's window months had activity before and
    have none after the refresh."""
    window = f"month_start_date >= date '{WINDOW.start[:10]}'"
    vanished = refreshed.frame(
        f"""
        select creator_id, patron_id from {EARLIER_MEMBERSHIPS} where {window}
        except
        select creator_id, patron_id from {MEMBERSHIPS_COPY} where {window}
        """
    )
    assert tuple(loads.removed_sole_pledge) in set(vanished.itertuples(index=False, name=None))
    activity = (
        "sum(total_patrons + posts_published + total_views + total_likes + total_comments"
        " + successful_transactions + failed_transactions)"
    )
    idle = f"creator_id = '{loads.idle_creator}' and {window}"
    before = refreshed.query(f"select {activity} from {EARLIER_MART} where {idle}")[0][0]
    after = refreshed.query(f"select {activity}, count(*) from {INCREMENTAL_COPY} where {idle}")
    assert before > 0, f"{loads.idle_creator} had no activity in the window to remove"
    assert after[0] == (0, 3), f"{loads.idle_creator}: activity or months after the refresh"


def test_an_earlier_as_of_month_leaves_no_later_month(refreshed: DbtProject) -> None:
    """A run whose as-of month is earlier than the stored tables' deletes the later months
    too: the window is replaced from its first month on, not month by month (a month the new
    rows do not reach would otherwise keep its old rows)."""
    september = as_of("2026-09-30", 2)
    refreshed.dbt("run", "--vars", september)
    earlier_copy, earlier_memberships = "main.as_of_september", "main.as_of_september_memberships"
    keep_copies(refreshed, {earlier_copy: MART, earlier_memberships: MEMBERSHIPS})
    refreshed.dbt("run", "--full-refresh", "--vars", september)
    try:
        assert_same_rows(refreshed, earlier_copy, MART)
        assert_same_rows(refreshed, earlier_memberships, MEMBERSHIPS)
        last = refreshed.query(f"select max(month_start_date) from {earlier_memberships}")
        assert str(last[0][0]) == "2026-09-01"
    finally:
        # The other tests compare with the October rebuild.
        refreshed.dbt("run", "--full-refresh", "--vars", as_of(FINAL_END_DATE, 2))


@pytest.mark.slow
def test_late_payments_outside_a_one_month_lookback_are_missed(
    make_project: Callable[..., DbtProject], loads: Loads
) -> None:
    """The data really exercises the window: with lookback 1, August is not recomputed."""
    project = build_incrementally(make_project, loads, lookback_months=1)
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
