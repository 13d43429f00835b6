"""CSV rendering straight to bytes, and chunked, atomic file writing.

Every column renders a slice of rows as a (rows, width) uint8 matrix of zero-padded bytes;
a chunk's matrices are joined with separators and the zero padding is dropped. Numbers,
timestamps and ids are rendered arithmetically, so large tables need no per-row Python work.
Zero bytes never occur in CSV text, so an all-zero field is an empty field (NULL).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

CHUNK_ROWS = 100_000
Column = Callable[[slice], np.ndarray]
U8 = np.uint8
ZERO = 48  # ord("0")


def _digits(values: np.ndarray, width: int) -> np.ndarray:
    """Zero-padded decimal digits of non-negative integers."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return ((values[:, None] // powers) % 10 + ZERO).astype(U8)


def _integers(values: np.ndarray) -> np.ndarray:
    """Decimal digits of non-negative integers without leading zeros."""
    width = len(str(int(values.max()))) if values.size else 1
    m = _digits(values, width)
    leading = np.cumsum(m != ZERO, axis=1) == 0
    leading[:, -1] = False
    m[leading] = 0
    return m


def _const(text: str, rows: int) -> np.ndarray:
    return np.tile(np.frombuffer(text.encode(), dtype=U8), (rows, 1))


def _id_matrix(prefix: str, width: int, numbers: np.ndarray) -> np.ndarray:
    return np.hstack([_const(prefix, numbers.size), _digits(numbers, width)])


def ids(prefix: str, width: int, n: int) -> Column:
    """Ids prefix_0001..; zero-padded to `width`, wider when n needs more digits."""
    w = max(width, len(str(n)))
    return lambda s: _id_matrix(prefix, w, np.arange(s.start + 1, s.stop + 1, dtype=np.int64))


def _null_where_negative(
    render: Callable[[np.ndarray], np.ndarray],
) -> Callable[[np.ndarray], np.ndarray]:
    """render(values) for non-negative values; an all-zero field (NULL) where a value is < 0."""

    def rendered(values: np.ndarray) -> np.ndarray:
        m = render(np.maximum(values, 0))
        m[values < 0] = 0
        return m

    return rendered


def ref(prefix: str, width: int, n: int, index: np.ndarray) -> Column:
    """Foreign-key ids from 0-based indices (-1 = NULL)."""
    w = max(width, len(str(n)))
    render = _null_where_negative(lambda i: _id_matrix(prefix, w, i + 1))
    return lambda s: render(index[s])


def _timestamp_matrix(sec: np.ndarray) -> np.ndarray:
    """`YYYY-MM-DD HH:MM:SS` of non-negative epoch seconds."""
    day = (sec // 86_400).astype("datetime64[D]")
    month = day.astype("datetime64[M]")
    year = month.astype("datetime64[Y]")
    tod = sec % 86_400
    fields = (
        (year.astype(np.int64) + 1970, 4, "-"),
        ((month - year.astype("datetime64[M]")).astype(np.int64) + 1, 2, "-"),
        ((day - month.astype("datetime64[D]")).astype(np.int64) + 1, 2, " "),
        (tod // 3600, 2, ":"),
        (tod // 60 % 60, 2, ":"),
        (tod % 60, 2, ""),
    )
    parts = []
    for values, width, sep in fields:
        parts.append(_digits(values, width))
        if sep:
            parts.append(_const(sep, sec.size))
    return np.hstack(parts)


def timestamps(ts: np.ndarray) -> Column:
    """`YYYY-MM-DD HH:MM:SS` from epoch seconds; negative values are NULL."""
    render = _null_where_negative(_timestamp_matrix)
    return lambda s: render(ts[s])


def _money_matrix(c: np.ndarray) -> np.ndarray:
    """Two-decimal amounts of non-negative integer cents."""
    return np.hstack([_integers(c // 100), _const(".", c.size), _digits(c % 100, 2)])


def money(cents: np.ndarray) -> Column:
    """Two-decimal amounts from non-negative integer cents."""
    return lambda s: _money_matrix(cents[s])


def integers(values: np.ndarray) -> Column:
    """Plain non-negative integers."""
    return lambda s: _integers(values[s])


def _encode(values: np.ndarray) -> np.ndarray:
    b = np.strings.encode(np.asarray(values, dtype=str), "utf-8")
    if b.itemsize == 0:
        b = b.astype("S1")
    return b.view(U8).reshape(b.size, b.itemsize)


def labels(names: Sequence[str] | np.ndarray, codes: np.ndarray) -> Column:
    """Enum labels from integer codes (-1 = NULL)."""
    table = _encode(np.append(np.asarray(names, dtype=str), ""))
    return lambda s: table[codes[s]]


def booleans(flags: np.ndarray) -> Column:
    """`true` / `false`."""
    return labels(["false", "true"], flags.astype(np.int64))


def quote(values: np.ndarray) -> np.ndarray:
    """CSV-quote (RFC 4180, minimal) the strings that contain a comma, quote or line break."""
    a = np.asarray(values, dtype=str)
    special = np.zeros(a.shape, dtype=bool)
    for ch in (",", '"', "\n", "\r"):
        special |= np.strings.find(a, ch) >= 0
    quoted = np.strings.add(np.strings.add('"', np.strings.replace(a, '"', '""')), '"')
    return np.where(special, quoted, a)


def text(values: np.ndarray | list[str]) -> Column:
    """Free text (empty = NULL), quoted where needed."""
    arr = np.asarray(values, dtype=object)
    return lambda s: _encode(quote(arr[s].astype(str)))


def render(columns: dict[str, Column], rows: slice) -> bytes:
    """CSV lines for a slice of rows."""
    n = rows.stop - rows.start
    parts: list[np.ndarray] = []
    for i, f in enumerate(columns.values()):
        parts.append(f(rows))
        parts.append(_const("\n" if i == len(columns) - 1 else ",", n))
    flat = np.hstack(parts).ravel()
    return flat[flat != 0].tobytes()


def write_csv(path: Path, columns: dict[str, Column], n: int) -> None:
    """Write a header and n rows in chunks, via a temporary file renamed into place."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write((",".join(columns) + "\n").encode())
            for lo in range(0, n, CHUNK_ROWS):
                fh.write(render(columns, slice(lo, min(n, lo + CHUNK_ROWS))))
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
