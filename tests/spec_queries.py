"""The spec's "Checking Data in Databricks" queries, kept verbatim in tests/spec_sql/.

The files are copied unchanged from the spec (three-part names under the patreon_dev
catalog), so a user pasting them into a Databricks SQL editor runs exactly what is tested.
"""

from __future__ import annotations

from pathlib import Path

SPEC_SQL_DIR = Path(__file__).resolve().parent / "spec_sql"

# The data-quality checks list offending rows: on correct data they return none.
MUST_BE_EMPTY_PREFIX = "6_data_quality__"

# Thresholds a small data set need not reach (gross MRR > 1000 together with an engagement
# rate above 50%): the default data set (scale 1) has such creators, a scaled-down one may not.
MAY_BE_EMPTY_WHEN_SCALED_DOWN = frozenset(
    {"5_engagement__2_high_performing_creators_high_engagement_revenue"}
)


def spec_queries() -> list[Path]:
    """Every spec query file, in the spec's order."""
    return sorted(SPEC_SQL_DIR.glob("*.sql"))


def expects_rows(query: Path, *, default_data: bool = True) -> bool | None:
    """True: must return rows; False: must return none; None: either.

    default_data: the warehouse holds the default data set (seed 42, scale 1).
    """
    if query.stem.startswith(MUST_BE_EMPTY_PREFIX):
        return False
    if not default_data and query.stem in MAY_BE_EMPTY_WHEN_SCALED_DOWN:
        return None
    return True


def without_catalog(sql: str, catalog: str = "patreon_dev") -> str:
    """The statement with two-part names, for engines without a catalog level (local Spark)."""
    return sql.replace(f"{catalog}.", "")
