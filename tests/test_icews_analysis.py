"""The ICEWS sample (../shared/data, 4,993 events, 1–3 June 2018) through the analysis.

Imported with ``cordiale import``, then ``dyad``, ``blocs`` and ``report`` on it, and the
report opened in headless Chromium with the network blocked. Skips without ../shared; the
browser part also skips without Chromium or Playwright.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import chromium_page
from cordiale.cli import main


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def icews_db(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("icews") / "icews.duckdb")
    run("import", str(shared / "data" / "icews_sample.csv.gz"), "--format", "icews", "--db", db)
    return db


def test_dyad_on_icews(icews_db: str) -> None:
    rows = [json.loads(x) for x in run("dyad", "USA", "CHN", "--db", icews_db, "--freq", "day",
                                       "--format", "jsonl").stdout.splitlines()]
    assert [r["period"] for r in rows] == ["2018-06-01", "2018-06-02", "2018-06-03"]
    assert sum(r["events"] for r in rows) > 50
    for r in rows:
        assert r["warmth_low"] <= r["warmth"] <= r["warmth_high"]
        assert 0 < r["per_1000"] < 1000


def test_blocs_on_icews(icews_db: str) -> None:
    result = run("blocs", "--db", icews_db, "--format", "jsonl", "--replicates", "100")
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    assert len(rows) > 100  # countries with relations in June 2018
    assert "2018-06-01 to 2018-06-30" in result.stderr
    by = {r["country"]: r for r in rows}
    assert by["USA"]["position"] > 0  # the default anchor
    assert "balance:" in result.stderr


@pytest.fixture(scope="module")
def report_page(icews_db: str, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("report") / "usa-chn.html"
    run("report", "USA", "CHN", "--db", icews_db, "--freq", "day", "--output", str(out),
        "--replicates", "100")
    with chromium_page(out) as opened:
        yield opened


@pytest.mark.slow
def test_icews_report_renders_offline_in_a_browser(report_page: dict[str, Any]) -> None:
    page = report_page["page"]
    assert all(u.startswith("file://") for u in report_page["requests"])
    assert report_page["blocked"] == []
    assert [c for c in report_page["console"] if c.startswith(("error", "pageerror"))] == []
    assert "United States" in page.title() or "United States" in page.inner_text("h1")
    charts = page.locator("svg.chart")
    assert charts.count() >= 5
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 60
    # three days of warmth, one dot each, and a bloc map of the month's countries
    assert page.locator("#warmth svg.timeline circle.point").count() == 3
    assert page.locator("#blocs svg.bloc-map circle.country").count() > 100
