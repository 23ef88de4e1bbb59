"""The dyad series and blocs computed from DuckDB sums (what ``cordiale dyad``/``blocs`` read)
against the same measures over every event pulled into Python, in a file store and in a
Parquet store holding the same events; and the normal draw of large periods against the
Poisson bootstrap it stands in for."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from cordiale.analysis.blocs import blocs, relation_matrix
from cordiale.analysis.frame import EventFrame, load_events
from cordiale.analysis.series import Bootstrap, dyad_series, quad_shares, trend
from cordiale.analysis.sums import dyad_sums, load_dyad_sums, load_pair_sums
from cordiale.store import Store

COUNTRIES = ["CHN", "RUS", "USA", "IND", "TUR", "IRN", "FRA"]
# (CAMEO code, Goldstein, quad class, PLOVER type): quad class 0 and a missing or unknown
# PLOVER type too
CODES = [("040", 1.0, 1, "CONSULT"), ("057", 8.0, 1, "AGREE"), ("070", 7.0, 2, "AID"),
         ("111", -2.0, 3, "ACCUSE"), ("163", -8.0, 4, "SANCTION"), ("190", -10.0, 4, None),
         ("099", 0.0, 0, None), ("043", 2.8, 0, "")]


def _events(seed: int = 5, n: int = 6000) -> dict[str, list]:
    """Events over 14 months with everything the dedupe and the sums must get right:
    duplicates (same story, sides, code and day) whose scores differ and whose event ids sort
    before or after the original, stories of one to four events, stories crossing a month
    end, quad class 0, missing and unknown PLOVER types, missing story ids (the document
    stands in), self-directed, negated and hypothetical events."""
    rng = np.random.default_rng(seed)
    cols: dict[str, list] = {k: [] for k in (
        "event_id", "doc_id", "date", "event_date", "source_country", "target_country",
        "source_code", "target_code", "cameo_code", "goldstein", "quad_class", "plover_type",
        "negated", "hypothetical", "story_id", "origin", "sentence_index", "cameo_root",
        "confidence", "coder", "modality", "reciprocal")}

    def add(eid: str, story: str | None, doc: str, day: date, src: str, tgt: str,
            code: tuple, negated: bool = False, hypothetical: bool = False) -> None:
        cameo, g, q, p = code
        for k, v in (("event_id", eid), ("doc_id", doc), ("date", day.isoformat()),
                     ("event_date", day), ("source_country", src), ("target_country", tgt),
                     ("source_code", src), ("target_code", tgt), ("cameo_code", cameo),
                     ("goldstein", g), ("quad_class", q), ("plover_type", p),
                     ("negated", negated), ("hypothetical", hypothetical),
                     ("story_id", story), ("origin", "test"), ("sentence_index", 0),
                     ("cameo_root", cameo[:2]), ("confidence", 1.0), ("coder", "test"),
                     ("modality", "asserted"), ("reciprocal", False)):
            cols[k].append(v)

    start = date(2020, 1, 1)
    i = 0
    while i < n:
        story = f"s{rng.integers(0, 10**6):06d}"
        doc = f"d{i:05d}"
        day = start + timedelta(days=int(rng.integers(0, 425)))
        sid = None if rng.random() < 0.05 else story
        for _ in range(int(rng.integers(1, 5))):
            a, b = rng.choice(len(COUNTRIES), 2, replace=False, p=None)
            if rng.random() < 0.5:  # a busy dyad
                a, b = (0, 1) if rng.random() < 0.6 else (1, 0)
            src, tgt = COUNTRIES[a], COUNTRIES[b]
            code = CODES[int(rng.integers(0, len(CODES)))]
            when = day + timedelta(days=int(rng.integers(0, 3)))  # may cross a month end
            r = rng.random()
            add(f"e{i:05d}", sid, doc, when, src, tgt if r > 0.02 else src, code,
                negated=0.02 < r < 0.04, hypothetical=0.04 < r < 0.06)
            if rng.random() < 0.15:  # the same event again, scored differently
                other = CODES[int(rng.integers(0, len(CODES)))]
                dup = (code[0], other[1], other[2], other[3])
                add(f"{'a' if rng.random() < 0.5 else 'f'}{i:05d}", sid, doc, when, src, tgt,
                    dup)
            i += 1
    return cols


@pytest.fixture(scope="module")
def stores(tmp_path_factory) -> dict[str, Store]:
    root: Path = tmp_path_factory.mktemp("sums")
    columns = _events()
    out = {}
    for kind in ("file", "parquet"):
        path = str(root / f"{kind}.duckdb")
        parquet = str(root / "pq") if kind == "parquet" else None
        with Store(path, parquet=parquet) as writer:
            writer.write_imported_events(columns)
            writer.refresh_facts()
        out[kind] = Store(path, read_only=True, parquet=parquet)
    yield out
    for store in out.values():
        store.close()


def test_both_stores_hold_the_same_events(stores):
    counts = {k: len(load_events(s, dyad=("CHN", "RUS"), dedupe=False))
              for k, s in stores.items()}
    assert counts["file"] == counts["parquet"] > 2000


def _same_series(x, y, *, rtol: float = 1e-9) -> None:
    assert [str(p) for p in x.periods] == [str(p) for p in y.periods]
    for name in ("n", "stories", "total"):
        np.testing.assert_array_equal(getattr(x, name), getattr(y, name), err_msg=name)
    for name in ("raw", "warmth", "plover", "volume_per_1000", "net_per_1000"):
        np.testing.assert_allclose(getattr(x, name), getattr(y, name), rtol=rtol, atol=1e-12,
                                   equal_nan=True, err_msg=name)
    # the same Poisson weights land on the same stories: the replicates differ only by the
    # order float32 sums are taken in
    for name in ("lower", "upper", "plover_lower", "plover_upper", "volume_lower",
                 "volume_upper"):
        np.testing.assert_allclose(getattr(x, name), getattr(y, name), rtol=1e-5, atol=1e-5,
                                   equal_nan=True, err_msg=name)


@pytest.mark.parametrize("kind", ["file", "parquet"])
@pytest.mark.parametrize(("freq", "directed", "window"), [
    ("month", False, None), ("week", True, None),
    ("quarter", False, (date(2020, 2, 15), date(2020, 11, 30))), ("year", True, None)])
def test_dyad_sums_give_the_per_event_series(stores, kind, freq, directed, window):
    store = stores[kind]
    since, until = window or (None, None)
    frame = load_events(store, dyad=("CHN", "RUS"), since=since, until=until)
    sums = load_dyad_sums(store, "RUS", "CHN", freq=freq, directed=directed, since=since,
                          until=until)
    per_event = dyad_sums(frame, "RUS", "CHN", freq=freq, directed=directed, since=since,
                          until=until)
    assert sums.n.sum() == len(per_event) > 500
    assert len(sums) < len(per_event)  # a story's events in one period are one row
    totals = {p: 10_000 for p in np.unique(per_event.period)}
    boot = Bootstrap(200, seed=3)
    a = dyad_series(frame, "RUS", "CHN", freq=freq, directed=directed, since=since,
                    until=until, totals=totals, boot=boot)
    b = dyad_series(sums, "RUS", "CHN", freq=freq, directed=directed, since=since,
                    until=until, totals=totals, boot=boot)
    _same_series(a, b)
    ta, tb = trend(a), trend(b)
    np.testing.assert_allclose(ta.level, tb.level, rtol=1e-9, equal_nan=True)
    np.testing.assert_allclose(ta.level_lower, tb.level_lower, rtol=1e-5, equal_nan=True)
    assert ta.slope == pytest.approx(tb.slope, rel=1e-9, nan_ok=True)
    qa = quad_shares(frame, "RUS", "CHN", freq=freq, directed=directed, since=since,
                     until=until).rows()
    qb = quad_shares(sums, "RUS", "CHN", freq=freq, directed=directed, since=since,
                     until=until).rows()
    assert qa == qb


def test_the_file_store_and_parquet_give_the_same_sums(stores):
    x, y = (load_dyad_sums(stores[k], "CHN", "RUS", freq="month") for k in ("file", "parquet"))
    np.testing.assert_array_equal(x.period, y.period)
    np.testing.assert_array_equal(x.story, y.story)
    for name in ("n", "goldstein", "goldstein_sq", "plover_n", "plover", "plover_sq", "quad"):
        np.testing.assert_allclose(getattr(x, name), getattr(y, name), rtol=1e-12,
                                   err_msg=name)


def test_windows_and_reviews_read_the_same_from_the_file_and_from_parquet(tmp_path):
    """A window over a Parquet store reads only its months' files (and undated events only
    the undated folder): it must still see what the file store sees, reviews applied."""
    from cordiale.analysis.frame import count_undated
    from cordiale.reviews import Review, add_review

    columns = _events(seed=8, n=1500)
    for k in ("event_date", "date"):  # a few events without a date
        columns[k][:30] = [None] * 30
    busy = [i for i, (s, t) in enumerate(zip(columns["source_country"],
                                            columns["target_country"], strict=True))
            if {s, t} == {"CHN", "RUS"} and columns["event_date"][i] is not None
            and date(2020, 3, 1) <= columns["event_date"][i] <= date(2020, 6, 30)]
    undated = [i for i in range(30) if columns["source_country"][i] == "CHN"
               or columns["target_country"][i] == "CHN"]
    reviews = [Review(columns["event_id"][busy[0]], "wrong", "t"),
               Review(columns["event_id"][busy[1]], "corrected", "t", target_country="USA"),
               Review(columns["event_id"][busy[2]], "corrected", "t", cameo_code="190"),
               Review(columns["event_id"][undated[0]], "wrong", "t")]
    stores = {}
    for kind in ("file", "parquet"):
        parquet = str(tmp_path / "pq") if kind == "parquet" else None
        with Store(str(tmp_path / f"{kind}.duckdb"), parquet=parquet) as writer:
            writer.write_imported_events(columns)
            writer.refresh_facts()
        with Store(str(tmp_path / f"{kind}.duckdb"), parquet=parquet) as writer:
            for review in reviews:  # a new store sees the Parquet files written
                add_review(writer, review)
        stores[kind] = Store(str(tmp_path / f"{kind}.duckdb"), read_only=True, parquet=parquet)
    assert (tmp_path / "pq" / "events" / "month=undated").is_dir()
    window = {"since": date(2020, 3, 10), "until": date(2020, 6, 20)}
    try:
        got = {}
        for kind, store in stores.items():
            frame = load_events(store, **window)
            sums = load_dyad_sums(store, "CHN", "RUS", **window)
            pairs = load_pair_sums(store, **window)
            got[kind] = (sorted(frame.event_id), sums.n.tolist(), sums.goldstein.tolist(),
                         pairs.pair.tolist(), pairs.n.tolist(), pairs.goldstein.tolist(),
                         count_undated(store, involving=["CHN"]))
        assert got["file"] == got["parquet"]
        events = got["file"][0]
        assert len(events) > 100
        assert reviews[0].event_id not in events and reviews[1].event_id in events
        assert min(store.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                   for store in stores.values() for table in ("events", "event_facts")) > 0
    finally:
        for store in stores.values():
            store.close()


def test_sums_refuse_another_dyad(stores):
    sums = load_dyad_sums(stores["file"], "CHN", "RUS", freq="month")
    with pytest.raises(ValueError, match="CHN–RUS by month"):
        dyad_series(sums, "CHN", "USA", freq="month")
    with pytest.raises(ValueError):
        quad_shares(sums, "CHN", "RUS", freq="quarter")


@pytest.mark.parametrize("kind", ["file", "parquet"])
def test_pair_sums_give_the_per_event_blocs(stores, kind):
    store = stores[kind]
    since, until = date(2020, 3, 1), date(2020, 8, 31)
    frame = load_events(store, since=since, until=until)
    pairs = load_pair_sums(store, since=since, until=until)
    assert pairs.n.sum() == len(frame) > 1000
    assert len(pairs) < len(frame)
    ra = relation_matrix(frame, since=since, until=until)
    rb = relation_matrix(pairs, since=since, until=until)
    assert list(ra.countries) == list(rb.countries) == sorted(COUNTRIES)
    np.testing.assert_array_equal(ra.events, rb.events)
    np.testing.assert_array_equal(ra.activity, rb.activity)
    np.testing.assert_allclose(ra.mean, rb.mean, rtol=1e-12, equal_nan=True)
    np.testing.assert_allclose(ra.weight, rb.weight, rtol=1e-12, atol=1e-12)
    boot = Bootstrap(100, seed=2)
    a = blocs(frame, since=since, until=until, anchor="USA", boot=boot, shuffles=50)
    b = blocs(pairs, since=since, until=until, anchor="USA", boot=boot, shuffles=50)
    assert a.countries == b.countries
    for name in ("bloc", "events", "partners"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    for name in ("position", "warmth_bloc", "warmth_others", "eigenvalues"):
        np.testing.assert_allclose(getattr(a, name), getattr(b, name), rtol=1e-9, atol=1e-12,
                                   equal_nan=True, err_msg=name)
    # the same story weights, float32 sums taken in another order
    np.testing.assert_allclose(a.lower, b.lower, rtol=1e-4, atol=1e-4, equal_nan=True)
    np.testing.assert_allclose(a.upper, b.upper, rtol=1e-4, atol=1e-4, equal_nan=True)
    assert a.modularity == pytest.approx(b.modularity, rel=1e-9)
    assert a.balance.summary() == b.balance.summary()


# -- the normal draw of large periods -----------------------------------------------------------

def _large(months: int = 30, stories: int = 3000, seed: int = 11) -> EventFrame:
    """A dyad with ``stories`` one- to three-event stories a month, the mean drifting."""
    rng = np.random.default_rng(seed)
    rows = []
    for m in range(months):
        for s in range(stories):
            for k in range(int(rng.integers(1, 4))):
                g = float(np.clip(rng.normal(-3 + 0.2 * m, 4), -10, 10))
                rows.append({"event_id": f"{m}-{s}-{k}",
                             "date": f"{2015 + m // 12}-{m % 12 + 1:02d}-{1 + s % 27:02d}",
                             "source": "CHN", "target": "RUS", "goldstein": g,
                             "plover": "AGREE" if g > 0 else "ACCUSE" if k else "",
                             "story": f"s{m}-{s}", "cameo": f"{k:03d}"})
    return EventFrame.from_records(rows)


def test_normal_draw_keeps_the_estimates_and_the_interval_within_tolerance():
    """Above NORMAL_ABOVE stories a period's bootstrap sums come from the normal with the
    Poisson bootstrap's mean and covariance: the estimates are identical, and the interval
    ends agree with the Poisson bootstrap's to within its own Monte Carlo error (400
    replicates: the sd of a 2.5% quantile is about 0.07 of the half-width; two independent
    draws differ by 0.1 of it on average). Tolerance: every end within 0.35 of the
    half-width, the average within 0.15, and no bias in the width beyond 5%."""
    frame = _large()
    normal = dyad_series(frame, "CHN", "RUS", boot=Bootstrap(400, seed=0))
    poisson = dyad_series(frame, "CHN", "RUS", boot=Bootstrap(400, seed=0, normal_above=None))
    assert (normal.stories > 2000).all()
    for name in ("n", "stories", "raw", "warmth", "plover", "total", "volume_per_1000"):
        np.testing.assert_array_equal(getattr(normal, name), getattr(poisson, name))
    for lo, hi, est in (("lower", "upper", "warmth"),
                        ("plover_lower", "plover_upper", "plover"),
                        ("volume_lower", "volume_upper", "volume_per_1000")):
        half = (getattr(poisson, hi) - getattr(poisson, lo)) / 2
        assert (half > 0).all()
        for end in (lo, hi):
            gap = np.abs(getattr(normal, end) - getattr(poisson, end)) / half
            assert gap.max() < 0.35, (end, gap.max())
            assert gap.mean() < 0.15, (end, gap.mean())
        width = (getattr(normal, hi) - getattr(normal, lo)) / 2
        assert abs(width.mean() / half.mean() - 1) < 0.05, est
        inside = (getattr(normal, lo) < getattr(normal, est)) & \
            (getattr(normal, est) < getattr(normal, hi))
        assert inside.all(), est


def test_a_small_period_keeps_the_poisson_draw():
    """Periods at or below NORMAL_ABOVE stories are drawn exactly as before."""
    frame = _large(months=4, stories=500)
    a = dyad_series(frame, "CHN", "RUS", boot=Bootstrap(300, seed=4))
    b = dyad_series(frame, "CHN", "RUS", boot=Bootstrap(300, seed=4, normal_above=None))
    np.testing.assert_array_equal(a.replicates, b.replicates)
    np.testing.assert_array_equal(a.lower, b.lower)
