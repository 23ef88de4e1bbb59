"""Alignment of two countries: how alike they treat everyone else.

For countries A and B and each period, every third country C with enough events with both
gives two warmths, A–C and B–C (shrunk mean Goldstein of the deduplicated events either way).
Two statistics compare the profiles, the same two that :mod:`cordiale.analysis.unga` computes
on roll-call votes so the columns can be read side by side:

- the **S-score** (Signorino & Ritter 1999), ``1 − 2·Σw|x_AC − x_BC| / (Σw·d_max)`` with
  d_max = 20, the Goldstein range: 1 when both treat every partner alike, 0 or below when
  one's friends are the other's enemies; and
- a weighted **Cohen's kappa** on the three-way reading of each warmth (cooperative above
  +1, conflictual below −1, neutral between), which discounts the agreement two countries
  would show by chance given how often each is friendly at all.

Each partner is weighted by the harmonic mean of its event counts with A and with B, so one
well-reported partner outweighs several seen once. Intervals resample stories (Poisson
weights shared by all events of a story), recomputing every warmth in each replicate; the
intervals are basic (bias-corrected) bootstrap intervals, because resampling noise flips some
partners' categories and so pulls replicate kappas toward zero — the percentile interval
would sit beside the estimate rather than around it. The reported values are the matching
bias-corrected estimates (``2θ̂ − median θ*``); the plain ones are kept as ``s_plain`` and
``kappa_plain``. On a planted two-bloc network whose true kappa is −0.5 the plain estimate
reads −0.46 and the corrected −0.51 (tests/test_analysis.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .frame import EventFrame, period_label, period_start
from .series import Bootstrap, _periods_for, _r, dedupe, interval

D_MAX = 20.0     # the Goldstein scale runs from -10 to +10
THRESHOLD = 1.0  # |warmth| above this reads as cooperative or conflictual


@dataclass
class Alignment:
    """Per period: S-score and kappa of A's and B's warmth towards shared partners."""

    a: str
    b: str
    freq: str
    periods: np.ndarray
    partners: np.ndarray        # shared partners used per period
    s_score: np.ndarray
    s_lower: np.ndarray
    s_upper: np.ndarray
    kappa: np.ndarray
    kappa_lower: np.ndarray
    kappa_upper: np.ndarray
    profiles: list[list[dict[str, Any]]] = field(repr=False)  # per period, partner rows
    s_plain: np.ndarray | None = None      # before bias correction
    kappa_plain: np.ndarray | None = None

    def rows(self) -> list[dict[str, Any]]:
        return [{
            "period": period_label(p, self.freq), "a": self.a, "b": self.b,
            "partners": int(self.partners[i]),
            "s_score": _r(self.s_score[i]), "s_low": _r(self.s_lower[i]),
            "s_high": _r(self.s_upper[i]),
            "kappa": _r(self.kappa[i]), "kappa_low": _r(self.kappa_lower[i]),
            "kappa_high": _r(self.kappa_upper[i]),
            "s_plain": _r(self.s_plain[i]) if self.s_plain is not None else None,
            "kappa_plain": _r(self.kappa_plain[i]) if self.kappa_plain is not None else None,
        } for i, p in enumerate(self.periods)]


def _category(x: np.ndarray) -> np.ndarray:
    return np.where(x > THRESHOLD, 2, np.where(x < -THRESHOLD, 0, 1))


def profile_agreement(xa: np.ndarray, xb: np.ndarray, w: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray]:
    """S-score and weighted kappa along the last axis (partners); weight 0 leaves one out.

    Works on any leading shape, so replicates × periods × partners is one call. Symmetric in
    ``xa`` and ``xb`` by construction.
    """
    wsum = w.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        dist = np.where(w > 0, np.abs(np.nan_to_num(xa) - np.nan_to_num(xb)), 0.0)
        s = 1 - 2 * (w * dist).sum(axis=-1) / (wsum * D_MAX)
        ca, cb = _category(np.nan_to_num(xa)), _category(np.nan_to_num(xb))
        po = (w * (ca == cb)).sum(axis=-1) / wsum
        pe = np.zeros_like(po)
        for k in (0, 1, 2):
            pe += ((w * (ca == k)).sum(axis=-1) / wsum) * ((w * (cb == k)).sum(axis=-1) / wsum)
        kappa = np.where(pe < 1 - 1e-12, (po - pe) / (1 - pe), np.nan)
    s = np.where(wsum > 0, s, np.nan)
    kappa = np.where(wsum > 0, kappa, np.nan)
    return s, kappa


def alignment(
    frame: EventFrame,
    a: str,
    b: str,
    *,
    freq: str = "year",
    since: Any = None,
    until: Any = None,
    pseudo: float = 3.0,
    min_events: int = 2,
    boot: Bootstrap | None = None,
) -> Alignment:
    """How alike ``a`` and ``b`` treat the countries both deal with, per period.

    A partner counts in a period when it has at least ``min_events`` deduplicated events with
    each of the two. Warmths are shrunk toward 0 (neutral) with ``pseudo`` pseudo-events, so
    a partner seen twice reads as mildly warm rather than as warm as its one good day.
    """
    boot = boot or Bootstrap()
    a, b = a.upper(), b.upper()
    if since is not None or until is not None:
        frame = frame.between(since, until)
    sides = np.where((frame.source == a) | (frame.target == a), 0,
                     np.where((frame.source == b) | (frame.target == b), 1, -1))
    partner = np.where(frame.source == a, frame.target,
                       np.where(frame.target == a, frame.source,
                                np.where(frame.source == b, frame.target, frame.source)))
    keep = (sides >= 0) & (partner != a) & (partner != b)
    ev = dedupe(frame.take(keep)).canonical()
    sides = np.where((ev.source == a) | (ev.target == a), 0, 1)
    partner = np.where(sides == 0, np.where(ev.source == a, ev.target, ev.source),
                       np.where(ev.source == b, ev.target, ev.source))
    periods = _periods_for(ev, freq, since, until)
    n_p = periods.shape[0]
    names, pidx_partner = np.unique(partner.astype(str), return_inverse=True)
    n_c = names.shape[0]
    if len(ev) == 0 or n_p == 0:
        empty = np.full(n_p, np.nan)
        return Alignment(a, b, freq, periods, np.zeros(n_p, dtype=int), empty, empty, empty,
                         empty, empty, empty, [[] for _ in range(n_p)], empty, empty)
    tidx = np.searchsorted(periods, period_start(ev.date, freq))
    col = (tidx * n_c + pidx_partner) * 2 + sides
    n_cols = n_p * n_c * 2
    counts = np.bincount(col, minlength=n_cols).astype(float)
    sums = np.bincount(col, weights=ev.goldstein, minlength=n_cols)

    def stats_of(cnt: np.ndarray, sm: np.ndarray) -> tuple[np.ndarray, ...]:
        shape = (*cnt.shape[:-1], n_p, n_c, 2)
        cnt = cnt.reshape(shape)
        sm = sm.reshape(shape)
        warm = sm / (cnt + pseudo)
        na, nb = cnt[..., 0], cnt[..., 1]
        ok = (na >= min_events) & (nb >= min_events)
        with np.errstate(invalid="ignore", divide="ignore"):
            w = np.where(ok, 2 * na * nb / np.where(ok, na + nb, 1), 0.0)
        s, k = profile_agreement(warm[..., 0], warm[..., 1], w)
        return s, k, ok, warm

    s, k, ok, warm = stats_of(counts, sums)
    # the partner set is fixed by the point estimate; replicates re-weigh, not re-select
    bc, bsum = boot.sums(ev.story, col, n_cols, [np.ones(len(ev)), ev.goldstein])
    shape = (boot.replicates, n_p, n_c, 2)
    bcnt = bc.reshape(shape)
    bwarm = bsum.reshape(shape) / (bcnt + pseudo)
    na, nb = bcnt[..., 0], bcnt[..., 1]
    with np.errstate(invalid="ignore", divide="ignore"):
        bw = np.where(ok[None] & (na > 0) & (nb > 0), 2 * na * nb / np.where(na + nb > 0,
                                                                          na + nb, 1), 0.0)
    bs, bk = profile_agreement(bwarm[..., 0], bwarm[..., 1], bw)
    s_lo, s_hi = interval(bs, basic_around=s)
    k_lo, k_hi = interval(bk, basic_around=k)
    s_bc, k_bc = _bias_corrected(s, bs), _bias_corrected(k, bk)
    s_lo, s_hi = np.clip(s_lo, -1, 1), np.clip(s_hi, -1, 1)
    k_lo, k_hi = np.clip(k_lo, -1, 1), np.clip(k_hi, -1, 1)
    cnt3 = counts.reshape(n_p, n_c, 2)
    profiles = [[{"partner": str(names[c]), "warmth_a": _r(warm[t, c, 0]),
                  "warmth_b": _r(warm[t, c, 1]), "events_a": int(cnt3[t, c, 0]),
                  "events_b": int(cnt3[t, c, 1])}
                 for c in np.flatnonzero(ok[t])] for t in range(n_p)]
    return Alignment(a, b, freq, periods, ok.sum(axis=-1), s_bc, s_lo, s_hi, k_bc, k_lo, k_hi,
                     profiles, s_plain=s, kappa_plain=k)


def _bias_corrected(point: np.ndarray, reps: np.ndarray) -> np.ndarray:
    """``2θ̂ − median(θ*)``: the estimate the basic interval is centred on, within [−1, 1]."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.clip(2 * point - np.nanmedian(reps, axis=0), -1, 1)
