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
from dbt_harness import DbtProject

AS_OF = pd.Timestamp("2026-10-31 23:59:59")
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

    def failed_test_names(self) -> set[str]:
        nodes = self.manifest["nodes"]
        return {
            nodes[unique_id]["name"]
            for unique_id, result in self.results.items()
            if unique_id.startswith("test.") and result["status"] in ("fail", "error")
        }


def build_staging(
    project: DbtProject, selection: str = "path:seeds path:models/staging", *extra: str
) -> BuildOutcome:
    """`dbt build` of seeds and staging views (all, or a selection) with the tests of exactly
    those nodes (cautious indirect selection), at the pinned reference instant."""
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
    """Seeds and staging built from an untouched small seed set."""
    return build_staging(make_project("staging_clean", seed_sets(scale=SMALL_SCALE)))


def test_default_build_passes(built_project: DbtProject) -> None:
    """The whole project builds, with every test passing, on the default data set (scale 1)."""
    assert built_project.build_result is not None
    assert built_project.build_result.ok, built_project.build_result.output[-6000:]


def test_staging_build_runs_the_core_and_singular_tests(clean_staging: BuildOutcome) -> None:
    """Seeds, views and all their tests pass; the spec's 36 core tests are all there."""
    assert clean_staging.ok, clean_staging.output[-6000:]
    nodes = clean_staging.manifest["nodes"]
    core_tests = [
        unique_id
        for unique_id in clean_staging.results
        if unique_id.startswith("test.patreon_analytics.")
        and "test_metadata" in nodes[unique_id]
        and (nodes[unique_id].get("attached_node") or "").startswith("model.patreon_analytics.stg_")
    ]
    assert len(core_tests) >= SPEC_MINIMUM_CORE_TESTS
    kinds = {nodes[unique_id]["test_metadata"]["name"] for unique_id in core_tests}
    assert {"unique", "not_null", "accepted_values", "relationships"} <= kinds
    for name in SINGULAR_TESTS:
        (result,) = clean_staging.by_name(name)
        assert result["status"] == "pass", name
    seed_castable = clean_staging.by_name("is_castable_")
    assert len(seed_castable) >= 26
    assert all(result["status"] == "pass" for result in seed_castable)
    for model in STAGING_MODELS:
        (result,) = [r for r in clean_staging.by_name(model) if r["unique_id"].startswith("model.")]
        assert result["status"] == "success", model


def read_seed(seeds_dir: Path, table: str) -> pd.DataFrame:
    """A seed CSV exactly as text: empty fields stay empty strings."""
    return pd.read_csv(seeds_dir / f"{table}.csv", dtype=str, keep_default_na=False)


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


Corrupt = Callable[[dict[str, pd.DataFrame]], set[str]]


def set_value(table: str, column: str, value: str) -> Corrupt:
    """A corruption: the first row's column gets value. Returns the row's key and the value."""

    def corrupt(frames: dict[str, pd.DataFrame]) -> set[str]:
        frames[table].loc[0, column] = value
        return {str(frames[table].iloc[0, 0]), value} - {""}

    return corrupt


def duplicate_first_row(table: str) -> Corrupt:
    """A corruption: the first row appears twice (a duplicate primary key)."""

    def corrupt(frames: dict[str, pd.DataFrame]) -> set[str]:
        frames[table] = pd.concat([frames[table], frames[table].iloc[[0]]], ignore_index=True)
        return {str(frames[table].iloc[0, 0])}

    return corrupt


def break_fee_identity(frames: dict[str, pd.DataFrame]) -> set[str]:
    """A corruption: one transaction's net payout is one dollar too high."""
    table = frames["transactions"]
    table.loc[0, "net_amount_usd"] = f"{float(table.loc[0, 'net_amount_usd']) + 1:.2f}"
    return {str(table.loc[0, "transaction_id"])}


@dataclass(frozen=True)
class Corruption:
    table: str
    apply: Corrupt
    expected_failures: tuple[str, ...]  # test-name prefixes that must fail
    also_needs: tuple[str, ...] = ()  # other seeds the expected tests read

    @property
    def selection(self) -> str:
        tables = (self.table, *self.also_needs)
        return " ".join([*tables, *(f"stg_{table}" for table in tables)])


CORRUPTIONS = {
    "malformed_timestamp": Corruption(
        "pledges",
        set_value("pledges", "started_at", "2024-13-45 25:61:00"),
        ("is_castable_pledges_started_at",),
    ),
    "non_numeric_amount": Corruption(
        "transactions",
        set_value("transactions", "gross_amount_usd", "12,50 USD"),
        ("is_castable_transactions_gross_amount_usd",),
    ),
    "unknown_enum": Corruption(
        "pledges",
        set_value("pledges", "pledge_status", "cancelled"),
        ("accepted_values_stg_pledges_pledge_status",),
    ),
    "duplicate_primary_key": Corruption(
        "creators", duplicate_first_row("creators"), ("unique_stg_creators_creator_id",)
    ),
    "orphan_foreign_key": Corruption(
        "pledges",
        set_value("pledges", "creator_id", "cr_9999"),
        ("relationships_stg_pledges_creator_id", "assert_no_orphaned_pledges"),
        also_needs=("creators",),
    ),
    "broken_fee_identity": Corruption(
        "transactions", break_fee_identity, ("assert_transaction_amount_consistency",)
    ),
    "missing_required_value": Corruption(
        "patrons", set_value("patrons", "email", ""), ("not_null_patrons_email",)
    ),
}


@pytest.mark.parametrize("kind", list(CORRUPTIONS))
def test_bad_input_fails_the_right_test(
    kind: str,
    clean_staging: BuildOutcome,
    seed_sets: Callable[..., Path],
    make_project: Callable[..., DbtProject],
) -> None:
    """One bad value fails the test written for it, naming the row; the views still build."""
    corruption = CORRUPTIONS[kind]
    project = make_project(f"staging_{kind}", seed_sets(scale=SMALL_SCALE))
    frames = {corruption.table: read_seed(project.seeds_dir, corruption.table)}
    markers = corruption.apply(frames)
    frames[corruption.table].to_csv(project.seeds_dir / f"{corruption.table}.csv", index=False)

    outcome = build_staging(project, corruption.selection, "--store-failures")

    assert clean_staging.ok, "the same tests must pass on the untouched data"
    assert not outcome.ok
    failed = outcome.failed_test_names()
    for prefix in corruption.expected_failures:
        assert any(name.startswith(prefix) for name in failed), (
            f"{prefix} did not fail; failed: {sorted(failed)}"
        )
        (result,) = outcome.by_name(prefix)
        assert result["status"] == "fail"
        # The stored failing rows name the broken row (its key, or the bad value itself).
        rows = project.query(f"select * from {result['relation_name']}")
        cells = {str(cell) for row in rows for cell in row}
        assert cells & markers, f"{prefix} rows {rows[:5]} do not name any of {markers}"
    # `dbt build` holds back views downstream of a failing seed test; run on its own, every
    # view still builds (try_cast, not cast) and keeps every raw row, the bad one included.
    project.dbt("run", "--select", f"stg_{corruption.table}", "--vars", AS_OF_VARS)
    staged_rows = project.query(f"select count(*) from analytics_staging.stg_{corruption.table}")
    assert staged_rows == [(len(frames[corruption.table]),)]
