"""The gazetteer data files: provenance headers, well-formed rows, valid codes."""

from __future__ import annotations

import re
from datetime import date
from importlib import resources

import pytest

from cordiale.actors.gazetteer import read_rows

FILES = ["countries.csv", "historical.csv", "seats.csv", "organisations.csv", "places.csv",
         "agents.csv", "leaders.csv"]
SECTORS = {"GOV", "MIL", "COP", "OPP", "REB", "INS", "SEP", "LEG", "JUD", "BUS", "MED", "CVL",
           "EDU", "REL", "SPY", "ELI", "HLH", "AGR", "LAB", "REF", "CRM", "UAF", "HRI", "ENV",
           "MOD", "RAD", "NGO", "IGO", "PTY", "IMG", "DEV", "SET", "MNC", "JEW", "CHR", "MOS"}
ISO = re.compile(r"^[A-Z]{3}$")


def _text(name: str) -> str:
    return resources.files("cordiale.actors").joinpath("data", name).read_text("utf-8")


@pytest.mark.parametrize("name", FILES)
def test_file_says_where_its_facts_come_from(name):
    lines = _text(name).splitlines()
    assert lines[0].startswith("#")
    header = " ".join(line.lower() for line in lines if line.startswith("#"))
    assert "fact" in header or "source" in header


@pytest.mark.parametrize("name", FILES)
def test_rows_parse(name):
    rows = read_rows(name)
    assert len(rows) > 10


def test_countries_are_unique_iso_codes_with_coordinates():
    rows = read_rows("countries.csv")
    codes = [r["iso3"] for r in rows]
    assert len(codes) == len(set(codes)) >= 195
    for r in rows:
        assert ISO.match(r["iso3"]), r
        if r["lat"]:
            assert -90 <= float(r["lat"]) <= 90 and -180 <= float(r["lon"]) <= 180


def test_country_codes_in_other_files_are_known():
    known = {r["iso3"] for r in read_rows("countries.csv")} | {"IGO", "NGO", "IMG"}
    for name, column in [("historical.csv", "iso3"), ("seats.csv", "iso3"),
                         ("organisations.csv", "country"), ("leaders.csv", "iso3")]:
        bad = {r[column] for r in read_rows(name)} - known
        assert not bad, f"{name}: unknown codes {sorted(bad)}"
    places = {r["iso3"] for r in read_rows("places.csv") if r["iso3"]}
    assert places <= known


def test_sectors_are_cameo_roles():
    for name in ("seats.csv", "organisations.csv", "agents.csv", "leaders.csv"):
        bad = {r["sector"] for r in read_rows(name) if r["sector"]} - SECTORS
        assert not bad, f"{name}: unknown sectors {sorted(bad)}"


def test_leader_terms_are_ordered_dates():
    for r in read_rows("leaders.csv"):
        start = date.fromisoformat(r["start"]) if r["start"] else None
        end = date.fromisoformat(r["end"]) if r["end"] else None
        assert not (start and end) or start <= end, r


def test_leaders_table_covers_1945_to_the_present():
    rows = read_rows("leaders.csv")
    starts = [date.fromisoformat(r["start"]) for r in rows if r["start"]]
    assert min(starts) <= date(1946, 1, 1)
    assert max(starts) >= date(2024, 1, 1)
    countries = {r["iso3"] for r in rows if r["role"].startswith("head")}
    assert len(countries) >= 150
