"""The GitHub Actions workflows shipped for the project's users (.github/workflows/).

Both files must validate against GitHub's workflow schema (check-jsonschema's built-in copy,
offline), and say what they promise: CI on pull requests runs the README's test command and
slim CI against Databricks, deferring to the state the daily job publishes (the same volume
path); deploy runs the bundle on main with credentials from secrets; both pin the Databricks
CLI to a version the bundle accepts, and their first step (run here with bash) fails, naming
what is missing, when a secret or variable is absent. tests/test_slim_ci.py runs slim CI's
dbt command lines on DuckDB.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from bundle_config import BUNDLE, JOB, STATE_VOLUME, deploy_vars, for_target, volume_path
from dbt_harness import REPO

WORKFLOWS = REPO / ".github" / "workflows"
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"


def schema_check(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CHECK_JSONSCHEMA), "--builtin-schema", "vendor.github-workflows", *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )


def workflow(name: str) -> dict[Any, Any]:
    return yaml.safe_load((WORKFLOWS / name).read_text())


def triggers(flow: dict[Any, Any]) -> dict[str, Any]:
    # YAML 1.1 reads the key `on` as True.
    return flow.get("on", flow.get(True))


def run_lines(flow: dict[Any, Any], job: str) -> str:
    return "\n".join(step.get("run", "") for step in flow["jobs"][job]["steps"])


def test_workflows_match_the_github_schema() -> None:
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert [path.name for path in files] == ["ci.yml", "deploy.yml"]
    result = schema_check(*files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_rejects_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "ci.yml"
    text = (WORKFLOWS / "ci.yml").read_text()
    broken.write_text(text.replace("runs-on: ubuntu-latest", "runs_on: ubuntu-latest", 1))
    result = schema_check(broken)
    assert result.returncode != 0, "a job without runs-on passed the schema"


def test_ci_runs_the_readme_tests_on_pull_requests() -> None:
    flow = workflow("ci.yml")
    assert "pull_request" in triggers(flow)
    assert re.search(r"^make test$", run_lines(flow, "test"), flags=re.M)
    assert "make test" in (REPO / "README.md").read_text()


def step(flow: dict[Any, Any], job: str, name: str) -> dict[str, Any]:
    (found,) = [s for s in flow["jobs"][job]["steps"] if s.get("name", "").startswith(name)]
    return found


def expand_defaults(value: str) -> str:
    """A workflow expression `${{ vars.X || 'default' }}` as its default."""
    return re.sub(r"\$\{\{ vars\.\w+ \|\| '([^']*)' \}\}", r"\1", value)


def test_ci_slim_builds_changed_models_deferring_to_production() -> None:
    flow = workflow("ci.yml")
    job = flow["jobs"]["slim-ci"]
    assert "pull_request" in job["if"]
    build = step(flow, "slim-ci", "Build the changed models")["run"]
    with_state = re.search(r"^\s*dbt build .*--state.*$", build, flags=re.M)
    assert with_state, "slim CI runs no state build"
    for flag in ("--select state:modified+", "--defer", "--state production-state"):
        assert flag in with_state.group(0), f"slim CI build lacks {flag}"
    assert re.search(r"^\s*dbt build$", build, flags=re.M), "no full build as the fallback"
    for secret in ("DATABRICKS_HOST", "DATABRICKS_HTTP_PATH", "DATABRICKS_TOKEN"):
        assert job["env"][secret] == f"${{{{ secrets.{secret} }}}}"
    # CI builds in its own catalog and reads production's raw tables.
    assert expand_defaults(job["env"]["DATABRICKS_CATALOG"]) == "patreon_ci"
    assert expand_defaults(job["env"]["DBT_RAW_CATALOG"]) == "patreon_prod"


def test_ci_fetches_the_state_the_prod_job_publishes() -> None:
    """The path ci.yml reads is where the deployed prod job writes its manifest."""
    flow = workflow("ci.yml")
    fetched = expand_defaults(flow["jobs"]["slim-ci"]["env"]["PRODUCTION_STATE"])
    resources = for_target("prod", deploy_vars("prod"))
    (task,) = resources["jobs"][JOB]["tasks"]
    parse = next(c for c in task["dbt_task"]["commands"] if c.startswith("dbt parse"))
    published = parse.split("--target-path ")[1].split()[0]
    assert published == volume_path(resources["volumes"][STATE_VOLUME])
    assert fetched == f"{published}/manifest.json"
    fetch = step(flow, "slim-ci", "Production state")["run"]
    assert 'databricks fs cp "dbfs:$PRODUCTION_STATE" production-state/manifest.json' in fetch


def run_step(script: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """A workflow step's script under bash -e, as GitHub runs it, with only the given env."""
    return subprocess.run(
        ["bash", "-e", "-c", script],
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        check=False,
    )


CHECKED = {
    "ci.yml": ("slim-ci", {"DATABRICKS_HOST", "DATABRICKS_HTTP_PATH", "DATABRICKS_TOKEN"}),
    "deploy.yml": (
        "deploy",
        {
            "DATABRICKS_HOST",
            "DATABRICKS_CLIENT_ID",
            "DATABRICKS_CLIENT_SECRET",
            "BUNDLE_VAR_warehouse_id",
            "BUNDLE_VAR_alert_email",
        },
    ),
}


@pytest.mark.parametrize("name", sorted(CHECKED))
def test_a_workflow_without_its_secrets_fails_naming_them(name: str) -> None:
    job, variables = CHECKED[name]
    flow = workflow(name)
    first = flow["jobs"][job]["steps"][0]
    assert first["name"].startswith("Check the"), "the check must run before anything else"
    assert set(flow["jobs"][job]["env"]) >= variables
    complete = {variable: "set" for variable in variables}
    assert run_step(first["run"], complete).returncode == 0
    for variable in sorted(variables):
        result = run_step(first["run"], {k: v for k, v in complete.items() if k != variable})
        assert result.returncode != 0, f"{name} runs without {variable}"
        assert "::error" in result.stdout
        # The message names the secret or variable as the repository knows it.
        source = re.search(r"(secrets|vars)\.(\w+)", flow["jobs"][job]["env"][variable])
        assert source and source.group(2) in result.stdout, result.stdout
    assert run_step(first["run"], {}).stdout.count("DATABRICKS_") >= 2


def test_deploy_runs_the_bundle_on_main_with_secrets() -> None:
    flow = workflow("deploy.yml")
    assert triggers(flow)["push"]["branches"] == ["main"]
    job = flow["jobs"]["deploy"]
    lines = run_lines(flow, "deploy")
    assert "databricks bundle validate --target prod" in lines
    assert "databricks bundle deploy --target prod" in lines
    for name, value in job["env"].items():
        assert re.fullmatch(r"\$\{\{ (secrets|vars)\.\w+ \}\}", value), f"{name}: {value}"
    assert job["env"]["BUNDLE_VAR_alert_email"].startswith("${{ vars."), "not a secret"


def cli_version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.removeprefix("v").split("."))


@pytest.mark.parametrize("name", ["ci.yml", "deploy.yml"])
def test_the_databricks_cli_is_pinned_to_a_version_the_bundle_accepts(name: str) -> None:
    uses = [
        s["uses"]
        for job in workflow(name)["jobs"].values()
        for s in job["steps"]
        if s.get("uses", "").startswith("databricks/setup-cli@")
    ]
    assert uses, f"{name} installs no Databricks CLI"
    minimum = re.fullmatch(r">=\s*(\S+)", BUNDLE["bundle"]["databricks_cli_version"])
    assert minimum
    for action in uses:
        pinned = action.split("@", 1)[1]
        assert re.fullmatch(r"v\d+\.\d+\.\d+", pinned), f"{action} is not a release tag"
        assert cli_version(pinned) >= cli_version(minimum.group(1))


@pytest.mark.parametrize("name", ["ci.yml", "deploy.yml"])
def test_every_secret_and_variable_is_documented(name: str) -> None:
    text = (WORKFLOWS / name).read_text()
    used = set(re.findall(r"(?<![\w-])(?:secrets|vars)\.(\w+)", text))
    guide = (REPO / "docs" / "deployment.md").read_text()
    undocumented = sorted(item for item in used if f"`{item}`" not in guide)
    assert not undocumented, f"docs/deployment.md does not explain {undocumented}"
