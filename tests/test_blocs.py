"""Blocs, the bloc axis, structural balance and drift, validated on planted truth.

Synthetic streams plant blocs (warm inside, hostile across) with noise, missing dyads, uneven
activity, multi-event stories and duplicate reports; the measures must recover what was planted.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date, timedelta

import numpy as np
import pytest
from scipy.special import comb

from cordiale.analysis.blocs import (
    Balance,
    BlocReport,
    Drift,
    blocs,
    drift,
    relation_matrix,
    structural_balance,
)
from cordiale.analysis.frame import EventFrame
from cordiale.analysis.series import Bootstrap

WARM, HOSTILE = 4.0, -4.0
FAST = Bootstrap(replicates=60, seed=0)
POSITIVE = ("042", "051", "057", "061")
NEGATIVE = ("111", "112", "130", "173")


def bloc_codes(sizes: Sequence[int]) -> list[list[str]]:
    """Country codes per planted bloc; USA heads bloc 0, the others are made-up codes."""
    out = []
    for b, size in enumerate(sizes):
        codes = [f"{'PQRSTU'[b]}{k:02d}" for k in range(size)]
        if b == 0:
            codes[0] = "USA"
        out.append(codes)
    return out


def stream(
    blocs_: Sequence[Sequence[str]],
    mean: Callable[[str, str], float | None],
    *,
    seed: int = 0,
    observe: float = 0.7,
    rate: float = 3.0,
    noise: float = 0.1,
    start: date = date(2024, 1, 1),
    days: int = 28,
    prefix: str = "",
) -> list[dict]:
    """Event records for every observed pair; ``mean(a, b)`` is the pair's planted warmth.

    Pairs are observed with probability ``observe`` (``mean`` returning None hides a pair);
    event counts follow log-normal country activity; a share ``noise`` of scores is uniform
    on [-10, 10]; events come in stories of one to three, and one in five is reported twice.
    """
    rng = np.random.default_rng(seed)
    countries = [c for group in blocs_ for c in group]
    activity = dict(zip(countries, rng.lognormal(0.0, 0.7, len(countries)), strict=True))
    records: list[dict] = []
    story = 0
    for x, a in enumerate(countries):
        for b in countries[x + 1:]:
            mu = mean(a, b)
            if mu is None or rng.random() > observe:
                continue
            count = 1 + rng.poisson(rate * activity[a] * activity[b])
            left = 0
            for _ in range(count):
                if left == 0:
                    story, left = story + 1, int(rng.integers(1, 4))
                left -= 1
                score = rng.uniform(-10, 10) if rng.random() < noise else \
                    float(np.clip(rng.normal(mu, 2.5), -10, 10))
                source, target = (a, b) if rng.random() < 0.5 else (b, a)
                record = {
                    "date": start + timedelta(days=int(rng.integers(0, days))),
                    "source": source, "target": target, "goldstein": round(score, 1),
                    "cameo": str(rng.choice(POSITIVE if score >= 0 else NEGATIVE)),
                    "story": f"{prefix}s{story}",
                }
                records.append(record)
                if rng.random() < 0.2:
                    records.append(dict(record))
    for k, record in enumerate(records):
        record["event_id"] = f"{prefix}e{k}"
    return records


def planted_means(blocs_: Sequence[Sequence[str]],
                  across: dict[tuple[int, int], float] | None = None) -> Callable:
    home = {c: b for b, group in enumerate(blocs_) for c in group}

    def mean(a: str, b: str) -> float:
        x, y = sorted((home[a], home[b]))
        if x == y:
            return WARM
        return (across or {}).get((x, y), HOSTILE)

    return mean


def truth(report: BlocReport, blocs_: Sequence[Sequence[str]]) -> tuple[list[int], list[int]]:
    home = {c: b for b, group in enumerate(blocs_) for c in group}
    return [home[c] for c in report.countries], [int(b) for b in report.bloc]


def adjusted_rand(a: Sequence[int], b: Sequence[int]) -> float:
    """Hubert and Arabie's adjusted Rand index of two labelings."""
    _, ai = np.unique(a, return_inverse=True)
    _, bi = np.unique(b, return_inverse=True)
    table = np.zeros((ai.max() + 1, bi.max() + 1))
    np.add.at(table, (ai, bi), 1)
    index = comb(table, 2).sum()
    rows, cols = comb(table.sum(axis=1), 2).sum(), comb(table.sum(axis=0), 2).sum()
    expected = rows * cols / comb(len(a), 2)
    return float((index - expected) / ((rows + cols) / 2 - expected))


# -- relations -------------------------------------------------------------------------------

def test_relation_matrix_shrinks_toward_zero_pools_directions_and_dedupes() -> None:
    frame = EventFrame.from_records([
        {"date": "2024-01-02", "source": "AAA", "target": "BBB", "goldstein": 4, "story": "1"},
        {"date": "2024-01-03", "source": "BBB", "target": "AAA", "goldstein": 4, "story": "2"},
        {"date": "2024-01-04", "source": "AAA", "target": "BBB", "goldstein": 4, "story": "3"},
        # the same event told twice in one story counts once
        {"date": "2024-01-04", "source": "AAA", "target": "BBB", "goldstein": 4, "story": "3"},
        {"date": "2024-01-05", "source": "CCC", "target": "AAA", "goldstein": -10, "story": "4"},
        {"date": "2024-01-05", "source": "CCC", "target": "CCC", "goldstein": 9, "story": "5"},
    ])
    rel = relation_matrix(frame, pseudo=3.0)
    assert rel.countries == ["AAA", "BBB", "CCC"]
    assert rel.between("AAA", "BBB") == pytest.approx(12 / 6)
    assert rel.between("BBB", "AAA") == rel.between("AAA", "BBB")
    assert rel.between("AAA", "CCC") == pytest.approx(-10 / 4)
    assert rel.events[0, 1] == 3 and rel.events[0, 2] == 1
    assert rel.weight[2, 2] == 0  # self-directed events are domestic, not relations
    assert list(rel.activity) == [4, 3, 1]
    assert relation_matrix(frame, min_events=2).between("AAA", "CCC") == 0
    assert relation_matrix(frame, until=date(2024, 1, 3)).between("AAA", "BBB") == \
        pytest.approx(8 / 5)


def test_relation_matrix_is_symmetric_and_ignores_direction() -> None:
    groups = bloc_codes([8, 8])
    records = stream(groups, planted_means(groups), seed=3)
    rel = relation_matrix(EventFrame.from_records(records))
    assert np.array_equal(rel.weight, rel.weight.T)
    assert np.array_equal(rel.events, rel.events.T)
    flipped = [{**r, "source": r["target"], "target": r["source"]} for r in records]
    assert np.array_equal(relation_matrix(EventFrame.from_records(flipped)).weight, rel.weight)


# -- blocs and axis --------------------------------------------------------------------------

@pytest.mark.parametrize("seed", [0, 1, 2])
def test_planted_blocs_are_recovered(seed: int) -> None:
    groups = bloc_codes([12, 10, 9])
    frame = EventFrame.from_records(stream(groups, planted_means(groups), seed=seed))
    report = blocs(frame, boot=Bootstrap(0))
    planted, found = truth(report, groups)
    assert adjusted_rand(planted, found) >= 0.9
    assert report.bloc[report.countries.index("USA")] == 0  # the anchor's bloc comes first
    assert report.modularity > 0


def test_axis_separates_opposed_blocs_with_anchor_positive() -> None:
    groups = bloc_codes([12, 11, 9])
    # blocs 0 and 1 are opposed; bloc 2 keeps a cool distance from both
    means = planted_means(groups, {(0, 1): -5.0, (0, 2): -0.5, (1, 2): -0.5})
    report = blocs(EventFrame.from_records(stream(groups, means, seed=4)), boot=FAST)
    pos = dict(zip(report.countries, report.position, strict=True))
    assert report.anchor == "USA" and pos["USA"] > 0 and not report.notes
    assert min(pos[c] for c in groups[0]) > 0 > max(pos[c] for c in groups[1])
    assert all(abs(pos[c]) < 0.5 for c in groups[2])
    inside = (report.lower <= report.position) & (report.position <= report.upper)
    assert inside.mean() >= 0.9
    assert np.all(report.upper - report.lower > 0)


def test_missing_anchor_falls_back_to_the_country_with_most_partners() -> None:
    groups = bloc_codes([10, 10])
    frame = EventFrame.from_records(stream(groups, planted_means(groups), seed=5))
    report = blocs(frame, anchor="ZZZ", boot=Bootstrap(0))
    assert report.anchor_requested == "ZZZ" and report.anchor in report.countries
    k = report.countries.index(report.anchor)
    assert report.partners[k] == report.partners.max()
    assert report.position[k] > 0 and report.bloc[k] == 0
    assert "ZZZ" in report.notes[0] and report.anchor in report.notes[0]


def random_signs(seed: int) -> Callable[[str, str], float]:
    rng = np.random.default_rng(seed)
    signs: dict[tuple[str, str], float] = {}
    return lambda a, b: signs.setdefault((a, b), float(rng.choice([WARM, HOSTILE])))


def test_strict_balance_high_for_two_camps_near_null_for_random_signs() -> None:
    groups = bloc_codes([15, 15])
    balanced = blocs(EventFrame.from_records(stream(groups, planted_means(groups), seed=6,
                                                    noise=0.0)), boot=Bootstrap(0)).balance
    random = blocs(EventFrame.from_records(stream(groups, random_signs(7), seed=6, noise=0.0)),
                   boot=Bootstrap(0)).balance
    assert isinstance(balanced, Balance) and balanced.triangles > 500
    assert balanced.share > 0.95 and balanced.z > 5 and balanced.p_value == 1 / 201
    assert balanced.weighted.p_value == 1 / 201
    assert abs(random.z) < 3 and random.p_value > 0.05
    assert abs(random.weighted.z) < 3 and random.weighted.p_value > 0.05
    assert abs(random.strict.observed - random.strict.null_mean) < 3 * random.strict.null_sd


def test_weak_balance_accepts_three_mutually_hostile_camps() -> None:
    groups = bloc_codes([10, 10, 10])
    balance = blocs(EventFrame.from_records(stream(groups, planted_means(groups), seed=6,
                                                   noise=0.0)), boot=Bootstrap(0)).balance
    # every triangle with one country from each camp is (-,-,-): strictly unbalanced
    assert 0.6 < balance.strict.observed < 0.85 and balance.strict.p_value == 1 / 201
    assert balance.weak.observed > 0.95 and balance.weak.z > 5
    random = blocs(EventFrame.from_records(stream(groups, random_signs(8), seed=6, noise=0.0)),
                   boot=Bootstrap(0)).balance
    assert abs(random.weak.z) < 3 and random.weak.p_value > 0.05


def test_balance_counts_triangles_exactly() -> None:
    def rec(a: str, b: str, g: float, k: int) -> dict:
        return {"date": "2024-01-01", "source": a, "target": b, "goldstein": g, "story": str(k)}

    # A-B-C (+,+,+) balanced; A-B-D (+,+,-) unbalanced either way; C-E-F (-,-,-) weakly
    # only; G-H-I (+,-,-) balanced either way
    frame = EventFrame.from_records([
        rec("AAA", "BBB", 5, 1), rec("BBB", "CCC", 5, 2), rec("AAA", "CCC", 5, 3),
        rec("AAA", "DDD", 5, 4), rec("BBB", "DDD", -5, 5),
        rec("CCC", "EEE", -5, 6), rec("EEE", "FFF", -5, 7), rec("CCC", "FFF", -5, 8),
        rec("GGG", "HHH", 5, 9), rec("HHH", "III", -5, 10), rec("GGG", "III", -5, 11)])
    balance = structural_balance(relation_matrix(frame), shuffles=50)
    assert balance.triangles == 4
    assert balance.strict.observed == pytest.approx(2 / 4)
    assert balance.weak.observed == pytest.approx(3 / 4)
    assert balance.weighted.observed == pytest.approx(2 / 4)
    # weights scale the weighted share: a strong balanced triangle outweighs a faint one
    frame = EventFrame.from_records([
        rec("AAA", "BBB", 8, 1), rec("BBB", "CCC", 8, 2), rec("AAA", "CCC", 8, 3),
        rec("AAA", "DDD", 1, 4), rec("BBB", "DDD", -1, 5)])
    balance = structural_balance(relation_matrix(frame, pseudo=0.0), shuffles=50)
    assert balance.strict.observed == pytest.approx(0.5)
    assert balance.weighted.observed == pytest.approx(512 / (512 + 8))


def test_results_do_not_depend_on_input_order_or_story_names() -> None:
    groups = bloc_codes([9, 8, 8])
    records = stream(groups, planted_means(groups), seed=8)
    base = blocs(EventFrame.from_records(records), boot=FAST)
    shuffled = [records[k] for k in np.random.default_rng(1).permutation(len(records))]
    again = blocs(EventFrame.from_records(shuffled), boot=FAST)
    assert again.rows() == base.rows() and again.bloc_rows() == base.bloc_rows()
    assert again.summary() == base.summary()
    assert np.array_equal(again.replicates, base.replicates, equal_nan=True)
    # renaming stories (one to one) leaves every point estimate; only the draws are relabelled
    renamed = blocs(EventFrame.from_records([{**r, "story": f"x-{r['story']}-y"}
                                             for r in shuffled]), boot=FAST)
    assert np.array_equal(renamed.bloc, base.bloc)
    assert np.array_equal(renamed.position, base.position)
    assert renamed.balance == base.balance
    width = np.nanmedian(base.upper - base.lower)
    assert np.nanmedian(renamed.upper - renamed.lower) == pytest.approx(width, rel=0.5)


def test_rows_are_plain_json() -> None:
    groups = bloc_codes([6, 6])
    report = blocs(EventFrame.from_records(stream(groups, planted_means(groups), seed=9)),
                   boot=Bootstrap(20))
    rows = report.rows()
    assert len(rows) == 12 and set(rows[0]) >= {"country", "bloc", "position", "position_low",
                                                 "position_high", "events", "partners",
                                                 "warmth_bloc", "warmth_others"}
    json.dumps(rows, allow_nan=False)
    json.dumps(report.bloc_rows(), allow_nan=False)
    json.dumps(report.summary(), allow_nan=False)
    bloc_of = {r["country"]: r["bloc"] for r in rows}
    assert rows[0]["country"] in groups[0] and bloc_of["USA"] == 0
    assert all(r["warmth_bloc"] > 0 > r["warmth_others"] for r in rows)


def test_empty_window() -> None:
    report = blocs(EventFrame.empty(), boot=Bootstrap(10))
    assert report.rows() == [] and report.blocs == [] and report.anchor is None
    assert report.notes and report.balance.triangles == 0
    assert drift(EventFrame.empty()).rows() == []


# -- drift -----------------------------------------------------------------------------------

def test_drift_shows_a_country_moving_between_blocs() -> None:
    groups = bloc_codes([10, 10])
    mover = groups[0][-1]
    records: list[dict] = []
    for quarter in range(4):
        share = quarter / 3  # how far the mover has gone over to bloc 1

        def mean(a: str, b: str, share: float = share) -> float:
            if mover in (a, b):
                other = b if a == mover else a
                toward = HOSTILE if other in groups[0] else WARM
                away = WARM if other in groups[0] else HOSTILE
                return (1 - share) * away + share * toward
            return planted_means(groups)(a, b)

        records += stream(groups, mean, seed=10 + quarter, start=date(2024, 3 * quarter + 1, 1),
                          days=89, prefix=f"q{quarter}")
    result = drift(EventFrame.from_records(records), freq="quarter", boot=Bootstrap(40))
    assert isinstance(result, Drift)
    assert result.labels == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]
    assert result.anchors == ["USA"] * 4
    k = result.countries.index(mover)
    assert result.position[k, 0] > 0 > result.position[k, -1]
    assert result.slope[k] < 0 and result.slope_upper[k] < 0
    others = np.delete(result.slope, k)
    assert result.slope[k] < 3 * np.nanmin(others) and np.all(np.abs(others) < 0.2)
    assert result.per_year[k] == pytest.approx(4 * result.slope[k])
    row = next(r for r in result.rows() if r["country"] == mover)
    assert row["2024-Q1"] > 0 > row["2024-Q4"] and row["periods_used"] == 4
    json.dumps(result.rows(), allow_nan=False)
    json.dumps(result.series_rows(), allow_nan=False)


def test_drift_orients_by_the_whole_window_when_anchor_is_silent() -> None:
    groups = bloc_codes([8, 8])
    means = planted_means(groups)
    records = stream(groups, means, seed=11, start=date(2024, 1, 1), days=89, prefix="a")
    silent = stream(groups, lambda a, b: None if "USA" in (a, b) else means(a, b), seed=12,
                    start=date(2024, 4, 1), days=89, prefix="b")
    result = drift(EventFrame.from_records(records + silent))
    assert result.anchors == ["USA", None] and any("2024-Q2" in n for n in result.notes)
    usa_bloc = [result.countries.index(c) for c in groups[0][1:]]
    assert np.all(result.position[usa_bloc] > 0)


def test_drift_rejects_unknown_frequency() -> None:
    with pytest.raises(ValueError, match="frequency"):
        drift(EventFrame.empty(), freq="fortnight")


def test_two_hundred_countries_smoke() -> None:
    """A larger network runs end to end (not timed; the scale benchmark lives in bench/)."""
    groups = bloc_codes([60, 50, 50, 40])
    frame = EventFrame.from_records(stream(groups, planted_means(groups), seed=13,
                                           observe=0.15, rate=1.0))
    report = blocs(frame, boot=Bootstrap(10), shuffles=20)
    assert len(report.countries) == 200 and report.replicates.shape == (10, 200)
    planted, found = truth(report, groups)
    assert adjusted_rand(planted, found) >= 0.9
