"""Engagement events on posts: mostly by the creator's patrons, some outsiders on public posts.

Two kinds of events share the exact row budget:

* Post-driven events: a post is picked by its creator's popularity, then a reader (a patron of
  the creator, or an outsider on public posts) reacts within days of publication.
* Community events: each creator has a hidden *devotion*, the chance that a current patron
  engages in a given month. It rises with popularity (creators with large, loyal communities
  grew because of them) and the habit has been building over the last COMMUNITY_MONTHS, so a
  handful of big creators have most of their current patrons active in the latest months.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .config import Config
from .entities import Creators, Patrons, Posts
from .pledges import Pledges
from .timeutil import DAY, INT, month_index

EVENT_TYPES = np.array(["view", "like", "unlike", "comment", "share"], dtype=object)
EVENT_MIX = [0.68, 0.17, 0.02, 0.09, 0.04]
INSIDER_SHARE = 0.85
COMMUNITY_SHARE = 0.25  # share of all events that are community events (when any qualify)
DEVOTION_MAX = 0.8  # devotion saturates at this level for the most popular creators
DEVOTION_HALF = 6.0  # popularity (median 1) at which devotion reaches half its maximum
COMMUNITY_MONTHS = 12  # community habit ramps up linearly over this many latest months
REDRAW_ROUNDS = 20  # reactions after the end date are drawn again at most this often


@dataclass
class Events:
    """Events ordered by time."""

    patron: np.ndarray
    creator: np.ndarray
    post: np.ndarray
    etype: np.ndarray
    at: np.ndarray


def make_events(cfg: Config, cr: Creators, pa: Patrons, pl: Pledges, po: Posts) -> Events:
    """Events after publication, on the post's creator, none after removal or the end date."""
    community = _community_events(
        cfg, cr, pl, po, round(COMMUNITY_SHARE * cfg.volumes.engagement_events)
    )
    base = _post_events(cfg, cr, pa, pl, po, cfg.volumes.engagement_events - community.at.size)
    patron, c, post, etype, at = (
        np.concatenate([getattr(base, f), getattr(community, f)])
        for f in ("patron", "creator", "post", "etype", "at")
    )
    order = np.lexsort((etype, patron, post, at))
    return Events(patron[order], c[order], post[order], etype[order], at[order])


@dataclass
class _Reactions:
    """Post-driven events before their type: which post, whose reaction, its window."""

    post: np.ndarray
    creator: np.ndarray
    patron: np.ndarray
    lo: np.ndarray  # earliest instant: publication, or when the reader joined
    until: np.ndarray  # latest instant: the creator's removal or the end date
    at: np.ndarray


def _post_events(cfg: Config, cr: Creators, pa: Patrons, pl: Pledges, po: Posts, n: int) -> Events:
    """n events on posts picked by popularity, within days of publication."""
    rng = cfg.rng(8)
    draw = _reaction_drawer(cfg, cr, pa, pl, po)
    r = draw(rng, n)
    # Reactions that would come too late fall anywhere in the open window (no pile-up at the end).
    squeezed = r.lo + (rng.random(n) * (r.until - r.lo + 1)).astype(INT)
    if _has_month_in_progress(cfg):
        _redraw_reactions_after_the_end(cfg, draw, r)
    at = np.where(r.at > r.until, squeezed, r.at)
    etype = rng.choice(5, n, p=EVENT_MIX)
    return Events(r.patron, r.creator, r.post, etype, at)


def _reaction_drawer(
    cfg: Config, cr: Creators, pa: Patrons, pl: Pledges, po: Posts
) -> Callable[[np.random.Generator, int], _Reactions]:
    """A function drawing n reactions: a post by its creator's popularity, a reader (a patron
    of the creator, or an outsider on a public post) and a delay after publication."""
    by_creator = np.argsort(pl.creator, kind="stable")
    count = np.bincount(pl.creator, minlength=cr.n)
    offset = np.cumsum(count) - count
    public = po.access == 0
    has_patrons = count[po.creator] > 0
    w = cr.popularity[po.creator] ** 0.7 * (public | has_patrons)
    if w.sum() == 0:
        w = np.ones(po.creator.size)

    def draw(rng: np.random.Generator, n: int) -> _Reactions:
        post = rng.choice(po.creator.size, n, p=w / w.sum())
        c = po.creator[post]
        insider = (count[c] > 0) & (~public[post] | (rng.random(n) < INSIDER_SHARE))
        pick = by_creator[offset[c] + (rng.random(n) * np.maximum(count[c], 1)).astype(INT)]
        # Outsiders: patrons who had signed up by the time the post was published.
        joined = np.searchsorted(pa.created, po.published[post], side="right")
        outsider = np.where(
            joined > 0,
            (rng.random(n) * joined).astype(INT),
            rng.integers(0, pa.created.size, n),
        )
        patron = np.where(insider, pl.patron[pick], outsider)
        since = np.where(insider, pl.start[pick], pa.created[outsider])
        lo = np.maximum(po.published[post], since)
        until = np.maximum(np.minimum(cr.horizon[c], cfg.end_ts), lo)  # none after removal
        at = lo + rng.exponential(4 * DAY, n).astype(INT)
        return _Reactions(post, c, patron, lo, until, at)

    return draw


def _has_month_in_progress(cfg: Config) -> bool:
    """True when the end date is not a month's last day: its month is still in progress."""
    return int(month_index(np.array([cfg.end_ts + 1]))[0]) == int(
        month_index(np.array([cfg.end_ts]))[0]
    )


def _redraw_reactions_after_the_end(
    cfg: Config, draw: Callable[[np.random.Generator, int], _Reactions], r: _Reactions
) -> None:
    """In place: reactions that would come after the end date are drawn again, as the
    reactions that happen by then, instead of being squeezed into the days of the month in
    progress (which would then look busier than any other month). Only when a month is in
    progress, so a data set ending on a month's last day is unchanged."""
    rng = cfg.rng(11)
    late = np.flatnonzero((r.at > r.until) & (r.until >= cfg.end_ts))
    for _ in range(REDRAW_ROUNDS):
        if late.size == 0:
            return
        again = draw(rng, late.size)
        fits = again.at <= again.until
        for field_name in ("post", "creator", "patron", "lo", "until", "at"):
            getattr(r, field_name)[late[fits]] = getattr(again, field_name)[fits]
        late = late[~fits]


def _month_start(month: np.ndarray) -> np.ndarray:
    """Epoch seconds of the first instant of months counted since 1970-01."""
    return month.astype("datetime64[M]").astype("datetime64[D]").astype(INT) * DAY


def _live_beyond_end(cfg: Config, live_to: np.ndarray) -> np.ndarray:
    """Until when each pledge is live, had the data not ended: one live at the end date's
    last second goes on (a later end date would show it live longer)."""
    return np.where(live_to >= cfg.end_ts, np.iinfo(INT).max, live_to)


def _elapsed_share(lo: np.ndarray, hi: np.ndarray, hi_unbounded: np.ndarray) -> np.ndarray:
    """Share of each live window [lo, hi_unbounded] that lies within [lo, hi]: 1.0 where the
    data's end does not cut the window, as it cuts only the month in progress."""
    full = np.maximum(hi_unbounded - lo + 1, 1).astype(np.float64)
    return np.where(hi >= hi_unbounded, 1.0, np.clip(hi - lo + 1, 0, None) / full)


def _community_events(cfg: Config, cr: Creators, pl: Pledges, po: Posts, budget: int) -> Events:
    """Up to budget events by current patrons of devoted creators in the latest months.

    Every pledge-month (a pledge live during part of one of the last COMMUNITY_MONTHS months,
    while its creator has posts) engages with probability devotion * ramp; each engaged
    pledge-month gets one event, and any remaining budget adds repeat events to them. The
    event falls in the live part of that month, on one of the creator's latest posts.
    """
    rng = cfg.rng(10)
    weight = cr.popularity**1.5
    devotion = np.clip(
        DEVOTION_MAX * weight / (weight + DEVOTION_HALF**1.5) * rng.lognormal(0.0, 0.2, cr.n),
        0.0,
        0.95,
    )
    assert pl.stop is not None
    by_post = np.lexsort((po.published, po.creator))
    key = po.creator[by_post] * (1 << 40) + po.published[by_post]
    first_post = np.full(cr.n, np.iinfo(INT).max, dtype=INT)
    np.minimum.at(first_post, po.creator, po.published)
    last_m = int(month_index(np.array([cfg.end_ts]))[0])
    months = np.arange(last_m - COMMUNITY_MONTHS + 1, last_m + 1)
    ramp = (np.arange(COMMUNITY_MONTHS) + 1) / COMMUNITY_MONTHS
    live_to = np.minimum(np.minimum(pl.stop, cr.horizon[pl.creator]), cfg.end_ts)
    lo = np.maximum(
        np.maximum(_month_start(months)[None, :], pl.start[:, None]),
        first_post[pl.creator][:, None],
    )
    month_end = _month_start(months + 1)[None, :] - 1
    hi = np.minimum(month_end, live_to[:, None])
    # The month in progress is engaged with like any other month: a pledge-month engages
    # with a chance in proportion to the share of its live part that has elapsed, and the
    # event falls in that part. In every complete month the share is exactly 1.
    elapsed = _elapsed_share(lo, hi, np.minimum(month_end, _live_beyond_end(cfg, live_to)[:, None]))
    chance = devotion[pl.creator][:, None] * ramp[None, :] * elapsed
    engaged = (lo <= hi) & (rng.random(lo.shape) < chance)
    pledge, month = np.nonzero(engaged)
    if pledge.size > budget:
        keep = np.sort(rng.choice(pledge.size, budget, replace=False))
        pledge, month = pledge[keep], month[keep]
    if pledge.size == 0:
        empty = np.zeros(0, dtype=INT)
        return Events(empty, empty, empty, empty, empty)
    extra = rng.integers(0, pledge.size, budget - pledge.size)
    pick = np.concatenate([np.arange(pledge.size), extra])
    pledge, month = pledge[pick], month[pick]
    e_lo, e_hi = lo[pledge, month], hi[pledge, month]
    at = e_lo + (rng.random(pick.size) * (e_hi - e_lo + 1)).astype(INT)
    c = pl.creator[pledge]
    # Latest post at or before the event, sometimes one or two before that.
    newest = np.searchsorted(key, c * (1 << 40) + at, side="right") - 1
    earliest = np.searchsorted(key, c * (1 << 40), side="left")
    back = np.minimum(rng.geometric(0.6, pick.size) - 1, newest - earliest)
    post = by_post[newest - back]
    etype = rng.choice(5, pick.size, p=EVENT_MIX)
    return Events(pl.patron[pledge], c, post, etype, at)
