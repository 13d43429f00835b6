"""CSV formatting (timestamps, money, booleans, ids) and chunked, atomic file writing."""

from __future__ import annotations

import csv
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

CHUNK_ROWS = 250_000
Column = Callable[[slice], np.ndarray]


def ids(prefix: str, width: int, n: int) -> Column:
    """Ids prefix_000001..; zero-padded to `width`, wider when n needs more digits."""
    w = max(width, len(str(n)))
    return lambda s: np.strings.add(prefix, np.strings.zfill(np.arange(s.start + 1, s.stop + 1).astype(str), w))


def ref(prefix: str, width: int, n: int, index: np.ndarray) -> Column:
    """Foreign-key ids from 0-based indices (-1 = NULL)."""
    w = max(width, len(str(n)))

    def col(s: slice) -> np.ndarray:
        i = index[s]
        txt = np.strings.add(prefix, np.strings.zfill((i + 1).astype(str), w))
        return np.where(i >= 0, txt, "")

    return col


def timestamps(ts: np.ndarray) -> Column:
    """`YYYY-MM-DD HH:MM:SS`; negative values are NULL."""

    def col(s: slice) -> np.ndarray:
        t = ts[s]
        txt = np.datetime_as_string(np.maximum(t, 0).astype("datetime64[s]"), unit="s")
        return np.where(t >= 0, np.strings.replace(txt, "T", " "), "")

    return col


def money(cents: np.ndarray) -> Column:
    """Two-decimal amounts from non-negative integer cents."""

    def col(s: slice) -> np.ndarray:
        c = cents[s]
        whole = (c // 100).astype(str)
        return np.strings.add(np.strings.add(whole, "."), np.strings.zfill((c % 100).astype(str), 2))

    return col


def booleans(flags: np.ndarray) -> Column:
    """`true` / `false`."""
    return lambda s: np.where(flags[s], "true", "false")


def text(values: np.ndarray | list[str]) -> Column:
    """Strings as they are (None = NULL)."""
    arr = np.asarray(values, dtype=object)
    return lambda s: arr[s]


def labels(names: np.ndarray, codes: np.ndarray) -> Column:
    """Enum labels from integer codes (-1 = NULL)."""
    table = np.append(names.astype(object), "")
    return lambda s: table[codes[s]]


def write_csv(path: Path, columns: dict[str, Column], n: int) -> None:
    """Write a header and n rows in chunks, via a temporary file renamed into place."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(list(columns))
            for lo in range(0, n, CHUNK_ROWS):
                s = slice(lo, min(n, lo + CHUNK_ROWS))
                frame = pd.DataFrame({k: f(s) for k, f in columns.items()})
                frame.to_csv(fh, header=False, index=False, lineterminator="\n")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
