"""The dbt docs site renders: the mart's page, its description, its parents and the lineage graph.

Drives Debian's chromium headless (`--dump-dom`, `--screenshot`) against the site generated
from the built project and served over HTTP. The lineage graph is drawn on a canvas, so the DOM
cannot name its nodes: the test checks that the graph opened full screen with a non-empty
canvas and that the data the site loads holds the seven staging models; the screenshot (saved
in the test's tmp folder, path printed) is for a human to look at.
"""

from __future__ import annotations

import html
import json
import re
import socket
import struct
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from dbt_harness import DbtProject
from project_copy import AS_OF_VARS

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
MART_ID = "model.patreon_analytics.fct_creator_monthly_performance"
MART_PAGE = f"#!/model/{MART_ID}"
# Full-screen lineage graph of every model (plus their sources, tests and exposures).
GRAPH_PAGE = f"{MART_PAGE}?g_v=1&g_i=path:models"
WINDOW = (1600, 1000)
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Lets the single-page app fetch manifest.json / catalog.json and render before the dump.
    "--virtual-time-budget=20000",
    f"--window-size={WINDOW[0]},{WINDOW[1]}",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_served(url: str, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.2)


@pytest.fixture(scope="module")
def site(built_project: DbtProject) -> Iterator[str]:
    """Base URL of the built project's docs site, served from target/."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} is missing: install Debian's chromium "
            "(scripts/install_system_deps.sh or apt-get install chromium)"
        )
    build = built_project.build_result
    assert build is not None and build.ok, f"dbt build failed:\n{build.output[-4000:]}"
    built_project.dbt("docs", "generate", "--vars", AS_OF_VARS)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=built_project.root / "target",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}/index.html"
        wait_until_served(base)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def chromium(tmp_path: Path, *args: str) -> str:
    """Run headless chromium with a throwaway profile; return its stdout."""
    profile = tmp_path / f"profile-{time.monotonic_ns()}"
    proc = subprocess.run(
        [str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert proc.returncode == 0, f"chromium failed ({proc.returncode}):\n{proc.stderr[-3000:]}"
    return proc.stdout


def visible_dom(dom: str) -> str:
    """The DOM without scripts and styles (the app embeds its code in index.html)."""
    dom = re.sub(r"<script\b.*?</script>", "", dom, flags=re.S)
    return re.sub(r"<style\b.*?</style>", "", dom, flags=re.S)


def text_of(fragment: str) -> str:
    """Markup-free, whitespace-normalised text."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def plain(markdown: str) -> str:
    return " ".join(re.sub(r"[*`_#]", "", markdown).split())


@pytest.fixture(scope="module")
def manifest(built_project: DbtProject) -> dict:
    return json.loads((built_project.root / "target" / "manifest.json").read_text())


@pytest.fixture(scope="module")
def mart_dom(site: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    return visible_dom(
        chromium(tmp_path_factory.mktemp("mart_page"), "--dump-dom", site + MART_PAGE)
    )


def test_mart_page_shows_its_description(mart_dom: str, manifest: dict) -> None:
    match = re.search(
        r'<div ng-if="model.description"[^>]*class="model-markdown[^"]*"[^>]*>(.*?)</div>',
        mart_dom,
        flags=re.S,
    )
    assert match, "the mart's page has no rendered description"
    rendered = text_of(match.group(1))
    first_paragraph = manifest["nodes"][MART_ID]["description"].strip().split("\n\n")[0]
    assert plain(first_paragraph) in rendered, rendered[:500]
    assert "fct_creator_monthly_performance" in text_of(mart_dom)


def test_mart_page_lists_its_parents(mart_dom: str, manifest: dict) -> None:
    section = mart_dom.split('id="depends_on"', 1)
    assert len(section) == 2, "no Depends On section"
    listed = set(re.findall(r'href="#!/model/model\.patreon_analytics\.(\w+)"', section[1]))
    parents = {
        node.rsplit(".", 1)[-1]
        for node in manifest["nodes"][MART_ID]["depends_on"]["nodes"]
        if node.startswith("model.")
    }
    # The mart reads the intermediate layer and the creator dimension (docs/pipeline.md).
    assert parents and all(name.startswith(("int_", "dim_")) for name in parents), parents
    assert parents <= listed, f"missing from Depends On: {parents - listed}"


def test_overview_page_renders(site: str, tmp_path: Path) -> None:
    dom = text_of(visible_dom(chromium(tmp_path, "--dump-dom", site + "#!/overview")))
    for heading in ("Architecture", "Key performance indicators", "Dashboards"):
        assert heading in dom, f"overview lacks {heading!r}"


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_lineage_graph_shows_the_staging_models(
    site: str, tmp_path: Path, built_project: DbtProject
) -> None:
    with urllib.request.urlopen(site.replace("index.html", "manifest.json"), timeout=10) as resp:
        served = json.load(resp)
    staging = sorted(
        node["name"]
        for node in served["nodes"].values()
        if node["resource_type"] == "model"
        and node["original_file_path"].startswith("models/staging/")
    )
    assert len(staging) == 7, f"the site's data holds {len(staging)} staging models: {staging}"

    dom = visible_dom(chromium(tmp_path, "--dump-dom", site + GRAPH_PAGE))
    assert re.search(r'class="launcher[^"]*\bon\b[^"]*" data-launcher="fullscreen"', dom), (
        "the lineage graph did not open full screen"
    )
    node_layer = re.search(r'data-id="layer2-node" width="(\d+)" height="(\d+)"', dom)
    assert node_layer and int(node_layer.group(1)) > 0 and int(node_layer.group(2)) > 0, (
        "the lineage graph canvas is empty"
    )

    screenshot = tmp_path / "lineage_graph.png"
    chromium(tmp_path, f"--screenshot={screenshot}", site + GRAPH_PAGE)
    assert png_size(screenshot) == WINDOW
    assert screenshot.stat().st_size > 50_000, "the screenshot looks blank"
    print(f"lineage graph screenshot: {screenshot}")


def words(text: str) -> str:
    """The words of a text, markup and punctuation aside, for comparing markdown with DOM."""
    return " ".join(re.findall(r"\w+", text))


@pytest.mark.parametrize(
    ("resource_type", "name"),
    [
        ("metric", "patron_churn_rate"),
        ("semantic_model", "memberships"),
        ("saved_query", "health_metrics"),
    ],
)
def test_semantic_layer_page_shows_its_description(
    site: str, manifest: dict, tmp_path: Path, resource_type: str, name: str
) -> None:
    """The semantic layer is on the site: the sidebar lists every semantic model, metric and
    saved query, and a page of each kind renders its description."""
    unique_id = f"{resource_type}.patreon_analytics.{name}"
    collection = {"metric": "metrics", "semantic_model": "semantic_models"}.get(
        resource_type, "saved_queries"
    )
    description = manifest[collection][unique_id]["description"]
    dom = chromium(tmp_path, "--dump-dom", f"{site}#!/{resource_type}/{unique_id}")
    page = words(text_of(visible_dom(dom)))
    assert words(description) in page, page[-2000:]
    in_sidebar = set(re.findall(r'data-nav-unique-id="([^"]+)"', dom))
    expected = {*manifest["metrics"], *manifest["semantic_models"], *manifest["saved_queries"]}
    assert len(expected) > 30 and expected <= in_sidebar, expected - in_sidebar
