"""`dbt source freshness` measures each feed's newest event and applies the monthly SLA.

The default data ends on a fixed date while the clock moves on, so the default-data test checks
that each verdict follows from the measured age and the declared thresholds; two small data
sets, one ending today and one ending 70 days ago, check the verdicts themselves.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from dbt_harness import REPO, DbtProject

SOURCES_YML = REPO / "models" / "staging" / "_staging__sources.yml"
# Raw table -> the column whose newest value is the feed's freshness.
FEEDS = {
    "pledges": "started_at",
    "transactions": "transaction_at",
    "posts": "published_at",
    "engagement_events": "event_at",
}
DAY_S = 86_400


def thresholds_days() -> tuple[int, int]:
    """(warn_after, error_after) in days, as declared for the `raw` source."""
    source = next(
        s for s in yaml.safe_load(SOURCES_YML.read_text())["sources"] if s["name"] == "raw"
    )
    freshness = source["config"]["freshness"]
    for rule in ("warn_after", "error_after"):
        assert freshness[rule]["period"] == "day", "this test assumes day periods"
    return freshness["warn_after"]["count"], freshness["error_after"]["count"]


def freshness_results(project: DbtProject) -> tuple[int, dict[str, dict]]:
    """Run `dbt source freshness`; return its exit code and the results by table name."""
    result = project.dbt("source", "freshness", check=False)
    sources_json = project.root / "target" / "sources.json"
    assert sources_json.exists(), f"no sources.json:\n{result.output[-3000:]}"
    results = json.loads(sources_json.read_text())["results"]
    return result.returncode, {r["unique_id"].rsplit(".", 1)[-1]: r for r in results}


def utc(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def test_only_the_event_feeds_have_freshness(built_project: DbtProject) -> None:
    _, results = freshness_results(built_project)
    assert set(results) == set(FEEDS)


def test_default_data_verdicts_follow_the_measured_age(built_project: DbtProject) -> None:
    warn_days, error_days = thresholds_days()
    returncode, results = freshness_results(built_project)
    for table, column in FEEDS.items():
        result = results[table]
        ((newest,),) = built_project.query(
            f"select max(try_cast({column} as timestamp)) from analytics_raw.{table}"
        )
        assert utc(result["max_loaded_at"]) == newest.replace(tzinfo=timezone.utc), table
        age = utc(result["snapshotted_at"]) - utc(result["max_loaded_at"])
        expected = (
            "pass"
            if age < timedelta(days=warn_days)
            else "warn"
            if age < timedelta(days=error_days)
            else "error"
        )
        assert result["status"] == expected, f"{table}: age {age}, status {result['status']}"
    any_error = any(r["status"] == "error" for r in results.values())
    assert (returncode != 0) == any_error


@pytest.fixture(scope="module")
def today() -> date:
    return datetime.now(timezone.utc).date()


def seeded_project(
    seed_sets: Callable[..., Path], make_project: Callable[..., DbtProject], end: date, name: str
) -> DbtProject:
    # `dbt source freshness` runs the project's hooks: the demo landing lands the CSVs first.
    return make_project(name, seed_sets(scale=0.05, end_date=end.isoformat()))


def test_a_feed_ending_today_passes(seed_sets, make_project, today: date) -> None:
    project = seeded_project(seed_sets, make_project, today, "fresh_feed")
    returncode, results = freshness_results(project)
    assert returncode == 0
    stale = {t: r["status"] for t, r in results.items() if r["status"] != "pass"}
    assert not stale, f"feeds ending {today} should be fresh: {stale}"


def test_a_feed_that_stopped_70_days_ago_errors(seed_sets, make_project, today: date) -> None:
    _, error_days = thresholds_days()
    assert error_days < 70, "pick an older end date for this test"
    project = seeded_project(seed_sets, make_project, today - timedelta(days=70), "stale_feed")
    returncode, results = freshness_results(project)
    assert returncode != 0
    assert {r["status"] for r in results.values()} == {"error"}
    for result in results.values():
        assert result["max_loaded_at_time_ago_in_s"] > error_days * DAY_S
