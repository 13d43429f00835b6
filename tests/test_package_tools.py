"""Package mode with installed copies: codegen as documented, and dbt-project-evaluator.

Runs when installed copies of the packages are available (tests/dbt_harness.py
PACKAGE_COPIES); skips with that reason otherwise. The commands are read from
docs/developer-guide.md, so the documentation is what is tested.
"""

from __future__ import annotations

import json
import re
import shlex

import pytest

from dbt_harness import (
    EVALUATOR,
    PACKAGE_COPIES,
    REPO,
    DbtProject,
    link_package_copies,
    missing_package_copies,
)

GUIDE = REPO / "docs" / "developer-guide.md"

pytestmark = pytest.mark.skipif(
    bool(missing_package_copies(EVALUATOR)),
    reason=f"no installed package copies at {PACKAGE_COPIES} (set PATREON_PACKAGE_COPIES)",
)


def documented_dbt_commands(heading: str) -> list[list[str]]:
    """The `dbt ...` lines of the first bash block under a heading of the developer guide."""
    section = GUIDE.read_text().split(f"## {heading}\n", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.DOTALL)
    assert block, f"no bash block under {heading!r}"
    return [shlex.split(line) for line in block.group(1).splitlines() if line.startswith("dbt ")]


@pytest.fixture(scope="module")
def package_project(make_project, seed_sets, tmp_path_factory) -> DbtProject:
    """A small seeded project with the copies and the evaluator linked in."""
    install = link_package_copies(tmp_path_factory.mktemp("packages") / "dbt_packages", EVALUATOR)
    project = make_project("package_tools", seed_sets(scale=0.05))
    project.extra_env = {"DBT_PACKAGES_INSTALL_PATH": str(install)}
    project.dbt("seed")
    return project


def test_codegen_commands_work_as_documented(package_project: DbtProject) -> None:
    commands = documented_dbt_commands("Generating model YAML with codegen (package mode)")
    assert any("codegen.generate_source" in " ".join(c) for c in commands)
    for command in commands:
        result = package_project.dbt(
            *command[1:],
        )
        if "codegen.generate_model_yaml" in command:
            assert "- name: stg_creators" in result.output
        if "codegen.generate_source" in command:
            assert "- name: transactions" in result.output


def test_project_evaluator_reports_only_recorded_exceptions(package_project: DbtProject) -> None:
    commands = documented_dbt_commands("dbt-project-evaluator (package mode)")
    assert len(commands) == 1 and f"package:{EVALUATOR}" in commands[0]
    result = package_project.dbt(
        *commands[0][1:],
        check=False,
    )
    run_results = json.loads((package_project.root / "target" / "run_results.json").read_text())
    tests = [r for r in run_results["results"] if r["unique_id"].startswith(f"test.{EVALUATOR}.")]
    assert len(tests) > 20, result.output[-3000:]
    violations = {
        r["unique_id"].split(".")[2]: f"{r['status']}: {r['message']}"
        for r in tests
        if r["status"] != "pass"
    }
    assert not violations, f"evaluator rules broken (record a reason or fix): {violations}"
    assert result.ok, result.output[-3000:]
    # The mart's grain test counts as a primary-key test.
    ((missing,),) = package_project.query("select count(*) from main.fct_missing_primary_key_tests")
    assert missing == 0
