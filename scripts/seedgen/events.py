"""Engagement events on posts: mostly by the creator's patrons, some outsiders on public posts."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .config import Config
from .entities import Creators, Patrons, Posts
from .pledges import Pledges
from .timeutil import DAY, INT

EVENT_TYPES = np.array(["view", "like", "unlike", "comment", "share"], dtype=object)
EVENT_MIX = [0.68, 0.17, 0.02, 0.09, 0.04]
INSIDER_SHARE = 0.85


@dataclass
class Events:
    """Events ordered by time."""

    patron: np.ndarray
    creator: np.ndarray
    post: np.ndarray
    etype: np.ndarray
    at: np.ndarray


def make_events(cfg: Config, cr: Creators, pa: Patrons, pl: Pledges, po: Posts) -> Events:
    """Events after publication, on the post's creator, none after the end date."""
    rng = cfg.rng(8)
    n = cfg.volumes.engagement_events
    by_creator = np.argsort(pl.creator, kind="stable")
    count = np.bincount(pl.creator, minlength=cr.n)
    offset = np.cumsum(count) - count
    public = po.access == 0
    has_patrons = count[po.creator] > 0
    w = cr.popularity[po.creator] ** 0.7 * (public | has_patrons)
    if w.sum() == 0:
        w = np.ones(po.creator.size)
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
    at = np.minimum(lo + rng.exponential(4 * DAY, n).astype(INT), until)
    etype = rng.choice(5, n, p=EVENT_MIX)
    order = np.lexsort((etype, patron, post, at))
    return Events(patron[order], c[order], post[order], etype[order], at[order])
