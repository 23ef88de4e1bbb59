"""Blocs in the signed network of relations: who sides with whom, on one axis, how balanced.

Relations. A pair's weight is the mean Goldstein score of its deduplicated events in either
direction, shrunk toward **0** with ``pseudo`` pseudo-events: ``sum / (n + pseudo)``. Zero is
the scale's neutral point and the weight of a pair with no events, so shrinking toward it makes
the weight continuous in the evidence: one event is a faint edge of the right sign, a thousand
events are the plain mean, and no event is no edge. Shrinking toward the network mean (news
Goldstein runs about +1 to +2) would instead give every pair seen once a positive weight near
that mean, a web of invented friendships; the positivity bias of the news is handled where it
matters, by the configuration null models below, which compare each weight with what the two
countries' overall warmth predicts.

Blocs. Leiden multiplex optimisation over a positive and a negative layer, the negative with
layer weight −1, each an :class:`leidenalg.RBConfigurationVertexPartition`. That quality is
modularity left unnormalised (``Σ (A_ij − γ k_i k_j / 2m) δ``), so the two layers add up to the
signed modularity of Gómez, Jensen and Arenas (2009) and each layer counts in proportion to its
total weight. ``ModularityVertexPartition`` divides each layer by its own total, which would give
the few hostile pairs of a month as much say as all its cooperation; it also has no resolution
parameter. CPM was not used because its null model is uniform: a country with warm ties to
many others (the USA talks to everyone) would pull them into its bloc by the sheer number of its
ties, which the configuration null discounts, and CPM's resolution would be in Goldstein
units. Countries are sorted before the graph is built, events are summed in a canonical order,
the optimiser is seeded, and blocs are renumbered (the anchor's bloc 0, then by size, then by
first member), so the result does not depend on input order.

Axis. Positions are the leading eigenvector of the same signed modularity matrix ``B``, degree-
normalised (the generalised problem ``B y = λ D y``, with ``D`` the total absolute weight of each
country): Newman's spectral bisection, i.e. the continuous relaxation of the split the partition
optimises. The plain signed adjacency was rejected because, with the news' positive bias, its
leading vector is the "everyone cooperates" direction, all one sign. ``y`` is scaled to unit
degree-weighted root mean square, so two perfectly opposed poles sit at about +1 and −1, and
oriented so the anchor is positive (or, if the anchor has no relations in the window, the country
with most partners; the report says so in ``notes``). ``eigenvalues`` holds the two leading
eigenvalues: when they are close, the network has no single dominant cleavage and the axis is
one of several (three mutually hostile blocs, say); read intervals with that in mind.
Intervals come from the Poisson bootstrap over stories of :mod:`cordiale.analysis.series`: each
replicate re-weights stories, rebuilds the matrix and recomputes the axis. Replicates are
oriented to agree with the point axis (sign of their degree-weighted inner product) rather than
by the anchor's sign alone: the two agree when the anchor sits clearly on one side, and an
anchor near the centre would otherwise flip replicates at random and blow up every interval.
Blocs are not bootstrapped (one Leiden run per replicate would exceed the time budget).

Balance: see :mod:`cordiale.analysis.balance`.

Drift. The axis is recomputed per period and oriented by the anchor in each period (by
agreement with the whole-window axis when the anchor is silent that period), and each country
gets an ordinary least-squares slope of position per period over the periods it appears in.
With ``boot`` the periods get intervals, and the slope an interval from the replicates; each
period draws its own story weights (seed + period number), which treats the rare story that
spans two periods as two.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from scipy import linalg
from scipy.sparse import linalg as sparse_linalg

from .balance import Balance, structural_balance
from .frame import FREQS, EventFrame, period_label, period_range, period_start
from .series import Bootstrap, dedupe, interval
from .sums import PairSums

PER_YEAR = {"day": 365.25, "week": 52.18, "month": 12.0, "quarter": 4.0, "year": 1.0}


# -- events to pairs -------------------------------------------------------------------------

@dataclass(frozen=True)
class _Events:
    """Deduplicated relational events in canonical order, coded by unordered country pair:
    one row per event (from a frame) or per story and pair (:class:`PairSums`), ``count``
    events summing to ``goldstein``. ``date`` is None for summed rows (no drift over them)."""

    countries: np.ndarray  # sorted codes; the index of every matrix
    pair: np.ndarray       # low * n + high, the undirected pair of each row
    goldstein: np.ndarray
    story: np.ndarray
    date: np.ndarray | None
    count: np.ndarray

    def take(self, mask: np.ndarray) -> _Events:
        return _Events(self.countries, self.pair[mask], self.goldstein[mask],
                       self.story[mask], None if self.date is None else self.date[mask],
                       self.count[mask])


def _events(data: EventFrame | PairSums, since: date | None, until: date | None) -> _Events:
    if isinstance(data, PairSums):  # already deduplicated, windowed, in a fixed order
        return _Events(data.countries, data.pair, data.goldstein, data.story, None, data.n)
    frame = data
    if since is not None or until is not None:
        frame = frame.between(since, until)
    keep = (frame.source != frame.target) & np.isfinite(frame.goldstein)
    if not keep.all():
        frame = frame.take(keep)
    frame = dedupe(frame)
    m = len(frame)
    codes = np.concatenate([frame.source.astype(str), frame.target.astype(str)])
    countries, idx = np.unique(codes, return_inverse=True)
    n = countries.shape[0]
    source, target = idx[:m].astype(np.int64), idx[m:].astype(np.int64)
    pair = np.minimum(source, target) * n + np.maximum(source, target)
    # sums below run in this order, so any permutation of the input gives identical floats
    order = np.lexsort((frame.goldstein, pair))
    return _Events(countries, pair[order], frame.goldstein[order],
                   frame.story.astype(str)[order], frame.date[order], np.ones(m))


@dataclass(frozen=True)
class Relations:
    """The undirected signed network of a window: one weight per pair of countries.

    ``weight`` is symmetric, the shrunk mean Goldstein ``sum / (events + pseudo)``, 0 on the
    diagonal and for pairs with fewer than ``min_events`` events; ``events`` counts each pair's
    deduplicated events, ``mean`` is their plain mean (NaN without events) and ``activity`` the
    events each country takes part in.
    """

    countries: list[str]
    weight: np.ndarray
    events: np.ndarray
    mean: np.ndarray
    activity: np.ndarray
    pseudo: float
    min_events: int

    def edges(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Upper-triangle pairs ``(i, j, weight)`` with a nonzero weight, in (i, j) order."""
        i, j = np.nonzero(np.triu(self.weight, 1))
        return i, j, self.weight[i, j]

    def between(self, a: str, b: str) -> float:
        """The weight of pair ``a``–``b`` (0 when either country is absent)."""
        try:
            i, j = self.countries.index(a.upper()), self.countries.index(b.upper())
        except ValueError:
            return 0.0
        return float(self.weight[i, j])


def _pair_sums(ev: _Events) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Observed pairs, each event's pair index among them, and per-pair counts and sums."""
    pairs, inverse = np.unique(ev.pair, return_inverse=True)
    count = np.bincount(inverse, weights=ev.count, minlength=pairs.shape[0])
    total = np.bincount(inverse, weights=ev.goldstein, minlength=pairs.shape[0])
    return pairs, inverse, count, total


def _shrink(count: np.ndarray, total: np.ndarray, pseudo: float, min_events: int) -> np.ndarray:
    return np.where(count >= max(min_events, 1), total / (count + pseudo), 0.0)


def _fill(n: int, pairs: np.ndarray, values: np.ndarray, empty: float = 0.0) -> np.ndarray:
    out = np.full((n, n), empty)
    i, j = np.divmod(pairs, n)
    out[i, j] = values
    out[j, i] = values
    return out


def _relations(ev: _Events, pseudo: float, min_events: int) -> Relations:
    n = ev.countries.shape[0]
    pairs, _, count, total = _pair_sums(ev)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / count
    events = _fill(n, pairs, count).astype(np.int64)
    return Relations(
        countries=ev.countries.tolist(),
        weight=_fill(n, pairs, _shrink(count, total, pseudo, min_events)),
        events=events, mean=_fill(n, pairs, mean, np.nan), activity=events.sum(axis=1),
        pseudo=pseudo, min_events=min_events,
    )


def relation_matrix(data: EventFrame | PairSums, *, since: date | None = None,
                    until: date | None = None, pseudo: float = 3.0,
                    min_events: int = 1) -> Relations:
    """The signed network of the window: shrunk mean Goldstein per unordered pair of countries.

    Events are deduplicated (:func:`cordiale.analysis.series.dedupe`), self-directed ones
    dropped, and both directions of a pair pooled, so ``weight`` is symmetric by construction.
    ``data`` is a frame of events, or the window's events already summed per story and pair
    (:func:`cordiale.analysis.sums.load_pair_sums`; the window is then the loader's).
    """
    return _relations(_events(data, since, until), pseudo, min_events)


# -- the axis --------------------------------------------------------------------------------

def _signed_modularity(weight: np.ndarray, resolution: float) -> np.ndarray:
    """``B = (W⁺ − γ k⁺k⁺ᵀ/2m⁺) − (W⁻ − γ k⁻k⁻ᵀ/2m⁻)``, the matrix both layers optimise."""
    positive = np.clip(weight, 0.0, None)
    negative = np.clip(-weight, 0.0, None)
    out = positive - negative
    for layer, sign in ((positive, -1.0), (negative, 1.0)):
        k = layer.sum(axis=1)
        if k.sum() > 0:
            out += sign * resolution * np.outer(k, k) / k.sum()
    return out


def _leading(matrix: np.ndarray, start: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """The two largest eigenvalues (descending) of a symmetric matrix, and the first vector.

    With a ``start`` vector near the answer (a bootstrap replicate starts from the point
    axis) Lanczos iteration needs a few dozen matrix-vector products instead of a full
    tridiagonalisation; it also stays off multithreaded level-3 BLAS, which slows small dense
    problems by an order of magnitude when the cores are shared.
    """
    size = matrix.shape[0]
    if start is not None and size > 32 and np.any(start):
        try:
            values, vectors = sparse_linalg.eigsh(matrix, k=2, which="LA", v0=start, tol=1e-10)
            order = np.argsort(values)[::-1]
            return values[order], vectors[:, order[0]]
        except sparse_linalg.ArpackNoConvergence:
            pass
    values, vectors = linalg.eigh(matrix, subset_by_index=[size - 2, size - 1],
                                  check_finite=False)
    return values[::-1], vectors[:, -1]


def main_component(weight: np.ndarray) -> np.ndarray:
    """Indices of the largest connected group of countries (ties: the one holding the lowest
    index). A month of news leaves small islands (two countries that dealt only with each
    other); an eigenvector of the whole matrix would sit on one island and put every other
    country at zero, so the axis is computed on the main network and islands get no position.
    """
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    linked = np.abs(weight) > 0
    degree = linked.sum(axis=1)
    active = np.flatnonzero(degree)
    if active.shape[0] == 0:
        return active
    if degree.max() == active.shape[0] - 1:  # one country deals with all others: connected
        return active
    _, labels = connected_components(csr_matrix(linked[np.ix_(active, active)]),
                                     directed=False)
    sizes = np.bincount(labels)
    return active[labels == int(np.argmax(sizes))]


def _axis(weight: np.ndarray, resolution: float,
          start: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Unoriented positions (NaN without relations) and the two leading eigenvalues.

    ``start`` is a guess at the positions (NaN allowed) to warm-start the eigensolver.
    """
    n = weight.shape[0]
    position = np.full(n, np.nan)
    eigenvalues = np.full(2, np.nan)
    strength = np.abs(weight).sum(axis=1)
    active = main_component(weight)
    size = active.shape[0]
    if size < 2:
        return position, eigenvalues
    k = strength[active]
    scale = 1.0 / np.sqrt(k)
    matrix = _signed_modularity(weight[np.ix_(active, active)], resolution)
    matrix *= scale[:, None] * scale[None, :]
    guess = None if start is None else np.nan_to_num(start[active]) / scale
    values, vector = _leading(matrix, guess)
    y = scale * vector
    norm = np.sqrt((k * y * y).sum() / k.sum())
    position[active] = y / norm if norm > 0 else y
    return position, values


def _agree(position: np.ndarray, reference: np.ndarray, strength: np.ndarray) -> float:
    both = np.isfinite(position) & np.isfinite(reference)
    return float((strength[both] * position[both] * reference[both]).sum())


def _orienter(countries: list[str], position: np.ndarray, partners: np.ndarray,
              activity: np.ndarray, anchor: str,
              window: str = "this window") -> tuple[int | None, str | None]:
    """The country whose position is made positive, and a note when it is not ``anchor``."""
    usable = np.isfinite(position) & (position != 0)
    if anchor in countries and usable[countries.index(anchor)]:
        return countries.index(anchor), None
    if not usable.any():
        return None, None
    candidates = np.flatnonzero(usable)
    # most partners, then most events, then the first code
    best = candidates[np.lexsort((-activity[candidates], -partners[candidates]))[0]]
    return int(best), (f"anchor {anchor} has no position in {window}; the axis is "
                       f"oriented so that {countries[best]} (most partners) is positive")


def _replicate_axes(ev: _Events, boot: Bootstrap, pseudo: float, min_events: int,
                    resolution: float, reference: np.ndarray) -> np.ndarray:
    """Bootstrap positions, replicates × countries, each oriented to agree with ``reference``."""
    n = ev.countries.shape[0]
    out = np.full((boot.replicates, n), np.nan)
    if boot.replicates == 0 or ev.pair.shape[0] == 0:
        return out
    pairs, inverse, _, _ = _pair_sums(ev)
    counts, totals = boot.sums(ev.story, inverse, pairs.shape[0], [ev.count, ev.goldstein])
    i, j = np.divmod(pairs, n)
    weight = np.zeros((n, n))
    for r in range(boot.replicates):
        w = _shrink(counts[r], totals[r], pseudo, min_events)
        weight[i, j] = w
        weight[j, i] = w
        position, _ = _axis(weight, resolution, start=reference)
        strength = np.abs(weight).sum(axis=1)
        out[r] = -position if _agree(position, reference, strength) < 0 else position
    return out


# -- blocs -----------------------------------------------------------------------------------

def _partition(relations: Relations, resolution: float, seed: int) -> np.ndarray:
    """Leiden blocs on the positive and negative layers; -1 for countries without relations."""
    import igraph as ig  # heavy, only for this measure
    import leidenalg as la

    n = len(relations.countries)
    i, j, w = relations.edges()
    layers, layer_weights = [], []
    for mask, sign in ((w > 0, 1.0), (w < 0, -1.0)):
        if mask.any():
            graph = ig.Graph(n=n, edges=np.column_stack([i[mask], j[mask]]).tolist())
            graph.es["weight"] = (sign * w[mask]).tolist()
            layers.append(la.RBConfigurationVertexPartition(
                graph, weights="weight", resolution_parameter=resolution))
            layer_weights.append(sign)
    membership = np.full(n, -1, dtype=np.int64)
    if not layers:
        return membership
    optimiser = la.Optimiser()
    optimiser.set_rng_seed(seed)
    # a country may belong with countries it has no tie to (the docs' advice for negative layers)
    optimiser.consider_comms = la.ALL_COMMS
    optimiser.optimise_partition_multiplex(layers, layer_weights=layer_weights, n_iterations=-1)
    placed = np.abs(relations.weight).sum(axis=1) > 0
    membership[placed] = np.asarray(layers[0].membership)[placed]
    return membership


def _canonical(membership: np.ndarray, anchor: int | None) -> np.ndarray:
    """Bloc ids 0.. with the anchor's bloc first, then by size, then by first member."""
    labels = [int(x) for x in np.unique(membership[membership >= 0])]

    def key(label: int) -> tuple[int, int, int]:
        members = np.flatnonzero(membership == label)
        return (0 if anchor is not None and membership[anchor] == label else 1,
                -members.shape[0], int(members[0]))

    out = np.full(membership.shape[0], -1, dtype=np.int64)
    for new, label in enumerate(sorted(labels, key=key)):
        out[membership == label] = new
    return out


@dataclass(frozen=True)
class Bloc:
    """A bloc: members, mean weight of related pairs inside and across, mean axis position."""

    id: int
    members: tuple[str, ...]
    warmth_within: float
    warmth_across: float
    position: float


@dataclass
class BlocReport:
    """Blocs, axis positions with 95% intervals, and balance for one window.

    Arrays are aligned with ``countries`` (sorted). ``bloc`` is -1 for countries without any
    relation; ``events`` counts a country's deduplicated events, ``partners`` the countries it
    has a nonzero weight with; ``warmth_bloc``/``warmth_others`` are mean weights over its
    related partners inside / outside its bloc. ``anchor`` is the country the axis is oriented
    by (``anchor_requested`` unless ``notes`` says otherwise); ``modularity`` is the signed
    modularity of the blocs, normalised by the network's total absolute weight.
    """

    countries: list[str]
    bloc: np.ndarray
    position: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    events: np.ndarray
    partners: np.ndarray
    warmth_bloc: np.ndarray
    warmth_others: np.ndarray
    blocs: list[Bloc]
    balance: Balance
    modularity: float
    eigenvalues: np.ndarray
    anchor: str | None
    anchor_requested: str
    resolution: float
    notes: list[str]
    relations: Relations = field(repr=False)
    replicates: np.ndarray = field(repr=False)  # bootstrap positions, replicates × countries

    def rows(self) -> list[dict[str, Any]]:
        """One plain dict per country, by bloc, then from the anchor's pole to the other."""
        order = sorted(range(len(self.countries)), key=lambda k: (
            self.bloc[k] < 0, self.bloc[k],
            -self.position[k] if np.isfinite(self.position[k]) else np.inf, self.countries[k]))
        return [{
            "country": self.countries[k],
            "bloc": int(self.bloc[k]) if self.bloc[k] >= 0 else None,
            "position": _r(self.position[k]),
            "position_low": _r(self.lower[k]),
            "position_high": _r(self.upper[k]),
            "events": int(self.events[k]),
            "partners": int(self.partners[k]),
            "warmth_bloc": _r(self.warmth_bloc[k]),
            "warmth_others": _r(self.warmth_others[k]),
        } for k in order]

    def bloc_rows(self) -> list[dict[str, Any]]:
        return [{"bloc": b.id, "size": len(b.members), "members": list(b.members),
                 "warmth_within": _r(b.warmth_within), "warmth_across": _r(b.warmth_across),
                 "position": _r(b.position)} for b in self.blocs]

    def summary(self) -> dict[str, Any]:
        return {"countries": len(self.countries), "blocs": len(self.blocs),
                "anchor": self.anchor, "anchor_requested": self.anchor_requested,
                "modularity": _r(self.modularity, 4),
                "eigenvalues": [_r(v, 4) for v in self.eigenvalues],
                "replicates": int(self.replicates.shape[0]), "resolution": self.resolution,
                "balance": self.balance.summary(), "notes": list(self.notes)}


def _mean_where(weight: np.ndarray, mask: np.ndarray) -> np.ndarray:
    mask = mask & (weight != 0)
    count = mask.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, (weight * mask).sum(axis=1) / count, np.nan)


def blocs(data: EventFrame | PairSums, *, since: date | None = None,
          until: date | None = None, anchor: str = "USA", seed: int = 0,
          resolution: float = 1.0, boot: Bootstrap | None = None, pseudo: float = 3.0,
          min_events: int = 1, shuffles: int = 200) -> BlocReport:
    """Blocs, a one-dimensional bloc axis with bootstrap intervals, and structural balance.

    ``data`` is a frame of events or the window's :class:`~cordiale.analysis.sums.PairSums`
    (what ``cordiale blocs`` reads), which give the same answer.

    ``boot`` defaults to ``Bootstrap(replicates=400, seed=seed)``; ``Bootstrap(0)`` skips the
    intervals. ``shuffles`` sign shuffles make the balance null model (seeded by ``seed``).
    """
    boot = boot if boot is not None else Bootstrap(seed=seed)
    anchor = anchor.upper()
    ev = _events(data, since, until)
    rel = _relations(ev, pseudo, min_events)
    countries = rel.countries
    n = len(countries)
    related = rel.weight != 0
    partners = related.sum(axis=1)
    position, eigenvalues = _axis(rel.weight, resolution)
    orient, note = _orienter(countries, position, partners, rel.activity, anchor)
    notes = [note] if note else []
    if n == 0:
        notes.append("no relational events in this window")
    islands = int((partners > 0).sum() - np.isfinite(position).sum())
    if islands > 0:
        notes.append(f"{islands} countries outside the main network of relations (they dealt "
                     "only with each other) have no position on the axis")
    if orient is not None and position[orient] < 0:
        position = -position
    replicates = _replicate_axes(ev, boot, pseudo, min_events, resolution, position)
    lower, upper = interval(replicates) if boot.replicates else (
        np.full(n, np.nan), np.full(n, np.nan))
    # On a sparse or weakly structured network the replicates' axes wander (another
    # eigenvector, a thin country made extreme) and a country's estimate can fall outside its
    # own bootstrap range: say so, and widen the interval to hold the estimate.
    with np.errstate(invalid="ignore"):
        outside = np.isfinite(position) & np.isfinite(lower) & (
            (position < lower) | (position > upper))
    if outside.any():
        notes.append(f"the axis is unstable in this window: for {int(outside.sum())} of "
                     f"{int(np.isfinite(position).sum())} countries the estimate fell outside "
                     "its bootstrap range (intervals widened to hold it); read positions as "
                     "rough")
        lower, upper = np.fmin(lower, position), np.fmax(upper, position)

    membership = _canonical(_partition(rel, resolution, seed), orient)
    same = membership[:, None] == membership[None, :]
    strength = np.abs(rel.weight).sum()
    bloc_list = []
    for b in range(int(membership.max()) + 1 if n else 0):
        inside = membership == b
        within = rel.weight[np.ix_(inside, inside)]
        across = rel.weight[np.ix_(inside, ~inside)]
        bloc_list.append(Bloc(
            id=b, members=tuple(c for c, m in zip(countries, inside, strict=True) if m),
            warmth_within=float(within[within != 0].mean()) if (within != 0).any() else np.nan,
            warmth_across=float(across[across != 0].mean()) if (across != 0).any() else np.nan,
            position=float(np.nanmean(position[inside])) if np.isfinite(
                position[inside]).any() else np.nan))
    modularity = float((_signed_modularity(rel.weight, resolution) * same).sum() / strength) \
        if strength > 0 else float("nan")
    return BlocReport(
        countries=countries, bloc=membership, position=position, lower=lower, upper=upper,
        events=rel.activity, partners=partners,
        warmth_bloc=_mean_where(rel.weight, same & (membership[:, None] >= 0)),
        warmth_others=_mean_where(rel.weight, ~same),
        blocs=bloc_list, balance=structural_balance(rel, shuffles=shuffles, seed=seed),
        modularity=modularity, eigenvalues=eigenvalues,
        anchor=countries[orient] if orient is not None else None, anchor_requested=anchor,
        resolution=resolution, notes=notes, relations=rel, replicates=replicates,
    )


# -- drift -----------------------------------------------------------------------------------

@dataclass
class Drift:
    """Each country's axis position per period, and the slope of its position over time.

    ``position`` (countries × periods) is NaN where a country has no relations; ``lower``/
    ``upper`` are 95% bootstrap intervals (NaN without ``boot``). ``anchors`` names, per period,
    the country whose position was made positive (``None`` when the period was oriented by
    agreement with the whole window). ``slope`` is position per period (OLS over the periods a
    country appears in, ``periods_used``), ``per_year`` the same per year; positive means
    moving toward the anchor's pole.
    """

    freq: str
    periods: np.ndarray
    countries: list[str]
    position: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    events: np.ndarray
    anchors: list[str | None]
    eigenvalues: np.ndarray
    slope: np.ndarray
    slope_lower: np.ndarray
    slope_upper: np.ndarray
    per_year: np.ndarray
    periods_used: np.ndarray
    anchor_requested: str
    notes: list[str]

    @property
    def labels(self) -> list[str]:
        return [period_label(p, self.freq) for p in self.periods]

    def rows(self) -> list[dict[str, Any]]:
        """One plain dict per country: slope, then the position in each period by label."""
        labels = self.labels
        out = []
        for k, country in enumerate(self.countries):
            row: dict[str, Any] = {
                "country": country, "periods_used": int(self.periods_used[k]),
                "slope_per_period": _r(self.slope[k], 4), "slope_low": _r(self.slope_lower[k], 4),
                "slope_high": _r(self.slope_upper[k], 4), "slope_per_year": _r(self.per_year[k]),
            }
            row.update({label: _r(self.position[k, t]) for t, label in enumerate(labels)})
            out.append(row)
        return out

    def series_rows(self) -> list[dict[str, Any]]:
        """One plain dict per country and period (long form, for charts)."""
        return [{"country": country, "period": label, "position": _r(self.position[k, t]),
                 "position_low": _r(self.lower[k, t]), "position_high": _r(self.upper[k, t]),
                 "events": int(self.events[k, t])}
                for k, country in enumerate(self.countries)
                for t, label in enumerate(self.labels)]


def _slopes(position: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """OLS slope along the last axis over finite entries (NaN with fewer than two)."""
    t = np.broadcast_to(np.arange(position.shape[-1], dtype=float), position.shape)
    ok = np.isfinite(position)
    used = ok.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        t_mean = np.where(ok, t, 0).sum(axis=-1) / used
        y_mean = np.where(ok, position, 0).sum(axis=-1) / used
        dt = np.where(ok, t - t_mean[..., None], 0)
        dy = np.where(ok, position - y_mean[..., None], 0)
        slope = (dt * dy).sum(axis=-1) / (dt * dt).sum(axis=-1)
    return np.where(used >= 2, slope, np.nan), used


def drift(frame: EventFrame, *, freq: str = "quarter", since: date | None = None,
          until: date | None = None, anchor: str = "USA", resolution: float = 1.0,
          pseudo: float = 3.0, min_events: int = 1, boot: Bootstrap | None = None) -> Drift:
    """Axis positions per period, oriented by ``anchor`` each period, and per-country slopes."""
    if freq not in FREQS:
        raise ValueError(f"unknown frequency {freq!r}; use one of {', '.join(FREQS)}")
    anchor = anchor.upper()
    ev = _events(frame, since, until)
    assert ev.date is not None  # a frame's events keep their dates
    countries = ev.countries.tolist()
    n = len(countries)
    first = np.datetime64(since, "D") if since is not None else (
        ev.date.min() if ev.date.shape[0] else None)
    last = np.datetime64(until, "D") if until is not None else (
        ev.date.max() if ev.date.shape[0] else None)
    periods = period_range(first, last, freq) if first is not None and last is not None \
        and first <= last else np.array([], dtype="datetime64[D]")
    n_p = periods.shape[0]
    period = np.searchsorted(periods, period_start(ev.date, freq)) if n_p else \
        np.zeros(0, dtype=np.int64)

    whole = _relations(ev, pseudo, min_events)
    reference, _ = _axis(whole.weight, resolution)
    orient, note = _orienter(countries, reference, (whole.weight != 0).sum(axis=1),
                             whole.activity, anchor, "the whole window")
    notes = [note] if note else []
    if orient is not None and reference[orient] < 0:
        reference = -reference

    replicates = boot.replicates if boot is not None else 0
    position = np.full((n, n_p), np.nan)
    samples = np.full((replicates, n, n_p), np.nan)
    events = np.zeros((n, n_p), dtype=np.int64)
    eigenvalues = np.full((n_p, 2), np.nan)
    anchors: list[str | None] = []
    for t in range(n_p):
        sub = ev.take(period == t)
        rel = _relations(sub, pseudo, min_events)
        events[:, t] = rel.activity
        pos, eigenvalues[t] = _axis(rel.weight, resolution)
        strength = np.abs(rel.weight).sum(axis=1)
        if anchor in countries and np.isfinite(pos[countries.index(anchor)]) \
                and pos[countries.index(anchor)] != 0:
            anchors.append(anchor)
            flip = pos[countries.index(anchor)] < 0
        else:
            anchors.append(None)
            flip = _agree(pos, reference, strength) < 0
            if np.isfinite(pos).any():
                notes.append(f"{period_label(periods[t], freq)}: {anchor} has no relations; "
                             "oriented by agreement with the whole-window axis")
        position[:, t] = -pos if flip else pos
        if boot is not None and replicates:
            period_boot = Bootstrap(replicates=replicates, seed=boot.seed + t)
            samples[:, :, t] = _replicate_axes(sub, period_boot, pseudo, min_events, resolution,
                                               position[:, t])

    slope, used = _slopes(position)
    if replicates:
        lower, upper = interval(samples)
        slope_lower, slope_upper = interval(_slopes(samples)[0])
    else:
        lower = upper = np.full((n, n_p), np.nan)
        slope_lower = slope_upper = np.full(n, np.nan)
    return Drift(
        freq=freq, periods=periods, countries=countries, position=position, lower=lower,
        upper=upper, events=events, anchors=anchors, eigenvalues=eigenvalues, slope=slope,
        slope_lower=slope_lower, slope_upper=slope_upper, per_year=slope * PER_YEAR[freq],
        periods_used=used, anchor_requested=anchor, notes=notes,
    )


def _r(value: Any, digits: int = 3) -> float | None:
    return None if value is None or not np.isfinite(value) else round(float(value), digits)
