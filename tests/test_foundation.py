"""The project's skeleton: package modes, profiles and project layout."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from dbt_harness import PACKAGE_COPIES, REPO, DbtProject, missing_package_copies


def resolve_packages(
    project: DbtProject, install_path: Path, **extra_env: str
) -> subprocess.CompletedProcess[str]:
    """Run scripts/dbt_packages.py ensure in a copy, with the given install path (and env)."""
    return subprocess.run(
        [sys.executable, "scripts/dbt_packages.py", "ensure"],
        cwd=project.root,
        env=project.env(DBT_PACKAGES_INSTALL_PATH=str(install_path), **extra_env),
        capture_output=True,
        text=True,
        check=True,
    )


@pytest.fixture
def bare_project(make_project, seed_sets) -> DbtProject:
    """A copy with a small seed set (models ref the seeds, so dbt parse needs the CSVs)."""
    return make_project("bare", seed_sets(scale=0.05))


def test_offline_mode_writes_placeholders_and_names_skipped_checks(bare_project, tmp_path):
    install = tmp_path / "offline_packages"
    result = resolve_packages(bare_project, install)

    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 1, result.stdout
    assert "OFFLINE mode" in lines[0]
    checks = sorted(p.stem for p in (bare_project.root / "package-checks" / "tests").rglob("*.sql"))
    for check in checks:
        assert check in lines[0]
    specified = yaml.safe_load((REPO / "packages.yml").read_text())["packages"]
    placeholders = sorted(install.iterdir())
    assert len(placeholders) == len(specified)
    assert all((p / ".offline-placeholder").exists() for p in placeholders)
    # No placeholder carries code: nothing from a hub package is faked.
    assert all(
        sorted(f.name for f in p.iterdir()) == [".offline-placeholder", "dbt_project.yml"]
        for p in placeholders
    )

    parsed = bare_project.dbt("parse", env={"DBT_PACKAGES_INSTALL_PATH": str(install)})
    assert parsed.ok


def test_without_packages_dbt_refuses_to_run(bare_project, tmp_path):
    """The failure offline mode exists for: dbt's own count check on packages.yml."""
    empty = tmp_path / "empty"
    empty.mkdir()
    result = bare_project.dbt("parse", check=False, env={"DBT_PACKAGES_INSTALL_PATH": str(empty)})
    assert not result.ok
    assert "package(s) specified in packages.yml" in result.output


@pytest.mark.skipif(
    bool(missing_package_copies()),
    reason=f"no installed package copies at {PACKAGE_COPIES} (set PATREON_PACKAGE_COPIES)",
)
def test_package_mode_from_read_only_copies_loads_the_package_checks(bare_project, tmp_path):
    install = tmp_path / "packages"
    result = resolve_packages(bare_project, install, DBT_PACKAGES_FROM=str(PACKAGE_COPIES))
    assert "package mode" in result.stdout
    # The copies are linked, not written to: only links in the install folder.
    assert all(entry.is_symlink() for entry in install.iterdir())

    listed = bare_project.dbt(
        "ls",
        "--resource-type",
        "test",
        "--select",
        "tag:package_checks",
        env={"DBT_PACKAGES_INSTALL_PATH": str(install)},
    )
    checks = {p.stem for p in (bare_project.root / "package-checks" / "tests").rglob("*.sql")}
    listed_names = {line.rsplit(".", 1)[-1] for line in listed.output.splitlines()}
    assert checks, "package-checks/ holds no checks"
    assert checks <= listed_names


def test_offline_mode_survives_dbt_clean(bare_project, tmp_path):
    """`dbt clean` must not delete the offline placeholders: `dbt deps` cannot restore them."""
    install = bare_project.root / "dbt_packages"
    env = {"DBT_PACKAGES_INSTALL_PATH": str(install)}
    resolve_packages(bare_project, install)
    bare_project.dbt("clean", env=env)
    assert bare_project.dbt("parse", env=env).ok


@pytest.mark.parametrize("target", ["dev", "prod"])
def test_databricks_targets_parse_offline(bare_project, tmp_path, target):
    offline = tmp_path / "offline_packages"
    resolve_packages(bare_project, offline)
    env = {
        "DBT_PACKAGES_INSTALL_PATH": str(offline),
        "DATABRICKS_HOST": "dbc-dummy.cloud.databricks.com",
        "DATABRICKS_HTTP_PATH": "/sql/1.0/warehouses/dummy",
        "DATABRICKS_TOKEN": "dummy-token",
    }
    assert bare_project.dbt("parse", "--target", target, env=env).ok


def test_every_target_writes_the_spec_schemas():
    project = yaml.safe_load((REPO / "dbt_project.yml").read_text())
    assert project["seeds"]["patreon_analytics"]["+schema"] == "analytics_raw"
    models = project["models"]["patreon_analytics"]
    assert models["staging"]["+schema"] == "analytics_staging"
    assert models["staging"]["+materialized"] == "view"
    assert models["marts"]["+schema"] == "analytics_marts"
    assert models["marts"]["+materialized"] == "table"
