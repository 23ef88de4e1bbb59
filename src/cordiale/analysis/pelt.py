"""Exact PELT for changes in mean under a weighted Gaussian cost, and a robust scale.

:func:`pelt` is exact PELT (Killick, Fearnhead & Eckley 2012) for changes in mean under a
weighted Gaussian cost, ``C(segment) = Σ w_t (y_t − ȳ_w)²``. It returns the
optimal penalised segmentation (not a greedy one, as binary segmentation would), and with
pruning it runs in near-linear time on the few hundred to few thousand periods a dyad has.
With a minimum segment length the textbook pruning rule is not exact (a candidate that loses
at ``t`` may still be the only feasible one until ``t + min_size``), so a pruned candidate is
retired only ``min_size`` periods later; the tests check the result against unpruned optimal
partitioning. Periods with weight 0 or a NaN value carry no cost but still count towards
``min_size``; when the cost cannot tell where in a gap a change falls, the latest position is
taken, so a change starts at the first period that has events in the new regime.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

_MAD_TO_SD = 1.482602218505602  # MAD of a normal sample × this = its standard deviation


def pelt(values: Any, weights: Any = None, *, penalty: float | None = None,
         min_size: int = 2) -> list[int]:
    """Exact PELT for changes in mean; the indices where new segments start.

    ``weights`` are precisions (events per period, or inverse variances); a period with weight
    0 or a NaN value carries no cost. Every segment spans at least ``min_size`` periods. The
    default ``penalty`` is BIC, ``2·log(m)·σ²`` with ``σ²`` from :func:`diff_scale` and ``m``
    the periods that carry weight.
    """
    if int(min_size) != min_size or min_size < 1:
        raise ValueError(f"min_size must be a whole number of periods ≥ 1, not {min_size!r}")
    min_size = int(min_size)
    y = np.asarray(values, dtype=float).ravel()
    n = y.shape[0]
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float).ravel()
    if w.shape[0] != n:
        raise ValueError(f"{w.shape[0]} weights for {n} values; give one weight per value")
    ok = np.isfinite(y) & np.isfinite(w) & (w > 0)
    if n < 2 * min_size or ok.sum() < 2:
        return []
    w = np.where(ok, w, 0.0)
    y = np.where(ok, y, 0.0)
    if penalty is None:
        scale = diff_scale(y, w)
        if scale is None:
            return []
        penalty = 2.0 * math.log(int(ok.sum())) * scale
    if not np.isfinite(penalty) or penalty < 0:
        raise ValueError(f"penalty must be a finite number ≥ 0, not {penalty!r}")
    y = y - (w * y).sum() / w.sum()  # centring keeps Q − S²/W from cancelling badly
    cw = np.concatenate([[0.0], np.cumsum(w)])
    cs = np.concatenate([[0.0], np.cumsum(w * y)])
    cq = np.concatenate([[0.0], np.cumsum(w * y * y)])

    def cost(starts: np.ndarray, end: int) -> np.ndarray:
        sw = cw[end] - cw[starts]
        ss = cs[end] - cs[starts]
        fit = np.divide(ss * ss, sw, out=np.zeros_like(ss), where=sw > 0)
        return np.maximum(cq[end] - cq[starts] - fit, 0.0)

    never = np.iinfo(np.int64).max
    best = np.full(n + 1, np.inf)
    best[0] = -penalty
    last = np.zeros(n + 1, dtype=np.int64)
    cands = np.array([0], dtype=np.int64)
    retire = np.array([never], dtype=np.int64)  # when a pruned candidate may be dropped
    for t in range(min_size, n + 1):
        alive = retire > t
        cands, retire = cands[alive], retire[alive]
        usable = cands <= t - min_size
        starts = cands[usable]
        fits = best[starts] + cost(starts, t)
        total = fits + penalty
        low = float(total.min())
        tol = 1e-9 * (abs(low) + penalty + 1.0)
        pick = int(np.flatnonzero(total <= low + tol)[-1])  # latest of (near-)ties
        best[t] = low
        last[t] = starts[pick]
        sub = retire[usable]
        sub[(fits > low + tol) & (sub == never)] = t + min_size
        retire[usable] = sub
        if t <= n - min_size:
            cands = np.append(cands, t)
            retire = np.append(retire, never)
    changes = []
    t = n
    while t > 0:
        t = int(last[t])
        if t > 0:
            changes.append(t)
    return sorted(changes)


def diff_scale(values: Any, weights: Any = None) -> float | None:
    """Robust scale ``σ²`` of a weighted series from its first differences (None if unknown).

    Over consecutive periods that carry weight, ``z = Δy / √(1/w_t + 1/w_{t+1})`` has standard
    deviation ``σ`` where the mean is constant; the MAD ignores the few differences that
    straddle a change. If more than half the differences are equal (a piecewise-constant
    series) the MAD is 0 and the root mean square of ``z`` is used instead.
    """
    y = np.asarray(values, dtype=float).ravel()
    w = np.ones_like(y) if weights is None else np.asarray(weights, dtype=float).ravel()
    ok = np.isfinite(y) & np.isfinite(w) & (w > 0)
    y, w = y[ok], w[ok]
    if y.shape[0] < 2:
        return None
    z = np.diff(y) / np.sqrt(1.0 / w[:-1] + 1.0 / w[1:])
    mad = _MAD_TO_SD * float(np.median(np.abs(z - np.median(z))))
    if mad > 0:
        return mad * mad
    rms = float(np.mean(z * z))
    return rms if rms > 0 else None
