"""Time `make build` in a fresh clone and record it in docs/benchmarks.md.

Clones the repository's HEAD into a temporary folder and runs `make build` there in its four
phases (venv and install, seed CSVs, package mode, dbt build and summary), each timed, with the
pip cache as it is on this machine. System packages (apt) are not part of it. The result
replaces the section between the FRESH_CLONE markers of docs/benchmarks.md (appended when
missing), so `make bench` and this script can each refresh their own part.

Usage: python scripts/bench_fresh_clone.py [--output docs/benchmarks.md] [--keep]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BEGIN = "<!-- FRESH_CLONE: written by scripts/bench_fresh_clone.py -->"
END = "<!-- /FRESH_CLONE -->"
TARGET_S = 90.0
# `make build`'s prerequisites, in order, then the build itself (what is left of it).
PHASES = (
    ("venv + pip install '.[dev]'", ".venv/.installed"),
    ("seed CSVs (generator)", "seeds/creators.csv"),
    ("dbt packages (offline or package mode)", "packages"),
    ("dbt build + summary", "build"),
)


def children_cpu_s() -> float:
    """CPU seconds (user + system) used so far by finished child processes."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_phase(clone: Path, target: str) -> tuple[float, float]:
    """Run one make target in the clone; its wall time and CPU time in seconds."""
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    env.pop("VIRTUAL_ENV", None)
    start, cpu_start = time.perf_counter(), children_cpu_s()
    result = subprocess.run(
        ["make", "--no-print-directory", target],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed, cpu = time.perf_counter() - start, children_cpu_s() - cpu_start
    if result.returncode != 0:
        sys.exit(f"bench_fresh_clone: make {target} failed:\n{result.stdout[-3000:]}")
    return elapsed, cpu


def render(timings: list[tuple[str, float, float]], load: tuple[float, float]) -> str:
    total = sum(wall for _, wall, _ in timings)
    total_cpu = sum(cpu for _, _, cpu in timings)
    verdict = "PASS" if total < TARGET_S else "FAIL"
    rows = "\n".join(f"| {name} | {wall:.1f} | {cpu:.1f} |" for name, wall, cpu in timings)
    when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return f"""{BEGIN}
## Fresh clone: `make build`

`scripts/bench_fresh_clone.py` (`make bench-clone`): `git clone` of HEAD, then `make build` in
its phases, once, with this machine's pip cache and without apt; {when}, {os.cpu_count()}
cores, 1-minute load average {load[0]:.1f} before and {load[1]:.1f} after (above the core
count, other jobs were competing: the CPU column is what the build itself used).
Target: under {TARGET_S:.0f} s wall.

| phase | wall s | CPU s |
| --- | ---: | ---: |
{rows}
| **total** | **{total:.1f}** ({verdict}) | {total_cpu:.1f} |
{END}
"""


def kept_section(output: Path) -> str:
    """The fresh-clone section of an existing report ('' if none), for `make bench` to keep."""
    text = output.read_text() if output.exists() else ""
    if BEGIN not in text or END not in text:
        return ""
    return "\n" + BEGIN + text.split(BEGIN, 1)[1].split(END, 1)[0] + END + "\n"


def write_section(output: Path, section: str) -> None:
    text = output.read_text() if output.exists() else "# Benchmarks\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1].lstrip("\n")
        text = head + section + ("\n" + tail if tail else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    output.write_text(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench_fresh_clone", description=__doc__)
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "benchmarks.md")
    parser.add_argument("--keep", action="store_true", help="keep the clone and print its path")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="fresh_clone_"))
    clone = workdir / "repo"
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.strip()
        subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
        subprocess.run(["git", "checkout", "--quiet", head], cwd=clone, check=True)
        load_before = os.getloadavg()[0]
        timings = [(name, *run_phase(clone, target)) for name, target in PHASES]
        load_after = os.getloadavg()[0]
    finally:
        if args.keep:
            print(f"bench_fresh_clone: clone kept at {clone}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    section = render(timings, (load_before, load_after))
    write_section(args.output, section)
    print(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
