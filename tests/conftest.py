"""Shared fixtures: generated seed sets and built copies of the dbt project."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from project_copy import AS_OF_VARS, DbtProject, copy_project, generate_seeds
from project_copy import PINNED_END_DATE as AS_OF_DATE

# The reference instant is pinned (AS_OF_VARS and AS_OF_DATE, which tests import from here) so
# time-relative staging fields do not move between runs. Seed sets end on the same day unless
# a test asks otherwise: data after the reference instant is a defect
# (assert_timestamps_not_after_reference_instant), whatever the generator's default.


@pytest.fixture(scope="session")
def seed_sets(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """Generate a seed set once per (seed, scale, end_date) and return its folder."""
    cache: dict[tuple[int, float, str | None], Path] = {}

    def get(seed: int = 42, scale: float = 1.0, end_date: str | None = AS_OF_DATE) -> Path:
        key = (seed, scale, end_date)
        if key not in cache:
            folder = tmp_path_factory.mktemp(f"seeds_{seed}_{scale}_{end_date or 'default'}")
            cache[key] = generate_seeds(folder, seed=seed, scale=scale, end_date=end_date)
        return cache[key]

    return get


@pytest.fixture(scope="session")
def make_project(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., DbtProject]:
    """Factory: a fresh copy of the project, optionally with seed CSVs copied in."""

    def make(name: str, seeds_from: Path | None = None) -> DbtProject:
        return copy_project(tmp_path_factory.mktemp(name), seeds_from)

    return make


@pytest.fixture(scope="session")
def built_project(
    seed_sets: Callable[..., Path], make_project: Callable[..., DbtProject]
) -> DbtProject:
    """The default data set (seed 42, scale 1), seeded and built once with `dbt build`.

    Test failures are not raised here: tests assert on the build's outcome themselves.
    """
    project = make_project("default_build", seed_sets())
    project.build_result = project.dbt("build", "--vars", AS_OF_VARS, check=False)
    return project


@pytest.fixture(scope="session")
def passed_build(built_project: DbtProject) -> DbtProject:
    """The default build, for tests that need it to have passed (they fail if it did not)."""
    build = built_project.build_result
    assert build is not None and build.ok, build.output[-4000:] if build else "not built"
    return built_project
