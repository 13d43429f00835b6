"""Personal data: emails and patron names never reach the mart; PII columns are tagged; the
optional Databricks email mask compiles where it should and nowhere else.

The mart keeps `creator_name` (the metric definitions put the creator's display name on every
row); it is tagged `pii` like the staging column it comes from, so both are listed as PII in
the manifest.
"""

from __future__ import annotations

import re

import pytest
import yaml

from dbt_harness import REPO, DbtProject

MART = "analytics_marts.fct_creator_monthly_performance"
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
# People in this data set; a column `<person>_name` or `email` is personal data.
PERSONS = ("creator", "patron")
DATABRICKS_ENV = {
    "DATABRICKS_HOST": "dbc-dummy.cloud.databricks.com",
    "DATABRICKS_HTTP_PATH": "/sql/1.0/warehouses/dummy",
    "DATABRICKS_TOKEN": "dummy",
}
PATRONS_SQL = "select patron_name, email from analytics_staging.stg_patrons"
MASK_ON = '{"mask_pii_emails": true}'


def is_personal(column: str) -> bool:
    return column == "email" or column in {f"{person}_name" for person in PERSONS}


def model_columns() -> list[tuple[str, str, dict]]:
    """(file, model, column entry) for every column documented in models/ and snapshots/,
    the raw tables of the sources included."""
    found = []
    paths = [*(REPO / "models").rglob("*.yml"), *(REPO / "snapshots").rglob("*.yml")]
    for path in sorted(paths):
        content = yaml.safe_load(path.read_text()) or {}
        tables = [table for source in content.get("sources", []) for table in source["tables"]]
        for model in [*content.get("models", []), *content.get("snapshots", []), *tables]:
            for column in model.get("columns", []):
                found.append((str(path.relative_to(REPO)), model["name"], column))
    return found


def test_personal_columns_are_tagged_pii():
    documented = [(f, m, c) for f, m, c in model_columns() if is_personal(c["name"])]
    assert {(m, c["name"]) for _, m, c in documented} >= {
        ("stg_creators", "email"),
        ("stg_creators", "creator_name"),
        ("stg_patrons", "email"),
        ("stg_patrons", "patron_name"),
    }
    untagged = [
        f"{f}: {m}.{c['name']}"
        for f, m, c in documented
        if "pii" not in c.get("config", {}).get("tags", [])
        or c.get("config", {}).get("meta", {}).get("contains_pii") is not True
    ]
    assert not untagged, f"personal columns without tags: [pii] and meta.contains_pii: {untagged}"


def test_every_personal_column_in_the_warehouse_is_documented(built_project: DbtProject):
    """A personal column that a model outputs but its YAML does not list would escape the tag."""
    documented = {(m, c["name"]) for _, m, c in model_columns()}
    built = built_project.query(
        "select table_name, column_name from information_schema.columns "
        "where table_schema in ('analytics_staging', 'analytics_marts', 'analytics_snapshots')"
    )
    personal = {(table, column) for table, column in built if is_personal(column)}
    assert personal, "no personal column found: the check would pass vacuously"
    assert personal <= documented, sorted(personal - documented)


def test_mart_has_no_email_or_patron_name(built_project: DbtProject):
    columns = [
        (name, dtype)
        for name, dtype in built_project.query(
            "select column_name, data_type from information_schema.columns "
            "where table_schema || '.' || table_name = ?",
            [MART],
        )
    ]
    names = {name for name, _ in columns}
    assert names and not names & {"email", "patron_name", "patron_email", "creator_email"}
    text_columns = [name for name, dtype in columns if dtype == "VARCHAR"]
    assert text_columns
    values = {
        value
        for column in text_columns
        for (value,) in built_project.query(f"select distinct {column} from {MART}")
        if value is not None
    }
    assert not [value for value in values if EMAIL.search(value)]
    # (Patron names are not compared by value: a creator's display name may be a person's
    # name that a patron happens to share.)
    patrons = built_project.query(PATRONS_SQL)
    # The pattern finds the emails where they are, so the check above is not vacuous.
    assert patrons and all(EMAIL.fullmatch(email) for _, email in patrons)


@pytest.fixture(scope="module")
def mask_project(seed_sets, make_project) -> DbtProject:
    return make_project("email_mask", seed_sets(scale=0.05))


def compiled(project: DbtProject, target: str, vars_: str | None, env: dict[str, str]) -> str:
    """The compiled SQL of stg_patrons and stg_creators for a target, without a connection."""
    args = ["compile", "--target", target, "--no-populate-cache", "-s", "stg_patrons stg_creators"]
    if vars_:
        args += ["--vars", vars_]
    project.dbt(*args, env=env)
    folder = project.root / "target" / "compiled" / "patreon_analytics" / "models" / "staging"
    return "\n".join(
        (folder / f"{name}.sql").read_text() for name in ("stg_patrons", "stg_creators")
    )


def test_email_mask_on_databricks_when_enabled(mask_project: DbtProject):
    sql = compiled(mask_project, "dev", MASK_ON, DATABRICKS_ENV)
    assert sql.count("is_account_group_member('pii_readers')") == 2


def test_email_mask_off_by_default_on_databricks(mask_project: DbtProject):
    sql = compiled(mask_project, "dev", None, DATABRICKS_ENV)
    assert "is_account_group_member" not in sql and "as email" in sql


def test_email_mask_is_a_no_op_on_duckdb(mask_project: DbtProject):
    sql = compiled(mask_project, "local", MASK_ON, {})
    assert "is_account_group_member" not in sql and "as email" in sql
