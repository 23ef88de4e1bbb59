"""The article the project was founded on (../shared/seed, published 2021-11-24): every country
it mentions is resolved, and the people in it get the country and role an analyst would give."""

from __future__ import annotations

from datetime import date

import pytest

from cordiale import resolve_actors

pytestmark = [pytest.mark.model, pytest.mark.shared]


@pytest.fixture(scope="module")
def mentions(shared):
    path = shared / "seed" / "china-russia-entente.txt"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    text = path.read_text("utf-8")
    return text, resolve_actors(text, published=date(2021, 11, 24), doc_id="seed")


def test_every_country_mentioned_is_resolved(mentions):
    _, found = mentions
    countries = {m.country for m in found if m.role == "actor"}
    expected = {"CHN", "RUS", "USA", "TUR", "IND", "SYR", "LBY", "PHL", "ARE", "FRA", "GBR",
                "UKR", "IRN", "PSE", "DEU"}
    assert expected <= countries, sorted(expected - countries)


def _person(found, surname):
    people = [m for m in found if m.name and surname in m.name and m.role == "actor"]
    assert people, f"{surname} was not resolved"
    return people


def test_shoigu_is_russian_military(mentions):
    _, found = mentions
    assert {(m.country, m.sector) for m in _person(found, "Shoigu")} == {("RUS", "MIL")}


def test_wei_fenghe_is_chinese(mentions):
    _, found = mentions
    assert {m.country for m in _person(found, "Wei Fenghe")} == {"CHN"}


def test_abbas_is_palestinian_government(mentions):
    _, found = mentions
    assert {(m.country, m.sector) for m in _person(found, "Abbas")} == {("PSE", "GOV")}


def test_biden_and_putin_are_their_governments(mentions):
    _, found = mentions
    assert {(m.country, m.sector) for m in _person(found, "Biden")} == {("USA", "GOV")}
    assert {(m.country, m.sector) for m in _person(found, "Putin")} == {("RUS", "GOV")}


def test_george_hw_bush_is_a_former_us_president(mentions):
    _, found = mentions
    assert {(m.country, m.sector) for m in _person(found, "Bush")} == {("USA", "ELI")}


def test_middle_earth_is_no_country(mentions):
    text, found = mentions
    start = text.index("Middle-earth")
    overlapping = [m for m in found if m.char_start < start + len("Middle-earth")
                   and m.char_end > start]
    assert overlapping == []


def test_spans_point_into_the_text(mentions):
    text, found = mentions
    assert found
    for m in found:
        assert text[m.char_start:m.char_end] == m.text
