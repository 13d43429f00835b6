"""Every query of the spec's "Checking Data in Databricks" section runs on the local build.

The DuckDB warehouse is named patreon_dev, so the spec's three-part names resolve unchanged.
The same statements run on Spark (two-part names) in tests/test_spark.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dbt_harness import DbtProject
from spec_queries import expects_rows, spec_queries


def test_the_spec_queries_are_all_here() -> None:
    sections = {query.stem.split("__")[0] for query in spec_queries()}
    assert sections == {"1_raw", "2_staging", "3_mart", "4_fees", "5_engagement", "6_data_quality"}
    assert len(spec_queries()) == 14


@pytest.mark.parametrize("query", spec_queries(), ids=lambda query: query.stem)
def test_spec_query_runs_on_duckdb(built_project: DbtProject, query: Path) -> None:
    assert built_project.build_result is not None and built_project.build_result.ok, (
        "the default build failed; see the build tests"
    )
    result = built_project.frame(query.read_text())
    expected = expects_rows(query)
    if expected is True:
        assert len(result) > 0, f"{query.name} returned no rows"
    elif expected is False:
        assert result.empty, f"{query.name} found offending rows:\n{result.head(20)}"
    assert not result.columns.duplicated().any()
