"""An independent pandas reference for the semantic layer's platform-level metrics.

Built from the seed CSVs with the building blocks of tests/reference_metrics.py (which share
no code or SQL with the dbt models), it computes what the mart cannot give by summing its
rows: distinct patrons across creators, and rates re-aggregated as sum over sum for a group
of creator-months. The churn rate's opening state is the contract's "active_patrons of m-1"
(0 before a creator's first month), taken from the previous creator-month, not from the
patron-grain flag the semantic layer reads.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reference_metrics import (
    build_spine,
    engagement_metrics,
    load_inputs,
    money_metrics,
    patron_month_states,
    percentage,
)

KEYS = ["creator_id", "month_start_date"]
RATE_INPUTS = {
    # rate: (numerator, denominator parts)
    "platform_take_rate": ("platform_fees_cents", ("gross_revenue_cents",)),
    "patron_churn_rate": ("churned_patrons", ("opening_active_patrons", "new_patrons")),
    "collection_rate": ("collected_cents", ("collected_cents", "declined_cents")),
    "decline_rate": ("failed_transactions", ("successful_transactions", "failed_transactions")),
    "patron_engagement_rate": ("engaged_patrons", ("total_patrons",)),
}


def platform_inputs(seeds_dir: Path, as_of_date: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(creator_months, patron_states): the additive inputs of every rate per creator-month,
    with the creator's plan and category; and the patron-level states of each creator-month
    of the spine."""
    data = load_inputs(seeds_dir)
    creators = data["creators"]
    spine = build_spine(creators, pd.Timestamp(as_of_date).to_period("M").to_timestamp())
    months = pd.DatetimeIndex(sorted(spine["month_start_date"].unique()))
    states = patron_month_states(data["pledges"], months).reset_index().merge(spine, on=KEYS)

    patrons = states.groupby(KEYS).agg(
        total_patrons=("patron_id", "size"),
        active_patrons=("is_active", "sum"),
        new_patrons=("is_new", "sum"),
        churned_patrons=("is_churned", "sum"),
    )
    engaged = engagement_metrics(data["events"], states.set_index([*KEYS, "patron_id"]))
    frame = (
        spine.set_index(KEYS)
        .join(patrons)
        .join(money_metrics(data["transactions"]))
        .join(engaged["engaged_patrons"])
        .fillna(0)
        .reset_index()
        .sort_values(KEYS, ignore_index=True)
    )
    frame["opening_active_patrons"] = frame.groupby("creator_id")["active_patrons"].shift(
        1, fill_value=0
    )
    attributes = creators[["creator_id", "plan_type", "category"]].rename(
        columns={"category": "creator_category"}
    )
    return frame.merge(attributes, on="creator_id", how="left"), states


def unique_active_patrons_by_month(states: pd.DataFrame) -> pd.Series:
    """Distinct patrons active at a month end with any creator, per month."""
    active = states.loc[states["is_active"].astype(bool)]
    return active.groupby("month_start_date")["patron_id"].nunique()


def rates_by(creator_months: pd.DataFrame, column: str) -> pd.DataFrame:
    """The five rates per value of `column`, each as sum over sum of its creator-months."""
    sums = creator_months.groupby(column)[
        sorted({part for num, den in RATE_INPUTS.values() for part in (num, *den)})
    ].sum()
    return pd.DataFrame(
        {
            rate: percentage(sums[numerator], sum(sums[part] for part in denominator))
            for rate, (numerator, denominator) in RATE_INPUTS.items()
        }
    )
