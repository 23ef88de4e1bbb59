"""Structural balance of a signed network, against sign shuffles on the same edges.

The share of triangles whose three signs multiply to a positive number (Heider's
balance), from ``trace(S³)/trace(|S|³)``, one matrix product and no triangle listing; the
weighted share weights each triangle by the product of its absolute weights. Strict balance
calls three mutually hostile camps unbalanced (every triangle with one country from each is
(−,−,−)), so Davis's weak balance, where only a triangle with exactly one hostile pair is
unbalanced, is reported beside it, solved from the same product. The null shuffles signs over
the same edges (edges and magnitudes stay put, so the count of friendly and hostile pairs is
kept) with a seeded generator; the p-value is the one-sided empirical
``(1 + #null ≥ observed) / (1 + shuffles)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from .blocs import Relations


@dataclass(frozen=True)
class BalanceTest:
    """One balance statistic against its null: ``z`` = (observed − null mean) / null sd and
    ``p_value`` the one-sided share of shuffles at least as balanced as observed."""

    observed: float
    null_mean: float
    null_sd: float
    z: float
    p_value: float

    def summary(self) -> dict[str, Any]:
        return {"share": _r(self.observed), "null_mean": _r(self.null_mean),
                "null_sd": _r(self.null_sd, 4), "z": _r(self.z, 2),
                "p_value": _r(self.p_value, 4)}


@dataclass(frozen=True)
class Balance:
    """Balanced triangles against sign shuffles over the same edges (NaN with no triangle).

    ``strict`` is Heider's: a triangle is balanced when its signs multiply to a positive number.
    ``weighted`` is the same share with each triangle weighted by the product of its absolute
    weights. ``weak`` is Davis's: only a triangle with exactly one hostile pair (two countries
    at odds while both friendly with a third) is unbalanced, so three mutually hostile blocs
    count as balanced, as they should in a world of more than two camps; strict balance calls
    every triangle drawn from three such blocs unbalanced.
    """

    triangles: int
    strict: BalanceTest
    weighted: BalanceTest
    weak: BalanceTest
    shuffles: int

    @property
    def share(self) -> float:
        return self.strict.observed

    @property
    def z(self) -> float:
        return self.strict.z

    @property
    def p_value(self) -> float:
        return self.strict.p_value

    def summary(self) -> dict[str, Any]:
        return {"triangles": self.triangles, "shuffles": self.shuffles,
                "strict": self.strict.summary(), "weighted": self.weighted.summary(),
                "weak": self.weak.summary()}


def _cycles(left: np.ndarray, right: np.ndarray) -> float:
    """``trace(L L R)`` for symmetric matrices: closed walks of three steps, two on ``L``."""
    return float(np.einsum("ij,ij->", left @ left, right))


def _test(observed: float, null: np.ndarray) -> BalanceTest:
    nan = float("nan")
    if null.shape[0] < 2:
        return BalanceTest(observed, nan, nan, nan, nan)
    mean, sd = float(null.mean()), float(null.std(ddof=1))
    z = (observed - mean) / sd if sd > 1e-12 else nan
    p = (1 + int((null >= observed - 1e-12).sum())) / (1 + null.shape[0])
    return BalanceTest(observed, mean, sd, z, p)


def structural_balance(relations: Relations, *, shuffles: int = 200, seed: int = 0) -> Balance:
    """Strict, weighted and weak balance of the network's triangles against sign shuffles."""
    i, j, w = relations.edges()
    nodes, index = np.unique(np.concatenate([i, j]), return_inverse=True)
    n, e = nodes.shape[0], w.shape[0]
    i, j = index[:e], index[e:]
    sign, magnitude = np.sign(w), np.abs(w)

    def matrix(values: np.ndarray) -> np.ndarray:
        out = np.zeros((n, n))
        out[i, j] = values
        out[j, i] = values
        return out

    edges = matrix(np.ones(e))
    paths = edges @ edges  # two-step walks over the fixed edges, the same for every shuffle
    closed = float(np.einsum("ij,ij->", paths, edges))  # 6 × triangles
    closed_w = _cycles(matrix(magnitude), matrix(magnitude))
    if closed <= 0:
        nan = float("nan")
        empty = BalanceTest(nan, nan, nan, nan, nan)
        return Balance(0, empty, empty, empty, shuffles)
    triangles = closed / 6

    def shares(signs: np.ndarray) -> tuple[float, float, float]:
        signed = matrix(signs)
        square = signed @ signed
        # With t_k the triangles holding k hostile pairs, sums over triangles of the sign
        # product (t0-t1+t2-t3), of the pairwise products (3t0-t1-t2+3t3) and of the signs
        # (3t0+t1-t2-3t3), with t0+t1+t2+t3, fix t1 (the one weakly unbalanced kind) from
        # one matrix product per shuffle.
        product = float(np.einsum("ij,ij->", square, signed)) / 6
        pairwise = float(np.einsum("ij,ij->", square, edges)) / 2
        sides = float(np.einsum("ij,ij->", paths, signed)) / 2
        t0_t2, t1_t3 = (triangles + product) / 2, (triangles - product) / 2
        t0_t3 = (triangles + pairwise) / 4
        t0 = (sides + 4 * t0_t3 + t0_t2 - t1_t3) / 8
        t1 = t1_t3 - t0_t3 + t0
        weighted = matrix(signs * magnitude)
        return (0.5 * (1 + product / triangles),
                0.5 * (1 + _cycles(weighted, weighted) / closed_w),
                1 - t1 / triangles)

    observed = shares(sign)
    rng = np.random.default_rng(seed)
    null = np.array([shares(sign[rng.permutation(e)]) for _ in range(shuffles)]).reshape(-1, 3)
    strict, weighted, weak = (_test(observed[k], null[:, k]) for k in range(3))
    return Balance(round(triangles), strict, weighted, weak, shuffles)


def _r(value: Any, digits: int = 3) -> float | None:
    return None if value is None or not np.isfinite(value) else round(float(value), digits)
