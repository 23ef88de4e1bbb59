"""The analysis commands end to end on a synthetic store whose structure is planted.

The store (:func:`cordiale.analysis.synthetic.fill_store`) puts countries in three blocs by
their position in the list (index mod 3) and makes the first two countries' relation step
from hostile to friendly at the midpoint of the time span.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from cordiale.analysis.synthetic import fill_store
from cordiale.cli import main
from cordiale.store import Store

COUNTRIES = ["CHN", "RUS", "USA", "IND", "TUR", "IRN", "FRA", "DEU", "GBR", "JPN", "BRA",
             "ZAF", "EGY", "NGA", "MEX"]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("cli") / "syn.duckdb")
    with Store(path) as store:
        fill_store(store, 80_000, COUNTRIES, days=1460, per_story=2)  # 2015-2018
    return path


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result


def test_blocs_default_is_the_latest_month_and_recovers_the_planted_blocs(db):
    result = run("blocs", "--db", db, "--format", "jsonl", "--replicates", "100")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {r["country"] for r in rows} == set(COUNTRIES)
    assert "2018-12-01 to 2018-12-31" in result.stderr
    bloc_of = {r["country"]: r["bloc"] for r in rows}
    planted = {c: i % 3 for i, c in enumerate(COUNTRIES)}
    # same planted bloc <=> same found bloc, for every pair
    for x in COUNTRIES:
        for y in COUNTRIES:
            assert (planted[x] == planted[y]) == (bloc_of[x] == bloc_of[y]), (x, y)
    assert "balance:" in result.stderr


def test_blocs_named_period_anchor_and_csv(db):
    result = run("blocs", "--db", db, "--period", "2017-Q2", "--anchor", "RUS",
                 "--format", "csv", "--replicates", "100")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    pos = {r["country"]: float(r["position"]) for r in rows if r["position"]}
    assert pos["RUS"] > 0
    assert "2017-04-01 to 2017-06-30" in result.stderr


def test_blocs_rejects_a_bad_period(db):
    result = CliRunner().invoke(main, ["blocs", "--db", db, "--period", "2017-Q7"])
    assert result.exit_code == 2
    assert "not a period" in result.output


def test_blocs_drift_lists_positions_per_period(db):
    result = run("blocs", "--db", db, "--drift", "--freq", "year", "--format", "jsonl")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {"2015", "2016", "2017", "2018"} <= set(rows[0])
    assert all("slope_per_year" in r for r in rows)


def test_changes_finds_the_planted_step_with_drivers(db):
    result = run("changes", "CHN", "RUS", "--db", db, "--freq", "quarter", "--format",
                 "jsonl", "--replicates", "100")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    warming = [r for r in rows if r["direction"] == "warming" and r["shift"] > 2]
    assert warming, rows
    # planted midpoint of 2015-01-01 + 1460 days: 2016-12-31, so the step is in 2017-Q1
    assert warming[0]["period"] in ("2016-Q4", "2017-Q1", "2017-Q2")
    assert warming[0]["shift_low"] > 0
    drivers = warming[0]["drivers"]
    assert drivers and all(d["goldstein"] > 0 for d in drivers[:3])
    assert warming[0]["survival"] is not None


def test_changes_table_and_csv(db):
    table = run("changes", "CHN", "RUS", "--db", db, "--freq", "quarter", "--replicates", "100")
    assert "warming" in table.stdout and "contribution" in table.stdout
    flat = run("changes", "CHN", "RUS", "--db", db, "--freq", "quarter", "--format", "csv",
               "--replicates", "100")
    rows = list(csv.DictReader(io.StringIO(flat.stdout)))
    assert rows and {"period", "rank", "driver_event_id", "driver_contribution"} <= set(rows[0])


def test_report_is_one_self_contained_file(db, tmp_path):
    out = tmp_path / "r.html"
    result = run("report", "CHN", "RUS", "--db", db, "--freq", "quarter", "--output", str(out),
                 "--replicates", "100")
    assert "wrote" in result.stderr
    page = out.read_text(encoding="utf-8")
    assert page.count("<svg") >= 4
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in page
    assert "<script" not in page
    for svg in page.split("<svg")[1:]:
        ET.fromstring("<svg" + svg.split("</svg>")[0] + "</svg>")
    assert "China" in page and "Russia" in page
    assert "Turning points" in page or "turning point" in page.lower()


def test_align_reports_how_fast_alignment_moves(db):
    result = run("align", "CHN", "USA", "--db", db, "--freq", "quarter", "--replicates", "100")
    line = [x for x in result.stderr.splitlines() if x.startswith("trend of event alignment")]
    assert line and "per quarter over 16 quarters (2015-Q1–2018-Q4)" in line[0]


def test_evidence_points_into_the_sentence(tmp_path):
    """Drivers and reports quote events by id: the trigger offsets index the sentence."""
    from cordiale.pipeline import ingest

    db = str(tmp_path / "samples.duckdb")
    root = Path(__file__).resolve().parent.parent
    ingest([str(root / "samples")], db=db)
    with Store(db, read_only=True) as store:
        ids = [r[0] for r in store.con.execute(
            "SELECT event_id FROM events ORDER BY event_id LIMIT 20").fetchall()]
        found = store.evidence([*ids, "no-such-event"])
    assert set(found) == set(ids)
    for ev in found.values():
        assert ev["sentence"] and ev["doc_id"]
        if ev["trigger_start"] is not None:
            assert ev["sentence"][ev["trigger_start"]:ev["trigger_end"]] == ev["trigger"]
    assert sum(ev["trigger_start"] is not None for ev in found.values()) >= 15
