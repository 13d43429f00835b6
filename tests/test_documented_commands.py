"""Every `--select` in the documentation selects something.

dbt exits 0 when a selector matches nothing ("No nodes selected!"), so a wrong selector in a
README command (a path where a name is needed) fails silently for whoever copies it. This test
collects the selectors of the dbt commands in the docs and lists each one with `dbt ls`.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

from dbt_harness import REPO, DbtProject

DOCUMENTS = [
    REPO / "README.md",
    REPO / "models" / "overview.md",
    REPO / "analyses" / "_analyses.yml",
    *sorted((REPO / "docs").glob("*.md")),
]
COMMAND = re.compile(r"\bdbt (?:build|compile|ls|run|show|snapshot|test)\b[^`|\n]*")
# Package mode only: tests/test_package_tools.py runs that command itself.
PACKAGE_MODE_ONLY = {"package:dbt_project_evaluator", "project_evaluator_exceptions"}
PATH_SELECTOR = "analyses/top_creators_by_revenue"

# One dbt process: parse once, then `ls` each selector against the same manifest.
LIST_EACH = """
import json, sys
from dbt.cli.main import dbtRunner
parsed = dbtRunner().invoke(["parse", "--quiet"])
assert parsed.success, parsed.exception
runner = dbtRunner(manifest=parsed.result)
counts = {}
for selector in json.loads(sys.argv[1]):
    result = runner.invoke(
        ["ls", "--quiet", "--resource-type", "all", "--select", *selector.split()]
    )
    counts[selector] = len(result.result or []) if result.success else -1
print(json.dumps(counts))
"""


def documented_selectors() -> dict[str, str]:
    """Selector -> the document that uses it, placeholders (`<name>`) left out."""
    found: dict[str, str] = {}
    for document in DOCUMENTS:
        for command in COMMAND.findall(document.read_text()):
            match = re.search(r"--select ((?:(?!--|&&|#)\S+ ?)+)", command)
            if not match:
                continue
            # state: selectors compare with another run's manifest (--state): nothing to list here.
            tokens = [
                t
                for t in match.group(1).split()
                if t not in PACKAGE_MODE_ONLY and not t.startswith("state:")
            ]
            if tokens and not any("<" in t for t in tokens):
                found.setdefault(" ".join(tokens), document.relative_to(REPO).as_posix())
    return found


def test_the_docs_have_selectors_to_check() -> None:
    assert "top_creators_by_revenue" in documented_selectors()


def test_every_documented_selector_selects_something(make_project, seed_sets) -> None:
    project: DbtProject = make_project("documented_selectors", seed_sets(scale=0.05))
    selectors = documented_selectors()
    proc = subprocess.run(
        [sys.executable, "-c", LIST_EACH, json.dumps([*sorted(selectors), PATH_SELECTOR])],
        cwd=project.root,
        env=project.env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    counts = json.loads(proc.stdout.strip().splitlines()[-1])
    # The check can fail: the path selector the docs once showed selects nothing.
    assert counts.pop(PATH_SELECTOR) == 0
    empty = {s: selectors[s] for s, n in counts.items() if n <= 0}
    assert not empty, f"documented selectors that select nothing: {empty}"
