"""The Databricks Asset Bundle (databricks.yml + resources/), checked without a workspace.

The Databricks CLI cannot run here (and `bundle validate` needs a workspace), so the bundle is
resolved per target the way the CLI resolves it (tests/bundle_config.py) and then checked:

- against the CLI's published JSON schema (../shared/databricks/bundle-schema.json; skipped
  with the reason when it is absent): unknown fields, wrong types, missing required fields;
- against the rules the schema states only in its field descriptions, for the fields this
  bundle uses (a dbt task's profiles_directory only without warehouse_id, at most ten
  commands starting with `dbt`, a serverless task's environment, ...), no deprecated field,
  and the target-mode rules `bundle validate` applies; each rule is shown to catch a breach;
- through the typed classes of `databricks-bundles`;
- every file path exists, each job command parses as a dbt command line, and the job's own
  profile parses the project offline for each target, into that target's catalog;
- the job's `dbt deps` installs the versions package-lock.yml pins, not the newest ones
  (against a stand-in for the package hub serving the installed copies, scripts/package_hub.py).
"""

from __future__ import annotations

import copy
import json
import re
import shlex
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from databricks.bundles.dashboards import Dashboard
from databricks.bundles.jobs import Job
from databricks.bundles.schemas import Schema
from databricks.bundles.volumes import Volume
from dbt.cli.main import cli as dbt_cli

from bundle_config import (
    ALERT_EMAIL,
    BUNDLE,
    DEPLOYER,
    JOB,
    SOURCES,
    STATE_VOLUME,
    WAREHOUSE_ID,
    MissingVariableError,
    User,
    deploy_vars,
    for_target,
    variable_values,
    volume_path,
)
from dbt_harness import PACKAGE_COPIES, REPO, DbtProject
from package_hub import Release, releases, serving

SCHEMA_FILE = REPO.parent / "shared" / "databricks" / "bundle-schema.json"
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"
TARGETS = ("dev", "prod")
PROD_CATALOG = "patreon_prod"
# dataset_catalog / dataset_schema on dashboards: Databricks CLI 0.281.0 (its changelog).
DATASET_CATALOG_MIN_CLI = (0, 281, 0)
MAX_DBT_COMMANDS = 10
MAX_JOB_TAGS = 25
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def target_catalog(target: str, user: User = DEPLOYER) -> str:
    """Production has one catalog; each developer has their own."""
    return PROD_CATALOG if target == "prod" else f"patreon_dev_{user.short_name}"


@pytest.fixture(scope="module", params=TARGETS)
def resolved(request: pytest.FixtureRequest) -> tuple[str, dict[str, Any]]:
    return request.param, for_target(request.param, deploy_vars(request.param))


# ---------------------------------------------------------------------------------------
# Targets and variables
# ---------------------------------------------------------------------------------------


def test_targets_variables_and_modes() -> None:
    assert set(BUNDLE["targets"]) == set(TARGETS)
    assert {"warehouse_id", "catalog", "alert_email"} <= set(BUNDLE["variables"])
    for required in ("warehouse_id", "alert_email"):
        assert "default" not in BUNDLE["variables"][required], f"{required} has a default"
    assert BUNDLE["targets"]["dev"]["mode"] == "development"
    assert BUNDLE["targets"]["prod"]["mode"] == "production"
    assert variable_values("prod", deploy_vars("prod"))["catalog"] == PROD_CATALOG


def test_prod_requires_an_alert_address_and_dev_alerts_the_deployer() -> None:
    with pytest.raises(MissingVariableError, match="alert_email"):
        for_target("prod", {"warehouse_id": WAREHOUSE_ID})
    for target, expected in (("prod", ALERT_EMAIL), ("dev", DEPLOYER.user_name)):
        job = for_target(target, deploy_vars(target))["jobs"][JOB]
        assert job["email_notifications"]["on_failure"] == [expected], target


def test_every_deployment_needs_a_warehouse() -> None:
    for target in TARGETS:
        with pytest.raises(MissingVariableError, match="warehouse_id"):
            for_target(target, {"alert_email": ALERT_EMAIL})


def built_catalogs(resources: dict[str, Any]) -> dict[str, str]:
    """Where a deployment writes or reads: the job's catalog var, the dashboards' default
    catalog, the state volume's catalog and the path the job publishes to."""
    (task,) = resources["jobs"][JOB]["tasks"]
    found = {
        " ".join(args[1:3]): dbt_vars(args)["catalog"]
        for args in map(shlex.split, task["dbt_task"]["commands"])
        if "--vars" in args
    }
    found |= {key: d["dataset_catalog"] for key, d in resources["dashboards"].items()}
    found["volume"] = resources["volumes"][STATE_VOLUME]["catalog_name"]
    found["schema"] = resources["schemas"]["state"]["catalog_name"]
    found["published to"] = publish_path(resources).split("/")[2]
    return found


def test_each_developer_builds_into_their_own_catalog_and_prod_is_shared() -> None:
    """Two developers' dev deployments write disjoint catalogs; prod is one catalog."""
    jane, john = DEPLOYER, User("John.Smith+test@example.com")
    for user in (jane, john):
        catalogs = built_catalogs(for_target("dev", deploy_vars("dev"), user))
        assert set(catalogs.values()) == {target_catalog("dev", user)}, catalogs
        prod = built_catalogs(for_target("prod", deploy_vars("prod"), user))
        assert set(prod.values()) == {PROD_CATALOG}, prod
    assert target_catalog("dev", jane) != target_catalog("dev", john)
    assert john.short_name == "john_smith_test"


def test_development_mode_prefixes_names_with_the_user() -> None:
    dev, prod = for_target("dev", deploy_vars("dev")), for_target("prod", deploy_vars("prod"))
    assert dev["jobs"][JOB]["name"] == f"[dev {DEPLOYER.short_name}] {JOB}"
    assert prod["jobs"][JOB]["name"] == JOB
    assert dev["schemas"]["state"]["name"] == f"dev_{DEPLOYER.short_name}_analytics_state"
    assert prod["schemas"]["state"]["name"] == "analytics_state"


# ---------------------------------------------------------------------------------------
# The CLI's JSON schema
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cli_schema() -> dict[str, Any]:
    if not SCHEMA_FILE.is_file():
        pytest.skip(
            f"{SCHEMA_FILE} is absent: the bundle schema of the Databricks CLI "
            "(`databricks bundle schema` writes it) is needed to validate the bundle"
        )
    return json.loads(SCHEMA_FILE.read_text())


def merged_config(target: str, cli_vars: dict[str, str]) -> dict[str, Any]:
    """databricks.yml with the includes merged in, each variable's value for the target as its
    default and every reference resolved: the configuration `bundle validate` checks."""
    config = copy.deepcopy({key: value for key, value in BUNDLE.items() if key != "resources"})
    values = variable_values(target, cli_vars)
    for name, spec in config["variables"].items():
        spec["default"] = values[name]
    config["resources"] = for_target(target, cli_vars)
    return config


def schema_check(config: dict[str, Any], folder: Path) -> subprocess.CompletedProcess[str]:
    path = folder / "bundle.json"
    path.write_text(json.dumps(config))
    return subprocess.run(
        [str(CHECK_JSONSCHEMA), "--schemafile", str(SCHEMA_FILE), str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("target", TARGETS)
def test_the_merged_bundle_matches_the_cli_schema(
    target: str, cli_schema: dict[str, Any], tmp_path: Path
) -> None:
    result = schema_check(merged_config(target, deploy_vars(target)), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_files_as_written_match_the_cli_schema(
    cli_schema: dict[str, Any], tmp_path: Path
) -> None:
    for path in [REPO / "databricks.yml", *sorted(set(SOURCES.values()))]:
        result = schema_check(yaml.safe_load(path.read_text()), tmp_path)
        assert result.returncode == 0, f"{path.name}: {result.stdout}{result.stderr}"


@pytest.mark.parametrize(
    "breakage",
    ["misspelt field", "wrong type", "missing required field"],
)
def test_the_schema_check_rejects_a_broken_bundle(
    breakage: str, cli_schema: dict[str, Any], tmp_path: Path
) -> None:
    config = merged_config("prod", deploy_vars("prod"))
    job = config["resources"]["jobs"][JOB]
    if breakage == "misspelt field":
        job["tasks"][0]["dbt_task"]["comands"] = job["tasks"][0]["dbt_task"].pop("commands")
    elif breakage == "wrong type":
        job["max_concurrent_runs"] = "one"
    else:
        del config["resources"]["volumes"][STATE_VOLUME]["schema_name"]
    assert schema_check(config, tmp_path).returncode != 0, breakage


# ---------------------------------------------------------------------------------------
# Rules the schema states in descriptions, and `bundle validate`'s target-mode rules
# ---------------------------------------------------------------------------------------


def resolve_ref(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """The schema node a `$ref` points at (JSON pointer), followed until there is none."""
    while "$ref" in node:
        target: Any = schema
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def variant(schema: dict[str, Any], node: dict[str, Any], value: Any) -> dict[str, Any]:
    """The alternative of a oneOf/anyOf that describes an object or list value."""
    node = resolve_ref(schema, node)
    wanted = "object" if isinstance(value, dict) else "array" if isinstance(value, list) else None
    for option in node.get("oneOf", node.get("anyOf", [])):
        option = resolve_ref(schema, option)
        if wanted and option.get("type") == wanted:
            return option
    return node


def deprecated_fields(
    schema: dict[str, Any], node: dict[str, Any], value: Any, path: str = ""
) -> Iterator[str]:
    """Every field of value that the schema marks deprecated."""
    node = variant(schema, node, value)
    if isinstance(value, dict):
        properties = node.get("properties")
        for key, item in value.items():
            child = (properties or {}).get(key)
            if child is None and isinstance(node.get("additionalProperties"), dict):
                child = node["additionalProperties"]
            if child is None:
                continue
            if child.get("deprecated") or resolve_ref(schema, child).get("deprecated"):
                yield f"{path}.{key}".lstrip(".")
            yield from deprecated_fields(schema, child, item, f"{path}.{key}")
    elif isinstance(value, list) and isinstance(node.get("items"), dict):
        for index, item in enumerate(value):
            yield from deprecated_fields(schema, node["items"], item, f"{path}[{index}]")


def cli_version(constraint: str) -> tuple[int, ...]:
    """The lowest version a `>= x.y.z` constraint allows."""
    match = re.fullmatch(r">=\s*v?(\d+)\.(\d+)\.(\d+)", constraint.strip())
    assert match, f"unsupported databricks_cli_version constraint {constraint!r}"
    return tuple(int(part) for part in match.groups())


def job_rule_violations(key: str, job: dict[str, Any]) -> list[str]:
    """The Jobs API's rules stated in the field descriptions, for the fields used here."""
    found = []
    if len(job.get("name", "").encode()) > 4096:
        found.append(f"{key}: name longer than 4096 bytes")
    if len(job.get("description", "")) > 27700:
        found.append(f"{key}: description longer than 27700 characters")
    if len(job.get("tags", {})) > MAX_JOB_TAGS:
        found.append(f"{key}: more than {MAX_JOB_TAGS} tags")
    environments = [env["environment_key"] for env in job.get("environments", [])]
    if len(set(environments)) != len(environments):
        found.append(f"{key}: environment_key not unique")
    for env in job.get("environments", []):
        spec = env.get("spec", {})
        if not ({"environment_version", "base_environment"} & set(spec)):
            found.append(f"{key}: environment {env['environment_key']} has no environment_version")
    tasks = [task["task_key"] for task in job["tasks"]]
    if len(set(tasks)) != len(tasks):
        found.append(f"{key}: task_key not unique")
    for task in job["tasks"]:
        found += task_rule_violations(f"{key}.{task['task_key']}", task, environments)
    for event, addresses in job.get("email_notifications", {}).items():
        found += [
            f"{key}: {event} address {address!r} is not an e-mail address"
            for address in addresses
            if not EMAIL.fullmatch(str(address))
        ]
    schedule = job.get("schedule")
    if schedule and not {"quartz_cron_expression", "timezone_id"} <= set(schedule):
        found.append(f"{key}: schedule needs quartz_cron_expression and timezone_id")
    return found


def task_rule_violations(name: str, task: dict[str, Any], environments: list[str]) -> list[str]:
    found = []
    dbt_task = task.get("dbt_task")
    compute = {"new_cluster", "existing_cluster_id", "job_cluster_key"} & set(task)
    if dbt_task is not None and not compute and "environment_key" not in task:
        found.append(f"{name}: a serverless dbt task needs an environment_key")
    if "environment_key" in task and task["environment_key"] not in environments:
        found.append(f"{name}: environment_key {task['environment_key']!r} is not declared")
    if dbt_task is None:
        return found
    warehouse = "warehouse_id" in dbt_task
    if warehouse and "profiles_directory" in dbt_task:
        found.append(f"{name}: profiles_directory can only be set without warehouse_id")
    for field in ("catalog", "schema"):
        if field in dbt_task and not warehouse:
            found.append(f"{name}: dbt_task.{field} is only used with a warehouse_id")
    if dbt_task.get("source", "WORKSPACE") == "WORKSPACE" and not dbt_task.get("project_directory"):
        found.append(f"{name}: a workspace dbt task needs project_directory")
    commands = dbt_task.get("commands", [])
    if not commands or len(commands) > MAX_DBT_COMMANDS:
        found.append(f"{name}: {len(commands)} dbt commands (1 to {MAX_DBT_COMMANDS} allowed)")
    found += [
        f"{name}: command {command!r} does not start with dbt"
        for command in commands
        if not command.startswith("dbt ")
    ]
    return found


def rule_violations(bundle: dict[str, Any], resources: dict[str, Any]) -> list[str]:
    """Every breach of the rules above in one resolved target."""
    found = []
    for key, job in resources.get("jobs", {}).items():
        found += job_rule_violations(key, job)
    if any("dataset_catalog" in d for d in resources.get("dashboards", {}).values()):
        constraint = bundle["bundle"].get("databricks_cli_version")
        if not constraint or cli_version(constraint) < DATASET_CATALOG_MIN_CLI:
            found.append(f"dataset_catalog needs CLI 0.281.0; the bundle allows {constraint}")
    schemas = {schema["name"]: schema for schema in resources.get("schemas", {}).values()}
    for key, volume in resources.get("volumes", {}).items():
        schema = schemas.get(volume["schema_name"])
        if schema and schema["catalog_name"] != volume["catalog_name"]:
            found.append(f"volume {key}: its schema is in another catalog")
    return found


def mode_violations(target: str, user: User = DEPLOYER) -> list[str]:
    """`bundle validate`'s target-mode rules: production sets its root_path (one copy);
    development paths contain the user's name (one copy each)."""
    spec = BUNDLE["targets"][target]
    workspace = spec.get("workspace", {})
    if spec.get("mode") == "production" and not workspace.get("root_path"):
        return [f"{target}: mode production must set workspace.root_path"]
    if spec.get("mode") == "development":
        return [
            f"{target}: workspace.{field} must contain the user name"
            for field in ("root_path", "file_path", "artifact_path", "state_path")
            if field in workspace
            and "${workspace.current_user" not in workspace[field]
            and user.short_name not in workspace[field]
        ]
    return []


def test_the_resolved_bundle_keeps_the_stated_rules(resolved: tuple[str, dict[str, Any]]) -> None:
    target, resources = resolved
    assert rule_violations(BUNDLE, resources) == []
    assert mode_violations(target) == []


def test_no_deprecated_field_is_used(
    resolved: tuple[str, dict[str, Any]], cli_schema: dict[str, Any]
) -> None:
    target, _ = resolved
    config = merged_config(target, deploy_vars(target))
    assert list(deprecated_fields(cli_schema, cli_schema, config)) == []


def test_the_deprecation_check_finds_a_deprecated_field(cli_schema: dict[str, Any]) -> None:
    config = merged_config("prod", deploy_vars("prod"))
    config["resources"]["jobs"][JOB]["email_notifications"]["no_alert_for_skipped_runs"] = True
    found = list(deprecated_fields(cli_schema, cli_schema, config))
    assert found == [f"resources.jobs.{JOB}.email_notifications.no_alert_for_skipped_runs"]


def dbt_task_of(resources: dict[str, Any]) -> dict[str, Any]:
    return resources["jobs"][JOB]["tasks"][0]["dbt_task"]


BREACHES: dict[str, tuple[Callable[[dict[str, Any], dict[str, Any]], None], str]] = {
    "warehouse_id beside profiles_directory": (
        lambda bundle, res: dbt_task_of(res).update(warehouse_id=WAREHOUSE_ID),
        "profiles_directory can only be set without warehouse_id",
    ),
    "catalog without a warehouse": (
        lambda bundle, res: dbt_task_of(res).update(catalog=PROD_CATALOG),
        "dbt_task.catalog is only used with a warehouse_id",
    ),
    "eleven commands": (
        lambda bundle, res: dbt_task_of(res).update(commands=["dbt debug"] * 11),
        "11 dbt commands",
    ),
    "a command that is not dbt": (
        lambda bundle, res: dbt_task_of(res)["commands"].append("python publish.py"),
        "does not start with dbt",
    ),
    "no project directory": (
        lambda bundle, res: dbt_task_of(res).pop("project_directory"),
        "needs project_directory",
    ),
    "an undeclared environment": (
        lambda bundle, res: res["jobs"][JOB]["tasks"][0].update(environment_key="spark"),
        "is not declared",
    ),
    "a serverless task without environment": (
        lambda bundle, res: res["jobs"][JOB]["tasks"][0].pop("environment_key"),
        "needs an environment_key",
    ),
    "an environment without a version": (
        lambda bundle, res: res["jobs"][JOB]["environments"][0]["spec"].pop("environment_version"),
        "has no environment_version",
    ),
    "a duplicate task key": (
        lambda bundle, res: res["jobs"][JOB]["tasks"].append(res["jobs"][JOB]["tasks"][0]),
        "task_key not unique",
    ),
    "an alert to a user name": (
        lambda bundle, res: res["jobs"][JOB]["email_notifications"].update(
            on_failure=["4a1f0e3c-service-principal"]
        ),
        "is not an e-mail address",
    ),
    "a CLI too old for dataset_catalog": (
        lambda bundle, res: bundle["bundle"].update(databricks_cli_version=">= 0.250.0"),
        "dataset_catalog needs CLI 0.281.0",
    ),
    "a volume outside its schema's catalog": (
        lambda bundle, res: res["volumes"][STATE_VOLUME].update(catalog_name="elsewhere"),
        "its schema is in another catalog",
    ),
}


@pytest.mark.parametrize("breach", sorted(BREACHES))
def test_each_rule_catches_its_breach(breach: str) -> None:
    bundle, resources = copy.deepcopy(BUNDLE), for_target("prod", deploy_vars("prod"))
    apply, message = BREACHES[breach]
    apply(bundle, resources)
    found = rule_violations(bundle, resources)
    assert any(message in problem for problem in found), found


def test_the_mode_rules_catch_a_shared_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    prod = copy.deepcopy(BUNDLE["targets"]["prod"])
    prod["workspace"].pop("root_path")
    dev = copy.deepcopy(BUNDLE["targets"]["dev"]) | {"workspace": {"root_path": "/Shared/x"}}
    monkeypatch.setitem(BUNDLE["targets"], "prod", prod)
    monkeypatch.setitem(BUNDLE["targets"], "dev", dev)
    assert mode_violations("prod") and mode_violations("dev")


# ---------------------------------------------------------------------------------------
# Typed classes and files
# ---------------------------------------------------------------------------------------


def test_resources_load_through_the_typed_classes(resolved: tuple[str, dict[str, Any]]) -> None:
    _, resources = resolved
    assert set(resources) == {"jobs", "dashboards", "schemas", "volumes"}
    for job in resources["jobs"].values():
        Job.from_dict(job)
    for dashboard in resources["dashboards"].values():
        Dashboard.from_dict(dashboard)
    for schema in resources["schemas"].values():
        Schema.from_dict(schema)
    for volume in resources["volumes"].values():
        Volume.from_dict(volume)


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
            assert (project / "package-lock.yml").is_file(), "dbt deps would resolve afresh"
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
        assert dashboard["dataset_catalog"] == target_catalog(target)
        assert dashboard["warehouse_id"] == WAREHOUSE_ID


# ---------------------------------------------------------------------------------------
# The job's dbt commands
# ---------------------------------------------------------------------------------------


def dbt_commands(resources: dict[str, Any]) -> list[list[str]]:
    return [shlex.split(command) for command in dbt_task_of(resources)["commands"]]


def dbt_vars(args: list[str]) -> dict[str, Any]:
    return yaml.safe_load(args[args.index("--vars") + 1]) if "--vars" in args else {}


def subcommand(args: list[str]) -> str:
    """The dbt command of a line: `build`, or `docs generate` for the two-word groups."""
    return " ".join(args[1:3] if args[1] in ("docs", "source") else args[1:2])


def publish_path(resources: dict[str, Any]) -> str:
    (parse,) = [args for args in dbt_commands(resources) if subcommand(args) == "parse"]
    return parse[parse.index("--target-path") + 1]


def test_the_dbt_task_uses_the_projects_profile_not_a_generated_one(
    resolved: tuple[str, dict[str, Any]],
) -> None:
    """One choice applied throughout: profiles_directory, no warehouse_id, --target on every
    command, the warehouse passed to the profile as a dbt var."""
    target, resources = resolved
    task = dbt_task_of(resources)
    assert task["profiles_directory"] == "dbt_profiles/" and "warehouse_id" not in task
    for args in dbt_commands(resources):
        assert args[args.index("--target") + 1] == target, args
        assert "--profiles-dir" not in args, "the task's profiles_directory applies"
    profile = yaml.safe_load((REPO / "dbt_profiles" / "profiles.yml").read_text())
    output = profile["patreon_databricks"]["outputs"][target]
    assert "var('warehouse_id')" in output["http_path"]
    assert output["host"] == "{{ env_var('DBT_HOST') }}"
    assert output["token"] == "{{ env_var('DBT_ACCESS_TOKEN') }}"


def test_job_builds_publishes_its_state_then_docs_and_freshness(
    resolved: tuple[str, dict[str, Any]],
) -> None:
    target, resources = resolved
    assert resources["jobs"][JOB]["schedule"]["quartz_cron_expression"]
    commands = dbt_commands(resources)
    assert [subcommand(args) for args in commands] == [
        "deps",
        "seed",
        "build",
        "parse",
        "docs generate",
        "source freshness",
    ]
    for args in commands[1:]:
        assert dbt_vars(args)["catalog"] == target_catalog(target)
        assert dbt_vars(args)["warehouse_id"] == WAREHOUSE_ID
    # The published manifest is the build's: the same command-line vars.
    build, parse = commands[2], commands[3]
    assert dbt_vars(parse) == dbt_vars(build)
    assert publish_path(resources) == volume_path(resources["volumes"][STATE_VOLUME])


def test_seeds_load_only_on_the_demo_target_and_never_in_the_build() -> None:
    """`dbt seed` enables the demo seeds on dev only; every other command leaves them off, so
    no build replaces or races the raw tables."""
    for target, demo in (("dev", True), ("prod", False)):
        for args in dbt_commands(for_target(target, deploy_vars(target)))[1:]:
            expected = demo and subcommand(args) == "seed"
            assert dbt_vars(args)["load_demo_seeds"] is expected, (target, args)


def check_dbt_command_line(args: list[str]) -> None:
    """Parse a dbt command line with dbt's own CLI definition, without running it.

    Raises on an unknown command, an unknown option or a missing option value.
    """
    assert args[0] == "dbt", args
    command, path, rest = dbt_cli, ["dbt"], args[1:]
    while isinstance(command, click.Group):
        name, *rest = rest
        found = command.get_command(click.Context(command), name)
        assert found is not None, f"no dbt command {' '.join([*path, name])}"
        command, path = found, [*path, name]
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


@pytest.mark.parametrize("target", TARGETS)
def test_the_jobs_profile_parses_the_project_into_the_targets_catalog(
    target: str, seed_sets: Callable[..., Path], make_project: Callable[..., DbtProject]
) -> None:
    """The job's build command line, as dbt parse with its profiles_directory, and the
    variables Databricks sets for a dbt task: every relation lands in the target's catalog."""
    project = make_project(f"bundle_job_profile_{target}", seed_sets(scale=0.05))
    resources = for_target(target, deploy_vars(target))
    build = next(args for args in dbt_commands(resources) if args[1] == "build")
    profiles = dbt_task_of(resources)["profiles_directory"]
    env = {"DBT_HOST": "dbc-dummy.cloud.databricks.com", "DBT_ACCESS_TOKEN": "dummy-token"}
    project.dbt("parse", "--profiles-dir", profiles, *build[2:], env=env)
    manifest = json.loads((project.root / "target" / "manifest.json").read_text())
    catalogs = {
        node["database"]
        for node in [*manifest["nodes"].values(), *manifest["sources"].values()]
        if node["resource_type"] in ("model", "seed", "source")
    }
    assert catalogs == {target_catalog(target)}


# ---------------------------------------------------------------------------------------
# package-lock.yml: what the job's `dbt deps` installs
# ---------------------------------------------------------------------------------------


def locked_releases() -> list[Release]:
    lock = yaml.safe_load((REPO / "package-lock.yml").read_text())
    pins = [
        f"{entry['package']}={entry['version']}" for entry in lock["packages"] if "package" in entry
    ]
    return releases(PACKAGE_COPIES, pins)


def newer_release(release: Release) -> Release:
    """A later patch of the same copy, inside every version range the project states."""
    major, minor, _patch = release.version.split(".")
    return Release(release.package, f"{major}.{minor}.99", release.folder)


def installed_versions(output: str) -> dict[str, str]:
    """Each `Installing <package>` of dbt deps' log with the `Installed from version <v>`
    that follows it (a local package has none)."""
    found, package = {}, None
    for line in output.splitlines():
        if match := re.search(r"Installing (\S+)", line):
            package = match.group(1)
        elif (match := re.search(r"Installed from version (\S+)", line)) and package:
            found[package] = match.group(1)
    return found


@pytest.fixture(scope="module")
def hub_releases() -> list[Release]:
    if not PACKAGE_COPIES.is_dir():
        pytest.skip(f"{PACKAGE_COPIES} is absent: no installed package copies to serve")
    return locked_releases()


def test_the_lock_pins_every_hub_package_and_its_dependencies(hub_releases: list[Release]) -> None:
    locked = {release.package for release in hub_releases}
    specified = {
        p["package"]
        for p in yaml.safe_load((REPO / "packages.yml").read_text())["packages"]
        if "package" in p
    }
    dependencies = {d["package"] for release in hub_releases for d in release.dependencies()}
    assert specified | dependencies == locked


@pytest.mark.parametrize("with_lock", [True, False], ids=["locked", "without the lock"])
def test_dbt_deps_installs_the_locked_versions(
    with_lock: bool, hub_releases: list[Release], make_project: Callable[..., DbtProject]
) -> None:
    """The hub also offers a newer version of each package: with package-lock.yml dbt deps
    installs the pinned ones and leaves the lock as it is; without it, the newest."""
    project = make_project(f"package_lock_{with_lock}")
    lock_file = project.root / "package-lock.yml"
    if not with_lock:
        lock_file.unlink()
    before = lock_file.read_text() if with_lock else ""
    newer = [newer_release(release) for release in hub_releases]
    with serving([*hub_releases, *newer]) as url:
        env = {"DBT_PACKAGE_HUB_URL": url, "DBT_PACKAGES_INSTALL_PATH": str(project.root / "pk")}
        result = project.dbt("deps", env=env)
    chosen = hub_releases if with_lock else newer
    assert installed_versions(result.output) == {r.package: r.version for r in chosen}
    if with_lock:
        assert lock_file.read_text() == before, "dbt deps rewrote the lock"
