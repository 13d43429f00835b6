"""Creators, tiers, patrons and posts."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import vocab
from .config import Config
from .timeutil import DAY, HOUR, INT, growth_sample, seasonal_sample

PLANS = np.array(["lite", "pro", "premium"], dtype=object)
PLAN_FEE_BP = np.array([500, 800, 1200])  # platform fee in basis points by plan
CREATOR_STATUSES = np.array(["active", "paused", "suspended", "deleted"], dtype=object)
PATRON_STATUSES = np.array(["active", "inactive", "banned"], dtype=object)
POST_TYPES = np.array(["article", "image", "video"], dtype=object)
ACCESS_LEVELS = np.array(["public", "patron_only", "tier_specific"], dtype=object)


@dataclass
class Creators:
    """Creator attributes plus hidden behaviour parameters."""

    created: np.ndarray
    horizon: np.ndarray  # removal time (suspended/deleted) or end of window
    status: np.ndarray
    plan: np.ndarray  # index into PLANS
    popularity: np.ndarray
    churn_hazard: np.ndarray
    fail_rate: np.ndarray
    category: np.ndarray
    subcategory: np.ndarray
    country: np.ndarray
    currency: np.ndarray
    nsfw: np.ndarray
    verified: np.ndarray
    name: list[str]
    email: list[str]

    @property
    def n(self) -> int:
        """Number of creators."""
        return self.created.size


@dataclass
class Tiers:
    """Tiers, ordered by creator then rank; offset/count index them per creator."""

    creator: np.ndarray
    rank: np.ndarray
    price: np.ndarray  # cents
    created: np.ndarray
    archived: np.ndarray  # -1 when active
    name: list[str]
    description: list[str]
    offset: np.ndarray  # first tier index per creator
    count: np.ndarray  # tiers per creator


@dataclass
class Patrons:
    """Patron attributes."""

    created: np.ndarray
    status: np.ndarray
    country: np.ndarray
    name: list[str]
    email: list[str]


@dataclass
class Posts:
    """Posts, ordered by publication time."""

    creator: np.ndarray
    published: np.ndarray
    post_type: np.ndarray
    access: np.ndarray  # index into ACCESS_LEVELS
    min_tier: np.ndarray  # -1 unless tier_specific
    pinned: np.ndarray
    title: list[str]


def _countries(rng: np.random.Generator, n: int) -> np.ndarray:
    w = np.array([c[1] for c in vocab.COUNTRIES], dtype=np.float64)
    return rng.choice(len(vocab.COUNTRIES), n, p=w / w.sum())


def make_creators(cfg: Config) -> Creators:
    """Creators sign up with growth and seasonality; ids follow sign-up order."""
    rng = cfg.rng(1)
    n = cfg.volumes.creators
    end = cfg.end_ts
    created = np.sort(seasonal_sample(rng, n, cfg.start_ts, end - 120 * DAY, 0.0008))
    status = rng.choice(4, n, p=[0.87, 0.06, 0.03, 0.04])
    status[0] = 0  # the oldest creator stays active: every patron can pledge to someone
    removed = status >= 2
    removal = created + 90 * DAY + (rng.random(n) * (end - DAY - created - 90 * DAY)).astype(INT)
    cat = rng.choice(len(vocab.CATEGORIES), n, p=vocab.CATEGORY_WEIGHTS)
    sub = np.empty(n, dtype=object)
    for i, (_, subs) in enumerate(vocab.CATEGORIES):
        mask = cat == i
        sub[mask] = vocab.pick(rng, subs, int(mask.sum()))
    country = _countries(rng, n)
    first, last = vocab.person_names(rng, n)
    return Creators(
        created=created,
        horizon=np.where(removed, removal, end),
        status=CREATOR_STATUSES[status],
        plan=rng.choice(3, n, p=[0.4, 0.45, 0.15]),
        popularity=rng.lognormal(0.0, 1.0, n),
        churn_hazard=np.clip(0.022 * rng.lognormal(0.0, 0.55, n), 0.003, 0.25),
        fail_rate=np.clip(0.028 * rng.lognormal(0.0, 0.6, n), 0.004, 0.4),
        category=np.array([c[0] for c in vocab.CATEGORIES], dtype=object)[cat],
        subcategory=sub,
        country=np.array([c[0] for c in vocab.COUNTRIES], dtype=object)[country],
        currency=np.array([c[2] for c in vocab.COUNTRIES], dtype=object)[country],
        nsfw=rng.random(n) < 0.05,
        verified=rng.random(n) < 0.3,
        name=vocab.creator_names(rng, first, last),
        email=vocab.emails(rng, first, last, np.arange(1, n + 1)),
    )


def _tier_counts(rng: np.random.Generator, n_creators: int, n_tiers: int) -> np.ndarray:
    """1-5 tiers per creator, adjusted so that they sum to exactly n_tiers."""
    counts = rng.choice(np.arange(1, 6), n_creators, p=[0.15, 0.25, 0.3, 0.18, 0.12])
    while (diff := n_tiers - int(counts.sum())) != 0:
        can = np.flatnonzero(counts < 5) if diff > 0 else np.flatnonzero(counts > 1)
        pick = rng.choice(can, min(abs(diff), can.size), replace=False)
        counts[pick] += 1 if diff > 0 else -1
    return counts


def _price_ladder(rng: np.random.Generator, k: int) -> np.ndarray:
    """k strictly rising prices (cents) from a ladder of common price points."""
    ladder = vocab.PRICE_LADDER_CENTS
    idx = np.empty(k, dtype=INT)
    idx[0] = rng.integers(0, 7)
    for r in range(1, k):
        idx[r] = idx[r - 1] + rng.integers(1, 4)
    top = ladder.size - 1
    idx = np.minimum(idx, top - (k - 1 - np.arange(k)))  # stay strictly increasing at the top
    return ladder[idx]


def make_tiers(cfg: Config, cr: Creators) -> Tiers:
    """Tiers with rising prices; rank 1 is created with the creator and never archived."""
    rng = cfg.rng(2)
    count = _tier_counts(rng, cr.n, cfg.volumes.tiers)
    offset = np.concatenate([[0], np.cumsum(count)[:-1]])
    creator = np.repeat(np.arange(cr.n), count)
    rank = np.arange(creator.size) - offset[creator] + 1
    price = np.concatenate([_price_ladder(rng, int(k)) for k in count])
    span = cr.horizon[creator] - cr.created[creator]
    later = (rng.random(creator.size) ** 2 * 0.5 * span).astype(INT)
    created = cr.created[creator] + np.where(
        rank == 1, rng.integers(0, 50 * 60, creator.size), HOUR + later
    )
    archive = (rank > 1) & (rng.random(creator.size) < 0.12)
    room = np.maximum(cr.horizon[creator] - created - 30 * DAY, HOUR)
    archived = np.where(
        archive, created + 30 * DAY + (rng.random(creator.size) * room).astype(INT), -1
    )
    archived = np.where(archive, np.minimum(archived, cfg.end_ts), -1)
    names = [vocab.TIER_NAMES[r - 1][rng.integers(0, len(vocab.TIER_NAMES[r - 1]))] for r in rank]
    desc = [vocab.tier_description(rng, int(r)) for r in rank]
    return Tiers(creator, rank, price, created, archived, names, desc, offset, count)


def make_patrons(cfg: Config) -> Patrons:
    """Patrons sign up with faster growth than creators; ids follow sign-up order."""
    rng = cfg.rng(3)
    n = cfg.volumes.patrons
    created = np.sort(seasonal_sample(rng, n, cfg.start_ts + 7 * DAY, cfg.end_ts - 3 * DAY, 0.0012))
    first, last = vocab.person_names(rng, n)
    return Patrons(
        created=created,
        status=np.full(n, "active", dtype=object),  # see set_patron_status
        country=np.array([c[0] for c in vocab.COUNTRIES], dtype=object)[_countries(rng, n)],
        name=[f"{f} {la}" for f, la in zip(first, last, strict=True)],
        email=vocab.emails(rng, first, last, np.arange(1, n + 1)),
    )


def set_patron_status(cfg: Config, pa: Patrons, has_live_pledge: np.ndarray) -> None:
    """Patrons with a live pledge are active; of the others some are inactive, a few banned."""
    rng = cfg.rng(9)
    u = rng.random(has_live_pledge.size)
    code = np.where(has_live_pledge, 0, np.where(u < 0.04, 2, np.where(u < 0.4, 1, 0)))
    pa.status = PATRON_STATUSES[code]


def make_posts(cfg: Config, cr: Creators, ti: Tiers) -> Posts:
    """Posts spread over creators by popularity and tenure, published within their lifetime."""
    rng = cfg.rng(4)
    n = cfg.volumes.posts
    span = (cr.horizon - cr.created).astype(np.float64)
    w = cr.popularity**0.5 * span
    creator = np.repeat(np.arange(cr.n), rng.multinomial(n, w / w.sum()))
    published = growth_sample(rng, n, cr.created[creator] + HOUR, cr.horizon[creator], 0.002)
    order = np.lexsort((creator, published))
    creator, published = creator[order], published[order]
    access = rng.choice(3, n, p=[0.45, 0.35, 0.2])
    k = ti.count[creator]
    rank0 = np.where(k >= 2, 1 + (rng.random(n) * (k - 1)).astype(INT), 0)
    tier = ti.offset[creator] + rank0
    offered = (ti.created[tier] <= published) & (
        (ti.archived[tier] < 0) | (ti.archived[tier] > published)
    )
    min_tier = np.where(access == 2, np.where(offered, tier, ti.offset[creator]), -1)
    return Posts(
        creator=creator,
        published=published,
        post_type=POST_TYPES[rng.choice(3, n, p=[0.4, 0.35, 0.25])],
        access=access,
        min_tier=min_tier,
        pinned=rng.random(n) < 0.03,
        title=vocab.post_titles(rng, cr.subcategory[creator]),
    )
