"""Every analysis compiles with `dbt compile` and runs on the built DuckDB warehouse."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dbt_harness import REPO, DbtProject

ANALYSES = sorted(path.stem for path in (REPO / "analyses").glob("*.sql"))
MART = "patreon_dev.analytics_marts.fct_creator_monthly_performance"


@pytest.fixture(scope="module")
def compiled(built_project: DbtProject) -> Path:
    """Compile the analyses once; return the folder of their compiled SQL."""
    built_project.dbt("compile", "--select", "path:analyses")
    return built_project.root / "target" / "compiled" / "patreon_analytics" / "analyses"


@pytest.fixture(scope="module")
def results(built_project: DbtProject, compiled: Path) -> dict[str, pd.DataFrame]:
    """Each analysis's result on the built warehouse, by name."""
    build = built_project.build_result
    assert build is not None and build.ok, f"dbt build failed:\n{build.output[-4000:]}"
    return {name: built_project.frame((compiled / f"{name}.sql").read_text()) for name in ANALYSES}


def test_there_are_analyses() -> None:
    assert "top_creators_by_revenue" in ANALYSES
    assert len(ANALYSES) >= 8


@pytest.mark.parametrize("name", ANALYSES)
def test_analysis_compiles_to_plain_sql(compiled: Path, name: str) -> None:
    sql = (compiled / f"{name}.sql").read_text()
    assert "{{" not in sql and "{%" not in sql
    assert "analytics_marts" in sql, "analyses read the mart through ref()"


@pytest.mark.parametrize("name", ANALYSES)
def test_analysis_runs(results: dict[str, pd.DataFrame], name: str) -> None:
    frame = results[name]
    assert len(frame.columns) >= 2
    assert len(frame) > 0, f"{name} returned no rows on the default data"


def test_top_creators_by_mrr_is_the_latest_complete_months_top_ten(
    built_project: DbtProject, results: dict[str, pd.DataFrame]
) -> None:
    """ "Latest month" is the latest complete one: the month before the as-of month."""
    frame = results["top_creators_by_mrr_latest_month"]
    ((best, creators),) = built_project.query(
        f"select max(gross_mrr_usd), count(*) from {MART} "
        f"where month_start_date = (select max(month_start_date) - interval 1 month from {MART})"
    )
    assert len(frame) == min(10, creators)
    assert frame["gross_mrr_usd"].is_monotonic_decreasing
    assert float(frame["gross_mrr_usd"].iloc[0]) == pytest.approx(float(best))


def test_monthly_trends_have_one_row_per_month(
    built_project: DbtProject, results: dict[str, pd.DataFrame]
) -> None:
    frame = results["monthly_platform_trends"]
    ((months,),) = built_project.query(f"select count(distinct month_start_date) from {MART}")
    assert len(frame) == months
    assert frame["month_start_date"].is_unique
    # Only the last month, the as-of month, is in progress.
    flags = frame.sort_values("month_start_date")["is_complete_month"].tolist()
    assert flags == [True] * (months - 1) + [False]
    assert (frame["active_creators"] >= 0).all()


@pytest.mark.parametrize(
    ("name", "column"),
    [
        ("take_rate_by_plan", "take_rate_pct"),
        ("transaction_success_rate_over_time", "success_rate_pct"),
        ("churn_by_category", "avg_collection_rate"),
        ("content_engagement_by_category", "avg_engagement_rate"),
    ],
)
def test_percentages_are_between_0_and_100(
    results: dict[str, pd.DataFrame], name: str, column: str
) -> None:
    values = results[name][column].dropna().astype(float)
    assert len(values) > 0
    out_of_range = values[(values < 0) | (values > 100)]
    assert out_of_range.empty, f"{name}.{column} outside [0, 100]: {out_of_range.tolist()}"


def test_high_performers_meet_both_thresholds(results: dict[str, pd.DataFrame]) -> None:
    frame = results["high_performing_creators"]
    assert (frame["patron_engagement_rate_pct"].astype(float) > 50).all()
    assert (frame["gross_mrr_usd"].astype(float) > 1000).all()


def test_top_creators_by_revenue_are_creators_not_names(
    built_project: DbtProject, results: dict[str, pd.DataFrame]
) -> None:
    """Names repeat among creators: the top 20 are twenty creators (by id), each with its own
    revenue, not the revenue of every creator who shares a name."""
    creators = built_project.frame(
        f"select creator_id, any_value(creator_name) as creator_name,"
        f" sum(gross_revenue_usd) as total_revenue from {MART} group by 1"
    )
    assert creators["creator_name"].duplicated().any(), "no repeated name to tell apart"
    expected = creators.sort_values(["total_revenue", "creator_id"], ascending=[False, True])
    frame = results["top_creators_by_revenue"]
    assert "creator_id" in frame.columns, "rows are not identified by creator"
    assert list(frame["creator_id"]) == list(expected["creator_id"].head(20))
    assert list(frame["total_revenue"].astype(float)) == pytest.approx(
        list(expected["total_revenue"].head(20).astype(float))
    )
    assert (frame["creator_name"] == expected["creator_name"].head(20).to_numpy()).all()
