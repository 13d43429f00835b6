"""The four dashboards: one definition of every dataset, run on DuckDB, rendered two ways.

dashboards/datasets/*.sql are the only copies of the queries. The committed Lakeview files
(dashboards/*.lvdash.json) must be what scripts/dashboards.py generates from them; every
dataset runs on the built DuckDB warehouse and returns rows; "latest month" is the latest
complete month; the widgets read columns the datasets have; the local HTML rendering is
self-contained and renders in headless chromium without JavaScript errors (the Spark suite
runs the same SQL on Spark: tests/test_spark.py).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import yaml

import dashboards
from dbt_harness import REPO, DbtProject

MART = "analytics_marts.fct_creator_monthly_performance"
PLATFORM_BRIDGE = "analytics_marts.fct_platform_mrr_bridge"
CHROMIUM = Path("/usr/bin/chromium")
# The default build's as-of month (tests/conftest.py pins as_of_date to 2026-10-31).
AS_OF_MONTH = date(2026, 10, 1)
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Any attempt to reach the network fails, and the page's error box records it.
    "--host-resolver-rules=MAP * ~NOTFOUND",
    # Console messages (uncaught errors included) go to stderr as INFO:CONSOLE lines.
    "--enable-logging=stderr",
    "--v=0",
    "--virtual-time-budget=15000",
    "--window-size=1400,1500",
]
DASHBOARDS = dashboards.load_dashboards()
DATASETS = sorted(path.stem for path in dashboards.DATASETS_DIR.glob("*.sql"))


@pytest.fixture(scope="module")
def warehouse(built_project: DbtProject) -> Path:
    build = built_project.build_result
    assert build is not None and build.ok, f"dbt build failed:\n{build.output[-4000:]}"
    return built_project.warehouse


@pytest.fixture(scope="module")
def results(warehouse: Path) -> dict[str, pd.DataFrame]:
    """Every dataset's result on the default build, each query run once."""
    return dashboards.run_datasets(warehouse, DATASETS)


@pytest.fixture(scope="module")
def mart(built_project: DbtProject, warehouse: Path) -> pd.DataFrame:
    return built_project.frame(f"select * from {MART}")


@pytest.fixture(scope="module")
def latest_complete_month(mart: pd.DataFrame) -> date:
    month = mart.loc[mart["is_complete_month"], "month_start_date"].max()
    return pd.Timestamp(month).date()


def test_the_four_dashboards_of_the_spec() -> None:
    titles = [dashboard.title for dashboard in DASHBOARDS]
    assert titles == ["Platform Overview", "Creator Performance", "Health Metrics", "Engagement"]


def test_the_mrr_bridge_and_cohorts_are_pages_of_the_platform_overview() -> None:
    platform = DASHBOARDS[0]
    pages = {page.name: {widget.type for widget in page.widgets} for page in platform.pages}
    assert "waterfall" in pages["mrr_bridge"] and "heatmap" in pages["patron_cohorts"]
    definition = json.loads(dashboards.lvdash_file(platform).read_text())
    assert [page["name"] for page in definition["pages"]] == [
        "platform_overview",
        "platform_overview_mrr_bridge",
        "platform_overview_patron_cohorts",
    ]


def test_committed_lvdash_files_are_generated_from_the_datasets() -> None:
    stale = [
        dashboard.name
        for dashboard in DASHBOARDS
        if dashboards.lvdash_file(dashboard).read_text() != dashboards.lvdash_text(dashboard)
    ]
    assert not stale, f"stale .lvdash.json: {stale}; run python scripts/dashboards.py lvdash"
    committed = sorted(path.name for path in dashboards.DASHBOARDS_DIR.glob("*.lvdash.json"))
    assert committed == sorted(f"{dashboard.name}.lvdash.json" for dashboard in DASHBOARDS)


def test_the_sync_check_fails_on_a_stale_file(tmp_path: Path, monkeypatch) -> None:
    dashboard = DASHBOARDS[0]
    stale = tmp_path / dashboards.lvdash_file(dashboard).name
    stale.write_text(dashboards.lvdash_text(dashboard).replace("month_start_date", "month"))
    monkeypatch.setattr(dashboards, "lvdash_file", lambda _: stale)
    assert dashboards.write_lvdash(check=True) == 1


def test_every_dataset_is_used_and_defined_once() -> None:
    used = {name for dashboard in DASHBOARDS for name in dashboard.datasets}
    assert used == set(DATASETS), f"unused: {set(DATASETS) - used}, missing: {used - set(DATASETS)}"
    for dashboard in DASHBOARDS:
        definition = json.loads(dashboards.lvdash_file(dashboard).read_text())
        for dataset in definition["datasets"]:
            assert "".join(dataset["queryLines"]) == dashboards.dataset_sql(dataset["name"])
            assert dataset["name"].startswith(f"{dashboard.name}__")


def test_datasets_read_only_the_marts() -> None:
    for name in DATASETS:
        tables = set(re.findall(r"\b(?:from|join)\s+([\w.]+)", dashboards.dataset_sql(name)))
        schemas = {table.split(".")[0] for table in tables if "." in table}
        assert schemas == {"analytics_marts"}, f"{name} reads {tables}"


@pytest.mark.parametrize("name", DATASETS)
def test_dataset_returns_rows_on_duckdb(results: dict[str, pd.DataFrame], name: str) -> None:
    assert len(results[name]) > 0, f"{name} returned no rows"


def fits(kind: str, series: pd.Series) -> bool:
    """Whether a result column's values are of a Lakeview table type: `integer` only whole
    numbers (its format shows no decimals; DuckDB may return a sum of integers as a float),
    `float` any numbers, `datetime` dates or times, `string` text."""
    values = series.dropna()
    if kind == "datetime":
        return pd.api.types.is_datetime64_any_dtype(series) or values.map(type).eq(date).all()
    if kind in ("integer", "float"):
        numeric = pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)
        return numeric and (kind == "float" or bool((values == values.round()).all()))
    return bool(values.map(lambda value: isinstance(value, str)).all())


def test_table_columns_declare_the_type_their_dataset_returns(
    results: dict[str, pd.DataFrame],
) -> None:
    """Lakeview formats a table column by its declared type (spec version 1, as Databricks
    exports it); the type is inferred from the column's name, checked here against the data."""
    wrong = {}
    for dashboard in DASHBOARDS:
        definition = json.loads(dashboards.lvdash_file(dashboard).read_text())
        specs = [layout["widget"].get("spec", {}) for layout in definition["pages"][0]["layout"]]
        for spec in specs:
            if spec.get("widgetType") != "table":
                continue
            assert spec["version"] == 1 and spec["itemsPerPage"] > 0
            dataset = next(
                widget.dataset
                for widget in dashboard.widgets
                if widget.type == "table" and widget.title == spec["frame"]["title"]
            )
            for column in spec["encodings"]["columns"]:
                values = results[dataset][column["fieldName"]]
                if not fits(column["type"], values):
                    wrong[f"{dataset}.{column['fieldName']}"] = (column["type"], str(values.dtype))
                assert {"displayAs", "title", "order", "alignContent", "visible"} <= set(column)
    assert not wrong, f"declared type vs returned values: {wrong}"


def test_colours_follow_the_dashboard_theme() -> None:
    """Chart colours name positions in the theme's palette, never bare colour strings."""
    for dashboard in DASHBOARDS:
        text = dashboards.lvdash_file(dashboard).read_text()
        for mapping in re.findall(r'"mappings": (\[.*?\])', text, flags=re.S):
            for entry in json.loads(mapping):
                assert entry["color"]["themeColorType"] == "visualizationColors", entry
    assert dashboards.BAND_COLOURS["healthy"] != dashboards.BAND_COLOURS["critical"]


def test_widgets_read_columns_their_dataset_has(results: dict[str, pd.DataFrame]) -> None:
    missing = [
        (dashboard.name, widget.title, column)
        for dashboard in DASHBOARDS
        for widget in dashboard.widgets
        for column in widget.fields
        if column not in results[widget.dataset].columns
    ]
    assert not missing, missing


def test_latest_month_is_the_latest_complete_month(
    results: dict[str, pd.DataFrame], latest_complete_month: date
) -> None:
    assert latest_complete_month < AS_OF_MONTH
    for name, frame in results.items():
        if "month_start_date" not in frame.columns:
            continue
        months = {pd.Timestamp(month).date() for month in frame["month_start_date"]}
        assert AS_OF_MONTH not in months, f"{name} shows the month in progress"
        if name.endswith("__kpis") or name.endswith("__top_creators"):
            assert months == {latest_complete_month}, f"{name}: {months}"
        else:
            assert max(months) == latest_complete_month, f"{name}: ends {max(months)}"


def test_platform_kpis_agree_with_the_mart(
    results: dict[str, pd.DataFrame], mart: pd.DataFrame, latest_complete_month: date
) -> None:
    month = mart[mart["month_start_date"].dt.date == latest_complete_month]
    kpis = results["platform_overview__kpis"].iloc[0]
    assert float(kpis["gross_mrr_usd"]) == pytest.approx(float(month["gross_mrr_usd"].sum()))
    assert kpis["active_creators"] == (month["active_patrons"] > 0).sum()
    fees, revenue = month["platform_fees_usd"].sum(), month["gross_revenue_usd"].sum()
    assert float(kpis["platform_take_rate_pct"]) == pytest.approx(
        float(100 * fees / revenue), abs=0.005
    )
    trends = results["platform_overview__monthly_trends"].iloc[-1]
    assert float(trends["gross_mrr_usd"]) == pytest.approx(float(kpis["gross_mrr_usd"]))


def test_top_creators_are_the_latest_complete_months_top_ten(
    results: dict[str, pd.DataFrame], mart: pd.DataFrame, latest_complete_month: date
) -> None:
    month = mart[mart["month_start_date"].dt.date == latest_complete_month]
    expected = month.sort_values(["gross_mrr_usd", "creator_id"], ascending=[False, True])
    top = results["creator_performance__top_creators"]
    assert list(top["creator_id"]) == list(expected["creator_id"].head(10))


def test_health_bands_count_every_rated_creator(
    results: dict[str, pd.DataFrame], mart: pd.DataFrame
) -> None:
    bands = results["health_metrics__bands_by_month"]
    assert set(bands["health_band"]) == set(dashboards.BAND_COLOURS)
    complete = mart[mart["is_complete_month"]]
    for metric in ("churn", "collection", "decline"):
        counted = bands.groupby("month_start_date")[f"{metric}_creators"].sum()
        rated = complete.groupby("month_start_date")[f"{metric}_health"].count()
        assert (counted.sort_index() == rated.sort_index()).all(), metric
    critical = results["health_metrics__critical_creators"]
    health = critical[["churn_health", "collection_health", "decline_health"]]
    assert (health == "critical").any(axis=1).all()


def test_tables_naming_creators_show_their_ids() -> None:
    """Creator names repeat (500 creators share far fewer names): every table that names a
    creator also shows the creator's id, so two rows of one name are told apart."""
    ambiguous = [
        (dashboard.name, widget.title)
        for dashboard in DASHBOARDS
        for widget in dashboard.widgets
        if widget.type == "table"
        and "creator_name" in widget.columns
        and "creator_id" not in widget.columns
    ]
    assert not ambiguous, f"tables naming creators without their id: {ambiguous}"


def test_truncated_tables_say_so() -> None:
    """A dataset cut at `limit n` shows n rows of more: its widgets' titles say n."""
    silent = []
    for dashboard in DASHBOARDS:
        for widget in dashboard.widgets:
            limit = re.search(r"\blimit\s+(\d+)\s*$", dashboards.dataset_sql(widget.dataset))
            if limit and not re.search(rf"\b{limit.group(1)}\b", widget.title):
                silent.append((widget.dataset, widget.title))
    assert not silent, f"truncated without saying so: {silent}"


def test_datasets_do_not_compute_rates() -> None:
    """Pooled rates are computed once, in fct_segment_monthly_performance (or the mart per
    creator-month): no dataset divides, so none can pool a rate differently."""
    dividing = []
    for name in DATASETS:
        code = re.sub(r"--[^\n]*", "", dashboards.dataset_sql(name))
        if re.search(r"nullif\s*\(|[^-]/", code):
            dividing.append(name)
    assert not dividing, f"datasets computing rates: {dividing}"


def test_segment_rates_are_the_marts_pooled_rates(
    built_project: DbtProject, mart: pd.DataFrame
) -> None:
    """The rates the dashboards read are the sums over the segment's creator-months, by
    plan and category, in every complete month (recomputed here from the mart's columns)."""
    segments = built_project.frame(
        "select * from analytics_marts.fct_segment_monthly_performance where is_complete_month"
    )
    complete = mart[mart["is_complete_month"]].assign(platform="all creators")
    pooled = {
        "platform_take_rate_pct": ("platform_fees_usd", ["gross_revenue_usd"]),
        "patron_engagement_rate_pct": ("engaged_patrons", ["total_patrons"]),
        "decline_rate_pct": (
            "failed_transactions",
            ["successful_transactions", "failed_transactions"],
        ),
    }
    checked = 0
    for segment_type, column in (
        ("platform", "platform"),
        ("plan_type", "plan_type"),
        ("creator_category", "creator_category"),
    ):
        sums = complete.groupby(["month_start_date", column]).sum(numeric_only=True)
        got = segments[segments["segment_type"] == segment_type].set_index(
            ["month_start_date", "segment"]
        )
        got.index = got.index.set_names(sums.index.names)
        for rate, (numerator, denominator) in pooled.items():
            below = sum(sums[part].astype(float) for part in denominator)
            want = (100 * sums[numerator].astype(float) / below.where(below != 0)).round(2)
            joined = pd.concat({"got": got[rate].astype(float), "want": want}, axis=1)
            bad = joined[~((joined["got"] - joined["want"]).abs() <= 0.01 + 1e-9)]
            bad = bad[~(bad["got"].isna() & bad["want"].isna())]
            assert bad.empty, f"{rate} by {segment_type}:\n{bad.head()}"
            checked += len(joined)
    assert checked > 1000


def test_waterfall_adds_up_to_the_closing_mrr(
    built_project: DbtProject,
    results: dict[str, pd.DataFrame],
    mart: pd.DataFrame,
    latest_complete_month: date,
) -> None:
    steps = results["platform_overview__mrr_bridge"]
    assert list(steps["bridge_step"]) == sorted(steps["bridge_step"]), "steps out of order"
    assert len(steps) == 6 and steps["month_start_date"].nunique() == 1
    month = mart[mart["month_start_date"].dt.date == latest_complete_month]
    assert float(steps["amount_usd"].sum()) == pytest.approx(float(month["gross_mrr_usd"].sum()))
    ((closing,),) = built_project.query(
        f"select closing_mrr_usd from {PLATFORM_BRIDGE} where is_latest_complete_month"
    )
    assert float(steps["amount_usd"].sum()) == pytest.approx(float(closing))


def test_cohort_heat_map_shows_the_24_latest_cohorts(
    results: dict[str, pd.DataFrame], latest_complete_month: date
) -> None:
    cells = results["platform_overview__patron_cohorts"]
    cohorts = sorted({pd.Timestamp(month).date() for month in cells["cohort_month_start_date"]})
    assert len(cohorts) == 24 and cohorts[-1] == latest_complete_month
    ages = cells.groupby("cohort_month_start_date")["months_since_start"].max()
    assert sorted(ages) == list(range(24)), "each cohort runs to the latest complete month"
    retention = cells["patron_retention_pct"].astype(float)
    assert retention.between(0, 100).all()


# ---------------------------------------------------------------------------------------
# The local HTML rendering (`make dashboard`)
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dashboard") / "dashboards.html"
    subprocess.run(
        [
            *(sys.executable, str(REPO / "scripts" / "dashboards.py"), "html"),
            *("--warehouse", str(warehouse), "--out", str(out)),
        ],
        check=True,
        capture_output=True,
    )
    return out


def test_page_is_self_contained(page: Path) -> None:
    text = page.read_text()
    assert not re.search(r"<script[^>]*\bsrc=", text), "a script is loaded from elsewhere"
    assert not re.search(r"<link\b", text), "a stylesheet or resource is linked"
    markup = re.sub(r"<script\b[^>]*>.*?</script>", "", text, flags=re.S)
    assert not re.search(r"""\b(?:src|href)=["']?(?:https?:)?//""", markup), "remote resource"
    assert "Plotly" in text and len(text) > 3_000_000, "plotly.js is not inlined"


def test_page_shows_every_widget(page: Path) -> None:
    text = page.read_text()
    charts = sum(w.type in dashboards.CHART_TYPES for d in DASHBOARDS for w in d.widgets)
    assert text.count('class="plotly-graph-div"') == charts
    counters = sum(w.type == "counter" for d in DASHBOARDS for w in d.widgets)
    assert text.count('class="tile counter"') == counters
    for band in dashboards.BAND_COLOURS:
        assert f'class="band {band}"' in text, f"no {band} cell in the critical creators table"


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: run scripts/install_system_deps.sh")
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    return subprocess.run(
        [str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )


def page_errors(run: subprocess.CompletedProcess[str]) -> list[str]:
    """Errors the page recorded in its error box, plus console messages chromium logged."""
    errors = re.search(r'<pre id="js-errors">(.*?)</pre>', run.stdout, flags=re.S)
    assert errors is not None, "the page has no error box"
    console = [line for line in run.stderr.splitlines() if "CONSOLE" in line]
    return errors.group(1).splitlines() + console


@pytest.mark.browser
def test_the_browser_check_sees_errors_and_network_loads(page: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.html"
    injected = '<script>undefinedFunction();</script><img src="https://example.com/a.png">'
    broken.write_text(page.read_text().replace("</header>", "</header>" + injected, 1))
    errors = "\n".join(page_errors(chromium(tmp_path, "--dump-dom", broken.as_uri())))
    assert "undefinedFunction is not defined" in errors
    assert "failed to load: https://example.com/a.png" in errors


@pytest.mark.browser
def test_page_renders_in_chromium_without_errors(page: Path, tmp_path: Path) -> None:
    run = chromium(tmp_path, "--dump-dom", page.as_uri())
    dom = run.stdout
    assert page_errors(run) == []
    charts = sum(w.type in dashboards.CHART_TYPES for d in DASHBOARDS for w in d.widgets)
    # plotly draws each chart into a plot container; an error leaves its div empty.
    drawn = re.findall(r'<div class="plot-container plotly"', dom)
    assert len(drawn) == charts, f"{len(drawn)} of {charts} charts drawn"


@pytest.mark.browser
@pytest.mark.parametrize("name", [dashboard.name for dashboard in DASHBOARDS])
def test_each_dashboard_screenshot(page: Path, tmp_path: Path, name: str) -> None:
    screenshot = tmp_path / f"{name}.png"
    chromium(tmp_path, f"--screenshot={screenshot}", f"{page.as_uri()}#only={name}")
    data = screenshot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 60_000, "the screenshot looks blank"
    print(f"{name} screenshot: {screenshot}")


def test_exposures_are_the_deployed_dashboards() -> None:
    exposures_file = REPO / "models" / "marts" / "core" / "_marts__exposures.yml"
    text = exposures_file.read_text()
    for placeholder in ("placeholder", "example.com", "your-workspace", "TODO"):
        assert placeholder not in text, f"exposures still say {placeholder!r}"
    exposures = yaml.safe_load(text)["exposures"]
    bundle = yaml.safe_load((REPO / "resources" / "patreon_analytics.dashboards.yml").read_text())
    deployed = bundle["resources"]["dashboards"]
    assert [e["name"] for e in exposures] == [d.name for d in DASHBOARDS]
    assert set(deployed) == {d.name for d in DASHBOARDS}
    for exposure, dashboard in zip(exposures, DASHBOARDS, strict=True):
        assert exposure["label"] == dashboard.title
        assert exposure["owner"]["name"]
        meta = exposure["config"]["meta"]
        assert meta["definition"] == f"dashboards/{dashboard.name}.lvdash.json"
        assert (REPO / meta["definition"]).is_file()
        assert meta["bundle_resource"] == f"resources.dashboards.{dashboard.name}"
