"""The Databricks targets (dev, prod) without a workspace.

With dummy credentials dbt must still parse, list and compile the project for Databricks
(Unity Catalog catalog from the profile, Delta, liquid clustering, persisted docs), the
compiled SQL must be valid Databricks SQL, both profiles (the shell's and the deployed job's)
must render retries that outlast a starting SQL warehouse, and with a short retry budget
`dbt debug` must fail fast and clearly when the workspace cannot be reached.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlfluff
import yaml
from databricks.sql.backend.thrift_backend import _retry_policy as connector_retry_bounds
from dbt.adapters.databricks.credentials import DatabricksCredentials
from dbt.config.renderer import ProfileRenderer
from dbt_common.context import set_invocation_context
from dbt_metricflow.cli.dbt_connectors.dbt_config_accessor import dbtArtifacts
from metricflow.engine.metricflow_engine import MetricFlowEngine, MetricFlowQueryRequest
from metricflow.protocols.sql_client import SqlEngine
from metricflow.sql.render.databricks import DatabricksSqlPlanRenderer
from metricflow_semantic_interfaces.validations.semantic_manifest_validator import (
    SemanticManifestValidator,
)
from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup
from sqlfluff.api import APIParsingError

from dbt_harness import REPO, DbtProject

DUMMY_ENV = {
    "DATABRICKS_HOST": "dbc-dummy.cloud.databricks.com",
    "DATABRICKS_HTTP_PATH": "/sql/1.0/warehouses/0000000000000000",
    "DATABRICKS_TOKEN": "dapi-dummy-token-not-a-secret",
}
CATALOG_OF_TARGET = {"dev": "patreon_dev", "prod": "patreon_prod"}
MART = "model.patreon_analytics.fct_creator_monthly_performance"
STORED_METRICS = "model.patreon_analytics.int_metrics_joined_to_creator_months"
INCREMENTAL_MODELS = (
    "int_memberships_aggregated_to_months",
    "int_metrics_joined_to_creator_months",
)
WINDOW_START = "cast('2026-08-01' as date)"
# dbt debug's connection test against an unreachable host, with the short retry budget below:
# measured 4 s (a 2 s host-discovery probe, then the connector's retries).
CONNECTION_TIME_LIMIT_S = 20
# How long the connector keeps retrying: at least a pro or classic SQL warehouse's cold start
# (several minutes); the offline debug test shortens it with DBT_DATABRICKS_RETRY_SECONDS.
WAREHOUSE_START_BUDGET_S = 600
SHORT_RETRY_SECONDS = "5"
# The deployed job's profile and the vars the bundle passes it.
JOB_PROFILE_VARS = {"warehouse_id": "0123456789abcdef", "catalog": "patreon_prod"}


@pytest.fixture(scope="module")
def databricks_project(
    seed_sets: Callable[..., Path], make_project: Callable[..., DbtProject]
) -> Iterator[DbtProject]:
    """A copy of the project (models ref the seeds, so a small seed set is copied in).

    The catalog must come from the profile, not from the environment.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("DATABRICKS_CATALOG", raising=False)
        patch.delenv("DBT_TARGET", raising=False)
        yield make_project("databricks_offline", seed_sets(scale=0.05))


def manifest(project: DbtProject) -> dict:
    return json.loads((project.root / "target" / "manifest.json").read_text())


@pytest.fixture(scope="module", params=["dev", "prod"])
def compiled(request: pytest.FixtureRequest, databricks_project: DbtProject) -> tuple[str, dict]:
    """`dbt compile --no-populate-cache` for one Databricks target, and its manifest."""
    target = request.param
    databricks_project.dbt("compile", "--no-populate-cache", "--target", target, env=DUMMY_ENV)
    return target, manifest(databricks_project)


@pytest.mark.parametrize("target", ["dev", "prod"])
def test_parse_and_ls_offline(databricks_project: DbtProject, target: str) -> None:
    # `dbt ls` parses the project first: one process proves both.
    listed = databricks_project.dbt(
        "ls", "--target", target, "--resource-type", "model", "--output", "name", env=DUMMY_ENV
    ).output.split()
    assert "fct_creator_monthly_performance" in listed
    assert "stg_transactions" in listed


def test_every_relation_lands_in_the_targets_catalog_as_delta(compiled: tuple[str, dict]) -> None:
    target, nodes = compiled[0], compiled[1]["nodes"]
    relations = {
        unique_id: node
        for unique_id, node in nodes.items()
        if node["resource_type"] in ("model", "seed")
    }
    assert MART in relations
    wrong = {
        unique_id: (node["database"], node["config"].get("file_format"))
        for unique_id, node in relations.items()
        if (node["database"], node["config"].get("file_format"))
        != (CATALOG_OF_TARGET[target], "delta")
    }
    assert not wrong, f"not ({CATALOG_OF_TARGET[target]}, delta) on --target {target}: {wrong}"


def test_docs_are_persisted_and_the_stored_metrics_are_liquid_clustered(
    compiled: tuple[str, dict],
) -> None:
    nodes = compiled[1]["nodes"]
    not_persisted = [
        unique_id
        for unique_id, node in nodes.items()
        if node["resource_type"] in ("model", "seed")
        and node["config"].get("persist_docs") != {"relation": True, "columns": True}
    ]
    assert not not_persisted, f"persist_docs missing on {not_persisted}"
    # The mart is a view over the stored monthly metrics: the table its readers scan.
    assert nodes[MART]["config"]["materialized"] == "view"
    clustered_by = nodes[STORED_METRICS]["config"].get("liquid_clustered_by")
    assert set(clustered_by or []) == {"month_start_date", "creator_id"}
    assert {"month_start_date", "creator_id"} <= set(nodes[STORED_METRICS]["columns"])


@pytest.fixture(scope="module")
def window_writes(databricks_project: DbtProject) -> list[str]:
    """The statement each incremental model's strategy (replace_window_sql) writes its window
    with on Databricks, for a window starting in August 2026, rendered offline."""
    calls = [
        f"{{{{ replace_window_sql(ref('{name}'), "
        f"api.Relation.create(identifier='{name}__dbt_tmp'), \"{WINDOW_START}\") }}}}"
        for name in INCREMENTAL_MODELS
    ]
    result = databricks_project.dbt(
        "compile",
        "--no-populate-cache",
        "--target",
        "dev",
        "--inline",
        "\n;;\n".join(calls),
        env=DUMMY_ENV,
    )
    rendered = result.output.split("Compiled inline node is:", 1)[1]
    return [" ".join(part.split()).lower() for part in rendered.split(";;")]


def test_incremental_models_replace_their_window_on_delta(
    compiled: tuple[str, dict], window_writes: list[str]
) -> None:
    """Both incremental models replace every row of the window's months (one atomic
    INSERT ... REPLACE WHERE on Delta), never merge by key (a key that vanished from the
    sources would stay), and are liquid-clustered on the month the replacement filters on."""
    nodes = compiled[1]["nodes"]
    for name, written in zip(INCREMENTAL_MODELS, window_writes, strict=True):
        config = nodes[f"model.patreon_analytics.{name}"]["config"]
        assert config["incremental_strategy"] == "replace_window", name
        assert config["liquid_clustered_by"][0] == "month_start_date", name
        assert not config.get("unique_key"), f"{name}: a unique_key suggests a merge by key"
        relation = f"`{CATALOG_OF_TARGET['dev']}`.`analytics_intermediate`.`{name}`"
        assert written.startswith(f"insert into {relation}"), written
        assert f"replace where month_start_date >= {WINDOW_START} table" in written, written
        assert "merge" not in written, written


def test_compiled_models_parse_as_databricks_sql(
    compiled: tuple[str, dict], databricks_project: DbtProject
) -> None:
    # Metric views compile to YAML, not SQL: tests/test_metric_views.py checks them.
    models = [
        node
        for node in compiled[1]["nodes"].values()
        if node["resource_type"] == "model" and node["config"]["materialized"] != "metric_view"
    ]
    assert models
    unparsable = {}
    for node in models:
        sql = (databricks_project.root / node["compiled_path"]).read_text()
        try:
            sqlfluff.parse(sql, dialect="databricks")
        except APIParsingError as error:
            unparsable[node["name"]] = str(error)[:500]
    assert not unparsable, f"not valid Databricks SQL (sqlfluff): {unparsable}"


class OfflineDatabricksClient:
    """Just enough of MetricFlow's SqlClient to render Databricks SQL; it runs nothing."""

    sql_engine_type = SqlEngine.DATABRICKS
    sql_plan_renderer = DatabricksSqlPlanRenderer()

    def render_bind_parameter_key(self, bind_parameter_key: str) -> str:
        return f":{bind_parameter_key}"


def test_semantic_layer_renders_databricks_sql_offline(
    compiled: tuple[str, dict], databricks_project: DbtProject
) -> None:
    """The semantic manifest of a Databricks target passes MetricFlow's validations, and the
    SQL MetricFlow writes for Databricks (every metric by month and plan; each saved query)
    reads the target's catalog and parses as Databricks SQL. `mf` itself cannot run here:
    it calls `dbt debug` first."""
    target = compiled[0]
    semantic_manifest = dbtArtifacts.build_semantic_manifest_from_dbt_project_root(
        databricks_project.root
    )
    validation = SemanticManifestValidator().validate_semantic_manifest(semantic_manifest)
    assert not validation.has_blocking_issues, validation.errors
    engine = MetricFlowEngine(SemanticManifestLookup(semantic_manifest), OfflineDatabricksClient())
    metrics = sorted(metric.name for metric in semantic_manifest.metrics)
    requests = {
        "every metric": MetricFlowQueryRequest.create(
            metric_names=metrics, group_by_names=["metric_time__month", "creator__plan_type"]
        ),
        **{
            saved_query.name: MetricFlowQueryRequest.create(saved_query_name=saved_query.name)
            for saved_query in semantic_manifest.saved_queries
        },
    }
    assert len(requests) == 5, f"expected four saved queries: {sorted(requests)}"
    for name, request in requests.items():
        sql = engine.explain(request).sql_statement.sql
        assert f"`{CATALOG_OF_TARGET[target]}`.`analytics_marts`" in sql, name
        if target != "dev":
            continue  # the same SQL but for the catalog: parsed once (about 12 s)
        try:
            sqlfluff.parse(sql, dialect="databricks")
        except APIParsingError as error:
            pytest.fail(f"{name}: not valid Databricks SQL (sqlfluff): {str(error)[:500]}")


def rendered_credentials(
    profiles_dir: Path, target: str, cli_vars: dict[str, str], env: dict[str, str]
) -> DatabricksCredentials:
    """One output of a profile as dbt renders it, loaded by dbt-databricks' credentials
    class (which adds the adapter's own connection defaults)."""
    set_invocation_context({**os.environ, **env})
    profile = yaml.safe_load((profiles_dir / "profiles.yml").read_text())
    output = ProfileRenderer(cli_vars).render_data(profile["patreon_databricks"]["outputs"][target])
    return DatabricksCredentials.from_dict(
        {key: value for key, value in output.items() if key not in ("type", "threads")}
    )


RETRYING_PROFILES = [
    pytest.param(REPO, target, {}, id=f"shell-{target}") for target in ("dev", "prod")
] + [
    pytest.param(REPO / "dbt_profiles", target, JOB_PROFILE_VARS, id=f"job-{target}")
    for target in ("dev", "prod")
]


@pytest.mark.parametrize(("profiles_dir", "target", "cli_vars"), RETRYING_PROFILES)
def test_profiles_retry_while_the_warehouse_starts(
    profiles_dir: Path, target: str, cli_vars: dict[str, str]
) -> None:
    """The SQL connector's retry settings as rendered: enough attempts and time for a cold
    start, each within the range the connector accepts (it clamps values outside it)."""
    env = DUMMY_ENV | {"DBT_HOST": "dbc-dummy", "DBT_ACCESS_TOKEN": "dummy"}
    env.pop("DBT_DATABRICKS_RETRY_SECONDS", None)
    parameters = rendered_credentials(profiles_dir, target, cli_vars, env).connection_parameters
    assert parameters is not None
    assert float(parameters["_retry_stop_after_attempts_duration"]) >= WAREHOUSE_START_BUDGET_S
    assert int(parameters["_retry_stop_after_attempts_count"]) >= 10
    assert float(parameters["_socket_timeout"]) >= 60
    for name, (kind, _default, low, high) in connector_retry_bounds.items():
        if name in parameters:
            assert low <= kind(parameters[name]) <= high, (name, parameters[name])


def test_the_shell_profile_takes_a_shorter_retry_budget() -> None:
    env = DUMMY_ENV | {"DBT_DATABRICKS_RETRY_SECONDS": SHORT_RETRY_SECONDS}
    parameters = rendered_credentials(REPO, "dev", {}, env).connection_parameters
    assert parameters is not None
    assert float(parameters["_retry_stop_after_attempts_duration"]) == float(SHORT_RETRY_SECONDS)


def logged_seconds(output: str, start: str, end: str) -> int:
    """Seconds between the first log line containing start and the first containing end, from
    dbt's own timestamps (HH:MM:SS): the time of that phase alone, whatever dbt's start-up
    costs on a loaded machine."""

    def stamp(marker: str) -> int:
        line = next(line for line in output.splitlines() if marker in line)
        found = re.search(r"(\d\d):(\d\d):(\d\d)", line)
        assert found, f"no timestamp on {line!r}"
        hours, minutes, seconds = map(int, found.groups())
        return hours * 3600 + minutes * 60 + seconds

    return (stamp(end) - stamp(start)) % 86400


def test_debug_fails_fast_and_clearly_without_a_workspace(databricks_project: DbtProject) -> None:
    """With a retry budget of a few seconds (DBT_DATABRICKS_RETRY_SECONDS) an unreachable
    host ends dbt debug's connection test quickly, with a message naming the host."""
    env = DUMMY_ENV | {"DBT_DATABRICKS_RETRY_SECONDS": SHORT_RETRY_SECONDS}
    result = databricks_project.dbt("debug", "--target", "dev", check=False, env=env)
    assert not result.ok, "dbt debug reported success against a workspace that does not exist"
    assert "unable to connect" in result.output
    assert DUMMY_ENV["DATABRICKS_HOST"] in result.output
    connecting = logged_seconds(result.output, "Registered adapter", "unable to connect")
    assert connecting < CONNECTION_TIME_LIMIT_S, f"the connection test took {connecting} s"
