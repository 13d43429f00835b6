"""The semantic layer (MetricFlow) against the mart and an independent pandas reference.

Every check runs the `mf` CLI, as a consumer would, on the default data set's built copy of
the project (the session's `built_project`; DuckDB). `mf` runs `dbt debug` before each
command, so the metrics are batched into a few queries. What is proved:
- `mf validate-configs` passes, warehouse checks included;
- the summable metrics by month equal the mart's column sums by month, and MRR growth and
  lifetime revenue equal what those sums give;
- `unique_active_patrons` by month equals distinct active patrons computed in pandas;
- the five rates by plan type and by creator category equal sum-over-sum rates computed in
  pandas from the CSVs (tests/reference_semantic.py), never from the SQL's output;
- revenue is available by day, and the four dashboards' saved queries run, without the
  month in progress;
- the MRR bridge's metrics equal the platform bridge by month and reconcile by quarter
  (opening the first month's, closing the last month's);
- additive metrics are 0, not NULL, in a group that has rows for another metric of the
  query but none for them (the mart says 0 there);
- the README's `mf` commands run as written.
"""

from __future__ import annotations

import re
import shlex
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import pytest

from conftest import AS_OF_DATE
from dbt_harness import BIN, REPO, DbtProject
from reference_semantic import platform_inputs, rates_by, unique_active_patrons_by_month

MF = str(BIN / "mf")
MART = "analytics_marts.fct_creator_monthly_performance"
MONTH = "metric_time__month"
RATES = [
    "platform_take_rate",
    "patron_churn_rate",
    "collection_rate",
    "decline_rate",
    "patron_engagement_rate",
]
# semantic-layer metric: the mart column whose sum by month it must equal
MART_SUMS = {
    "gross_mrr": "gross_mrr_usd",
    "new_mrr": "new_mrr_usd",
    "churned_mrr": "churned_mrr_usd",
    "active_patrons": "active_patrons",
    "new_patrons": "new_patrons",
    "churned_patrons": "churned_patrons",
    "total_patrons": "total_patrons",
    "engaged_patrons": "engaged_patrons",
    "gross_revenue": "gross_revenue_usd",
    "platform_fees": "platform_fees_usd",
    "processing_fees": "processing_fees_usd",
    "net_creator_earnings": "net_creator_earnings_usd",
    "declined_amount": "declined_amount_usd",
    "successful_transactions": "successful_transactions",
    "failed_transactions": "failed_transactions",
    "posts_published": "posts_published",
    "total_views": "total_views",
    "total_likes": "total_likes",
    "total_comments": "total_comments",
    "total_engagement_score": "total_engagement_score",
}
# The MRR bridge's metrics: the platform bridge's column each must equal by month.
BRIDGE_METRICS = {
    "opening_mrr": "opening_mrr_usd",
    "new_business_mrr": "new_business_mrr_usd",
    "expansion_mrr": "expansion_mrr_usd",
    "contraction_mrr": "contraction_mrr_usd",
    "reactivation_mrr": "reactivation_mrr_usd",
    "churn_mrr": "churn_mrr_usd",
    "closing_mrr": "closing_mrr_usd",
}
PLATFORM_BRIDGE = "analytics_marts.fct_platform_mrr_bridge"
# health_metrics runs in the README commands (one mf start fewer: each costs 5-15 s).
SAVED_QUERIES = ["platform_overview", "creator_performance", "engagement"]
MONEY_TOLERANCE = 0.005
RATE_TOLERANCE = 0.01


def run_mf(project: DbtProject, *args: str) -> str:
    """`mf <args>` in the project copy; fails the test with mf's output."""
    proc = subprocess.run(
        [MF, *args], cwd=project.root, env=project.env(), capture_output=True, text=True
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"mf {' '.join(args)} failed:\n{output[-6000:]}"
    return output


def mf_query(project: DbtProject, csv: Path, *args: str) -> pd.DataFrame:
    """An `mf query`'s result table, read from the CSV it writes."""
    run_mf(project, "query", *args, "--csv", str(csv), "--quiet")
    return pd.read_csv(csv)


def by_month(frame: pd.DataFrame) -> pd.DataFrame:
    """An mf result indexed by month (a date)."""
    months = pd.to_datetime(frame[MONTH]).dt.date.rename("month_start_date")
    return frame.drop(columns=MONTH).set_index(months).sort_index()


def mismatches(
    got: pd.Series, want: pd.Series, tolerance: float, label: str, shown: int = 5
) -> list[str]:
    """Where two series differ by more than tolerance, or one is missing, with examples."""
    joined = pd.concat({"semantic_layer": got, "expected": want}, axis=1).astype(float)
    diff = (joined["semantic_layer"] - joined["expected"]).abs()
    both_missing = joined["semantic_layer"].isna() & joined["expected"].isna()
    bad = joined.loc[~(both_missing | (diff <= tolerance + 1e-9))]
    if bad.empty:
        return []
    return [f"{label}: {len(bad)} of {len(joined)} differ, e.g.\n{bad.head(shown).to_string()}"]


@pytest.fixture(scope="module")
def project(passed_build: DbtProject) -> DbtProject:
    return passed_build


@pytest.fixture(scope="module")
def reference(project: DbtProject) -> tuple[pd.DataFrame, pd.DataFrame]:
    return platform_inputs(project.seeds_dir, AS_OF_DATE)


@pytest.fixture(scope="module")
def monthly(project: DbtProject, tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    """Every summable metric, unique_active_patrons, MRR growth and lifetime revenue by
    month, in one query (the cumulative metric would run on to the time spine's end)."""
    metrics = [
        *MART_SUMS,
        *BRIDGE_METRICS,
        "net_new_mrr",
        "unique_active_patrons",
        "mrr_growth_rate",
        "lifetime_revenue",
    ]
    csv = tmp_path_factory.mktemp("mf_monthly") / "monthly.csv"
    frame = mf_query(
        project,
        csv,
        "--metrics",
        ",".join(metrics),
        "--group-by",
        MONTH,
        "--end-time",
        AS_OF_DATE,
    )
    return by_month(frame)


@pytest.fixture(scope="module")
def mart_monthly(project: DbtProject) -> pd.DataFrame:
    columns = ", ".join(f"sum({column}) as {column}" for column in MART_SUMS.values())
    frame = project.frame(f"select month_start_date, {columns} from {MART} group by 1 order by 1")
    frame["month_start_date"] = pd.to_datetime(frame["month_start_date"]).dt.date
    return frame.set_index("month_start_date").astype(float)


def rates_query(project: DbtProject, tmp_path: Path, dimension: str) -> pd.DataFrame:
    frame = mf_query(
        project, tmp_path / "rates.csv", "--metrics", ",".join(RATES), "--group-by", dimension
    )
    return frame.set_index(dimension).sort_index()


def test_validate_configs_passes_against_the_warehouse(project: DbtProject) -> None:
    output = run_mf(project, "validate-configs")
    assert "Breaking issues" not in output, output[-4000:]
    assert "Successfully validated metrics against data warehouse" in output, output[-4000:]


def test_sums_by_month_equal_the_mart(monthly: pd.DataFrame, mart_monthly: pd.DataFrame) -> None:
    assert list(monthly.index) == list(mart_monthly.index), "months differ from the mart's"
    assert len(monthly) > 60, f"only {len(monthly)} months"
    problems = []
    for metric, column in MART_SUMS.items():
        problems += mismatches(
            monthly[metric].fillna(0), mart_monthly[column], MONEY_TOLERANCE, metric
        )
    assert not problems, "\n\n".join(problems)


def test_mrr_bridge_metrics_by_month_equal_the_platform_bridge(
    project: DbtProject, monthly: pd.DataFrame
) -> None:
    columns = ", ".join(BRIDGE_METRICS.values())
    bridge = project.frame(f"select month_start_date, {columns} from {PLATFORM_BRIDGE}")
    bridge = bridge.set_index(pd.to_datetime(bridge["month_start_date"]).dt.date).astype(
        {column: float for column in BRIDGE_METRICS.values()}
    )
    problems = []
    for metric, column in BRIDGE_METRICS.items():
        problems += mismatches(monthly[metric], bridge[column], MONEY_TOLERANCE, metric)
    net = bridge["closing_mrr_usd"] - bridge["opening_mrr_usd"]
    problems += mismatches(monthly["net_new_mrr"], net, MONEY_TOLERANCE, "net_new_mrr")
    assert not problems, "\n\n".join(problems)


def test_mrr_bridge_reconciles_by_quarter(
    project: DbtProject, monthly: pd.DataFrame, tmp_path: Path
) -> None:
    """A quarter opens at its first month's opening and closes at its last month's closing;
    the movements add up over its months, so the bridge holds at a coarser grain too."""
    quarterly = mf_query(
        project,
        tmp_path / "quarterly.csv",
        *("--metrics", ",".join([*BRIDGE_METRICS, "net_new_mrr"])),
        *("--group-by", "metric_time__quarter", "--end-time", AS_OF_DATE),
    )
    quarters = pd.to_datetime(quarterly["metric_time__quarter"]).dt.date
    quarterly = quarterly.drop(columns="metric_time__quarter").set_index(quarters)
    months = monthly[list(BRIDGE_METRICS)].fillna(0)
    month_quarter = pd.PeriodIndex(pd.to_datetime(months.index), freq="Q").start_time.date
    grouped = months.groupby(month_quarter)
    expected = grouped.sum()
    expected["opening_mrr"] = grouped["opening_mrr"].first()
    expected["closing_mrr"] = grouped["closing_mrr"].last()
    assert len(quarterly) > 20
    problems = []
    for metric in BRIDGE_METRICS:
        problems += mismatches(quarterly[metric], expected[metric], MONEY_TOLERANCE, metric)
    change = quarterly["closing_mrr"] - quarterly["opening_mrr"]
    problems += mismatches(quarterly["net_new_mrr"], change, MONEY_TOLERANCE, "net_new_mrr")
    assert not problems, "\n\n".join(problems)


def test_additive_metrics_are_zero_not_null_where_a_group_has_no_rows(
    project: DbtProject, tmp_path: Path
) -> None:
    """Early months have creators (so MRR rows) but some categories have no payment or
    engagement yet: revenue and views are 0 there, as in the mart, not NULL."""
    metrics = {"gross_mrr": "gross_mrr_usd", "gross_revenue": "gross_revenue_usd"}
    metrics |= {"total_views": "total_views", "new_business_mrr": None}
    frame = mf_query(
        project,
        tmp_path / "early.csv",
        *("--metrics", ",".join(metrics)),
        *("--group-by", f"{MONTH},creator__creator_category"),
        *("--end-time", "2021-12-31"),
    )
    assert len(frame) > 20, frame
    missing = frame[frame[list(metrics)].isna().any(axis=1)]
    assert missing.empty, f"NULL where the mart says 0:\n{missing.head(10).to_string()}"
    mart = project.frame(
        f"select month_start_date, creator_category, sum(gross_mrr_usd) as gross_mrr_usd,"
        f" sum(gross_revenue_usd) as gross_revenue_usd, sum(total_views) as total_views"
        f" from {MART} where month_start_date <= '2021-12-01' group by 1, 2"
    )
    keys = [pd.to_datetime(frame[MONTH]).dt.date, frame["creator__creator_category"]]
    got = frame.set_index(keys)
    want = mart.set_index([pd.to_datetime(mart["month_start_date"]).dt.date, "creator_category"])
    assert (want["gross_revenue_usd"] == 0).any(), "no month without revenue to check"
    problems = []
    for metric, column in metrics.items():
        if column:
            problems += mismatches(got[metric], want[column].astype(float), 0.005, metric)
    assert not problems, "\n\n".join(problems)


def test_mrr_growth_and_lifetime_revenue_follow_the_mart(
    monthly: pd.DataFrame, mart_monthly: pd.DataFrame
) -> None:
    mrr = mart_monthly["gross_mrr_usd"]
    prior = mrr.shift(1).where(lambda values: values != 0)
    growth = (100 * (mrr - prior) / prior).round(2)
    lifetime = mart_monthly["gross_revenue_usd"].cumsum()
    problems = mismatches(
        monthly["mrr_growth_rate"].iloc[1:], growth.iloc[1:], RATE_TOLERANCE, "mrr_growth_rate"
    )
    # Before the first payment there is no lifetime revenue yet (NULL): 0.
    problems += mismatches(
        monthly["lifetime_revenue"].fillna(0), lifetime, MONEY_TOLERANCE, "lifetime_revenue"
    )
    assert not problems, "\n\n".join(problems)


def test_unique_active_patrons_by_month_match_the_reference(
    monthly: pd.DataFrame, reference: tuple[pd.DataFrame, pd.DataFrame]
) -> None:
    expected = unique_active_patrons_by_month(reference[1])
    expected.index = pd.to_datetime(expected.index).date
    got = monthly["unique_active_patrons"]
    assert set(expected.index) <= set(got.index), "months with active patrons are missing"
    # A month before anyone was active is 0 (fill_nulls_with), not missing.
    expected = expected.reindex(got.index, fill_value=0)
    problems = mismatches(got, expected, 0, "unique_active_patrons")
    assert not problems, "\n\n".join(problems)
    # Patrons of several creators: the distinct count is below the sum over creators.
    latest = got.index.max()
    assert got[latest] < monthly.loc[latest, "active_patrons"]


@pytest.mark.parametrize(
    ("dimension", "column"),
    [("creator__plan_type", "plan_type"), ("creator__creator_category", "creator_category")],
)
def test_rates_by_creator_attribute_match_the_reference(
    project: DbtProject,
    reference: tuple[pd.DataFrame, pd.DataFrame],
    tmp_path: Path,
    dimension: str,
    column: str,
) -> None:
    got = rates_query(project, tmp_path, dimension)
    expected = rates_by(reference[0], column)
    assert set(got.index) == set(expected.index)
    assert len(got) > 1
    problems = []
    for rate in RATES:
        problems += mismatches(got[rate], expected[rate], RATE_TOLERANCE, f"{rate} by {column}")
    assert not problems, "\n\n".join(problems)


def test_revenue_by_day_adds_up_to_the_months(
    project: DbtProject, monthly: pd.DataFrame, tmp_path: Path
) -> None:
    daily = mf_query(
        project,
        tmp_path / "daily.csv",
        "--metrics",
        "gross_revenue",
        "--group-by",
        "metric_time__day",
    )
    days = pd.to_datetime(daily["metric_time__day"])
    assert days.dt.day.nunique() > 28, "not a day grain"
    months = days.dt.to_period("M").dt.to_timestamp().dt.date
    # A month without a payment has no day in the daily result and 0 in the monthly one.
    summed = daily.groupby(months)["gross_revenue"].sum().reindex(monthly.index, fill_value=0)
    problems = mismatches(summed, monthly["gross_revenue"], 0.01, "gross_revenue")
    assert not problems, "\n\n".join(problems)


@pytest.mark.parametrize("saved_query", SAVED_QUERIES)
def test_saved_query_runs_without_the_month_in_progress(
    project: DbtProject, mart_monthly: pd.DataFrame, tmp_path: Path, saved_query: str
) -> None:
    frame = by_month(mf_query(project, tmp_path / "saved.csv", "--saved-query", saved_query))
    assert not frame.empty
    complete_months: Sequence = mart_monthly.index[:-1]
    assert frame.index.max() == complete_months[-1], "the month in progress is not left out"
    if "gross_mrr" in frame.columns:
        latest = frame.loc[[complete_months[-1]], "gross_mrr"].sum()
        assert abs(latest - mart_monthly["gross_mrr_usd"].iloc[-2]) < MONEY_TOLERANCE


def readme_mf_commands() -> list[str]:
    """The `mf` command lines of the README's code blocks."""
    blocks = re.findall(r"```bash\n(.*?)```", (REPO / "README.md").read_text(), flags=re.S)
    return [line for block in blocks for line in block.splitlines() if line.startswith("mf ")]


def test_readme_mf_commands_run_as_written(project: DbtProject) -> None:
    commands = readme_mf_commands()
    assert len(commands) >= 4, commands
    for command in commands:
        output = run_mf(project, *shlex.split(command)[1:])
        assert "ERROR" not in output, f"{command}:\n{output[-3000:]}"
