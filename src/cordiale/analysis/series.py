"""Dyad time series: warmth, volume, quad-class shares and trend, each with an interval.

Warmth is the mean Goldstein score of a dyad's deduplicated events per period, shrunk toward
the dyad's long-run mean with ``pseudo`` pseudo-events, so a month with two events cannot
swing the line from +7 to -10 (a normal-normal posterior mean with a prior worth ``pseudo``
observations). Intervals come from a Poisson bootstrap over stories: each story (a cluster of
near-duplicate articles, an ICEWS story) gets one Poisson(1) weight that all its events share,
so a story reported by many outlets counts once and events from one article move together.
Poisson weights, drawn in sorted story order, make the result independent of input order and
cheap to compute in chunks for dyads with hundreds of thousands of events.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from ..events.ontology import load_ontology
from .frame import EventFrame, period_label, period_range, period_start
from .sums import DyadSums, dyad_sums

QUADS = ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")
LEVEL = 0.95  # every interval in this module is a 95% interval


@lru_cache(maxsize=1)
def plover_scores() -> dict[str, float]:
    """A cooperation score per PLOVER type: the mean Goldstein of the CAMEO codes mapped to it.

    PLOVER has no intensity scale of its own; scoring a type by the codes the CAMEO→PLOVER
    crosswalk sends to it keeps the two scales comparable.
    """
    sums: dict[str, list[float]] = {}
    for entry in load_ontology().codes.values():
        if entry.plover_type:
            sums.setdefault(entry.plover_type, []).append(entry.goldstein)
    return {k: float(np.mean(v)) for k, v in sums.items()}


def dedupe(frame: EventFrame) -> EventFrame:
    """One event per story, source, target, CAMEO code and day.

    The same action told in five sentences of one story, or by five outlets whose articles
    were clustered as near-duplicates, counts once; the first row in (story, event id) order
    is kept, so the choice does not depend on input order.
    """
    if len(frame) == 0 or frame.deduped:
        return frame
    key = np.char.add(np.char.add(frame.story.astype(str), "\x1f"),
                      np.char.add(np.char.add(frame.source.astype(str), "\x1f"),
                                  np.char.add(frame.target.astype(str), "\x1f")))
    key = np.char.add(np.char.add(key, frame.cameo.astype(str)),
                      np.char.add("\x1f", frame.date.astype(str)))
    order = np.lexsort((frame.event_id.astype(str), key))
    _, first = np.unique(key[order], return_index=True)
    out = frame.take(np.sort(order[first]))
    return EventFrame(**{**out.__dict__, "deduped": True})


def distinct(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values of an integer array: ``np.unique`` without its hash table,
    which takes ten times as long as a sort on a million integers (NumPy 2.4)."""
    ordered = np.sort(values)
    if ordered.shape[0] < 2:
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def ranks(keys: np.ndarray) -> np.ndarray:
    """Each row's rank (int64) among the distinct ``keys`` in sorted order. Integer keys that
    are already dense ranks (every value from the smallest to the largest present, as
    :mod:`cordiale.analysis.sums` hands them over) are only shifted to start at 0."""
    if keys.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    if keys.dtype.kind in "iu":
        low, high = int(keys.min()), int(keys.max())
        if high - low < 2 * keys.shape[0] and (
                np.bincount(keys - low, minlength=high - low + 1) > 0).all():
            return (keys - low).astype(np.int64)
        _, idx = np.unique(keys, return_inverse=True)
    else:
        _, idx = np.unique(keys.astype(str), return_inverse=True)
    return idx.astype(np.int64)


#: Periods of a dyad series with more stories than this draw their bootstrap sums from the
#: normal distribution with the Poisson bootstrap's own mean and covariance (see
#: :meth:`Bootstrap.sums` and docs/design.md, "Analysis"); below it every story is drawn.
NORMAL_ABOVE = 2000


@dataclass(frozen=True)
class Bootstrap:
    """Poisson story weights applied to per-(story, period) sums, in chunks of stories.

    ``normal_above`` is the number of stories above which a column may be drawn from the
    normal approximation, for callers whose columns share (almost) no story; ``None`` never.
    """

    replicates: int = 400
    seed: int = 0
    normal_above: int | None = NORMAL_ABOVE

    def sums(self, stories: np.ndarray, periods: np.ndarray, n_periods: int,
             values: Sequence[np.ndarray], *, normal: bool = False) -> list[np.ndarray]:
        """For each value array, a (replicates × periods) matrix of story-weighted sums.

        ``stories`` are story keys (or integer ranks ordered as the keys) per row, ``periods``
        the period (column) index per row; rows of one story and period add up. Story weights
        are drawn in sorted story order, so any permutation of the rows gives the same
        matrices. With ``normal`` (columns independent: a story rarely spans two periods of a
        dyad's series), a column with more than ``normal_above`` stories gets its sums from
        the normal distribution whose mean and covariance are the Poisson bootstrap's own:
        ``Σ x_s`` and ``Σ x_s x_sᵀ`` over the column's story sums ``x_s`` (a Poisson(1)
        weight has mean and variance 1). With thousands of stories the bootstrap distribution
        of such a sum is that normal to far better than its Monte Carlo error, and drawing it
        costs nothing, where the weights cost stories × replicates draws. It is a different
        random draw, so such a column's replicates are not the Poisson ones: the estimates
        do not change, and the interval ends agree with the Poisson bootstrap's within its
        own Monte Carlo error (``tests/test_sums.py``: with 400 replicates, every end within
        0.35 of the interval's half-width, on average within 0.15, mean width within 5%).
        When no column has more than ``normal_above`` stories the draw is exactly the
        Poisson one; when some do, the others keep a Poisson draw over their own stories.
        """
        story_idx = ranks(stories)
        periods = np.asarray(periods, dtype=np.int64)
        values = [np.asarray(v, dtype=float) for v in values]
        out = [np.zeros((self.replicates, n_periods)) for _ in values]
        if normal and self.normal_above is not None and story_idx.shape[0]:
            cells = distinct(story_idx * n_periods + periods)
            drawn = np.bincount(cells % n_periods, minlength=n_periods) > self.normal_above
            if drawn.any():
                big = drawn[periods]
                self._normal(story_idx[big], periods[big], n_periods,
                             [v[big] for v in values], out)
                keep = ~big
                story_idx = ranks(story_idx[keep])
                periods = periods[keep]
                values = [v[keep] for v in values]
        self._poisson(story_idx, periods, n_periods, values, out)
        return out

    def _poisson(self, story_idx: np.ndarray, periods: np.ndarray, n_periods: int,
                 values: Sequence[np.ndarray], out: list[np.ndarray]) -> None:
        n_stories = int(story_idx.max()) + 1 if story_idx.shape[0] else 0
        k = len(values)
        if n_stories == 0 or k == 0:
            return
        # imported here: a series whose periods are all drawn from the normal never needs it,
        # and SciPy's sparse module is a fifth of a command's start-up
        from scipy import sparse

        # one story-major matrix holding every value array (value i of column c in column
        # i * n_periods + c), so a chunk of stories is a cheap row slice, one product per
        # chunk, and each value's sums one contiguous block of the total
        mat = sparse.csr_matrix(
            (np.column_stack(values).astype(np.float32).ravel(),
             (np.repeat(story_idx, k), (np.arange(k) * n_periods + periods[:, None]).ravel())),
            shape=(n_stories, n_periods * k))
        total = np.zeros((self.replicates, n_periods * k))
        rng = np.random.default_rng(self.seed)
        # about 16M weights a chunk (64 MB as float32): few chunks, so few passes adding a
        # dense product into the total (with 200 countries' pairs, 127 MB a pass). An even
        # chunk draws the same stream as any other even chunking, so the weights a story
        # gets do not depend on it.
        chunk = max(2, 16_000_000 // self.replicates // 2 * 2)
        for lo in range(0, n_stories, chunk):
            hi = min(lo + chunk, n_stories)
            weights = poisson_weights(rng, (hi - lo, self.replicates))
            total += weights.T @ mat[lo:hi]
        for i, acc in enumerate(out):
            acc += total[:, i * n_periods:(i + 1) * n_periods]

    def _normal(self, story_idx: np.ndarray, periods: np.ndarray, n_periods: int,
                values: Sequence[np.ndarray], out: list[np.ndarray]) -> None:
        """Columns' sums drawn from N(Σ x_s, Σ x_s x_sᵀ), the Poisson bootstrap's moments."""
        cells, inverse = np.unique(story_idx * n_periods + periods, return_inverse=True)
        column = cells % n_periods
        cols, col_idx = np.unique(column, return_inverse=True)
        k = len(values)
        x = np.column_stack([np.bincount(inverse, weights=v, minlength=cells.shape[0])
                             for v in values])  # one row per (story, column)
        mean = np.column_stack([np.bincount(col_idx, weights=x[:, i], minlength=cols.shape[0])
                                for i in range(k)])
        cov = np.empty((cols.shape[0], k, k))
        for i in range(k):
            for j in range(i, k):
                cov[:, i, j] = cov[:, j, i] = np.bincount(col_idx, weights=x[:, i] * x[:, j],
                                                          minlength=cols.shape[0])
        # a square root that tolerates rank deficiency (events and PLOVER-scored events are
        # the same column when every event has a PLOVER type)
        eigval, eigvec = np.linalg.eigh(cov)
        root = eigvec * np.sqrt(np.clip(eigval, 0.0, None))[:, None, :]
        # a stream of its own, seeded by the seed, so the Poisson draws stay as they were
        rng = np.random.default_rng((self.seed, 1))
        z = rng.standard_normal((self.replicates, cols.shape[0], k))
        draws = mean[None] + np.einsum("pij,rpj->rpi", root, z)
        for i, acc in enumerate(out):
            acc[:, cols] += draws[:, :, i]


def _poisson_table() -> np.ndarray:
    """Poisson(1) quantised to 1/65,536: a lookup table from uniform 16-bit integers."""
    p = np.array([np.exp(-1.0) / float(np.prod(np.arange(1, k + 1))) for k in range(10)])
    counts = np.round(p * 65536).astype(np.int64)
    counts[0] += 65536 - counts.sum()
    return np.repeat(np.arange(10, dtype=np.float32), counts)


_POISSON = _poisson_table()


def poisson_weights(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    """Poisson(1) bootstrap weights from random bytes: ten times faster than ``rng.poisson``.

    Probabilities are exact to 1/65,536 (mean 1.0000, variance 1.0000 to four places), far
    below the Monte Carlo error of a few hundred replicates.
    """
    raw = rng.integers(0, 65536, size=shape, dtype=np.uint16)
    return _POISSON[raw]


def interval(samples: np.ndarray, axis: int = 0, *, basic_around: np.ndarray | None = None
             ) -> tuple[np.ndarray, np.ndarray]:
    """The central 95% interval of bootstrap samples (NaNs ignored).

    Percentile interval by default; with ``basic_around`` (the point estimate) the basic
    bootstrap interval ``(2θ̂ − q₉₇.₅, 2θ̂ − q₂.₅)``, which corrects first-order bias — used
    for statistics such as kappa that resampling noise pulls toward zero.
    """
    tail = (1 - LEVEL) / 2 * 100
    if not np.isnan(samples).any():  # nanpercentile loops in Python; most calls need not
        lo, hi = np.percentile(samples, [tail, 100 - tail], axis=axis)
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            lo = np.nanpercentile(samples, tail, axis=axis)
            hi = np.nanpercentile(samples, 100 - tail, axis=axis)
    if basic_around is not None:
        lo, hi = 2 * basic_around - hi, 2 * basic_around - lo
    return lo, hi


@dataclass
class DyadSeries:
    """A dyad's per-period measures; arrays are aligned with ``periods``.

    ``warmth`` is the shrunk mean Goldstein, ``raw`` the plain mean (NaN with no events),
    ``plover`` the same shrunk mean on the PLOVER score, ``volume_per_1000`` the dyad's events
    per thousand events in the whole store that period and ``net_per_1000`` the summed
    Goldstein per thousand store events (contact that rises only with media volume stays flat).
    """

    a: str
    b: str
    directed: bool
    freq: str
    periods: np.ndarray
    n: np.ndarray
    stories: np.ndarray
    raw: np.ndarray
    warmth: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    plover: np.ndarray
    plover_lower: np.ndarray
    plover_upper: np.ndarray
    total: np.ndarray
    volume_per_1000: np.ndarray
    volume_lower: np.ndarray
    volume_upper: np.ndarray
    net_per_1000: np.ndarray
    prior_mean: float
    pseudo: float
    replicates: np.ndarray = field(repr=False)  # bootstrap warmth, replicates × periods
    rep_raw: np.ndarray = field(repr=False)     # bootstrap plain means
    rep_n: np.ndarray = field(repr=False)       # bootstrap (weighted) event counts

    @property
    def labels(self) -> list[str]:
        return [period_label(p, self.freq) for p in self.periods]

    def rows(self) -> list[dict[str, Any]]:
        """One plain dict per period, for the CLI and JSON output."""
        out = []
        for i, label in enumerate(self.labels):
            out.append({
                "period": label,
                "start": str(self.periods[i]),
                "source": self.a, "target": self.b,
                "directed": self.directed,
                "events": int(self.n[i]),
                "stories": int(self.stories[i]),
                "warmth": _r(self.warmth[i]),
                "warmth_low": _r(self.lower[i]),
                "warmth_high": _r(self.upper[i]),
                "raw_mean": _r(self.raw[i]),
                "plover_warmth": _r(self.plover[i]),
                "plover_low": _r(self.plover_lower[i]),
                "plover_high": _r(self.plover_upper[i]),
                "store_events": int(self.total[i]),
                "per_1000": _r(self.volume_per_1000[i]),
                "per_1000_low": _r(self.volume_lower[i]),
                "per_1000_high": _r(self.volume_upper[i]),
                "net_per_1000": _r(self.net_per_1000[i]),
            })
        return out


def _r(value: float, digits: int = 3) -> float | None:
    return None if value is None or not np.isfinite(value) else round(float(value), digits)


def _periods_for(frame: EventFrame, freq: str, since: Any, until: Any) -> np.ndarray:
    first = np.datetime64(since, "D") if since is not None else (
        frame.date.min() if len(frame) else None)
    last = np.datetime64(until, "D") if until is not None else (
        frame.date.max() if len(frame) else None)
    if first is None or last is None or first > last:
        return np.array([], dtype="datetime64[D]")
    return period_range(first, last, freq)


def dyad_events(frame: EventFrame, a: str, b: str, *, directed: bool = False) -> EventFrame:
    """The dyad's deduplicated events, in canonical order."""
    return dedupe(frame.dyad(a.upper(), b.upper(), directed=directed)).canonical()


# The spread of single events' Goldstein scores when a dyad has too few to estimate it (news
# events are spread across most of the −10..+10 scale; 4 is about what the samples show).
PRIOR_EVENT_SD = 4.0


def _model_sd(n: np.ndarray, total: np.ndarray, squares: np.ndarray) -> float:
    """Pooled within-period standard deviation of single events (PRIOR_EVENT_SD if unknown),
    from each period's count, sum and sum of squares."""
    dof = n.sum() - int((n > 0).sum())
    if n.sum() == 0 or dof < 2:
        return PRIOR_EVENT_SD
    with np.errstate(invalid="ignore", divide="ignore"):
        within = np.where(n > 0, squares - total * total / np.where(n > 0, n, 1), 0.0)
    return float(np.sqrt(max(float(within.sum()), 0.0) / dof))


def _widen(bounds: tuple[np.ndarray, np.ndarray], point: np.ndarray, sd: float, n: np.ndarray,
           pseudo: float) -> tuple[np.ndarray, np.ndarray]:
    """The union of the story-bootstrap interval and the normal model's, within ±10.

    The bootstrap respects stories but has nothing to resample in a period of one or two
    stories (it then reads far too sure); the normal–normal model behind the shrinkage gives
    the posterior sd ``σ/√(n + pseudo)`` whatever the stories, but treats events as
    independent. Reporting the wider of the two keeps both failure modes out.
    """
    half = 1.959963984540054 * sd / np.sqrt(n + pseudo)
    lo, hi = bounds
    with np.errstate(invalid="ignore"):
        lo = np.fmin(lo, point - half)
        hi = np.fmax(hi, point + half)
    return np.clip(lo, -10, 10), np.clip(hi, -10, 10)


def _sums_for(data: EventFrame | DyadSums, a: str, b: str, *, freq: str, directed: bool,
              since: Any, until: Any) -> DyadSums:
    if isinstance(data, EventFrame):
        return dyad_sums(data, a, b, freq=freq, directed=directed, since=since, until=until)
    if not data.matches(a, b, freq=freq, directed=directed):
        raise ValueError(f"these sums are for {data.a}–{data.b} by {data.freq}"
                         f"{' (directed)' if data.directed else ''}, not {a}–{b} by {freq}")
    return data


def _sum_periods(sums: DyadSums, since: Any, until: Any) -> tuple[np.ndarray, np.ndarray]:
    """Every period of the window (or of the rows), and each row's index among them."""
    first = np.datetime64(since, "D") if since is not None else (
        sums.period.min() if len(sums) else None)
    last = np.datetime64(until, "D") if until is not None else (
        sums.period.max() if len(sums) else None)
    if first is None or last is None or first > last:
        return np.array([], dtype="datetime64[D]"), np.array([], dtype=np.int64)
    periods = period_range(first, last, sums.freq)
    return periods, np.searchsorted(periods, sums.period)


def dyad_series(
    data: EventFrame | DyadSums,
    a: str,
    b: str,
    *,
    freq: str = "month",
    directed: bool = False,
    since: Any = None,
    until: Any = None,
    totals: dict[np.datetime64, int] | None = None,
    pseudo: float = 3.0,
    boot: Bootstrap | None = None,
) -> DyadSeries:
    """Warmth, PLOVER warmth and volume of dyad ``a``–``b`` per period, with 95% intervals.

    ``data`` is a frame of events, or the dyad's events already added up
    (:func:`cordiale.analysis.sums.load_dyad_sums`, what ``cordiale dyad`` reads).
    ``totals`` maps each period start to the number of events in the whole store that period
    (see :func:`cordiale.analysis.frame.period_totals`); without it a frame's own rows are
    counted. Periods with no events show the long-run mean with the interval of that mean.
    """
    boot = boot or Bootstrap()
    if totals is None and isinstance(data, EventFrame):
        starts, counts = np.unique(period_start(data.date, freq), return_counts=True)
        totals = {p: int(c) for p, c in zip(starts, counts, strict=True)}
    sums = _sums_for(data, a, b, freq=freq, directed=directed, since=since, until=until)
    periods, pidx = _sum_periods(sums, since, until)
    n_p = periods.shape[0]
    has = len(sums) > 0

    n = np.bincount(pidx, weights=sums.n, minlength=n_p)
    s = np.bincount(pidx, weights=sums.goldstein, minlength=n_p)
    pn = np.bincount(pidx, weights=sums.plover_n, minlength=n_p)
    ps = np.bincount(pidx, weights=sums.plover, minlength=n_p)
    stories = np.zeros(n_p, dtype=int)
    if has:
        cells = distinct(ranks(sums.story) * n_p + pidx)
        stories = np.bincount(cells % n_p, minlength=n_p)
    total = np.array([float((totals or {}).get(p, 0)) for p in periods])

    def shrunk(s_: np.ndarray, n_: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        tot_n = n_.sum(axis=-1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            # a replicate that drew no event at all has no mean: NaN, left out of intervals
            mu = np.where(tot_n > 0, s_.sum(axis=-1, keepdims=True) / tot_n, np.nan)
            return (s_ + pseudo * mu) / (n_ + pseudo), mu

    warmth, mu = shrunk(s, n)
    plover, _ = shrunk(ps, pn)
    with np.errstate(invalid="ignore", divide="ignore"):
        raw = np.where(n > 0, s / np.where(n > 0, n, 1), np.nan)
        vol = np.where(total > 0, n / np.where(total > 0, total, 1) * 1000, np.nan)
        net = np.where(total > 0, s / np.where(total > 0, total, 1) * 1000, np.nan)

    if has:
        bn, bs, bpn, bps = boot.sums(sums.story, pidx, n_p, [sums.n, sums.goldstein,
                                                             sums.plover_n, sums.plover],
                                     normal=True)
        rep, _ = shrunk(bs, bn)
        rep_pl, _ = shrunk(bps, bpn)
        with np.errstate(invalid="ignore", divide="ignore"):
            rep_vol = np.where(total > 0, bn / np.where(total > 0, total, 1) * 1000, np.nan)
            rep_raw = np.where(bn > 0, bs / np.where(bn > 0, bn, 1), np.nan)
    else:
        rep = rep_pl = rep_vol = rep_raw = np.full((boot.replicates, n_p), np.nan)
        bn = np.zeros((boot.replicates, n_p))
    g_sq = np.bincount(pidx, weights=sums.goldstein_sq, minlength=n_p)
    p_sq = np.bincount(pidx, weights=sums.plover_sq, minlength=n_p)
    lo, hi = _widen(interval(rep), warmth, _model_sd(n, s, g_sq), n, pseudo)
    plo, phi = _widen(interval(rep_pl), plover, _model_sd(pn, ps, p_sq), pn, pseudo)
    vlo, vhi = interval(rep_vol)
    return DyadSeries(
        a=a.upper(), b=b.upper(), directed=directed, freq=freq, periods=periods,
        n=n.astype(int), stories=np.asarray(stories, dtype=int), raw=raw,
        warmth=warmth if has else np.full(n_p, np.nan), lower=lo, upper=hi,
        plover=plover if pn.sum() else np.full(n_p, np.nan), plover_lower=plo,
        plover_upper=phi, total=total, volume_per_1000=vol, volume_lower=vlo,
        volume_upper=vhi, net_per_1000=net,
        prior_mean=float(mu.ravel()[0]) if has else float("nan"), pseudo=pseudo,
        replicates=rep, rep_raw=rep_raw, rep_n=bn,
    )


# -- quad-class shares ---------------------------------------------------------------------

@dataclass
class QuadShares:
    """Per period: counts of the four quad classes and their shares with Beta intervals.

    Shares use a Jeffreys Dirichlet(½,½,½,½) posterior, whose marginals are Beta; the
    cooperation ratio is the share of quads 1–2, Beta-distributed under the same posterior.
    Intervals are percentiles of posterior draws (exact up to Monte Carlo error, and free of
    SciPy's slow-to-import distributions module). The intervals
    treat deduplicated events as independent, which is optimistic when a story carries many.
    """

    freq: str
    periods: np.ndarray
    counts: np.ndarray  # periods × 4
    share: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    coop: np.ndarray
    coop_lower: np.ndarray
    coop_upper: np.ndarray

    def rows(self) -> list[dict[str, Any]]:
        out = []
        for i, p in enumerate(self.periods):
            row: dict[str, Any] = {"period": period_label(p, self.freq),
                                   "events": int(self.counts[i].sum())}
            for q, name in enumerate(QUADS):
                row[name] = int(self.counts[i, q])
                row[f"{name}_share"] = _r(self.share[i, q])
                row[f"{name}_low"] = _r(self.lower[i, q])
                row[f"{name}_high"] = _r(self.upper[i, q])
            row["cooperation_ratio"] = _r(self.coop[i])
            row["cooperation_low"] = _r(self.coop_lower[i])
            row["cooperation_high"] = _r(self.coop_upper[i])
            out.append(row)
        return out


def quad_shares(data: EventFrame | DyadSums, a: str, b: str, *, freq: str = "month",
                directed: bool = False, since: Any = None, until: Any = None,
                seed: int = 0, draws_n: int = 2000) -> QuadShares:
    sums = _sums_for(data, a, b, freq=freq, directed=directed, since=since, until=until)
    periods, pidx = _sum_periods(sums, since, until)
    n_p = periods.shape[0]
    counts = np.zeros((n_p, 4))
    if len(sums):
        for q in range(4):
            counts[:, q] = np.bincount(pidx, weights=sums.quad[:, q], minlength=n_p)
    share = np.where(counts.sum(axis=1, keepdims=True) > 0,
                     counts / np.maximum(counts.sum(axis=1, keepdims=True), 1), np.nan)
    coop = np.where(counts.sum(axis=1) > 0,
                    (counts[:, 0] + counts[:, 1]) / np.maximum(counts.sum(axis=1), 1), np.nan)
    # Jeffreys Dirichlet posterior per period, summarised by draws (the cooperation ratio is
    # the sum of the first two components, so its interval comes from the same draws)
    rng = np.random.default_rng(seed)
    gamma = rng.standard_gamma(np.broadcast_to((counts + 0.5)[:, None, :], (n_p, draws_n, 4)))
    draws = gamma / gamma.sum(axis=-1, keepdims=True)
    lower, upper = interval(draws, axis=1)
    c_lo, c_hi = interval(draws[..., 0] + draws[..., 1], axis=1)
    # Jeffreys intervals exclude the boundary even when every event is of one kind; as Brown,
    # Cai and DasGupta (2001) advise, a share of exactly 0 or 1 gets that bound
    totals = counts.sum(axis=1, keepdims=True)
    lower = np.where(counts == 0, 0.0, lower)
    upper = np.where((counts == totals) & (totals > 0), 1.0, upper)
    coop_n = counts[:, 0] + counts[:, 1]
    c_lo = np.where(coop_n == 0, 0.0, c_lo)
    c_hi = np.where((coop_n == totals[:, 0]) & (totals[:, 0] > 0), 1.0, c_hi)
    return QuadShares(
        freq=freq, periods=periods, counts=counts.astype(int), share=share,
        lower=lower, upper=upper, coop=coop, coop_lower=c_lo, coop_upper=c_hi,
    )


# -- trend -----------------------------------------------------------------------------------

@dataclass
class Trend:
    """The smoothed level of a series and its slope, each with a 95% interval.

    ``level`` is an exponentially weighted mean of the period means, each period weighted
    by its events (half-life ``half_life`` periods), so recent, well-reported periods count
    most; its interval applies the same smoother to every bootstrap replicate. ``slope`` is
    the Theil–Sen slope of warmth per period over periods with events (robust to a few
    outlying months), with Sen's rank-based interval; ``per_year`` rescales it.
    """

    freq: str
    periods: np.ndarray
    level: np.ndarray
    level_lower: np.ndarray
    level_upper: np.ndarray
    slope: float
    slope_lower: float
    slope_upper: float
    per_year: float
    per_year_lower: float
    per_year_upper: float
    periods_used: int

    def summary(self) -> dict[str, Any]:
        last = len(self.level) - 1
        return {
            "level": _r(self.level[last]) if last >= 0 else None,
            "level_low": _r(self.level_lower[last]) if last >= 0 else None,
            "level_high": _r(self.level_upper[last]) if last >= 0 else None,
            "slope_per_period": _r(self.slope, 4),
            "slope_low": _r(self.slope_lower, 4),
            "slope_high": _r(self.slope_upper, 4),
            "slope_per_year": _r(self.per_year),
            "slope_per_year_low": _r(self.per_year_lower),
            "slope_per_year_high": _r(self.per_year_upper),
            "periods_used": self.periods_used,
        }


# Sen's interval rests on a normal approximation to Kendall's S: with fewer periods it spans
# every pairwise slope and still claims 95%, so no slope is reported below this many.
MIN_TREND_PERIODS = 6

_PER_YEAR = {"day": 365.25, "week": 52.18, "month": 12.0, "quarter": 4.0, "year": 1.0}


def ewma(values: np.ndarray, weights: np.ndarray, half_life: float) -> np.ndarray:
    """Event-weighted exponential smoothing along the last axis (NaN values carry no weight)."""
    lam = 0.5 ** (1.0 / half_life)
    v = np.nan_to_num(values, nan=0.0)
    w = np.where(np.isfinite(values), weights, 0.0)
    num = np.zeros(values.shape[:-1])
    den = np.zeros(values.shape[:-1])
    out = np.full(values.shape, np.nan)
    for t in range(values.shape[-1]):
        num = lam * num + w[..., t] * v[..., t]
        den = lam * den + w[..., t]
        with np.errstate(invalid="ignore", divide="ignore"):
            out[..., t] = np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)
    return out


def theil_sen(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """The median of pairwise slopes and Sen's (1968) 95% interval from Kendall's S variance."""
    i, j = np.triu_indices(x.shape[0], k=1)
    dx = x[j] - x[i]
    ok = dx != 0
    slopes = np.sort((y[j] - y[i])[ok] / dx[ok])
    n_s = slopes.shape[0]
    if n_s == 0:
        return float("nan"), float("nan"), float("nan")
    n = x.shape[0]
    sigma = np.sqrt(n * (n - 1) * (2 * n + 5) / 18.0)
    z = 1.959963984540054
    lo = int(np.clip(np.round((n_s - z * sigma) / 2.0) - 1, 0, n_s - 1))
    hi = int(np.clip(np.round((n_s + z * sigma) / 2.0), 0, n_s - 1))
    return float(np.median(slopes)), float(slopes[lo]), float(slopes[hi])


def trend(series: DyadSeries, *, half_life: float = 3.0) -> Trend:
    n = series.n.astype(float)
    level = ewma(series.raw, n, half_life)
    rep_level = ewma(series.rep_raw, series.rep_n, half_life)
    lo, hi = interval(rep_level)
    used = np.flatnonzero(series.n > 0)
    slope = s_lo = s_hi = float("nan")
    if used.shape[0] >= MIN_TREND_PERIODS:
        y = series.warmth[used]
        slope, s_lo, s_hi = theil_sen(used.astype(float), y)
    k = _PER_YEAR[series.freq]
    return Trend(
        freq=series.freq, periods=series.periods, level=level, level_lower=lo,
        level_upper=hi, slope=slope, slope_lower=s_lo, slope_upper=s_hi,
        per_year=slope * k, per_year_lower=s_lo * k, per_year_upper=s_hi * k,
        periods_used=int(used.shape[0]),
    )
