"""The HTML report and its SVG charts, rendered from hand-built data (no store, no browser).

``make_report_data`` builds an invented but plausible dyad report; the browser test imports it
so both suites look at the same page.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date, datetime

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cordiale.report import (
    AlignmentPeriod,
    Balance,
    BlocCountry,
    ChangePoint,
    DriverEvent,
    DyadPeriod,
    Estimate,
    Provenance,
    QuadPeriod,
    ReportData,
    charts,
    render_report,
)

SVG_NS = "{http://www.w3.org/2000/svg}"
SIGNED = ("Xi Jinping and Vladimir Putin signed a joint statement on a comprehensive "
          "strategic partnership in Moscow on Wednesday.")
HOSTILE = ('Officials said <script>document.title="pwned"</script> the talks & "visits" '
           "<img src=x onerror=alert(1)> would resume.")

# code, name, capital latitude, longitude, bloc, axis position, activity
COUNTRIES = [
    ("CHN", "China", 39.9, 116.4, "1", -0.82, 950),
    ("RUS", "Russia", 55.8, 37.6, "1", -0.74, 880),
    ("IRN", "Iran", 35.7, 51.4, "1", -0.66, 310),
    ("PRK", "North Korea", 39.0, 125.8, "1", -0.9, 90),
    ("SYR", "Syria", 33.5, 36.3, "1", -0.58, 260),
    ("BLR", "Belarus", 53.9, 27.6, "1", -0.61, 70),
    ("VEN", "Venezuela", 10.5, -66.9, "1", -0.44, 60),
    ("CUB", "Cuba", 23.1, -82.4, "1", -0.5, 40),
    ("USA", "United States", 38.9, -77.0, "2", 0.85, 1200),
    ("GBR", "United Kingdom", 51.5, -0.1, "2", 0.71, 420),
    ("FRA", "France", 48.9, 2.4, "2", 0.64, 380),
    ("DEU", "Germany", 52.5, 13.4, "2", 0.62, 360),
    ("JPN", "Japan", 35.7, 139.7, "2", 0.57, 300),
    ("AUS", "Australia", -35.3, 149.1, "2", 0.6, 140),
    ("CAN", "Canada", 45.4, -75.7, "2", 0.66, 120),
    ("POL", "Poland", 52.2, 21.0, "2", 0.7, 110),
    ("KOR", "South Korea", 37.6, 127.0, "2", 0.45, 210),
    ("UKR", "Ukraine", 50.5, 30.5, "2", 0.5, 330),
    ("IND", "India", 28.6, 77.2, "3", 0.05, 340),
    ("BRA", "Brazil", -15.8, -47.9, "3", 0.02, 150),
    ("ZAF", "South Africa", -25.7, 28.2, "3", -0.08, 90),
    ("TUR", "Turkey", 39.9, 32.9, "3", 0.12, 290),
    ("IDN", "Indonesia", -6.2, 106.8, "3", -0.02, 100),
    ("EGY", "Egypt", 30.0, 31.2, "3", -0.1, 130),
    ("SAU", "Saudi Arabia", 24.7, 46.7, "3", 0.15, 170),
    ("MEX", "Mexico", 19.4, -99.1, "3", 0.2, 70),
    ("NGA", "Nigeria", 9.1, 7.5, "3", 0.0, 50),
    ("KAZ", "Kazakhstan", 51.2, 71.4, "1", -0.35, 80),
    ("ISR", "Israel", 31.8, 35.2, "2", 0.52, 240),
    ("ARG", "Argentina", -34.6, -58.4, "3", 0.1, 45),
]


def _months(first: date, n: int) -> list[date]:
    return [date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1)
            for i in range(n)]


def make_report_data() -> ReportData:
    """An invented China–Russia report, 2018–2020, monthly; deterministic (no randomness)."""
    starts = _months(date(2018, 1, 1), 36)
    series = []
    for i, start in enumerate(starts):
        label = f"{start.year}-{start.month:02d}"
        if i in (9, 10):  # two months without events: a gap in the line
            series.append(DyadPeriod(start, label, None, None, None, 0, None))
            continue
        level = 1.2 if i < 17 else (2.6 if i < 26 else 1.4)
        warmth = level + 0.35 * math.sin(i * 1.7)
        n = 20 + int(15 * (1 + math.sin(i * 0.9))) + (25 if 17 <= i < 20 else 0)
        half = 1.6 / math.sqrt(n)
        series.append(DyadPeriod(start, label, round(warmth, 3), round(warmth - half, 3),
                                 round(warmth + half, 3), n, round(n / 9.5, 2)))
    warming = ChangePoint(
        date(2019, 6, 1), "warmer", 1.38, 0.92, 1.81, 0.91, drivers=[
            DriverEvent(date(2019, 6, 5), "CHN", "RUS", "057", "Sign formal agreement", 8.0, 0.41,
                        SIGNED, SIGNED.index("signed"), SIGNED.index("signed") + 6,
                        "guardian-2019-06-05-xi-moscow", "The Guardian", "ingest"),
            DriverEvent(date(2019, 6, 14), "RUS", "CHN", "042", "Make a visit", 1.9, 0.22,
                        "Putin travelled to Dushanbe, where he met the Chinese leader again.",
                        6, 15, "guardian-2019-06-14-cica", "The Guardian", "ingest"),
            DriverEvent(date(2019, 7, 23), "CHN", "RUS", "061", "Cooperate militarily", 6.4, 0.18,
                        "", None, None, "icews-story-30811", "", "icews"),
            DriverEvent(date(2019, 6, 20), "RUS", "CHN", "111", "Criticize or denounce", -2.0,
                        -0.07, HOSTILE, HOSTILE.index("resume"), HOSTILE.index("resume") + 6,
                        "wire-2019-06-20", "Test Wire <i>", "ingest"),
        ])
    cooling = ChangePoint(date(2020, 3, 1), "cooler", -1.1, -1.6, -0.55, 0.64)
    quads = []
    for i, p in enumerate(series):
        if p.n_events == 0:
            quads.append(QuadPeriod(p.start, p.label, [None] * 4, None, None, 0))
            continue
        coop = 0.78 + 0.1 * math.sin(i * 0.5) - (0.15 if i >= 26 else 0)
        shares = [coop * 0.7, coop * 0.3, (1 - coop) * 0.75, (1 - coop) * 0.25]
        quads.append(QuadPeriod(p.start, p.label, [round(s, 4) for s in shares],
                                [round(max(s - 0.06, 0), 4) for s in shares],
                                [round(min(s + 0.06, 1), 4) for s in shares], p.n_events))
    alignment = []
    for q, start in enumerate(starts[::3]):
        k = 0.35 + 0.04 * q + 0.05 * math.sin(q)
        unga = Estimate(0.58 + 0.01 * q, 0.5 + 0.01 * q, 0.66 + 0.01 * q) if q != 5 else None
        alignment.append(AlignmentPeriod(
            start, f"{start.year}-Q{(start.month - 1) // 3 + 1}",
            event_similarity=Estimate(round(0.6 + 0.03 * q, 3), round(0.5 + 0.03 * q, 3),
                                      round(0.7 + 0.03 * q, 3)),
            event_kappa=Estimate(round(k, 3), round(k - 0.12, 3), round(k + 0.12, 3)),
            unga_agreement=Estimate(0.91, 0.87, 0.94) if unga else None,
            unga_kappa=unga))
    blocs = [BlocCountry(code, name, lat, lon, bloc, pos, round(pos - 0.12, 2),
                         round(pos + 0.12, 2), float(act))
             for code, name, lat, lon, bloc, pos, act in COUNTRIES]
    return ReportData(
        dyad=("CHN", "RUS"), names=("China", "Russia"), since=date(2018, 1, 1),
        until=date(2020, 12, 31), freq="month",
        summary=["Relations between China and Russia were cooperative throughout 2018–2020.",
                 "They warmed markedly from June 2019, around the state visit and a joint "
                 "statement on partnership, and cooled somewhat from March 2020.",
                 "The two vote together in the UN General Assembly far more often than chance."],
        series=series, warmth_label="Warmth (mean Goldstein)",
        change_points=[warming, cooling], quad_shares=quads, alignment=alignment,
        blocs=blocs, bloc_period="2020", bloc_names={"1": "Eastern bloc", "2": "Western bloc",
                                                     "3": "Non-aligned"},
        axis_label="← with China and Russia · with the United States →",
        balance=Balance(0.812, 0.634, 0.002, 4060),
        provenance=Provenance("cordiale-demo.duckdb", {"ingest": 18240, "icews": 120455},
                              datetime(2024, 5, 2, 9, 30, 0), "0.1.0",
                              "cordiale report CHN RUS --output report.html"))


def _svgs(page: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", page, flags=re.S)


@pytest.fixture(scope="module")
def page() -> str:
    return render_report(make_report_data())


def test_every_chart_is_well_formed_svg_with_a_title(page: str) -> None:
    charts = _svgs(page)
    assert len(charts) == 6  # warmth, shares, one driver chart, alignment, map, axis
    for chart in charts:
        root = ET.fromstring(chart)
        assert root.tag == f"{SVG_NS}svg"
        assert root.get("role") == "img" and root.get("aria-label")
        assert root.find(f"{SVG_NS}title") is not None


def test_nothing_external_and_no_nan(page: str) -> None:
    urls = re.findall(r"https?://[^\s\"'<>)]+", page)
    assert set(urls) <= {"http://www.w3.org/2000/svg"}
    assert not re.search(r"\b(src|href)=\"(?!#)", page)  # only in-page anchors
    assert "<script" not in page.replace("&lt;script", "")
    assert not re.search(r"\bnan\b|\binf\b", page, flags=re.I)
    assert "Content-Security-Policy" in page


def test_hostile_sentence_is_escaped_and_trigger_marked(page: str) -> None:
    assert "<script>document.title" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt;" in page
    drivers = make_report_data().change_points[0].drivers
    assert "Putin <mark>signed</mark> a joint" in page
    assert f"<mark>{drivers[1].sentence[6:15]}</mark>" == "<mark>travelled</mark>"
    assert "<mark>travelled</mark>" in page
    assert ("&quot;visits&quot; &lt;img src=x onerror=alert(1)&gt; would <mark>resume</mark>."
            in page)
    assert "Test Wire &lt;i&gt;" in page


def test_hostile_names_are_escaped_inside_charts() -> None:
    data = make_report_data()
    evil = '<b onmouseover="x">Ev"il & Co</b>'
    blocs = [replace(data.blocs[0], name=evil), *data.blocs[1:]]
    page = render_report(replace(data, names=(evil, "Russia"), blocs=blocs))
    assert evil not in page
    for chart in _svgs(page):
        ET.fromstring(chart)


def test_same_input_same_bytes() -> None:
    assert render_report(make_report_data()) == render_report(make_report_data())


def test_gaps_break_the_line_instead_of_bridging_them(page: str) -> None:
    root = ET.fromstring(_svgs(page)[0])
    line = root.find(f".//{SVG_NS}path[@class='series-line']")
    assert line is not None
    assert line.get("d", "").count("M") == 2  # months 10 and 11 have no events
    markers = root.findall(f".//{SVG_NS}g[@class='cp-marker']")
    assert len(markers) == 2


def test_minimal_report_degrades_to_notes() -> None:
    page = render_report(ReportData(("CHN", "RUS"), ("China", "Russia"), date(2018, 1, 1),
                                    date(2018, 12, 31)))
    assert "<svg" not in page
    for needle in ("No events between China and Russia", "No turning points",
                   "Alignment was not measured", "Blocs were not computed",
                   "No provenance", "No summary"):
        assert needle in page


def test_missing_unga_imported_events_and_missing_parts() -> None:
    data = make_report_data()
    alignment = [replace(r, unga_agreement=None, unga_kappa=None) for r in data.alignment]
    blocs = [replace(c, lat=None, lon=None, position=None) for c in data.blocs]
    cp = replace(data.change_points[0], drivers=[d for d in data.change_points[0].drivers
                                                 if not d.sentence])
    page = render_report(replace(data, alignment=alignment, blocs=blocs, balance=None,
                                 change_points=[cp]))
    assert "No UN General Assembly votes are loaded" in page
    assert "UNGA agreement κ" not in page
    assert "Imported event from icews: no sentence text is stored" in page
    assert "No country has a location" in page
    assert "No positions on a bloc axis" in page
    assert "Structural balance was not tested" in page
    for chart in _svgs(page):
        ET.fromstring(chart)


def test_bad_trigger_offsets_show_the_sentence_unmarked() -> None:
    data = make_report_data()
    driver = replace(data.change_points[0].drivers[0], trigger_start=50, trigger_end=400)
    page = render_report(replace(data, change_points=[
        replace(data.change_points[0], drivers=[driver])]))
    assert "<mark>" not in page
    assert driver.sentence in page


def test_timeline_skips_nan_and_none_and_draws_isolated_points() -> None:
    dates = _months(date(2020, 1, 1), 6)
    chart = charts.timeline(dates, [charts.Series("x", [1.0, float("nan"), 2.0, None, -1.0, 0.5],
                                            [0.5, None, 1.5, None, -1.5, 0.0],
                                            [1.5, None, 2.5, None, -0.5, float("nan")])],
                         title="t")
    root = ET.fromstring(chart)
    assert "nan" not in chart.lower()
    assert len(root.findall(f".//{SVG_NS}circle[@class='point']")) == 4
    assert len(root.findall(f".//{SVG_NS}line[@class='whisker']")) == 3
    line = root.find(f".//{SVG_NS}path[@class='series-line']")
    assert line is not None and line.get("d", "").count("M") == 1  # only months 5-6 join


def test_stacked_shares_keep_totals_within_the_plot() -> None:
    chart = charts.stacked_shares(["a", "b", "c"], [[0.6, 0.3, 0.2, 0.1], [None] * 4,
                                                 [0.25, 0.25, 0.25, 0.25]], title="s")
    root = ET.fromstring(chart)
    segments = root.findall(f".//{SVG_NS}rect[@class='segment']")
    assert len(segments) == 7  # over-full first bar is capped, the empty one has none
    assert all(float(r.get("y", "0")) >= 0 for r in segments)
    assert root.find(f".//{SVG_NS}rect[@class='empty']") is not None


@pytest.mark.parametrize(("lo", "hi", "first", "kind"), [
    (date(2020, 1, 1), date(2020, 1, 20), "4 Jan", "days"),
    (date(2020, 1, 1), date(2020, 6, 30), "Jan", "months"),
    (date(2018, 1, 1), date(2019, 12, 31), "Q1", "quarters"),
    (date(2000, 1, 1), date(2020, 12, 31), "2000", "years"),
])
def test_date_ticks_choose_a_sensible_unit(lo: date, hi: date, first: str, kind: str) -> None:
    ticks = charts.date_ticks(lo, hi, 8)
    assert 2 <= len(ticks) <= 8, kind
    assert all(lo <= d <= hi for d, _, _ in ticks)
    assert ticks[0][1] == first or (kind == "days" and ticks[0][1].endswith("Jan")), ticks
    assert ticks[0][2] in ("", str(ticks[0][0].year))


def test_nice_ticks_and_number_format() -> None:
    lo, hi, ticks = charts.nice_ticks(-0.37, 2.61)
    assert lo <= -0.37 and hi >= 2.61 and ticks[0] == lo and ticks[-1] == hi
    assert len(ticks) <= 7
    assert charts.format_value(-1.234) == "\u22121.23"
    assert charts.format_value(0.4, signed=True) == "+0.40"
    assert charts.format_value(-0.001) == "0.00"
    assert charts.format_value(float("nan")) == "–"
    assert charts.format_value(0.256, 0.01, percent=True) == "26%"


def test_bars_and_blocs_stand_alone() -> None:
    bar_chart = charts.bars(
        [charts.Bar("up", 0.4), charts.Bar("down", -0.2), charts.Bar("none", None)], title="b")
    assert len(ET.fromstring(bar_chart).findall(f".//{SVG_NS}g[@class='bar']")) == 2
    points = [charts.MapPoint(c, n, lat, lon, b, a, c in ("CHN", "RUS"))
              for c, n, lat, lon, b, _, a in COUNTRIES]
    root = ET.fromstring(charts.bloc_map(points, title="m"))
    assert len(root.findall(f".//{SVG_NS}circle[@class='country dyad']")) == 2
    axis = [charts.AxisPoint(c, n, p, p - 0.1, p + 0.1, b) for c, n, _, _, b, p, _ in COUNTRIES]
    root = ET.fromstring(charts.bloc_axis(axis, title="a"))
    assert len(root.findall(f".//{SVG_NS}circle[@class='position']")) == len(COUNTRIES)


values = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True, width=64),
                   st.floats(min_value=-10, max_value=10))


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(values, values, values, values), min_size=1, max_size=40),
       st.sampled_from(["day", "week", "month", "year"]))
@example([(1e308, -1e308, 1e308, 1.0), (-1e308, None, None, 0.0)], "month")
@example([(1e-300, None, None, None), (2e-300, 1e-300, 3e-300, None)], "day")
@example([(5.0, 5.0, 5.0, None)], "year")
def test_timeline_is_well_formed_for_any_values(rows: list[tuple[float | None, ...]],
                                                step: str) -> None:
    days = {"day": 1, "week": 7, "month": 31, "year": 366}[step]
    dates = [date.fromordinal(date(2001, 1, 1).toordinal() + i * days) for i in range(len(rows))]
    chart = charts.timeline(dates, [charts.Series("s", [r[0] for r in rows], [r[1] for r in rows],
                                            [r[2] for r in rows], [r[3] for r in rows])],
                         markers=[charts.Marker(dates[len(dates) // 2], "cp", "warmer")],
                         title="t")
    ET.fromstring(chart)
    assert not re.search(r"nan|inf", chart, flags=re.I)
