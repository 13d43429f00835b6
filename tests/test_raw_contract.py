"""One raw contract: staging reads the source `raw` on every target, the same data tests run
on every target, and the demo data lands before any node reads it.

- Parsed offline for every target (DuckDB `local`, Databricks `dev` and `prod` with dummy
  credentials; `spark` in the Spark suite, which installs PySpark): each staging view's one
  parent is its source table; the enabled data tests are the same set but for those
  engine-specific by design (ENGINE_SPECIFIC, DECISIONLOG.md D9); the demo seeds are enabled
  only when asked for.
- The demo landing (an on-run-start hook, macros/land_demo_csvs.sql) on DuckDB: on a fresh
  warehouse it finishes before any node starts, so `dbt build` and the README's `dbt run`,
  `dbt test` work from a fresh clone; it lands a table again when its CSV changed, never
  touches a table landed by other means unless asked, and names a missing CSV. A build that
  would also load the demo seeds is refused before any node runs.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from dbt_harness import REPO, SEED_TABLES, DbtProject
from project_copy import todays_end_date

DATABRICKS_ENV = {
    "DATABRICKS_HOST": "dbc-dummy.cloud.databricks.com",
    "DATABRICKS_HTTP_PATH": "/sql/1.0/warehouses/dummy",
    "DATABRICKS_TOKEN": "dummy-token",
}
# dbt-spark comes with dbt-databricks, but its `session` method needs PySpark, which only the
# Spark suite installs: the spark target is parsed, and compared, there.
SPARK_INSTALLED = importlib.util.find_spec("pyspark") is not None
TARGETS = ["local", "dev", "prod", *(["spark"] if SPARK_INSTALLED else [])]
TARGET_PARAMS = [
    pytest.param(target, marks=pytest.mark.spark) if target == "spark" else target
    for target in ["local", "dev", "prod", "spark"]
]
# Data tests enabled on some engines only, by design, per target (DECISIONLOG.md D9): none.
ENGINE_SPECIFIC: dict[str, set[str]] = {target: set() for target in TARGETS}
# One dbt process: per case, parse and report what the manifest enables.
PARSE_CASES = """
import json, sys
from dbt.cli.main import dbtRunner
out = {}
for name, args in json.loads(sys.argv[1]).items():
    result = dbtRunner().invoke(["parse", "--no-partial-parse", *args])
    assert result.success, (name, result.exception)
    nodes = result.result.nodes
    out[name] = {
        "data_tests": sorted(n.name for n in nodes.values() if n.resource_type == "test"),
        "seeds": sorted(n.name for n in nodes.values() if n.resource_type == "seed"),
        "staging_parents": {
            n.name: n.depends_on.nodes
            for n in nodes.values()
            if n.resource_type == "model" and n.name.startswith("stg_")
        },
    }
print(json.dumps(out))
"""
CASES = {
    **{target: ["--target", target] for target in TARGETS},
    "dev_demo_seeds": ["--target", "dev", "--vars", "{load_demo_seeds: true}"],
}
README = REPO / "README.md"


@pytest.fixture(scope="module")
def parsed(make_project, seed_sets) -> dict[str, dict[str, Any]]:
    project: DbtProject = make_project("raw_contract_parse", seed_sets(scale=0.05))
    proc = subprocess.run(
        [sys.executable, "-c", PARSE_CASES, json.dumps(CASES)],
        cwd=project.root,
        env=project.env(**DATABRICKS_ENV),
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("target", TARGET_PARAMS)
def test_staging_reads_its_source_table_on_every_target(parsed, target: str) -> None:
    parents = parsed[target]["staging_parents"]
    assert {name.removeprefix("stg_") for name in parents} == set(SEED_TABLES)
    for name, nodes in parents.items():
        table = name.removeprefix("stg_")
        assert nodes == [f"source.patreon_analytics.raw.{table}"], (name, nodes)


@pytest.mark.parametrize("target", TARGET_PARAMS[1:])
def test_the_same_data_tests_on_every_target(parsed, target: str) -> None:
    """Every target enables the data tests DuckDB enables, raw checks included, but for the
    engine-specific ones."""
    local = set(parsed["local"]["data_tests"]) - ENGINE_SPECIFIC["local"]
    here = set(parsed[target]["data_tests"]) - ENGINE_SPECIFIC[target]
    assert here == local, {"only on local": local - here, f"only on {target}": here - local}
    source_checks = {name for name in local if name.startswith("source_")}
    assert len(source_checks) > 100, "the raw contract is on the source"


def test_demo_seeds_only_when_asked(parsed) -> None:
    for target in TARGETS:
        assert parsed[target]["seeds"] == [], target
    assert parsed["dev_demo_seeds"]["seeds"] == sorted(SEED_TABLES)
    # The seeds land the tables staging reads; they never become its parents.
    assert parsed["dev_demo_seeds"]["staging_parents"] == parsed["dev"]["staging_parents"]


def readme_shell_commands() -> list[list[str]]:
    """The dbt commands of the README's shell workflow (the bash block after `make build`),
    up to the first that is not a run or test."""
    block = re.search(r"```bash\nsource .venv/bin/activate\n(.*?)```", README.read_text(), re.S)
    assert block, "the README's shell workflow block"
    commands = [line.split("#")[0].split() for line in block.group(1).splitlines()]
    first = [command for command in commands if command[:2] in (["dbt", "run"], ["dbt", "test"])]
    assert first[:2] == [["dbt", "run"], ["dbt", "test"]], first
    return first[:2]


def results_of(project: DbtProject) -> list[dict[str, Any]]:
    return json.loads((project.root / "target" / "run_results.json").read_text())["results"]


def instant(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


@pytest.fixture(scope="module")
def fresh_clone(make_project, seed_sets) -> dict[str, Any]:
    """A copy of the repository with data generated as `make build` does (ending yesterday):
    `dbt build` on a fresh warehouse, then, on another fresh warehouse, the README's shell
    workflow. No vars anywhere."""
    seeds = seed_sets(scale=0.05, end_date=todays_end_date())
    project: DbtProject = make_project("raw_contract_fresh", seeds)
    build = project.dbt("build", check=False)
    build_results = results_of(project)
    project.warehouse.unlink()
    readme = [project.dbt(*command[1:], check=False) for command in readme_shell_commands()]
    return {"project": project, "build": build, "build_results": build_results, "readme": readme}


def test_a_fresh_build_lands_the_raw_tables_before_any_node(fresh_clone) -> None:
    """The ordering the project relies on: the landing hook ends before dbt starts any node, so
    no source check or staging view runs on a table being written."""
    build = fresh_clone["build"]
    assert build.ok, build.output[-6000:]
    hooks = [r for r in fresh_clone["build_results"] if r["unique_id"].startswith("operation.")]
    nodes = [r for r in fresh_clone["build_results"] if r not in hooks]
    assert len(hooks) == 2 and nodes
    landed_at = max(instant(t["completed_at"]) for r in hooks for t in r["timing"])
    first_node_at = min(instant(t["started_at"]) for r in nodes for t in r["timing"])
    assert landed_at <= first_node_at
    assert "Demo landing: " in build.output


def test_the_readme_workflow_works_on_a_fresh_warehouse(fresh_clone) -> None:
    for result in fresh_clone["readme"]:
        assert result.ok, f"dbt {' '.join(result.args)}:\n{result.output[-6000:]}"


def raw_tables(project: DbtProject) -> dict[str, tuple[int, str | None]]:
    """Row count and comment (the landing's record) of every table in analytics_raw."""
    with duckdb.connect(str(project.warehouse), read_only=True) as con:
        tables = con.execute(
            "select table_name, comment from duckdb_tables() where schema_name = 'analytics_raw'"
        ).fetchall()
        return {
            name: (con.execute(f"select count(*) from analytics_raw.{name}").fetchone()[0], comment)
            for name, comment in tables
        }


def csv_rows(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines()) - 1


def test_landing_follows_the_csvs_and_leaves_foreign_tables(fresh_clone) -> None:
    """Every table is landed as its CSV, as text; a changed CSV is landed again by the next
    command; a table landed by other means is left alone until an explicit re-land."""
    project: DbtProject = fresh_clone["project"]
    with duckdb.connect(str(project.warehouse), read_only=True) as con:
        types = con.execute(
            "select distinct data_type from information_schema.columns "
            "where table_schema = 'analytics_raw'"
        ).fetchall()
    assert types == [("VARCHAR",)]
    before = raw_tables(project)
    for table in SEED_TABLES:
        assert before[table][0] == csv_rows(project.seeds_dir / f"{table}.csv"), table
        assert (before[table][1] or "").startswith("patreon_demo_csv_md5="), table

    posts = project.seeds_dir / "posts.csv"
    posts.write_text("\n".join(posts.read_text(encoding="utf-8").split("\n")[:101]) + "\n")
    with duckdb.connect(str(project.warehouse)) as con:
        con.execute(
            "create or replace table analytics_raw.creators as "
            "select * from analytics_raw.creators limit 5"
        )
    project.dbt("run", "--select", "stg_posts")
    after = raw_tables(project)
    assert after["posts"][0] == 100 and after["posts"][1] != before["posts"][1]
    assert after["creators"] == (5, None), "a table landed by other means was replaced"
    assert {t: after[t] for t in after if t not in ("posts", "creators")} == {
        t: before[t] for t in before if t not in ("posts", "creators")
    }

    project.dbt("run-operation", "land_demo_csvs", "--args", "{replace: true}")
    assert raw_tables(project)["creators"] == before["creators"]


def test_a_build_that_would_load_the_demo_seeds_is_refused(fresh_clone) -> None:
    project: DbtProject = fresh_clone["project"]
    result = project.dbt("build", "--vars", "{load_demo_seeds: true}", check=False)
    assert not result.ok
    assert "dbt build selected the demo seeds" in result.output
    assert "dbt seed --vars '{load_demo_seeds: true}', then dbt build" in result.output
    assert not re.search(r"START (sql|test|seed|snapshot|unit_test)", result.output)


def test_a_missing_table_without_its_csv_is_named(make_project) -> None:
    project: DbtProject = make_project("raw_contract_no_csv")
    result = project.dbt("run", "--select", "stg_creators", check=False)
    assert not result.ok
    assert re.search(
        r"Raw table \S*analytics_raw\S*creators\S* is missing and \S*"
        r"seeds/creators.csv does not exist",
        result.output,
    ), result.output[-3000:]


def try_casts_in_plan(project: DbtProject, transactions_select: str) -> int:
    """The try_casts left in DuckDB's optimized plan of the compiled stg_transactions over a
    raw table made by `transactions_select` (from the landed text table), in memory."""
    compiled = project.root / "target" / "compiled" / "patreon_analytics" / "models" / "staging"
    sql = (compiled / "stg_transactions.sql").read_text()
    with duckdb.connect() as con:
        con.execute(f"attach '{project.warehouse}' as landed (read_only)")
        con.execute("attach ':memory:' as patreon_dev")
        con.execute("create schema patreon_dev.analytics_raw")
        con.execute(
            "create table patreon_dev.analytics_raw.transactions as "
            f"{transactions_select} from landed.analytics_raw.transactions"
        )
        (plan,) = con.execute("select json_serialize_plan(?, optimize := true)", [sql]).fetchone()
    assert '"error":false' in plan, plan[:500]
    return plan.count('"try_cast":true')


def test_a_typed_landing_pays_no_cast(fresh_clone) -> None:
    """Staging's try_cast is a no-op the engine drops on a column landed with its type: the
    optimized plan over text keeps one try_cast per cast column (five), over a typed table
    none."""
    project: DbtProject = fresh_clone["project"]
    money = ", ".join(
        f"cast({column} as decimal(18,2)) as {column}"
        for column in (
            "gross_amount_usd",
            "platform_fee_usd",
            "processing_fee_usd",
            "net_amount_usd",
        )
    )
    typed = f"select * replace (cast(transaction_at as timestamp) as transaction_at, {money})"
    assert try_casts_in_plan(project, "select *") == 5
    assert try_casts_in_plan(project, typed) == 0
