"""The Databricks Asset Bundle resolved per target the way the Databricks CLI resolves it.

`bundle validate` needs a workspace, so tests resolve databricks.yml themselves: includes
merged, each variable's value (`--var` over the target's value over the default; a variable
without one is an error, as in the CLI), references between variables, development mode's
name prefixes, then every `${var.*}`, `${bundle.*}`, `${workspace.*}` and `${resources.*}`
reference. Used by tests/test_bundle.py and tests/test_workflows.py.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from dbt_harness import REPO

BUNDLE_FILE = REPO / "databricks.yml"
REFERENCE = re.compile(r"\$\{([\w.\[\]]+)\}")
JOB = "patreon_analytics_dbt"
STATE_VOLUME = "dbt_state"
WAREHOUSE_ID = "0123456789abcdef"
ALERT_EMAIL = "data-alerts@example.com"


class MissingVariableError(Exception):
    """A variable has no value on a target, as `databricks bundle validate` reports it."""


@dataclass(frozen=True)
class User:
    """The identity that deploys, as the CLI sees it (workspace.current_user)."""

    user_name: str

    @property
    def short_name(self) -> str:
        """The CLI's short name: the e-mail's local part, lower case, every run of
        characters other than letters and digits replaced by one underscore."""
        local = self.user_name.split("@", 1)[0].lower()
        replaced = "".join(char if char.isalnum() else "_" for char in local)
        return re.sub("_+", "_", replaced).strip("_")


DEPLOYER = User("jane.doe@example.com")


def load_bundle() -> tuple[dict[str, Any], dict[str, Path]]:
    """databricks.yml with its included files merged in, and the file each resource is in."""
    bundle = yaml.safe_load(BUNDLE_FILE.read_text())
    sources: dict[str, Path] = {}
    resources: dict[str, dict[str, Any]] = {}
    for pattern in bundle.get("include", []):
        files = sorted(REPO.glob(pattern))
        assert files, f"include {pattern!r} matches no file"
        for path in files:
            for kind, items in yaml.safe_load(path.read_text())["resources"].items():
                for key, resource in items.items():
                    assert key not in resources.get(kind, {}), f"{kind}.{key} defined twice"
                    resources.setdefault(kind, {})[key] = resource
                    sources[f"{kind}.{key}"] = path
    bundle["resources"] = resources
    return bundle, sources


BUNDLE, SOURCES = load_bundle()


def as_text(value: Any) -> str:
    """A value as the CLI writes it into a string: booleans in lower case."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def substitute(value: Any, context: dict[str, Any], *, skip: str | None = None) -> Any:
    """Every `${name}` reference replaced by its value; an unknown one fails the test.

    A reference whose name starts with `skip` is left as written (resolved later).
    """
    if isinstance(value, dict):
        return {key: substitute(item, context, skip=skip) for key, item in value.items()}
    if isinstance(value, list):
        return [substitute(item, context, skip=skip) for item in value]
    if not isinstance(value, str):
        return value
    names = [name for name in REFERENCE.findall(value) if not (skip and name.startswith(skip))]
    unknown = [name for name in names if name not in context]
    assert not unknown, f"unresolvable references {unknown} in {value!r}"
    whole = REFERENCE.fullmatch(value)
    if whole and whole.group(1) in names:
        return context[whole.group(1)]  # a lone reference keeps its value's type
    return REFERENCE.sub(
        lambda match: as_text(context[match.group(1)]) if match.group(1) in names else match[0],
        value,
    )


def variable_values(target: str, cli_vars: dict[str, str], user: User = DEPLOYER) -> dict[str, Any]:
    """Each variable's value on a target: --var, else the target's value, else the default."""
    overrides = BUNDLE["targets"][target].get("variables", {})
    values: dict[str, Any] = {}
    for name, spec in BUNDLE["variables"].items():
        override = overrides.get(name)
        if isinstance(override, dict):
            override = override.get("default")
        values[name] = cli_vars.get(name, override if override is not None else spec.get("default"))
    missing = sorted(name for name, value in values.items() if value is None)
    if missing:
        raise MissingVariableError(f"no value assigned to required variables {missing} on {target}")
    context = base_context(target, user)
    for _ in range(5):  # variables may reference other variables
        values = {
            name: substitute(value, context | {f"var.{key}": item for key, item in values.items()})
            for name, value in values.items()
        }
    return values


def base_context(target: str, user: User) -> dict[str, Any]:
    return {
        "bundle.target": target,
        "bundle.name": BUNDLE["bundle"]["name"],
        "workspace.current_user.userName": user.user_name,
        "workspace.current_user.short_name": user.short_name,
    }


def development_prefix(user: User) -> str:
    return f"[dev {user.short_name}] "


def apply_presets(resources: dict[str, Any], mode: str | None, user: User) -> None:
    """Development mode's name prefixes: "[dev <short name>] " on jobs and dashboards, and
    "dev_<short name>_" on Unity Catalog schemas (volumes and catalogs keep their names)."""
    if mode != "development":
        return
    prefix = development_prefix(user)
    for job in resources.get("jobs", {}).values():
        job["name"] = prefix + job["name"]
    for dashboard in resources.get("dashboards", {}).values():
        dashboard["display_name"] = prefix + dashboard["display_name"]
    for schema in resources.get("schemas", {}).values():
        schema["name"] = f"dev_{user.short_name}_" + schema["name"]


def resource_context(resources: dict[str, Any]) -> dict[str, Any]:
    """`resources.<kind>.<key>.<field>` for every scalar field of every resource."""
    return {
        f"resources.{kind}.{key}.{field}": value
        for kind, items in resources.items()
        for key, resource in items.items()
        for field, value in resource.items()
        if isinstance(value, (str, int, bool))
    }


def for_target(
    target: str, cli_vars: dict[str, str] | None = None, user: User = DEPLOYER
) -> dict[str, Any]:
    """The bundle's resources as the CLI resolves them for one target."""
    values = variable_values(target, cli_vars or {}, user)
    context = base_context(target, user) | {f"var.{name}": value for name, value in values.items()}
    resources = substitute(copy.deepcopy(BUNDLE["resources"]), context, skip="resources.")
    apply_presets(resources, BUNDLE["targets"][target].get("mode"), user)
    for _ in range(3):  # resources may reference resources that reference resources
        resources = substitute(resources, resource_context(resources))
    return resources


def deploy_vars(target: str) -> dict[str, str]:
    """What a deploy passes with --var: the warehouse, and on prod the alert address."""
    return {"warehouse_id": WAREHOUSE_ID} | (
        {"alert_email": ALERT_EMAIL} if target == "prod" else {}
    )


def volume_path(volume: dict[str, Any]) -> str:
    return f"/Volumes/{volume['catalog_name']}/{volume['schema_name']}/{volume['name']}"
