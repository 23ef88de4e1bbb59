"""Change points in a dyad's warmth, the events that drove them, and how fragile they are.

**Algorithm.** Exact PELT with a minimum segment length: :mod:`cordiale.analysis.pelt`.

**Input and weights.** :func:`detect_changes` runs PELT on the per-period raw mean Goldstein of
deduplicated events, not on the shrunk warmth of :func:`~cordiale.analysis.series.dyad_series`:
shrinkage pulls thin periods toward the dyad's long-run mean, which straddles the very change
being looked for, so it blurs and delays changes; down-weighting thin periods does the same
job without that bias. The weights are inverse variances from a random-effects model,
``w_t = 1 / (σ²_e / n_t + τ²)``: ``σ²_e`` is the pooled within-period variance of events
(thousands of residuals, so it is precise) and ``τ²`` the extra between-period variance that
news always has (a summit month, an incident), estimated robustly from first differences:
it solves ``mean(min(Δy²/(v₀ + 2τ²), c)) = E[min(χ²₁, c)]`` with ``c`` the 95% point of χ²₁,
so the few differences across a change are capped instead of inflating ``τ²`` (a median match
was tried first; the capped mean has 40% less spread and fewer false changes). Plain
event-count weights (``τ² = 0``) assume the events of a month are independent draws, so a
month with 400 events looks 40 times as precise as one with 10 and every well-reported wobble
becomes a "change": on stationary synthetic series with rising volume (10 → 400 events a
month, 120 months, 400 seeds) plain weights gave false changes in 8.5%, 18% and 38% of
series with month-to-month noise τ = 0, 0.3 and 0.7; these weights in 3.8%, 7.3% and 6%.

**Penalty.** The default is BIC, ``2·log(m)·σ²`` per change (a location and a new mean per
change; ``m`` the periods with events). ``σ²`` is the scale of the weighted cost, estimated
from first differences (the MAD-of-differences estimator usual in change-point work, for unequal
weights: ``z_t = Δy_t / √(1/w_t + 1/w_{t+1})``), which a few changes do not inflate. In
:func:`detect_changes` the weights are already inverse variances, so ``σ² = 1`` in theory; the
estimate is kept as a guard against misspecification (events of one story are correlated,
Goldstein is not Gaussian) but floored at 1, since period means cannot vary less than their
sampling variance. A user ``penalty`` is on that standardised scale.

**Shift and drivers.** Segment means are plain means of the deduplicated events in the segment.
The interval on a shift reuses the series' Poisson-over-stories bootstrap replicates (each
story one weight for all its events, in both segments), so it agrees with the series' own
intervals; it is conditional on the change's location and so somewhat optimistic. The drivers
of a change are the after-segment events ranked by ``(g_i − mean_before) / n_after``, which sum
exactly to the shift; events absent after the change (what stopped happening) are not listed.

**Robustness.** Leave-one-outlet-out: the dyad's events are re-read without one publisher
(before deduplication, so a story told by many outlets survives losing one), the series and
PELT recomputed, and a change counts as surviving when a change of the same direction lies
within ``min_size`` periods of it. Outlets are tried in order of volume, at most ``max_drops``.
When no event names a publisher (ICEWS, GDELT imports) stories are left out instead: for each
change the stories that pushed it hardest, so the check is a stress test of the drivers.

Results do not depend on input order (rows are put in a canonical order before anything is
summed) and are deterministic (the bootstrap is seeded, ties are broken by event id).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import numpy as np

from .frame import EventFrame, period_start
from .pelt import diff_scale, pelt
from .series import Bootstrap, DyadSeries, dyad_series, interval

# τ² solves mean(min(Δy²/(v₀ + 2τ²), _CAP)) = E[min(χ²₁, _CAP)]; capping at the 95% point keeps
# the few differences across a change from inflating τ² (E[min(X, c)] = P(χ²₃ < c) + c·P(X ≥ c))
# (closed forms instead of scipy.stats, which takes a second to import: the 95% point of χ²₁,
# P(χ²₃ < c) = erf(√(c/2)) − √(2c/π)·e^(−c/2) and P(χ²₁ ≥ c) = erfc(√(c/2)))
_CAP = 3.841458820694124
_CAPPED_MEAN = (math.erf(math.sqrt(_CAP / 2)) - math.sqrt(2 * _CAP / math.pi) * math.exp(-_CAP / 2)
                + _CAP * math.erfc(math.sqrt(_CAP / 2)))


# -- results -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Driver:
    """One event after a change and its share of the shift (contributions sum to the shift)."""

    event_id: str
    date: str
    source: str
    target: str
    cameo: str
    goldstein: float
    story: str
    doc_id: str
    publisher: str
    contribution: float

    def row(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["goldstein"] = _r(self.goldstein)
        out["contribution"] = _r(self.contribution, 4)
        return out


@dataclass
class Change:
    """A change point: the period the new segment starts and what moved.

    ``index`` is the position in ``ChangeReport.periods``; ``shift`` is ``mean_after −
    mean_before`` with its 95% bootstrap interval. ``survival`` is the share of leave-one-out
    runs (outlets or stories, see ``ChangeReport.robustness``) that still find a change of
    the same direction within ``min_size`` periods; ``killed_by`` names the left-out units
    under which it vanished. Both are None/empty when robustness was not checked.
    """

    index: int
    period: np.datetime64
    label: str
    mean_before: float
    mean_after: float
    shift: float
    shift_lower: float
    shift_upper: float
    events_before: int
    events_after: int
    direction: str
    drivers: list[Driver]
    survival: float | None = None
    killed_by: list[str] = field(default_factory=list)

    @property
    def fragile(self) -> bool:
        """True when leaving out a single outlet (or story) makes the change disappear."""
        return bool(self.killed_by)


@dataclass(frozen=True)
class Segment:
    """A stretch of periods between changes: ``[start, end)`` indices and its event mean."""

    start: int
    end: int
    first: str
    last: str
    mean: float
    lower: float
    upper: float
    events: int


@dataclass
class ChangeReport:
    """Changes in a dyad's warmth with their drivers, the segments, and how robust each is.

    ``penalty`` is the one PELT used (on the standardised cost), ``event_variance`` and
    ``period_variance`` the ``σ²_e`` and ``τ²`` behind the weights (see the module notes).
    ``robustness`` is ``"publisher"``, ``"story"`` or None; ``dropped`` the units left out.
    """

    a: str
    b: str
    directed: bool
    freq: str
    min_size: int
    penalty: float
    event_variance: float
    period_variance: float
    series: DyadSeries = field(repr=False)
    segments: list[Segment]
    changes: list[Change]
    robustness: str | None = None
    dropped: list[str] = field(default_factory=list)

    @property
    def periods(self) -> np.ndarray:
        return self.series.periods

    def segment_means(self) -> np.ndarray:
        """The segment mean of every period (a step line aligned with ``periods``)."""
        out = np.full(self.periods.shape[0], np.nan)
        for seg in self.segments:
            out[seg.start:seg.end] = seg.mean
        return out

    def rows(self) -> list[dict[str, Any]]:
        """One plain dict per change (drivers as a list of dicts), for the CLI and JSON."""
        return [{
            "period": c.label, "start": str(c.period), "index": c.index,
            "source": self.a, "target": self.b, "directed": self.directed,
            "direction": c.direction,
            "mean_before": _r(c.mean_before), "mean_after": _r(c.mean_after),
            "shift": _r(c.shift), "shift_low": _r(c.shift_lower),
            "shift_high": _r(c.shift_upper),
            "events_before": c.events_before, "events_after": c.events_after,
            "robustness": self.robustness,
            "survival": None if c.survival is None else round(c.survival, 3),
            "fragile": c.fragile if c.survival is not None else None,
            "killed_by": list(c.killed_by),
            "drivers": [d.row() for d in c.drivers],
        } for c in self.changes]

    def driver_rows(self) -> list[dict[str, Any]]:
        """One dict per driver, tagged with its change's period and rank (join on event_id)."""
        return [{"change": c.label, "rank": rank, **d.row()}
                for c in self.changes for rank, d in enumerate(c.drivers, 1)]

    def segment_rows(self) -> list[dict[str, Any]]:
        return [{"first": s.first, "last": s.last, "periods": s.end - s.start,
                 "events": s.events, "mean": _r(s.mean), "mean_low": _r(s.lower),
                 "mean_high": _r(s.upper)} for s in self.segments]


def _r(value: float | None, digits: int = 3) -> float | None:
    return None if value is None or not np.isfinite(value) else round(float(value), digits)


# -- the dyad's events, deduplicated under any leave-out mask -----------------------------------

def _canonical(frame: EventFrame) -> EventFrame:
    """The rows in an order fixed by their content, so sums never depend on input order."""
    order = np.lexsort(tuple(getattr(frame, f).astype(str) for f in (
        "goldstein", "cameo", "target", "source", "publisher", "doc_id", "event_id",
        "story", "date")))
    return frame.take(order)


class _DyadRows:
    """A dyad's raw rows (in canonical order), ready to be deduplicated under any subset.

    Dedupes exactly as :func:`cordiale.analysis.series.dedupe` (first row per story, source,
    target, CAMEO code and day in event-id order) but builds the key once, so leave-one-out
    runs only re-mask.
    """

    def __init__(self, raw: EventFrame, periods: np.ndarray, freq: str) -> None:
        self.raw = r = raw
        key = np.char.add(np.char.add(r.story.astype(str), "\x1f"),
                          np.char.add(np.char.add(r.source.astype(str), "\x1f"),
                                      np.char.add(r.target.astype(str), "\x1f")))
        key = np.char.add(np.char.add(key, r.cameo.astype(str)),
                          np.char.add("\x1f", r.date.astype(str)))
        _, self.key = np.unique(key, return_inverse=True)
        self.order = np.lexsort((r.event_id.astype(str), self.key))
        self.periods = periods
        self.pidx = (np.searchsorted(periods, period_start(r.date, freq)) if len(r)
                     else np.zeros(0, dtype=np.int64))

    def kept(self, keep: np.ndarray | None = None) -> np.ndarray:
        """Row indices (ascending) of the deduplicated events among the rows ``keep`` allows."""
        o = self.order if keep is None else self.order[keep[self.order]]
        if o.shape[0] == 0:
            return o
        k = self.key[o]
        first = np.concatenate([[True], k[1:] != k[:-1]])
        return np.sort(o[first])

    def stats(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per period: event count, Goldstein sum and sum of squares of the given rows."""
        p, g, size = self.pidx[rows], self.raw.goldstein[rows], self.periods.shape[0]
        return (np.bincount(p, minlength=size).astype(float),
                np.bincount(p, weights=g, minlength=size),
                np.bincount(p, weights=g * g, minlength=size))


def _weights(n: np.ndarray, s: np.ndarray, q: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray, float, float]:
    """Period means, their random-effects precisions, ``σ²_e`` and ``τ²`` (module notes)."""
    has = n > 0
    y = np.full(n.shape, np.nan)
    y[has] = s[has] / n[has]
    events, used = float(n.sum()), int(has.sum())
    within = float(np.sum(q[has] - s[has] ** 2 / n[has]))
    if events - used > 0 and within > 0:
        sigma2 = within / (events - used)
    elif events > 1:
        sigma2 = max(float(q.sum() - s.sum() ** 2 / events) / (events - 1), 0.0)
    else:
        sigma2 = 0.0
    tau2 = 0.0
    ym, nm = y[has], n[has]
    if ym.shape[0] >= 3:
        d2 = np.diff(ym) ** 2
        v0 = sigma2 * (1.0 / nm[:-1] + 1.0 / nm[1:])

        def excess(t2: float) -> float:
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = np.where(v0 + 2 * t2 > 0, d2 / (v0 + 2 * t2), np.where(d2 > 0, _CAP, 0))
            return float(np.mean(np.minimum(ratio, _CAP))) - _CAPPED_MEAN

        if excess(0.0) > 0:
            lo, hi = 0.0, float(d2.max()) / (2 * _CAPPED_MEAN) + 1e-12
            for _ in range(100):  # the capped mean falls monotonically as τ² grows
                mid = (lo + hi) / 2
                lo, hi = (mid, hi) if excess(mid) > 0 else (lo, mid)
            tau2 = (lo + hi) / 2
    var = sigma2 / np.where(has, n, 1.0) + tau2
    w = np.where(has & (var > 0), 1.0 / np.where(var > 0, var, 1.0), 0.0)
    if not (w > 0).any():
        w = n.copy()  # no spread at all: every segmentation costs 0 and none is found
    return y, w, sigma2, tau2


def _segment_changes(y: np.ndarray, w: np.ndarray, penalty: float | None,
                     min_size: int) -> tuple[list[int], float]:
    """PELT with detect_changes's default penalty (scale floored at 1, see module notes)."""
    if penalty is None:
        scale = diff_scale(y, w)
        used = int(((w > 0) & np.isfinite(y)).sum())
        penalty = 2.0 * math.log(max(used, 2)) * max(scale or 1.0, 1.0)
    return pelt(y, w, penalty=penalty, min_size=min_size), float(penalty)


def _directions(cps: list[int], n: np.ndarray, s: np.ndarray) -> list[float]:
    bounds = [0, *cps, n.shape[0]]
    means = [s[lo:hi].sum() / max(n[lo:hi].sum(), 1.0) for lo, hi in pairwise(bounds)]
    return [float(np.sign(means[k + 1] - means[k])) for k in range(len(cps))]


# -- detect_changes ----------------------------------------------------------------------------

def detect_changes(
    frame: EventFrame,
    a: str,
    b: str,
    *,
    freq: str = "month",
    directed: bool = False,
    since: Any = None,
    until: Any = None,
    min_size: int = 3,
    penalty: float | None = None,
    top: int = 10,
    robustness: bool = True,
    boot: Bootstrap | None = None,
    max_drops: int = 20,
    totals: dict[np.datetime64, int] | None = None,
) -> ChangeReport:
    """Change points in the warmth of dyad ``a``–``b``, their drivers and their robustness.

    See the module notes for the method. ``top`` drivers are listed per change;
    ``max_drops`` bounds the leave-one-out runs (outlets by volume, or driving stories).
    ``totals`` (store-wide events per period, as for :func:`dyad_series`) makes the
    report's ``series`` the full dyad series, volume included, so callers need not build it
    again; without it the frame's own rows are counted.
    """
    boot = boot or Bootstrap()
    a, b = a.upper(), b.upper()
    raw = frame.dyad(a, b, directed=directed)
    if since is not None or until is not None:
        raw = raw.between(since, until)
    if totals is None:
        keys, counts = np.unique(period_start(frame.date, freq), return_counts=True)
        totals = {k: int(c) for k, c in zip(keys, counts, strict=True)}
    raw = _canonical(raw)
    series = dyad_series(raw, a, b, freq=freq, directed=directed, since=since,
                         until=until, totals=totals, boot=boot)
    rows = _DyadRows(raw, series.periods, freq)
    ev_rows = rows.kept()
    n, s, q = rows.stats(ev_rows)
    y, w, sigma2, tau2 = _weights(n, s, q)
    cps, used_penalty = _segment_changes(y, w, penalty, min_size)

    bounds = [0, *cps, n.shape[0]] if n.shape[0] else [0]
    seg_n = np.array([n[lo:hi].sum() for lo, hi in pairwise(bounds)])
    seg_s = np.array([s[lo:hi].sum() for lo, hi in pairwise(bounds)])
    seg_mean = np.divide(seg_s, seg_n, out=np.full(seg_n.shape, np.nan), where=seg_n > 0)
    rep_n = series.rep_n
    rep_s = np.nan_to_num(series.rep_raw) * rep_n
    if rep_n.shape[1]:
        rn = np.add.reduceat(rep_n, bounds[:-1], axis=1)
        rs = np.add.reduceat(rep_s, bounds[:-1], axis=1)
        rep_mean = np.divide(rs, rn, out=np.full(rn.shape, np.nan), where=rn > 0)
    else:
        rep_mean = np.zeros((rep_n.shape[0], 0))
    seg_lo, seg_hi = interval(rep_mean)
    shift_lo, shift_hi = interval(np.diff(rep_mean, axis=1))
    labels = series.labels
    segments = [Segment(lo, hi, labels[lo], labels[hi - 1], float(seg_mean[k]),
                        float(seg_lo[k]), float(seg_hi[k]), int(seg_n[k]))
                for k, (lo, hi) in enumerate(pairwise(bounds))]

    ev = rows.raw.take(ev_rows)
    seg_of = np.searchsorted(np.array(cps, dtype=np.int64), rows.pidx[ev_rows], side="right")
    changes = []
    for k, start in enumerate(cps):
        shift = float(seg_mean[k + 1] - seg_mean[k])
        changes.append(Change(
            index=start, period=series.periods[start], label=labels[start],
            mean_before=float(seg_mean[k]), mean_after=float(seg_mean[k + 1]), shift=shift,
            shift_lower=float(shift_lo[k]), shift_upper=float(shift_hi[k]),
            events_before=int(seg_n[k]), events_after=int(seg_n[k + 1]),
            direction="warming" if shift > 0 else "cooling",
            drivers=_drivers(ev, seg_of == k + 1, float(seg_mean[k]), shift, top),
        ))
    report = ChangeReport(a=a, b=b, directed=directed, freq=freq, min_size=min_size,
                          penalty=used_penalty, event_variance=sigma2, period_variance=tau2,
                          series=series, segments=segments, changes=changes)
    if robustness and changes:
        _leave_one_out(report, rows, ev, seg_of, penalty, max_drops)
    return report


def _drivers(ev: EventFrame, after: np.ndarray, before_mean: float, shift: float,
             top: int) -> list[Driver]:
    idx = np.flatnonzero(after)
    if idx.shape[0] == 0 or top <= 0:
        return []
    contrib = (ev.goldstein[idx] - before_mean) / idx.shape[0]
    toward = contrib * (1.0 if shift > 0 else -1.0)
    order = np.lexsort((ev.event_id[idx].astype(str), ev.date[idx], -toward))[:top]
    return [Driver(
        event_id=str(ev.event_id[i]), date=str(ev.date[i]), source=str(ev.source[i]),
        target=str(ev.target[i]), cameo=str(ev.cameo[i]), goldstein=float(ev.goldstein[i]),
        story=str(ev.story[i]), doc_id=str(ev.doc_id[i]), publisher=str(ev.publisher[i]),
        contribution=float(contrib[j]),
    ) for j, i in ((j, idx[j]) for j in order)]


def _leave_one_out(report: ChangeReport, rows: _DyadRows, ev: EventFrame, seg_of: np.ndarray,
                   penalty: float | None, max_drops: int) -> None:
    """Fill in survival and killed_by on every change (see the module notes)."""
    publishers = rows.raw.publisher.astype(str)
    named = publishers[publishers != ""]
    if named.shape[0]:
        unit, column = "publisher", publishers
        names, volume = np.unique(named, return_counts=True)
        drops = [str(names[i]) for i in np.lexsort((names, -volume))[:max_drops]]
    else:
        unit, column = "story", rows.raw.story.astype(str)
        drops = _driving_stories(report, ev, seg_of, max_drops)
    survived = np.zeros(len(report.changes))
    killers: list[list[str]] = [[] for _ in report.changes]
    for name in drops:
        kept = rows.kept(column != name)
        n, s, q = rows.stats(kept)
        y, w, _, _ = _weights(n, s, q)
        cps, _ = _segment_changes(y, w, penalty, report.min_size)
        dirs = _directions(cps, n, s)
        for k, change in enumerate(report.changes):
            sign = 1.0 if change.shift > 0 else -1.0
            if any(abs(c - change.index) <= report.min_size and d == sign
                   for c, d in zip(cps, dirs, strict=True)):
                survived[k] += 1
            else:
                killers[k].append(name)
    for k, change in enumerate(report.changes):
        change.survival = float(survived[k] / len(drops)) if drops else None
        change.killed_by = killers[k]
    report.robustness = unit
    report.dropped = drops


def _driving_stories(report: ChangeReport, ev: EventFrame, seg_of: np.ndarray,
                     max_drops: int) -> list[str]:
    """The stories that pushed each change hardest, an equal quota per change."""
    quota = max(1, -(-max_drops // len(report.changes)))
    chosen: list[str] = []
    stories = ev.story.astype(str)
    for k, change in enumerate(report.changes):
        after = seg_of == k + 1
        if not after.any():
            continue
        toward = (ev.goldstein[after] - change.mean_before) * (1.0 if change.shift > 0 else -1.0)
        names, inv = np.unique(stories[after], return_inverse=True)
        push = np.bincount(inv, weights=toward)
        for i in np.lexsort((names, -push))[:quota]:
            if push[i] > 0 and str(names[i]) not in chosen:
                chosen.append(str(names[i]))
    return chosen[:max_drops]
