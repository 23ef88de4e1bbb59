"""The dashboard in headless Chromium against a real ``cordiale serve`` with the network blocked.

Two stores, each made the way users make them and served by the real command in a subprocess:

* the six months of ICEWS events in ../shared (325,691 events), imported once per session with
  ``cordiale import --format icews``: an analyst opens the dashboard, picks USA–CHN, clicks a
  turning point, opens an event's evidence, marks it wrong with the token, and sees the dyad's
  count drop by one — on the event page (from the API) and on the dyad page. A screenshot of
  each page is taken; with ``CORDIALE_SCREENSHOTS=docs/img`` they replace the ones in the docs
  (otherwise they go to a temporary folder, so a test run leaves the work tree as it was):
  ``CORDIALE_SCREENSHOTS=docs/img pytest tests/test_dashboard_browser.py -k turning``;
* a hostile store: a news article whose text, title, URL and outlet carry script tags, event
  handlers and ``javascript:`` links, ingested through the real pipeline, plus ICEWS rows whose
  actor and outlet names do the same, imported by the real importer. Every page and the
  report are opened; no script of theirs runs (``window.__pwned`` stays unset, no dialog
  opens) and the content-security policy is never even tested (no violation reported).

Every request outside the test server is aborted and recorded. Skips without Chromium,
Playwright or ../shared.
"""

from __future__ import annotations

import json
import os
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from conftest import CHROMIUM, CHROMIUM_ARGS
from serving import cordiale, running_server

pytestmark = [pytest.mark.slow, pytest.mark.shared]

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "test-token-for-reviews"
CSP_PROBE = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
    e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || '')));
"""


@contextmanager
def browser_on(base: str) -> Iterator[dict[str, Any]]:
    """A Chromium page that may reach ``base`` and nothing else; records what it saw."""
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="the playwright package is not installed")
    seen: dict[str, Any] = {"requests": [], "blocked": [], "console": [], "dialogs": []}

    def route(r: Any) -> None:
        url = r.request.url
        seen["requests"].append(url)
        if url == base or url.startswith(base + "/"):
            r.continue_()
        else:
            seen["blocked"].append(url)
            r.abort()

    def dialog(d: Any) -> None:
        seen["dialogs"].append(d.message)
        d.dismiss()

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1200, "height": 900})
            context.add_init_script(CSP_PROBE)
            page = context.new_page()
            page.route("**/*", route)
            page.on("console", lambda m: seen["console"].append(f"{m.type}: {m.text}")
                    if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: seen["console"].append(f"pageerror: {e}"))
            page.on("dialog", dialog)
            seen["page"] = page
            yield seen
        finally:
            browser.close()


# -- the ICEWS store: pick a dyad, follow a turning point, review an event --------------------


@pytest.fixture(scope="session")
def icews_db(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("icews-dash") / "icews.duckdb"
    cordiale("import", str(shared / "data" / "icews_daily_2018-10_2019-03.tab.gz"),
             "--format", "icews", "--db", str(db))
    return db


def screenshots(tmp_path: Path) -> Path:
    """Where screenshots go: $CORDIALE_SCREENSHOTS (relative to the repo) or ``tmp_path``."""
    shots = Path(os.environ.get("CORDIALE_SCREENSHOTS") or tmp_path)
    if not shots.is_absolute():
        shots = ROOT / shots
    shots.mkdir(parents=True, exist_ok=True)
    return shots


def _count(page: Any, selector: str) -> int:
    return int(page.locator(selector).first.get_attribute("data-count"))


def test_pick_a_dyad_follow_a_turning_point_and_mark_an_event_wrong(icews_db: Path,
                                                                   tmp_path: Path) -> None:
    shots = screenshots(tmp_path)
    with running_server(icews_db, "--allow-writes", token=TOKEN) as base, \
            browser_on(base) as seen:
        page = seen["page"]
        page.goto(base + "/")
        assert page.locator("#overview-events .tile-value").inner_text() == "325,691"
        assert page.locator("svg.timeline circle.point").count() > 20  # weeks with events
        assert page.locator("ol.busiest a.dyad-link").count() == 10
        page.screenshot(path=str(shots / "dashboard-overview.png"), full_page=True)

        # pick USA–CHN with the dyad form, by week
        page.click("nav a[href^='/dyad']")
        page.fill("form.controls input[name=a]", "USA")
        page.fill("form.controls input[name=b]", "China")  # a name resolves too
        page.select_option("form.controls select[name=freq]", "week")
        with page.expect_navigation():
            page.click("form.controls button[type=submit]")
        assert page.url.startswith(base + "/dyad/USA/CHN")
        assert page.locator("#warmth svg.timeline path.band").count() == 1
        markers = page.locator("#warmth svg.timeline g.cp-marker a.chart-link")
        assert markers.count() >= 1, "USA–CHN by week has turning points"
        before = _count(page, "#dyad-events .count")
        assert before > 4000
        assert _count(page, "#dyad-rejected .count") == 0
        page.screenshot(path=str(shots / "dashboard-dyad.png"), full_page=True)

        # click the first turning point: the events of its week, between the two countries
        with page.expect_navigation():
            markers.first.locator("rect").click(force=True)
        assert "/events?" in page.url and "pair=USA-CHN" in page.url
        rows = page.locator("table.events tbody tr")
        assert rows.count() > 0
        since = page.locator("input[name=since]").input_value()
        until = page.locator("input[name=until]").input_value()
        dates = page.locator("table.events tbody td:first-child").all_inner_texts()
        assert all(since <= d <= until for d in dates), (since, until, dates)
        sources = page.locator("table.events tbody td:nth-child(2) code").all_inner_texts()
        targets = page.locator("table.events tbody td:nth-child(4) code").all_inner_texts()
        assert len(sources) == len(targets) == rows.count()
        assert all({s, t} == {"USA", "CHN"} for s, t in zip(sources, targets, strict=True))
        page.screenshot(path=str(shots / "dashboard-events.png"), full_page=True,
                        clip={"x": 0, "y": 0, "width": 1200, "height": 1500})

        # open one event's evidence
        with page.expect_navigation():
            page.locator("table.events a.event-link").first.click()
        assert "/events/" in page.url
        facts = page.locator("dl.facts-list").inner_text()
        for label in ("Date's basis", "Modality", "Rule that fired", "Source", "Target"):
            assert label in facts
        assert _count(page, "#dyad-counts .dyad-total") == before

        # mark it wrong with the token; the counts come back from the API
        page.fill("#token-input", TOKEN)
        page.click("#token-form button")
        page.fill("#reviewer", "browser test")
        page.click("button[data-verdict=wrong]")
        page.wait_for_selector("body[data-reviewed=wrong]", timeout=60_000)
        assert page.locator("#latest-verdict").inner_text() == "wrong"
        assert _count(page, "#dyad-counts .dyad-total") == before - 1
        assert _count(page, "#dyad-counts .dyad-rejected") == 1
        page.screenshot(path=str(shots / "dashboard-event.png"), full_page=True)

        # the dyad page leaves it out and says so
        page.goto(base + "/dyad/USA/CHN?freq=week")
        assert _count(page, "#dyad-events .count") == before - 1
        assert _count(page, "#dyad-rejected .count") == 1
        assert page.locator(".left-out .rejected-left-out").count() == 1

        # blocs: the map and the network; the slider moves to another period
        page.goto(base + "/blocs?focus=CHN")
        assert page.locator("svg.world-map path.country").count() > 150
        assert page.locator("svg.world-map path.country.anchor[data-code=CHN]").count() == 1
        assert page.locator("svg.bloc-map line.edge").count() > 20
        page.screenshot(path=str(shots / "dashboard-blocs.png"), full_page=True,
                        clip={"x": 0, "y": 0, "width": 1200, "height": 2300})
        shown = page.locator("#period-label").inner_text()
        with page.expect_navigation():
            page.focus("#period-slider")
            page.keyboard.press("ArrowLeft")
        assert "period=" in page.url
        assert page.locator("#period-label").inner_text() < shown

        assert seen["blocked"] == []
        assert seen["dialogs"] == []
        assert seen["console"] == []
        assert page.evaluate("window.__csp") == []


# -- hostile text is inert everywhere ------------------------------------------------------

X = "<script>window.__pwned=1</script>"
IMG_TAG = '<img src=x onerror="window.__pwned=1;alert(1)">'
LINK = '<a href="javascript:window.__pwned=1">here</a>'
QUOTE = "\"' onmouseover=\"window.__pwned=1\" x='"
ICEWS_HEADER = ("Event ID\tEvent Date\tSource Name\tSource Sectors\tSource Country\tEvent Text\t"
                "CAMEO Code\tIntensity\tTarget Name\tTarget Sectors\tTarget Country\tStory ID\t"
                "Sentence Number\tPublisher\tCity\tDistrict\tProvince\tCountry\tLatitude\t"
                "Longitude")


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    db = folder / "hostile.duckdb"
    article = {
        "id": "hostile-article", "date": "2019-01-15", "url": "javascript:window.__pwned=1",
        "source": f"Evil Times {X}{IMG_TAG}", "title": f"Headline {X} {LINK}",
        "text": (f"The United States condemned China on Tuesday {X} over its trade policy "
                 f"{IMG_TAG}. China accused the United States of bullying {LINK} on Wednesday. "
                 f"Russia praised China {QUOTE} on Thursday.")}
    (folder / "news.jsonl").write_text(json.dumps(article) + "\n", encoding="utf-8")
    cordiale("ingest", str(folder / "news.jsonl"), "--db", str(db))
    rows = [ICEWS_HEADER]
    for i, (source, target, code) in enumerate([("United States", "China", "042"),
                                                ("China", "United States", "111"),
                                                ("Russia", "China", "057")]):
        rows.append("\t".join([
            str(900 + i), f"2019-01-{10 + i:02d}", f"Minister {X}{QUOTE}", "Government",
            source, "Make statement", code, "1", f"Envoy {IMG_TAG}", "Government", target,
            str(77 + i), "1", f"Outlet {LINK}{X}", "City", "", "", source, "0", "0"]))
    (folder / "hostile.tab").write_text("\n".join(rows) + "\n", encoding="utf-8")
    cordiale("import", str(folder / "hostile.tab"), "--format", "icews", "--db", str(db))
    return db


def test_hostile_text_is_inert_in_every_page_and_the_report(hostile_db: Path,
                                                             tmp_path: Path) -> None:
    shots = screenshots(tmp_path)
    with running_server(hostile_db, "--allow-writes", token=TOKEN) as base, \
            browser_on(base) as seen:
        page = seen["page"]
        with urllib.request.urlopen(base + "/api/events?limit=100&include_hypothetical=true",
                                    timeout=30) as r:
            ids = [e["event_id"] for e in json.load(r)["events"]]
        assert len(ids) >= 5  # two or three coded from the article, three imported
        urls = ["/", "/dyad/USA/CHN", "/dyad/CHN/RUS?freq=week", "/blocs?focus=CHN",
                "/blocs?period=2019-01&anchor=CHN&focus=USA", "/events",
                "/events?q=script&include_hypothetical=1", "/events?outlet=x",
                *[f"/events/{i}" for i in ids], "/api/report/USA/CHN?replicates=50"]
        texts: list[str] = []
        evidence_pages: list[str] = []
        for url in urls:
            response = page.goto(base + url)
            assert response is not None and response.status == 200, url
            page.mouse.move(300, 300)
            for link in page.locator("a").all()[:60]:  # no link may lead to script
                target = (link.get_attribute("href") or "").strip().lower()
                assert not target.startswith(("javascript:", "data:", "vbscript:")), (url, target)
            assert page.locator("script:not([src])").count() == 0 or url.startswith("/api/"), url
            assert page.locator("img, iframe, object, embed").count() == 0, url
            texts.append(page.inner_text("body"))
            if url.startswith("/events/") and page.locator("blockquote.evidence").count():
                marks = page.locator("blockquote.evidence mark")
                assert page.locator("blockquote.evidence mark.trigger").count() == 1, url
                assert marks.count() >= 2, url  # the trigger and at least one side
                evidence_pages.append(url)
            assert page.evaluate("window.__pwned") is None, url
            assert page.evaluate("window.__csp") == [], url
        assert len(evidence_pages) >= 2  # the article's events show their sentence
        page.goto(base + evidence_pages[0])
        page.screenshot(path=str(shots / "dashboard-evidence.png"), full_page=True)

        # a correction whose note is hostile: stored through the API, shown inert
        page.goto(base + f"/events/{ids[0]}")
        page.fill("#token-input", TOKEN)
        page.click("#token-form button")
        page.fill("#reviewer", f"ana {X}")
        page.fill("#review-form input[name=cameo_code]", "057")
        page.fill("#review-form input[name=note]", f"wrong code {IMG_TAG}{LINK}")
        page.click("button[data-verdict=corrected]")
        page.wait_for_selector("body[data-reviewed=corrected]", timeout=60_000)
        page.reload()
        history = page.locator("ol.history li").first.inner_text()
        assert "corrected" in history and "057" in history and "onerror" in history
        assert page.locator("img").count() == 0
        assert page.evaluate("window.__pwned") is None
        assert page.evaluate("window.__csp") == []
        joined = "\n".join(texts)
        assert "window.__pwned=1" in joined  # shown as text, not run
        assert "Evil Times" in joined and "Minister" in joined and "Outlet" in joined
        assert seen["dialogs"] == []
        assert seen["blocked"] == []
