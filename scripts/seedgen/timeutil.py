"""Vectorised time helpers on int64 epoch seconds (UTC)."""

from __future__ import annotations

import numpy as np

DAY = 86_400
HOUR = 3_600
INT = np.int64

# Relative sign-up intensity by calendar month (Jan..Dec): new-year resolutions, a summer
# lull and a November bump, so month-over-month numbers move.
SEASONALITY = np.array([1.18, 1.02, 1.0, 0.96, 0.93, 0.88, 0.84, 0.9, 1.02, 1.06, 1.16, 0.92])


def month_index(ts: np.ndarray) -> np.ndarray:
    """Months since 1970-01 of each timestamp."""
    return (ts // DAY).astype("datetime64[D]").astype("datetime64[M]").astype(INT)


def add_months(ts: np.ndarray, months: np.ndarray) -> np.ndarray:
    """Monthly anniversary: same day-of-month (clipped to month length) and time of day."""
    days = ts // DAY
    tod = ts - days * DAY
    d64 = days.astype("datetime64[D]")
    m64 = d64.astype("datetime64[M]")
    dom = (d64 - m64.astype("datetime64[D]")).astype(INT)
    target = m64 + np.asarray(months, dtype=INT).astype("timedelta64[M]")
    first = target.astype("datetime64[D]")
    dim = ((target + np.timedelta64(1, "M")).astype("datetime64[D]") - first).astype(INT)
    day = first + np.minimum(dom, dim - 1).astype("timedelta64[D]")
    return day.astype(INT) * DAY + tod


def count_anniversaries(start: np.ndarray, limit: np.ndarray) -> np.ndarray:
    """Number of anniversaries start + j months (j >= 0) that are <= limit (0 if start > limit)."""
    j = month_index(limit) - month_index(start)
    j = np.where(add_months(start, j) <= limit, j, j - 1)
    return np.maximum(j + 1, 0)


def growth_sample(
    rng: np.random.Generator, n: int, lo: np.ndarray | int, hi: np.ndarray | int, rate: float
) -> np.ndarray:
    """Times in [lo, hi] with density proportional to exp(rate * t), rate per day."""
    lo_a = np.asarray(lo, dtype=np.float64)
    span = np.maximum(np.asarray(hi, dtype=np.float64) - lo_a, 0.0)
    u = rng.random(n)
    if rate <= 0:
        return (lo_a + u * span).astype(INT)
    r = rate / DAY
    return (lo_a + np.log1p(u * np.expm1(r * span)) / r).astype(INT)


def seasonal_sample(rng: np.random.Generator, n: int, lo: int, hi: int, rate: float) -> np.ndarray:
    """Growth-shaped sample thinned by month-of-year seasonality (rejection, a few rounds)."""
    out = growth_sample(rng, n, lo, hi, rate)
    todo = np.arange(n)
    accept_p = SEASONALITY / SEASONALITY.max()
    for _ in range(50):
        moy = month_index(out[todo]) % 12
        reject = rng.random(todo.size) >= accept_p[moy]
        todo = todo[reject]
        if todo.size == 0:
            break
        out[todo] = growth_sample(rng, todo.size, lo, hi, rate)
    return out
