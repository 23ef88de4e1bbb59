"""The report lists the dyad's most consequential events with their sentences (issue 9), shown
in headless Chromium with the network blocked, on a store the project's samples were ingested
into."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import chromium_page
from cordiale.cli import main

pytestmark = [pytest.mark.slow, pytest.mark.model]

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _invoke(tmp: Path, args: list[str]):
    env: dict[str, str | None] = {k: None for k in os.environ if k.startswith("CORDIALE_")}
    env["CORDIALE_CONFIG"] = str(tmp / "none.toml")
    return CliRunner().invoke(main, args, env=env, catch_exceptions=False)


def test_report_lists_key_events_with_their_sentences(tmp_path: Path) -> None:
    db = tmp_path / "samples.duckdb"
    assert _invoke(tmp_path, ["ingest", str(SAMPLES), "--db", str(db), "-q"]).exit_code == 0
    report = tmp_path / "chn-rus.html"
    result = _invoke(tmp_path, ["report", "CHN", "RUS", "--db", str(db), "--freq", "month",
                                "--output", str(report)])
    assert result.exit_code == 0, result.output
    with chromium_page(report) as opened:
        page = opened["page"]
        items = page.locator("#key-events li")
        assert items.count() >= 3
        for i in range(items.count()):
            item = items.nth(i)
            assert item.locator("blockquote").inner_text().strip(), "an event without its words"
            assert item.locator("blockquote mark").count() == 1  # the trigger, marked
            assert "→" in item.locator(".driver-meta").inner_text()
        assert opened["blocked"] == [] and opened["console"] == []
        page.screenshot(path=str(tmp_path / "key-events.png"), full_page=True)
