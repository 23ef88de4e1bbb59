"""What an event acts on when no actor stands there (``events/patient.py``), and the events
that carry it as their target text. Sentences written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from cordiale.events.patient import patient_phrase
from cordiale.events.syntax import direct_object

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def nlp():
    from cordiale.nlp import load_nlp

    return load_nlp("auto")


def _phrase(nlp, text, lemma, names_event=False):
    doc = nlp(text)
    verb = next(t for t in doc if t.lemma_.lower() == lemma)
    bounds = patient_phrase(verb, direct_object(verb), names_event)
    return None if bounds is None else doc[bounds[0]:bounds[1]].text


def test_the_object_is_what_the_act_is_aimed_at(nlp):
    assert _phrase(nlp, "The ministry condemned the deadly bombing of the market.",
                   "condemn") == "the deadly bombing of the market"


def test_a_date_is_no_patient(nlp):
    assert _phrase(nlp, "The army withdrew on Monday.", "withdraw") is None


def test_an_object_that_names_the_event_yields_to_its_phrase(nlp):
    text = "Prosecutors opened an inquiry into the sale of the port."
    assert _phrase(nlp, text, "open", names_event=True) == "the sale of the port"


def test_a_recipient_phrase_when_there_is_no_object(nlp):
    assert _phrase(nlp, "The council appealed to the farmers.", "appeal") == "the farmers"


def test_a_pronoun_is_no_phrase(nlp):
    assert _phrase(nlp, "The minister praised them.", "praise") is None


def test_a_relative_clause_is_not_part_of_the_phrase(nlp):
    got = _phrase(nlp, "The court rejected the appeal that the union had filed.", "reject")
    assert got == "the appeal"


def _events(text):
    from cordiale.config import load_settings
    from cordiale.ingest.common import Defaults, make_document
    from cordiale.pipeline import process_documents

    doc = make_document(text, "patient-test", Defaults(date(2024, 5, 2)))
    return [e for r in process_documents([doc], load_settings()) for e in r.events]


def test_event_without_a_target_actor_names_its_patient():
    events = _events("The French government condemned the shelling of the old bridge.")
    assert events, "a condemnation by a government is an event"
    event = events[0]
    assert event.source_country == "FRA"
    assert event.target_country is None and event.target_code is None
    assert event.target_text == "the shelling of the old bridge"
    text = "The French government condemned the shelling of the old bridge."
    assert text[event.target_start:event.target_end] == event.target_text


def test_two_parties_of_a_joint_act_are_not_replaced_by_a_patient():
    events = _events("China and Russia signed a roadmap for military cooperation.")
    pairs = {(e.source_country, e.target_country) for e in events}
    assert ("CHN", "RUS") in pairs and ("RUS", "CHN") in pairs


def test_a_target_placed_by_a_city_keeps_the_city_as_its_evidence():
    text = "The Russian foreign minister arrived in Amman on Monday."
    events = _events(text)
    visit = next(e for e in events if e.cameo_code.startswith("04"))
    assert visit.target_country == "JOR"
    assert visit.target_text == "Amman"
    assert text[visit.target_start:visit.target_end] == "Amman"


def test_a_domestic_target_takes_the_words_of_what_the_act_lands_on():
    text = "The Egyptian government released the detained bloggers on Monday."
    events = _events(text)
    assert events
    freed = events[0]
    assert freed.cameo_root == "08"
    assert freed.source_country == "EGY" and freed.target_country == "EGY"
    assert freed.target_text == "the detained bloggers"
    assert text[freed.target_start:freed.target_end] == freed.target_text
    assert freed.source_code != freed.target_code
