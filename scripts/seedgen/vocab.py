"""Word lists and small text builders for names, e-mails, tier and post texts."""

from __future__ import annotations

import numpy as np


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words(
    "Maya Liam Olivia Noah Emma Ava Lucas Mia Ethan Zoe Sofia Mateo Chloe Leo Aria Jack Nora "
    "Omar Priya Hana Yuki Lars Ingrid Pierre Amelie Jonas Lena Carlos Lucia Diego Ana Kofi "
    "Amara Ravi Aisha Sean Niamh Tom Freya Max Elif Marco Giulia Sam Riley Jordan Alex Casey "
    "Dev Ines Joao Bea Felix Clara Hugo Iris Theo Nina Oscar Ruby"
)
LAST_NAMES = _words(
    "Smith Johnson Garcia Brown Miller Davis Martinez Lopez Wilson Anderson Taylor Thomas "
    "Moore Jackson Martin Lee Walker Hall Young King Wright Scott Green Baker Adams Nelson "
    "Muller Schmidt Schneider Fischer Weber Dubois Laurent Moreau Rossi Russo Bianchi "
    "Jansen DeVries Bakker Nowak Kowalski Silva Santos Tanaka Sato Kim Park Nguyen Patel "
    "Singh Okafor Mensah Murphy O'Brien O'Neill Kelly Andersson Johansson"
)
DOMAINS = ("example.com", "example.org", "mail.example.net", "inbox.example.com")

# category -> subcategories (kept in a tuple so iteration order never depends on a dict).
CATEGORIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("video", ("tech", "gaming", "vlogs", "film", "animation")),
    ("podcasts", ("interviews", "true crime", "comedy", "news", "history")),
    ("writing", ("fiction", "journalism", "poetry", "newsletters", "comics")),
    ("music", ("indie", "electronic", "hip hop", "classical", "covers")),
    ("art", ("illustration", "painting", "photography", "3d", "crafts")),
    ("games", ("tabletop", "indie games", "mods", "esports")),
    ("education", ("science", "languages", "history", "coding", "finance")),
    ("comedy", ("sketch", "stand-up", "improv", "satire")),
)
CATEGORY_WEIGHTS = np.array([0.2, 0.15, 0.13, 0.13, 0.14, 0.08, 0.1, 0.07])

# (country, weight, currency): EU countries pay out in EUR, everyone else in USD.
COUNTRIES: tuple[tuple[str, float, str], ...] = (
    ("US", 38, "USD"), ("GB", 8, "USD"), ("CA", 7, "USD"), ("AU", 5, "USD"),
    ("DE", 7, "EUR"), ("FR", 5, "EUR"), ("NL", 3, "EUR"), ("ES", 3, "EUR"),
    ("IT", 3, "EUR"), ("IE", 1, "EUR"), ("BE", 1, "EUR"), ("AT", 1, "EUR"),
    ("SE", 2, "USD"), ("PL", 2, "USD"), ("BR", 4, "USD"), ("MX", 3, "USD"),
    ("JP", 3, "USD"), ("IN", 2, "USD"), ("NZ", 1, "USD"), ("KR", 1, "USD"),
)  # fmt: skip

TIER_NAMES: tuple[tuple[str, ...], ...] = (
    ("Viewer", "Supporter", "Fan", "Listener", "Reader", "Friend"),
    ("Plus", "Insider", "Backer", "Regular", "Crew"),
    ("VIP", "Producer", "Superfan", "Collector"),
    ("Executive Producer", "Inner Circle", "Champion"),
    ("Legend", "Founder's Club", "Hall of Fame"),
)
TIER_PERKS: tuple[str, ...] = (
    "Patron-only posts",
    "early access to new releases",
    "a monthly Q&A",
    "behind-the-scenes updates",
    "Discord access",
    "your name in the credits",
    "downloadable extras",
    "a personal thank-you note",
    "votes on what's next",
)
PRICE_LADDER_CENTS = np.array(
    [100, 200, 300, 400, 500, 600, 700, 800, 1000, 1200, 1500, 2000, 2500, 3000, 4000, 5000,
     7500, 10000, 15000, 25000]
)  # fmt: skip

CREATOR_PATTERNS = (
    "{first}'s Studio", "{first} {last}", "The {noun} Room", "{first} Makes {noun}s",
    "{last} & Co.", "{noun}, Coffee & Chaos", "{first} {last}", "Late Night {noun}",
    "{first}'s {noun} Club", "{first} {last}",
)  # fmt: skip
NOUNS = _words(
    "Pixel Lantern Story Sketch Beat Dungeon Garden Signal Atlas Comet Canvas Riddle Harbor "
    "Studio Echo Orbit Fable Workshop"
)

POST_TEMPLATES: tuple[str, ...] = (
    "Behind the scenes: {topic}",
    "{topic}, part {n}",
    "Monthly update #{n}",
    "Q&A: your {topic} questions, answered",
    "Work in progress: {topic} sketch {n}",
    "Patron preview: new {topic} project",
    "What's next for the {topic} series",
    "Let's talk about {topic}",
    "Thank you, {n} patrons!",
    "{topic} deep dive, episode {n}",
)


def pick(rng: np.random.Generator, words: tuple[str, ...] | list[str], n: int) -> np.ndarray:
    """n words drawn uniformly (as an object array)."""
    return np.asarray(words, dtype=object)[rng.integers(0, len(words), n)]


def person_names(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """First and last names."""
    return pick(rng, FIRST_NAMES, n), pick(rng, LAST_NAMES, n)


def emails(
    rng: np.random.Generator, first: np.ndarray, last: np.ndarray, ids: np.ndarray
) -> list[str]:
    """Unique e-mail addresses: first.last plus the numeric id."""
    dom = pick(rng, DOMAINS, len(ids))
    return [
        f"{f.lower()}.{la.lower().replace(chr(39), '')}{i}@{d}"
        for f, la, i, d in zip(first, last, ids, dom, strict=True)
    ]


def creator_names(rng: np.random.Generator, first: np.ndarray, last: np.ndarray) -> list[str]:
    """Display names such as "Maya's Studio" or "Atlas, Coffee & Chaos"."""
    n = len(first)
    pat = pick(rng, CREATOR_PATTERNS, n)
    noun = pick(rng, NOUNS, n)
    return [
        p.format(first=f, last=la, noun=no)
        for p, f, la, no in zip(pat, first, last, noun, strict=True)
    ]


def tier_description(rng: np.random.Generator, rank: int) -> str:
    """Benefits text; higher ranks list more perks (commas exercise CSV quoting)."""
    k = min(rank + 1, len(TIER_PERKS))
    perks = [TIER_PERKS[i] for i in sorted(rng.choice(len(TIER_PERKS), k, replace=False))]
    return ", ".join(perks[:-1]) + " and " + perks[-1] if k > 1 else perks[0]


def post_titles(rng: np.random.Generator, topics: np.ndarray) -> list[str]:
    """Post titles from templates and the creator's subcategory."""
    n = len(topics)
    tpl = pick(rng, POST_TEMPLATES, n)
    num = rng.integers(1, 60, n)
    titles = (t.format(topic=tp, n=k) for t, tp, k in zip(tpl, topics, num, strict=True))
    return [t[0].upper() + t[1:] for t in titles]
