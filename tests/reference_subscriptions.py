"""An independent pandas reference for the MRR bridge and the patron cohorts.

Computed straight from the seed CSVs, following the docs blocks `mrr_movements` and
`patron_cohorts` (models/marts/subscriptions/_subscriptions__docs.md) and DECISIONLOG.md
M15-M18 literally: a pledge's state at an instant (tests/reference_metrics.py `active_at`),
the MRR of each membership at both ends of every month, and each movement from those two
numbers. It shares no SQL and no model with the dbt project, so a rule that drifts in the
models shows up as a mismatch in tests/test_subscriptions.py.

Money is in integer cents, so every sum is exact.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reference_metrics import active_at, build_spine, month_of, percentage

MOVEMENTS = ("new_business", "expansion", "contraction", "reactivation", "churn")
BRIDGE_COLUMNS = (
    "opening_cents",
    *(f"{movement}_cents" for movement in MOVEMENTS),
    "closing_cents",
)
MEMBERSHIP = ["creator_id", "patron_id"]
# The seed tables as tests/reference_metrics.py `load_inputs` reads them.
Inputs = dict[str, pd.DataFrame]


def as_of_month_of(as_of_date: str) -> pd.Timestamp:
    return pd.Timestamp(as_of_date).to_period("M").to_timestamp()


def creator_first_months(creators: pd.DataFrame) -> pd.Series:
    """The first month of each creator's spine: the month the creator was created."""
    return month_of(creators["created_at"]).set_axis(creators["creator_id"])


def mrr_at(pledges: pd.DataFrame, instant: pd.Timestamp) -> pd.Series:
    """MRR in cents of every membership with a pledge active at the instant."""
    active = pledges.loc[active_at(pledges, instant)]
    return active.groupby(MEMBERSHIP)["amount_cents"].sum()


def churned_in(pledges: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.Index:
    """Memberships that churned in [start, end): a pledge ended then and none is active at end."""
    ended = pledges["ended_at"].between(start, end, inclusive="left")
    ended_memberships = pd.MultiIndex.from_frame(pledges.loc[ended, MEMBERSHIP]).unique()
    return ended_memberships.difference(mrr_at(pledges, end).index)


def membership_month_ends(data: Inputs, as_of_date: str) -> pd.DataFrame:
    """One row per membership and spine month with MRR at either end or a churn: opening and
    closing MRR in cents and whether the patron churned (months at 0 to 0 without a churn
    move nothing and are left out)."""
    pledges, creators = data["pledges"], data["creators"]
    first_months = creator_first_months(creators)
    frames = []
    for month in pd.date_range(first_months.min(), as_of_month_of(as_of_date), freq="MS"):
        after = month + pd.DateOffset(months=1)
        churned = churned_in(pledges, month, after)
        frame = pd.concat(
            {"opening_cents": mrr_at(pledges, month), "closing_cents": mrr_at(pledges, after)},
            axis=1,
        )
        frame = frame.reindex(frame.index.union(churned)).fillna(0).astype("int64")
        frame["is_churned"] = frame.index.isin(churned)
        frames.append(frame.reset_index().assign(month_start_date=month))
    ends = pd.concat(frames, ignore_index=True)
    # Only the creator's spine counts; its first month opens at 0 (M5).
    first = ends["creator_id"].map(first_months)
    ends = ends.loc[ends["month_start_date"] >= first].copy()
    ends["opening_cents"] = ends["opening_cents"].where(
        ends["month_start_date"] != first.loc[ends.index], 0
    )
    return ends.sort_values([*MEMBERSHIP, "month_start_date"], ignore_index=True)


def classify(ends: pd.DataFrame) -> pd.DataFrame:
    """The movement of each membership month and its amount in cents (docs block mrr_movements)."""
    frame = ends.copy()
    opening, closing = frame["opening_cents"], frame["closing_cents"]
    # Rows are in month order within each membership: the largest closing of earlier months.
    highest_closing = frame.groupby(MEMBERSHIP)["closing_cents"].cummax()
    had_mrr_before = highest_closing.groupby([frame[key] for key in MEMBERSHIP]).shift(1) > 0
    conditions = {
        "none": opening == closing,
        "reactivation": (opening == 0) & had_mrr_before,
        "new_business": opening == 0,
        "churn": (closing == 0) & frame["is_churned"],
        "expansion": closing > opening,
    }
    frame["mrr_movement"] = np.select(
        list(conditions.values()), list(conditions), default="contraction"
    )
    amounts = {
        "new_business": closing,
        "reactivation": closing,
        "expansion": closing - opening,
        "contraction": opening - closing,
        "churn": opening,
    }
    for movement, amount in amounts.items():
        frame[f"{movement}_cents"] = amount.where(frame["mrr_movement"] == movement, 0)
    return frame


def mrr_bridges(data: Inputs, as_of_date: str) -> dict[str, pd.DataFrame]:
    """The bridge at the three grains, in cents: 'membership' (rows with any amount),
    'creator' (every creator-month of the spine) and 'platform' (every month)."""
    movements = classify(membership_month_ends(data, as_of_date))
    spine = build_spine(data["creators"], as_of_month_of(as_of_date))
    keys = ["creator_id", "month_start_date"]
    creator = (
        spine.set_index(keys)
        .join(movements.groupby(keys)[list(BRIDGE_COLUMNS)].sum())
        .fillna(0)
        .astype("int64")
        .reset_index()
    )
    platform = creator.groupby("month_start_date")[list(BRIDGE_COLUMNS)].sum().reset_index()
    moving = movements[list(BRIDGE_COLUMNS)].ne(0).any(axis=1)
    membership = movements.loc[moving, [*MEMBERSHIP, "month_start_date", *BRIDGE_COLUMNS]]
    return {
        "membership": membership.reset_index(drop=True),
        "creator": creator,
        "platform": platform,
    }


def cohort_starts(pledges: pd.DataFrame, first_months: pd.Series) -> pd.DataFrame:
    """Per membership: the month of the patron's first pledge to the creator (not before the
    creator's first month), and of their first pledge to any creator."""
    starts = pledges.groupby(MEMBERSHIP)["started_at"].min().reset_index()
    starts["creator_cohort"] = np.maximum(
        month_of(starts["started_at"]), starts["creator_id"].map(first_months)
    )
    starts["platform_cohort"] = starts.groupby("patron_id")["creator_cohort"].transform("min")
    return starts.drop(columns="started_at")


def cohorts(data: Inputs, as_of_date: str) -> dict[str, pd.DataFrame]:
    """Cohort cells for the platform ('platform') and per creator ('creator'): cohort size,
    patrons active at each month end, their MRR in cents, retention and net revenue
    retention, from the cohort's month through the as-of month."""
    pledges, creators = data["pledges"], data["creators"]
    first_months = creator_first_months(creators)
    starts = cohort_starts(pledges, first_months)
    as_of_month = as_of_month_of(as_of_date)
    creator_rows, platform_rows = [], []
    for month in pd.date_range(first_months.min(), as_of_month, freq="MS"):
        active = mrr_at(pledges, month + pd.DateOffset(months=1)).rename("mrr_cents")
        active = active.reset_index().merge(starts, on=MEMBERSHIP)
        # Only months of the creator's spine count.
        active = active.loc[active["creator_id"].map(first_months) <= month]
        per_creator = active.groupby(["creator_id", "creator_cohort"]).agg(
            active_patrons=("patron_id", "nunique"), mrr_cents=("mrr_cents", "sum")
        )
        creator_rows.append(per_creator.assign(month_start_date=month).reset_index())
        per_platform = active.groupby("platform_cohort").agg(
            active_patrons=("patron_id", "nunique"), mrr_cents=("mrr_cents", "sum")
        )
        platform_rows.append(per_platform.assign(month_start_date=month).reset_index())
    creator_cells = cohort_cells(
        starts.rename(columns={"creator_cohort": "cohort"}),
        pd.concat(creator_rows).rename(columns={"creator_cohort": "cohort"}),
        ["creator_id"],
        as_of_month,
    )
    platform_starts = starts.drop_duplicates("patron_id").rename(
        columns={"platform_cohort": "cohort"}
    )
    platform_cells = cohort_cells(
        platform_starts,
        pd.concat(platform_rows).rename(columns={"platform_cohort": "cohort"}),
        [],
        as_of_month,
    )
    return {"creator": creator_cells, "platform": platform_cells}


def cohort_cells(
    starts: pd.DataFrame, activity: pd.DataFrame, by: list[str], as_of_month: pd.Timestamp
) -> pd.DataFrame:
    """Every month from each cohort's month through the as-of month, with its measures."""
    sizes = starts.groupby([*by, "cohort"]).size().rename("cohort_patrons").reset_index()
    rows = [
        (*cohort[:-1], month)
        for cohort in sizes.itertuples(index=False)
        for month in pd.date_range(cohort.cohort, as_of_month, freq="MS")
    ]
    cells = sizes.merge(pd.DataFrame(rows, columns=[*by, "cohort", "month_start_date"]))
    keys = [*by, "cohort", "month_start_date"]
    cells = cells.merge(activity, on=keys, how="left").fillna({"active_patrons": 0, "mrr_cents": 0})
    cells["months_since_start"] = (
        (cells["month_start_date"].dt.year - cells["cohort"].dt.year) * 12
        + cells["month_start_date"].dt.month
        - cells["cohort"].dt.month
    )
    starting = cells.loc[cells["months_since_start"] == 0, [*by, "cohort", "mrr_cents"]]
    cells = cells.merge(starting.rename(columns={"mrr_cents": "starting_mrr_cents"}))
    cells["patron_retention_pct"] = percentage(cells["active_patrons"], cells["cohort_patrons"])
    cells["net_revenue_retention_pct"] = percentage(cells["mrr_cents"], cells["starting_mrr_cents"])
    cells["is_complete_month"] = cells["month_start_date"] < as_of_month
    return cells.rename(columns={"cohort": "cohort_month_start_date"})
