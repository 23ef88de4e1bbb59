"""Integration tests of actor resolution with the real spaCy model, on sentences written for
these tests (news-like, in the project's own words)."""

from __future__ import annotations

from datetime import date

import pytest

from cordiale import resolve_actors

pytestmark = pytest.mark.model


def actors(text: str, when: date = date(2021, 11, 24)):
    return [m for m in resolve_actors(text, published=when) if m.role == "actor"]


def codes(text: str, when: date = date(2021, 11, 24)) -> set[str]:
    return {m.code for m in actors(text, when)}


def test_country_short_forms_and_demonyms():
    found = codes("The U.S. and Britain urged the UAE to act, while Filipino fishermen "
                  "complained about Chinese ships near the Russian coast.")
    assert {"USA", "GBR", "ARE", "PHL", "CHN", "RUS"} <= {c[:3] for c in found}


def test_seats_of_power_stand_for_governments():
    found = codes("The Kremlin rejected the claim, the White House said it was concerned, "
                  "the Pentagon sent more ships and Downing Street stayed silent.")
    assert {"RUSGOV", "USAGOV", "USAMIL", "GBRGOV"} <= found


def test_capital_as_subject_is_the_government():
    [m] = [m for m in actors("Beijing warned Manila on Monday.") if m.text == "Beijing"]
    assert m.code == "CHNGOV"


def test_named_leader_with_title_and_date():
    people = {m.name: m for m in actors(
        "President Vladimir Putin received Palestinian President Mahmoud Abbas in Moscow.")}
    assert people["Vladimir Putin"].code == "RUSGOV"
    assert people["Mahmoud Abbas"].code == "PSEGOV"


def test_former_leader_is_not_the_government_today():
    [bush] = [m for m in actors("George HW Bush once promised a new world order.")
              if m.name and "Bush" in m.name]
    assert bush.country == "USA" and bush.sector == "ELI"


def test_organisations_and_alliances():
    found = codes("NATO and the European Union met the African Union, while ASEAN and the "
                  "Shanghai Cooperation Organization issued statements at the UN.")
    assert {c[:3] for c in found} == {"IGO"}
    assert len(found) >= 5


def test_sector_words():
    found = codes("Russian police detained protesters, Syrian rebels attacked the Turkish army "
                  "and the Iranian parliament condemned an Israeli court ruling.")
    assert {"RUSCOP", "SYRREB", "TURMIL", "IRNLEG", "ISRJUD"} <= found


def test_surname_later_in_document_is_the_same_person():
    text = ("Foreign Minister Faisal Mekdad of Syria arrived on Monday. "
            "Mekdad said the talks were useful.")
    later = [m for m in actors(text) if m.sentence_index == 1 and m.text == "Mekdad"]
    assert later and later[0].country == "SYR"


def test_no_country_from_fiction_or_seas():
    text = "Ships sailed through the South China Sea while Middle-earth stayed calm."
    assert [m for m in actors(text) if m.country == "CHN"] == []
