"""Events added up per story: the rows the dyad series and blocs compute from.

A dyad's series needs, per period, sums over its deduplicated events (events, Goldstein, PLOVER
score, their squares, quad classes), and its story bootstrap the same sums per story; blocs need
per story and pair of countries an event count and a Goldstein sum. Nothing else about an event
enters those measures, so :func:`load_dyad_sums` and :func:`load_pair_sums` let DuckDB
deduplicate and add up (the rule of :func:`cordiale.analysis.series.dedupe`: one event per
story, source, target, CAMEO code and day, the one with the smallest event id) and hand back one
row per (period, story) or (story, pair), with stories as integer ranks in the order of their
keys. At 100 million events that is the difference between pulling 911,414 events of twelve
columns into Python and pulling a few numeric columns (see ``docs/benchmarks.md``).

The same row types come from an :class:`~cordiale.analysis.frame.EventFrame` one row per event
(:func:`dyad_sums`; blocs build theirs in :mod:`cordiale.analysis.blocs`), and the measures only
ever add rows up by period, story or pair, so both paths give the same numbers, up to the order
in which floating-point sums are taken.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from . import FREQS
from .frame import EventFrame, select_events

if TYPE_CHECKING:
    from ..store import Store


@dataclass(frozen=True)
class DyadSums:
    """A dyad's deduplicated events added up per row: per event, or per (period, story).

    ``period`` is the start of each row's period (``freq``), ``story`` its story key (a string)
    or rank (an integer, ranks ordered as the keys are); ``n`` counts events, ``goldstein`` and
    ``goldstein_sq`` sum their scores and squared scores, ``plover_n``/``plover``/``plover_sq``
    the same over events with a PLOVER score, and ``quad`` (rows × 4) counts quad classes 1–4.
    """

    a: str
    b: str
    directed: bool
    freq: str
    period: np.ndarray
    story: np.ndarray
    n: np.ndarray
    goldstein: np.ndarray
    goldstein_sq: np.ndarray
    plover_n: np.ndarray
    plover: np.ndarray
    plover_sq: np.ndarray
    quad: np.ndarray

    def __len__(self) -> int:
        return int(self.n.shape[0])

    def matches(self, a: str, b: str, *, freq: str, directed: bool) -> bool:
        """Whether these rows answer for dyad ``a``–``b`` at ``freq``."""
        same = (self.a, self.b) == (a.upper(), b.upper())
        if not directed:
            same |= (self.a, self.b) == (b.upper(), a.upper())
        return same and self.freq == freq and self.directed == directed


def _quad_columns(quad: np.ndarray) -> np.ndarray:
    """Quad classes as four count columns (a missing class, 0, counts as 1, as quad_shares
    has always counted it)."""
    q = np.clip(quad.astype(int) - 1, 0, 3)
    out = np.zeros((q.shape[0], 4))
    out[np.arange(q.shape[0]), q] = 1.0
    return out


def dyad_sums(frame: EventFrame, a: str, b: str, *, freq: str = "month",
              directed: bool = False, since: Any = None, until: Any = None) -> DyadSums:
    """The dyad's deduplicated events of ``frame`` within [since, until], one row each."""
    from .frame import period_start
    from .series import dyad_events, plover_scores

    if freq not in FREQS:
        raise ValueError(f"unknown frequency {freq!r}; use one of {', '.join(FREQS)}")
    ev = dyad_events(frame, a, b, directed=directed)
    if since is not None or until is not None:
        ev = ev.between(since, until)
    scores = plover_scores()
    pl = np.array([scores.get(t, np.nan) for t in ev.plover], dtype=float)
    has_pl = np.isfinite(pl)
    pl0 = np.where(has_pl, pl, 0.0)
    return DyadSums(
        a=a.upper(), b=b.upper(), directed=directed, freq=freq,
        period=period_start(ev.date, freq), story=ev.story, n=np.ones(len(ev)),
        goldstein=ev.goldstein, goldstein_sq=ev.goldstein ** 2,
        plover_n=has_pl.astype(float), plover=pl0, plover_sq=pl0 ** 2,
        quad=_quad_columns(ev.quad))


# A story's events in one dyad after deduplication, summed; goldstein and quad class of the
# event with the smallest id in each duplicate group (arg_min skips NULL values, so they are
# made non-NULL first, as the frame's loader fills them).
_DEDUPED = """
    SELECT coalesce({story}, '') AS story, event_date,
           arg_min(coalesce(goldstein, 0), event_id) AS g,
           arg_min(coalesce(quad_class, 0), event_id) AS q,
           arg_min(coalesce(plover_type, ''), event_id) AS p
    FROM {table} WHERE {where}
    GROUP BY {story}, source_country, target_country, cameo_code, event_date"""


def load_dyad_sums(store: Store, a: str, b: str, *, freq: str = "month",
                   directed: bool = False, since: dt.date | None = None,
                   until: dt.date | None = None, origin: str | None = None) -> DyadSums:
    """:func:`dyad_sums` of the events :func:`~cordiale.analysis.frame.load_events` would
    read for the dyad, computed in DuckDB: one row per (period, story)."""
    from .series import plover_scores

    if freq not in FREQS:
        raise ValueError(f"unknown frequency {freq!r}; use one of {', '.join(FREQS)}")
    a, b = a.upper(), b.upper()
    rows = select_events(store, dyad=(a, b), since=since, until=until, origin=origin)
    where = list(rows.where)
    params = list(rows.params)
    if directed:
        where.append("source_country = ? AND target_country = ?")
        params += [a, b]
    scores = plover_scores()
    deduped = _DEDUPED.format(story=rows.story, table=rows.table,
                              where=" AND ".join(where) or "true")
    quad = ", ".join(f"count(*) FILTER (WHERE {cond}) AS q{k}" for k, cond in enumerate(
        ("q <= 1", "q = 2", "q = 3", "q >= 4")))
    sql = f"""
        WITH scored AS (
            SELECT *, (?::DOUBLE[])[list_position(?::VARCHAR[], p)] AS score FROM ({deduped})
        ), stories AS (
            SELECT CAST(date_trunc('{freq}', event_date) AS DATE) AS period, story,
                   count(*)::DOUBLE AS n, sum(g) AS goldstein, sum(g * g) AS goldstein_sq,
                   count(score)::DOUBLE AS plover_n, coalesce(sum(score), 0) AS plover,
                   coalesce(sum(score * score), 0) AS plover_sq, {quad}
            FROM scored GROUP BY period, story
        )
        SELECT * REPLACE (dense_rank() OVER (ORDER BY story) AS story) FROM stories
        ORDER BY period, story"""
    data = store.con.execute(sql, [list(scores.values()), list(scores), *params]).fetchnumpy()
    return DyadSums(
        a=a, b=b, directed=directed, freq=freq,
        period=np.asarray(data["period"]).astype("datetime64[D]"),
        story=np.asarray(data["story"]).astype(np.int64),
        n=_floats(data["n"]), goldstein=_floats(data["goldstein"]),
        goldstein_sq=_floats(data["goldstein_sq"]), plover_n=_floats(data["plover_n"]),
        plover=_floats(data["plover"]), plover_sq=_floats(data["plover_sq"]),
        quad=np.column_stack([_floats(data[f"q{k}"]) for k in range(4)])
        if len(data["n"]) else np.zeros((0, 4)))


def _floats(values: Any) -> np.ndarray:
    return np.asarray(values, dtype=float)


@dataclass(frozen=True)
class PairSums:
    """Deduplicated relational events of a window added up per story and unordered pair of
    countries: ``countries`` sorted, ``pair`` = low index × len(countries) + high index,
    ``story`` the story's rank, ``n`` events and ``goldstein`` their summed score. Rows are
    sorted by pair, then story."""

    countries: np.ndarray
    pair: np.ndarray
    story: np.ndarray
    n: np.ndarray
    goldstein: np.ndarray

    def __len__(self) -> int:
        return int(self.n.shape[0])


def load_pair_sums(store: Store, *, since: dt.date | None = None,
                   until: dt.date | None = None, origin: str | None = None) -> PairSums:
    """The events :func:`~cordiale.analysis.frame.load_events` would read for the window,
    deduplicated (then those without a finite Goldstein score dropped, as blocs drop them)
    and summed in DuckDB per (story, pair)."""
    rows = select_events(store, since=since, until=until, origin=origin)
    deduped = f"""
        SELECT coalesce({rows.story}, '') AS story, least(source_country, target_country) AS low,
               greatest(source_country, target_country) AS high,
               arg_min(coalesce(goldstein, 0), event_id) AS g
        FROM {rows.table} WHERE {" AND ".join(rows.where) or "true"}
        GROUP BY {rows.story}, source_country, target_country, cameo_code, event_date"""
    # a temporary table, so the country list and the rows come from one deduplication
    table = f"_cordiale_pairs_{uuid.uuid4().hex[:12]}"
    con = store.con
    con.execute(f"""CREATE TEMP TABLE {table} AS
        SELECT story, low, high, count(*)::DOUBLE AS n, sum(g) AS goldstein
        FROM ({deduped}) WHERE isfinite(g) GROUP BY ALL""", rows.params)
    try:
        countries = [c for (c,) in con.execute(
            f"SELECT low FROM {table} UNION SELECT high FROM {table} ORDER BY 1").fetchall()]
        data = con.execute(f"""
            WITH codes AS (SELECT unnest(?::VARCHAR[]) AS code,
                                  generate_subscripts(?::VARCHAR[], 1) - 1 AS k)
            SELECT l.k * ? + h.k AS pair, dense_rank() OVER (ORDER BY story) AS story,
                   n, goldstein
            FROM {table} p JOIN codes l ON l.code = p.low JOIN codes h ON h.code = p.high
            ORDER BY pair, story""", [countries, countries, len(countries)]).fetchnumpy()
    finally:
        con.execute(f"DROP TABLE IF EXISTS {table}")
    return PairSums(
        countries=np.array(countries, dtype=object),
        pair=np.asarray(data["pair"]).astype(np.int64),
        story=np.asarray(data["story"]).astype(np.int64),
        n=_floats(data["n"]), goldstein=_floats(data["goldstein"]))
