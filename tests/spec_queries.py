"""The spec's "Checking Data in Databricks" queries, kept verbatim in tests/spec_sql/.

The files are copied unchanged from the spec (three-part names under the patreon_dev
catalog), so a user pasting them into a Databricks SQL editor runs exactly what is tested.
"""

from __future__ import annotations

from pathlib import Path

SPEC_SQL_DIR = Path(__file__).resolve().parent / "spec_sql"

# The data-quality checks list offending rows: on correct data they return none.
MUST_BE_EMPTY_PREFIX = "6_data_quality__"

# Thresholds the data set need not reach (gross MRR > 1000 together with an engagement rate
# above 50%): the query must run and return the spec's columns, but may return no row.
MAY_BE_EMPTY = frozenset({"5_engagement__2_high_performing_creators_high_engagement_revenue"})


def spec_queries() -> list[Path]:
    """Every spec query file, in the spec's order."""
    return sorted(SPEC_SQL_DIR.glob("*.sql"))


def expects_rows(query: Path) -> bool | None:
    """True: must return rows; False: must return none; None: either."""
    if query.stem.startswith(MUST_BE_EMPTY_PREFIX):
        return False
    if query.stem in MAY_BE_EMPTY:
        return None
    return True


def without_catalog(sql: str, catalog: str = "patreon_dev") -> str:
    """The statement with two-part names, for engines without a catalog level (local Spark)."""
    return sql.replace(f"{catalog}.", "")
