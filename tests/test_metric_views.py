"""The Unity Catalog metric views, offline: generated from the semantic layer, right on DuckDB.

models/metric_views/ holds one metric view per semantic model, written at compile time by
macros/metric_views.sql from models/semantic/*.yml (no second copy of any definition). No
workspace is reachable, so this proves what can be proved without one:
- they compile for `dev` and `prod` (dummy credentials), materialized `metric_view`, and
  exist on Databricks targets only;
- their YAML parses, reads the target's catalog, and every expression (dimensions, measures,
  join conditions) parses as Databricks SQL (sqlglot);
- every metric of the semantic layer is a measure of exactly one view, or named in a view's
  header as answered by MetricFlow only;
- each measure, evaluated on DuckDB as the equivalent `group by` (its MEASURE() references
  expanded, a month-end stock taken at the last month when the month is not grouped),
  equals `mf query` at two grains: by month, and by the creator's plan.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import sqlglot
import yaml
from sqlglot import exp

from conftest import AS_OF_VARS
from dbt_harness import BIN, NO_TESTS, DbtProject

DUMMY_ENV = {
    "DATABRICKS_HOST": "dbc-dummy.cloud.databricks.com",
    "DATABRICKS_HTTP_PATH": "/sql/1.0/warehouses/0000000000000000",
    "DATABRICKS_TOKEN": "dapi-dummy-token-not-a-secret",
}
CATALOG_OF_TARGET = {"dev": "patreon_dev", "prod": "patreon_prod"}
VIEWS = (
    "metrics_creator_months",
    "metrics_memberships",
    "metrics_payments",
    "metrics_engagement_events",
    "metrics_mrr_bridge",
)
GRAINS = ("metric_time__month", "creator__plan_type")
MEASURE_CALL = re.compile(r"MEASURE\((\w+)\)")
SKIPPED = re.compile(r"only MetricFlow answers: (.*?)\.\n", flags=re.S)
TOLERANCE = 0.005


@pytest.fixture(scope="module")
def project(seed_sets: Callable[..., Path], make_project: Callable[..., DbtProject]) -> DbtProject:
    """A small data set built on DuckDB (for the evaluation and `mf`)."""
    project = make_project("metric_views", seed_sets(scale=0.1))
    project.dbt("build", "--vars", AS_OF_VARS, *NO_TESTS)
    return project


@pytest.fixture(scope="module", params=["dev", "prod"])
def compiled(request: pytest.FixtureRequest, project: DbtProject) -> tuple[str, dict[str, str]]:
    """(target, {view: compiled YAML}) for one Databricks target, compiled offline."""
    target = request.param
    target_path = f"target_{target}"
    with pytest.MonkeyPatch.context() as patch:
        # The catalog must come from the profile, not from the environment.
        patch.delenv("DATABRICKS_CATALOG", raising=False)
        project.dbt(
            *("compile", "--no-populate-cache", "--target", target),
            *("--select", "path:models/metric_views", "--target-path", target_path),
            env=DUMMY_ENV,
        )
    folder = project.root / target_path / "compiled" / "patreon_analytics" / "models"
    texts = {view: (folder / "metric_views" / f"{view}.sql").read_text() for view in VIEWS}
    manifest = (project.root / target_path / "manifest.json").read_text()
    return target, {**texts, "__manifest__": manifest}


def views_of(compiled: tuple[str, dict[str, str]]) -> dict[str, dict]:
    return {view: yaml.safe_load(compiled[1][view]) for view in VIEWS}


def test_metric_views_exist_on_databricks_targets_only(
    project: DbtProject, compiled: tuple[str, dict[str, str]]
) -> None:
    nodes = json.loads(compiled[1]["__manifest__"])["nodes"]
    views = {
        node["name"]: node["config"]["materialized"]
        for node in nodes.values()
        if node["resource_type"] == "model" and node["name"].startswith("metrics_")
    }
    assert views == dict.fromkeys(VIEWS, "metric_view")
    local = project.dbt("ls", "--resource-type", "model", "--output", "name").output.split()
    assert "fct_creator_mrr_bridge" in local
    assert not [name for name in local if name.startswith("metrics_")], "enabled on DuckDB"


def test_yaml_parses_and_reads_the_targets_catalog(compiled: tuple[str, dict[str, str]]) -> None:
    target = compiled[0]
    for view, definition in views_of(compiled).items():
        assert definition["version"] == "1.1", view
        relations = [definition["source"], *(join["source"] for join in definition["joins"])]
        assert all(
            relation.startswith(f"{CATALOG_OF_TARGET[target]}.analytics_") for relation in relations
        ), (view, relations)
        names = [item["name"] for item in definition["dimensions"] + definition["measures"]]
        assert len(names) == len(set(names)), f"{view}: duplicate names"
        assert definition["measures"], view


def test_every_expression_parses_as_databricks_sql(compiled: tuple[str, dict[str, str]]) -> None:
    unparsable = []
    for view, definition in views_of(compiled).items():
        expressions = [item["expr"] for item in definition["dimensions"] + definition["measures"]]
        expressions += [join["on"] for join in definition["joins"] if "on" in join]
        for expression in expressions:
            try:
                sqlglot.parse_one(expression, read="databricks")
            except sqlglot.errors.ParseError as error:
                unparsable.append(f"{view}: {expression}: {error}")
    assert not unparsable, "\n".join(unparsable)


def semantic_layer_metrics(project: DbtProject) -> set[str]:
    manifest = json.loads((project.root / "target" / "semantic_manifest.json").read_text())
    return {metric["name"] for metric in manifest["metrics"]}


def test_every_metric_is_in_one_view_or_named_as_metricflow_only(
    project: DbtProject, compiled: tuple[str, dict[str, str]]
) -> None:
    in_views = [
        measure["name"] for definition in views_of(compiled).values()
        for measure in definition["measures"]
    ]  # fmt: skip
    assert len(in_views) == len(set(in_views)), "a metric is in two views"
    skipped = set()
    for view in VIEWS:
        (names,) = SKIPPED.findall(compiled[1][view])
        skipped |= {name.strip() for name in names.replace("#", "").split(",")} - {"none"}
    expected = semantic_layer_metrics(project)
    assert set(in_views) | skipped == expected
    assert not set(in_views) & skipped
    # What MetricFlow alone answers is the exception: offsets, cumulative, several models.
    assert skipped == {"mrr_growth_rate", "patron_churn_rate", "lifetime_revenue"}


# ---------------------------------------------------------------------------------------
# The measures on DuckDB against `mf query`
# ---------------------------------------------------------------------------------------


def qualified(expression: str) -> exp.Expression:
    """An expression whose bare columns are the source's (joined ones carry their join's
    name), as a metric view resolves them."""
    tree = sqlglot.parse_one(expression, read="databricks")
    for column in tree.find_all(exp.Column):
        if not column.table:
            column.set("table", exp.to_identifier("source"))
    return tree


def expanded(measure: str, measures: dict[str, dict]) -> str:
    """A measure's expression with every MEASURE(x) replaced by x's expression."""
    text = measures[measure]["expr"]
    while MEASURE_CALL.search(text):
        text = MEASURE_CALL.sub(lambda call: f"({measures[call.group(1)]['expr']})", text)
    return text


def equivalent_query(definition: dict, measure: str, grain: str) -> str:
    """The measure by one dimension as a plain `group by` over the source and its joins
    (Databricks SQL). A window measure (a month-end stock) is its order dimension's last
    (or first) value when that dimension is not grouped."""
    dimensions = {item["name"]: item["expr"] for item in definition["dimensions"]}
    measures = {item["name"]: item for item in definition["measures"]}
    value = qualified(expanded(measure, measures)).sql("databricks")
    key = qualified(dimensions[grain]).sql("databricks")
    joins = "".join(
        f" left join {join['source']} as {join['name']} "
        + (f"on {join['on']}" if "on" in join else f"using ({', '.join(join['using'])})")
        for join in definition["joins"]
    )
    where = ""
    for window in measures[measure].get("window", []):
        assert window["range"] == "current", window
        if window["order"] != grain:
            order = qualified(dimensions[window["order"]]).sql("databricks")
            pick = {"last": "max", "first": "min"}[window["semiadditive"]]
            where = (
                f" where {order} = (select {pick}({order}) from {definition['source']} as source)"
            )
    return (
        f"select {key} as grain, {value} as value from {definition['source']} as source"
        f"{joins}{where} group by 1"
    )


def mf_query(project: DbtProject, metrics: list[str], grain: str, csv: Path) -> pd.DataFrame:
    command = ["query", "--metrics", ",".join(metrics), "--group-by", grain]
    proc = subprocess.run(
        [str(BIN / "mf"), *command, "--csv", str(csv), "--quiet"],
        cwd=project.root,
        env=project.env(),
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    return pd.read_csv(csv)


def grain_keys(values: pd.Series, grain: str) -> pd.Index:
    if grain.startswith("metric_time__"):
        return pd.Index(pd.to_datetime(values).dt.date)
    return pd.Index(values.astype(str))


@pytest.mark.parametrize("grain", GRAINS)
def test_measures_equal_mf_query(
    project: DbtProject,
    compiled: tuple[str, dict[str, str]],
    grain: str,
    tmp_path: Path,
) -> None:
    if compiled[0] != "dev":
        pytest.skip("the same YAML but for the catalog: evaluated once, on dev's")
    definitions = views_of(compiled)
    metrics = [item["name"] for d in definitions.values() for item in d["measures"]]
    by_mf = mf_query(project, metrics, grain, tmp_path / "mf.csv")
    by_mf = by_mf.set_index(grain_keys(by_mf[grain], grain))
    problems = []
    with duckdb.connect(str(project.warehouse), read_only=True) as con:
        for view, definition in definitions.items():
            for measure in definition["measures"]:
                name = measure["name"]
                query = equivalent_query(definition, name, grain)
                duck = sqlglot.transpile(query, read="databricks", write="duckdb")[0]
                rows = con.execute(duck).df()
                got = rows.set_index(grain_keys(rows["grain"], grain))["value"].astype(float)
                want = by_mf[name].reindex(got.index).astype(float)
                both_null = got.isna() & want.isna()
                bad = ~both_null & ~((got - want).abs() <= TOLERANCE)
                if bad.any() or got.empty:
                    sample = pd.DataFrame({"metric_view": got, "mf": want})[bad].head(5)
                    problems.append(f"{view}.{name} by {grain}:\n{sample}\n{duck}")
                # Groups mf has beyond the source's rows are empty for this measure.
                extra = by_mf.loc[~by_mf.index.isin(got.index), name].dropna()
                if (extra.astype(float) != 0).any():
                    problems.append(f"{view}.{name} by {grain}: mf has more groups: {extra}")
    assert not problems, "\n\n".join(problems)
