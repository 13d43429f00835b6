"""Print a short summary after `make build`: raw row counts, what dbt built and tested, where.

Reads target/run_results.json (the last dbt invocation) and the DuckDB warehouse.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import NoReturn

import duckdb

import dbt_packages
from raw_tables import RAW_TABLES

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_QUERY = (
    "select month_start_date, sum(gross_mrr_usd) as platform_mrr "
    "from patreon_dev.analytics_marts.fct_creator_monthly_performance "
    "group by 1 order by 1 desc"
)


class SummaryError(Exception):
    """A build that cannot be summarised; the message is printed as one line."""


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line on stderr, exit code 2."""

    def error(self, message: str) -> NoReturn:
        print(f"build_summary: error: {message}", file=sys.stderr)
        sys.exit(2)


def warehouse_path() -> Path:
    """The DuckDB file the local target writes (profiles.yml reads the same variable)."""
    return (ROOT / os.environ.get("DBT_DUCKDB_PATH", "patreon_dev.duckdb")).resolve()


def raw_counts(path: Path) -> dict[str, int]:
    """Rows per raw table (source `raw`)."""
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            return {
                table: con.execute(f"select count(*) from analytics_raw.{table}").fetchone()[0]
                for table in RAW_TABLES
            }
    except duckdb.Error as error:
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise SummaryError(f"cannot read the raw tables in {path}: {first_line}") from error


def result_counts(run_results: Path) -> tuple[Counter[str], Counter[str]]:
    """(models/snapshots by status, tests by status) from run_results.json; the on-run-start
    hooks (the demo landing) are not counted."""
    try:
        results = json.loads(run_results.read_text())["results"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise SummaryError(f"cannot read {run_results}: {error}") from error
    nodes: Counter[str] = Counter()
    tests: Counter[str] = Counter()
    for result in results:
        kind = result["unique_id"].split(".")[0]
        if kind == "operation":
            continue
        bucket = tests if kind in {"test", "unit_test"} else nodes
        bucket[f"{kind} {result['status']}"] += 1
    return nodes, tests


def package_mode() -> str:
    """One line on the dbt package mode (see scripts/dbt_packages.py)."""
    if dbt_packages.status() == "package":
        return "package mode: package-powered checks ran"
    return (
        f"offline mode: {len(dbt_packages.package_checks())} package-powered checks skipped "
        "(enable them with `dbt deps` and network access, or DBT_PACKAGES_FROM=<installed copies>)"
    )


def describe(counter: Counter[str]) -> str:
    return ", ".join(f"{count} {key}" for key, count in sorted(counter.items())) or "none"


def main(argv: list[str] | None = None) -> int:
    _Parser(prog="build_summary", description=__doc__).parse_args(argv)
    path = warehouse_path()
    run_results = ROOT / "target" / "run_results.json"
    if not path.exists() or not run_results.exists():
        print("build_summary: error: no build found (run `make build` first)", file=sys.stderr)
        return 1
    try:
        nodes, tests = result_counts(run_results)
        counts = raw_counts(path)
    except SummaryError as error:
        print(f"build_summary: error: {error}", file=sys.stderr)
        return 1
    width = max(len(table) for table in counts)
    print("\n=== Build summary ===")
    print("Raw rows (analytics_raw):")
    for table, rows in counts.items():
        print(f"  {table:<{width}} {rows:>9,}")
    print(f"Built:     {describe(nodes)}")
    print(f"Tested:    {describe(tests)}")
    print(f"Warehouse: {path} (catalog {path.stem})")
    print(f"Packages:  {package_mode()}")
    print(f'Try:       .venv/bin/dbt show --limit 3 --inline "{EXAMPLE_QUERY}"')
    return 0


if __name__ == "__main__":
    sys.exit(main())
