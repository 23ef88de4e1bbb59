"""Events added up per story: the rows the dyad series and blocs compute from.

A dyad's series needs, per period, sums over its deduplicated events (events, Goldstein, PLOVER
score, their squares, quad classes), and its story bootstrap the same sums per story; blocs need
per story and pair of countries an event count and a Goldstein sum. Nothing else about an event
enters those measures, so :func:`load_dyad_sums` and :func:`load_pair_sums` hand back one row
per (story, period) or (story, pair), with stories as integer ranks in the order of their keys,
instead of every event. DuckDB selects the events and sorts them by story, then by the dedupe
key and event id; NumPy keeps the first event of each duplicate run (the rule of
:func:`cordiale.analysis.series.dedupe`: one event per story, source, target, CAMEO code and
day, the one with the smallest event id) and adds up each run of one story and period or pair,
left to right. At 100 million events that is the difference between pulling 911,414 events of
twelve columns into Python and pulling a few numeric ones (see ``docs/benchmarks.md``).

The same row types come from an :class:`~cordiale.analysis.frame.EventFrame` one row per event
(:func:`dyad_sums`; blocs build theirs in :mod:`cordiale.analysis.blocs`), and the measures only
ever add rows up by period, story or pair, so both paths give the same numbers, up to the order
in which floating-point sums are taken; the story ranks follow the keys' order, so the bootstrap
draws the same weight for the same story on both paths (``tests/test_sums.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from . import FREQS
from .frame import EventFrame, Selection, select_events

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


def _changes(columns: list[np.ndarray]) -> np.ndarray:
    """For sorted rows, whether each row differs from the one before in any of ``columns``
    (the first row does)."""
    m = columns[0].shape[0] if columns else 0
    out = np.zeros(m, dtype=bool)
    if m:
        out[0] = True
        for column in columns:
            out[1:] |= np.asarray(column[1:] != column[:-1], dtype=bool)
    return out


def _sorted_events(store: Store, rows: Selection, select: str, order: str,
                   params: list[Any], joins: str = "") -> dict[str, np.ndarray]:
    """The selected events, sorted by story, then ``order``, then the dedupe key (source,
    target, CAMEO code, day) and event id, deduplicated: of each run of rows sharing story
    and key, the first, which has the smallest event id (the rule of
    :func:`cordiale.analysis.series.dedupe`).

    DuckDB sorts and NumPy compares neighbours: one sort, where a GROUP BY for the dedupe,
    another for the sums and a ranking of the stories cost three passes (the busiest dyad at
    100 million events: 1.7 s that way, about 1 s this way, on the same busy machine). The
    text columns come over as their 64-bit hashes (``story`` too), since making a Python
    string of each costs more than the sort: two neighbours are told apart by their hashes,
    which a pair of different keys shares with probability 2⁻⁶⁴ (a million neighbours:
    about 10⁻¹³, far below any effect worth a second pass).
    """
    sql = (f"SELECT hash(coalesce({rows.story}, '')) AS story, hash(source_country) AS _source, "
           f"hash(target_country) AS _target, hash(cameo_code) AS _cameo, event_date AS _day, "
           f"{select} FROM {rows.table} {joins} WHERE {' AND '.join(rows.where) or 'true'} "
           f"ORDER BY coalesce({rows.story}, ''), {order}, source_country, target_country, "
           "cameo_code, event_date, event_id")
    data = store.con.execute(sql, [*params, *rows.params]).fetchnumpy()
    first = _changes([np.asarray(data[k]) for k in ("story", "_source", "_target", "_cameo",
                                                    "_day")])
    return {k: v[first] for k, v in data.items()}


def _add(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Sums of ``values`` over the runs beginning at ``starts``, each left to right."""
    values = np.asarray(values, dtype=float)
    return np.add.reduceat(values, starts) if starts.shape[0] else np.zeros(0)


def _cells(story: np.ndarray, keys: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """For rows sorted by story then ``keys``: each row's story rank (0, 1, ... in key order,
    from neighbours: no second sort) and where each run sharing story and keys starts."""
    new_story = _changes([story])
    rank = np.cumsum(new_story, dtype=np.int64) - 1
    return rank, np.flatnonzero(_changes([story, *keys]))


def load_dyad_sums(store: Store, a: str, b: str, *, freq: str = "month",
                   directed: bool = False, since: dt.date | None = None,
                   until: dt.date | None = None, origin: str | None = None) -> DyadSums:
    """:func:`dyad_sums` of the events :func:`~cordiale.analysis.frame.load_events` would
    read for the dyad, one row per (story, period), in story then period order. Each row's
    sums are taken left to right over its events in a fixed order, so they are the same on
    every run."""
    from .frame import period_start
    from .series import plover_scores

    if freq not in FREQS:
        raise ValueError(f"unknown frequency {freq!r}; use one of {', '.join(FREQS)}")
    a, b = a.upper(), b.upper()
    rows = select_events(store, dyad=(a, b), since=since, until=until, origin=origin)
    if directed:
        rows = replace(rows, where=[*rows.where, "source_country = ? AND target_country = ?"],
                       params=[*rows.params, a, b])
    scores = plover_scores()
    data = _sorted_events(
        store, rows,
        "coalesce(goldstein, 0) AS g, coalesce(quad_class, 0) AS q, "
        "(?::DOUBLE[])[list_position(?::VARCHAR[], coalesce(plover_type, ''))] AS score",
        "event_date", [list(scores.values()), list(scores)])
    period = period_start(np.asarray(data["_day"]).astype("datetime64[D]"), freq)
    rank, starts = _cells(data["story"], [period])
    g = _floats(data["g"])
    score = data["score"]
    values = np.ma.getdata(score).astype(float)
    has = ~np.ma.getmaskarray(score) & np.isfinite(values)
    pl = np.where(has, values, 0.0)
    quad = np.asarray(data["q"]).astype(np.int64)
    return DyadSums(
        a=a, b=b, directed=directed, freq=freq, period=period[starts], story=rank[starts],
        n=np.diff(np.append(starts, g.shape[0])).astype(float), goldstein=_add(g, starts),
        goldstein_sq=_add(g * g, starts), plover_n=_add(has, starts),
        plover=_add(pl, starts), plover_sq=_add(pl * pl, starts),
        quad=np.column_stack([_add(q, starts) for q in (
            quad <= 1, quad == 2, quad == 3, quad >= 4)]) if starts.shape[0]
        else np.zeros((0, 4)))


def _floats(values: Any) -> np.ndarray:
    return np.asarray(values, dtype=float)


@dataclass(frozen=True)
class PairSums:
    """Deduplicated relational events of a window added up per story and unordered pair of
    countries: ``countries`` sorted, ``pair`` = low index × len(countries) + high index,
    ``story`` the story's rank (0, 1, ... in the order of the keys), ``n`` events and
    ``goldstein`` their summed score. Rows are sorted by story, then pair."""

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
    and added up per (story, pair), in story then pair order, each sum taken left to right
    over its events in a fixed order."""
    rows = select_events(store, since=since, until=until, origin=origin)
    where = " AND ".join(rows.where) or "true"
    # every country of the window, sorted: DuckDB numbers the pairs' sides by it
    codes = [c for (c,) in store.con.execute(
        f"SELECT DISTINCT unnest([source_country, target_country]) AS code FROM {rows.table} "
        f"WHERE {where} ORDER BY 1", rows.params).fetchall()]
    numbered = ("(SELECT unnest(?::VARCHAR[]) AS code, "
                "generate_subscripts(?::VARCHAR[], 1) - 1 AS k)")
    data = _sorted_events(
        store, rows, "least(s.k, t.k) AS low, greatest(s.k, t.k) AS high, "
        "coalesce(goldstein, 0) AS g", "low, high", [codes, codes, codes, codes],
        joins=f"JOIN {numbered} s ON s.code = source_country "
              f"JOIN {numbered} t ON t.code = target_country")
    keep = np.isfinite(_floats(data["g"]))
    low, high, g = (np.asarray(data[k])[keep] for k in ("low", "high", "g"))
    # the countries left after the dedupe and the finite scores, numbered anew in order
    used = np.zeros(len(codes), dtype=bool)
    used[low] = True
    used[high] = True
    renumber = np.cumsum(used) - 1
    n = int(used.sum())
    pair = renumber[low].astype(np.int64) * n + renumber[high]
    rank, starts = _cells(np.asarray(data["story"])[keep], [pair])
    g = _floats(g)
    return PairSums(
        countries=np.array(codes, dtype=object)[used], pair=pair[starts], story=rank[starts],
        n=np.diff(np.append(starts, g.shape[0])).astype(float), goldstein=_add(g, starts))
