"""Slim CI on DuckDB: .github/workflows/ci.yml's own dbt command lines, in production's setting.

Production is a warehouse file of its own, `patreon_prod.duckdb`, whose raw tables were landed
directly (text columns, as an ingestion tool lands them; no dbt seed anywhere). It is built,
then publishes its manifest the way the daily job does (`dbt parse --target-path`, after the
build). A pull request changes one staging model. CI builds in another warehouse file,
`patreon_ci.duckdb`, with production attached read-only and DBT_RAW_CATALOG naming it, and
runs the two `dbt build` lines of the workflow: with the published state, only the changed
model and its children build, every other parent and every raw table is read from
production, and the result equals production's; without a published state, everything builds
from production's raw tables. Without --defer or without DBT_RAW_CATALOG the build fails.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest
import yaml

from conftest import AS_OF_DATE
from dbt_harness import REPO, SEED_TABLES, DbtProject, DbtResult

WORKFLOW = REPO / ".github" / "workflows" / "ci.yml"
BUILD_STEP = "Build the changed models and their children, deferring to production"
STATE_DIR = "production-state"
PROD, CI = "patreon_prod", "patreon_ci"
CHANGED = "model.patreon_analytics.stg_posts"
MART = "fct_creator_monthly_performance"
# The production configuration: the raw tables are landed by other means; no demo seeds, no
# demo landing.
VARS = json.dumps({"as_of_date": AS_OF_DATE, "load_demo_seeds": False, "land_demo_csvs": False})


def workflow_build_lines() -> tuple[list[str], list[str]]:
    """The slim-ci job's two dbt build command lines: with the state, and the fallback."""
    flow = yaml.safe_load(WORKFLOW.read_text())
    (step,) = [s for s in flow["jobs"]["slim-ci"]["steps"] if s.get("name") == BUILD_STEP]
    assert f"-f {STATE_DIR}/manifest.json" in step["run"], "the fallback tests another file"
    lines = [shlex.split(line) for line in re.findall(r"^\s*(dbt build.*)$", step["run"], re.M)]
    (with_state,) = [args for args in lines if "--state" in args]
    (fallback,) = [args for args in lines if "--state" not in args]
    return with_state, fallback


def land_raw_tables(warehouse: Path, seeds: Path) -> None:
    """The raw tables as an ingestion tool lands them: every column text, in analytics_raw."""
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema if not exists analytics_raw")
        for table in SEED_TABLES:
            con.execute(
                f"create table analytics_raw.{table} as "
                "select * from read_csv(?, header = true, all_varchar = true)",
                [str(seeds / f"{table}.csv")],
            )


def ci_profile(folder: Path, warehouse: Path, production: Path) -> Path:
    """A DuckDB profile for CI: its own file, production attached read-only (as patreon_prod)."""
    folder.mkdir(parents=True)
    (folder / "profiles.yml").write_text(
        f"""
patreon_databricks:
  target: ci
  outputs:
    ci:
      type: duckdb
      path: "{warehouse}"
      threads: 4
      attach:
        - path: "{production}"
          read_only: true
"""
    )
    return folder


@pytest.fixture(scope="module")
def production(
    seed_sets: Callable[..., Path],
    make_project: Callable[..., DbtProject],
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[DbtProject, Path, Path]:
    """Production: raw tables landed, `dbt build`, then the published state (the manifest).

    Returns the project, its warehouse file and the folder the manifest was published to.
    """
    project = make_project("slim_ci_production")
    warehouse = project.root / f"{PROD}.duckdb"
    land_raw_tables(warehouse, seed_sets(scale=0.1))
    env = {"DBT_DUCKDB_PATH": str(warehouse)}
    build = project.dbt("build", "--vars", VARS, check=False, env=env)
    assert build.ok, f"production build failed:\n{build.output[-6000:]}"
    published = tmp_path_factory.mktemp("published_state")
    project.dbt(
        *("parse", "--vars", VARS, "--no-partial-parse", "--target-path", str(published)),
        env=env,
    )
    return project, warehouse, published


@pytest.fixture(scope="module")
def pull_request(make_project: Callable[..., DbtProject]) -> DbtProject:
    """A copy of the project in which one staging model changed; no seed CSVs at all."""
    ci = make_project("slim_ci_pull_request")
    model = ci.root / "models" / "staging" / "stg_posts.sql"
    model.write_text("-- Changed in the pull request under test.\n" + model.read_text())
    return ci


def ci_build(
    ci: DbtProject, args: list[str], profiles: Path, *, raw_catalog: str | None = PROD
) -> DbtResult:
    """One of the workflow's dbt build lines, run as the slim-ci job runs it (its profile
    and DBT_RAW_CATALOG from the environment), plus the test's vars."""
    env = {"DBT_PROFILES_DIR": str(profiles), "DBT_TARGET": "ci"}
    if raw_catalog is not None:
        env["DBT_RAW_CATALOG"] = raw_catalog
    assert args[:2] == ["dbt", "build"], args
    return ci.dbt(*args[1:], "--vars", VARS, check=False, env=env)


@pytest.fixture(scope="module")
def slim(
    pull_request: DbtProject, production: tuple[DbtProject, Path, Path]
) -> tuple[DbtResult, Path]:
    """The workflow's state build, with the published manifest in production-state/."""
    _, prod_warehouse, published = production
    state = pull_request.root / STATE_DIR
    state.mkdir()
    shutil.copy2(published / "manifest.json", state / "manifest.json")
    warehouse = pull_request.root / f"{CI}.duckdb"
    profiles = ci_profile(pull_request.root / "ci_profiles", warehouse, prod_warehouse)
    with_state, _ = workflow_build_lines()
    return ci_build(pull_request, with_state, profiles), warehouse


@contextmanager
def ci_warehouse(warehouse: Path, production: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A CI warehouse with production attached, both read-only, as CI's profile has them."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.execute(f"attach '{production}' as {PROD} (read_only)")
        yield con


def tables_in(warehouse: Path, catalog: str) -> set[tuple[str, str]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = ?",
            [catalog],
        ).fetchall()
    return {(schema, name) for schema, name in rows}


def descendant_models(manifest: dict, node: str) -> set[str]:
    """The node and every model downstream of it, from a manifest's graph."""
    found, todo = {node}, [node]
    while todo:
        for child in manifest["child_map"][todo.pop()]:
            if child.startswith("model.") and child not in found:
                found.add(child)
                todo.append(child)
    return found


def published_manifest(production: tuple[DbtProject, Path, Path]) -> dict:
    return json.loads((production[2] / "manifest.json").read_text())


def test_the_published_state_is_productions(production: tuple[DbtProject, Path, Path]) -> None:
    """The published manifest describes production's relations in production's catalog."""
    manifest = published_manifest(production)
    databases = {
        node["database"]
        for node in [*manifest["nodes"].values(), *manifest["sources"].values()]
        if node["resource_type"] in ("model", "source")
    }
    assert databases == {PROD}
    demo_seeds = [node for node in manifest["nodes"] if node.startswith("seed.patreon_analytics.")]
    assert not demo_seeds, "the demo seeds are off in production"


def test_raw_tables_exist_only_in_production(
    slim: tuple[DbtResult, Path], production: tuple[DbtProject, Path, Path]
) -> None:
    result, warehouse = slim
    assert result.ok, result.output[-6000:]
    raw = {("analytics_raw", table) for table in SEED_TABLES}
    assert raw <= tables_in(production[1], PROD)
    assert not {schema for schema, _ in tables_in(warehouse, CI)} & {"analytics_raw"}
    assert not list((production[0].root / "seeds").glob("*.csv")), "production has no CSVs"


def test_only_the_changed_model_and_its_children_build(
    slim: tuple[DbtResult, Path],
    pull_request: DbtProject,
    production: tuple[DbtProject, Path, Path],
) -> None:
    result, warehouse = slim
    assert result.ok, result.output[-6000:]
    manifest = published_manifest(production)
    expected = descendant_models(manifest, CHANGED)
    models = {unique_id for unique_id in manifest["nodes"] if unique_id.startswith("model.")}
    assert f"model.patreon_analytics.{MART}" in expected
    assert "model.patreon_analytics.stg_creators" in models - expected, "nothing left to defer"
    results = json.loads((pull_request.root / "target" / "run_results.json").read_text())
    executed = {r["unique_id"] for r in results["results"] if r["unique_id"].startswith("model.")}
    assert executed == expected
    built = {name for _, name in tables_in(warehouse, CI)}
    assert built == {unique_id.rsplit(".", 1)[-1] for unique_id in expected}


def test_unchanged_parents_and_raw_tables_are_read_from_production(
    slim: tuple[DbtResult, Path],
    pull_request: DbtProject,
    production: tuple[DbtProject, Path, Path],
) -> None:
    """Each built model reads its rebuilt parents from CI, every other parent and every raw
    table from production."""
    result, _ = slim
    assert result.ok, result.output[-6000:]
    manifest = json.loads((pull_request.root / "target" / "manifest.json").read_text())
    built = descendant_models(published_manifest(production), CHANGED)
    from_production = 0
    for unique_id in built:
        node = manifest["nodes"][unique_id]
        compiled = (pull_request.root / node["compiled_path"]).read_text().lower()
        for parent_id in node["depends_on"]["nodes"]:
            parent = manifest["nodes"].get(parent_id) or manifest["sources"].get(parent_id)
            if parent is None or parent["resource_type"] not in ("model", "source"):
                continue
            catalog = CI if parent_id in built else PROD
            from_production += catalog == PROD
            name = parent.get("identifier") or parent["name"]
            relation = f'"{catalog}"."{parent["schema"]}"."{name}"'
            assert relation in compiled, f"{node['name']} does not read {relation}"
    assert (
        f'"{PROD}"."analytics_raw"."posts"'
        in (pull_request.root / manifest["nodes"][CHANGED]["compiled_path"]).read_text()
    )
    assert from_production > 1, "no model read an unchanged parent from production"


def mart_difference(warehouse: Path, production: Path) -> tuple[int, int, int]:
    """Rows of the CI mart, rows of production's, and rows in one but not the other."""
    ci_mart, prod_mart = f"{CI}.analytics_marts.{MART}", f"{PROD}.analytics_marts.{MART}"
    with ci_warehouse(warehouse, production) as con:
        (ci_rows,) = con.execute(f"select count(*) from {ci_mart}").fetchone() or (0,)
        (prod_rows,) = con.execute(f"select count(*) from {prod_mart}").fetchone() or (0,)
        (differing,) = con.execute(
            f"select count(*) from ((select * from {ci_mart} except select * from {prod_mart})"
            f" union all (select * from {prod_mart} except select * from {ci_mart}))"
        ).fetchone() or (0,)
    return ci_rows, prod_rows, differing


def test_the_ci_mart_equals_productions(
    slim: tuple[DbtResult, Path], production: tuple[DbtProject, Path, Path]
) -> None:
    """The change is a comment: built from production's parents, the mart is production's."""
    result, warehouse = slim
    assert result.ok, result.output[-6000:]
    ci_rows, prod_rows, differing = mart_difference(warehouse, production[1])
    assert ci_rows == prod_rows > 0 and differing == 0, (ci_rows, prod_rows, differing)


def test_without_defer_the_parents_are_missing(
    slim: tuple[DbtResult, Path],
    pull_request: DbtProject,
    production: tuple[DbtProject, Path, Path],
) -> None:
    with_state, _ = workflow_build_lines()
    without_defer = [arg for arg in with_state if arg != "--defer"]
    folder = pull_request.root / "no_defer"
    profiles = ci_profile(folder / "profiles", folder / f"{CI}.duckdb", production[1])
    assert not ci_build(pull_request, without_defer, profiles).ok, "built without --defer"


def test_without_the_raw_catalog_the_staging_change_cannot_build(
    slim: tuple[DbtResult, Path],
    pull_request: DbtProject,
    production: tuple[DbtProject, Path, Path],
) -> None:
    """--defer covers models, not sources: the raw tables must be named in production."""
    with_state, _ = workflow_build_lines()
    folder = pull_request.root / "no_raw_catalog"
    profiles = ci_profile(folder / "profiles", folder / f"{CI}.duckdb", production[1])
    result = ci_build(pull_request, with_state, profiles, raw_catalog=None)
    assert not result.ok
    assert f"{CI}.analytics_raw.posts" in result.output.replace('"', "")


def test_without_a_published_state_ci_builds_everything_from_production_raw(
    make_project: Callable[..., DbtProject], production: tuple[DbtProject, Path, Path]
) -> None:
    """Before the daily job's first success there is no manifest: the workflow's fallback
    builds every model into CI, from production's raw tables, equal to production."""
    ci = make_project("slim_ci_first_run")
    warehouse = ci.root / f"{CI}.duckdb"
    profiles = ci_profile(ci.root / "ci_profiles", warehouse, production[1])
    _, fallback = workflow_build_lines()
    result = ci_build(ci, fallback, profiles)
    assert result.ok, result.output[-6000:]
    manifest = published_manifest(production)
    models = {
        node["name"] for node in manifest["nodes"].values() if node["resource_type"] == "model"
    }
    built = {name for _, name in tables_in(warehouse, CI)}
    assert models <= built
    assert not {schema for schema, _ in tables_in(warehouse, CI)} & {"analytics_raw"}
    ci_rows, prod_rows, differing = mart_difference(warehouse, production[1])
    assert ci_rows == prod_rows > 0 and differing == 0, (ci_rows, prod_rows, differing)
