"""No credential or real workspace address is committed; secrets come from the environment."""

from __future__ import annotations

import re

import pytest
import yaml

from dbt_harness import REPO, tracked_files

# Databricks personal access tokens, OAuth secrets, and workspace hosts on any cloud.
TOKEN_PATTERNS = {
    "databricks personal access token": re.compile(r"\bdapi[0-9a-f]{32}(-\d)?\b"),
    "databricks oauth secret": re.compile(r"\bdose[0-9a-f]{32}\b"),
    "bearer token": re.compile(r"Bearer\s+[A-Za-z0-9._-]{20,}"),
}
HOST_PATTERN = re.compile(
    r"\b[\w.-]+\.(?:cloud\.databricks\.com|azuredatabricks\.net|gcp\.databricks\.com)\b"
)
# Documentation and tests name hosts that are obviously not real workspaces.
PLACEHOLDER_HOST = re.compile(r"^(your-workspace|dbc-dummy|example|adb-0+)\.")


def scanned_files() -> list[str]:
    return [name for name in tracked_files() if not name.endswith((".png", ".duckdb"))]


def read(name: str) -> str:
    return (REPO / name).read_text(errors="ignore")


@pytest.mark.parametrize("kind", sorted(TOKEN_PATTERNS))
def test_no_tokens_in_tracked_files(kind):
    pattern = TOKEN_PATTERNS[kind]
    hits = [f"{name}: {match}" for name in scanned_files() for match in pattern.findall(read(name))]
    assert not hits, f"{kind} found:\n" + "\n".join(hits)


def test_no_real_workspace_hosts():
    hits = [
        f"{name}: {host}"
        for name in scanned_files()
        for host in HOST_PATTERN.findall(read(name))
        if not PLACEHOLDER_HOST.match(host)
    ]
    assert not hits, "hard-coded Databricks hosts:\n" + "\n".join(hits)


def test_scanner_catches_a_planted_token():
    """The patterns are live: a realistic token and host are found."""
    planted = "token: dapi" + "0123456789abcdef" * 2 + "\nhost: adb-1234.5." + "azuredatabricks.net"
    assert TOKEN_PATTERNS["databricks personal access token"].search(planted)
    hosts = HOST_PATTERN.findall(planted)
    assert hosts and not PLACEHOLDER_HOST.match(hosts[0])


def test_databricks_credentials_come_only_from_the_environment():
    outputs = yaml.safe_load((REPO / "profiles.yml").read_text())["patreon_databricks"]["outputs"]
    for name, output in outputs.items():
        if output["type"] != "databricks":
            continue
        for key in ("host", "http_path", "token"):
            assert re.fullmatch(r"\{\{ env_var\('DATABRICKS_[A-Z_]+'\) \}\}", output[key]), (
                f"{name}.{key} must read its value from the environment"
            )
