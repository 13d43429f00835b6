"""Slim CI on DuckDB: the mechanics .github/workflows/ci.yml runs against Databricks.

Production is the default build (its manifest is the state, its warehouse the production
catalog `patreon_dev`). A pull request changes one staging model; CI builds
`state:modified+` with `--defer` into its own warehouse (catalog `patreon_ci`) with production
attached read-only. Only the changed model and its children may build, the unchanged parents
must be read from production, and the result must equal production's.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest
from conftest import AS_OF_DATE
from dbt_harness import DbtProject, DbtResult

CHANGED = "model.patreon_analytics.stg_posts"
MART = "fct_creator_monthly_performance"


def ci_profile(ci: DbtProject, production: DbtProject) -> Path:
    """A CI profile: its own DuckDB file, production attached read-only under its catalog."""
    folder = ci.root / "ci_profiles"
    folder.mkdir()
    (folder / "profiles.yml").write_text(
        f"""
patreon_databricks:
  target: ci
  outputs:
    ci:
      type: duckdb
      path: "{ci.root / "patreon_ci.duckdb"}"
      threads: 4
      attach:
        - path: "{production.warehouse}"
          read_only: true
"""
    )
    return folder


@pytest.fixture(scope="module")
def production(built_project: DbtProject, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The production state: a copy of the default build's manifest."""
    build = built_project.build_result
    assert build is not None and build.ok, f"dbt build failed:\n{build.output[-4000:]}"
    state = tmp_path_factory.mktemp("production_state")
    shutil.copy2(built_project.root / "target" / "manifest.json", state / "manifest.json")
    return state


@pytest.fixture(scope="module")
def pull_request(
    built_project: DbtProject, make_project: Callable[..., DbtProject]
) -> tuple[DbtProject, Path]:
    """A copy of the project in which one staging model changed, and its CI profile."""
    ci = make_project("slim_ci", built_project.seeds_dir)
    model = ci.root / "models" / "staging" / "stg_posts.sql"
    model.write_text("-- Changed in the pull request under test.\n" + model.read_text())
    return ci, ci_profile(ci, built_project)


# CI reads production's raw tables (attached read-only as patreon_dev) and lands nothing:
# the sources then resolve as in production's state, and only what the change touches builds.
CI_VARS = json.dumps(
    {"as_of_date": AS_OF_DATE, "raw_catalog": "patreon_dev", "land_demo_csvs": False}
)


def slim_build(ci: DbtProject, profiles: Path, state: Path, *extra: str) -> DbtResult:
    selection = ("--select", "state:modified+", "--state", str(state))
    return ci.dbt(
        "build",
        "--profiles-dir",
        str(profiles),
        "--target",
        "ci",
        *selection,
        *extra,
        "--vars",
        CI_VARS,
        check=False,
    )


@pytest.fixture(scope="module")
def slim_run(pull_request: tuple[DbtProject, Path], production: Path) -> DbtResult:
    ci, profiles = pull_request
    return slim_build(ci, profiles, production, "--defer")


@contextmanager
def ci_warehouse(ci: DbtProject, production: DbtProject) -> Iterator[duckdb.DuckDBPyConnection]:
    """The CI warehouse with production attached, both read-only, as CI's profile has them."""
    with duckdb.connect(str(ci.root / "patreon_ci.duckdb"), read_only=True) as con:
        con.execute(f"attach '{production.warehouse}' as patreon_dev (read_only)")
        yield con


def descendant_models(manifest: dict, node: str) -> set[str]:
    """The node and every model downstream of it, from the production manifest's graph."""
    found, todo = {node}, [node]
    while todo:
        for child in manifest["child_map"][todo.pop()]:
            if child.startswith("model.") and child not in found:
                found.add(child)
                todo.append(child)
    return found


def test_only_the_changed_model_and_its_children_build(
    slim_run: DbtResult, pull_request: tuple[DbtProject, Path], production: Path
) -> None:
    assert slim_run.ok, slim_run.output[-6000:]
    ci, _ = pull_request
    manifest = json.loads((production / "manifest.json").read_text())
    expected = descendant_models(manifest, CHANGED)
    models = {unique_id for unique_id in manifest["nodes"] if unique_id.startswith("model.")}
    assert f"model.patreon_analytics.{MART}" in expected
    assert "model.patreon_analytics.stg_creators" in models - expected, "nothing left to defer"
    results = json.loads((ci.root / "target" / "run_results.json").read_text())["results"]
    executed = {
        r["unique_id"] for r in results if r["unique_id"].split(".")[0] in ("model", "seed")
    }
    assert executed == expected
    with duckdb.connect(str(ci.root / "patreon_ci.duckdb"), read_only=True) as con:
        listed = con.execute(
            "select table_name from information_schema.tables where table_catalog = 'patreon_ci'"
        ).fetchall()
    tables = {name for (name,) in listed}
    assert tables == {unique_id.rsplit(".", 1)[-1] for unique_id in expected}


def test_unchanged_parents_are_read_from_production(
    slim_run: DbtResult, pull_request: tuple[DbtProject, Path], production: Path
) -> None:
    """Each built model reads its rebuilt parents from CI and every other one from production."""
    assert slim_run.ok, slim_run.output[-6000:]
    ci, _ = pull_request
    manifest = json.loads((ci.root / "target" / "manifest.json").read_text())
    built = descendant_models(json.loads((production / "manifest.json").read_text()), CHANGED)
    from_production = 0
    for unique_id in built:
        node = manifest["nodes"][unique_id]
        compiled = (ci.root / node["compiled_path"]).read_text().lower()
        for parent_id in node["depends_on"]["nodes"]:
            parent = manifest["nodes"].get(parent_id)
            if parent is None or parent["resource_type"] not in ("model", "seed"):
                continue
            catalog = "patreon_ci" if parent_id in built else "patreon_dev"
            from_production += catalog == "patreon_dev"
            relation = f'"{catalog}"."{parent["schema"]}"."{parent["name"]}"'
            assert relation in compiled, f"{node['name']} does not read {relation}"
    assert from_production > 0, "no model read an unchanged parent"


def test_the_ci_mart_equals_productions(
    slim_run: DbtResult, pull_request: tuple[DbtProject, Path], built_project: DbtProject
) -> None:
    """The change is a comment: built from production's parents, the mart is production's."""
    assert slim_run.ok, slim_run.output[-6000:]
    ci_mart = f"patreon_ci.analytics_marts.{MART}"
    production_mart = f"patreon_dev.analytics_marts.{MART}"
    with ci_warehouse(pull_request[0], built_project) as con:
        ((rows,),) = con.execute(f"select count(*) from {ci_mart}").fetchall()
        assert rows == con.execute(f"select count(*) from {production_mart}").fetchall()[0][0]
        for left, right in ((ci_mart, production_mart), (production_mart, ci_mart)):
            differing = con.execute(
                f"select count(*) from (select * from {left} except select * from {right})"
            ).fetchall()[0][0]
            assert differing == 0, f"{differing} rows of {left} are not in {right}"


def test_without_defer_the_parents_are_missing(
    pull_request: tuple[DbtProject, Path], production: Path, slim_run: DbtResult
) -> None:
    ci, profiles = pull_request
    result = slim_build(ci, profiles, production)
    assert not result.ok, "built without --defer although no parent exists in the CI warehouse"
