"""Change points: exact PELT on hand-made arrays, and recovery of planted changes.

Synthetic truth: :func:`stream` writes a dyad's events month by month with a planted mean
Goldstein per regime, Gaussian event noise (clipped to the scale), optional month-to-month
noise (a summit month, an incident: the between-period variance real news has), uneven and
growing monthly volume, and outlets drawn at random. Seeds are fixed, so every figure the
docstrings quote is reproducible.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from itertools import pairwise
from typing import Any

import numpy as np
import pytest

from cordiale.analysis.changes import ChangeReport, detect_changes, diff_scale, pelt
from cordiale.analysis.frame import EventFrame
from cordiale.analysis.series import Bootstrap, dyad_series

BOOT = Bootstrap(replicates=100)


def stream(seed: int, *, months: int = 120, levels: Sequence[tuple[int, float]] = ((0, 1.0),),
           volume: tuple[float, float] = (20, 120), noise: float = 4.0,
           month_noise: float = 0.0, outlets: int = 8, prefix: str = "e") -> list[dict[str, Any]]:
    """Events of USA–CHN from 2010-01: ``levels`` are (first month, mean) of each regime."""
    rng = np.random.default_rng(seed)
    volumes = rng.poisson(np.linspace(volume[0], volume[1], months)).clip(min=1)
    first = np.datetime64("2010-01")
    records = []
    for m in range(months):
        level = [mean for at, mean in levels if at <= m][-1] + rng.normal(0, month_noise)
        k = int(volumes[m])
        scores = np.clip(rng.normal(level, noise, k), -10, 10).round(1)
        days = rng.integers(0, 28, k)
        publishers = rng.integers(0, outlets, k)
        flip = rng.random(k) < 0.5
        day0 = (first + m).astype("datetime64[D]")
        for i in range(k):
            records.append({
                "event_id": f"{prefix}{seed}-{m}-{i}", "date": str(day0 + int(days[i])),
                "source": "CHN" if flip[i] else "USA", "target": "USA" if flip[i] else "CHN",
                "goldstein": float(scores[i]), "cameo": "042",
                "story": f"{prefix}s{seed}-{m}-{i}", "publisher": f"outlet{publishers[i]}",
            })
    return records


def found(records: list[dict[str, Any]], **kw: Any) -> list[int]:
    report = detect_changes(EventFrame.from_records(records), "usa", "chn",
                            robustness=False, boot=BOOT, **kw)
    return [c.index for c in report.changes]


def recovered(got: list[int], planted: list[int], tolerance: int = 1) -> bool:
    return len(got) == len(planted) and all(
        abs(g - p) <= tolerance for g, p in zip(got, planted, strict=True))


# -- pelt on hand-made arrays ------------------------------------------------------------------

def test_pelt_single_step() -> None:
    assert pelt([0, 0, 0, 10, 10, 10], penalty=1.0) == [3]
    assert pelt([0, 0, 0, 10, 10, 10]) == [3]  # default penalty: scale from the differences


def test_pelt_two_steps_and_flat() -> None:
    assert pelt([0, 0, 5, 5, 5, -5, -5], penalty=1.0, min_size=2) == [2, 5]
    assert pelt([3.0] * 8, penalty=1.0) == []
    assert pelt([3.0] * 8) == []  # no spread at all: no scale, no change


def test_pelt_penalty_decides() -> None:
    """One step of 2 over 4+4 points: cost 8 without the change; a penalty of 7.9 buys it."""
    values = [0, 0, 0, 0, 2, 2, 2, 2]
    assert pelt(values, penalty=7.9) == [4]
    assert pelt(values, penalty=8.1) == []


def test_pelt_min_size_spike() -> None:
    """A one-period spike cannot be a segment of its own when min_size is 2.

    Segmentations of [0, 0, 10, 0, 0, 0] into runs of ≥ 2 cost: none 83.3, [2] 75,
    [3] 66.7, [2, 4] 50; with penalty 1 the best is [2, 4] (52), with min_size 1 [2, 3] (2).
    """
    assert pelt([0, 0, 10, 0, 0, 0], penalty=1.0, min_size=2) == [2, 4]
    assert pelt([0, 0, 10, 0, 0, 0], penalty=1.0, min_size=1) == [2, 3]
    assert pelt([0, 0, 10, 0, 0, 0], penalty=1.0, min_size=3) == [3]
    assert pelt([0, 10, 0], penalty=1.0, min_size=2) == []  # too short to split at all


def test_pelt_weights_zero_and_nan_carry_no_cost() -> None:
    assert pelt([0, 0, 0, 100, 0, 0], [1, 1, 1, 0, 1, 1], penalty=1.0, min_size=1) == []
    assert pelt([0, 0, 0, np.nan, 0, 0], penalty=1.0, min_size=1) == []


def test_pelt_weights_move_the_optimum() -> None:
    """[0, 0, 6, 10, 10], min_size 2: with equal weights the 6 joins the 10s (cost 10.67
    against 24 with the 0s); with weight 0.1 on each 0, joining them costs 0.2·5² + 1² = 6
    against 10.67, so the change moves to 3."""
    assert pelt([0, 0, 6, 10, 10], penalty=1.0, min_size=2) == [2]
    assert pelt([0, 0, 6, 10, 10], [0.1, 0.1, 1, 1, 1], penalty=1.0, min_size=2) == [3]


def test_pelt_change_in_a_gap_starts_where_data_resume() -> None:
    assert pelt([0, 1, np.nan, np.nan, np.nan, 9, 10, 9], penalty=1.0, min_size=1) == [5]


def test_pelt_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="min_size"):
        pelt([1, 2, 3], min_size=0)
    with pytest.raises(ValueError, match="weights"):
        pelt([1, 2, 3], [1, 1])
    with pytest.raises(ValueError, match="penalty"):
        pelt([1, 2, 3, 4], penalty=-1.0, min_size=1)
    assert pelt([], penalty=1.0) == []


def test_diff_scale() -> None:
    rng = np.random.default_rng(0)
    noise = rng.normal(0, 2.0, 4000)
    assert diff_scale(noise) == pytest.approx(4.0, rel=0.1)
    weights = rng.integers(1, 50, 4000).astype(float)
    assert diff_scale(noise / np.sqrt(weights), weights) == pytest.approx(4.0, rel=0.1)
    assert diff_scale([1.0]) is None


def _optimal_partition(y: np.ndarray, w: np.ndarray, penalty: float, min_size: int) -> float:
    """Unpruned optimal partitioning (Jackson et al. 2005): the reference PELT must match."""
    n = y.shape[0]

    def cost(s: int, t: int) -> float:
        ws, ys = w[s:t], y[s:t]
        if ws.sum() == 0:
            return 0.0
        mean = (ws * ys).sum() / ws.sum()
        return float((ws * (ys - mean) ** 2).sum())

    best = [math.inf] * (n + 1)
    best[0] = -penalty
    for t in range(min_size, n + 1):
        best[t] = min(best[s] + cost(s, t) + penalty
                      for s in range(0, t - min_size + 1) if s == 0 or s >= min_size)
    return best[n]


def _objective(y: np.ndarray, w: np.ndarray, cps: list[int], penalty: float) -> float:
    bounds = [0, *cps, y.shape[0]]
    total = penalty * len(cps)
    for s, t in pairwise(bounds):
        ws, ys = w[s:t], y[s:t]
        if ws.sum() > 0:
            total += float((ws * (ys - (ws * ys).sum() / ws.sum()) ** 2).sum())
    return total


@pytest.mark.parametrize("seed", range(30))
def test_pelt_is_exact(seed: int) -> None:
    """Pruning (retired min_size periods late) loses nothing: same cost as the full search."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(4, 40))
    y = rng.normal(0, 1, n) + np.repeat(rng.normal(0, 3, 4), -(-n // 4))[:n]
    w = rng.integers(0, 20, n).astype(float)
    min_size = int(rng.integers(1, 5))
    penalty = float(rng.uniform(0.5, 30))
    cps = pelt(y, w, penalty=penalty, min_size=min_size)
    bounds = [0, *cps, n]
    assert all(t - s >= min_size for s, t in pairwise(bounds))
    if n >= 2 * min_size:
        reference = _optimal_partition(y, w, penalty, min_size)
        assert _objective(y, w, cps, penalty) == pytest.approx(reference, abs=1e-7)
    else:
        assert cps == []


# -- recovery of planted changes ---------------------------------------------------------------

def test_recovers_one_change_of_several_sizes() -> None:
    """A planted change is found at its month within ±1 period, nothing else, in every seed.

    Cooling of 3 points (event sd 4, 20→120 events a month) and warming of 1.5 points (event
    sd 5, 30→120 a month, month-to-month noise sd 0.2), five seeds each: 10 of 10 recovered.
    """
    for seed in range(5):
        assert recovered(found(stream(seed, levels=((0, 2.0), (60, -1.0)), month_noise=0.2)),
                         [60]), seed
        assert recovered(found(stream(seed, levels=((0, 0.0), (70, 1.5)), noise=5.0,
                                      volume=(30, 120), month_noise=0.2)), [70]), seed


def test_recovers_two_changes() -> None:
    """Warming by 3 at month 40, cooling by 2.5 at 85 (month noise sd 0.3): both within ±1."""
    for seed in range(5):
        got = found(stream(seed, levels=((0, 1.0), (40, 4.0), (85, 1.5)), month_noise=0.3))
        assert recovered(got, [40, 85]), (seed, got)


def test_uneven_volume_and_quiet_months() -> None:
    """A thin first regime (4–20 events a month, every fourth month empty) still locates the
    change within ±1."""
    for seed in range(3):
        records = [r for r in stream(seed, levels=((0, 3.0), (30, -2.0)), volume=(4, 150))
                   if not (int(r["event_id"].split("-")[1]) < 30
                           and int(r["event_id"].split("-")[1]) % 4 == 1)]
        assert recovered(found(records), [30]), seed


def test_no_change_in_stationary_series_with_rising_volume() -> None:
    """False positives: 10 seeds of a flat dyad whose volume grows 10 → 400 events a month,
    with month-to-month noise sd 0.3; at most 1 of 10 may show any change (measured: 1, seed 2;
    over 50 seeds 4, and 1 of 50 without month noise)."""
    false = sum(bool(found(stream(seed, volume=(10, 400), month_noise=0.3)))
                for seed in range(10))
    assert false <= 1


# -- the report: shift, drivers, segments ------------------------------------------------------

def _burst(records: list[dict[str, Any]], first_month: int, months: int, per_month: int,
           score: float = -10.0, publisher: str = "outlet0") -> list[dict[str, Any]]:
    out = []
    for m in range(first_month, first_month + months):
        day0 = (np.datetime64("2010-01") + m).astype("datetime64[D]")
        for i in range(per_month):
            out.append({"event_id": f"burst-{m}-{i}", "date": str(day0 + i % 28),
                        "source": "CHN", "target": "USA", "goldstein": score,
                        "cameo": "190", "story": f"burst-story-{m}-{i}",
                        "publisher": publisher})
    return records + out


def test_planted_burst_drives_the_change() -> None:
    """Months 60–119 carry 15 planted −10 events each over a flat +1 background (sd 2.5): a
    cooling change at 60 whose drivers rank all 900 planted events first, summing to the shift."""
    records = _burst(stream(3, volume=(40, 40), noise=2.5), 60, 60, 15)
    frame = EventFrame.from_records(records)
    report = detect_changes(frame, "USA", "CHN", top=20, robustness=False, boot=BOOT)
    assert [c.index for c in report.changes] == [60]
    change = report.changes[0]
    assert change.direction == "cooling"
    assert change.shift_lower < change.shift < change.shift_upper < 0
    assert all(d.event_id.startswith("burst-") for d in change.drivers)
    full = detect_changes(frame, "USA", "CHN", top=10**6, robustness=False, boot=BOOT)
    ranked = [d.event_id.startswith("burst-") for d in full.changes[0].drivers]
    assert ranked == [True] * 900 + [False] * (len(ranked) - 900)
    total = sum(d.contribution for d in full.changes[0].drivers)
    assert total == pytest.approx(change.shift, abs=1e-9)
    assert change.mean_after - change.mean_before == pytest.approx(change.shift)


def test_segments_and_series() -> None:
    records = stream(1, levels=((0, 2.0), (60, -1.0)))
    frame = EventFrame.from_records(records)
    report = detect_changes(frame, "USA", "CHN", robustness=False, boot=BOOT)
    series = dyad_series(frame, "USA", "CHN", boot=BOOT)
    np.testing.assert_array_equal(report.series.n, series.n)  # same dedupe, same periods
    means = report.segment_means()
    assert means.shape == report.periods.shape
    assert [s.start for s in report.segments] == [0, 60]
    assert means[0] == pytest.approx(report.changes[0].mean_before)
    assert means[-1] == pytest.approx(report.changes[0].mean_after)
    seg = report.segments[0]
    assert seg.lower < seg.mean < seg.upper and seg.events == series.n[:60].sum()
    assert report.segment_rows()[1]["first"] == "2015-01"


def test_empty_and_changeless_dyads() -> None:
    empty = detect_changes(EventFrame.empty(), "USA", "CHN", boot=BOOT)
    assert empty.changes == [] and empty.rows() == [] and empty.segments == []
    flat = detect_changes(EventFrame.from_records(stream(2, months=24)), "USA", "CHN",
                          boot=BOOT)
    assert flat.changes == [] and len(flat.segments) == 1 and flat.robustness is None


# -- robustness --------------------------------------------------------------------------------

def test_change_from_one_outlet_is_fragile() -> None:
    """Only outlet0 reports the −10 burst: leaving it out kills the change, and only it."""
    records = _burst(stream(4, volume=(40, 40)), 60, 60, 12, publisher="outlet0")
    report = detect_changes(EventFrame.from_records(records), "USA", "CHN", boot=BOOT)
    (change,) = report.changes
    assert report.robustness == "publisher"
    assert change.killed_by == ["outlet0"] and change.fragile
    assert change.survival == pytest.approx(1 - 1 / len(report.dropped))
    assert len(report.dropped) == 8


def test_change_from_many_outlets_is_robust() -> None:
    """A shift reported by all eight outlets survives leaving out any one of them."""
    records = stream(4, levels=((0, 2.0), (60, -1.0)), volume=(40, 40))
    report = detect_changes(EventFrame.from_records(records), "USA", "CHN", boot=BOOT)
    (change,) = report.changes
    assert change.survival == 1.0 and change.killed_by == [] and not change.fragile


def test_story_fallback_without_publishers() -> None:
    """No publishers (an ICEWS import): stories that drive the change are left out instead.

    One story carries the whole −10 burst, so leaving it out kills the change."""
    records = _burst(stream(5, volume=(40, 40)), 60, 60, 12)
    for r in records:
        r["publisher"] = ""
        if r["event_id"].startswith("burst-"):
            r["story"] = "the-one-story"
    report = detect_changes(EventFrame.from_records(records), "USA", "CHN",
                            max_drops=5, boot=BOOT)
    (change,) = report.changes
    assert report.robustness == "story"
    assert report.dropped[0] == "the-one-story" and len(report.dropped) <= 5
    assert "the-one-story" in change.killed_by


# -- invariants --------------------------------------------------------------------------------

def test_input_order_does_not_matter() -> None:
    records = _burst(stream(6, levels=((0, 2.0), (30, 3.5), (80, 0.0)), volume=(20, 60)),
                     80, 10, 5)
    base = detect_changes(EventFrame.from_records(records), "USA", "CHN", boot=BOOT)
    assert base.changes
    rng = np.random.default_rng(1)
    shuffled = [records[i] for i in rng.permutation(len(records))]
    again = detect_changes(EventFrame.from_records(shuffled), "USA", "CHN", boot=BOOT)
    assert again.rows() == base.rows()
    assert again.segment_rows() == base.segment_rows()
    assert again.penalty == base.penalty


def test_min_size_is_respected() -> None:
    """A two-month −10 episode is a change pair at min_size 2, and no segment is shorter
    than min_size whatever it is."""
    records = _burst(stream(8, volume=(40, 40), months=60), 30, 2, 40)
    starts = {}
    for min_size in (1, 2, 3, 6):
        report = detect_changes(EventFrame.from_records(records), "USA", "CHN",
                                min_size=min_size, robustness=False, boot=BOOT)
        assert all(s.end - s.start >= min_size for s in report.segments)
        starts[min_size] = [c.index for c in report.changes]
    assert starts[2] == [30, 32]
    assert starts[3] != [30, 32]


def test_rows_are_plain_json() -> None:
    records = _burst(stream(9, volume=(30, 30), months=48), 24, 24, 10)
    report = detect_changes(EventFrame.from_records(records), "USA", "CHN", top=3, boot=BOOT)
    assert isinstance(report, ChangeReport)
    rows = report.rows()
    text = json.dumps(rows)
    assert json.loads(text) == rows
    row = rows[0]
    assert row["period"] == "2012-01" and row["direction"] == "cooling"
    assert len(row["drivers"]) == 3
    assert set(row["drivers"][0]) >= {"event_id", "date", "source", "target", "cameo",
                                      "goldstein", "story", "doc_id", "publisher",
                                      "contribution"}
    assert [d["rank"] for d in report.driver_rows()] == [1, 2, 3]
