"""Fault injection in the production configuration: one bad load at a time must stop
`dbt build` with a named check and never change the built mart; legitimate loads must pass.

Production configuration: the raw tables are landed straight into analytics_raw, as an
ingestion tool lands them (DuckDB's CSV reader; every column as text, or typed: timestamps,
decimals, booleans), without `dbt seed` and with the demo landing off (var land_demo_csvs),
and staging reads them as the source `raw`, as on Databricks. A smaller demo path lands the
corrupted CSV through the demo landing (the on-run-start hook) or through `dbt seed`.

CASES is a table of defects and legitimate variants, each run by one helper (`run_case`) in
its own copy of a fully built project: it corrupts rows (or the header) of one table, lands
it, and runs `dbt build --select source:raw.<table>+ --store-failures`.
- A defect passes only if the build fails; exactly the named checks (one failure per
  corrupted row, each row named in the stored failing rows) and the listed knock-on checks
  fail; nothing errors but the checks that read a missing column; a source check that fails
  skips the table's staging view, which keeps every landed row and shows a value that does not
  cast as NULL, not as a guess; no model after staging is built and the stored mart is
  byte-for-byte the clean one.
- A legitimate variant passes only if every check passes and the mart is rebuilt: the clean
  mart byte for byte, or different exactly on the creators the variant changes.
`test_every_input_check_blocks_the_mart` proves from the manifest that the guarantee is
structural: every check on the sources or staging blocks every model built from staging.

docs/data-quality.md lists the same defects and the checks that catch them.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import duckdb
import pytest

from dbt_harness import DbtProject
from project_copy import pinned_vars
from raw_tables import DUCKDB_TYPES, RAW_TABLES, contract, duckdb_types

# Production configuration: the demo landing off; the raw tables come from `land`.
PRODUCTION_VARS = pinned_vars(land_demo_csvs=False)
DEMO_VARS = pinned_vars(land_demo_csvs=True)
SEED_VARS = pinned_vars(load_demo_seeds=True)
SCALE = 0.05
MART = "fct_creator_monthly_performance"
ALARMS = {"fail", "error", "warn"}
GATE = "staging_audit_gate"
# The same (relative) warehouse path in every copy keeps the profile identical, so each copy
# reuses the baseline's partial-parse cache instead of parsing the project again.
SAME_PROFILE = {"DBT_DUCKDB_PATH": "patreon_dev.duckdb"}
# An ingestion tool that keeps three decimals of money.
MONEY_WITH_MILLS = "decimal(18,3)"

Row = dict[str, str]
Rows = list[Row]


class Landing(Enum):
    """How a case's table reaches analytics_raw."""

    TEXT = "text"  # straight into analytics_raw, every column as text
    TYPED = "typed"  # straight into analytics_raw, typed like an ingestion tool
    DEMO = "demo landing"  # the CSV in seeds/, landed by the on-run-start hook
    SEED = "dbt seed"  # the CSV in seeds/, loaded by `dbt seed` (the Databricks demo path)


@dataclass
class Load:
    """The seven tables of a load: header and rows (every value as text) per table."""

    headers: dict[str, list[str]]
    rows: dict[str, Rows]


# A corruption edits the case's table of a load and returns its needles: (load, table) -> list.
Corruption = Callable[[Load, str], list[str]]


def read_csv(path: Path) -> tuple[list[str], Rows]:
    """Header and rows of a CSV, every value as text."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_csv(path: Path, header: list[str], rows: Rows) -> None:
    """Write rows in the generator's dialect (minimal quoting, \\n line ends)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def read_load(folder: Path) -> Load:
    """The seven CSVs of a folder."""
    load = Load({}, {})
    for table in RAW_TABLES:
        load.headers[table], load.rows[table] = read_csv(folder / f"{table}.csv")
    return load


def land(
    project: DbtProject,
    table: str,
    header: list[str],
    rows: Rows,
    types: dict[str, str] | None = None,
) -> None:
    """Land rows as analytics_raw.<table>, replacing it, the way an ingestion tool would:
    every column as text, or with `types` (column -> SQL type) cast as a lenient typing tool
    casts (a value that does not parse becomes NULL)."""
    path = project.root / "landing" / f"{table}.csv"
    write_csv(path, header, rows)
    types = types or {}
    columns = ", ".join(f"'{name}': 'VARCHAR'" for name in header)
    select = ", ".join(
        f'try_cast("{name}" as {types[name]}) as "{name}"' if name in types else f'"{name}"'
        for name in header
    )
    with duckdb.connect(str(project.warehouse)) as con:
        con.execute("create schema if not exists analytics_raw")
        # Read as text first: DuckDB would push the casts into the CSV reader, which then
        # fails on a value try_cast is meant to turn into NULL.
        con.execute(
            f"create temporary table landed as select * from read_csv('{path}', "
            f"header = true, auto_detect = false, columns = {{{columns}}}, delim = ',', "
            "quote = '\"', escape = '\"', strict_mode = true)"
        )
        con.execute(f"create or replace table analytics_raw.{table} as select {select} from landed")


def pick(rows: Rows, where: Callable[[Row], bool], n: int = 2) -> Rows:
    """The first n rows that satisfy `where` (deterministic for a given seed set)."""
    chosen = [row for row in rows if where(row)][:n]
    assert len(chosen) == n, "the seed set has too few rows to corrupt"
    return chosen


def anywhere(row: Row) -> bool:
    """Every row."""
    return True


def having(column: str, value: str) -> Callable[[Row], bool]:
    """The rows whose column holds value."""
    return lambda row: row[column] == value


def key_of(table: str) -> str:
    """The table's key column (the raw contract's)."""
    return contract()[table].key


# --- Corruptions: each edits rows of the case's table in place and returns, per corrupted
# --- row, a value that must appear in the failing rows of the expected check.


def rewrite(
    column: str,
    new: tuple[str, ...] | Callable[[Row, Load], str],
    where: Callable[[Row], bool] = anywhere,
    *,
    n: int = 2,
    skip: int = 0,
    names_values: bool = False,
) -> Corruption:
    """A corruption of `column` in the first rows (after `skip`) that satisfy `where`: it
    writes the values `new`, one row each, or new(row, load) into n rows. The needles are
    the rows' keys, or with names_values the values written."""

    def corrupt(load: Load, table: str) -> list[str]:
        rows = pick(load.rows[table][skip:], where, len(new) if isinstance(new, tuple) else n)
        values = new if isinstance(new, tuple) else tuple(new(row, load) for row in rows)
        for value, row in zip(values, rows, strict=True):
            row[column] = value
        return list(values) if names_values else [row[key_of(table)] for row in rows]

    return corrupt


ACTIVE = having("pledge_status", "active")
SUCCEEDED = having("transaction_status", "succeeded")


def a_year_before_start(row: Row, load: Load) -> str:
    """The pledge's start, a year earlier."""
    return f"{int(row['started_at'][:4]) - 1}{row['started_at'][4:]}"


def other_creator(row: Row, load: Load) -> str:
    """A creator other than the row's."""
    creators = (creator["creator_id"] for creator in load.rows["creators"])
    return next(creator for creator in creators if creator != row["creator_id"])


def other_creators_tier(row: Row, load: Load) -> str:
    """A tier of a creator other than the row's."""
    return next(t["tier_id"] for t in load.rows["tiers"] if t["creator_id"] != row["creator_id"])


def duplicate_primary_key(load: Load, table: str) -> list[str]:
    """Rows 11 and 21 take the keys of rows 10 and 20."""
    rows, key = load.rows[table], key_of(table)
    for original, copy in ((rows[10], rows[11]), (rows[20], rows[21])):
        copy[key] = original[key]
    return [rows[10][key], rows[20][key]]


def failure_reason_contradicts_status(load: Load, table: str) -> list[str]:
    """A failed payment without a failure reason, a succeeded one with one."""
    failed = rewrite("failure_reason", ("",), having("transaction_status", "failed"))
    succeeded = rewrite(
        "failure_reason", ("card_declined",), having("transaction_status", "succeeded")
    )
    return [*failed(load, table), *succeeded(load, table)]


def future_timestamp(load: Load, table: str) -> list[str]:
    """Clock skew upstream: payments of open pledges dated years after the reference instant."""
    open_pledges = {r["pledge_id"] for r in load.rows["pledges"] if r["pledge_status"] == "active"}
    skewed = rewrite(
        "transaction_at", ("2031-06-15 12:00:00",) * 3, lambda r: r["pledge_id"] in open_pledges
    )
    return skewed(load, table)


def duplicate_tier_rank(load: Load, table: str) -> list[str]:
    """A creator's second tier gets the first tier's rank: both tiers are named."""
    tiers = load.rows[table]
    first, second = next(
        (tiers[i], tiers[i + 1])
        for i in range(len(tiers) - 1)
        if tiers[i]["creator_id"] == tiers[i + 1]["creator_id"]
        and (tiers[i]["tier_rank"], tiers[i + 1]["tier_rank"]) == ("1", "2")
    )
    second["tier_rank"] = first["tier_rank"]
    return [first["tier_id"], second["tier_id"]]


def negated_refund(load: Load, table: str) -> list[str]:
    """Refunds landed as negative amounts (every money column), which the fee identity keeps."""
    refunds = pick(load.rows[table], having("transaction_type", "refund"))
    for row in refunds:
        for column in contract()[table].columns_of_type("money"):
            row[column] = f"-{row[column]}"
    return [row[key_of(table)] for row in refunds]


def empty_table(load: Load, table: str) -> list[str]:
    """The table lands with its header and no row."""
    load.rows[table] = []
    return [table]


def missing_column(load: Load, table: str) -> list[str]:
    """The table (pledges) lands without churn_reason."""
    load.headers[table].remove("churn_reason")
    for row in load.rows[table]:
        del row["churn_reason"]
    return ["churn_reason"]


def undeclared_column(load: Load, table: str) -> list[str]:
    """The table lands with a column the contract does not declare."""
    load.headers[table].append("source_system")
    for row in load.rows[table]:
        row["source_system"] = "web"
    return ["source_system"]


def truncate_line_6(text: str) -> str:
    """Line 6 of a CSV (a transaction's 13 fields) loses its last three fields."""
    lines = text.split("\n")
    lines[5] = ",".join(lines[5].split(",")[:-3])
    return "\n".join(lines)


# --- Legitimate variants: each returns the creators whose mart rows may change.


def respelled_amounts(load: Load, table: str) -> list[str]:
    """The same amounts, written differently: '5', '5.0' or '5.000' for '5.00'."""
    spellings = ("{units}", "{units}.0", "{units}.000")
    for number, row in enumerate(load.rows[table][:30]):
        units = row["pledge_amount_usd"].removesuffix(".00")
        if units != row["pledge_amount_usd"]:
            row["pledge_amount_usd"] = spellings[number % 3].format(units=units)
    return []


def band_edges(load: Load, table: str) -> list[str]:
    """Amounts on both edges of the tier-price band (the price; the price + 10 USD), on open
    pledges after the first 30."""
    prices = {row["tier_id"]: float(row["price_usd"]) for row in load.rows["tiers"]}
    creators = []
    for extra in (0, 10):
        (row,) = pick(
            load.rows[table][30:],
            lambda r, extra=extra: (
                r["pledge_status"] == "active"
                and float(r["pledge_amount_usd"]) != prices[r["tier_id"]] + extra
            ),
            1,
        )
        row["pledge_amount_usd"] = f"{prices[row['tier_id']] + extra:.2f}"
        creators.append(row["creator_id"])
    return creators


def reordered_columns(load: Load, table: str) -> list[str]:
    """The table lands with its columns in reverse order."""
    load.headers[table].reverse()
    return []


def unchanged(load: Load, table: str) -> list[str]:
    """The clean load itself (with a typed landing: every table typed)."""
    return []


@dataclass(frozen=True)
class Case:
    """One row of the table: what a load does to one table, how it lands, what must happen.

    A defect names the checks that must fail (`named_by`); a legitimate variant names none
    and must pass every check."""

    name: str
    table: str  # "*": every table
    corrupt: Corruption
    named_by: tuple[str, ...] = ()
    # Checks that also fail as a consequence (downstream identities); failures > 0.
    knock_on: tuple[str, ...] = ()
    landing: Landing = Landing.TEXT
    # The type of money columns in a typed landing.
    money: str = DUCKDB_TYPES["money"]
    # Failing rows per corrupted row (a check that returns one row per bad column).
    failures_per_row: int = 1
    # A staging column that shows NULL on the corrupted rows (a value that does not cast).
    null_in_staging: str | None = None
    # Checks that read a column the load lacks: they cannot run and error.
    cannot_run: tuple[str, ...] = ()
    # The landing itself fails, with these fragments in dbt's output (no node runs).
    landing_fails_with: tuple[str, ...] = ()
    # An edit of the CSV file itself (demo landings), after the rows are written.
    edit_csv: Callable[[str], str] | None = None

    @property
    def is_defect(self) -> bool:
        return bool(self.named_by or self.landing_fails_with)

    @property
    def id(self) -> str:
        return f"{self.name}[{self.landing.value}]"


def castable(table: str, column: str, data_type: str) -> str:
    return f"source_is_castable_raw_{table}_{column}__{data_type}__{key_of(table)}"


def required(table: str, column: str) -> str:
    return f"source_not_null_raw_{table}_{column}"


def text_and_typed(
    name: str,
    table: str,
    column: str,
    values: tuple[str, ...],
    data_type: str,
    typed_named_by: tuple[str, ...] | None = None,
    predicate=None,
    null_in_staging: bool = True,
) -> list[Case]:
    """A value that does not cast: landed as text, the source's is_castable check names it;
    landed by a typing tool, it arrives as NULL, which the source's not_null check (or, for
    an optional column, the rule the column follows) names."""
    corrupt = rewrite(column, values, predicate or anywhere)
    return [
        Case(
            name,
            table,
            corrupt,
            (castable(table, column, data_type),),
            null_in_staging=column if null_in_staging else None,
        ),
        Case(
            name,
            table,
            corrupt,
            typed_named_by or (required(table, column),),
            landing=Landing.TYPED,
            null_in_staging=column if null_in_staging else None,
        ),
    ]


CASES = [
    Case(
        "duplicate_primary_key",
        "transactions",
        duplicate_primary_key,
        ("source_unique_raw_transactions_transaction_id",),
    ),
    Case(
        "orphan_foreign_key",
        "pledges",
        rewrite("creator_id", ("cr_9991", "cr_9992"), names_values=True),
        (
            "relationships_stg_pledges_creator_id__creator_id__ref_stg_creators_",
            "assert_no_orphaned_pledges",
        ),
        # The pledge's tier and transactions still carry the real creator: they disagree now,
        # and the creator's first pledge is no longer the one its first_pledge_received_at names.
        knock_on=(
            "assert_first_and_last_columns_match_their_rows",
            "assert_pledge_tier_belongs_to_creator",
            "assert_transactions_within_pledge_life",
        ),
    ),
    Case(
        "unknown_enum_value",
        "transactions",
        rewrite("payment_method", ("bitcoin", "cash"), skip=5, names_values=True),
        ("source_accepted_values_raw_transactions_payment_method__card__paypal",),
    ),
    Case(
        "unknown_currency",
        "creators",
        rewrite("currency_code", ("JPY", "usd"), names_values=True),
        ("source_accepted_values_raw_creators_currency_code__USD__EUR",),
    ),
    Case(
        "malformed_country_code",
        "patrons",
        rewrite("country_code", ("Germany", "de")),
        ("assert_country_codes_are_iso_alpha2",),
    ),
    Case(
        "negative_amount",
        "pledges",
        rewrite("pledge_amount_usd", lambda r, _: f"-{r['pledge_amount_usd']}", ACTIVE),
        ("assert_money_amounts_non_negative",),
        # A negative amount is also below its tier's price.
        knock_on=("assert_pledge_amount_within_tier_price_band",),
    ),
    Case(
        "broken_fee_identity",
        "transactions",
        rewrite("net_amount_usd", lambda r, _: f"{float(r['net_amount_usd']) + 1:.2f}", SUCCEEDED),
        ("assert_transaction_amount_consistency",),
    ),
    Case(
        "ended_before_started",
        "pledges",
        rewrite("ended_at", a_year_before_start, having("pledge_status", "churned")),
        ("assert_pledge_status_dates_consistent",),
        # The pledge's monthly payments now fall after its (earlier) end.
        knock_on=("assert_transactions_within_pledge_life",),
    ),
    Case(
        "status_contradicts_dates",
        "pledges",
        rewrite("pledge_status", ("churned", "churned"), ACTIVE),
        ("assert_pledge_status_dates_consistent",),
    ),
    Case(
        "failure_reason_contradicts_status",
        "transactions",
        failure_reason_contradicts_status,
        ("assert_transaction_failure_reason_matches_status",),
    ),
    Case(
        "event_before_post",
        "engagement_events",
        rewrite("event_at", ("2001-01-01 00:00:00",) * 2),
        ("assert_engagement_after_post_publication",),
    ),
    Case(
        "event_on_other_creators_post",
        "engagement_events",
        rewrite("creator_id", other_creator),
        ("assert_engagement_after_post_publication",),
    ),
    *text_and_typed(
        "malformed_timestamp",
        "transactions",
        "transaction_at",
        ("2025-02-30 10:00:00", "yesterday"),
        "timestamp",
    ),
    *text_and_typed(
        "non_numeric_amount", "transactions", "gross_amount_usd", ("seven", "7,00"), "money"
    ),
    Case(
        "missing_required_value",
        "pledges",
        rewrite("patron_id", ("", ""), skip=7),
        (required("pledges", "patron_id"),),
        null_in_staging="patron_id",
    ),
    Case(
        "tier_of_other_creator",
        "pledges",
        rewrite("tier_id", other_creators_tier),
        ("assert_pledge_tier_belongs_to_creator",),
    ),
    Case(
        "minimum_tier_of_other_creator",
        "posts",
        rewrite("minimum_tier_id", other_creators_tier, having("access_level", "tier_specific")),
        ("assert_tier_specific_posts_have_creator_tier",),
    ),
    Case(
        "transaction_outside_pledge_life",
        "transactions",
        rewrite(
            "transaction_at",
            ("2014-06-01 12:00:00",) * 2,
            having("transaction_type", "pledge_payment"),
        ),
        ("assert_transactions_within_pledge_life",),
    ),
    Case(
        "future_timestamp",
        "transactions",
        future_timestamp,
        ("assert_timestamps_not_after_reference_instant",),
    ),
    Case(
        "duplicate_tier_rank",
        "tiers",
        duplicate_tier_rank,
        ("assert_tier_ranks_unique_per_creator",),
    ),
    *(
        Case(
            "sub_cent_amount",
            "pledges",
            # '5.00' becomes '5.005': the cast to decimal(18,2) would round it without a trace.
            rewrite("pledge_amount_usd", lambda r, _: f"{r['pledge_amount_usd']}5", ACTIVE),
            ("source_has_whole_cents_raw_pledges_pledge_amount_usd__pledge_id",),
            landing=landing,
            money=MONEY_WITH_MILLS,
        )
        for landing in Landing
    ),
    Case(
        "amount_outside_tier_band",
        "pledges",
        # A thousand times the amount (a unit mix-up upstream).
        rewrite(
            "pledge_amount_usd", lambda r, _: f"{float(r['pledge_amount_usd']) * 1000:.2f}", ACTIVE
        ),
        ("assert_pledge_amount_within_tier_price_band",),
    ),
    Case(
        "negated_refund",
        "transactions",
        negated_refund,
        ("assert_money_amounts_non_negative",),
        failures_per_row=4,
    ),
    Case(
        "event_of_unknown_patron",
        "engagement_events",
        # Engagement events of patrons missing from patrons.csv; the mart never reads patrons.
        rewrite("patron_id", ("pa_99991", "pa_99992"), names_values=True),
        ("relationships_stg_engagement_events_patron_id__patron_id__ref_stg_patrons_",),
    ),
    *text_and_typed("tier_price_not_a_number", "tiers", "price_usd", ("ten",), "money"),
    *text_and_typed("tier_rank_not_a_number", "tiers", "tier_rank", ("second",), "int"),
    *text_and_typed(
        "verified_flag_not_a_boolean", "creators", "is_verified", ("maybe",), "boolean"
    ),
    *text_and_typed(
        "first_pledge_flag_not_a_boolean",
        "pledges",
        "is_first_pledge",
        ("yes",),
        "boolean",
        # Both engines read 'yes' as true: typed, a later pledge claims to be the first.
        typed_named_by=("assert_first_and_last_columns_match_their_rows",),
        predicate=lambda r: r["is_first_pledge"] == "false",
        null_in_staging=False,
    ),
    *text_and_typed(
        "created_at_not_a_timestamp", "patrons", "created_at", ("yesterday",), "timestamp"
    ),
    *text_and_typed(
        "first_pledge_not_a_timestamp",
        "creators",
        "first_pledge_received_at",
        ("never",),
        "timestamp",
        # Optional: the typed NULL reads as "no pledge yet", which the creator's pledges deny.
        typed_named_by=("assert_first_and_last_columns_match_their_rows",),
        predicate=lambda r: r["first_pledge_received_at"] != "",
    ),
    Case(
        "empty_table",
        "engagement_events",
        empty_table,
        ("source_is_not_empty_raw_engagement_events_",),
    ),
    Case(
        "missing_column",
        "pledges",
        missing_column,
        ("source_matches_declared_columns_raw_pledges_",),
        cannot_run=(
            "source_accepted_values_raw_pledges_churn_reason__voluntary__payment_failed__creator_removed",
        ),
    ),
    Case(
        "undeclared_column",
        "posts",
        undeclared_column,
        ("source_matches_declared_columns_raw_posts_",),
    ),
    Case(
        "truncated_row",
        "transactions",
        unchanged,
        landing=Landing.DEMO,
        edit_csv=truncate_line_6,
        landing_fails_with=(
            "seeds/transactions.csv",
            "CSV Error on Line: 6",
            "Expected Number of Columns: 13 Found: 10",
        ),
    ),
    # Legitimate variants.
    Case("respelled_amounts", "pledges", respelled_amounts),
    Case("band_edges", "pledges", band_edges),
    Case("reordered_columns", "transactions", reordered_columns),
    Case("typed_landing", "*", unchanged, landing=Landing.TYPED),
    Case("demo_landing", "pledges", respelled_amounts, landing=Landing.DEMO),
]


@pytest.fixture(scope="module")
def baseline(seed_sets, make_project) -> DbtProject:
    """The clean load landed as text and built once in production configuration, mart
    included; every case starts from a copy of it."""
    project = make_project("faults_baseline", seed_sets(scale=SCALE))
    load = read_load(project.seeds_dir)
    for table in RAW_TABLES:
        land(project, table, load.headers[table], load.rows[table])
    project.dbt("build", "--exclude", "test_type:unit", "--vars", PRODUCTION_VARS, env=SAME_PROFILE)
    return project


@pytest.fixture(scope="module")
def clean_mart(baseline: DbtProject) -> bytes:
    """The clean build's stored mart, serialised (see stored_mart)."""
    return stored_mart(baseline)


def stored_mart(project: DbtProject, except_creators: Iterable[str] = ()) -> bytes:
    """The stored mart as bytes: every column of every row (but those of except_creators), in
    key order, each value's repr (exact for decimals, dates and NULL). Equal bytes = the same
    stored table."""
    rows = project.query(
        f"select * from analytics_marts.{MART} where not list_contains(?::varchar[], creator_id) "
        "order by creator_id, month_start_date",
        [sorted(except_creators)],
    )
    assert rows, "the mart is empty"
    return "\n".join(repr(row) for row in rows).encode()


def project_copy(baseline: DbtProject, dest: Path) -> DbtProject:
    """The baseline project with its warehouse and parse cache, in its own folder."""
    shutil.copytree(baseline.root, dest, ignore=shutil.ignore_patterns("logs", "run_results.json"))
    return DbtProject(dest)


def run_results(project: DbtProject) -> dict[str, dict[str, Any]]:
    """run_results.json keyed by node name (a test's name, a model's name); empty when dbt
    stopped before running any node."""
    path = project.root / "target" / "run_results.json"
    if not path.exists():
        return {}
    data = json.loads(path.read_text())
    return {result["unique_id"].split(".")[2]: result for result in data["results"]}


def stored_failures(project: DbtProject, relation_name: str) -> set[str]:
    """Every cell of a test's stored failing rows, as text."""
    rows = project.query(f"select * from {relation_name}")
    return {str(value) for row in rows for value in row}


def land_case(project: DbtProject, case: Case, load: Load, tables: list[str]) -> str:
    """Land the case's tables the case's way; return the --vars of its build."""
    for table in tables:
        header, rows = load.headers[table], load.rows[table]
        if case.landing in (Landing.TEXT, Landing.TYPED):
            types = duckdb_types(table, case.money) if case.landing is Landing.TYPED else None
            land(project, table, header, rows, types)
            continue
        csv_path = project.seeds_dir / f"{table}.csv"
        write_csv(csv_path, header, rows)
        if case.edit_csv:
            csv_path.write_text(
                case.edit_csv(csv_path.read_text(encoding="utf-8")), encoding="utf-8"
            )
        if case.landing is Landing.DEMO:
            # The demo landing lands a missing table (it never replaces one landed by others).
            with duckdb.connect(str(project.warehouse)) as con:
                con.execute(f"drop table analytics_raw.{table}")
        else:
            project.dbt("seed", "--select", table, "--vars", SEED_VARS, env=SAME_PROFILE)
    return DEMO_VARS if case.landing is Landing.DEMO else PRODUCTION_VARS


def assert_nothing_after_staging(results: dict[str, Any]) -> None:
    """The bad load reached no model after staging: the gate, the intermediate models and the
    mart were skipped (or never started)."""
    rebuilt = [
        name
        for name, result in results.items()
        if result["unique_id"].startswith("model.")
        and not name.startswith("stg_")
        and result["status"] != "skipped"
    ]
    assert not rebuilt, f"built from the bad load: {rebuilt}"


def assert_defect_named(
    case: Case,
    project: DbtProject,
    build_output: str,
    results: dict[str, Any],
    load: Load,
    needles: list[str],
) -> None:
    """Exactly the expected checks fail, each naming every corrupted row; nothing crashes;
    staging keeps every landed row and shows a value that does not cast as NULL."""
    crashed = {
        name: result["message"]
        for name, result in results.items()
        if result["status"] == "error" and name not in case.cannot_run
    }
    assert not crashed, f"nodes crashed instead of failing a check: {crashed}"
    assert {n for n, r in results.items() if r["status"] == "error"} == set(case.cannot_run)
    if not case.cannot_run:
        assert "Runtime Error" not in build_output and "Database Error" not in build_output
    failed = {name: result for name, result in results.items() if result["status"] == "fail"}
    assert set(failed) == {*case.named_by, *case.knock_on}, (
        f"expected {sorted({*case.named_by, *case.knock_on})} to fail, got {sorted(failed)}"
    )
    for name in case.named_by:
        assert failed[name]["failures"] == len(needles) * case.failures_per_row, (
            f"{name}: {failed[name]['failures']} failures for {len(needles)} corrupted rows"
        )
        shown = stored_failures(project, failed[name]["relation_name"])
        missing = [needle for needle in needles if needle not in shown]
        assert not missing, f"{name}: failing rows do not name {missing}"

    # A failing check on the source skips the staging view (dbt build's test edges); a view
    # is not data: the stored view reads the new load, with every row of it.
    staging = f"stg_{case.table}"
    on_source = any(name.startswith("source_") for name in case.named_by)
    assert results[staging]["status"] == ("skipped" if on_source else "success")
    if case.cannot_run:
        return  # the stored view reads a column the load lacks
    (count,) = project.query(f"select count(*) from analytics_staging.{staging}")[0]
    assert count == len(load.rows[case.table]), (
        f"{staging}: {count} rows, the load has {len(load.rows[case.table])}"
    )
    if case.null_in_staging:
        values = project.query(
            f"select {case.null_in_staging} from analytics_staging.{staging} "
            f"where {key_of(case.table)} in (select unnest(?))",
            [needles],
        )
        assert len(values) == len(needles) and all(v is None for (v,) in values), values


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_case(case: Case, baseline: DbtProject, clean_mart: bytes, tmp_path: Path) -> None:
    """One row of CASES: a defect is stopped by its named checks and the stored mart is
    unchanged; a legitimate variant passes every check and rebuilds the mart."""
    project = project_copy(baseline, tmp_path / "project")
    load = read_load(project.seeds_dir)
    needles = case.corrupt(load, case.table)
    tables = list(RAW_TABLES) if case.table == "*" else [case.table]
    build_vars = land_case(project, case, load, tables)
    build = project.dbt(
        "build",
        "--select",
        *(f"source:raw.{table}+" for table in tables),
        "--exclude",
        "test_type:unit",
        "--store-failures",
        # A legitimate variant may correct old months, which an incremental run keeps.
        *(() if case.is_defect else ("--full-refresh",)),
        "--vars",
        build_vars,
        check=False,
        env=SAME_PROFILE,
    )
    results = run_results(project)
    if not case.is_defect:
        alarms = {name: r["status"] for name, r in results.items() if r["status"] in ALARMS}
        assert build.ok and not alarms, alarms or build.output[-3000:]
        assert results[MART]["status"] == "success"
        assert stored_mart(project, needles) == stored_mart(baseline, needles)
        assert (stored_mart(project) == clean_mart) is not needles, "the changed rows"
        return

    assert not build.ok, f"dbt build passed on the corrupted {case.table}"
    if case.landing_fails_with:
        missing = [part for part in case.landing_fails_with if part not in build.output]
        assert not missing, f"the landing error lacks {missing}:\n{build.output[-3000:]}"
        assert not results, "nodes ran after the landing failed"
    else:
        assert_defect_named(case, project, build.output, results, load, needles)
        assert results[GATE]["status"] == "skipped", results[GATE]
        assert results[MART]["status"] == "skipped", results[MART]
    assert_nothing_after_staging(results)
    assert stored_mart(project) == clean_mart, "the stored mart changed"


def ancestors(parent_map: dict[str, list[str]], unique_id: str) -> set[str]:
    """Every node upstream of unique_id in the manifest's parent map."""
    found: set[str] = set()
    pending = list(parent_map.get(unique_id, []))
    while pending:
        node = pending.pop()
        if node not in found:
            found.add(node)
            pending.extend(parent_map.get(node, []))
    return found


def test_every_input_check_blocks_the_mart(baseline: DbtProject) -> None:
    """The guarantee is structural, for today's models and any added later. `dbt build` runs
    a data test before, and skips on its failure, every node that descends from all of the
    test's parents (dbt's test edges). Staging reads the sources, the gate reads every staging
    view and every model built from staging descends from the gate, so every test whose
    parents are sources or staging views blocks every such model. No seed is part of the
    build: nothing in it writes a raw table while the checks read it."""
    manifest = json.loads((baseline.root / "target" / "manifest.json").read_text())
    nodes, parent_map = manifest["nodes"], manifest["parent_map"]
    assert not [uid for uid, node in nodes.items() if node["resource_type"] == "seed"]
    gate = f"model.patreon_analytics.{GATE}"
    models = {
        unique_id
        for unique_id, node in nodes.items()
        if node["resource_type"] == "model" and node["package_name"] == "patreon_analytics"
    }
    staging = {unique_id for unique_id in models if nodes[unique_id]["fqn"][1] == "staging"}
    sources = set(manifest["sources"])
    for unique_id in staging:
        assert len(parent_map[unique_id]) == 1 and parent_map[unique_id][0] in sources, unique_id
    inputs = staging | sources
    assert set(parent_map[gate]) == staging, "the gate must read every staging view"

    built_from_staging = {
        unique_id
        for unique_id in models - staging - {gate}
        if ancestors(parent_map, unique_id) & staging
    }
    assert f"model.patreon_analytics.{MART}" in built_from_staging
    ungated = sorted(m for m in built_from_staging if gate not in ancestors(parent_map, m))
    assert not ungated, (
        f"{ungated} read staging but not behind the gate: read a gated model, or add "
        "-- depends_on: {{ ref('staging_audit_gate') }} at the top of each"
    )

    tests = {uid for uid, node in nodes.items() if node["resource_type"] == "test"}
    input_tests = {test for test in tests if set(parent_map[test]) <= inputs}
    assert {test for test in input_tests if set(parent_map[test]) <= sources}, "no source check"
    # Every other test on input data checks a model built from staging (the mart), after it.
    unaccounted = [
        test
        for test in tests - input_tests
        if set(parent_map[test]) & inputs and not set(parent_map[test]) & built_from_staging
    ]
    assert input_tests and not unaccounted, unaccounted
    for test in input_tests:
        test_parents = set(parent_map[test])
        for model in built_from_staging | {gate}:
            assert test_parents <= ancestors(parent_map, model), (test, model)
