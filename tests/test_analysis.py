"""Dyad series, trend and alignment recover planted truth from synthetic event streams.

Every stream here is generated with a fixed seed; tolerances are stated per test. A measure
passes when the planted value lies inside its 95% interval (or within the stated distance),
when shuffling the input changes nothing, and when swapping the two countries of a
symmetric measure changes nothing.
"""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pytest
from click.testing import CliRunner

from cordiale.analysis.alignment import alignment
from cordiale.analysis.frame import (
    EventFrame,
    load_events,
    period_label,
    period_range,
    period_start,
    resolve_country,
)
from cordiale.analysis.series import (
    Bootstrap,
    dedupe,
    dyad_series,
    plover_scores,
    poisson_weights,
    quad_shares,
    theil_sen,
    trend,
)
from cordiale.analysis.synthetic import fill_store
from cordiale.cli import main
from cordiale.store import Store


def _month(i: int, day: int = 10) -> str:
    return f"{2015 + i // 12}-{i % 12 + 1:02d}-{day:02d}"


def stream(seed: int, months: int, mean_of, volume_of, noise: float = 3.0,
           pair=("CHN", "RUS"), per_story: int = 1) -> list[dict]:
    """Events of one dyad: month i has volume_of(i) events around mean_of(i)."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(months):
        for k in range(volume_of(i)):
            src, tgt = pair if rng.random() < 0.5 else pair[::-1]
            g = float(np.clip(rng.normal(mean_of(i), noise), -10, 10))
            rows.append({"event_id": f"{i}-{k}", "date": _month(i, 1 + k % 27),
                         "source": src, "target": tgt, "goldstein": g,
                         "story": f"s{i}-{k // per_story}", "cameo": f"{k:03d}"})
    return rows


def shuffled(rows: list[dict], seed: int = 99) -> list[dict]:
    order = np.random.default_rng(seed).permutation(len(rows))
    return [rows[i] for i in order]


# -- periods ----------------------------------------------------------------------------------

def test_periods_start_label_and_range_agree():
    days = np.array(["2021-11-24", "2021-01-01", "2020-12-31"], dtype="datetime64[D]")
    assert [period_label(p, "week") for p in period_start(days, "week")] == \
        ["2021-W47", "2020-W53", "2020-W53"]
    assert [period_label(p, "quarter") for p in period_start(days, "quarter")] == \
        ["2021-Q4", "2021-Q1", "2020-Q4"]
    rng = period_range(days[2], days[0], "month")
    assert len(rng) == 12 and period_label(rng[0], "month") == "2020-12"
    with pytest.raises(ValueError):
        period_start(days, "decade")


def test_country_names_and_codes_resolve():
    assert resolve_country("china") == "CHN"
    assert resolve_country("Russian") == "RUS"
    assert resolve_country("usa") == "USA"
    with pytest.raises(ValueError):
        resolve_country("Atlantis")


# -- deduplication and the bootstrap ----------------------------------------------------------

def test_a_story_told_many_times_counts_once():
    rows = [{"event_id": str(i), "date": "2020-01-05", "source": "CHN", "target": "RUS",
             "goldstein": 7.0, "story": "one-story", "cameo": "057"} for i in range(10)]
    rows.append({"event_id": "x", "date": "2020-01-05", "source": "CHN", "target": "RUS",
                 "goldstein": -5.0, "story": "other", "cameo": "111"})
    s = dyad_series(EventFrame.from_records(rows), "CHN", "RUS", freq="month")
    assert s.n.tolist() == [2]
    assert s.raw[0] == pytest.approx(1.0)


def test_poisson_weights_have_the_moments_of_poisson_one():
    w = poisson_weights(np.random.default_rng(0), (2000, 500))
    assert w.mean() == pytest.approx(1.0, abs=0.01)
    assert w.var() == pytest.approx(1.0, abs=0.02)
    assert (w == 0).mean() == pytest.approx(np.exp(-1), abs=0.01)


def test_theil_sen_matches_the_textbook_estimator():
    rng = np.random.default_rng(3)
    x = np.arange(40.0)
    y = 0.5 * x + rng.normal(0, 2, 40)
    slope, lo, hi = theil_sen(x, y)
    pairwise = [(y[j] - y[i]) / (x[j] - x[i]) for i in range(40) for j in range(i + 1, 40)]
    assert slope == pytest.approx(float(np.median(pairwise)))
    assert lo < 0.5 < hi and lo < slope < hi


# -- warmth series ----------------------------------------------------------------------------

def test_planted_trend_is_recovered_with_its_interval():
    """Warmth rises 0.1 per month for 48 months; the slope's interval holds 0.1."""
    rows = stream(1, 48, lambda i: -3 + 0.1 * i, lambda i: 25)
    s = dyad_series(EventFrame.from_records(rows), "CHN", "RUS", freq="month")
    t = trend(s)
    assert t.slope_lower <= 0.1 <= t.slope_upper
    assert t.slope == pytest.approx(0.1, abs=0.02)
    assert t.per_year == pytest.approx(12 * t.slope)
    # the planted mean lies inside most monthly intervals (95% each; allow a few misses)
    truth = np.array([-3 + 0.1 * i for i in range(48)])
    inside = (s.lower <= truth) & (truth <= s.upper)
    assert inside.mean() >= 0.85


def test_rising_media_volume_is_not_rising_warmth_or_contact():
    """Volume grows tenfold with a constant mean: no slope, and a flat share per 1,000."""
    rows = stream(2, 36, lambda i: 2.0, lambda i: 5 + i)
    other = [{"event_id": f"o{i}-{k}", "date": _month(i), "source": "USA", "target": "FRA",
              "goldstein": 1.0} for i in range(36) for k in range(10 * (5 + i))]
    frame = EventFrame.from_records(rows + other)
    s = dyad_series(frame, "CHN", "RUS", freq="quarter")
    t = trend(s)
    assert t.slope_lower <= 0 <= t.slope_upper
    assert s.n[-1] > 4 * s.n[0]
    # the dyad is always 1/11 of the store's events: 90.9 per 1,000 in every quarter
    assert np.allclose(s.volume_per_1000, 1000 / 11, atol=1.0)


def test_a_thin_month_is_shrunk_toward_the_long_run_mean():
    rows = stream(4, 12, lambda i: 3.0, lambda i: 0 if i == 6 else 30, noise=1.0)
    rows.append({"event_id": "lone", "date": _month(6), "source": "CHN", "target": "RUS",
                 "goldstein": -10.0, "story": "lone"})
    s = dyad_series(EventFrame.from_records(rows), "CHN", "RUS", freq="month", pseudo=3.0)
    assert s.raw[6] == -10.0
    assert s.warmth[6] == pytest.approx((-10 + 3 * s.prior_mean) / 4)
    assert s.warmth[6] > -2 and s.upper[6] > s.lower[6]


def test_series_ignore_input_order_and_direction():
    rows = stream(5, 24, lambda i: np.sin(i / 4) * 4, lambda i: 10 + i % 7, per_story=3)
    a = dyad_series(EventFrame.from_records(rows), "CHN", "RUS", freq="month")
    b = dyad_series(EventFrame.from_records(shuffled(rows)), "CHN", "RUS", freq="month")
    c = dyad_series(EventFrame.from_records(rows), "RUS", "CHN", freq="month")
    for other in (b, c):
        np.testing.assert_array_equal(a.warmth, other.warmth)
        np.testing.assert_array_equal(a.lower, other.lower)
        np.testing.assert_array_equal(a.upper, other.upper)


def test_directed_series_keeps_one_direction():
    rows = [{"date": "2020-01-02", "source": "CHN", "target": "RUS", "goldstein": 5.0},
            {"date": "2020-01-03", "source": "RUS", "target": "CHN", "goldstein": -5.0}]
    f = EventFrame.from_records(rows)
    assert dyad_series(f, "CHN", "RUS", directed=True).raw[0] == 5.0
    assert dyad_series(f, "RUS", "CHN", directed=True).raw[0] == -5.0
    assert dyad_series(f, "CHN", "RUS").raw[0] == 0.0


def test_plover_scores_order_cooperation_above_conflict():
    scores = plover_scores()
    assert scores["AGREE"] > 0 > scores["ASSAULT"]
    assert scores["AID"] > scores["ACCUSE"]


def test_quad_shares_hold_the_planted_shares():
    rng = np.random.default_rng(6)
    shares = np.array([0.4, 0.1, 0.3, 0.2])
    quads = rng.choice(4, size=800, p=shares) + 1
    rows = [{"event_id": str(i), "date": "2021-03-01", "source": "IND", "target": "PAK",
             "goldstein": 1.0, "quad": int(q), "cameo": f"{i:04d}"} for i, q in enumerate(quads)]
    q = quad_shares(EventFrame.from_records(rows), "IND", "PAK", freq="year")
    assert np.all(q.lower[0] <= shares) and np.all(shares <= q.upper[0])
    assert q.coop_lower[0] <= 0.5 <= q.coop_upper[0]
    assert q.share[0].sum() == pytest.approx(1.0)


def test_empty_dyad_gives_an_empty_series():
    rows = stream(7, 3, lambda i: 1.0, lambda i: 5)
    s = dyad_series(EventFrame.from_records(rows), "USA", "BRA", freq="month")
    assert len(s.periods) == 0 and s.rows() == []
    assert np.isnan(trend(s).slope)


# -- alignment --------------------------------------------------------------------------------

def two_blocs(seed: int, flip_year: int | None = None) -> list[dict]:
    """AAA and BBB deal with 8 friends and 8 foes; from ``flip_year`` BBB reverses."""
    rng = np.random.default_rng(seed)
    rows = []
    partners = [f"F{i:02d}" for i in range(8)] + [f"E{i:02d}" for i in range(8)]
    for year in (2019, 2020):
        for c in partners:
            for x in ("AAA", "BBB"):
                sign = 1 if c.startswith("F") else -1
                if flip_year is not None and year >= flip_year and x == "BBB":
                    sign = -sign
                for k in range(6):
                    rows.append({"event_id": f"{x}{c}{year}{k}", "date": f"{year}-0{k + 1}-01",
                                 "source": x if k % 2 else c, "target": c if k % 2 else x,
                                 "goldstein": float(np.clip(rng.normal(4 * sign, 2), -10, 10)),
                                 "story": f"{x}{c}{year}{k}"})
    return rows


def test_alignment_sees_friends_in_common_and_a_reversal():
    al = alignment(EventFrame.from_records(two_blocs(1, flip_year=2020)), "AAA", "BBB")
    first, second = al.rows()
    assert first["partners"] == second["partners"] == 16
    assert first["kappa"] > 0.8 and first["s_score"] > 0.8
    assert second["kappa"] < -0.6 and second["s_score"] < first["s_low"]
    assert first["kappa_low"] <= first["kappa"] <= first["kappa_high"]


def test_alignment_is_symmetric_and_order_free():
    rows = two_blocs(2, flip_year=2020)
    a = alignment(EventFrame.from_records(rows), "AAA", "BBB").rows()
    b = alignment(EventFrame.from_records(rows), "BBB", "AAA").rows()
    c = alignment(EventFrame.from_records(shuffled(rows)), "AAA", "BBB").rows()
    for key in ("s_score", "kappa", "s_low", "s_high", "kappa_low", "kappa_high", "partners"):
        assert [r[key] for r in a] == [r[key] for r in b] == [r[key] for r in c]


def test_alignment_corrects_kappa_toward_the_planted_value():
    """Three planted blocs in the synthetic store: countries 0 and 1 are in different blocs,
    so they agree only about the third bloc; true kappa is (1/3 − 5/9)/(4/9) = −0.5."""
    store = Store(":memory:")
    codes = [f"C{i:02d}" for i in range(60)]
    fill_store(store, 200_000, codes)
    frame = load_events(store, involving=["C00", "C01"])
    row = alignment(frame, "C00", "C01", freq="year", boot=Bootstrap(200)).rows()[3]
    assert row["kappa_low"] <= -0.5 <= row["kappa_high"]
    assert abs(row["kappa"] + 0.5) < abs(row["kappa_plain"] + 0.5) + 0.02


# -- the store and the CLI --------------------------------------------------------------------

@pytest.fixture(scope="module")
def synthetic_db(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("syn") / "syn.duckdb")
    with Store(path) as store:
        fill_store(store, 60_000, ["CHN", "RUS", "USA", "IND", "TUR", "IRN", "FRA", "DEU",
                                   "GBR", "JPN", "BRA", "ZAF"], per_story=3)
    return path


def test_sql_dedupe_matches_the_frame_rule(synthetic_db):
    with Store(synthetic_db, read_only=True) as store:
        sql = load_events(store, dyad=("CHN", "RUS"))
        raw = load_events(store, dyad=("CHN", "RUS"), dedupe=False)
    py = dedupe(raw)
    assert sorted(sql.event_id.tolist()) == sorted(py.event_id.tolist())
    assert sql.deduped and not raw.deduped


def test_cli_dyad_reports_the_planted_warming(synthetic_db):
    result = CliRunner().invoke(main, ["dyad", "China", "RUS", "--db", synthetic_db,
                                       "--freq", "year", "--format", "jsonl",
                                       "--replicates", "100"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["period"] for r in rows][:2] == ["2015", "2016"]
    # planted: hostile before the midpoint (2019-12), warm after
    assert rows[0]["warmth"] < 0 < rows[-1]["warmth"]
    assert rows[-1]["warmth_low"] > rows[0]["warmth_high"]
    assert {"per_1000", "cooperation_ratio", "material_conflict_share", "level"} <= set(rows[0])
    assert "trend CHN–RUS" in result.stderr


def test_cli_align_runs_on_the_store(synthetic_db):
    result = CliRunner().invoke(main, ["align", "USA", "FRA", "--db", synthetic_db,
                                       "--since", "2016-01-01", "--until", "2017-12-31",
                                       "--replicates", "100"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split()[:4] == ["period", "partners", "s_95", "kappa_95"]
    assert [line.split()[0] for line in lines[2:]] == ["2016", "2017"]


def test_cli_rejects_an_unknown_country(synthetic_db):
    result = CliRunner().invoke(main, ["dyad", "Atlantis", "RUS", "--db", synthetic_db])
    assert result.exit_code == 2
    assert "Atlantis" in result.output


def test_cli_dyad_window_without_events_says_so(synthetic_db):
    result = CliRunner().invoke(main, ["dyad", "CHN", "RUS", "--db", synthetic_db,
                                       "--since", "1990-01-01", "--until", "1990-12-31"])
    assert result.exit_code == 0
    assert "no events" in result.stderr or "1990" in result.stdout
    assert date(1990, 1, 1)  # the window was parsed as dates


def test_facts_table_stays_in_step_with_events():
    """event_facts is rebuilt, then appended to, and always answers as events would."""
    store = Store(":memory:")
    codes = [f"C{i:02d}" for i in range(12)]
    fill_store(store, 10_000, codes)
    fill_store(store, 1_000, codes, origin="more")  # a 10% tail: appended, not rebuilt
    con = store.con
    facts = con.execute("SELECT count(*), count(DISTINCT event_id) FROM event_facts").fetchone()
    assert facts == (11_000, 11_000)
    assert con.execute("SELECT sum(events) FROM daily_counts").fetchone()[0] == 11_000
    assert con.execute("SELECT sorted_rows FROM facts_state").fetchone()[0] == 10_000
    assert store.facts_fresh()
    via_facts = load_events(store, dyad=("C00", "C01"))
    via_events = load_events(store, dyad=("C00", "C01"), include_hypothetical=True)
    assert sorted(via_facts.event_id.tolist()) == sorted(via_events.event_id.tolist())
    fill_store(store, 5_000, codes, origin="third")  # now past 20%: rebuilt in dyad order
    assert con.execute("SELECT sorted_rows FROM facts_state").fetchone()[0] == 16_000
    assert store.refresh_facts() == 0  # nothing new
