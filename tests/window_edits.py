"""Two loads of the same source that differ only inside a refresh's window.

An incremental refresh must leave every month of its window exactly as a full rebuild would,
whatever happened to the sources there: rows added, changed or removed. `before_load` is the
source as an earlier run saw it, `after_load` as the refresh sees it; both start from one
generated seed set and touch only rows dated from `window_start` on, so every month before
the window is the same in both and a refresh that rewrites the window exactly equals a full
rebuild on the after load, in every month.

Between the two loads (rows dated from window_start up to `until`, the before load's end):
- removed: every fourth pledge started in the window with its payments (among them a
  patron's only pledge to a creator, and an open pledge), every fifth post with its
  events, every fifth other engagement event, and all the activity of one creator (a
  pledge, its payments, a post and an event), who has none left in the window;
- changed: every third remaining pledge started in the window had another amount, every
  seventh payment was still pending, every third post had another access level and every
  third event another type.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dbt_harness import SEED_TABLES, read_seed

Frames = dict[str, pd.DataFrame]

# The column that dates each table's rows.
DATED_BY = {
    "creators": "created_at",
    "patrons": "created_at",
    "tiers": "created_at",
    "pledges": "started_at",
    "transactions": "transaction_at",
    "posts": "published_at",
    "engagement_events": "event_at",
}
# Ids of the rows only the before load has for the creator left without activity.
PHANTOM_SUFFIX = "_gone"


@dataclass(frozen=True)
class Window:
    """The refresh's first month and the before load's last instant, as seed text."""

    start: str
    until: str


def read_frames(folder: Path) -> Frames:
    """The seven seed CSVs as text frames (empty fields stay empty strings)."""
    return {table: read_seed(folder, table) for table in SEED_TABLES}


def write_frames(frames: Mapping[str, pd.DataFrame], folder: Path) -> Path:
    """Write the seven frames as seed CSVs into folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for table, frame in frames.items():
        frame.to_csv(folder / f"{table}.csv", index=False)
    return folder


def in_window(frame: pd.DataFrame, table: str, window: Window) -> pd.Series:
    """Rows dated inside the window (from its first month up to the before load's end)."""
    dated = frame[DATED_BY[table]]
    return (dated >= window.start) & (dated <= window.until)


def every(mask: pd.Series, nth: int) -> pd.Series:
    """Every nth row of those selected by mask (the first, the nth + 1, ...)."""
    positions = mask.cumsum()
    return mask & ((positions - 1) % nth == 0)


def removed_pledges(pledges: pd.DataFrame, window: Window) -> pd.Series:
    """Every fourth pledge started in the window."""
    return every(in_window(pledges, "pledges", window), 4)


def removed_posts(posts: pd.DataFrame, window: Window) -> pd.Series:
    """Every fifth post published in the window."""
    return every(in_window(posts, "posts", window), 5)


def removed_events(frames: Frames, window: Window) -> pd.Series:
    """Every fifth event in the window, and every event on a removed post."""
    events, posts = frames["engagement_events"], frames["posts"]
    on_removed_post = events["post_id"].isin(posts.loc[removed_posts(posts, window), "post_id"])
    return every(in_window(events, "engagement_events", window), 5) | on_removed_post


def after_load(frames: Frames, window: Window) -> Frames:
    """The generated seed set without the rows removed inside the window."""
    pledges = frames["pledges"]
    gone_pledges = pledges.loc[removed_pledges(pledges, window), "pledge_id"]
    transactions = frames["transactions"]
    return {
        **frames,
        "pledges": pledges[~pledges["pledge_id"].isin(gone_pledges)],
        "transactions": transactions[~transactions["pledge_id"].isin(gone_pledges)],
        "posts": frames["posts"][~removed_posts(frames["posts"], window)],
        "engagement_events": frames["engagement_events"][~removed_events(frames, window)],
    }


def before_load(frames: Frames, window: Window) -> Frames:
    """The generated seed set as an earlier run saw it: changed values inside the window and
    one idle creator's activity, which the after load no longer has."""
    changed = {
        **frames,
        "pledges": with_earlier_amounts(frames["pledges"], window),
        "transactions": with_pending_payments(frames["transactions"], window),
        "posts": with_swapped(
            frames["posts"], "posts", window, "access_level", "public", "patron_only"
        ),
        "engagement_events": with_swapped(
            frames["engagement_events"], "engagement_events", window, "event_type", "view", "like"
        ),
    }
    return with_activity_of(changed, idle_creator(frames, window), window)


def with_earlier_amounts(pledges: pd.DataFrame, window: Window) -> pd.DataFrame:
    """Every third pledge started in the window (and not removed) was 1 USD higher."""
    kept = in_window(pledges, "pledges", window) & ~removed_pledges(pledges, window)
    pledges = pledges.copy()
    higher = every(kept, 3)
    amounts = pledges.loc[higher, "pledge_amount_usd"].astype(float) + 1
    pledges.loc[higher, "pledge_amount_usd"] = amounts.map("{:.2f}".format)
    return pledges


def with_pending_payments(transactions: pd.DataFrame, window: Window) -> pd.DataFrame:
    """Every seventh successful payment in the window was still pending."""
    succeeded = (transactions["transaction_type"] == "pledge_payment") & (
        transactions["transaction_status"] == "succeeded"
    )
    transactions = transactions.copy()
    pending = every(in_window(transactions, "transactions", window) & succeeded, 7)
    transactions.loc[pending, "transaction_status"] = "pending"
    return transactions


def with_swapped(
    frame: pd.DataFrame, table: str, window: Window, column: str, one: str, other: str
) -> pd.DataFrame:
    """Every third row of the window had another value in column: `other` where it has `one`,
    `one` where it has anything else (a post's access level, public <-> patron_only; an
    event's type, a like for a view and a view for any other)."""
    frame = frame.copy()
    swapped = every(in_window(frame, table, window), 3)
    was_one = frame[column] == one
    frame.loc[swapped & was_one, column] = other
    frame.loc[swapped & ~was_one, column] = one
    return frame


def idle_creator(frames: Frames, window: Window) -> str:
    """The first creator, joined before the window, with no pledge overlapping it and no
    transaction, post or event in it: the creator whose activity the after load removes."""
    pledges = frames["pledges"]
    overlapping = pledges["ended_at"].eq("") | (pledges["ended_at"] >= window.start)
    busy = set(pledges.loc[overlapping, "creator_id"])
    for table in ("transactions", "posts", "engagement_events"):
        frame = frames[table]
        busy |= set(frame.loc[frame[DATED_BY[table]] >= window.start, "creator_id"])
    creators = frames["creators"]
    idle = creators[(creators["created_at"] < window.start) & ~creators["creator_id"].isin(busy)]
    assert not idle.empty, "the data set has no creator without activity in the window"
    return str(idle["creator_id"].iloc[0])


def with_activity_of(frames: Frames, creator_id: str, window: Window) -> Frames:
    """Copies (new ids) of a pledge started in the window with its payments, and of an event
    of the window with its post, given to creator_id (on its lowest tier, at its price)."""
    tiers = frames["tiers"]
    tier = tiers[tiers["creator_id"] == creator_id].sort_values("tier_rank").head(1)
    pledges = frames["pledges"]
    pledge = pledges[in_window(pledges, "pledges", window)].head(1)
    transactions = frames["transactions"]
    payments = transactions[transactions["pledge_id"].isin(pledge["pledge_id"])]
    posts, events = frames["posts"], frames["engagement_events"]
    posts_in_window = posts.loc[in_window(posts, "posts", window), "post_id"]
    event = events[
        in_window(events, "engagement_events", window) & events["post_id"].isin(posts_in_window)
    ].head(1)
    post = posts[posts["post_id"].isin(event["post_id"])]
    assert len(tier) == len(pledge) == len(event) == len(post) == 1 and not payments.empty
    pledge = pledge.assign(
        tier_id=tier["tier_id"].iloc[0], pledge_amount_usd=tier["price_usd"].iloc[0]
    )
    if post["access_level"].iloc[0] == "tier_specific":
        post = post.assign(minimum_tier_id=tier["tier_id"].iloc[0])
    phantom = {
        "pledges": renamed(pledge, creator_id, "pledge_id"),
        "transactions": renamed(payments, creator_id, "transaction_id", "pledge_id"),
        "posts": renamed(post, creator_id, "post_id"),
        "engagement_events": renamed(event, creator_id, "event_id", "post_id"),
    }
    return {
        table: pd.concat([frame, phantom[table]], ignore_index=True) if table in phantom else frame
        for table, frame in frames.items()
    }


def renamed(rows: pd.DataFrame, creator_id: str, *id_columns: str) -> pd.DataFrame:
    """rows given to creator_id, with PHANTOM_SUFFIX on their ids."""
    rows = rows.assign(creator_id=creator_id)
    for column in id_columns:
        rows[column] = rows[column] + PHANTOM_SUFFIX
    return rows
