"""The project on local PySpark, the stand-in for Databricks (`make test-spark`).

One session-scoped `dbt build --target spark` (ANSI mode on, via scripts/dbt_ansi.py) of a
small generated data set, landed by the demo landing (Spark's CSV reader), then checks
against the CSV files and against the DuckDB build of the same files. Spark state
(warehouse, Derby metastore) lives in a temporary folder given by PATREON_SPARK_DIR, never in
the project.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from conftest import AS_OF_VARS
from dashboards import DATASETS_DIR, dataset_sql  # the dashboards' single query definitions
from dbt_harness import NO_TESTS, SEED_TABLES, DbtProject, DbtResult, read_seed, with_next_plan
from spec_queries import expects_rows, spec_queries, without_catalog
from window_edits import Window, after_load, read_frames, removed_pledges, write_frames

pytestmark = pytest.mark.spark

# Generator scale of the Spark build: about 15,000 seed rows, a build of about 4 minutes on
# two cores (Spark spends most of it on per-statement overhead, not on data).
SPARK_SCALE = 0.05
MART = "analytics_marts.fct_creator_monthly_performance"
STORED_METRICS = "analytics_intermediate.int_metrics_joined_to_creator_months"
INCREMENTAL_MODELS = (
    "int_memberships_aggregated_to_months",
    "int_metrics_joined_to_creator_months",
)
GATE = "staging_audit_gate"
MART_KEY = ["creator_id", "month_start_date"]
TOLERANCE = 0.005
SPARK_SQL = Path(__file__).resolve().parent / "spark_sql.py"
# The months a refresh with the default lookback (2) rewrites after the first build.
REFRESH_WINDOW = Window(start="2026-09-01 00:00:00", until="2026-10-31 23:59:59")


@dataclass
class SparkBuild:
    """A project copy built on Spark, with its own warehouse and metastore."""

    project: DbtProject
    spark_dir: Path
    build_result: DbtResult

    def dbt(self, *args: str, check: bool = True) -> DbtResult:
        """dbt with ANSI mode on, on this build's Spark warehouse."""
        return self.project.dbt(
            *args,
            check=check,
            env={"DBT_TARGET": "spark", "PATREON_SPARK_DIR": str(self.spark_dir)},
            command=(sys.executable, str(self.project.root / "scripts" / "dbt_ansi.py")),
        )

    def sql(self, statements: dict[str, str]) -> dict[str, pd.DataFrame]:
        """Results of named statements on this warehouse, as DataFrames of Spark's values."""
        out_file = self.spark_dir / "results.json"
        subprocess.run(
            [sys.executable, str(SPARK_SQL), str(self.spark_dir), str(out_file)],
            input=json.dumps(statements),
            text=True,
            capture_output=True,
            check=True,
        )
        results = json.loads(out_file.read_text())
        return {
            name: pd.DataFrame(result["rows"], columns=result["columns"], dtype=object)
            for name, result in results.items()
        }


@pytest.fixture(scope="session")
def spark_seeds(seed_sets: Callable[..., Path]) -> Path:
    return seed_sets(scale=SPARK_SCALE)


@pytest.fixture(scope="session")
def spark_build(
    spark_seeds: Path,
    make_project: Callable[..., DbtProject],
    tmp_path_factory: pytest.TempPathFactory,
) -> SparkBuild:
    """The project landed and built once on Spark; tests assert on the outcome themselves."""
    project = make_project("spark_build", spark_seeds)
    spark_dir = tmp_path_factory.mktemp("spark_state")
    build = SparkBuild(project, spark_dir, DbtResult((), -1, "not run"))
    build.build_result = build.dbt("build", "--vars", AS_OF_VARS, check=False)
    return build


@pytest.fixture(scope="session")
def built_spark(spark_build: SparkBuild) -> SparkBuild:
    """The Spark build, required to have passed."""
    assert spark_build.build_result.ok, spark_build.build_result.output[-6000:]
    return spark_build


def first_build_statements() -> dict[str, str]:
    """Every query the checks of the first build need, run in one Spark process."""
    return {
        **{f"raw:{name}": sql for name, sql in raw_statements().items()},
        "describe:raw": "describe table extended analytics_raw.transactions",
        "describe:mart": f"describe table extended {MART}",
        "describe:stored_metrics": f"describe table extended {STORED_METRICS}",
        "mart": f"select * from {MART}",
        **{f"spec:{query.stem}": without_catalog(query.read_text()) for query in spec_queries()},
        **{f"dashboard:{name}": dataset_sql(name) for name in dashboard_datasets()},
    }


def dashboard_datasets() -> list[str]:
    return sorted(path.stem for path in DATASETS_DIR.glob("*.sql"))


@pytest.fixture(scope="session")
def spark_results(built_spark: SparkBuild) -> dict[str, pd.DataFrame]:
    """Results of first_build_statements() on the first build (a Spark JVM starts slowly)."""
    return built_spark.sql(first_build_statements())


@pytest.fixture(scope="session")
def duckdb_twin(spark_seeds: Path, make_project: Callable[..., DbtProject]) -> DbtProject:
    """The same CSV files built on DuckDB."""
    project = make_project("spark_duckdb_twin", spark_seeds)
    project.dbt("build", "--vars", AS_OF_VARS)
    return project


def csv_frame(seeds_dir: Path, table: str) -> pd.DataFrame:
    """A CSV as text, with empty fields as missing values (how every engine lands them)."""
    return read_seed(seeds_dir, table).replace("", None).astype(object)


def raw_statements() -> dict[str, str]:
    return {table: f"select * from analytics_raw.{table}" for table in SEED_TABLES}


def money_sum(values: pd.Series) -> Decimal:
    return sum((Decimal(value) for value in values.dropna()), Decimal(0))


def assert_landed_exactly(table: str, expected: pd.DataFrame, loaded: pd.DataFrame) -> None:
    """Counts, money sums, NULL counts per column, then every value, name the difference."""
    assert list(loaded.columns) == list(expected.columns), f"{table}: columns differ"
    assert len(loaded) == len(expected), f"{table}: {len(loaded)} rows, CSV has {len(expected)}"
    for column in expected.columns:
        nulls, expected_nulls = loaded[column].isna().sum(), expected[column].isna().sum()
        assert nulls == expected_nulls, f"{table}.{column}: {nulls} NULLs, CSV has {expected_nulls}"
        if column.endswith("_usd"):
            total, expected_total = money_sum(loaded[column]), money_sum(expected[column])
            assert total == expected_total, f"{table}.{column}: sum {total} != {expected_total}"
    key = expected.columns[0]
    merged = expected.merge(
        loaded, on=key, how="outer", suffixes=("_csv", "_spark"), indicator=True
    )
    assert (merged["_merge"] == "both").all(), f"{table}: keys differ:\n{merged.head()}"
    for column in expected.columns.drop(key):
        csv_values = merged[column + "_csv"].fillna("<NULL>")
        differs = csv_values != merged[column + "_spark"].fillna("<NULL>")
        assert not differs.any(), (
            f"{table}.{column}: values differ from the CSV:\n"
            f"{merged.loc[differs, [key, column + '_csv', column + '_spark']].head(10)}"
        )


def test_spark_build_passes(spark_build: SparkBuild) -> None:
    result = spark_build.build_result
    assert result.ok, result.output[-6000:]
    assert "ERROR=0" in result.output
    # Unit tests run too (they are part of `dbt build`).
    assert "unit test" in result.output


def test_dbt_ansi_runs_spark_in_ansi_mode(
    spark_seeds: Path,
    make_project: Callable[..., DbtProject],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """dbt-spark forces ANSI mode off; scripts/dbt_ansi.py must turn it back on."""
    project = make_project("spark_ansi", spark_seeds)
    build = SparkBuild(project, tmp_path_factory.mktemp("spark_ansi_state"), DbtResult((), -1, ""))
    result = build.dbt("show", "--inline", "select cast('not a number' as int) as n", check=False)
    assert not result.ok, "an invalid cast returned a value: ANSI mode is off"
    assert "CAST_INVALID_INPUT" in result.output


def test_spark_state_stays_outside_the_project(built_spark: SparkBuild) -> None:
    for stray in ("derby.log", "metastore_db", "spark-warehouse"):
        assert not (built_spark.project.root / stray).exists(), f"{stray} written into the project"
    assert (built_spark.spark_dir / "metastore_db").is_dir()
    assert (built_spark.spark_dir / "warehouse" / "analytics_marts.db").is_dir()


def test_the_demo_landing_lands_the_csvs_exactly(
    spark_results: dict[str, pd.DataFrame], spark_seeds: Path
) -> None:
    for table in SEED_TABLES:
        loaded = spark_results[f"raw:{table}"]
        assert_landed_exactly(table, csv_frame(spark_seeds, table), loaded)


def test_tables_are_parquet_on_local_spark(spark_results: dict[str, pd.DataFrame]) -> None:
    for name in ("describe:raw", "describe:stored_metrics"):
        frame = spark_results[name]
        provider = frame.loc[frame["col_name"] == "Provider", "data_type"].tolist()
        assert provider == ["parquet"], f"{name}: provider {provider}"
    # The mart is a view over the stored metrics (docs/pipeline.md#materializations).
    mart = spark_results["describe:mart"]
    assert mart.loc[mart["col_name"] == "Type", "data_type"].tolist() == ["VIEW"]


def normalise(column: pd.Series, like: pd.Series) -> pd.Series:
    """Spark's JSON values in the type DuckDB returned for the same column."""
    if pd.api.types.is_datetime64_any_dtype(like):
        return pd.to_datetime(column)
    if pd.api.types.is_numeric_dtype(like) or like.map(lambda v: isinstance(v, Decimal)).any():
        return pd.to_numeric(column.astype(object), errors="raise").astype(float)
    return column.astype(object)


def assert_same_mart(spark_mart: pd.DataFrame, duckdb_project: DbtProject) -> None:
    """Spark's mart has DuckDB's columns in order, its rows, and every value (floats within
    TOLERANCE)."""
    expected = duckdb_project.frame(f"select * from {MART}").sort_values(MART_KEY)
    spark = spark_mart.copy()
    # Same columns in the same order: the mart is a plain view (only the incremental
    # intermediate models are partitioned by month on Spark, docs/pipeline.md).
    assert list(spark.columns) == list(expected.columns)
    assert len(spark) == len(expected), f"Spark mart {len(spark)} rows, DuckDB {len(expected)}"
    for column in expected.columns:
        spark[column] = normalise(spark[column], expected[column])
    spark = spark.sort_values(MART_KEY).reset_index(drop=True)
    expected = expected.reset_index(drop=True)
    for column in expected.columns:
        mine, theirs = spark[column], expected[column]
        if pd.api.types.is_float_dtype(mine):
            theirs = theirs.astype(float)
            differs = ~(((mine - theirs).abs() <= TOLERANCE) | (mine.isna() & theirs.isna()))
        else:
            differs = ~((mine == theirs) | (mine.isna() & theirs.isna()))
        sample = pd.concat([expected[MART_KEY], theirs, mine], axis=1, keys=["", "duckdb", "spark"])
        assert not differs.any(), (
            f"{MART}.{column} differs between Spark and DuckDB:\n{sample[differs].head(10)}"
        )


def test_spark_mart_equals_duckdb_mart(
    spark_results: dict[str, pd.DataFrame], duckdb_twin: DbtProject
) -> None:
    assert_same_mart(spark_results["mart"], duckdb_twin)


def test_spec_queries_run_on_spark(spark_results: dict[str, pd.DataFrame]) -> None:
    problems = []
    for query in spec_queries():
        rows = len(spark_results[f"spec:{query.stem}"])
        if expects_rows(query, default_data=False) is True and rows == 0:
            problems.append(f"{query.name}: no rows")
        if expects_rows(query, default_data=False) is False and rows > 0:
            problems.append(f"{query.name}: {rows} offending rows")
    assert not problems, problems


def same_values(spark: pd.Series, duckdb: pd.Series) -> pd.Series:
    """Row mask: Spark's value equals DuckDB's (floats within TOLERANCE; NULL equals NULL)."""
    mine = normalise(spark, duckdb)
    if pd.api.types.is_float_dtype(mine):
        duckdb = duckdb.astype(float)
        return ((mine - duckdb).abs() <= TOLERANCE) | (mine.isna() & duckdb.isna())
    return (mine == duckdb) | (mine.isna() & duckdb.isna())


def test_dashboard_datasets_run_on_spark_as_on_duckdb(
    spark_results: dict[str, pd.DataFrame], duckdb_twin: DbtProject
) -> None:
    """Every dashboard query, unchanged, returns rows on Spark: the rows DuckDB returns."""
    problems = []
    for name in dashboard_datasets():
        spark = spark_results[f"dashboard:{name}"].reset_index(drop=True)
        expected = duckdb_twin.frame(dataset_sql(name))
        if spark.empty:
            problems.append(f"{name}: no rows on Spark")
            continue
        if list(spark.columns) != list(expected.columns) or len(spark) != len(expected):
            problems.append(f"{name}: {spark.shape} on Spark, {expected.shape} on DuckDB")
            continue
        for column in expected.columns:
            same = same_values(spark[column], expected[column])
            if not same.all():
                sample = pd.concat([expected[column], spark[column]], axis=1)[~same].head()
                problems.append(f"{name}.{column} differs (DuckDB, Spark):\n{sample}")
    assert not problems, "\n".join(problems)


def change_some_plans(seeds_dir: Path) -> int:
    """Give every fifth creator another plan in the project's creators.csv; returns how many."""
    creators, changed = with_next_plan(read_seed(seeds_dir, "creators"), every=5)
    creators.to_csv(seeds_dir / "creators.csv", index=False)
    return int(changed.sum())


@pytest.fixture(scope="session")
def edited_seeds(spark_seeds: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Spark seed set without the rows tests/window_edits.py removes inside the window
    the second build refreshes (pledges with their payments, posts, events)."""
    frames = read_frames(spark_seeds)
    assert removed_pledges(frames["pledges"], REFRESH_WINDOW).any(), "no pledge to remove"
    folder = tmp_path_factory.mktemp("spark_edited_seeds")
    return write_frames(after_load(frames, REFRESH_WINDOW), folder)


def test_second_build_on_the_same_metastore(
    built_spark: SparkBuild, edited_seeds: Path, make_project: Callable[..., DbtProject]
) -> None:
    """Rebuild the models over existing tables after a CSV changed.

    Between the builds, rows dated inside the refresh's window were removed and some creators
    changed plan: the next command lands the changed CSVs again. The incremental models drop
    the window's month partitions and write them again (insert_overwrite), so every other
    month must survive and the window's months must lose the removed rows: the mart must
    equal DuckDB's full build of the same CSVs, and keep no old plan (it joins the current
    attributes at the end).
    """
    seeds_dir = built_spark.project.seeds_dir
    for table in SEED_TABLES:
        (seeds_dir / f"{table}.csv").write_bytes((edited_seeds / f"{table}.csv").read_bytes())
    assert change_some_plans(seeds_dir) > 1
    duckdb_build = make_project("spark_edited_duckdb_twin", seeds_dir)
    duckdb_build.dbt("build", *NO_TESTS, "--vars", AS_OF_VARS)
    result = built_spark.dbt("build", "--resource-type", "model", "--vars", AS_OF_VARS)
    assert "ERROR=0" in result.output
    assert "Demo landing: " in result.output and "analytics_raw.creators" in result.output
    for model in INCREMENTAL_MODELS:
        assert re.search(
            rf"alter table \S*{model}\S* drop if exists partition", dbt_log(built_spark)
        ), f"{model}: the refresh did not drop its window's month partitions"
    stale_plans = f"""
        select count(*) as n
        from {MART} as mart
        inner join analytics_staging.stg_creators as creators
            on mart.creator_id = creators.creator_id
        where not (mart.plan_type <=> creators.plan_type)
    """
    results = built_spark.sql(
        {**raw_statements(), "mart": f"select * from {MART}", "stale_plans": stale_plans}
    )
    for table in SEED_TABLES:
        assert_landed_exactly(table, csv_frame(seeds_dir, table), results[table])
    assert_same_mart(results["mart"], duckdb_build)
    assert results["stale_plans"]["n"][0] == 0, "mart rows keep a creator's old plan"


def dbt_log(build: SparkBuild) -> str:
    """dbt's debug log of the build's project (every statement dbt ran), lowercased."""
    return (build.project.root / "logs" / "dbt.log").read_text().lower()


def run_statuses(build: SparkBuild) -> dict[str, str]:
    """The last dbt run's status per node name."""
    data = json.loads((build.project.root / "target" / "run_results.json").read_text())
    return {row["unique_id"].split(".")[2]: row["status"] for row in data["results"]}


def assert_skipped(build: SparkBuild, *names: str) -> None:
    """The last dbt run skipped each named node."""
    statuses = run_statuses(build)
    assert all(statuses[name] == "skipped" for name in names), statuses


def test_a_bad_load_leaves_the_spark_mart_untouched(built_spark: SparkBuild) -> None:
    """Fail closed on Spark: a CSV line with too few fields stops the demo landing, naming the
    file, before any node runs; a table without a declared column fails the source's schema
    check, naming the column; engagement events of unknown patrons fail their relationships
    check. Each time the gate and the mart are skipped and the stored mart keeps every value."""
    seeds_dir = built_spark.project.seeds_dir
    mart_rows = {"mart": f"select * from {MART} order by creator_id, month_start_date"}
    before = built_spark.sql(mart_rows)["mart"]

    transactions = seeds_dir / "transactions.csv"
    clean = transactions.read_text(encoding="utf-8")
    lines = clean.split("\n")
    lines[5] = ",".join(lines[5].split(",")[:-3])
    transactions.write_text("\n".join(lines), encoding="utf-8")
    truncated = built_spark.dbt("build", "--vars", AS_OF_VARS, check=False)
    transactions.write_text(clean, encoding="utf-8")
    assert not truncated.ok
    assert "transactions.csv" in truncated.output and "FAILFAST" in truncated.output
    assert not re.search(r"START (sql|test|seed|snapshot|unit_test)", truncated.output)

    pledges = read_seed(seeds_dir, "pledges")
    pledges.drop(columns="churn_reason").to_csv(seeds_dir / "pledges.csv", index=False)
    drift = built_spark.dbt(
        "build",
        "--select",
        "source:raw.pledges+",
        "--exclude",
        "test_type:unit",
        "--store-failures",
        "--vars",
        AS_OF_VARS,
        check=False,
    )
    pledges.to_csv(seeds_dir / "pledges.csv", index=False)
    assert not drift.ok
    schema_check = "source_matches_declared_columns_raw_pledges_"
    assert run_statuses(built_spark)[schema_check] == "fail"
    assert_skipped(built_spark, "stg_pledges", GATE, "fct_creator_monthly_performance")
    named = built_spark.sql({"rows": f"select * from dbt_test__audit.{schema_check}"})["rows"]
    assert named.to_dict("records") == [
        {
            "table_name": "pledges",
            "column_name": "churn_reason",
            "problem": "declared column missing from the table",
        }
    ]

    events = read_seed(seeds_dir, "engagement_events")
    events.loc[:1, "patron_id"] = ["pa_99991", "pa_99992"]
    events.to_csv(seeds_dir / "engagement_events.csv", index=False)
    orphans = built_spark.dbt(
        "build",
        "--select",
        "source:raw.engagement_events+",
        "--exclude",
        "test_type:unit",
        "--vars",
        AS_OF_VARS,
        check=False,
    )
    assert not orphans.ok
    results = run_statuses(built_spark)
    relationships = "relationships_stg_engagement_events_patron_id__patron_id__ref_stg_patrons_"
    assert results[relationships] == "fail"
    assert_skipped(built_spark, GATE, "fct_creator_monthly_performance")

    after = built_spark.sql(mart_rows)["mart"]
    pd.testing.assert_frame_equal(after, before)
