"""Pledges: who pledges to whom, when, and how each pledge's life unfolds.

The number of monthly payment attempts over all pledges is calibrated to an exact target
(a churn-hazard multiplier found by bisection, then single-month trims), so that the
transaction table hits its exact row count.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .config import Config, GenerationError
from .entities import Creators, Patrons, Tiers
from .timeutil import DAY, HOUR, INT, add_months, count_anniversaries

# Lifecycle kinds
LIVE, PAUSED, CHURNED, REMOVED = 0, 1, 2, 3
SWITCH_SHARE = 0.04  # pledges that replace another pledge of the same patron+creator (tier switch)
DOUBLE_SHARE = 0.015  # second concurrent pledge of a patron to the same creator
PLEDGING_PATRON_SHARE = 0.86
PAUSE_SHARE = 0.05


@dataclass
class Pledges:
    """Pledges ordered by start (then patron, creator); lifecycle filled by plan_lifecycle."""

    patron: np.ndarray
    creator: np.ndarray
    tier: np.ndarray
    amount: np.ndarray  # cents
    start: np.ndarray
    switch_at: np.ndarray  # end of a tier-switched pledge, -1 otherwise
    card: np.ndarray  # payment method: True = card, False = paypal
    horizon: np.ndarray
    k: np.ndarray | None = None  # monthly payment attempts
    kind: np.ndarray | None = None
    end: np.ndarray | None = None  # -1 = NULL
    pause: np.ndarray | None = None  # -1 = NULL
    stop: np.ndarray | None = None  # payments must happen at or before this instant

    @property
    def n(self) -> int:
        """Number of pledges."""
        return self.start.size


def _choose_tier(rng: np.random.Generator, ti: Tiers, c: np.ndarray, t: np.ndarray) -> np.ndarray:
    """A tier of creator c offered at time t, mostly low ranks; falls back to rank 1."""
    r = rng.choice(5, c.size, p=[0.5, 0.27, 0.13, 0.06, 0.04])
    r = np.where(r < ti.count[c], r, 0)
    idx = ti.offset[c] + r
    ok = (ti.created[idx] <= t) & ((ti.archived[idx] < 0) | (ti.archived[idx] > t))
    return np.where(ok, idx, ti.offset[c])


def _amount(rng: np.random.Generator, ti: Tiers, tier: np.ndarray) -> np.ndarray:
    """Tier price, or a little more for the few who pay what they want."""
    extra = rng.choice(np.array([100, 200, 500, 1000]), tier.size)
    return ti.price[tier] + np.where(rng.random(tier.size) < 0.04, extra, 0)


def _pick_creators(
    rng: np.random.Generator, cr: Creators, patron_created: np.ndarray
) -> np.ndarray:
    """Creators by popularity, re-drawn until the pledge can start within both lifetimes."""
    p = cr.popularity / cr.popularity.sum()
    c = rng.choice(cr.n, patron_created.size, p=p)
    for _ in range(30):
        lo = np.maximum(patron_created, cr.created[c]) + HOUR
        bad = np.flatnonzero(cr.horizon[c] - DAY - lo < DAY)
        if bad.size == 0:
            return c
        c[bad] = rng.choice(cr.n, bad.size, p=p)
    lo = np.maximum(patron_created, cr.created[c]) + HOUR
    return np.where(cr.horizon[c] - DAY - lo < DAY, 0, c)  # creator 0: oldest, never removed


def _base(
    rng: np.random.Generator, cr: Creators, pa: Patrons, ti: Tiers, pat: np.ndarray,
    first: np.ndarray,
) -> dict[str, np.ndarray]:  # fmt: skip
    c = _pick_creators(rng, cr, pa.created[pat])
    lo = np.maximum(pa.created[pat], cr.created[c]) + HOUR
    room = cr.horizon[c] - DAY - lo
    soon = np.minimum(rng.exponential(12 * DAY, pat.size), room)
    start = lo + np.where(first, soon, rng.random(pat.size) * room).astype(INT)
    tier = _choose_tier(rng, ti, c, start)
    return {"patron": pat, "creator": c, "tier": tier, "start": start}


def _switches(
    rng: np.random.Generator, cr: Creators, ti: Tiers, base: dict[str, np.ndarray], n: int
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Tier switches: original pledge i ends at x and a new one on another tier starts at x."""
    c, s = base["creator"], base["start"]
    h = cr.horizon[c]
    elig = np.flatnonzero((ti.count[c] >= 2) & (h - s >= 70 * DAY))
    orig = np.sort(rng.choice(elig, min(n, elig.size), replace=False))
    so, ho, co = s[orig], h[orig], c[orig]
    x = so + 32 * DAY + (rng.random(orig.size) * (ho - 2 * DAY - so - 32 * DAY)).astype(INT)
    r = base["tier"][orig] - ti.offset[co]
    up = (r + 1 < ti.count[co]) & ((r == 0) | (rng.random(orig.size) < 0.5))
    cand = ti.offset[co] + np.where(up, r + 1, r - 1)
    ok = (ti.created[cand] <= x) & ((ti.archived[cand] < 0) | (ti.archived[cand] > x))
    tier = np.where(ok, cand, np.where(r > 0, ti.offset[co], base["tier"][orig]))
    new = {"patron": base["patron"][orig], "creator": co, "tier": tier, "start": x}
    return new, orig, x


def _doubles(
    rng: np.random.Generator, cr: Creators, ti: Tiers, base: dict[str, np.ndarray], n: int
) -> dict[str, np.ndarray]:
    """A second, concurrent pledge of the same patron to the same creator."""
    c, s = base["creator"], base["start"]
    h = cr.horizon[c]
    elig = np.flatnonzero(h - DAY - s >= 3 * DAY)
    src = np.sort(rng.choice(elig, min(n, elig.size), replace=False))
    room = h[src] - DAY - s[src] - HOUR
    start = s[src] + HOUR + (rng.random(src.size) * room).astype(INT)
    tier = _choose_tier(rng, ti, c[src], start)
    return {"patron": base["patron"][src], "creator": c[src], "tier": tier, "start": start}


def make_pledges(cfg: Config, cr: Creators, pa: Patrons, ti: Tiers) -> Pledges:
    """Base pledges, tier switches and double pledges, sorted by start time."""
    rng = cfg.rng(5)
    n = cfg.volumes.pledges
    n_sw = round(SWITCH_SHARE * n)
    n_db = round(DOUBLE_SHARE * n)
    n_base = n - n_sw - n_db
    n_pp = min(n_base, round(PLEDGING_PATRON_SHARE * pa.created.size))
    # Patrons who joined days ago have had less time to pledge (and to pledge again).
    tenure = (cfg.end_ts - pa.created) / DAY
    w_first = 0.02 + 1.0 - np.exp(-tenure / 20.0)
    chosen = rng.choice(pa.created.size, n_pp, replace=False, p=w_first / w_first.sum())
    w = rng.lognormal(0.0, 0.9, n_pp) * (30.0 + tenure[chosen])
    pat = np.concatenate([chosen, rng.choice(chosen, n_base - n_pp, p=w / w.sum())])
    base = _base(rng, cr, pa, ti, pat, np.arange(n_base) < n_pp)
    sw, orig, x = _switches(rng, cr, ti, base, n_sw)
    db = _doubles(rng, cr, ti, base, n_db + n_sw - orig.size)
    parts = [base, sw, db]
    short = n - n_base - orig.size - db["start"].size
    if short > 0:  # tiny scales: too few candidates for switches/doubles
        parts.append(_base(rng, cr, pa, ti, rng.choice(chosen, short), np.zeros(short, bool)))
    cols = {k: np.concatenate([p[k] for p in parts]) for k in base}
    switch_at = np.full(n, -1, dtype=INT)
    switch_at[orig] = x
    order = np.lexsort((cols["tier"], cols["creator"], cols["patron"], cols["start"]))
    tier = cols["tier"][order]
    return Pledges(
        patron=cols["patron"][order],
        creator=cols["creator"][order],
        tier=tier,
        amount=_amount(rng, ti, tier),
        start=cols["start"][order],
        switch_at=switch_at[order],
        card=rng.random(n) < 0.8,
        horizon=cr.horizon[cols["creator"][order]],
    )


def payment_target(total_rows: int, retry_share: float, reversal_share: float) -> int:
    """Monthly payment attempts so that attempts + retries + reversals = total_rows."""
    return round(total_rows / (1.0 + retry_share + reversal_share))


def plan_lifecycle(cfg: Config, cr: Creators, pl: Pledges, target: int) -> None:
    """Decide churn/pause so that the pledges carry exactly `target` monthly payments."""
    rng = cfg.rng(6)
    end_ts = cfg.end_ts
    n = pl.n
    sw = pl.switch_at >= 0
    a_all = count_anniversaries(pl.start, pl.horizon)
    a_sw = count_anniversaries(pl.start, np.where(sw, pl.switch_at - 1, pl.start))
    hazard = cr.churn_hazard[pl.creator]
    u = 1.0 - rng.random(n)
    pause_flag = rng.random(n) < PAUSE_SHARE
    pause_back = rng.geometric(0.45, n)
    frac = 0.35 + 0.6 * rng.random(n)

    def payments(mult: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        h = np.clip(hazard * mult, 1e-9, 0.999)
        life = 1 + np.floor(np.log(u) / np.log1p(-h))
        life = np.minimum(life, 10_000).astype(INT)
        churn = ~sw & (life < a_all)
        paused = ~sw & ~churn & (pl.horizon == end_ts) & pause_flag & (a_all >= 2)
        k = np.where(sw, a_sw, np.where(churn, life, a_all))
        return np.where(paused, np.maximum(1, a_all - pause_back), k), churn, paused

    lo, hi = 1e-3, 1e3
    if payments(lo)[0].sum() < target:
        raise GenerationError(
            "cannot fit the transaction volume into the pledges' history (scale too small?)"
        )
    for _ in range(60):
        mid = float(np.sqrt(lo * hi))
        lo, hi = (mid, hi) if payments(mid)[0].sum() >= target else (lo, mid)
    k, churn, paused = payments(lo)
    trimmed = np.zeros(n, dtype=bool)
    while (excess := int(k.sum()) - target) > 0:
        can = np.flatnonzero(~sw & (k >= 2))
        if can.size == 0:
            raise GenerationError("cannot fit the transaction volume")
        cut = rng.choice(can, min(excess, can.size), replace=False)
        k[cut] -= 1
        trimmed[cut] = True
    kind = np.where(sw | churn | (trimmed & ~paused), CHURNED, LIVE)
    kind = np.where(paused, PAUSED, kind)
    kind = np.where((kind == LIVE) & (pl.horizon < end_ts), REMOVED, kind)
    last = add_months(pl.start, k - 1)
    between = last + (frac * (add_months(pl.start, k) - last)).astype(INT)
    pl.k = k
    pl.kind = kind
    pl.end = np.where(kind == CHURNED, np.where(sw, pl.switch_at, between), -1)
    pl.end = np.where(kind == REMOVED, pl.horizon, pl.end)
    pl.pause = np.where(kind == PAUSED, between, -1)
    pl.stop = np.where(pl.end >= 0, pl.end, np.where(pl.pause >= 0, pl.pause, end_ts))
