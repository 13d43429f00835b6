"""The raw tables, for the scripts and the tests: their names and default volumes (the
generator's, scripts/seedgen/config.py) and their columns, keys and declared types (the raw
contract, models/staging/_staging__sources.yml). Each is defined there once and read here.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from seedgen.config import DEFAULT_VOLUMES

REPO = Path(__file__).resolve().parent.parent
SOURCES_YML = REPO / "models" / "staging" / "_staging__sources.yml"
# The seven raw tables, in the generator's order.
RAW_TABLES = tuple(DEFAULT_VOLUMES)
# DuckDB types of the contract's declared types (the `data_type` of a column's is_castable
# check): what a typed landing stores. A column without one is text.
DUCKDB_TYPES = {
    "timestamp": "timestamp",
    "money": "decimal(18, 2)",
    "int": "integer",
    "boolean": "boolean",
}


@dataclass(frozen=True)
class RawTable:
    """One raw table of the contract."""

    name: str
    # Every declared column, in the contract's order.
    columns: tuple[str, ...]
    # The column with the `unique` check.
    key: str
    # Column -> declared type (timestamp, money, int, boolean), for the typed columns only.
    types: dict[str, str]

    def columns_of_type(self, declared: str) -> list[str]:
        """The columns declared with that type, in the contract's order."""
        return [column for column in self.columns if self.types.get(column) == declared]


@functools.cache
def contract() -> dict[str, RawTable]:
    """The raw tables as models/staging/_staging__sources.yml declares them (source `raw`)."""
    sources = yaml.safe_load(SOURCES_YML.read_text())["sources"]
    tables = next(source for source in sources if source["name"] == "raw")["tables"]
    found = {}
    for table in tables:
        columns, keys, types = [], [], {}
        for column in table["columns"]:
            columns.append(column["name"])
            for check in column.get("data_tests") or []:
                if check == "unique":
                    keys.append(column["name"])
                elif isinstance(check, dict) and "is_castable" in check:
                    types[column["name"]] = check["is_castable"]["arguments"]["data_type"]
        (key,) = keys
        found[table["name"]] = RawTable(table["name"], tuple(columns), key, types)
    if tuple(found) != RAW_TABLES:
        raise RuntimeError(f"{SOURCES_YML} declares {tuple(found)}, the generator {RAW_TABLES}")
    return found


def duckdb_types(table: str, money: str = DUCKDB_TYPES["money"]) -> dict[str, str]:
    """Column -> DuckDB type of a typed landing of `table` (money as `money`)."""
    return {
        column: money if declared == "money" else DUCKDB_TYPES[declared]
        for column, declared in contract()[table].types.items()
    }
