"""Fault injection: one corrupted seed at a time must stop `dbt build` with a named check, and
never change the built mart.

Each case copies a small, fully built project (seeds, staging, the audit gate, the mart),
corrupts rows of one CSV in one way (a duplicate key, an orphan foreign key, a malformed
timestamp, a future timestamp, ...) and runs `dbt build --select <seed>+ --store-failures` in
its own copy of the project and warehouse. The case passes only if

- the build exits non-zero;
- exactly the expected data tests fail (the named checks, each with one failure per corrupted
  value, plus any listed knock-on check), and nothing errors: no model or test crashes;
- no staging view was dropped from the build for an unrelated reason and no row was lost: the
  staging view has as many rows as the CSV;
- the failing rows stored by `--store-failures` name every corrupted row, and a value that does
  not cast shows as NULL in staging (not as a guessed value);
- the gate and the mart were skipped and the stored mart is byte-for-byte the clean one.

A truncated CSV line must fail `dbt seed` with the file, the line number and the column counts,
and a CSV whose header lacks a declared column with the file and the column. Legitimate variants
(an undeclared extra column, other spellings of the same amounts, amounts on the edges of the
tier-price band) must build with every check passing. `test_every_input_check_blocks_the_mart`
proves from the manifest that the guarantee is structural: every check on seeds or staging
blocks every model built from staging.

To keep the module fast, the baseline warehouse is built once; each case copies it and rebuilds
only the corrupted seed and everything downstream of it. docs/data-quality.md lists the same
defects and the checks that catch them.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from dbt_harness import DbtProject

AS_OF_VARS = '{"as_of_date": "2026-10-31"}'
# The data ends on the pinned as-of date, whatever the generator's default end date is.
END_DATE = "2026-10-31"
SCALE = 0.05
MART = "fct_creator_monthly_performance"
ALARMS = {"fail", "error", "warn"}
GATE = "staging_audit_gate"
# The same (relative) warehouse path in every copy keeps the profile identical, so each copy
# reuses the baseline's partial-parse cache instead of parsing the project again.
SAME_PROFILE = {"DBT_DUCKDB_PATH": "patreon_dev.duckdb"}
KEYS = {
    "creators": "creator_id",
    "patrons": "patron_id",
    "tiers": "tier_id",
    "pledges": "pledge_id",
    "transactions": "transaction_id",
    "posts": "post_id",
    "engagement_events": "event_id",
}

MONEY_COLUMNS = ("gross_amount_usd", "platform_fee_usd", "processing_fee_usd", "net_amount_usd")

Rows = list[dict[str, str]]
Tables = dict[str, Rows]


def read_csv(path: Path) -> tuple[list[str], Rows]:
    """Header and rows of a seed CSV, every value as text."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_csv(path: Path, header: list[str], rows: Rows) -> None:
    """Write rows in the generator's dialect (minimal quoting, \\n line ends)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def pick(rows: Rows, predicate: Callable[[dict[str, str]], bool], n: int = 2) -> Rows:
    """The first n rows that satisfy predicate (deterministic for a given seed set)."""
    chosen = [row for row in rows if predicate(row)][:n]
    assert len(chosen) == n, "the seed set has too few rows to corrupt"
    return chosen


# --- Corruptions: each edits rows of one table in place and returns, per corrupted row, a
# --- value that must appear in the failing rows of the expected check.


def duplicate_primary_key(tables: Tables) -> list[str]:
    rows = tables["transactions"]
    needles = []
    for original, copy in ((rows[10], rows[11]), (rows[20], rows[21])):
        copy["transaction_id"] = original["transaction_id"]
        needles.append(original["transaction_id"])
    return needles


def orphan_foreign_key(tables: Tables) -> list[str]:
    needles = []
    for number, row in enumerate(pick(tables["pledges"], lambda r: True), start=1):
        row["creator_id"] = f"cr_999{number}"
        needles.append(row["creator_id"])
    return needles


def unknown_enum_value(tables: Tables) -> list[str]:
    needles = []
    for value, row in zip(("bitcoin", "cash"), tables["transactions"][5:7], strict=True):
        row["payment_method"] = value
        needles.append(value)
    return needles


def unknown_currency(tables: Tables) -> list[str]:
    needles = []
    for value, row in zip(("JPY", "usd"), tables["creators"][:2], strict=True):
        row["currency_code"] = value
        needles.append(value)
    return needles


def malformed_country_code(tables: Tables) -> list[str]:
    needles = []
    for value, row in zip(("Germany", "de"), tables["patrons"][:2], strict=True):
        row["country_code"] = value
        needles.append(row["patron_id"])
    return needles


def negative_amount(tables: Tables) -> list[str]:
    needles = []
    for row in pick(tables["pledges"], lambda r: r["pledge_status"] == "active"):
        row["pledge_amount_usd"] = f"-{row['pledge_amount_usd']}"
        needles.append(row["pledge_id"])
    return needles


def broken_fee_identity(tables: Tables) -> list[str]:
    needles = []
    for row in pick(tables["transactions"], lambda r: r["transaction_status"] == "succeeded"):
        row["net_amount_usd"] = f"{float(row['net_amount_usd']) + 1:.2f}"
        needles.append(row["transaction_id"])
    return needles


def ended_before_started(tables: Tables) -> list[str]:
    needles = []
    for row in pick(tables["pledges"], lambda r: r["pledge_status"] == "churned"):
        year = int(row["started_at"][:4]) - 1
        row["ended_at"] = f"{year}{row['started_at'][4:]}"
        needles.append(row["pledge_id"])
    return needles


def status_contradicts_dates(tables: Tables) -> list[str]:
    needles = []
    for row in pick(tables["pledges"], lambda r: r["pledge_status"] == "active"):
        row["pledge_status"] = "churned"
        needles.append(row["pledge_id"])
    return needles


def failure_reason_contradicts_status(tables: Tables) -> list[str]:
    needles = []
    failed = pick(tables["transactions"], lambda r: r["transaction_status"] == "failed", 1)
    succeeded = pick(tables["transactions"], lambda r: r["transaction_status"] == "succeeded", 1)
    failed[0]["failure_reason"] = ""
    succeeded[0]["failure_reason"] = "card_declined"
    for row in (*failed, *succeeded):
        needles.append(row["transaction_id"])
    return needles


def event_before_post(tables: Tables) -> list[str]:
    needles = []
    for row in pick(tables["engagement_events"], lambda r: True):
        row["event_at"] = "2001-01-01 00:00:00"
        needles.append(row["event_id"])
    return needles


def event_on_other_creators_post(tables: Tables) -> list[str]:
    creators = [row["creator_id"] for row in tables["creators"]]
    needles = []
    for row in pick(tables["engagement_events"], lambda r: True):
        row["creator_id"] = next(c for c in creators if c != row["creator_id"])
        needles.append(row["event_id"])
    return needles


def malformed_timestamp(tables: Tables) -> list[str]:
    needles = []
    values = ("2025-02-30 10:00:00", "yesterday")
    for value, row in zip(values, tables["transactions"][3:5], strict=True):
        row["transaction_at"] = value
        needles.append(row["transaction_id"])
    return needles


def non_numeric_amount(tables: Tables) -> list[str]:
    needles = []
    for value, row in zip(("seven", "7,00"), tables["transactions"][3:5], strict=True):
        row["gross_amount_usd"] = value
        needles.append(row["transaction_id"])
    return needles


def missing_required_value(tables: Tables) -> list[str]:
    needles = []
    for row in tables["pledges"][7:9]:
        row["patron_id"] = ""
        needles.append(row["pledge_id"])
    return needles


def tier_of_other_creator(tables: Tables) -> list[str]:
    tiers = tables["tiers"]
    needles = []
    for row in pick(tables["pledges"], lambda r: True):
        row["tier_id"] = next(t["tier_id"] for t in tiers if t["creator_id"] != row["creator_id"])
        needles.append(row["pledge_id"])
    return needles


def minimum_tier_of_other_creator(tables: Tables) -> list[str]:
    tiers = tables["tiers"]
    needles = []
    for row in pick(tables["posts"], lambda r: r["access_level"] == "tier_specific"):
        row["minimum_tier_id"] = next(
            t["tier_id"] for t in tiers if t["creator_id"] != row["creator_id"]
        )
        needles.append(row["post_id"])
    return needles


def transaction_outside_pledge_life(tables: Tables) -> list[str]:
    needles = []
    for row in pick(tables["transactions"], lambda r: r["transaction_type"] == "pledge_payment"):
        row["transaction_at"] = "2014-06-01 12:00:00"
        needles.append(row["transaction_id"])
    return needles


def future_timestamp(tables: Tables) -> list[str]:
    """Clock skew upstream: payments of open pledges dated years after the reference instant."""
    open_pledges = {r["pledge_id"] for r in tables["pledges"] if r["pledge_status"] == "active"}
    needles = []
    for row in pick(tables["transactions"], lambda r: r["pledge_id"] in open_pledges, 3):
        row["transaction_at"] = "2031-06-15 12:00:00"
        needles.append(row["transaction_id"])
    return needles


def duplicate_tier_rank(tables: Tables) -> list[str]:
    """A creator's second tier gets the first tier's rank: both tiers are named."""
    tiers = tables["tiers"]
    first, second = next(
        (tiers[i], tiers[i + 1])
        for i in range(len(tiers) - 1)
        if tiers[i]["creator_id"] == tiers[i + 1]["creator_id"]
        and (tiers[i]["tier_rank"], tiers[i + 1]["tier_rank"]) == ("1", "2")
    )
    second["tier_rank"] = first["tier_rank"]
    return [first["tier_id"], second["tier_id"]]


def sub_cent_amount(tables: Tables) -> list[str]:
    """'5.00' becomes '5.005': the cast to decimal(18,2) would round it without a trace."""
    needles = []
    for row in pick(tables["pledges"], lambda r: r["pledge_status"] == "active"):
        row["pledge_amount_usd"] = f"{row['pledge_amount_usd']}5"
        needles.append(row["pledge_id"])
    return needles


def amount_outside_tier_band(tables: Tables) -> list[str]:
    """An amount a thousand times the tier's price (a unit mix-up upstream)."""
    needles = []
    for row in pick(tables["pledges"], lambda r: r["pledge_status"] == "active"):
        row["pledge_amount_usd"] = f"{float(row['pledge_amount_usd']) * 1000:.2f}"
        needles.append(row["pledge_id"])
    return needles


def negated_refund(tables: Tables) -> list[str]:
    """Refunds landed as negative amounts (every money column), which the fee identity keeps."""
    needles = []
    for row in pick(tables["transactions"], lambda r: r["transaction_type"] == "refund"):
        for column in MONEY_COLUMNS:
            row[column] = f"-{row[column]}"
        needles.append(row["transaction_id"])
    return needles


def event_of_unknown_patron(tables: Tables) -> list[str]:
    """Engagement events of patrons missing from patrons.csv; the mart never reads patrons."""
    needles = []
    for number, row in enumerate(pick(tables["engagement_events"], lambda r: True), start=1):
        row["patron_id"] = f"pa_9999{number}"
        needles.append(row["patron_id"])
    return needles


@dataclass(frozen=True)
class Case:
    """One defect: the seed it corrupts, how, and the checks that must name it."""

    name: str
    table: str
    corrupt: Callable[[Tables], list[str]]
    # Checks that must fail with exactly one failure per corrupted row, naming each.
    named_by: tuple[str, ...]
    # Checks that also fail as a consequence (downstream identities); failures > 0.
    knock_on: tuple[str, ...] = ()
    # A staging column that must be NULL on the corrupted rows (a value that does not cast).
    null_in_staging: str | None = None
    # The check runs on the seed itself, so dbt build skips staging (it keeps the last view).
    on_seed: bool = False
    # Failing rows per corrupted row (a check that returns one row per bad column).
    failures_per_row: int = 1


CASES = [
    Case(
        "duplicate_primary_key",
        "transactions",
        duplicate_primary_key,
        ("unique_stg_transactions_transaction_id",),
    ),
    Case(
        "orphan_foreign_key",
        "pledges",
        orphan_foreign_key,
        (
            "relationships_stg_pledges_creator_id__creator_id__ref_stg_creators_",
            "assert_no_orphaned_pledges",
        ),
        # The pledge's tier and transactions still carry the real creator: they disagree now.
        knock_on=(
            "assert_pledge_tier_belongs_to_creator",
            "assert_transactions_within_pledge_life",
        ),
    ),
    Case(
        "unknown_enum_value",
        "transactions",
        unknown_enum_value,
        ("accepted_values_stg_transactions_payment_method__card__paypal",),
    ),
    Case(
        "unknown_currency",
        "creators",
        unknown_currency,
        ("accepted_values_stg_creators_currency_code__USD__EUR",),
    ),
    Case(
        "malformed_country_code",
        "patrons",
        malformed_country_code,
        ("assert_country_codes_are_iso_alpha2",),
    ),
    Case(
        "negative_amount",
        "pledges",
        negative_amount,
        ("assert_money_amounts_non_negative",),
        # A negative amount is also below its tier's price.
        knock_on=("assert_pledge_amount_within_tier_price_band",),
    ),
    Case(
        "broken_fee_identity",
        "transactions",
        broken_fee_identity,
        ("assert_transaction_amount_consistency",),
    ),
    Case(
        "ended_before_started",
        "pledges",
        ended_before_started,
        ("assert_pledge_status_dates_consistent",),
        # The pledge's monthly payments now fall after its (earlier) end.
        knock_on=("assert_transactions_within_pledge_life",),
    ),
    Case(
        "status_contradicts_dates",
        "pledges",
        status_contradicts_dates,
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
        event_before_post,
        ("assert_engagement_after_post_publication",),
    ),
    Case(
        "event_on_other_creators_post",
        "engagement_events",
        event_on_other_creators_post,
        ("assert_engagement_after_post_publication",),
    ),
    Case(
        "malformed_timestamp",
        "transactions",
        malformed_timestamp,
        ("is_castable_transactions_transaction_at__timestamp__transaction_id",),
        null_in_staging="transaction_at",
        on_seed=True,
    ),
    Case(
        "non_numeric_amount",
        "transactions",
        non_numeric_amount,
        ("is_castable_transactions_gross_amount_usd__money__transaction_id",),
        null_in_staging="gross_amount_usd",
        on_seed=True,
    ),
    Case(
        "missing_required_value",
        "pledges",
        missing_required_value,
        ("not_null_pledges_patron_id",),
        null_in_staging="patron_id",
        on_seed=True,
    ),
    Case(
        "tier_of_other_creator",
        "pledges",
        tier_of_other_creator,
        ("assert_pledge_tier_belongs_to_creator",),
    ),
    Case(
        "minimum_tier_of_other_creator",
        "posts",
        minimum_tier_of_other_creator,
        ("assert_tier_specific_posts_have_creator_tier",),
    ),
    Case(
        "transaction_outside_pledge_life",
        "transactions",
        transaction_outside_pledge_life,
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
    Case(
        "sub_cent_amount",
        "pledges",
        sub_cent_amount,
        ("has_whole_cents_pledges_pledge_amount_usd__pledge_id",),
        on_seed=True,
    ),
    Case(
        "amount_outside_tier_band",
        "pledges",
        amount_outside_tier_band,
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
        event_of_unknown_patron,
        ("relationships_stg_engagement_events_patron_id__patron_id__ref_stg_patrons_",),
    ),
]


@pytest.fixture(scope="module")
def baseline(seed_sets, make_project) -> DbtProject:
    """Clean seeds built once, mart included; every case starts from a copy of it."""
    project = make_project("faults_baseline", seed_sets(scale=SCALE, end_date=END_DATE))
    project.dbt("build", "--exclude", "test_type:unit", "--vars", AS_OF_VARS, env=SAME_PROFILE)
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


def assert_mart_untouched(project: DbtProject, clean_mart: bytes, results: dict[str, Any]) -> None:
    """The bad load reached no model after staging: the gate, the intermediate models and the
    mart were skipped, and the stored mart is the clean build's, byte for byte."""
    assert results[GATE]["status"] == "skipped", results[GATE]
    assert results[MART]["status"] == "skipped", results[MART]
    rebuilt = [
        name
        for name, result in results.items()
        if result["unique_id"].startswith("model.")
        and not name.startswith("stg_")
        and result["status"] != "skipped"
    ]
    assert not rebuilt, f"built from the bad load: {rebuilt}"
    assert stored_mart(project) == clean_mart, "the stored mart changed"


def project_copy(baseline: DbtProject, dest: Path) -> DbtProject:
    """The baseline project with its warehouse and parse cache, in its own folder."""
    shutil.copytree(baseline.root, dest, ignore=shutil.ignore_patterns("logs", "run_results.json"))
    return DbtProject(dest)


def run_results(project: DbtProject) -> dict[str, dict[str, Any]]:
    """run_results.json keyed by node name (a test's name, a model's name)."""
    data = json.loads((project.root / "target" / "run_results.json").read_text())
    return {result["unique_id"].split(".")[2]: result for result in data["results"]}


def stored_failures(project: DbtProject, relation_name: str) -> set[str]:
    """Every cell of a test's stored failing rows, as text."""
    rows = project.query(f"select * from {relation_name}")
    return {str(value) for row in rows for value in row}


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


def test_every_input_check_blocks_the_mart(baseline: DbtProject):
    """The guarantee is structural, for today's models and any added later. `dbt build` runs
    a data test before, and skips on its failure, every node that descends from all of the
    test's parents (dbt's test edges). The gate reads every staging view and every model
    built from staging descends from the gate, so every test whose parents are seeds,
    sources or staging views blocks every such model."""
    manifest = json.loads((baseline.root / "target" / "manifest.json").read_text())
    nodes, parent_map = manifest["nodes"], manifest["parent_map"]
    gate = f"model.patreon_analytics.{GATE}"
    models = {
        unique_id
        for unique_id, node in nodes.items()
        if node["resource_type"] == "model" and node["package_name"] == "patreon_analytics"
    }
    staging = {unique_id for unique_id in models if nodes[unique_id]["fqn"][1] == "staging"}
    inputs = (
        staging
        | set(manifest["sources"])
        | {unique_id for unique_id, node in nodes.items() if node["resource_type"] == "seed"}
    )
    assert set(parent_map[gate]) == staging, "the gate must read every staging view"

    built_from_staging = {
        unique_id
        for unique_id in models - staging - {gate}
        if ancestors(parent_map, unique_id) & staging
    }
    assert f"model.patreon_analytics.{MART}" in built_from_staging
    ungated = sorted(m for m in built_from_staging if gate not in ancestors(parent_map, m))
    assert not ungated, (
        f"{ungated} read staging but not behind the gate: add "
        "{{ depends_on_staging_audit_gate() }} at the top of each"
    )

    tests = {uid for uid, node in nodes.items() if node["resource_type"] == "test"}
    input_tests = {test for test in tests if set(parent_map[test]) <= inputs}
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


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_corruption_is_caught_and_named(
    case: Case, baseline: DbtProject, clean_mart: bytes, tmp_path: Path
):
    project = project_copy(baseline, tmp_path / "project")
    csv_path = project.seeds_dir / f"{case.table}.csv"
    tables: Tables = {}
    headers: dict[str, list[str]] = {}
    for table in KEYS:
        headers[table], tables[table] = read_csv(project.seeds_dir / f"{table}.csv")
    needles = case.corrupt(tables)
    write_csv(csv_path, headers[case.table], tables[case.table])

    build = project.dbt(
        "build",
        "--select",
        f"{case.table}+",
        "--exclude",
        "test_type:unit",
        "--store-failures",
        "--vars",
        AS_OF_VARS,
        check=False,
        env=SAME_PROFILE,
    )
    assert not build.ok, f"{case.name}: dbt build passed on corrupted {case.table}.csv"
    results = run_results(project)

    crashed = {name: r["message"] for name, r in results.items() if r["status"] == "error"}
    assert not crashed, f"{case.name}: nodes crashed instead of failing a check: {crashed}"
    assert "Runtime Error" not in build.output and "Database Error" not in build.output

    failed = {name: r for name, r in results.items() if r["status"] == "fail"}
    assert set(failed) == {*case.named_by, *case.knock_on}, (
        f"{case.name}: expected {sorted({*case.named_by, *case.knock_on})} to fail, "
        f"got {sorted(failed)}"
    )
    for name in case.named_by:
        assert failed[name]["failures"] == len(needles) * case.failures_per_row, (
            f"{name}: {failed[name]['failures']} failures for {len(needles)} corrupted rows"
        )
        shown = stored_failures(project, failed[name]["relation_name"])
        missing = [needle for needle in needles if needle not in shown]
        assert not missing, f"{name}: failing rows do not name {missing}"

    # Staging builds unless a check on the seed itself stopped it (dbt build then skips
    # downstream on purpose); either way the view keeps every row of the CSV.
    staging = f"stg_{case.table}"
    assert results[staging]["status"] == ("skipped" if case.on_seed else "success")
    key = KEYS[case.table]
    (count,) = project.query(f"select count(*) from analytics_staging.{staging}")[0]
    assert count == len(tables[case.table]), (
        f"{staging}: {count} rows, CSV has {len(tables[case.table])}"
    )
    if case.null_in_staging:
        values = project.query(
            f"select {case.null_in_staging} from analytics_staging.{staging} "
            f"where {key} in (select unnest(?))",
            [needles],
        )
        assert len(values) == len(needles) and all(v is None for (v,) in values), values
    assert_mart_untouched(project, clean_mart, results)


def test_truncated_row_names_file_and_line(baseline: DbtProject, clean_mart: bytes, tmp_path: Path):
    """A CSV line with fewer fields fails the seed load, naming file, line and column counts."""
    project = project_copy(baseline, tmp_path / "project")
    csv_path = project.seeds_dir / "transactions.csv"
    lines = csv_path.read_text(encoding="utf-8").split("\n")
    lines[5] = ",".join(lines[5].split(",")[:-3])  # line 6 of the file: 10 of 13 fields
    csv_path.write_text("\n".join(lines), encoding="utf-8")

    build = project.dbt(
        "build", "--select", "transactions+", "--vars", AS_OF_VARS, check=False, env=SAME_PROFILE
    )
    assert not build.ok
    results = run_results(project)
    seed = results["transactions"]
    assert seed["status"] == "error"
    message = seed["message"]
    assert "seeds/transactions.csv" in message
    assert "CSV Error on Line: 6" in message
    assert "Expected Number of Columns: 13 Found: 10" in message
    others = {n: r["status"] for n, r in results.items() if n != "transactions"}
    assert set(others.values()) <= {"skipped"}, others
    assert_mart_untouched(project, clean_mart, results)


def test_schema_drift_fails_the_seed_naming_file_and_column(
    baseline: DbtProject, clean_mart: bytes, tmp_path: Path
):
    """A CSV whose header differs from the declared columns fails its seed before staging,
    naming the file and the columns: pledges.csv without churn_reason (which would crash the
    staging view), posts.csv with an undeclared column (which would fail the load into the
    existing table on a column count). One build: seed errors are independent."""
    project = project_copy(baseline, tmp_path / "project")
    header, rows = read_csv(project.seeds_dir / "pledges.csv")
    header.remove("churn_reason")
    rows = [{k: v for k, v in row.items() if k != "churn_reason"} for row in rows]
    write_csv(project.seeds_dir / "pledges.csv", header, rows)
    header, rows = read_csv(project.seeds_dir / "posts.csv")
    rows = [{**row, "source_system": "web"} for row in rows]
    write_csv(project.seeds_dir / "posts.csv", [*header, "source_system"], rows)

    build = project.dbt(
        "build",
        "--select",
        "pledges+ posts+",
        "--vars",
        AS_OF_VARS,
        check=False,
        env=SAME_PROFILE,
    )
    assert not build.ok
    results = run_results(project)
    expected = {
        "pledges": "seeds/pledges.csv lacks the declared column(s) churn_reason",
        "posts": "seeds/posts.csv has column(s) not declared in seeds/_seeds.yml: source_system",
    }
    for seed, message in expected.items():
        assert results[seed]["status"] == "error"
        assert message in results[seed]["message"], results[seed]["message"]
    others = {n: r["status"] for n, r in results.items() if n not in expected}
    assert set(others.values()) <= {"skipped"}, others
    assert_mart_untouched(project, clean_mart, results)


def legitimate_spellings(pledges: Rows) -> None:
    """The same amounts, written differently: '5', '5.0' or '5.000' for '5.00'."""
    spellings = ("{units}", "{units}.0", "{units}.000")
    for number, row in enumerate(pledges[:30]):
        units = row["pledge_amount_usd"].removesuffix(".00")
        if units != row["pledge_amount_usd"]:
            row["pledge_amount_usd"] = spellings[number % 3].format(units=units)


def band_edges(pledges: Rows, tiers: Rows) -> set[str]:
    """Amounts on both edges of the tier-price band (the price; the price + 10 USD), on open
    pledges after the first 30; returns their creators."""
    prices = {row["tier_id"]: float(row["price_usd"]) for row in tiers}
    creators = set()
    for extra in (0, 10):
        (row,) = pick(
            pledges[30:],
            lambda r, extra=extra: (
                r["pledge_status"] == "active"
                and float(r["pledge_amount_usd"]) != prices[r["tier_id"]] + extra
            ),
            1,
        )
        row["pledge_amount_usd"] = f"{prices[row['tier_id']] + extra:.2f}"
        creators.add(row["creator_id"])
    return creators


def test_legitimate_variants_build_without_false_alarm(
    baseline: DbtProject, clean_mart: bytes, tmp_path: Path
):
    """Valid loads that look unusual pass every check and rebuild the mart: amounts spelled
    differently give the same rows byte for byte; amounts on the band's edges change exactly
    their creators' rows. --full-refresh: the band-edge amounts correct old months, which an
    incremental run keeps as stored."""
    project = project_copy(baseline, tmp_path / "project")
    header, pledges = read_csv(project.seeds_dir / "pledges.csv")
    _, tiers = read_csv(project.seeds_dir / "tiers.csv")
    legitimate_spellings(pledges)
    changed = band_edges(pledges, tiers)
    write_csv(project.seeds_dir / "pledges.csv", header, pledges)

    build = project.dbt(
        "build",
        "--full-refresh",
        "--select",
        "pledges+",
        "--exclude",
        "test_type:unit",
        "--vars",
        AS_OF_VARS,
        check=False,
        env=SAME_PROFILE,
    )
    results = run_results(project)
    alarms = {n: r["status"] for n, r in results.items() if r["status"] in ALARMS}
    assert build.ok and not alarms, alarms
    assert results[MART]["status"] == "success"
    assert stored_mart(project, changed) == stored_mart(baseline, changed)
    assert stored_mart(project) != clean_mart, "the band-edge amounts did not reach the mart"
