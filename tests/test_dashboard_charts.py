"""The pieces the dashboard adds to the chart layer, and the page functions, without a browser.

The world map from the vendored shapes, links in charts (site-relative only), the evidence
highlighter, and the vendoring tool reproducing the committed shapes from cached tarballs
(skipped when ``make vendor`` has not cached them in build/npm).
"""

from __future__ import annotations

import importlib.util
import json
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from cordiale.report import charts
from cordiale.web.dashboard.events import PairFilter, highlight
from cordiale.web.dashboard.layout import href, left_out_note

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert(1)</script>"\' onload="x"'


def test_world_map_has_a_shape_per_country_and_escapes_names() -> None:
    shapes = charts.world_shapes()
    assert {"USA", "CHN", "RUS", "BRA", "IND", "ZAF", "AUS", "XKX"} <= set(shapes["countries"])
    assert "ATA" not in shapes["countries"]
    assert "world-atlas" in shapes["source"] and "ISC" in shapes["licence"]
    chart = charts.world_map({"USA": 2.5, "RUS": -4.0, "SGP": 1.0, "BRA": None},
                             title=HOSTILE, names={"RUS": HOSTILE}, anchor="CHN",
                             points={"SGP": (1.29, 103.85)}, limit=5)
    root = ET.fromstring(chart)  # well-formed: nothing broke out of its attribute
    assert "<script>" not in chart
    paths = {p.get("data-code"): p for p in root.iter(f"{SVG}path") if p.get("data-code")}
    assert len(paths) == len(shapes["countries"])
    assert paths["CHN"].get("class") == "country anchor"
    assert paths["USA"].get("fill") == charts.value_color(2.5, 5)
    assert paths["RUS"].get("fill") == charts.value_color(-4.0, 5)
    assert paths["USA"].get("fill") != paths["RUS"].get("fill")
    assert paths["BRA"].get("fill") == charts.value_color(None)
    assert HOSTILE in paths["RUS"].find(f"{SVG}title").text  # as text, escaped in the markup
    dots = [c for c in root.iter(f"{SVG}circle") if c.get("data-code") == "SGP"]
    assert len(dots) == 1  # no shape at 1:110m, so a dot at its capital


def test_value_colours_run_from_cooler_through_grey_to_warmer() -> None:
    assert charts.value_color(0.0) == "#e9ecef"
    assert charts.value_color(1.0) == charts.WARMER.lower()
    assert charts.value_color(-7.0, 2.0) == charts.COOLER.lower()
    assert charts.value_color(float("nan")) == charts.value_color(None)


def test_chart_links_are_site_relative_only() -> None:
    dates = [date(2020, m, 1) for m in (1, 2, 3)]
    chart = charts.timeline(dates, [charts.Series("w", [1.0, 2.0, 3.0],
                                                  hrefs=["/events?a=1&b=2", None, "/x"])],
                            markers=[charts.Marker(dates[1], "cp", "warmer", href="/cp")],
                            title="t")
    root = ET.fromstring(chart)
    links = [a.get("href") for a in root.iter(f"{SVG}a")]
    assert links == ["/cp", "/events?a=1&b=2", "/x"]
    for bad in ("javascript:alert(1)", "//evil.example/x", "data:text/html,x", " /x"):
        with pytest.raises(ValueError, match="site-relative"):
            charts.timeline(dates, [charts.Series("w", [1.0, 2.0, 3.0], hrefs=[bad] * 3)],
                            title="t")
    shares = charts.stacked_shares(["a", "b"], [[0.5, 0.5, 0, 0], [0.2, 0.2, 0.3, 0.3]],
                                   hrefs=["/p/a", "/p/b"], title="s")
    assert [a.get("href") for a in ET.fromstring(shares).iter(f"{SVG}a")] == ["/p/a", "/p/b"]


def test_highlight_marks_spans_and_escapes_everything_else() -> None:
    sentence = "Russia <b>warned</b> Japan & others"
    spans = {"source": {"start": 0, "end": 6}, "trigger": {"start": 7, "end": 20},
             "target": {"start": 21, "end": 26}}
    html = highlight(sentence, spans)
    assert html == ('<mark class="source" title="source">Russia</mark> '
                    '<mark class="trigger" title="trigger">&lt;b&gt;warned&lt;/b&gt;</mark> '
                    '<mark class="target" title="target">Japan</mark> &amp; others')
    # spans out of range or overlapping are dropped, never cut the text
    assert highlight("abc", {"source": {"start": 2, "end": 9}}) == "abc"
    assert highlight("abcdef", {"source": {"start": 0, "end": 4},
                                "target": {"start": 2, "end": 6}}).count("<mark") == 1


def test_links_and_notes_built_from_data_stay_inert() -> None:
    assert href("dyad", "US/A", "javascript:x") == "/dyad/US%2FA/javascript%3Ax"
    assert href("events", q='"><script>', pair="A-B", empty="") == \
        "/events?q=%22%3E%3Cscript%3E&pair=A-B"
    assert 'data-rejected="3"' in left_out_note(0, 3)
    where, params = PairFilter(pair=("usa", "chn")).where()
    assert params[-8:] == ["USA", "USA", "CHN", "CHN", "CHN", "CHN", "USA", "USA"]
    assert "OR" in where[-1]


def test_vendoring_tool_reproduces_the_committed_shapes() -> None:
    cache = ROOT / "build" / "npm"
    if not (cache / "world-atlas-2.0.2.tgz").exists():
        pytest.skip("no cached npm tarballs in build/npm (run 'make vendor' once)")
    spec = importlib.util.spec_from_file_location("build_world_map",
                                                  ROOT / "tools" / "build_world_map.py")
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    built = tool.build(tool.fetch("world-atlas", cache, True),
                       tool.fetch("i18n-iso-countries", cache, True))
    committed = json.loads((ROOT / "src" / "cordiale" / "report" / "charts" / "data" /
                            "world_110m.json").read_text(encoding="utf-8"))
    assert built == committed
