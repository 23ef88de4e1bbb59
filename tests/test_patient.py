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
    assert freed.target_text.endswith("bloggers")
    assert text[freed.target_start:freed.target_end] == freed.target_text
    assert freed.source_code != freed.target_code


def test_a_thing_given_yields_to_the_named_party_it_goes_to(nlp):
    text = "Norway has granted temporary protection to the exiled blogger Ana Petrova."
    assert _phrase(nlp, text, "grant").endswith("Ana Petrova")


def test_a_thing_refused_yields_to_the_party_it_came_from(nlp):
    doc = nlp("The minister refused a request from the union leaders to delay the vote.")
    verb = next(t for t in doc if t.lemma_ == "refuse")
    # the rule that codes "refuse a request" was chosen for its object
    bounds = patient_phrase(verb, direct_object(verb), False, rule_object=True)
    assert bounds is not None and doc[bounds[0]:bounds[1]].text.endswith("union leaders")
    # an object no rule asked for stays what the act lands on
    bounds = patient_phrase(verb, direct_object(verb), False)
    assert doc[bounds[0]:bounds[1]].text == "a request"


def test_a_group_placed_in_a_country_names_the_country(nlp):
    text = "The charity is sending food parcels to families in Yemen."
    assert _phrase(nlp, text, "send") == "Yemen"


def test_a_named_party_the_act_is_aimed_at_becomes_the_coded_target():
    events = _events("Brazil lifted sanctions imposed on Venezuela last year.")
    lifted = next(e for e in events if e.cameo_root == "08")
    assert (lifted.source_country, lifted.target_country) == ("BRA", "VEN")
    assert lifted.target_text == "Venezuela"


def test_own_forces_are_the_instrument_not_the_target():
    events = _events("Canada is willing to withdraw its troops from Mali.")
    assert any(e.source_country == "CAN" and e.target_country == "MLI" for e in events)
    assert not any(e.target_sector == "MIL" and e.target_country == "CAN" for e in events)


def test_an_actor_no_dictionary_knows_is_still_an_actor_by_its_words():
    text = "Local activist Maria Lopez accused the Bolivian government of fraud."
    events = _events(text)
    accused = next(e for e in events if e.cameo_root == "11")
    assert accused.target_country == "BOL"
    assert "Maria Lopez" in accused.source_text


def test_an_act_between_two_unknown_sides_is_no_event():
    # no side is an actor any dictionary knows: nothing says this is political
    assert _events("Mary Kowalski met Peter Hansen at the Riverside Diner.") == []


def test_what_an_unknown_person_said_about_no_country_is_no_event():
    events = _events("Mary Kowalski said the weather was lovely.")
    assert not [e for e in events if e.cameo_root == "01"]


def test_a_pronoun_that_reports_its_speakers_intent_is_the_speaker():
    text = ("The Chilean foreign ministry met the press on Monday. "
            "The Peruvian government announced that it will expel the Chilean ambassador.")
    # a stated future expulsion: CAMEO codes it as a threat (13)
    events = [e for e in _events(text) if e.trigger_text == "expel"]
    assert events and events[0].source_country == "PER"
    # the named speaker in the sentence, not a guess from the sentence before
    assert events[0].source_text == "Peruvian government"
