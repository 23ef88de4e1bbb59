"""The report in a real browser: headless Chromium opens the file with the network blocked.

What only a browser can tell: that the charts lay out with real size, that every series, dot and
marker is drawn and visible, that the page asks for nothing beyond its own file, that nothing
logs an error, and that hostile text in a sentence stays text. Skips when Chromium or the
Playwright package is missing, so the suite still runs on a bare machine.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import Any

import pytest

from conftest import chromium_page
from cordiale.report import render_report
from test_report_render import make_report_data

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The example report opened once; requests and console messages recorded."""
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render_report(make_report_data()), encoding="utf-8")
    with chromium_page(path) as opened:
        shot = path.parent / "report.png"
        opened["page"].screenshot(path=str(shot), full_page=True)
        yield {**opened, "shot": shot, "path": path}


def _visible(page: Any, selector: str) -> int:
    """How many elements match ``selector`` and occupy a non-empty box on the page."""
    return int(page.evaluate(
        """sel => Array.from(document.querySelectorAll(sel)).filter(el => {
               const r = el.getBoundingClientRect();
               const s = getComputedStyle(el);
               return (r.width > 0 || r.height > 0) && s.visibility !== 'hidden'
                      && s.display !== 'none';
           }).length""", selector))


def test_no_request_leaves_the_file(loaded: dict[str, Any]) -> None:
    assert loaded["requests"], "the route handler saw no request at all"
    assert all(u.startswith("file://") for u in loaded["requests"]), loaded["requests"]
    assert loaded["blocked"] == []


def test_no_console_errors(loaded: dict[str, Any]) -> None:
    assert loaded["console"] == []


def test_charts_have_size(loaded: dict[str, Any]) -> None:
    page = loaded["page"]
    charts = page.locator("svg.chart")
    assert charts.count() == 6
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 60, (i, box)


def test_series_and_markers_are_drawn(loaded: dict[str, Any]) -> None:
    page, data = loaded["page"], make_report_data()
    warm_points = sum(p.warmth is not None for p in data.series)
    assert _visible(page, "#warmth svg.timeline path.series-line") == 1
    assert _visible(page, "#warmth svg.timeline path.band") == 1
    assert _visible(page, "#warmth svg.timeline circle.point") == warm_points
    assert _visible(page, "#warmth svg.timeline g.cp-marker line") == len(data.change_points)
    unga_points = sum(r.unga_kappa is not None for r in data.alignment)
    assert _visible(page, "#alignment svg.timeline path.series-line") == 2
    assert _visible(page, "#alignment svg.timeline circle.point") == (
        len(data.alignment) + unga_points)
    shares = sum(sum(1 for v in q.shares if v) for q in data.quad_shares)
    assert _visible(page, "#composition rect.segment") == shares
    assert _visible(page, "#blocs svg.bloc-map circle.country") == len(data.blocs)
    assert _visible(page, "#blocs svg.bloc-map circle.dyad") == 2
    assert _visible(page, "#blocs svg.bloc-axis circle.position") == len(data.blocs)
    assert _visible(page, "#changes svg.bars g.bar rect") == len(data.change_points[0].drivers)


def test_hostile_sentence_stays_text(loaded: dict[str, Any]) -> None:
    page = loaded["page"]
    assert page.title() != "pwned"
    assert page.evaluate("document.querySelectorAll('script, img, iframe, object').length") == 0
    quotes = page.locator("ol.drivers blockquote").all_inner_texts()
    assert any('<script>document.title="pwned"</script>' in q for q in quotes)
    assert page.locator("ol.drivers mark").count() == 3


def test_tooltips_and_tables_need_no_script(loaded: dict[str, Any]) -> None:
    page = loaded["page"]
    title = page.locator("#warmth circle.point title").first.text_content() or ""
    assert title.startswith("Warmth, 2018-01-01:") and "events" in title
    table = page.locator("#warmth details table")
    assert not table.is_visible()
    page.locator("#warmth details summary").click()
    assert table.is_visible()
    assert page.locator("#warmth details tbody tr").count() == len(make_report_data().series)


def test_screenshot_is_a_real_picture(loaded: dict[str, Any]) -> None:
    data = loaded["shot"].read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width == 1100 and height > 3000  # the whole page, not one screen
    assert len(data) > 100_000  # charts and text, not a blank canvas
