"""The GitHub Actions workflows shipped for the project's users (.github/workflows/).

Both files must validate against GitHub's workflow schema (check-jsonschema's built-in copy,
offline), and say what they promise: CI on pull requests runs the README's test command and
slim CI against Databricks; deploy runs the bundle on main with credentials from secrets.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
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


def test_ci_slim_builds_changed_models_deferring_to_production() -> None:
    flow = workflow("ci.yml")
    job = flow["jobs"]["slim-ci"]
    assert "databricks-secrets" in job["needs"] and "present == 'true'" in job["if"]
    lines = run_lines(flow, "slim-ci")
    build = re.search(r"^dbt build .*$", lines, flags=re.M)
    assert build, "slim CI runs no dbt build"
    for flag in ("--select state:modified+", "--defer", "--state production-state"):
        assert flag in build.group(0), f"slim CI build lacks {flag}"
    assert "dbt parse --target prod" in lines, "the production state comes from the prod target"
    for secret in ("DATABRICKS_HOST", "DATABRICKS_HTTP_PATH", "DATABRICKS_TOKEN"):
        assert job["env"][secret] == f"${{{{ secrets.{secret} }}}}"


def test_deploy_runs_the_bundle_on_main_with_secrets() -> None:
    flow = workflow("deploy.yml")
    assert triggers(flow)["push"]["branches"] == ["main"]
    job = flow["jobs"]["deploy"]
    lines = run_lines(flow, "deploy")
    assert "databricks bundle validate --target prod" in lines
    assert "databricks bundle deploy --target prod" in lines
    assert any(step.get("uses", "").startswith("databricks/setup-cli@") for step in job["steps"])
    for name, value in job["env"].items():
        assert re.fullmatch(r"\$\{\{ secrets\.\w+ \}\}", value), f"{name} is not a secret"


@pytest.mark.parametrize("name", ["ci.yml", "deploy.yml"])
def test_every_secret_is_documented(name: str) -> None:
    secrets = set(re.findall(r"(?<![\w-])secrets\.(\w+)", (WORKFLOWS / name).read_text()))
    guide = (REPO / "docs" / "deployment.md").read_text()
    undocumented = sorted(secret for secret in secrets if secret not in guide)
    assert not undocumented, f"docs/deployment.md does not explain {undocumented}"
