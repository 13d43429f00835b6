"""The Databricks Asset Bundle (databricks.yml + resources/), checked without a workspace.

The Databricks CLI cannot run here (and `bundle validate` needs a workspace), so the bundle is
resolved the way the CLI resolves it for each target (includes, target variables over the
defaults, `${var.*}` and `${bundle.*}` references) and every resource is loaded through the
typed classes of `databricks-bundles`, which reject unknown fields, bad enum values, missing
fields and wrong types. Every file path must exist, the job's dbt commands must parse as dbt
command lines, and the job's own profile must parse the project for production offline.
"""

from __future__ import annotations

import copy
import json
import re
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from databricks.bundles.dashboards import Dashboard
from databricks.bundles.jobs import Job
from dbt.cli.main import cli as dbt_cli
from dbt_harness import REPO, DbtProject

BUNDLE_FILE = REPO / "databricks.yml"
TARGET_CATALOGS = {"dev": "patreon_dev", "prod": "patreon_prod"}
WAREHOUSE_ID = "0123456789abcdef"
CURRENT_USER = "someone@example.com"
REFERENCE = re.compile(r"\$\{([\w.]+)\}")
JOB = "patreon_analytics_dbt"


def load_bundle() -> tuple[dict[str, Any], dict[str, Path]]:
    """databricks.yml with its included files merged in, and the file each resource is in."""
    bundle = yaml.safe_load(BUNDLE_FILE.read_text())
    sources: dict[str, Path] = {}
    resources: dict[str, dict[str, Any]] = {}
    for pattern in bundle.get("include", []):
        files = sorted(REPO.glob(pattern))
        assert files, f"include {pattern!r} matches no file"
        for path in files:
            for kind, items in yaml.safe_load(path.read_text())["resources"].items():
                for key, resource in items.items():
                    assert key not in resources.get(kind, {}), f"{kind}.{key} defined twice"
                    resources.setdefault(kind, {})[key] = resource
                    sources[f"{kind}.{key}"] = path
    bundle["resources"] = resources
    return bundle, sources


BUNDLE, SOURCES = load_bundle()


def resolve(value: Any, context: dict[str, str]) -> Any:
    """Every `${name}` reference replaced by its value; an unknown reference fails the test."""
    if isinstance(value, dict):
        return {key: resolve(item, context) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve(item, context) for item in value]
    if isinstance(value, str):
        unknown = [name for name in REFERENCE.findall(value) if name not in context]
        assert not unknown, f"unresolvable references {unknown} in {value!r}"
        return REFERENCE.sub(lambda match: context[match.group(1)], value)
    return value


def for_target(target: str) -> dict[str, Any]:
    """The bundle's resources as the CLI resolves them for one target."""
    variables = {name: spec.get("default") for name, spec in BUNDLE["variables"].items()} | BUNDLE[
        "targets"
    ][target].get("variables", {})
    variables["warehouse_id"] = WAREHOUSE_ID  # required: given with --var on the command line
    missing = [name for name, value in variables.items() if value is None]
    assert not missing, f"variables without a value on {target}: {missing}"
    context = {
        f"var.{name}": str(value).lower() if isinstance(value, bool) else str(value)
        for name, value in variables.items()
    }
    context |= {
        "bundle.target": target,
        "bundle.name": BUNDLE["bundle"]["name"],
        "workspace.current_user.userName": CURRENT_USER,
    }
    return resolve(copy.deepcopy(BUNDLE["resources"]), context)


@pytest.fixture(scope="module", params=sorted(TARGET_CATALOGS))
def resolved(request: pytest.FixtureRequest) -> tuple[str, dict[str, Any]]:
    return request.param, for_target(request.param)


def test_targets_variables_and_modes() -> None:
    assert set(BUNDLE["targets"]) == set(TARGET_CATALOGS)
    assert {"warehouse_id", "catalog"} <= set(BUNDLE["variables"])
    assert "default" not in BUNDLE["variables"]["warehouse_id"], "a workspace's warehouse id"
    for target, catalog in TARGET_CATALOGS.items():
        assert BUNDLE["targets"][target]["variables"]["catalog"] == catalog
    assert BUNDLE["targets"]["dev"]["mode"] == "development"
    assert BUNDLE["targets"]["prod"]["mode"] == "production"


def test_resources_load_through_the_typed_classes(resolved: tuple[str, dict[str, Any]]) -> None:
    _, resources = resolved
    assert set(resources) == {"jobs", "dashboards"}
    for key, job in resources["jobs"].items():
        assert Job.from_dict(job).name == key
    for dashboard in resources["dashboards"].values():
        Dashboard.from_dict(dashboard)
    # References stay valid as written too (the typed classes accept ${var.x}).
    for job in BUNDLE["resources"]["jobs"].values():
        Job.from_dict(job)


def test_the_typed_classes_reject_a_misspelt_field() -> None:
    job = copy.deepcopy(BUNDLE["resources"]["jobs"][JOB])
    job["tasks"][0]["dbt_task"]["comands"] = job["tasks"][0]["dbt_task"].pop("commands")
    with pytest.raises(Exception, match="comands"):
        Job.from_dict(job)


def test_every_file_path_exists() -> None:
    for key, dashboard in BUNDLE["resources"]["dashboards"].items():
        path = (SOURCES[f"dashboards.{key}"].parent / dashboard["file_path"]).resolve()
        assert path.is_file(), f"dashboards.{key}: {path} does not exist"
        definition = json.loads(path.read_text())
        assert definition["datasets"] and definition["pages"]
    for key, job in BUNDLE["resources"]["jobs"].items():
        for task in job["tasks"]:
            dbt_task = task["dbt_task"]
            project = (SOURCES[f"jobs.{key}"].parent / dbt_task["project_directory"]).resolve()
            assert (project / "dbt_project.yml").is_file(), project
            assert (project / dbt_task["profiles_directory"] / "profiles.yml").is_file()
    for pattern in BUNDLE.get("sync", {}).get("include", []):
        assert (REPO / pattern).parent.is_dir(), pattern


def test_the_four_dashboards_are_deployed_in_the_targets_catalog(
    resolved: tuple[str, dict[str, Any]],
) -> None:
    target, resources = resolved
    generated = sorted(path.name for path in (REPO / "dashboards").glob("*.lvdash.json"))
    deployed = sorted(Path(d["file_path"]).name for d in resources["dashboards"].values())
    assert deployed == generated and len(deployed) == 4
    for dashboard in resources["dashboards"].values():
        assert dashboard["dataset_catalog"] == TARGET_CATALOGS[target]
        assert dashboard["warehouse_id"] == WAREHOUSE_ID


def dbt_commands(resources: dict[str, Any]) -> list[list[str]]:
    (task,) = resources["jobs"][JOB]["tasks"]
    return [shlex.split(command) for command in task["dbt_task"]["commands"]]


def dbt_vars(args: list[str]) -> dict[str, Any]:
    return yaml.safe_load(args[args.index("--vars") + 1]) if "--vars" in args else {}


def test_job_runs_deps_build_docs_and_freshness_on_a_schedule(
    resolved: tuple[str, dict[str, Any]],
) -> None:
    target, resources = resolved
    job = resources["jobs"][JOB]
    assert job["schedule"]["quartz_cron_expression"]
    commands = dbt_commands(resources)
    # The dbt command of each line: `build`, or `docs generate` for the two-word groups.
    subcommands = [
        " ".join(args[1:3] if args[1] in ("docs", "source") else args[1:2]) for args in commands
    ]
    assert subcommands == ["deps", "build", "docs generate", "source freshness"], subcommands
    for args in commands[1:]:
        assert args[args.index("--target") + 1] == target
        assert dbt_vars(args)["catalog"] == TARGET_CATALOGS[target]
        assert dbt_vars(args)["warehouse_id"] == WAREHOUSE_ID


def test_seeds_load_only_on_the_demo_target() -> None:
    for target, demo in (("dev", True), ("prod", False)):
        for args in dbt_commands(for_target(target))[1:]:
            assert dbt_vars(args)["load_demo_seeds"] is demo, (target, args)
            assert args[1] != "seed" or demo, "prod never runs dbt seed"


def check_dbt_command_line(args: list[str]) -> None:
    """Parse a dbt command line with dbt's own CLI definition, without running it.

    Raises on an unknown command, an unknown option or a missing option value.
    """
    assert args[0] == "dbt", args
    command, path, rest = dbt_cli, ["dbt"], args[1:]
    while isinstance(command, click.Group):
        name, *rest = rest
        subcommand = command.get_command(click.Context(command), name)
        assert subcommand is not None, f"no dbt command {' '.join([*path, name])}"
        command, path = subcommand, [*path, name]
    command.make_context(" ".join(path), rest)


def test_job_commands_are_valid_dbt_command_lines(resolved: tuple[str, dict[str, Any]]) -> None:
    _, resources = resolved
    for args in dbt_commands(resources):
        check_dbt_command_line(args)


@pytest.mark.parametrize(
    "line", ["dbt build --targt prod", "dbt source freshnes", "dbt build --vars"]
)
def test_the_command_line_check_rejects_mistakes(line: str) -> None:
    with pytest.raises((click.UsageError, AssertionError)):
        check_dbt_command_line(shlex.split(line))


def test_the_jobs_profile_parses_the_project_for_production(
    seed_sets: Callable[..., Path], make_project: Callable[..., DbtProject]
) -> None:
    """The job's production command line, as dbt parse, with the variables Databricks sets."""
    project = make_project("bundle_job_profile", seed_sets(scale=0.05))
    build = next(args for args in dbt_commands(for_target("prod")) if args[1] == "build")
    (task,) = BUNDLE["resources"]["jobs"][JOB]["tasks"]
    profiles = task["dbt_task"]["profiles_directory"]
    env = {"DBT_HOST": "dbc-dummy.cloud.databricks.com", "DBT_ACCESS_TOKEN": "dummy-token"}
    project.dbt("parse", "--profiles-dir", profiles, *build[2:], env=env)
    manifest = json.loads((project.root / "target" / "manifest.json").read_text())
    catalogs = {
        node["database"]
        for node in manifest["nodes"].values()
        if node["resource_type"] in ("model", "seed")
    }
    assert catalogs == {"patreon_prod"}
