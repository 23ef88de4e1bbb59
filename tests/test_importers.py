"""``cordiale import``: ICEWS (both layouts), GDELT 1.0/2.0 and cordiale JSONL into events.

The ICEWS tests read ../shared/data (skipped when absent); the GDELT and JSONL files are written
here, row by row, with values made up for the tests. GDELT rows are built by column position
from the codebooks, independently of the importer's own layout tables.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import time
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import CliRunner, Result

from cordiale.cli import main
from cordiale.records import EVENT_FIELDS

ICEWS_CSV = "data/icews_sample.csv.gz"
ICEWS_TAB = "data/icews_events.2018.sample.tab.gz"


def invoke(tmp: Path, args: list[str]) -> Result:
    env: dict[str, str | None] = {k: None for k in os.environ if k.startswith("CORDIALE_")}
    env["CORDIALE_CONFIG"] = str(tmp / "no-such-cordiale.toml")
    return CliRunner().invoke(main, args, env=env, catch_exceptions=False)


def rows(db: Path, sql: str, params: list[Any] | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def event(db: Path, event_id: str) -> dict[str, Any]:
    with duckdb.connect(str(db), read_only=True) as con:
        cur = con.execute("SELECT * FROM events WHERE event_id = ?", [event_id])
        names = [d[0] for d in cur.description]
        found = cur.fetchall()
    assert len(found) == 1, f"{event_id}: {len(found)} rows"
    return dict(zip(names, found[0], strict=True))


def errors(db: Path) -> list[dict[str, Any]]:
    with duckdb.connect(str(db), read_only=True) as con:
        cur = con.execute("SELECT origin, line, reason FROM errors ORDER BY origin, line")
        return [{"origin": o, "line": n, "reason": r} for o, n, r in cur.fetchall()]


# -- ICEWS -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def icews_db(tmp_path_factory, shared: Path) -> tuple[Path, Result, float]:
    tmp = tmp_path_factory.mktemp("icews")
    db = tmp / "icews.duckdb"
    started = time.perf_counter()
    result = invoke(tmp, ["import", str(shared / ICEWS_CSV), "--format", "icews", "--db",
                          str(db)])
    return db, result, time.perf_counter() - started


def _icews_file_rows(path: Path) -> dict[str, dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        return {r["event_id"]: r for r in csv.DictReader(fh)}


@pytest.mark.shared
def test_icews_csv_imports_every_event(icews_db) -> None:
    db, result, seconds = icews_db
    assert result.exit_code == 0, result.output
    assert rows(db, "SELECT count(*), min(origin), max(origin), min(coder) FROM events") == [
        (4993, "icews", "icews", "icews")]
    assert "4993 rows read, 4993 imported, 0 already present, 0 failed" in result.stdout
    assert errors(db) == []
    assert seconds < 10  # well under a second on an idle machine; generous for a shared CI


@pytest.mark.shared
def test_icews_fields_are_mapped_from_the_file(icews_db, shared: Path) -> None:
    db, _, _ = icews_db
    source = _icews_file_rows(shared / ICEWS_CSV)["32889836"]
    ev = event(db, "icews:32889836")
    assert source["source_country"] == "Bangladesh" and source["target_country"] == "Vietnam"
    assert (ev["source_country"], ev["target_country"]) == ("BGD", "VNM")
    assert (ev["source_sector"], ev["target_sector"]) == ("GOV", "MIL")
    assert (ev["source_code"], ev["target_code"]) == ("BGDGOV", "VNMMIL")
    assert ev["source_name"] == source["source_name"]
    assert ev["cameo_code"] == source["cameo_code"] == "040"
    assert ev["cameo_root"] == "04" and ev["quad_class"] == 1 and ev["plover_type"] == "CONSULT"
    assert ev["goldstein"] == float(source["intensity"])
    assert ev["origin_event_id"] == "32889836"
    assert ev["story_id"] == ev["doc_id"] == f"icews:{source['story_id']}"
    assert ev["sentence_index"] == int(source["sentence_number"])
    assert ev["publisher"] == source["publisher"]
    assert ev["date"] == "2018-06-01" and ev["date_precision"] == "day"
    assert str(ev["event_date"]) == "2018-06-01"
    assert (ev["location_name"], ev["location_country"]) == (source["city"], "VNM")
    assert (ev["latitude"], ev["longitude"]) == (float(source["latitude"]),
                                                 float(source["longitude"]))
    assert ev["sentence"] is None and ev["trigger_text"] is None and ev["char_start"] is None
    assert ev["confidence"] == 1.0 and ev["modality"] == "asserted"
    assert not (ev["negated"] or ev["hypothetical"] or ev["reciprocal"])


@pytest.mark.shared
def test_icews_every_row_matches_its_cameo_code_and_intensity(icews_db, shared: Path) -> None:
    db, _, _ = icews_db
    stored = {eid: (code, g) for eid, code, g in
              rows(db, "SELECT origin_event_id, cameo_code, goldstein FROM events")}
    for eid, source in _icews_file_rows(shared / ICEWS_CSV).items():
        assert stored[eid] == (source["cameo_code"], float(source["intensity"])), eid


@pytest.mark.shared
def test_icews_countries_are_iso3_or_empty(icews_db) -> None:
    db, _, _ = icews_db
    bad = rows(db, "SELECT DISTINCT source_country FROM events WHERE length(source_country) "
                   "<> 3 UNION SELECT DISTINCT target_country FROM events "
                   "WHERE length(target_country) <> 3")
    assert bad == []
    # ICEWS spells some states its own way; they still map
    assert rows(db, "SELECT count(*) FROM events WHERE source_country = 'MKD' OR "
                    "target_country = 'MKD'")[0][0] > 0


@pytest.mark.shared
def test_icews_reimport_adds_nothing(icews_db, shared: Path, tmp_path: Path) -> None:
    db, _, _ = icews_db
    result = invoke(tmp_path, ["import", str(shared / ICEWS_CSV), "--format", "icews", "--db",
                               str(db)])
    assert result.exit_code == 0, result.output
    assert "0 imported, 4993 already present" in result.stdout
    assert rows(db, "SELECT count(*) FROM events") == [(4993,)]


@pytest.mark.shared
def test_events_dyad_on_imported_icews(icews_db, shared: Path, tmp_path: Path) -> None:
    db, _, _ = icews_db
    expected = sum(1 for r in _icews_file_rows(shared / ICEWS_CSV).values()
                   if r["source_country"] == "China" and r["target_country"] == "United States")
    assert expected > 0
    result = invoke(tmp_path, ["events", "--db", str(db), "--dyad", "CHN,USA",
                               "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    listed = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(listed) == expected
    assert {(e["source_country"], e["target_country"]) for e in listed} == {("CHN", "USA")}
    assert all(e["coder"] == "icews" and e["event_id"].startswith("icews:") for e in listed)


@pytest.mark.shared
def test_icews_tab_layout_imports_with_na_as_empty(shared: Path, tmp_path: Path) -> None:
    db = tmp_path / "tab.duckdb"
    result = invoke(tmp_path, ["import", str(shared / ICEWS_TAB), "--format", "icews",
                               "--db", str(db)])
    assert result.exit_code == 0, result.output
    with gzip.open(shared / ICEWS_TAB, "rt", encoding="utf-8") as fh:
        lines = sum(1 for line in fh if line.strip()) - 1
    assert rows(db, "SELECT count(*) FROM events") == [(lines,)]
    assert f"{lines} rows read, {lines} imported" in result.stdout
    ev = event(db, "icews:32891065")  # an actor with no sectors ("NA") and no city
    assert ev["source_sector"] is None and ev["source_code"] == "JPN"
    assert (ev["target_country"], ev["cameo_code"], ev["goldstein"]) == ("VNM", "032", 4.5)
    assert ev["location_name"] is None and ev["location_country"] == "JPN"
    assert rows(db, "SELECT count(*) FROM events WHERE source_country = 'NA' "
                    "OR publisher = 'NA' OR location_name = 'NA'") == [(0,)]


ICEWS_HEADER = ("event_id,event_date,source_name,source_sectors,source_country,event_text,"
                "cameo_code,intensity,target_name,target_sectors,target_country,story_id,"
                "sentence_number,publisher,city,district,province,country,latitude,longitude")


def test_icews_bad_rows_are_reported_and_the_rest_lands(tmp_path: Path) -> None:
    path = tmp_path / "small.csv"
    path.write_text("\n".join([
        ICEWS_HEADER,
        "1,2019-05-02,Army (Chile),Military,Chile,x,190,-10,Citizen (Peru),Social,Peru,"
        "70,1,Some Wire,Lima,,Lima,Peru,-12.05,-77.04",
        "2,2019-05-02,Chile,,Chile,x,040,,Atlantis,,Atlantis,71,2,Some Wire,,,,Chile,,",
        "3,2019-13-02,Chile,,Chile,x,040,1,Peru,,Peru,72,1,Some Wire,,,,,,",
        "4,2019-05-02,Chile,,Chile,x,999,1,Peru,,Peru,73,1,Some Wire,,,,,,",
        "5,2019-05-02,Chile,,Chile,x,040,strong,Peru,,Peru,74,1,Some Wire,,,,,,",
        "6,2019-05-02,Chile,,Chile,x,040,1,Peru",
        "7,2019-05-03,Peru,,Peru,x,36,,Chile,,Chile,75,1,Some Wire,,,,,,",
    ]) + "\n", encoding="utf-8")
    db = tmp_path / "small.duckdb"
    result = invoke(tmp_path, ["import", str(path), "--format", "icews", "--db", str(db)])
    assert result.exit_code == 1
    assert "7 rows read, 3 imported, 0 already present, 4 failed, 1 unmapped" in result.stdout
    assert "'Atlantis' ×1" in result.stdout
    found = {(e["line"], e["reason"]) for e in errors(db)}
    assert found == {
        (4, "Event Date '2019-13-02' is not a date (YYYY-MM-DD)"),
        (5, "unknown CAMEO code '999'"),
        (6, "Intensity 'strong' is not a number"),
        (7, "expected 20 fields, found 9"),
    }
    assert all(e["origin"] == str(path) for e in errors(db))
    assert f"{path} line 4: Event Date" in result.stderr
    # an unknown country keeps its event, with the name and no country
    ev = event(db, "icews:2")
    assert (ev["target_name"], ev["target_country"], ev["source_country"]) == (
        "Atlantis", None, "CHL")
    assert ev["goldstein"] == 1.0  # no Intensity: the ontology's Goldstein for 040
    ev = event(db, "icews:1")
    assert (ev["source_code"], ev["target_code"], ev["goldstein"]) == ("CHLMIL", "PERCVL", -10)
    assert event(db, "icews:7")["cameo_code"] == "036"  # a dropped leading zero restored


def test_missing_file_is_reported_and_the_others_go_on(tmp_path: Path) -> None:
    path = tmp_path / "one.csv"
    path.write_text(ICEWS_HEADER + "\n1,2019-05-02,Chile,,Chile,x,040,1,Peru,,Peru,70,1,W,,,,,,\n",
                    encoding="utf-8")
    db = tmp_path / "x.duckdb"
    missing = tmp_path / "nowhere.csv"
    result = invoke(tmp_path, ["import", str(missing), str(path), "--format", "icews",
                               "--db", str(db)])
    assert result.exit_code == 1
    assert f"{missing}: cannot read the file (no such file)" in result.stderr
    assert "1 imported" in result.stdout and "1 file(s) unreadable" in result.stdout
    assert rows(db, "SELECT count(*) FROM events") == [(1,)]
    assert [(e["origin"], e["line"]) for e in errors(db)] == [(str(missing), None)]


def test_not_an_icews_file(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    result = invoke(tmp_path, ["import", str(path), "--format", "icews", "--db",
                               str(tmp_path / "x.duckdb")])
    assert result.exit_code == 1
    assert "line 1: not an ICEWS file" in result.stderr


# -- GDELT -------------------------------------------------------------------------------------

# Positions from the GDELT 1.0 and 2.0 event codebooks (0-based).
V1 = {"id": 0, "sqldate": 1, "a1code": 5, "a1name": 6, "a1country": 7, "a1type": 12,
      "a2code": 15, "a2name": 16, "a2country": 17, "a2type": 22, "code": 26, "base": 27,
      "root": 28, "quad": 29, "goldstein": 30, "geo_name": 50, "geo_country": 51,
      "lat": 53, "long": 54, "added": 56, "url": 57}
V2 = V1 | {"geo_name": 52, "geo_country": 53, "lat": 56, "long": 57, "added": 59, "url": 60}


def gdelt_row(width: int, **values: str) -> str:
    layout = V2 if width == 61 else V1
    fields = [""] * width
    for name, value in values.items():
        fields[layout[name]] = value
    return "\t".join(fields)


def _gdelt_values(gid: str, **over: str) -> dict[str, str]:
    base = {"id": gid, "sqldate": "20150304", "a1code": "RUSGOV", "a1name": "RUSSIA",
            "a1country": "RUS", "a1type": "GOV", "a2code": "ROMMIL", "a2name": "ROMANIA",
            "a2country": "ROM", "a2type": "MIL", "code": "0214", "base": "021", "root": "02",
            "quad": "1", "goldstein": "3.4", "geo_name": "Bucharest, Bucuresti, Romania",
            "geo_country": "RO", "lat": "44.4333", "long": "26.1", "added": "20150305"}
    return base | over


@pytest.mark.parametrize("width", [57, 58, 61])
def test_gdelt_versions_import_with_mapping(tmp_path: Path, width: int) -> None:
    url = {"url": "https://www.example-news.test/world/2015/03/item.html"} if width > 57 else {}
    lines = [
        gdelt_row(width, **_gdelt_values("410000001", **url)),
        # no country field: the country comes from the actor code; a CAMEO region has none
        gdelt_row(width, **_gdelt_values("410000002", a1country="", a1code="UKRMIL",
                                         a2country="EUR", a2code="EUR", a2type="",
                                         code="190", base="190", root="19", quad="4",
                                         goldstein="", geo_country="UP", **url)),
    ]
    if width == 61:
        lines[0] = lines[0].replace("\t20150305\t", "\t20150305101500\t")
    path = tmp_path / f"gdelt{width}.tsv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "g.duckdb"
    result = invoke(tmp_path, ["import", str(path), "--format", "gdelt", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "2 rows read, 2 imported, 0 already present, 0 failed, 0 unmapped" in result.stdout
    ev = event(db, "gdelt:410000001")
    assert ev["origin"] == ev["coder"] == "gdelt" and ev["origin_event_id"] == "410000001"
    assert ev["story_id"] == "gdelt:410000001"
    assert (ev["date"], ev["date_precision"], str(ev["event_date"])) == (
        "2015-03-04", "day", "2015-03-04")
    assert (ev["source_code"], ev["source_country"], ev["source_sector"], ev["source_name"]) == (
        "RUSGOV", "RUS", "GOV", "RUSSIA")
    assert (ev["target_code"], ev["target_country"], ev["target_sector"]) == (
        "ROMMIL", "ROU", "MIL")
    assert (ev["cameo_code"], ev["cameo_root"], ev["quad_class"], ev["goldstein"]) == (
        "0214", "02", 1, 3.4)
    assert ev["plover_type"] is not None
    assert (ev["location_name"], ev["location_country"]) == ("Bucharest, Bucuresti, Romania",
                                                             "ROU")
    assert (ev["latitude"], ev["longitude"]) == (44.4333, 26.1)
    if width > 57:
        assert ev["doc_id"] == url["url"] and ev["publisher"] == "example-news.test"
    else:
        assert ev["doc_id"] == "gdelt:410000001" and ev["publisher"] is None
    other = event(db, "gdelt:410000002")
    assert (other["source_country"], other["target_country"], other["target_code"]) == (
        "UKR", None, "EUR")
    assert (other["cameo_code"], other["quad_class"], other["location_country"]) == (
        "190", 4, "UKR")
    assert other["goldstein"] == -10.0  # empty GoldsteinScale: the ontology's value for 190
    again = invoke(tmp_path, ["import", str(path), "--format", "gdelt", "--db", str(db)])
    assert "0 imported, 2 already present" in again.stdout
    listed = invoke(tmp_path, ["events", "--db", str(db), "--dyad", "RUS,ROU",
                               "--format", "jsonl"])
    assert [json.loads(x)["event_id"] for x in listed.stdout.splitlines()] == [
        "gdelt:410000001"]


def test_gdelt_bad_rows_are_reported_with_line_numbers(tmp_path: Path) -> None:
    good = _gdelt_values("1")
    lines = [
        gdelt_row(58, **good),
        gdelt_row(58, **_gdelt_values("2", sqldate="20151301")),
        "",
        gdelt_row(58, **_gdelt_values("3", code="999", base="999", root="99")),
        gdelt_row(58, **_gdelt_values("4", goldstein="high")),
        gdelt_row(58, **_gdelt_values("5")) + "\textra",
        gdelt_row(58, **_gdelt_values("6", quad="7")),
        gdelt_row(58, **_gdelt_values("7", a1country="QQQ")),
    ]
    path = tmp_path / "bad.export.CSV"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "bad.duckdb"
    result = invoke(tmp_path, ["import", str(path), "--format", "gdelt", "--db", str(db)])
    assert result.exit_code == 1
    assert "7 rows read, 2 imported, 0 already present, 5 failed, 1 unmapped" in result.stdout
    assert sorted(e["line"] for e in errors(db)) == [2, 4, 5, 6, 7]
    reasons = {e["line"]: e["reason"] for e in errors(db)}
    assert "SQLDATE '20151301'" in reasons[2]
    assert reasons[4] == "unknown CAMEO code '999'"
    assert reasons[5] == "GoldsteinScale 'high' is not a number"
    assert "expected 58 fields" in reasons[6] and "found 59" in reasons[6]
    assert "QuadClass 7" in reasons[7]
    assert rows(db, "SELECT event_id, source_country FROM events ORDER BY 1") == [
        ("gdelt:1", "RUS"), ("gdelt:7", None)]
    listed = invoke(tmp_path, ["errors", "--db", str(db), "--format", "jsonl"])
    assert {json.loads(x)["line"] for x in listed.stdout.splitlines()} == {2, 4, 5, 6, 7}


def test_gdelt_gzip_and_wrong_width_file(tmp_path: Path) -> None:
    path = tmp_path / "g.tsv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("1\t2\t3\n" + gdelt_row(61, **_gdelt_values("9")) + "\n")
    db = tmp_path / "g.duckdb"
    result = invoke(tmp_path, ["import", str(path), "--format", "gdelt", "--db", str(db)])
    assert result.exit_code == 1
    assert [(e["line"], e["reason"][:30]) for e in errors(db)] == [
        (1, "expected 57 or 58 (GDELT 1.0) ")]
    assert rows(db, "SELECT event_id FROM events") == [("gdelt:9",)]


def test_large_batches_split_into_transactions(tmp_path: Path) -> None:
    path = tmp_path / "many.tsv"
    path.write_text("".join(gdelt_row(57, **_gdelt_values(str(i))) + "\n"
                            for i in range(1, 251)), encoding="utf-8")
    db = tmp_path / "many.duckdb"
    result = invoke(tmp_path, ["import", str(path), "--format", "gdelt", "--db", str(db),
                               "--batch-size", "100"])
    assert result.exit_code == 0, result.output
    assert rows(db, "SELECT count(*) FROM events") == [(250,)]


# -- cordiale JSONL ----------------------------------------------------------------------------


def _cordiale_event(n: int, **over: Any) -> dict[str, Any]:
    record: dict[str, Any] = dict.fromkeys(EVENT_FIELDS)
    record.update(
        event_id=f"e{n:04d}", doc_id="brief-1", sentence_index=n, sentence="A made-up line.",
        date="2020-02", date_precision="month", source_code="FRAGOV", source_country="FRA",
        source_sector="GOV", source_name="France", source_text="Paris",
        target_code="DEU", target_country="DEU", target_name="Germany", target_text="Berlin",
        cameo_code="036", cameo_root="03", goldstein=4.0, quad_class=1, plover_type="AGREE",
        plover_mode=None, trigger_text="offered", char_start=6, char_end=13, negated=False,
        hypothetical=False, confidence=0.8, coder="verb:offer", source_start=0, source_end=5,
        target_start=20, target_end=26, modality="asserted", reciprocal=False)
    return record | over


def test_cordiale_jsonl_round_trip(tmp_path: Path, write_jsonl) -> None:
    records = [_cordiale_event(1), _cordiale_event(2, date="2020-02-11", date_precision="day",
                                                   cameo_code="0311", cameo_root="03")]
    path = write_jsonl(records, "events.jsonl")
    db = tmp_path / "j.duckdb"
    result = invoke(tmp_path, ["import", str(path), "--format", "cordiale-jsonl", "--db",
                               str(db)])
    assert result.exit_code == 0, result.output
    listed = invoke(tmp_path, ["events", "--db", str(db), "--format", "jsonl"])
    assert [json.loads(x) for x in listed.stdout.splitlines()] == records
    assert rows(db, "SELECT origin, story_id, event_date FROM events ORDER BY event_id") == [
        ("cordiale-jsonl", "brief-1", date(2020, 2, 1)),
        ("cordiale-jsonl", "brief-1", date(2020, 2, 11))]
    # exported and imported again: nothing new
    export = tmp_path / "export.jsonl"
    export.write_text(listed.stdout, encoding="utf-8")
    again = invoke(tmp_path, ["import", str(export), "--format", "cordiale-jsonl", "--db",
                              str(db)])
    assert "2 rows read, 0 imported, 2 already present" in again.stdout


def test_cordiale_jsonl_bad_lines(tmp_path: Path, write_jsonl) -> None:
    path = write_jsonl([
        _cordiale_event(1),
        "{not json",
        _cordiale_event(3, goldstein="a lot"),
        _cordiale_event(4, cameo_code="777"),
        _cordiale_event(5, event_id=None),
        _cordiale_event(6, date="Tuesday"),
        "[1, 2]",
        _cordiale_event(8),
    ], "bad.jsonl")
    db = tmp_path / "jb.duckdb"
    result = invoke(tmp_path, ["import", str(path), "--format", "cordiale-jsonl", "--db",
                               str(db)])
    assert result.exit_code == 1
    reasons = {e["line"]: e["reason"] for e in errors(db)}
    assert sorted(reasons) == [2, 3, 4, 5, 6, 7]
    assert reasons[2].startswith("not JSON")
    assert reasons[3] == "goldstein 'a lot' is not double"
    assert reasons[4] == "unknown CAMEO code '777'"
    assert reasons[5] == "no event_id"
    assert reasons[6].startswith("date 'Tuesday' is not an ISO date")
    assert reasons[7] == "not a JSON object"
    assert rows(db, "SELECT event_id FROM events ORDER BY 1") == [("e0001",), ("e0008",)]


@pytest.mark.model
def test_coded_events_round_trip_through_import(tmp_path: Path) -> None:
    text = tmp_path / "note.txt"
    text.write_text("Japan signed a trade agreement with Brazil.\n", encoding="utf-8")
    coded = invoke(tmp_path, ["code", str(text), "--published", "2021-03-03"])
    assert coded.exit_code == 0, coded.output
    records = [json.loads(x) for x in coded.stdout.splitlines() if x.strip()]
    assert records
    path = tmp_path / "coded.jsonl"
    path.write_text(coded.stdout, encoding="utf-8")
    db = tmp_path / "c.duckdb"
    result = invoke(tmp_path, ["import", str(path), "--format", "cordiale-jsonl", "--db",
                               str(db)])
    assert result.exit_code == 0, result.output
    listed = invoke(tmp_path, ["events", "--db", str(db), "--format", "jsonl",
                               "--include-hypothetical"])
    back = sorted((json.loads(x) for x in listed.stdout.splitlines()),
                  key=lambda e: e["event_id"])
    assert back == sorted(records, key=lambda e: e["event_id"])


def test_non_utf8_row_and_truncated_gzip(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes((ICEWS_HEADER + "\n"
                      "1,2019-05-02,Chile,,Chile,x,040,1,Peru,,Peru,70,1,W,,,,,,\n"
                      "2,2019-05-02,Chile,,Chile,x,040,1,Per\xfa,,Peru,71,1,W,,,,,,\n"
                      "3,2019-05-02,Chile,,Chile,x,040,1,Peru,,Peru,72,1,W,,,,,,\n"
                      ).encode("latin-1"))
    whole = gzip.compress(path.read_bytes() * 200)
    cut = tmp_path / "cut.csv.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    db = tmp_path / "m.duckdb"
    result = invoke(tmp_path, ["import", str(path), str(cut), "--format", "icews",
                               "--db", str(db)])
    assert result.exit_code == 1
    found = errors(db)
    assert {"origin": str(path), "line": 3, "reason": "not UTF-8 text"} in found
    assert any(e["origin"] == str(cut) and e["line"] is None
               and e["reason"].startswith("cannot read the file (EOFError")
               and "rows before it were read" in e["reason"] for e in found)
    assert rows(db, "SELECT count(*) FROM events WHERE event_id IN ('icews:1', 'icews:3')") == [
        (2,)]


def test_importer_data_files_are_well_formed() -> None:
    from importlib import resources

    from cordiale.actors.gazetteer import read_csv_rows, read_rows

    states = {r["iso3"] for r in read_rows("countries.csv")}
    for name, column in [("fips_countries.csv", "iso3"), ("icews_countries.csv", "iso3"),
                         ("cameo_countries.csv", "iso3"), ("icews_sectors.csv", "code")]:
        text = resources.files("cordiale.importers").joinpath("data", name).read_text("utf-8")
        assert text.startswith("# Facts from"), f"{name} needs a provenance header"
        values = [r[column] for r in read_csv_rows("cordiale.importers", name)]
        assert values, name
        assert all(v == "" or (len(v) == 3 and v.isupper()) for v in values), name
    # former and renamed states map to the gazetteer's present ones
    cameo = {r["code"]: r["iso3"] for r in read_csv_rows("cordiale.importers",
                                                         "cameo_countries.csv")}
    assert {v for v in cameo.values() if v} <= states
