#!/usr/bin/env python3
"""Generate the deterministic seed CSVs of the Patreon-like analytics project.

Writes creators, patrons, tiers, pledges, transactions, posts and engagement_events CSVs.
The same arguments always produce byte-identical files. At the default scale the row counts
are exactly 500 / 15,000 / 1,412 / 21,310 / 185,141 / 8,000 / 60,226; at another scale every
count is round(default * scale) (at least one creator).

Conventions: timestamps `YYYY-MM-DD HH:MM:SS` (UTC), booleans `true`/`false`, money with two
decimals, empty field = NULL, ids zero-padded (`cr_0001`, `tx_0000001`, wider if needed).

Modelling choices (the dbt models rely on them):
- History starts 1 January five years before the end year; nothing is after the end date.
- Pledge lifecycle: `churned` exactly when ended_at is set (churn_reason voluntary,
  payment_failed or creator_removed); `paused` exactly when pause_started_at is set;
  `declined` = not ended, not paused, latest payment failed; otherwise `active`.
  Suspended/deleted creators end all their pledges at removal (creator_removed).
- Transactions: one pledge_payment per paid month on the pledge's monthly anniversary, retries
  of failed payments 2-7 days later, `pending` only in the last 3 days, and for each `refunded`
  payment one refund/chargeback row (succeeded, same amounts) 1-60 days later. Fees in cents,
  half-up: platform 5/8/12% (lite/pro/premium); processing 2.9% + $0.30, or 5% + $0.10 when
  gross <= $3.00; net = gross - fees.
- Patron status: `active` for every patron with a live (active/paused/declined) pledge; of the
  others about a third are `inactive` and a few `banned`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import re
import sys
import time
from pathlib import Path
from typing import NoReturn

from seedgen.build import generate, stderr_progress
from seedgen.config import DEFAULT_VOLUMES, MAX_SCALE, Config, GenerationError, volumes_for

REPO_ROOT = Path(__file__).resolve().parent.parent
PROG = "generate_seeds"


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line on stderr, exit code 2."""

    def error(self, message: str) -> NoReturn:
        fail(message)


def fail(message: str) -> NoReturn:
    """One-line error on stderr and exit code 2."""
    print(f"{PROG}: error: {message}", file=sys.stderr)
    raise SystemExit(2)


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid seed {text!r} (an integer >= 0)") from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"invalid seed {text!r} (an integer >= 0)")
    return value


def _scale(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid scale {text!r} (a number > 0)") from None
    if not math.isfinite(value) or value <= 0 or value > MAX_SCALE:
        raise argparse.ArgumentTypeError(
            f"invalid scale {text!r} (must be > 0 and <= {MAX_SCALE:g})"
        )
    return value


def _date(text: str) -> dt.date:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        value = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid end date {text!r} (YYYY-MM-DD)") from None
    if not 2000 <= value.year <= 2200:
        raise argparse.ArgumentTypeError(f"end date {text!r} out of range (years 2000-2200)")
    return value


def default_end_date() -> dt.date:
    """Yesterday in UTC: the last complete day, so the default data is current today.

    Only the default moves with the clock; an explicit --end-date always gives the same bytes.
    """
    return dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=1)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line arguments."""
    parser = _Parser(
        prog=PROG,
        description="Generate the seven seed CSVs deterministically (same arguments, same bytes).",
        epilog="Writes creators, patrons, tiers, pledges, transactions, posts and "
        "engagement_events CSVs. At scale 1: "
        + ", ".join(f"{n:,} {t}" for t, n in DEFAULT_VOLUMES.items())
        + ". Progress goes to stderr; errors are one line on stderr with exit code 2.",
    )
    parser.add_argument("--seed", type=_seed, default=42, help="random seed (default: 42)")
    parser.add_argument(
        "--scale", type=_scale, default=1.0,
        help="volume multiplier; every row count is round(default * scale) (default: 1.0)",
    )  # fmt: skip
    parser.add_argument(
        "--end-date", type=_date, default=None, metavar="YYYY-MM-DD",
        help="last day of activity, UTC; history starts 1 January five years earlier "
        "(default: yesterday, UTC, so the demo data is current on the day it is generated)",
    )  # fmt: skip
    parser.add_argument(
        "--out-dir", type=Path, default=REPO_ROOT / "seeds",
        help="output folder, created if missing (default: <repo>/seeds, whatever the cwd)",
    )  # fmt: skip
    parser.add_argument("--quiet", action="store_true", help="no progress output on stderr")
    return parser.parse_args(argv)


def _prepare(out_dir: Path) -> None:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(f"cannot create output directory {str(out_dir)!r}: {exc.strerror or exc}")
    if not out_dir.is_dir():
        fail(f"output path {str(out_dir)!r} is not a directory")


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    args = parse_args(argv)
    end_date: dt.date = args.end_date or default_end_date()
    try:
        cfg = Config(args.seed, args.scale, end_date, volumes_for(args.scale))
    except GenerationError as exc:
        fail(str(exc))
    out_dir: Path = args.out_dir
    _prepare(out_dir)
    progress = stderr_progress(args.quiet)
    if not args.quiet:
        v = cfg.volumes
        print(f"{PROG}: seed {cfg.seed}, scale {cfg.scale:g}, end date {cfg.end_date}, "
              f"{v.transactions:,} transactions -> {out_dir}", file=sys.stderr)  # fmt: skip
    t0 = time.perf_counter()
    try:
        generate(cfg, out_dir, progress)
    except GenerationError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write to {str(out_dir)!r}: {exc.strerror or exc}")
    if not args.quiet:
        print(f"{PROG}: wrote 7 files to {out_dir} in {time.perf_counter() - t0:.2f}s",
              file=sys.stderr)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
