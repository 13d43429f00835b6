"""The raw tables landed in analytics_raw by DuckDB, as production lands them (typed) or as
the demo landing does (text), and the --vars of the steps that read them."""

from __future__ import annotations

from pathlib import Path

from bench.measure import Result, Sample, duckdb_script, repeat_step
from bench.report import TYPED
from project_copy import DbtProject, pinned_vars
from raw_tables import RAW_TABLES, duckdb_types


def source_vars(**extra: object) -> str:
    """--vars of the model layer: the pinned as-of date, the demo landing off (the benchmark
    lands the raw tables itself)."""
    return pinned_vars(land_demo_csvs=False, **extra)


def land(project: DbtProject, seeds_dir: Path, scale: float, landing: str) -> Result:
    """Land the raw tables (timed once)."""
    return repeat_step(
        f"raw load ({landing})",
        scale,
        1,
        lambda: load_raw(project, seeds_dir, landing),
        None,
        landing,
    )


def load_raw(project: DbtProject, seeds_dir: Path, landing: str) -> Sample:
    """Land the seven CSVs in analytics_raw with DuckDB: typed (every declared column cast
    to its type, as production lands the tables) or as text (what the demo landing writes)."""
    statements = ["con.execute('create schema if not exists analytics_raw')"]
    for table in RAW_TABLES:
        csv = seeds_dir / f"{table}.csv"
        types = duckdb_types(table) if landing == TYPED else {}
        statements.append(
            f'con.execute("""create or replace table analytics_raw.{table} as '
            f"select {typed_columns(csv, types)} "
            f'from read_csv(\'{csv}\', header=true, all_varchar=true)""")'
        )
    return duckdb_script(project, "\n".join(statements))


def typed_columns(csv: Path, types: dict[str, str]) -> str:
    """The select list of a landing: each CSV column, cast where a type is declared."""
    columns = csv.open().readline().strip().split(",")
    return ", ".join(
        f"cast({column} as {types[column]}) as {column}" if column in types else column
        for column in columns
    )
