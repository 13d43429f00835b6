"""Run dbt with Spark SQL's ANSI mode on, as on a Databricks SQL warehouse.

dbt-spark 1.10 forces `spark.sql.ansi.enabled=false` into every session it opens
(SparkCredentials.__post_init__) and re-applies it before each statement, so neither
profiles.yml nor a `set` statement can turn it back on. Spark 4 and Databricks SQL
warehouses run with ANSI on: invalid casts, overflow and division by zero raise instead of
returning NULL. This entry point keeps dbt-spark's behaviour except for that one setting, so
the Spark suite tests our SQL under the rules Databricks applies.

Usage: python scripts/dbt_ansi.py build --target spark   (same arguments as `dbt`)
"""

from __future__ import annotations

import sys

from dbt.adapters.spark.connections import SparkCredentials
from dbt.cli.main import cli

_dbt_spark_post_init = SparkCredentials.__post_init__


def _post_init_with_ansi(self: SparkCredentials) -> None:
    """dbt-spark's own validation, then ANSI mode back on."""
    _dbt_spark_post_init(self)
    self.server_side_parameters["spark.sql.ansi.enabled"] = "true"


def main() -> None:
    """Patch the Spark credentials and hand the command line to dbt."""
    SparkCredentials.__post_init__ = _post_init_with_ansi  # type: ignore[method-assign]
    cli()


if __name__ == "__main__":
    sys.exit(main())
