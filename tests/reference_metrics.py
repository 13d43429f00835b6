"""An independent pandas reference for fct_creator_monthly_performance.

Computes every column of the mart for every creator-month straight from the seed CSVs,
following the metric definitions (the docs blocks of models/marts/core/_marts__docs.md)
and the choices recorded in DECISIONLOG.md, literally. It shares no code or SQL with the
dbt models, so a definition that drifts in either one shows up as a mismatch in
tests/test_mart_reference.py.

Money is handled in integer cents, so sums are exact; rates are rounded to 2 places.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

ENGAGEMENT_WEIGHTS = {"view": 1, "like": 3, "comment": 5, "share": 7, "unlike": 0}
PAYWALLED_ACCESS = ("patron_only", "tier_specific")

# (metric, warning, critical, higher_is_better); edges are 'warning'.
HEALTH_BANDS = (
    ("churn_health", "patron_churn_rate_pct", 5.0, 10.0, False),
    ("collection_health", "collection_rate_pct", 95.0, 90.0, True),
    ("decline_health", "decline_rate_pct", 10.0, 15.0, False),
)

COUNT_COLUMNS = (
    "total_patrons",
    "active_patrons",
    "new_patrons",
    "churned_patrons",
    "net_patron_change",
    "successful_transactions",
    "failed_transactions",
    "tier_1_patrons",
    "tier_2_patrons",
    "tier_3_plus_patrons",
    "posts_published",
    "paywalled_posts",
    "free_posts",
    "total_views",
    "total_likes",
    "total_comments",
    "engaged_patrons",
    "total_engagement_score",
)
MONEY_COLUMNS = (
    "gross_mrr_usd",
    "new_mrr_usd",
    "churned_mrr_usd",
    "mrr_change_usd",
    "gross_revenue_usd",
    "platform_fees_usd",
    "processing_fees_usd",
    "net_creator_earnings_usd",
    "declined_amount_usd",
    "avg_pledge_amount_usd",
)
PERCENT_COLUMNS = (
    "patron_churn_rate_pct",
    "mrr_growth_rate_pct",
    "collection_rate_pct",
    "decline_rate_pct",
    "patron_engagement_rate_pct",
    "platform_take_rate_pct",
)
BOOLEAN_COLUMNS = ("is_complete_month", "is_latest_complete_month")
TEXT_COLUMNS = (
    "creator_name",
    "creator_category",
    "creator_subcategory",
    "plan_type",
    "country_code",
    "creator_status",
    "churn_health",
    "collection_health",
    "decline_health",
)


def read_seed(seeds_dir: Path, table: str) -> pd.DataFrame:
    """One seed CSV with every column as text; empty fields become missing."""
    frame = pd.read_csv(seeds_dir / f"{table}.csv", dtype=str, keep_default_na=False)
    return frame.replace("", np.nan)


def to_timestamp(values: pd.Series) -> pd.Series:
    """`YYYY-MM-DD HH:MM:SS` text to timestamps (missing stays NaT)."""
    return pd.to_datetime(values, format="%Y-%m-%d %H:%M:%S")


def to_cents(values: pd.Series) -> pd.Series:
    """Two-decimal amounts to integer cents."""
    return (values.astype(float) * 100).round().astype("int64")


def month_of(values: pd.Series) -> pd.Series:
    """First day of the month of each timestamp."""
    return values.dt.to_period("M").dt.to_timestamp()


def percentage(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """100 * numerator / denominator rounded to 2 places; missing where denominator is 0."""
    num = numerator.astype(float)
    den = denominator.astype(float)
    return (100.0 * num / den.where(den != 0)).round(2)


def health(rate: pd.Series, warning: float, critical: float, higher_is_better: bool) -> pd.Series:
    """'healthy' / 'warning' / 'critical' by the health_status bands; missing where rate is."""
    if higher_is_better:
        label = np.where(
            rate > warning, "healthy", np.where(rate < critical, "critical", "warning")
        )
    else:
        label = np.where(
            rate < warning, "healthy", np.where(rate > critical, "critical", "warning")
        )
    return pd.Series(label, index=rate.index, dtype=object).where(rate.notna())


def build_spine(creators: pd.DataFrame, as_of_month: pd.Timestamp) -> pd.DataFrame:
    """Every (creator_id, month_start_date) from the creation month to the as-of month."""
    rows = []
    for creator_id, created_at in zip(creators["creator_id"], creators["created_at"], strict=True):
        for month in pd.date_range(
            month_of(pd.Series([created_at])).iloc[0], as_of_month, freq="MS"
        ):
            rows.append((creator_id, month))
    return pd.DataFrame(rows, columns=["creator_id", "month_start_date"])


def active_at(pledges: pd.DataFrame, instant: pd.Timestamp) -> pd.Series:
    """Pledges active at an instant: started before, not ended and not paused by then."""
    ended, paused = pledges["ended_at"], pledges["pause_started_at"]
    return (
        (pledges["started_at"] < instant)
        & (ended.isna() | (ended >= instant))
        & (paused.isna() | (paused >= instant))
    )


def patron_month_states(pledges: pd.DataFrame, months: pd.DatetimeIndex) -> pd.DataFrame:
    """Per (creator, month, patron) the pledge states of the definitions, plus per-pledge MRR parts.

    Returns one row per creator-month-patron that has a pledge overlapping the month, with
    active/new/churned flags, the highest active tier rank and the new/churned/gross MRR cents
    and number of active pledges attributable to that patron.
    """
    frames = []
    for month_start in months:
        next_start = month_start + pd.DateOffset(months=1)
        started, ended = pledges["started_at"], pledges["ended_at"]
        overlaps = (started < next_start) & (ended.isna() | (ended >= month_start))
        part = pledges.loc[overlaps].copy()
        if part.empty:
            continue
        part["month_start_date"] = month_start
        part["active_end"] = active_at(pledges, next_start)[overlaps]
        part["active_prior_end"] = active_at(pledges, month_start)[overlaps]
        part["started_in"] = (part["started_at"] >= month_start) & (part["started_at"] < next_start)
        part["ended_in"] = (part["ended_at"] >= month_start) & (part["ended_at"] < next_start)
        frames.append(part)
    pm = pd.concat(frames, ignore_index=True)

    keys = ["creator_id", "month_start_date", "patron_id"]
    grouped = pm.groupby(keys)
    pm["patron_active_end"] = grouped["active_end"].transform("any")
    pm["patron_new"] = grouped["started_in"].transform("any") & ~grouped[
        "active_prior_end"
    ].transform("any")
    pm["patron_churned"] = grouped["ended_in"].transform("any") & ~pm["patron_active_end"]
    pm["active_rank"] = pm["tier_rank"].where(pm["active_end"])
    pm["gross_mrr_cents"] = pm["amount_cents"].where(pm["active_end"], 0)
    pm["new_mrr_cents"] = pm["amount_cents"].where(pm["started_in"] & pm["patron_new"], 0)
    pm["churned_mrr_cents"] = pm["amount_cents"].where(pm["ended_in"] & pm["patron_churned"], 0)
    return pm.groupby(keys).agg(
        is_active=("patron_active_end", "first"),
        is_new=("patron_new", "first"),
        is_churned=("patron_churned", "first"),
        active_rank=("active_rank", "max"),
        gross_mrr_cents=("gross_mrr_cents", "sum"),
        new_mrr_cents=("new_mrr_cents", "sum"),
        churned_mrr_cents=("churned_mrr_cents", "sum"),
        active_pledges=("active_end", "sum"),
    )


def money_metrics(transactions: pd.DataFrame) -> pd.DataFrame:
    """Revenue, fees, collection and decline inputs per (creator, month), in cents."""
    tx = transactions.copy()
    is_payment = tx["transaction_type"] == "pledge_payment"
    collected = is_payment & tx["transaction_status"].isin(["succeeded", "refunded"])
    failed = is_payment & (tx["transaction_status"] == "failed")
    reversed_ = tx["transaction_type"].isin(["refund", "chargeback"]) & (
        tx["transaction_status"] == "succeeded"
    )
    sign = np.where(collected, 1, np.where(reversed_, -1, 0))
    for column in ("gross", "platform", "processing", "net"):
        tx[f"{column}_signed"] = tx[f"{column}_cents"] * sign
    tx["collected_gross"] = tx["gross_cents"].where(collected, 0)
    tx["failed_gross"] = tx["gross_cents"].where(failed, 0)
    tx["is_collected"] = collected.astype(int)
    tx["is_failed"] = failed.astype(int)
    tx["month_start_date"] = month_of(tx["transaction_at"])
    return tx.groupby(["creator_id", "month_start_date"]).agg(
        gross_revenue_cents=("gross_signed", "sum"),
        platform_fees_cents=("platform_signed", "sum"),
        processing_fees_cents=("processing_signed", "sum"),
        net_earnings_cents=("net_signed", "sum"),
        collected_cents=("collected_gross", "sum"),
        declined_cents=("failed_gross", "sum"),
        successful_transactions=("is_collected", "sum"),
        failed_transactions=("is_failed", "sum"),
    )


def content_metrics(posts: pd.DataFrame) -> pd.DataFrame:
    """Posts per (creator, month of published_at), split by access level."""
    frame = posts.assign(
        month_start_date=month_of(posts["published_at"]),
        paywalled=posts["access_level"].isin(PAYWALLED_ACCESS).astype(int),
        free=(posts["access_level"] == "public").astype(int),
    )
    return frame.groupby(["creator_id", "month_start_date"]).agg(
        posts_published=("post_id", "size"),
        paywalled_posts=("paywalled", "sum"),
        free_posts=("free", "sum"),
    )


def engagement_metrics(events: pd.DataFrame, patron_states: pd.DataFrame) -> pd.DataFrame:
    """Event counts, weighted score and engaged patrons per (creator, month of event_at)."""
    frame = events.assign(month_start_date=month_of(events["event_at"]))
    unknown = set(frame["event_type"].dropna()) - set(ENGAGEMENT_WEIGHTS)
    if unknown:
        raise ValueError(f"engagement_events.event_type has unknown values: {sorted(unknown)}")
    frame["weight"] = frame["event_type"].map(ENGAGEMENT_WEIGHTS)
    for event_type in ("view", "like", "comment"):
        frame[f"is_{event_type}"] = (frame["event_type"] == event_type).astype(int)
    keys = ["creator_id", "month_start_date"]
    counts = frame.groupby(keys).agg(
        total_views=("is_view", "sum"),
        total_likes=("is_like", "sum"),
        total_comments=("is_comment", "sum"),
        total_engagement_score=("weight", "sum"),
    )
    patrons_of_month = patron_states.reset_index()[[*keys, "patron_id"]]
    engaged = (
        frame[[*keys, "patron_id"]]
        .drop_duplicates()
        .merge(patrons_of_month, on=[*keys, "patron_id"])
    )
    engaged_counts = engaged.groupby(keys).size().rename("engaged_patrons")
    return counts.join(engaged_counts, how="outer")


def load_inputs(seeds_dir: Path) -> dict[str, pd.DataFrame]:
    """The seed tables with the columns the metrics need, typed."""
    creators = read_seed(seeds_dir, "creators")
    creators["created_at"] = to_timestamp(creators["created_at"])
    tiers = read_seed(seeds_dir, "tiers")[["tier_id", "tier_rank"]]
    tiers["tier_rank"] = tiers["tier_rank"].astype(int)
    pledges = read_seed(seeds_dir, "pledges")
    for column in ("started_at", "ended_at", "pause_started_at"):
        pledges[column] = to_timestamp(pledges[column])
    pledges["amount_cents"] = to_cents(pledges["pledge_amount_usd"])
    pledges = pledges.merge(tiers, on="tier_id", how="left")
    transactions = read_seed(seeds_dir, "transactions")
    transactions["transaction_at"] = to_timestamp(transactions["transaction_at"])
    for column, source in (
        ("gross", "gross_amount_usd"),
        ("platform", "platform_fee_usd"),
        ("processing", "processing_fee_usd"),
        ("net", "net_amount_usd"),
    ):
        transactions[f"{column}_cents"] = to_cents(transactions[source])
    posts = read_seed(seeds_dir, "posts")
    posts["published_at"] = to_timestamp(posts["published_at"])
    events = read_seed(seeds_dir, "engagement_events")
    events["event_at"] = to_timestamp(events["event_at"])
    return {
        "creators": creators,
        "pledges": pledges,
        "transactions": transactions,
        "posts": posts,
        "events": events,
    }


def reference_metrics(seeds_dir: Path, as_of_date: str | None = None) -> pd.DataFrame:
    """Every mart column for every creator-month, from the seed CSVs in seeds_dir."""
    data = load_inputs(seeds_dir)
    creators = data["creators"]
    if as_of_date is not None:
        as_of_month = pd.Timestamp(as_of_date).to_period("M").to_timestamp()
    else:  # the latest transaction not dated in the future (UTC, the warehouse's clock)
        transaction_at = data["transactions"]["transaction_at"]
        now = pd.Timestamp.now(tz="UTC").tz_localize(None)
        as_of_month = transaction_at[transaction_at <= now].max().to_period("M").to_timestamp()

    spine = build_spine(creators, as_of_month)
    months = pd.DatetimeIndex(sorted(spine["month_start_date"].unique()))
    keys = ["creator_id", "month_start_date"]

    states = patron_month_states(data["pledges"], months)
    patron_frame = states.reset_index()
    patron_frame["tier_1"] = patron_frame["active_rank"] == 1
    patron_frame["tier_2"] = patron_frame["active_rank"] == 2
    patron_frame["tier_3_plus"] = patron_frame["active_rank"] >= 3
    patrons = patron_frame.groupby(keys).agg(
        total_patrons=("patron_id", "size"),
        active_patrons=("is_active", "sum"),
        new_patrons=("is_new", "sum"),
        churned_patrons=("is_churned", "sum"),
        tier_1_patrons=("tier_1", "sum"),
        tier_2_patrons=("tier_2", "sum"),
        tier_3_plus_patrons=("tier_3_plus", "sum"),
        gross_mrr_cents=("gross_mrr_cents", "sum"),
        new_mrr_cents=("new_mrr_cents", "sum"),
        churned_mrr_cents=("churned_mrr_cents", "sum"),
        active_pledges=("active_pledges", "sum"),
    )

    out = (
        spine.set_index(keys)
        .join(patrons)
        .join(money_metrics(data["transactions"]))
        .join(content_metrics(data["posts"]))
        .join(engagement_metrics(data["events"], states))
        .fillna(0)
        .reset_index()
        .sort_values(keys, ignore_index=True)
    )

    by_creator = out.groupby("creator_id")
    prior_active = by_creator["active_patrons"].shift(1, fill_value=0)
    prior_mrr = by_creator["gross_mrr_cents"].shift(1, fill_value=0)

    out["net_patron_change"] = out["new_patrons"] - out["churned_patrons"]
    out["patron_churn_rate_pct"] = percentage(
        out["churned_patrons"], prior_active + out["new_patrons"]
    )
    out["mrr_change_cents"] = out["gross_mrr_cents"] - prior_mrr
    out["mrr_growth_rate_pct"] = percentage(out["mrr_change_cents"], prior_mrr)
    out["collection_rate_pct"] = percentage(
        out["collected_cents"], out["collected_cents"] + out["declined_cents"]
    )
    out["decline_rate_pct"] = percentage(
        out["failed_transactions"], out["successful_transactions"] + out["failed_transactions"]
    )
    out["patron_engagement_rate_pct"] = percentage(out["engaged_patrons"], out["total_patrons"])
    out["platform_take_rate_pct"] = percentage(
        out["platform_fees_cents"], out["gross_revenue_cents"]
    )
    out["avg_pledge_amount_usd"] = (
        out["gross_mrr_cents"] / out["active_pledges"].where(out["active_pledges"] != 0) / 100
    ).round(2)

    for target, source in (
        ("gross_mrr_usd", "gross_mrr_cents"),
        ("new_mrr_usd", "new_mrr_cents"),
        ("churned_mrr_usd", "churned_mrr_cents"),
        ("mrr_change_usd", "mrr_change_cents"),
        ("gross_revenue_usd", "gross_revenue_cents"),
        ("platform_fees_usd", "platform_fees_cents"),
        ("processing_fees_usd", "processing_fees_cents"),
        ("net_creator_earnings_usd", "net_earnings_cents"),
        ("declined_amount_usd", "declined_cents"),
    ):
        out[target] = out[source] / 100
    for name, rate, warning, critical, higher_is_better in HEALTH_BANDS:
        out[name] = health(out[rate], warning, critical, higher_is_better)
    for column in COUNT_COLUMNS:
        out[column] = out[column].astype("int64")

    attributes = creators.rename(
        columns={
            "category": "creator_category",
            "subcategory": "creator_subcategory",
            "status": "creator_status",
        }
    )[
        [
            "creator_id",
            "creator_name",
            "creator_category",
            "creator_subcategory",
            "plan_type",
            "country_code",
            "creator_status",
        ]
    ]
    out = out.merge(attributes, on="creator_id", how="left")
    # The as-of month is the month in progress; every earlier month is complete.
    out["is_complete_month"] = out["month_start_date"] < as_of_month
    # The latest complete month: the latest month that any creator has complete.
    latest_complete_month = out.loc[out["is_complete_month"], "month_start_date"].max()
    out["is_latest_complete_month"] = out["month_start_date"] == latest_complete_month
    out["month_start_date"] = out["month_start_date"].dt.date
    columns = ["month_start_date", "creator_id", *BOOLEAN_COLUMNS, *TEXT_COLUMNS, *COUNT_COLUMNS]
    columns += [*MONEY_COLUMNS, *PERCENT_COLUMNS]
    return out[columns]
