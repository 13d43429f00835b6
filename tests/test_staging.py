"""The staging layer: its build and tests pass on generated data, its derived fields match an
independent pandas computation, and each kind of bad input fails the test meant to catch it
(while the staging views still build)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from conftest import AS_OF_VARS
from dbt_harness import DbtProject, read_seed
from project_copy import PINNED_END_DATE

AS_OF = pd.Timestamp(f"{PINNED_END_DATE} 23:59:59")
SMALL_SCALE = 0.1
STAGING_MODELS = (
    "stg_creators",
    "stg_patrons",
    "stg_tiers",
    "stg_pledges",
    "stg_transactions",
    "stg_posts",
    "stg_engagement_events",
)
SINGULAR_TESTS = (
    "assert_transaction_amount_consistency",
    "assert_pledge_tier_belongs_to_creator",
    "assert_pledge_status_dates_consistent",
    "assert_transactions_within_pledge_life",
    "assert_engagement_after_post_publication",
    "assert_tier_specific_posts_have_creator_tier",
    "assert_no_orphaned_pledges",
    "assert_money_amounts_non_negative",
    "assert_timestamps_not_after_reference_instant",
    "assert_tier_ranks_unique_per_creator",
    "assert_pledge_amount_within_tier_price_band",
    "assert_first_and_last_columns_match_their_rows",
)
SPEC_MINIMUM_CORE_TESTS = 36


@dataclass
class BuildOutcome:
    """A dbt build's run_results and manifest, read right after the build."""

    project: DbtProject
    ok: bool
    output: str
    results: dict[str, dict[str, Any]]  # unique_id -> result
    manifest: dict[str, Any]

    def by_name(self, name_prefix: str) -> list[dict[str, Any]]:
        """Results of the nodes whose name starts with name_prefix."""
        nodes = self.manifest["nodes"]
        return [
            result
            for unique_id, result in self.results.items()
            if nodes.get(unique_id, {}).get("name", "").startswith(name_prefix)
        ]


def build_staging(
    project: DbtProject, selection: str = "path:models/staging", *extra: str
) -> BuildOutcome:
    """`dbt build` of the source `raw` and the staging views (all, or a selection) with the
    tests of exactly those nodes (cautious indirect selection), at the pinned reference
    instant; the demo landing lands the raw tables first."""
    result = project.dbt(
        "build",
        "--select",
        selection,
        "--indirect-selection",
        "cautious",
        "--vars",
        AS_OF_VARS,
        *extra,
        check=False,
    )
    target = project.root / "target"
    run_results = json.loads((target / "run_results.json").read_text())
    manifest = json.loads((target / "manifest.json").read_text())
    results = {row["unique_id"]: row for row in run_results["results"]}
    return BuildOutcome(project, result.ok, result.output, results, manifest)


@pytest.fixture(scope="module")
def clean_staging(
    seed_sets: Callable[..., Path], make_project: Callable[..., DbtProject]
) -> BuildOutcome:
    """Raw tables landed from an untouched small data set, and staging built on them."""
    return build_staging(make_project("staging_clean", seed_sets(scale=SMALL_SCALE)))


def test_default_build_passes(built_project: DbtProject) -> None:
    """The whole project builds, with every test passing, on the default data set (scale 1)."""
    assert built_project.build_result is not None
    assert built_project.build_result.ok, built_project.build_result.output[-6000:]


def test_staging_build_runs_the_core_and_singular_tests(clean_staging: BuildOutcome) -> None:
    """The raw contract, the views and all their tests pass; the spec's 36 core tests are all
    there, on the staging view or on the raw table it reads (the raw columns' checks)."""
    assert clean_staging.ok, clean_staging.output[-6000:]
    nodes = clean_staging.manifest["nodes"]
    core_tests = [
        unique_id
        for unique_id in clean_staging.results
        if unique_id.startswith("test.patreon_analytics.")
        and "test_metadata" in nodes[unique_id]
        and nodes[unique_id]["depends_on"]["nodes"][0].startswith(
            ("model.patreon_analytics.stg_", "source.patreon_analytics.raw.")
        )
    ]
    assert len(core_tests) >= SPEC_MINIMUM_CORE_TESTS
    kinds = {nodes[unique_id]["test_metadata"]["name"] for unique_id in core_tests}
    assert {"unique", "not_null", "accepted_values", "relationships"} <= kinds
    for name in SINGULAR_TESTS:
        (result,) = clean_staging.by_name(name)
        assert result["status"] == "pass", name
    raw_castable = clean_staging.by_name("source_is_castable_raw_")
    assert len(raw_castable) >= 26
    assert all(result["status"] == "pass" for result in raw_castable)
    raw_contract = clean_staging.by_name("source_matches_declared_columns_raw_")
    assert len(raw_contract) == 7 and all(r["status"] == "pass" for r in raw_contract)
    for model in STAGING_MODELS:
        (result,) = [r for r in clean_staging.by_name(model) if r["unique_id"].startswith("model.")]
        assert result["status"] == "success", model


def test_derived_fields_match_pandas(clean_staging: BuildOutcome) -> None:
    """Derived staging fields agree with the same definitions computed in pandas from the CSVs."""
    project = clean_staging.project
    seeds = project.seeds_dir

    patrons = read_seed(seeds, "patrons")
    spend = patrons["lifetime_spend_usd"].astype(float)
    expected_tier = pd.cut(
        spend,
        bins=[0, 50, 250, 1000, float("inf")],
        right=False,
        labels=["casual", "regular", "high_value", "whale"],
    ).astype(str)
    staged = project.frame(
        "select patron_id, patron_value_tier from analytics_staging.stg_patrons"
    ).set_index("patron_id")["patron_value_tier"]
    assert (staged.loc[patrons["patron_id"]].to_numpy() == expected_tier.to_numpy()).all()

    creators = read_seed(seeds, "creators")
    created = pd.to_datetime(creators["created_at"])
    first = pd.to_datetime(creators["first_pledge_received_at"].replace("", None))
    expected_days = (first.dt.normalize() - created.dt.normalize()).dt.days
    months = (AS_OF.year - created.dt.year) * 12 + (AS_OF.month - created.dt.month)
    expected_months = months - (created.dt.day > AS_OF.day).astype(int)
    staged_creators = (
        project.frame(
            "select creator_id, days_to_first_pledge, account_age_months"
            " from analytics_staging.stg_creators"
        )
        .set_index("creator_id")
        .loc[creators["creator_id"]]
    )
    assert staged_creators["days_to_first_pledge"].fillna(-1).astype(int).tolist() == (
        expected_days.fillna(-1).astype(int).tolist()
    )
    assert staged_creators["account_age_months"].tolist() == expected_months.tolist()

    pledges = read_seed(seeds, "pledges")
    started = pd.to_datetime(pledges["started_at"])
    ended = pd.to_datetime(pledges["ended_at"].replace("", None))
    paused = pd.to_datetime(pledges["pause_started_at"].replace("", None))
    expected_active = (
        (started <= AS_OF) & (ended.isna() | (ended > AS_OF)) & (paused.isna() | (paused > AS_OF))
    )
    expected_duration = (ended.fillna(AS_OF).dt.normalize() - started.dt.normalize()).dt.days
    staged_pledges = (
        project.frame(
            "select pledge_id, is_currently_active, pledge_duration_days, pledge_month"
            " from analytics_staging.stg_pledges"
        )
        .set_index("pledge_id")
        .loc[pledges["pledge_id"]]
    )
    assert staged_pledges["is_currently_active"].tolist() == expected_active.tolist()
    assert staged_pledges["pledge_duration_days"].tolist() == expected_duration.tolist()
    assert (
        pd.to_datetime(staged_pledges["pledge_month"]).tolist()
        == started.dt.to_period("M").dt.to_timestamp().tolist()
    )

    transactions = read_seed(seeds, "transactions")
    gross = transactions["gross_amount_usd"].astype(float)
    expected_rate = (100 * transactions["platform_fee_usd"].astype(float) / gross).round(2)
    staged_rate = (
        project.frame(
            "select transaction_id, platform_fee_rate_pct from analytics_staging.stg_transactions"
        )
        .set_index("transaction_id")["platform_fee_rate_pct"]
        .loc[transactions["transaction_id"]]
    )
    assert (staged_rate.astype(float).to_numpy() - expected_rate.to_numpy()).__abs__().max() < 0.006

    weights = {"view": 1, "like": 3, "comment": 5, "share": 7, "unlike": 0}
    events = project.frame(
        "select event_type, engagement_weight from analytics_staging.stg_engagement_events"
    )
    assert (events["event_type"].map(weights) == events["engagement_weight"]).all()
    access = {"public": "free", "patron_only": "paywalled", "tier_specific": "premium"}
    posts = project.frame(
        "select access_level, content_access_type from analytics_staging.stg_posts"
    )
    assert (posts["access_level"].map(access) == posts["content_access_type"]).all()


# One bad value of each kind (malformed timestamp, non-numeric amount, unknown enum, duplicate
# key, orphan key, broken fee identity, missing value, and more) failing the test written for
# it, with the row named: tests/test_fault_injection.py.
