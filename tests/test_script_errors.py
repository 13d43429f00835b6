"""Scripts fail on bad input with one line on stderr and a non-zero exit, never a traceback.

scripts/generate_seeds.py's bad arguments and unwritable output folders are tested in
tests/test_generate_seeds.py; this module covers scripts/build_summary.py and
scripts/dbt_packages.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from dbt_harness import DbtProject


def run_script(project: DbtProject, script: str, *args: str, **env: str):
    return subprocess.run(
        [sys.executable, f"scripts/{script}", *args],
        cwd=project.root,
        env=project.env(**env),
        capture_output=True,
        text=True,
        check=False,
    )


def assert_one_line_error(result, prefix: str, returncode: int, *words: str) -> None:
    assert result.returncode == returncode, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{prefix}: error: "), lines[0]
    for word in words:
        assert word in lines[0], (word, lines[0])


@pytest.fixture
def project(make_project) -> DbtProject:
    return make_project("scripts")


def write_run_results(project: DbtProject, text: str | None = None) -> None:
    target = project.root / "target"
    target.mkdir(exist_ok=True)
    results = {"results": [{"unique_id": "model.patreon_analytics.stg_tiers", "status": "success"}]}
    (target / "run_results.json").write_text(text if text is not None else json.dumps(results))


def test_build_summary_without_a_build(project: DbtProject):
    result = run_script(project, "build_summary.py")
    assert_one_line_error(result, "build_summary", 1, "make build")


def test_build_summary_rejects_arguments(project: DbtProject):
    result = run_script(project, "build_summary.py", "--bogus")
    assert_one_line_error(result, "build_summary", 2, "--bogus")


def test_build_summary_with_a_warehouse_missing_raw_tables(project: DbtProject):
    duckdb.connect(str(project.warehouse)).close()
    write_run_results(project)
    result = run_script(project, "build_summary.py")
    assert_one_line_error(result, "build_summary", 1, "analytics_raw")


def test_build_summary_with_a_file_that_is_not_a_warehouse(project: DbtProject):
    project.warehouse.write_text("not a database")
    write_run_results(project)
    result = run_script(project, "build_summary.py")
    assert_one_line_error(result, "build_summary", 1, str(project.warehouse))


def test_build_summary_with_unreadable_run_results(project: DbtProject, tmp_path: Path):
    duckdb.connect(str(project.warehouse)).close()
    write_run_results(project, "{ truncated")
    result = run_script(project, "build_summary.py")
    assert_one_line_error(result, "build_summary", 1, "run_results.json")


def test_dbt_packages_unknown_command(project: DbtProject):
    result = run_script(project, "dbt_packages.py", "instal")
    assert_one_line_error(result, "dbt_packages", 2, "'instal'", "ensure", "status")
