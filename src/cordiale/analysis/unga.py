"""How alike two countries vote in the UN General Assembly, per period, with intervals.

On the roll calls of a period where both A and B cast a vote (yes, abstain or no; absence is
not a vote and the roll call is left out for that dyad), three statistics:

- **agreement**: the share of roll calls with identical votes;
- the **S-score** (Signorino & Ritter 1999, as Gartzke's UN "affinity"), ``1 − 2·d̄/d_max``
  with votes placed at yes = 1, abstain = 0.5, no = 0, d̄ the mean distance and d_max = 1:
  1 for identical voting, 0 when every vote is half apart (yes against abstain), −1 when
  every vote is opposite. It is the same formula :mod:`cordiale.analysis.alignment` applies to
  Goldstein warmths, so the two columns read alike;
- **Cohen's kappa** over {yes, abstain, no}: ``(p_o − p_e)/(1 − p_e)`` where p_e is the
  agreement expected from each country's own vote shares on those roll calls. Most Assembly
  votes pass by large majorities, so two countries that both say yes to most things agree
  often by chance alone; kappa takes that out (0 = chance, 1 = identical, below 0 = less
  than chance) and is the chance-corrected reading the event alignment's kappa gives too.
  When both voted the same way on every roll call (p_e = 1) kappa is undefined: NaN.

Each comes with a 95% percentile bootstrap interval that resamples roll calls (the unit a
vote is cast on) with replacement, from a generator seeded per period, so a period's interval
does not depend on which other periods or dyads were computed.

Every function sorts by roll-call id before anything else, and every statistic is a
symmetric function of integer counts (the counts a×b and b×a are the same integers), so
``a, b`` and ``b, a`` give bit-identical results and input row order does not matter. The
all-dyads matrix computes those counts for every pair at once with matrix products of
vote-indicator matrices (countries × roll calls), and the dyad function uses the very same
final formula, so a matrix cell equals the dyad's point estimate exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from .frame import period_label, period_start

if TYPE_CHECKING:
    from ..store import Store

#: vote codes: also their position on the S-score's scale in half-steps (no 0, yes 2)
VOTE_CODES = {"no": 0, "abstain": 1, "yes": 2}
LEVEL = 0.95
N_BOOT = 1000
MEASURES = ("agreement", "s_score", "kappa")


@dataclass(frozen=True)
class VoteFrame:
    """Parallel arrays, one vote of one country on one roll call a row.

    ``vote`` holds :data:`VOTE_CODES` (0 no, 1 abstain, 2 yes); ``date`` is the roll call's
    date (``datetime64[D]``); ``country`` an ISO alpha-3 code.
    """

    rcid: np.ndarray
    date: np.ndarray
    country: np.ndarray
    vote: np.ndarray

    def __len__(self) -> int:
        return int(self.rcid.shape[0])

    def take(self, index: np.ndarray) -> VoteFrame:
        return VoteFrame(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

    def countries(self) -> list[str]:
        return sorted(set(self.country.tolist()))

    @classmethod
    def from_columns(cls, rcid: Any, date: Any, country: Any, vote: Any) -> VoteFrame:
        """Build a frame from columns; ``vote`` may be words (yes/no/abstain) or codes.

        Raises ``ValueError`` for an unknown vote or for two votes of one country on one
        roll call (which of the two counts would depend on row order).
        """
        votes = np.asarray(vote)
        if votes.dtype.kind in "OUS":
            words = np.asarray(votes, dtype=object)
            codes = np.full(words.shape[0], -1, dtype=np.int8)
            for word, code in VOTE_CODES.items():
                codes[words == word] = code
            if (codes < 0).any():
                bad = sorted({str(w) for w in words[codes < 0].tolist()})
                raise ValueError(f"votes {bad} are not yes, abstain or no")
        else:
            codes = votes.astype(np.int8)
            if ((codes < 0) | (codes > 2)).any():
                raise ValueError("vote codes are 0 (no), 1 (abstain) and 2 (yes)")
        frame = cls(
            rcid=np.asarray(rcid, dtype=np.int64),
            date=np.asarray(date).astype("datetime64[D]"),
            country=np.asarray(country, dtype=object),
            vote=codes,
        )
        if len(frame):
            names, cidx = np.unique(frame.country.astype(str), return_inverse=True)
            keys = frame.rcid * len(names) + cidx
            if np.unique(keys).shape[0] != keys.shape[0]:
                raise ValueError("a country votes twice on one roll call")
        return frame

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]]) -> VoteFrame:
        """Build a frame from dicts with rcid, date, country and vote (tests, examples)."""
        rows = list(records)
        return cls.from_columns(
            [r["rcid"] for r in rows],
            np.array([str(r["date"])[:10] for r in rows], dtype="datetime64[D]"),
            [r["country"] for r in rows],
            np.array([r["vote"] for r in rows], dtype=object),
        )


def load_votes(
    store: Store,
    countries: Sequence[str] | None = None,
    since: date | None = None,
    until: date | None = None,
) -> VoteFrame:
    """Dated votes from the store (``cordiale import-unga``), optionally filtered.

    Votes whose roll call is not stored have no date and are left out.
    """
    data = store.unga_votes(countries=countries, since=since, until=until)
    country = np.asarray(data["country"], dtype=object)
    vote = np.full(country.shape[0], -1, dtype=np.int8)
    words = np.asarray(data["vote"], dtype=object)
    for word, code in VOTE_CODES.items():
        vote[words == word] = code
    if (vote < 0).any():
        raise ValueError("the store holds votes other than yes, abstain and no")
    return VoteFrame(
        rcid=np.asarray(data["rcid"], dtype=np.int64),
        date=np.asarray(data["date"]).astype("datetime64[D]"),
        country=country,
        vote=vote,
    )


# -- the statistics from counts -------------------------------------------------------------

def _from_counts(n: np.ndarray, same: np.ndarray, gap: np.ndarray, marg_a: np.ndarray,
                 marg_b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Agreement, S-score and kappa from integer counts (any leading shape).

    ``n`` roll calls both voted on, ``same`` identical votes, ``gap`` the summed distance in
    half-steps (yes–no is 2), ``marg_a``/``marg_b`` (…, 3) each side's counts of no, abstain,
    yes on those roll calls. Every product is of integers, so swapping a and b is exact.
    """
    n = np.asarray(n, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        agreement = np.where(n > 0, same / n, np.nan)
        s_score = np.where(n > 0, 1.0 - gap / n, np.nan)
        chance = (marg_a.astype(np.int64) * marg_b.astype(np.int64)).sum(axis=-1) / (n * n)
        kappa = np.where((n > 0) & (chance < 1 - 1e-12),
                         (agreement - chance) / (1 - chance), np.nan)
    return agreement, s_score, kappa


def _counts(va: np.ndarray, vb: np.ndarray
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The counts of :func:`_from_counts` along the last axis of paired vote codes."""
    n = np.full(va.shape[:-1], va.shape[-1], dtype=np.int64)
    same = (va == vb).sum(axis=-1)
    gap = np.abs(va.astype(np.int64) - vb.astype(np.int64)).sum(axis=-1)
    marg_a = np.stack([(va == k).sum(axis=-1) for k in range(3)], axis=-1)
    marg_b = np.stack([(vb == k).sum(axis=-1) for k in range(3)], axis=-1)
    return n, same, gap, marg_a, marg_b


def vote_statistics(va: np.ndarray, vb: np.ndarray) -> dict[str, float]:
    """Agreement, S-score and kappa of two aligned vote-code arrays (0 no, 1 abstain, 2 yes)."""
    va, vb = np.asarray(va), np.asarray(vb)
    if va.shape != vb.shape:
        raise ValueError("the two vote arrays must be aligned on the same roll calls")
    agreement, s_score, kappa = _from_counts(*_counts(va, vb))
    return {"agreement": float(agreement), "s_score": float(s_score), "kappa": float(kappa)}


# -- one dyad over time ---------------------------------------------------------------------

@dataclass(frozen=True)
class Estimate:
    """A point estimate and its bootstrap interval (NaN when undefined)."""

    value: float
    low: float
    high: float


@dataclass(frozen=True)
class VoteAgreement:
    """One dyad in one period: roll calls both voted on and the three statistics."""

    a: str
    b: str
    period: str
    start: date
    n: int
    agreement: Estimate
    s_score: Estimate
    kappa: Estimate

    def row(self) -> dict[str, Any]:
        out: dict[str, Any] = {"period": self.period, "a": self.a, "b": self.b, "n": self.n}
        for name in MEASURES:
            est: Estimate = getattr(self, name)
            out[name] = _r(est.value)
            out[f"{name}_low"] = _r(est.low)
            out[f"{name}_high"] = _r(est.high)
        return out


def _r(value: float, digits: int = 3) -> float | None:
    return None if np.isnan(value) else round(float(value), digits)


def paired_votes(frame: VoteFrame, a: str, b: str
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Roll calls both ``a`` and ``b`` voted on, in rcid order: rcid, date, a's and b's votes."""
    sa = frame.take(frame.country == a)
    sb = frame.take(frame.country == b)
    rcid, ia, ib = np.intersect1d(sa.rcid, sb.rcid, assume_unique=True, return_indices=True)
    return rcid, sa.date[ia], sa.vote[ia], sb.vote[ib]


def vote_agreement(
    frame: VoteFrame,
    a: str,
    b: str,
    *,
    freq: str = "year",
    since: date | None = None,
    until: date | None = None,
    n_boot: int = N_BOOT,
    seed: int = 0,
    level: float = LEVEL,
) -> list[VoteAgreement]:
    """Agreement, S-score and kappa of ``a`` and ``b`` per period, each with an interval.

    Only periods with at least one roll call both voted on are listed. ``n_boot`` = 0 gives
    point estimates with NaN intervals.
    """
    a, b = a.upper(), b.upper()
    rcid, dates, va, vb = paired_votes(frame, a, b)
    keep = np.ones(rcid.shape[0], dtype=bool)
    if since is not None:
        keep &= dates >= np.datetime64(since, "D")
    if until is not None:
        keep &= dates <= np.datetime64(until, "D")
    dates, va, vb = dates[keep], va[keep], vb[keep]
    starts = period_start(dates, freq)
    out = []
    tail = (1 - level) / 2
    for start in np.unique(starts):
        mask = starts == start
        pa, pb = va[mask], vb[mask]
        point = _from_counts(*_counts(pa, pb))
        if n_boot > 0:
            rng = np.random.default_rng(seed)
            idx = rng.integers(0, pa.shape[0], size=(n_boot, pa.shape[0]))
            reps = _from_counts(*_counts(pa[idx], pb[idx]))
            bounds = [np.nanquantile(r, [tail, 1 - tail]) if np.isfinite(r).any()
                      else np.array([np.nan, np.nan]) for r in reps]
        else:
            bounds = [np.array([np.nan, np.nan])] * 3
        est = [Estimate(float(p), float(lo), float(hi))
               for p, (lo, hi) in zip(point, bounds, strict=True)]
        out.append(VoteAgreement(a, b, period_label(start, freq), start.astype(date),
                                 int(pa.shape[0]), *est))
    return out


# -- every dyad at once ---------------------------------------------------------------------

@dataclass(frozen=True)
class AgreementMatrix:
    """Country × country statistics for one period, symmetric; NaN below ``min_votes``."""

    period: str
    countries: np.ndarray   # sorted ISO alpha-3 codes, the rows and columns
    n: np.ndarray           # roll calls both voted on
    agreement: np.ndarray
    s_score: np.ndarray
    kappa: np.ndarray

    def index(self, country: str) -> int:
        i = int(np.searchsorted(self.countries, country))
        if i >= len(self.countries) or self.countries[i] != country:
            raise KeyError(f"{country} cast no vote in {self.period}")
        return i

    def value(self, a: str, b: str, measure: str = "kappa") -> float:
        return float(getattr(self, measure)[self.index(a), self.index(b)])

    def pairs(self, measure: str = "kappa") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each unordered pair once (a < b) with a defined value: a, b and the values."""
        values = getattr(self, measure)
        ia, ib = np.triu_indices(len(self.countries), k=1)
        ok = np.isfinite(values[ia, ib])
        return self.countries[ia[ok]], self.countries[ib[ok]], values[ia[ok], ib[ok]]


def agreement_matrix(
    frame: VoteFrame,
    when: int | str | date,
    *,
    freq: str = "year",
    min_votes: int = 1,
) -> AgreementMatrix:
    """All three statistics for every pair of countries that voted in one period.

    ``when`` is a year (``2005``) or any date in the period. Dyads with fewer than
    ``min_votes`` roll calls both voted on get NaN.
    """
    day = np.datetime64(f"{when}-01-01" if isinstance(when, int) else str(when)[:10], "D")
    start = period_start(np.array([day]), freq)[0]
    sub = frame.take(period_start(frame.date, freq) == start)
    countries, ci = np.unique(sub.country.astype(str), return_inverse=True)
    calls, ri = np.unique(sub.rcid, return_inverse=True)
    votes = np.full((countries.shape[0], calls.shape[0]), -1, dtype=np.int8)
    votes[ci, ri] = sub.vote
    # indicator matrices (countries × roll calls); products of them count roll calls per pair
    ind = [(votes == k).astype(np.int64) for k in range(3)]
    voted = (votes >= 0).astype(np.int64)
    n = voted @ voted.T
    same = sum(ind[k] @ ind[k].T for k in range(3))
    near = ind[0] @ ind[1].T + ind[1] @ ind[2].T
    far = ind[0] @ ind[2].T
    gap = near + near.T + 2 * (far + far.T)
    marg = np.stack([ind[k] @ voted.T for k in range(3)], axis=-1)  # [a, b, k]: a voted k
    agreement, s_score, kappa = _from_counts(n, same, gap, marg, marg.transpose(1, 0, 2))
    thin = n < max(min_votes, 1)
    for m in (agreement, s_score, kappa):
        m[thin] = np.nan
    return AgreementMatrix(period_label(start, freq), countries.astype(object), n,
                           agreement, s_score, kappa)
