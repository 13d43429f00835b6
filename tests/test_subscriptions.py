"""The MRR bridge and the patron cohorts against an independent pandas reference.

tests/reference_subscriptions.py computes every bridge row (membership, creator and platform
grains) and every cohort cell (platform and per creator) from the seed CSVs, without SQL
and without the models; the built models must match it exactly (money to the cent, counts
exactly, rates within 0.01), on the default data set and on a second, smaller one. The
bridge's identity on every row is a dbt data test (`mrr_bridge_reconciles`) that the build
runs; here it is checked again on the stored rows, so a build that skipped it cannot pass.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from conftest import AS_OF_DATE, AS_OF_VARS
from dbt_harness import NO_TESTS, DbtProject
from reference_metrics import load_inputs
from reference_subscriptions import BRIDGE_COLUMNS, MOVEMENTS, cohorts, mrr_bridges

MEMBERSHIP_BRIDGE = "analytics_intermediate.int_memberships_classified_by_mrr_movement"
CREATOR_BRIDGE = "analytics_marts.fct_creator_mrr_bridge"
PLATFORM_BRIDGE = "analytics_marts.fct_platform_mrr_bridge"
CREATOR_COHORTS = "analytics_marts.fct_creator_patron_cohorts"
PLATFORM_COHORTS = "analytics_marts.fct_patron_cohorts"
# The bridge's columns in the models, in cents in the reference.
BRIDGE_USD = {column.replace("_cents", "_mrr_usd"): column for column in BRIDGE_COLUMNS}
COHORT_COUNTS = ("cohort_patrons", "active_patrons")
COHORT_CENTS = {"mrr_usd": "mrr_cents", "starting_mrr_usd": "starting_mrr_cents"}
COHORT_RATES = ("patron_retention_pct", "net_revenue_retention_pct")
RATE_TOLERANCE = 0.01
SHOWN = 8


def cents(values: pd.Series) -> pd.Series:
    return (values.astype(float) * 100).round().astype("int64")


def dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values)


def bridge_frame(project: DbtProject, relation: str, keys: list[str]) -> pd.DataFrame:
    """A bridge model's rows, amounts in cents, keyed like the reference."""
    frame = project.frame(f"select {', '.join([*keys, *BRIDGE_USD])} from {relation}")
    frame["month_start_date"] = dates(frame["month_start_date"])
    for usd, cents_column in BRIDGE_USD.items():
        frame[cents_column] = cents(frame.pop(usd))
    return frame


def compare(
    built: pd.DataFrame,
    expected: pd.DataFrame,
    keys: list[str],
    exact: list[str],
    rates: tuple[str, ...] = (),
) -> list[str]:
    """Messages for differing keys and, per column, the rows that differ (with examples)."""
    built_keys = pd.MultiIndex.from_frame(built[keys])
    expected_keys = pd.MultiIndex.from_frame(expected[keys])
    if len(built_keys) != len(expected_keys) or set(built_keys) != set(expected_keys):
        return [
            f"keys differ ({len(built_keys)} built, {len(expected_keys)} in the reference): "
            f"only built {list(built_keys.difference(expected_keys))[:SHOWN]}, "
            f"only in the reference {list(expected_keys.difference(built_keys))[:SHOWN]}"
        ]
    joined = built.merge(expected, on=keys, suffixes=("_built", "_reference"))
    problems = []
    for column in [*exact, *rates]:
        got, want = joined[f"{column}_built"], joined[f"{column}_reference"]
        if column in rates:
            same = (got.isna() & want.isna()) | (
                (got.astype(float) - want.astype(float)).abs() <= RATE_TOLERANCE + 1e-9
            )
        else:
            same = got == want
        bad = joined.loc[~same, [*keys, f"{column}_built", f"{column}_reference"]]
        if not bad.empty:
            problems.append(
                f"{column}: {len(bad)} rows differ, e.g.\n{bad.head(SHOWN).to_string(index=False)}"
            )
    return problems


def assert_bridges_match(project: DbtProject, reference: dict[str, pd.DataFrame]) -> None:
    membership_keys = ["creator_id", "patron_id", "month_start_date"]
    membership = bridge_frame(project, MEMBERSHIP_BRIDGE, membership_keys)
    moving = membership[list(BRIDGE_COLUMNS)].ne(0).any(axis=1)
    problems = compare(
        membership.loc[moving], reference["membership"], membership_keys, list(BRIDGE_COLUMNS)
    )
    creator_keys = ["creator_id", "month_start_date"]
    problems += compare(
        bridge_frame(project, CREATOR_BRIDGE, creator_keys),
        reference["creator"],
        creator_keys,
        list(BRIDGE_COLUMNS),
    )
    problems += compare(
        bridge_frame(project, PLATFORM_BRIDGE, ["month_start_date"]),
        reference["platform"],
        ["month_start_date"],
        list(BRIDGE_COLUMNS),
    )
    assert not problems, "\n\n".join(problems)


def cohort_frame(project: DbtProject, relation: str) -> pd.DataFrame:
    frame = project.frame(f"select * from {relation}")
    for column in ("cohort_month_start_date", "month_start_date"):
        frame[column] = dates(frame[column])
    for usd, cents_column in COHORT_CENTS.items():
        frame[cents_column] = cents(frame.pop(usd))
    return frame


def assert_cohorts_match(project: DbtProject, reference: dict[str, pd.DataFrame]) -> None:
    exact = [
        "month_start_date",
        "is_complete_month",
        *COHORT_COUNTS,
        *COHORT_CENTS.values(),
    ]
    problems = []
    for relation, grain, by in (
        (PLATFORM_COHORTS, "platform", []),
        (CREATOR_COHORTS, "creator", ["creator_id"]),
    ):
        expected = reference[grain].astype({column: "int64" for column in COHORT_COUNTS})
        problems += [
            f"{relation}: {problem}"
            for problem in compare(
                cohort_frame(project, relation),
                expected,
                [*by, "cohort_month_start_date", "months_since_start"],
                exact,
                COHORT_RATES,
            )
        ]
    assert not problems, "\n\n".join(problems)


@pytest.fixture(scope="module")
def project(passed_build: DbtProject) -> DbtProject:
    return passed_build


@pytest.fixture(scope="module")
def inputs(project: DbtProject) -> dict[str, pd.DataFrame]:
    return load_inputs(project.seeds_dir)


@pytest.fixture(scope="module")
def reference_bridges(inputs: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return mrr_bridges(inputs, AS_OF_DATE)


def test_bridges_match_the_reference(
    project: DbtProject, reference_bridges: dict[str, pd.DataFrame]
) -> None:
    """Every membership-month with MRR, every creator-month and every month, to the cent."""
    assert_bridges_match(project, reference_bridges)


def test_every_movement_happens_in_the_data(reference_bridges: dict[str, pd.DataFrame]) -> None:
    """The comparison above covers each movement, not only the common ones."""
    membership = reference_bridges["membership"]
    counts = {movement: int((membership[f"{movement}_cents"] > 0).sum()) for movement in MOVEMENTS}
    assert min(counts.values()) >= 20, counts


@pytest.mark.parametrize("relation", [MEMBERSHIP_BRIDGE, CREATOR_BRIDGE, PLATFORM_BRIDGE])
def test_bridge_reconciles_on_every_stored_row(project: DbtProject, relation: str) -> None:
    ((rows, broken),) = project.query(
        f"select count(*), count(case when opening_mrr_usd + new_business_mrr_usd"
        f" + expansion_mrr_usd + reactivation_mrr_usd - contraction_mrr_usd - churn_mrr_usd"
        f" <> closing_mrr_usd then 1 end) from {relation}"
    )
    assert rows > 0 and broken == 0, f"{broken} of {rows} rows of {relation} do not reconcile"


def test_platform_bridge_closes_at_the_marts_gross_mrr(project: DbtProject) -> None:
    ((differing,),) = project.query(
        f"select count(*) from {PLATFORM_BRIDGE} as bridge join (select month_start_date,"
        " sum(gross_mrr_usd) as gross_mrr_usd from"
        " analytics_marts.fct_creator_monthly_performance group by 1) as mart"
        " using (month_start_date) where bridge.closing_mrr_usd <> mart.gross_mrr_usd"
    )
    assert differing == 0


def test_cohorts_match_the_reference(project: DbtProject, inputs: dict[str, pd.DataFrame]) -> None:
    """Every cohort cell of the platform and of every creator."""
    assert_cohorts_match(project, cohorts(inputs, AS_OF_DATE))


def test_second_data_set_matches_the_reference(
    seed_sets: Callable[..., Path], make_project: Callable[..., DbtProject]
) -> None:
    """Seed 7 at scale 0.1: the agreement is not a property of one data set."""
    project = make_project("subscriptions_seed7", seed_sets(seed=7, scale=0.1))
    selected = ["+fct_platform_mrr_bridge", "+fct_patron_cohorts", "+fct_creator_patron_cohorts"]
    project.dbt("build", "--vars", AS_OF_VARS, "--select", *selected, *NO_TESTS)
    inputs = load_inputs(project.seeds_dir)
    assert_bridges_match(project, mrr_bridges(inputs, AS_OF_DATE))
    assert_cohorts_match(project, cohorts(inputs, AS_OF_DATE))
