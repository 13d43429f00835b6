"""Demo seeds never build on Databricks unless asked for (var `load_demo_seeds`).

On Databricks the raw tables are landed by other means and a `dbt build` must not replace
them with the demo CSVs: the seeds are disabled and staging selects the source `raw`. With
`--vars '{load_demo_seeds: true}'` (a demo load) the seeds build and staging selects them.
DuckDB and Spark build them by default (every other test relies on it).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from dbt_harness import DbtProject

DATABRICKS_ENV = {
    "DATABRICKS_HOST": "dbc-dummy.cloud.databricks.com",
    "DATABRICKS_HTTP_PATH": "/sql/1.0/warehouses/dummy",
    "DATABRICKS_TOKEN": "dummy-token",
}
# One dbt process: per case, the enabled seeds and what stg_creators selects from.
LIST_CASES = """
import json, sys
from dbt.cli.main import dbtRunner
out = {}
for name, args in json.loads(sys.argv[1]).items():
    result = dbtRunner().invoke(
        ["ls", "--quiet", "--output", "json", "--output-keys", "unique_id depends_on", *args]
    )
    assert result.success, result.exception
    nodes = [json.loads(line) for line in result.result]
    out[name] = {
        "seeds": sorted(
            n["unique_id"] for n in nodes if n["unique_id"].startswith("seed.patreon_analytics.")
        ),
        "stg_creators_from": next(
            n["depends_on"]["nodes"] for n in nodes
            if n["unique_id"] == "model.patreon_analytics.stg_creators"
        ),
    }
print(json.dumps(out))
"""
CASES = {
    "dev": ["--target", "dev"],
    "prod_demo": ["--target", "prod", "--vars", "{load_demo_seeds: true}"],
}


@pytest.fixture(scope="module")
def listed(make_project, seed_sets) -> dict[str, dict[str, list[str]]]:
    project: DbtProject = make_project("demo_seeds", seed_sets(scale=0.05))
    proc = subprocess.run(
        [sys.executable, "-c", LIST_CASES, json.dumps(CASES)],
        cwd=project.root,
        env=project.env(**DATABRICKS_ENV),
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("case", ["dev"])
def test_without_demo_seeds_staging_reads_the_source(listed, case: str) -> None:
    assert listed[case]["seeds"] == []
    assert listed[case]["stg_creators_from"] == ["source.patreon_analytics.raw.creators"]


@pytest.mark.parametrize("case", ["prod_demo"])
def test_with_demo_seeds_staging_reads_the_seed(listed, case: str) -> None:
    assert len(listed[case]["seeds"]) == 7
    assert listed[case]["stg_creators_from"] == ["seed.patreon_analytics.creators"]
