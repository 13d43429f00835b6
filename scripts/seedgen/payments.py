"""Transactions: monthly pledge payments, retries of failed ones, refunds and chargebacks."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .config import Config, GenerationError
from .entities import PLAN_FEE_BP, Creators
from .pledges import CHURNED, Pledges
from .timeutil import DAY, INT, add_months

RETRY_SHARE = 0.03  # retry rows per monthly attempt
REVERSAL_SHARE = 0.006  # refund/chargeback rows per monthly attempt
RETRY_SUCCESS = 0.55
LAST_PAYMENT_FAIL = 0.3  # chance that a churning pledge's last payment fails (involuntary churn)
PENDING_WINDOW = 3 * DAY

TYPES = np.array(["pledge_payment", "refund", "chargeback"], dtype=object)
STATUSES = np.array(["pending", "succeeded", "failed", "refunded"], dtype=object)
PENDING, SUCCEEDED, FAILED, REFUNDED = 0, 1, 2, 3
FAILURE_REASONS = np.array(
    ["card_declined", "insufficient_funds", "expired_card", "processing_error"], dtype=object
)


@dataclass
class Transactions:
    """Transaction rows ordered by time."""

    pledge: np.ndarray
    ttype: np.ndarray  # index into TYPES
    status: np.ndarray  # index into STATUSES
    gross: np.ndarray  # cents
    platform: np.ndarray
    processing: np.ndarray
    net: np.ndarray
    failure: np.ndarray  # index into FAILURE_REASONS, -1 = NULL
    at: np.ndarray


def fees(gross: np.ndarray, plan: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Platform fee by plan, processing fee (2.9% + 30c, or 5% + 10c up to $3), net; cents."""
    platform = (gross * PLAN_FEE_BP[plan] + 5_000) // 10_000
    processing = np.where(
        gross > 300, (gross * 290 + 5_000) // 10_000 + 30, (gross * 500 + 5_000) // 10_000 + 10
    )
    return platform, processing, gross - platform - processing


def _attempts(pl: Pledges) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One attempt per pledge per paid month: pledge index, month number, time."""
    assert pl.k is not None
    offsets = np.cumsum(pl.k) - pl.k
    pidx = np.repeat(np.arange(pl.n), pl.k)
    j = np.arange(pidx.size) - offsets[pidx]
    return pidx, j, add_months(pl.start[pidx], j)


def _choose(rng: np.random.Generator, pool: np.ndarray, n: int, what: str) -> np.ndarray:
    if pool.size < n:
        raise GenerationError(f"not enough candidates for {what}")
    return np.sort(rng.choice(pool, n, replace=False))


def make_transactions(
    cfg: Config, cr: Creators, pl: Pledges, total: int
) -> tuple[Transactions, np.ndarray]:
    """All transaction rows (exactly `total`) and, per pledge, whether its last payment failed."""
    rng = cfg.rng(7)
    end_ts = cfg.end_ts
    assert pl.k is not None and pl.kind is not None and pl.stop is not None
    pidx, j, at = _attempts(pl)
    m = pidx.size
    n_retry = round(m * RETRY_SHARE)
    n_rev = total - m - n_retry
    is_last = j == pl.k[pidx] - 1
    churning = is_last & (pl.kind[pidx] == CHURNED) & (pl.switch_at[pidx] < 0)
    p_fail = np.where(churning, LAST_PAYMENT_FAIL, cr.fail_rate[pl.creator[pidx]])
    failed = rng.random(m) < p_fail
    retry_at = at + rng.integers(2 * DAY, 7 * DAY, m)
    can_retry = retry_at <= pl.stop[pidx]
    pool = np.flatnonzero(failed & can_retry)
    if pool.size < n_retry:  # make sure there are enough failures to retry
        extra = np.flatnonzero(~failed & can_retry & (at <= end_ts - PENDING_WINDOW))
        failed[_choose(rng, extra, n_retry - pool.size, "retries")] = True
        pool = np.flatnonzero(failed & can_retry)
    retried = _choose(rng, pool, n_retry, "retries")
    retry_ok = rng.random(n_retry) < RETRY_SUCCESS
    recovered = np.zeros(m, dtype=bool)
    recovered[retried] = retry_ok
    last_failed = (failed & ~recovered)[np.cumsum(pl.k) - 1]

    pay_at = np.concatenate([at, retry_at[retried]])
    pay_pledge = np.concatenate([pidx, pidx[retried]])
    ok = np.concatenate([~failed, retry_ok])
    status = np.where(ok, np.where(pay_at > end_ts - PENDING_WINDOW, PENDING, SUCCEEDED), FAILED)
    rev = _choose(rng, np.flatnonzero((status == SUCCEEDED) & (pay_at <= end_ts - DAY)), n_rev,
                  "refunds")  # fmt: skip
    status[rev] = REFUNDED
    max_delay = np.minimum(60 * DAY, end_ts - pay_at[rev])
    rev_at = pay_at[rev] + (DAY + rng.random(n_rev) * (max_delay - DAY)).astype(INT)
    rev_type = np.where(rng.random(n_rev) < 0.75, 1, 2)

    pledge = np.concatenate([pay_pledge, pay_pledge[rev]])
    ttype = np.concatenate([np.zeros(pay_at.size, dtype=INT), rev_type])
    status = np.concatenate([status, np.full(n_rev, SUCCEEDED)])
    failure = np.where(status == FAILED, rng.choice(4, status.size, p=[0.45, 0.3, 0.15, 0.1]), -1)
    failure[pay_at.size :] = -1
    all_at = np.concatenate([pay_at, rev_at])
    order = np.lexsort((ttype, pledge, all_at))
    gross = pl.amount[pledge[order]]
    platform, processing, net = fees(gross, cr.plan[pl.creator[pledge[order]]])
    tx = Transactions(
        pledge=pledge[order],
        ttype=ttype[order],
        status=status[order],
        gross=gross,
        platform=platform,
        processing=processing,
        net=net,
        failure=failure[order],
        at=all_at[order],
    )
    return tx, last_failed
