"""Install the dbt packages, or fall back to offline mode when the package hub is unreachable.

dbt refuses to run any command when packages.yml names more packages than the install path
holds. Offline mode therefore fills the install path with empty placeholder projects (no
macros, no models, no tests): plain `dbt seed/run/test` keep working, and the package-powered
checks, which live in the local package `package-checks/`, are simply not loaded, so none of
them can pass by accident.

Modes, decided in this order:
1. package: DBT_PACKAGES_FROM names a folder of installed package copies (it may be
   read-only): the packages of packages.yml and their dependencies are linked from it into the
   install path, with the local checks package beside them;
2. package: the real packages are already installed (by `dbt deps`, or a writable copy named
   by DBT_PACKAGES_INSTALL_PATH);
3. package: `dbt deps` succeeds;
4. offline: placeholders are written and one line names the skipped checks.

DBT_PACKAGES_INSTALL_PATH is the folder dbt itself loads packages from, so it must be writable
(dbt deps writes there, and the local checks package is linked in); for read-only copies use
DBT_PACKAGES_FROM, which leaves them untouched.

Usage: python scripts/dbt_packages.py [ensure [--with PACKAGE]...|status]
(`--with dbt_project_evaluator` also links the evaluator from DBT_PACKAGES_FROM.)
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER_MARKER = ".offline-placeholder"
LOCAL_CHECKS = ROOT / "package-checks"
DEPS_TIMEOUT_S = 120
HUB_HOST = "hub.getdbt.com"
HUB_TIMEOUT_S = 3


def install_path() -> Path:
    """The folder dbt loads packages from (dbt_project.yml reads the same variable)."""
    return ROOT / os.environ.get("DBT_PACKAGES_INSTALL_PATH", "dbt_packages")


def specified_packages() -> list[dict[str, object]]:
    """The entries of packages.yml."""
    data = yaml.safe_load((ROOT / "packages.yml").read_text()) or {}
    return list(data.get("packages") or [])


def hub_package_names() -> list[str]:
    """dbt project names of the hub packages, e.g. 'dbt-labs/dbt_utils' -> 'dbt_utils'."""
    return [str(p["package"]).split("/")[-1] for p in specified_packages() if "package" in p]


def installed_projects(path: Path) -> dict[str, Path]:
    """Project name -> folder, for every real (non-placeholder) package under path."""
    found: dict[str, Path] = {}
    if not path.is_dir():
        return found
    for child in sorted(path.iterdir()):
        project_file = child / "dbt_project.yml"
        if child.name.startswith("__") or not project_file.is_file():
            continue
        if (child / PLACEHOLDER_MARKER).exists():
            continue
        name = (yaml.safe_load(project_file.read_text()) or {}).get("name")
        if name:
            found[str(name)] = child
    return found


def package_checks() -> list[str]:
    """Names of the package-powered checks (the singular tests of package-checks/)."""
    return sorted(p.stem for p in (LOCAL_CHECKS / "tests").rglob("*.sql"))


def packages_ready(path: Path) -> bool:
    """True when every hub package and the local checks package are installed under path."""
    projects = installed_projects(path)
    checks_name = yaml.safe_load((LOCAL_CHECKS / "dbt_project.yml").read_text())["name"]
    return all(name in projects for name in [*hub_package_names(), checks_name])


def link_local_checks(path: Path) -> None:
    """A pre-installed copy (DBT_PACKAGES_INSTALL_PATH) lacks our local package: link it in."""
    target = path / "package-checks"
    if not target.exists():
        target.symlink_to(LOCAL_CHECKS, target_is_directory=True)


def package_dependencies(folder: Path) -> list[str]:
    """Project names of the hub packages an installed package depends on (its packages.yml)."""
    packages_file = folder / "packages.yml"
    if not packages_file.is_file():
        return []
    entries = (yaml.safe_load(packages_file.read_text()) or {}).get("packages") or []
    return [str(entry["package"]).split("/")[-1] for entry in entries if "package" in entry]


def link_copies(copies: Path, path: Path, extra: tuple[str, ...] = ()) -> list[str]:
    """Link the packages of packages.yml (plus `extra`), with their dependencies, from a folder of
    installed copies into the install path, then the local checks package. Returns the names
    missing from the copies. The copies are only read, so a read-only folder works."""
    available = installed_projects(copies)
    wanted = [*hub_package_names(), *extra]
    linked: dict[str, Path] = {}
    missing: list[str] = []
    while wanted:
        name = wanted.pop(0)
        if name in linked or name in missing:
            continue
        if name not in available:
            missing.append(name)
            continue
        linked[name] = available[name]
        wanted.extend(package_dependencies(available[name]))
    if missing:
        return missing
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    for name, folder in linked.items():
        (path / name).symlink_to(folder.resolve(), target_is_directory=True)
    link_local_checks(path)
    return []


def hub_reachable() -> bool:
    """Whether the dbt package hub answers a TCP connection within a few seconds. Offline,
    `dbt deps` spends about 10 s on retries before it fails; this takes well under 1 s."""
    try:
        with socket.create_connection((HUB_HOST, 443), timeout=HUB_TIMEOUT_S):
            return True
    except OSError:
        return False


def run_dbt_deps() -> bool:
    """Try `dbt deps`; False when the hub cannot be reached (or anything else fails)."""
    if not hub_reachable():
        return False
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    dbt = Path(sys.executable).with_name("dbt")
    try:
        result = subprocess.run(
            [str(dbt), "deps", "--project-dir", str(ROOT), "--profiles-dir", str(ROOT)],
            env=env,
            capture_output=True,
            text=True,
            timeout=DEPS_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


def write_placeholders(path: Path) -> None:
    """Replace the install path's contents with one empty project per packages.yml entry."""
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    for index, _entry in enumerate(specified_packages(), start=1):
        folder = path / f"offline_placeholder_{index}"
        folder.mkdir()
        (folder / PLACEHOLDER_MARKER).write_text(
            "Written by scripts/dbt_packages.py because `dbt deps` could not reach the hub.\n"
        )
        (folder / "dbt_project.yml").write_text(
            f"name: offline_placeholder_{index}\nversion: '0.0.0'\nconfig-version: 2\n"
        )


def ensure(extra: tuple[str, ...] = ()) -> str:
    """Bring the install path into package or offline mode and return the mode. `extra` names
    packages outside packages.yml to link from DBT_PACKAGES_FROM too (dbt_project_evaluator)."""
    path = install_path()
    copies = os.environ.get("DBT_PACKAGES_FROM")
    if extra and not copies:
        raise SystemExit("dbt packages: error: --with needs DBT_PACKAGES_FROM (installed copies)")
    if copies:
        missing = link_copies(ROOT / copies, path, extra)
        if missing:
            raise SystemExit(
                f"dbt packages: error: DBT_PACKAGES_FROM={copies} lacks {', '.join(missing)}"
            )
    elif "DBT_PACKAGES_INSTALL_PATH" in os.environ and installed_projects(path):
        if not os.access(path, os.W_OK) and not packages_ready(path):
            raise SystemExit(
                f"dbt packages: error: DBT_PACKAGES_INSTALL_PATH={path} is read-only and lacks "
                "package-checks; name read-only copies with DBT_PACKAGES_FROM instead"
            )
        link_local_checks(path)
    if packages_ready(path) or (run_dbt_deps() and packages_ready(path)):
        print(f"dbt packages: package mode, {len(package_checks())} package-powered checks enabled")
        return "package"
    write_placeholders(path)
    skipped = package_checks()
    print(
        "dbt packages: OFFLINE mode (package hub unreachable): skipped "
        f"{len(skipped)} package-powered checks ({', '.join(hub_package_names())}): "
        f"{', '.join(skipped)}; every core model and test runs."
    )
    return "offline"


def status() -> str:
    """Report the current mode without changing anything."""
    return "package" if packages_ready(install_path()) else "offline"


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "ensure"
    if command == "ensure":
        options = argv[1:]
        if len(options) % 2 or any(flag != "--with" for flag in options[::2]):
            print("dbt_packages: error: usage: ensure [--with PACKAGE]...", file=sys.stderr)
            return 2
        ensure(tuple(options[1::2]))
        return 0
    if command == "status":
        print(status())
        return 0
    print(
        f"dbt_packages: error: unknown command {command!r} (use ensure or status)", file=sys.stderr
    )
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
