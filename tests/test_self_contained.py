"""The repository stands alone: it names no file outside itself and its links resolve."""

from __future__ import annotations

import re

from dbt_harness import REPO, tracked_files

# References that once pointed outside the repository (an input spec, a machine's folders) or
# at README sections that do not exist.
FORBIDDEN = re.compile(
    r"/work/|/home/|/Users/|\bspec/|(?<![\w/])metrics\.md|Creating Dashboards|Health Thresholds"
)
MARKDOWN_LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
BINARY_SUFFIXES = {".png", ".jpg", ".duckdb", ".parquet"}


def text_files() -> list[str]:
    return [
        name
        for name in tracked_files()
        if not name.startswith("seeds/") and (REPO / name).suffix not in BINARY_SUFFIXES
    ]


def test_no_file_names_a_path_outside_the_repository() -> None:
    offenders = {}
    for name in text_files():
        if name == "tests/test_self_contained.py":
            continue
        for number, line in enumerate((REPO / name).read_text(errors="replace").splitlines(), 1):
            if FORBIDDEN.search(line):
                offenders[f"{name}:{number}"] = line.strip()
    assert not offenders, offenders


def test_relative_markdown_links_resolve_inside_the_repository() -> None:
    broken = {}
    for name in text_files():
        if not name.endswith(".md"):
            continue
        for target in MARKDOWN_LINK.findall((REPO / name).read_text()):
            if re.match(r"[a-z]+:", target):
                continue
            resolved = ((REPO / name).parent / target).resolve()
            if not resolved.exists() or REPO not in (resolved, *resolved.parents):
                broken.setdefault(name, []).append(target)
    assert not broken, broken


def test_the_decision_log_and_license_are_in_the_repository() -> None:
    assert "Apache License" in (REPO / "LICENSE").read_text()
    assert "Version 2.0, January 2004" in (REPO / "LICENSE").read_text()
    assert (REPO / "DECISIONLOG.md").is_file()


def test_readme_volumes_are_the_generators() -> None:
    """Counts in the docs are tested: the README's default volumes are the generator's."""
    from seedgen.config import DEFAULT_VOLUMES

    text = " ".join((REPO / "README.md").read_text().split())
    stated = ", ".join(f"{n:,} {t.replace('_', ' ')}" for t, n in DEFAULT_VOLUMES.items())
    assert stated.replace(", 60,226", " and 60,226") in text
