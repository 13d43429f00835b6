"""Orchestration: generate every table, derive cross-table columns, write the CSVs."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from . import output as out
from .config import Config
from .entities import (
    ACCESS_LEVELS,
    PLANS,
    make_creators,
    make_patrons,
    make_posts,
    make_tiers,
    set_patron_status,
)
from .events import EVENT_TYPES, make_events
from .payments import (
    FAILURE_REASONS,
    REFUNDED,
    RETRY_SHARE,
    REVERSAL_SHARE,
    STATUSES,
    SUCCEEDED,
    TYPES,
    make_transactions,
)
from .pledges import CHURNED, LIVE, PAUSED, REMOVED, make_pledges, payment_target, plan_lifecycle

Progress = Callable[[str, int], None]


def _first_by(group: np.ndarray, values: np.ndarray, size: int, fn: np.ufunc) -> np.ndarray:
    """Per-group min/max of values (-1 where a group is empty)."""
    init = np.iinfo(np.int64).max if fn is np.minimum else -1
    acc = np.full(size, init, dtype=np.int64)
    fn.at(acc, group, values)
    return np.where(acc == np.iinfo(np.int64).max, -1, acc)


def _pledge_status(kind: np.ndarray, last_failed: np.ndarray, switched: np.ndarray) -> tuple:
    status = np.select(
        [kind == PAUSED, (kind == CHURNED) | (kind == REMOVED), last_failed],
        ["paused", "churned", "declined"],
        "active",
    ).astype(object)
    reason = np.select(
        [kind == REMOVED, (kind == CHURNED) & last_failed & ~switched, kind == CHURNED],
        ["creator_removed", "payment_failed", "voluntary"],
        "",
    ).astype(object)
    return status, reason


def generate(cfg: Config, out_dir: Path, progress: Progress) -> None:
    """Generate all seven tables into out_dir."""
    v = cfg.volumes
    cr = make_creators(cfg)
    ti = make_tiers(cfg, cr)
    pa = make_patrons(cfg)
    po = make_posts(cfg, cr, ti)
    pl = make_pledges(cfg, cr, pa, ti)
    plan_lifecycle(cfg, cr, pl, payment_target(v.transactions, RETRY_SHARE, REVERSAL_SHARE))
    tx, last_failed = make_transactions(cfg, cr, pl, v.transactions)
    ev = make_events(cfg, cr, pa, pl, po)
    assert pl.kind is not None and pl.end is not None and pl.pause is not None
    live = (pl.kind == LIVE) | (pl.kind == PAUSED)
    set_patron_status(cfg, pa, np.bincount(pl.patron[live], minlength=pa.created.size) > 0)
    progress("(generated in memory)", -1)

    first_pledge_cr = _first_by(pl.creator, pl.start, cr.n, np.minimum)
    last_post = _first_by(po.creator, po.published, cr.n, np.maximum)
    out.write_csv(out_dir / "creators.csv", {
        "creator_id": out.ids("cr_", 4, v.creators),
        "creator_name": out.text(cr.name),
        "email": out.text(cr.email),
        "category": out.text(cr.category),
        "subcategory": out.text(cr.subcategory),
        "country_code": out.text(cr.country),
        "currency_code": out.text(cr.currency),
        "plan_type": out.labels(PLANS, cr.plan),
        "is_nsfw": out.booleans(cr.nsfw),
        "is_verified": out.booleans(cr.verified),
        "created_at": out.timestamps(cr.created),
        "first_pledge_received_at": out.timestamps(first_pledge_cr),
        "last_post_at": out.timestamps(last_post),
        "status": out.text(cr.status),
    }, cr.n)  # fmt: skip
    progress("creators", cr.n)

    n_pa = pa.created.size
    collected = (tx.ttype == 0) & ((tx.status == SUCCEEDED) | (tx.status == REFUNDED))
    reversed_ = (tx.ttype > 0) & (tx.status == SUCCEEDED)
    signed = np.where(collected, tx.gross, 0) - np.where(reversed_, tx.gross, 0)
    spend = np.bincount(pl.patron[tx.pledge], weights=signed, minlength=n_pa).astype(np.int64)
    out.write_csv(out_dir / "patrons.csv", {
        "patron_id": out.ids("pa_", 5, n_pa),
        "patron_name": out.text(pa.name),
        "email": out.text(pa.email),
        "country_code": out.text(pa.country),
        "created_at": out.timestamps(pa.created),
        "first_pledge_at": out.timestamps(_first_by(pl.patron, pl.start, n_pa, np.minimum)),
        "lifetime_spend_usd": out.money(spend),
        "status": out.text(pa.status),
    }, n_pa)  # fmt: skip
    progress("patrons", n_pa)

    n_ti = ti.creator.size
    out.write_csv(out_dir / "tiers.csv", {
        "tier_id": out.ids("ti_", 5, n_ti),
        "creator_id": out.ref("cr_", 4, cr.n, ti.creator),
        "tier_name": out.text(ti.name),
        "tier_rank": out.integers(ti.rank),
        "price_usd": out.money(ti.price),
        "description": out.text(ti.description),
        "is_active": out.booleans(ti.archived < 0),
        "created_at": out.timestamps(ti.created),
        "archived_at": out.timestamps(ti.archived),
    }, n_ti)  # fmt: skip
    progress("tiers", n_ti)

    status, reason = _pledge_status(pl.kind, last_failed, pl.switch_at >= 0)
    first = np.zeros(pl.n, dtype=bool)
    first[np.unique(pl.patron, return_index=True)[1]] = True
    out.write_csv(out_dir / "pledges.csv", {
        "pledge_id": out.ids("pl_", 6, pl.n),
        "patron_id": out.ref("pa_", 5, n_pa, pl.patron),
        "creator_id": out.ref("cr_", 4, cr.n, pl.creator),
        "tier_id": out.ref("ti_", 5, n_ti, pl.tier),
        "pledge_amount_usd": out.money(pl.amount),
        "pledge_status": out.text(status),
        "is_first_pledge": out.booleans(first),
        "started_at": out.timestamps(pl.start),
        "ended_at": out.timestamps(pl.end),
        "pause_started_at": out.timestamps(pl.pause),
        "churn_reason": out.text(reason),
    }, pl.n)  # fmt: skip
    progress("pledges", pl.n)

    n_tx = tx.at.size
    out.write_csv(out_dir / "transactions.csv", {
        "transaction_id": out.ids("tx_", 7, n_tx),
        "pledge_id": out.ref("pl_", 6, pl.n, tx.pledge),
        "patron_id": out.ref("pa_", 5, n_pa, pl.patron[tx.pledge]),
        "creator_id": out.ref("cr_", 4, cr.n, pl.creator[tx.pledge]),
        "transaction_type": out.labels(TYPES, tx.ttype),
        "transaction_status": out.labels(STATUSES, tx.status),
        "gross_amount_usd": out.money(tx.gross),
        "platform_fee_usd": out.money(tx.platform),
        "processing_fee_usd": out.money(tx.processing),
        "net_amount_usd": out.money(tx.net),
        "payment_method": out.labels(np.array(["paypal", "card"]), pl.card[tx.pledge].astype(int)),
        "failure_reason": out.labels(FAILURE_REASONS, tx.failure),
        "transaction_at": out.timestamps(tx.at),
    }, n_tx)  # fmt: skip
    progress("transactions", n_tx)

    n_po = po.creator.size
    out.write_csv(out_dir / "posts.csv", {
        "post_id": out.ids("po_", 5, n_po),
        "creator_id": out.ref("cr_", 4, cr.n, po.creator),
        "title": out.text(po.title),
        "post_type": out.text(po.post_type),
        "access_level": out.labels(ACCESS_LEVELS, po.access),
        "minimum_tier_id": out.ref("ti_", 5, n_ti, po.min_tier),
        "published_at": out.timestamps(po.published),
        "is_pinned": out.booleans(po.pinned),
    }, n_po)  # fmt: skip
    progress("posts", n_po)

    n_ev = ev.at.size
    out.write_csv(out_dir / "engagement_events.csv", {
        "event_id": out.ids("ev_", 7, n_ev),
        "patron_id": out.ref("pa_", 5, n_pa, ev.patron),
        "creator_id": out.ref("cr_", 4, cr.n, ev.creator),
        "post_id": out.ref("po_", 5, n_po, ev.post),
        "event_type": out.labels(EVENT_TYPES, ev.etype),
        "event_at": out.timestamps(ev.at),
    }, n_ev)  # fmt: skip
    progress("engagement_events", n_ev)


def stderr_progress(quiet: bool) -> Progress:
    """A progress callback printing one line per table to stderr (or nothing)."""
    t0 = time.perf_counter()

    def report(table: str, rows: int) -> None:
        if quiet:
            return
        dt = time.perf_counter() - t0
        label = table if rows < 0 else f"{table}.csv"
        count = "" if rows < 0 else f"{rows:>12,} rows"
        print(f"  {label:<24}{count:<17}{dt:7.2f}s", file=sys.stderr)

    return report
