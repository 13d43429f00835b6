"""Run SQL statements on the Spark warehouse a `--target spark` build left behind.

Used by tests/test_spark.py in a subprocess: the Derby metastore admits one JVM at a time,
so the test process must not hold a Spark session while dbt runs. The session mirrors the
`spark` output of profiles.yml (warehouse and metastore under PATREON_SPARK_DIR) with ANSI
mode on, as scripts/dbt_ansi.py runs dbt.

Usage: python tests/spark_sql.py SPARK_DIR OUT_JSON < statements.json
where statements.json maps a name to one SQL statement; OUT_JSON gets, per name, the
result's column names and rows (values as JSON, decimals and dates as strings).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pyspark.sql import SparkSession


def session(spark_dir: Path) -> SparkSession:
    """A Spark session on the build's warehouse and metastore."""
    return (
        SparkSession.builder.enableHiveSupport()
        .config("spark.sql.warehouse.dir", f"{spark_dir}/warehouse")
        .config(
            "spark.hadoop.javax.jdo.option.ConnectionURL",
            f"jdbc:derby:;databaseName={spark_dir}/metastore_db;create=true",
        )
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={spark_dir}")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.ansi.enabled", "true")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )


def run(spark: SparkSession, statements: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Each statement's column names and rows."""
    results = {}
    for name, sql in statements.items():
        frame = spark.sql(sql.strip().rstrip(";"))
        results[name] = {
            "columns": frame.columns,
            "rows": [list(row) for row in frame.collect()],
        }
    return results


def main() -> None:
    """Read statements from stdin, write their results to the output file."""
    spark_dir, out_file = Path(sys.argv[1]), Path(sys.argv[2])
    statements = json.load(sys.stdin)
    spark = session(spark_dir)
    spark.sparkContext.setLogLevel("ERROR")
    try:
        out_file.write_text(json.dumps(run(spark, statements), default=str))
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
