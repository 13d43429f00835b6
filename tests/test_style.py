"""House style that the linters cannot see."""

from __future__ import annotations

import pytest

from dbt_harness import REPO, tracked_files

MAX_LINE = 100
SQL_FOLDERS = (
    "models/",
    "analyses/",
    "snapshots/",
    "data-tests/",
    "macros/",
    "package-checks/",
    "dashboards/",
)


def sql_files() -> list[str]:
    return [
        name for name in tracked_files() if name.endswith(".sql") and name.startswith(SQL_FOLDERS)
    ]


def test_there_is_sql_to_check():
    assert len(sql_files()) > 20


@pytest.mark.parametrize("name", sql_files())
def test_sql_source_lines_fit(name):
    """sqlfluff's LT05 measures rendered SQL (see .sqlfluff); this measures what we write."""
    long_lines = [
        f"{name}:{number}: {len(line)} characters"
        for number, line in enumerate((REPO / name).read_text().splitlines(), start=1)
        if len(line) > MAX_LINE
    ]
    assert not long_lines, "\n".join(long_lines)
