"""Run configuration: volumes, time window and the random streams."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from .timeutil import DAY

DEFAULT_VOLUMES: dict[str, int] = {
    "creators": 500,
    "patrons": 15_000,
    "tiers": 1_412,
    "pledges": 21_310,
    "transactions": 185_141,
    "posts": 8_000,
    "engagement_events": 60_226,
}
MAX_SCALE = 100.0
YEARS_OF_HISTORY = 5  # creators sign up from 1 January, five years before the end year


class GenerationError(ValueError):
    """Arguments that cannot produce a consistent data set."""


@dataclass(frozen=True)
class Volumes:
    """Exact row counts for one run."""

    creators: int
    patrons: int
    tiers: int
    pledges: int
    transactions: int
    posts: int
    engagement_events: int


def round_half_up(x: float) -> int:
    """Round to the nearest integer, halves away from zero (for x >= 0)."""
    return math.floor(x + 0.5)


def volumes_for(scale: float) -> Volumes:
    """round(default * scale) per table (at least one creator); raises when infeasible."""
    v = {k: round_half_up(n * scale) for k, n in DEFAULT_VOLUMES.items()}
    v["creators"] = max(1, v["creators"])
    vol = Volumes(**v)
    if not vol.creators <= vol.tiers <= 5 * vol.creators:
        raise GenerationError(f"scale {scale:g} is too small (needs 1-5 tiers per creator)")
    if vol.patrons < 1 or vol.pledges < 1 or vol.transactions < 2 * vol.pledges:
        raise GenerationError(f"scale {scale:g} is too small for consistent pledges")
    if vol.engagement_events > 0 and vol.posts < 1:
        raise GenerationError(f"scale {scale:g} is too small for posts and events")
    return vol


@dataclass(frozen=True)
class Config:
    """Everything that determines the output."""

    seed: int
    scale: float
    end_date: dt.date
    volumes: Volumes

    @property
    def end_ts(self) -> int:
        """Last second of end_date, epoch seconds."""
        return _epoch(self.end_date) + DAY - 1

    @property
    def start_ts(self) -> int:
        """Start of the history window."""
        return _epoch(dt.date(self.end_date.year - YEARS_OF_HISTORY, 1, 1))

    def rng(self, stream: int) -> np.random.Generator:
        """An independent, reproducible random stream per generation step."""
        return np.random.default_rng([self.seed, stream])


def _epoch(day: dt.date) -> int:
    return int((day - dt.date(1970, 1, 1)).days) * DAY
