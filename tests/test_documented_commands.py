"""The documentation's commands work as written, on the data a new user has.

- Every `--select` in the docs selects something: dbt exits 0 when a selector matches nothing
  ("No nodes selected!"), so a wrong selector in a README command fails silently for whoever
  copies it. Each is listed with `dbt ls`.
- Every documented `dbt` and `mf` command (bash blocks and inline code of README.md,
  models/overview.md, docs/*.md and analyses/_analyses.yml) runs, in document order, on a
  fresh copy whose data ends yesterday, as `make build` generates it, after the `dbt build` of
  `make build`; no var is pinned. Commands for Databricks targets are parsed offline with
  dummy credentials; commands that cannot run here are skipped for a reason listed in
  NOT_RUN, and placeholders (`<name>`) are skipped.
- The README names every mart; links to a section of a document find its heading; no
  blank line splits a table; docs/ stays within 800 lines.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
import time
from itertools import pairwise
from pathlib import Path

import pytest

from dbt_harness import REPO, DbtProject
from project_copy import todays_end_date

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

FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
INLINE = re.compile(r"`((?:dbt|mf) [^`]+)`")
# Why a documented command is not run here, by the first rule it matches (a regex on the
# command). Everything else runs, or, for a Databricks target, is parsed offline.
NOT_RUN = {
    r"^dbt build selected the demo seeds$": "an error message quoted in troubleshooting",
    r"^dbt deps": "reaches the package hub; `make packages` prepared the packages offline",
    r"^dbt docs serve": "a web server that runs until stopped (tests/test_docs_site.py)",
    r"codegen\.|package:dbt_project_evaluator": "package mode: tests/test_package_tools.py",
    r"state:|--defer|--state": "needs production's state: tests/test_slim_ci.py runs ci.yml",
    r"--target spark": "needs PySpark: the Spark suite (make test-spark) runs the project",
    r"--threads 1$": "a step docs/benchmarks.md records, which make bench runs",
}
DATABRICKS_TARGET = re.compile(r"--target (dev|prod)\b")
DATABRICKS_ENV = {
    "DATABRICKS_HOST": "dbc-dummy.cloud.databricks.com",
    "DATABRICKS_HTTP_PATH": "/sql/1.0/warehouses/dummy",
    "DATABRICKS_TOKEN": "dummy-token",
}
BIN = Path(sys.executable).parent
MF = str(BIN / "mf")
DBT = str(BIN / "dbt")
TIMEOUT_SECONDS = 600


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


def test_every_documented_selector_selects_something(fresh_clone: DbtProject) -> None:
    project = fresh_clone
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


def commands_in(text: str) -> list[str]:
    """The `dbt` and `mf` commands of a document: lines of its shell blocks (`&&` splits,
    comments and `.venv/bin/` dropped), then its inline code, whitespace normalised."""
    found = []
    for language, body in FENCE.findall(text):
        if language not in ("bash", "sh", ""):
            continue
        for line in body.replace("\\\n", " ").splitlines():
            for part in line.split(" && "):
                part = part.strip().removeprefix(".venv/bin/")
                if part.startswith(("dbt ", "mf ")):
                    found.append(shlex.join(shlex.split(part, comments=True)))
    found += [" ".join(span.split()) for span in INLINE.findall(FENCE.sub("", text))]
    return found


def documented_commands() -> dict[str, str]:
    """Command -> the first document that shows it, in document order."""
    commands: dict[str, str] = {}
    for document in DOCUMENTS:
        for command in commands_in(document.read_text()):
            commands.setdefault(command, document.relative_to(REPO).as_posix())
    return commands


def not_run_reason(command: str) -> str | None:
    if "<" in command:
        return "a placeholder to fill in"
    return next((why for rule, why in NOT_RUN.items() if re.search(rule, command)), None)


def test_the_extraction_finds_the_commands() -> None:
    """The extraction sees blocks, inline code, comments and `&&`, and the skip rules hold."""
    commands = documented_commands()
    for expected in (
        "dbt run",  # the README's shell workflow
        "dbt source freshness",  # inline code in a sentence
        "dbt snapshot",  # after `&&` in a block
        "dbt run-operation land_demo_csvs --args '{replace: true}'",  # a comment dropped
        "mf list metrics",
        "dbt seed --target dev --vars '{load_demo_seeds: true}'",
    ):
        assert expected in commands, expected
    assert len([c for c in commands if c.startswith("mf ")]) >= 5
    assert not_run_reason("dbt show --inline 'select * from <relation_name>'")
    assert not_run_reason("dbt build --target dev") is None
    assert not_run_reason("dbt run --full-refresh") is None


def databricks_parse_args(command: str) -> list[str]:
    """No workspace here: a Databricks command is parsed with its target and vars, in a
    target path of its own so that the local partial-parse state stays reusable."""
    args = shlex.split(command)
    options = [
        token
        for flag, value in pairwise(args)
        if flag in ("--target", "--vars")
        for token in (flag, value)
    ]
    return ["dbt", "parse", *options, "--target-path", "target_databricks"]


def run_alone(project: DbtProject, command: str) -> Outcome:
    """Run one documented command in its own process; Databricks targets as an offline parse."""
    args = shlex.split(command)
    env = project.env()
    if DATABRICKS_TARGET.search(command):
        args = databricks_parse_args(command)
        env.update(DATABRICKS_ENV)
    executable = {"dbt": DBT, "mf": MF}[args[0]]
    started = time.perf_counter()
    proc = subprocess.run(
        [executable, *args[1:]],
        cwd=project.root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=TIMEOUT_SECONDS,
    )
    output = proc.stdout + proc.stderr
    # mf reports some errors with exit code 0.
    ok = proc.returncode == 0 and not (args[0] == "mf" and "ERROR" in output)
    return ok, output, time.perf_counter() - started


# Consecutive local dbt commands run one after another in one Python process, through dbt's
# programmatic runner (the command line's own parser): no interpreter start-up per command.
DBT_IN_ONE_PROCESS = """
import json, sys, time
from dbt.cli.main import dbtRunner
results = []
for args in json.loads(sys.argv[1]):
    started = time.perf_counter()
    messages = []
    def keep(event, messages=messages):
        if event.info.level in ("warn", "error"):
            messages.append(event.info.msg)
    outcome = dbtRunner(callbacks=[keep]).invoke(args)
    if outcome.exception:
        messages.append(repr(outcome.exception))
    output = "\\n".join(messages)[-3000:]
    results.append([outcome.success, output, time.perf_counter() - started])
print("RESULTS " + json.dumps(results))
"""


Outcome = tuple[bool, str, float]  # succeeded, output (warnings and errors), seconds


def run_dbt_commands(project: DbtProject, commands: list[str]) -> list[Outcome]:
    """Local dbt commands, in order, in one process."""
    if not commands:
        return []
    argv = [shlex.split(command)[1:] for command in commands]
    proc = subprocess.run(
        [sys.executable, "-c", DBT_IN_ONE_PROCESS, json.dumps(argv)],
        cwd=project.root,
        env=project.env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=TIMEOUT_SECONDS * 3,
    )
    marker = [line for line in proc.stdout.splitlines() if line.startswith("RESULTS ")]
    assert proc.returncode == 0 and marker, (proc.stdout + proc.stderr)[-6000:]
    return [(ok, output, took) for ok, output, took in json.loads(marker[-1][8:])]


def run_in_order(project: DbtProject, commands: list[str]) -> dict[str, Outcome]:
    """Every command's outcome, run in document order: consecutive local dbt commands share a
    process; `mf` and the offline parses of Databricks commands run on their own (a parse of
    the same target and vars once)."""
    outcomes: dict[str, Outcome] = {}
    parsed: dict[tuple[str, ...], Outcome] = {}
    pending: list[str] = []
    for command in [*commands, ""]:
        if command.startswith("dbt ") and not DATABRICKS_TARGET.search(command):
            pending.append(command)
            continue
        outcomes.update(zip(pending, run_dbt_commands(project, pending), strict=True))
        pending = []
        if not command:
            break
        key = tuple(databricks_parse_args(command)) if DATABRICKS_TARGET.search(command) else ()
        if key not in parsed or not key:
            parsed[key] = run_alone(project, command)
        outcomes[command] = parsed[key]
    return outcomes


@pytest.fixture(scope="module")
def fresh_clone(make_project, seed_sets) -> DbtProject:
    """A copy with the default data of today (ending yesterday), built as `make build` does."""
    project: DbtProject = make_project(
        "documented_commands", seed_sets(scale=0.05, end_date=todays_end_date())
    )
    build = project.dbt("build", check=False)
    assert build.ok, f"make build's dbt build failed:\n{build.output[-6000:]}"
    return project


def test_every_documented_command_runs_on_todays_data(fresh_clone: DbtProject) -> None:
    skipped: dict[str, str] = {}
    # `dbt build` ran in the fixture, as make build's step.
    runnable = []
    for command in documented_commands():
        reason = not_run_reason(command)
        if reason:
            skipped[command] = reason
        elif command != "dbt build":
            runnable.append(command)
    outcomes = run_in_order(fresh_clone, runnable)
    for command, (_, _, took) in outcomes.items():
        print(f"{took:6.1f} s  {command}")
    print(f"ran {len(outcomes) + 1} documented commands; not run: {json.dumps(skipped, indent=1)}")
    assert len(outcomes) > 20, outcomes
    documents = documented_commands()
    failed = [
        f"{documents[command]}: {command}\n{output[-3000:]}"
        for command, (ok, output, _) in outcomes.items()
        if not ok
    ]
    assert not failed, "documented commands that fail:\n" + "\n\n".join(failed)


MART_SQL = sorted((REPO / "models" / "marts").glob("*/*.sql"))


def test_the_readme_names_every_mart() -> None:
    readme = (REPO / "README.md").read_text()
    assert len(MART_SQL) >= 9
    missing = [path.stem for path in MART_SQL if f"`{path.stem}`" not in readme]
    assert not missing, f"the README does not name {missing}"


def heading_anchors(markdown: Path) -> set[str]:
    """GitHub's anchors of a document's headings."""
    headings = re.findall(r"^#+ (.+)$", FENCE.sub("", markdown.read_text()), flags=re.M)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


def test_links_to_sections_find_their_heading() -> None:
    """A link to a document's section, anywhere in the repository, names one of its headings."""
    names = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    broken = []
    for name in names:
        path = REPO / name
        if name.startswith("seeds/") or path.suffix not in {".md", ".yml", ".sql", ".py"}:
            continue
        for target, anchor in re.findall(r"([\w./-]*[\w-]+\.md)#([\w-]+)", path.read_text()):
            candidates = [path.parent / target, REPO / target, REPO / "docs" / Path(target).name]
            document = next((c for c in candidates if c.is_file()), None)
            if document is None or anchor not in heading_anchors(document):
                broken.append(f"{name}: {target}#{anchor}")
    assert not broken, broken


# A table row, a blank line, then a row not followed by a header separator (`|---|`).
SPLIT_TABLE = re.compile(r"^\|.*\|\n\n(\|.*\|)\n(?!\|\s*:?-)", flags=re.M)


def test_no_blank_line_splits_a_table() -> None:
    """A blank line inside a table ends it: the rows after it, without a header of their own,
    render as a paragraph."""
    split = [
        f"{document.relative_to(REPO)}: {match.group(1)[:60]}"
        for document in DOCUMENTS
        if document.suffix == ".md"
        for match in SPLIT_TABLE.finditer(document.read_text())
    ]
    assert not split, split


def test_the_docs_folder_stays_short() -> None:
    """docs/ (benchmarks.md included) at most 800 lines: one home per explanation (issue 29)."""
    lines = {path.name: len(path.read_text().splitlines()) for path in REPO.glob("docs/*.md")}
    assert sum(lines.values()) <= 800, lines
