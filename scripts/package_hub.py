"""A stand-in for the dbt package hub on localhost, serving installed package copies.

Where hub.getdbt.com cannot be reached, this serves the API `dbt deps` calls (the package
index, each package's versions with their dependencies, and the release tarballs) from a
folder of installed copies, at the versions given, and runs one command against it with
DBT_PACKAGE_HUB_URL pointing there. package-lock.yml was written this way, from the copies in
../shared/dbt_packages (docs/deployment.md, "package-lock.yml"):

    python scripts/package_hub.py --copies ../shared/dbt_packages \\
        --pin dbt-labs/dbt_utils=1.4.1 --pin metaplane/dbt_expectations=0.10.9 \\
        --pin godatadriven/dbt_date=0.21.0 --pin dbt-labs/codegen=0.14.1 -- dbt deps --lock

A copy's folder is named like its package (dbt-labs/dbt_utils -> <copies>/dbt_utils); its
packages.yml gives its dependencies.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tarfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Release:
    """One version of a hub package, served from an installed copy."""

    package: str  # the hub name, e.g. dbt-labs/dbt_utils
    version: str
    folder: Path

    @property
    def name(self) -> str:
        return self.package.split("/")[-1]

    def dependencies(self) -> list[dict[str, Any]]:
        packages_file = self.folder / "packages.yml"
        if not packages_file.is_file():
            return []
        return list((yaml.safe_load(packages_file.read_text()) or {}).get("packages") or [])

    def tarball(self) -> bytes:
        """The copy as a release tarball: one top-level folder, as the hub serves it."""
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
            archive.add(self.folder, arcname=f"{self.name}-{self.version}")
        return buffer.getvalue()


def releases(copies: Path, pins: Sequence[str]) -> list[Release]:
    """`namespace/name=version` pins as releases of the copies folder."""
    found = []
    for pin in pins:
        package, _, version = pin.partition("=")
        folder = copies / package.split("/")[-1]
        if not version or not (folder / "dbt_project.yml").is_file():
            raise SystemExit(f"--pin {pin!r}: expected namespace/name=version with {folder}")
        found.append(Release(package, version, folder))
    return found


class Hub:
    """The hub's API for a list of releases: /api/v1/index.json, /api/v1/<package>.json and
    /tarballs/<package>/<version>.tar.gz."""

    def __init__(self, served: Sequence[Release]) -> None:
        self.releases = list(served)
        self.tarballs = {(r.package, r.version): r.tarball() for r in self.releases}
        self.url = ""

    def package_document(self, package: str) -> dict[str, Any] | None:
        versions = {
            release.version: {
                "name": release.name,
                "packages": release.dependencies(),
                "downloads": {"tarball": f"{self.url}tarballs/{package}/{release.version}.tar.gz"},
            }
            for release in self.releases
            if release.package == package
        }
        if not versions:
            return None
        namespace, name = package.split("/")
        return {"name": name, "namespace": namespace, "versions": versions}

    def respond(self, path: str) -> tuple[int, bytes, str]:
        if path == "/api/v1/index.json":
            names = sorted({release.package for release in self.releases})
            return 200, json.dumps(names).encode(), "application/json"
        if path.startswith("/api/v1/") and path.endswith(".json"):
            document = self.package_document(path.removeprefix("/api/v1/").removesuffix(".json"))
            if document is not None:
                return 200, json.dumps(document).encode(), "application/json"
        if path.startswith("/tarballs/") and path.endswith(".tar.gz"):
            package, _, version = (
                path.removeprefix("/tarballs/").removesuffix(".tar.gz").rpartition("/")
            )
            if (package, version) in self.tarballs:
                return 200, self.tarballs[(package, version)], "application/gzip"
        return 404, b"not found", "text/plain"


@contextmanager
def serving(served: Sequence[Release]) -> Iterator[str]:
    """Serve the releases on a free localhost port; yields the hub URL (ends with /)."""
    hub = Hub(served)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, body, content_type = hub.respond(self.path.split("?")[0])
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    hub.url = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hub.url
    finally:
        server.shutdown()
        server.server_close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=Path, required=True, help="folder of installed copies")
    parser.add_argument("--pin", action="append", default=[], help="namespace/name=version")
    parser.add_argument("command", nargs="+", help="the command to run, after --")
    args = parser.parse_args(argv)
    with serving(releases(args.copies, args.pin)) as url:
        env = {**os.environ, "DBT_PACKAGE_HUB_URL": url}
        return subprocess.run(args.command, env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
