"""The event coder with the real spaCy model: modality, attribution, dates, actors, places,
quantities and evidence offsets on short news-like sentences written for these tests.

Every document is coded once (a module fixture) through ``cordiale.pipeline.process_documents``,
the same path ``cordiale code`` and ``cordiale ingest`` take. Cases the coder gets wrong today
are kept as strict xfails so the gap stays documented until it is closed.
"""

from __future__ import annotations

from datetime import date

import pytest

from cordiale.config import load_settings
from cordiale.ingest.common import Defaults, make_document
from cordiale.pipeline import process_documents
from cordiale.records import Document, Event, Failure

pytestmark = pytest.mark.model

#: A Wednesday: "on Tuesday" is 2023-03-14, "on Sunday" 2023-03-12, "last month" 2023-02.
PUBLISHED = date(2023, 3, 15)

TEXTS: dict[str, str] = {
    # negation
    "negated-not": "Japan did not sign the trade agreement with Brazil.",
    "negated-never": "Canada never signed the pact with Norway.",
    # hypothetical: modal, conditional, question
    "modal": "The European Union could impose sanctions on Belarus.",
    "conditional": "If Turkey attacks Syria, the United States will respond.",
    "question": "Will Iran attack Israel?",
    # future / intended
    "future": "France will visit Germany next week.",
    "visit-capital": "The French president visited Berlin on Monday.",
    # attribution
    "said-trailing": "Chinese troops attacked Indian soldiers on the border, the Pentagon said.",
    "said-leading": "The Pentagon said Russia attacked Ukraine.",
    "said-alone": "The Kremlin said the weather in Siberia was unusually cold.",
    "according-leading": "According to Reuters, Iraq expelled Turkish diplomats.",
    "according-trailing": "Israeli forces attacked Hamas fighters in Gaza, according to the "
                          "Israeli military.",
    # relative and historical dates
    "on-tuesday": "Egypt hosted talks with Ethiopia on Tuesday.",
    "last-month": "Poland accused Belarus of provoking a border crisis last month.",
    "in-2016": "In 2016, Russia attacked Georgia.",
    # compound actors and passives
    "compound": "China and Russia signed an agreement.",
    "passive": "Armenia was attacked by Azerbaijan on Sunday.",
    # places and quantities
    "place": "Vladimir Putin met Xi Jinping in Moscow on Tuesday.",
    "quantity": "Russia deployed 4,000 troops in Belarus.",
    "deploy-to": "Russia deployed 4,000 troops to Belarus on Monday.",
    # implicit and misparsed participants
    "withdraw-from": "Canada sped up the withdrawal of peacekeeping troops from Mali.",
    "object-in-country": "Japan refused to deploy peacekeepers in Sudan.",
    "domestic-at-home": "The French government will extend the curfew in Paris.",
    "role-placed": "Opposition leaders agreed to postpone the rally in Tbilisi.",
    "demand-clause": "The ILO reiterated its demand that Egypt free the detained workers.",
    "dateline-recipient": "ANKARA -- The Turkish government offered Azerbaijan broad support "
                          "for the talks.",
    "fragment-conjoined": "Volunteers from two Swedish charities collected and delivered "
                          "medicine to Yemen.",
    "storm": "At least nine people were killed when a storm hit the coast on Friday.",
    "threat-unless": "Farmers in Chile threatened to block the highways unless Argentina "
                     "lifts its export ban.",
    "purpose-target": "Mexican police fired tear gas to disperse the protesters.",
    "list-apposition": "Norway, Denmark, and Finland met on Monday.",
    "passive-conjunct": "Ten activists were detained and later released by Iran.",
    "time-clause": "Lawmakers returned to work on Monday before the new Congress convenes in "
                   "January.",
    "particle-prep": "Pirates from Somalia have kidnapped up to 20 Turkish sailors.",
    "must-demand": "The Canadian foreign minister said on Monday that Venezuela must release "
                   "the detained journalists.",
    "role-described": "The Red Cross will deliver food to refugees fleeing the fighting in "
                      "Sudan.",
    # stories and jokes
    "joke": "Diplomats like to tell an old joke about the summit. In the joke, France invades "
            "Belgium and Belgium surrenders before lunch. Everyone laughs.",
    "joke-then-news": "An old joke goes like this: the Swiss army attacked Austria, and Austria "
                      "apologised.\n\nIn real news, Italy signed a trade deal with Greece on "
                      "Friday.",
    "fairy-tale": "Once upon a time, the king of France declared war on England.",
    "joke-cue-after": "A man walks into a bar in Moscow and tells the bartender that Russia "
                      "invaded France. The bartender laughs, because it is an old joke.",
}


def _documents() -> list[Document]:
    docs = []
    for doc_id, text in TEXTS.items():
        doc = make_document(text, "test", Defaults(published=PUBLISHED), doc_id=doc_id)
        assert isinstance(doc, Document)
        docs.append(doc)
    return docs


def _code(docs: list[Document]) -> dict[str, tuple[Document, list[Event]]]:
    out: dict[str, tuple[Document, list[Event]]] = {}
    for item in process_documents(docs, load_settings()):
        assert not isinstance(item, Failure), str(item)
        out[item.document.doc_id] = (item.document, list(item.events))
    assert set(out) == set(TEXTS)
    return out


@pytest.fixture(scope="module")
def coded() -> dict[str, tuple[Document, list[Event]]]:
    return _code(_documents())


def events_of(coded, doc_id: str) -> list[Event]:
    return coded[doc_id][1]


def only(coded, doc_id: str) -> Event:
    evs = events_of(coded, doc_id)
    assert len(evs) == 1, [(e.source_code, e.cameo_code, e.target_code) for e in evs]
    return evs[0]


def asserted(evs: list[Event]) -> list[Event]:
    return [e for e in evs if not e.hypothetical and not e.negated]


# -- negation --------------------------------------------------------------------------------------


@pytest.mark.parametrize("doc_id", ["negated-not", "negated-never"])
def test_negated_agreement(coded, doc_id: str) -> None:
    e = only(coded, doc_id)
    assert e.cameo_root == "05" and e.cameo_code == "057"
    assert e.negated is True
    assert e.hypothetical is False
    assert e.modality == "negated"
    assert (e.source_country, e.target_country) in {("JPN", "BRA"), ("CAN", "NOR")}


# -- hypothetical ----------------------------------------------------------------------------------


def test_modal_could_is_hypothetical(coded) -> None:
    e = only(coded, "modal")
    assert (e.source_code, e.target_country) == ("IGOEEC", "BLR")
    assert e.cameo_root == "16"  # sanctions
    assert e.hypothetical is True and e.negated is False
    assert e.modality == "hypothetical"


def test_conditional_if_clause_is_hypothetical(coded) -> None:
    evs = events_of(coded, "conditional")
    attack = [e for e in evs if e.cameo_root == "19"]
    assert [(e.source_country, e.target_country) for e in attack] == [("TUR", "SYR")]
    assert all(e.hypothetical for e in evs)
    assert asserted(evs) == []


def test_question_is_hypothetical(coded) -> None:
    e = only(coded, "question")
    assert (e.source_country, e.cameo_root, e.target_country) == ("IRN", "19", "ISR")
    assert e.modality == "question"
    assert e.hypothetical is True


# -- future / intended -----------------------------------------------------------------------------


def test_future_visit_is_intent(coded) -> None:
    e = only(coded, "future")
    assert (e.source_country, e.target_country) == ("FRA", "DEU")
    assert e.modality == "intended"
    assert e.cameo_root == "03"  # a stated future meeting is an intent (036)
    assert e.hypothetical is False and e.negated is False
    # "next week" is after publication: the intent is dated when it was stated
    assert e.date_precision == "published"


def test_visit_to_a_capital_targets_its_country(coded) -> None:
    e = only(coded, "visit-capital")
    assert e.cameo_code == "042"
    assert e.source_code == "FRAGOV"
    assert e.target_country == "DEU" or e.location_country == "DEU"


# -- attribution -----------------------------------------------------------------------------------


def test_trailing_said_attributes_and_is_not_a_statement(coded) -> None:
    e = only(coded, "said-trailing")
    assert (e.source_code, e.cameo_root, e.target_code) == ("CHNMIL", "19", "INDMIL")
    assert e.attributed_to is not None and "Pentagon" in e.attributed_to
    assert e.trigger_text == "attacked"


def test_leading_said_attributes_and_is_not_a_statement(coded) -> None:
    evs = events_of(coded, "said-leading")
    assert [(e.source_country, e.cameo_root, e.target_country) for e in evs] == \
        [("RUS", "19", "UKR")]
    assert "Pentagon" in (evs[0].attributed_to or "")
    assert not any(e.cameo_root == "01" or e.trigger_text == "said" for e in evs)


def test_speech_reporting_nothing_coded_is_a_statement(coded) -> None:
    e = only(coded, "said-alone")
    assert (e.source_code, e.cameo_code, e.trigger_text) == ("RUSGOV", "010", "said")


def test_according_to_leading(coded) -> None:
    e = only(coded, "according-leading")
    assert (e.source_country, e.cameo_root, e.target_country) == ("IRQ", "16", "TUR")
    assert e.attributed_to == "Reuters"


def test_according_to_trailing(coded) -> None:
    e = only(coded, "according-trailing")
    assert (e.source_code, e.cameo_root) == ("ISRMIL", "19")
    assert "Israel" in (e.attributed_to or "")


# -- dates -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("doc_id", "when", "precision"), [
    ("on-tuesday", "2023-03-14", "day"),
    ("passive", "2023-03-12", "day"),
    ("last-month", "2023-02", "month"),
    ("in-2016", "2016", "year"),
])
def test_relative_and_historical_dates(coded, doc_id: str, when: str, precision: str) -> None:
    e = only(coded, doc_id)
    assert (e.date, e.date_precision) == (when, precision)


def test_no_date_in_text_falls_back_to_publication(coded) -> None:
    e = only(coded, "said-leading")
    assert (e.date, e.date_precision) == (PUBLISHED.isoformat(), "published")


# -- actors ----------------------------------------------------------------------------------------


def test_compound_subject_gives_both_directions(coded) -> None:
    evs = events_of(coded, "compound")
    assert sorted((e.source_country, e.target_country) for e in evs) == \
        [("CHN", "RUS"), ("RUS", "CHN")]
    assert all(e.cameo_code == "057" and e.reciprocal for e in evs)
    assert all(not e.hypothetical and not e.negated for e in evs)


def test_passive_swaps_source_and_target(coded) -> None:
    e = only(coded, "passive")
    assert (e.source_country, e.cameo_root, e.target_country) == ("AZE", "19", "ARM")
    assert (e.source_text, e.target_text) == ("Azerbaijan", "Armenia")


# -- places and quantities -------------------------------------------------------------------------


def test_place_gets_country_and_coordinates(coded) -> None:
    e = only(coded, "place")
    assert (e.source_code, e.cameo_root, e.target_code) == ("RUSGOV", "04", "CHNGOV")
    assert e.location_name == "Moscow"
    assert e.location_country == "RUS"
    assert e.latitude is not None and e.longitude is not None
    assert 55 < e.latitude < 57 and 36 < e.longitude < 39


def test_quantity_of_troops(coded) -> None:
    e = only(coded, "quantity")
    assert e.source_country == "RUS" and e.cameo_root == "15"
    assert e.quantity == "4,000 troops"
    assert e.location_country == "BLR"


def test_deployment_to_a_country_targets_it(coded) -> None:
    e = only(coded, "deploy-to")
    assert e.quantity == "4,000 troops"
    assert e.target_country == "BLR"


# -- implicit and misparsed participants ----------------------------------------------------------


def _dyads(coded, doc_id: str) -> set[tuple[str | None, str | None, str]]:
    return {(e.source_country, e.target_country, e.cameo_root)
            for e in asserted(events_of(coded, doc_id)) if e.cameo_root}


def test_country_in_an_objects_phrase_beats_a_role(coded) -> None:
    assert ("CAN", "MLI", "08") in _dyads(coded, "withdraw-from")
    assert ("JPN", "SDN", "12") in _dyads(coded, "object-in-country")


def test_untargeted_act_at_home_is_domestic(coded) -> None:
    evs = [e for e in events_of(coded, "domestic-at-home") if e.source_country == "FRA"]
    assert evs and all(e.target_country == "FRA" for e in evs)


def test_countryless_role_takes_the_place_of_its_act(coded) -> None:
    assert ("GEO", "GEO", "03") in _dyads(coded, "role-placed")


def test_demanded_clause_is_the_target_and_not_an_event(coded) -> None:
    dyads = _dyads(coded, "demand-clause")
    assert ("IGO", "EGY", "10") in dyads
    assert not any(root == "08" for _, _, root in dyads)  # the release is only demanded


def test_dateline_is_no_subject_and_recipient_is_the_target(coded) -> None:
    assert ("TUR", "AZE", "03") in _dyads(coded, "dateline-recipient")


def test_participle_misparse_and_conjoined_verbs_share_arguments(coded) -> None:
    assert ("SWE", "YEM", "07") in _dyads(coded, "fragment-conjoined")


def test_deaths_with_no_actor_weapon_or_country_are_not_events(coded) -> None:
    assert asserted(events_of(coded, "storm")) == []


def test_threat_targets_whoever_must_meet_its_condition(coded) -> None:
    assert ("CHL", "ARG", "13") in _dyads(coded, "threat-unless")


def test_purpose_clause_names_the_target(coded) -> None:
    assert ("MEX", "MEX", "17") in _dyads(coded, "purpose-target")


def test_list_taken_for_an_apposition_gives_every_pair(coded) -> None:
    dyads = {(s, t) for s, t, root in _dyads(coded, "list-apposition") if root == "04"}
    assert {("NOR", "FIN"), ("FIN", "DNK"), ("DNK", "NOR")} <= dyads


def test_passive_conjunct_takes_its_agent_and_its_subject_as_object(coded) -> None:
    evs = [e for e in asserted(events_of(coded, "passive-conjunct")) if e.cameo_root == "08"]
    assert [(e.source_country, e.cameo_code) for e in evs] == [("IRN", "0841")]


def test_time_clause_is_background_not_the_news(coded) -> None:
    assert asserted(events_of(coded, "time-clause")) == []


def test_preposition_on_a_particle_still_gives_the_target(coded) -> None:
    assert ("SOM", "TUR", "18") in _dyads(coded, "particle-prep")


def test_role_placed_by_the_clause_that_describes_it(coded) -> None:
    evs = events_of(coded, "role-described")
    assert any(e.source_country == "NGO" and e.target_country == "SDN" for e in evs)


# -- stories and jokes -----------------------------------------------------------------------------


def test_joke_paragraph_has_no_asserted_events(coded) -> None:
    evs = events_of(coded, "joke")
    assert any(e.cameo_root == "19" for e in evs)  # the joke's invasion is coded ...
    assert asserted(evs) == []  # ... but flagged, never asserted
    assert all(e.modality == "story" for e in evs)


def test_story_ends_with_its_paragraph(coded) -> None:
    evs = events_of(coded, "joke-then-news")
    assert {(e.source_country, e.target_country) for e in asserted(evs)} == {("ITA", "GRC")}
    assert all(e.hypothetical for e in evs if e.source_country in ("CHE", "AUT"))


def test_fairy_tale_has_no_asserted_events(coded) -> None:
    assert asserted(events_of(coded, "fairy-tale")) == []


@pytest.mark.xfail(strict=True, reason="a story cue only flags the sentences after it: a joke "
                   "named as one at its end ('... because it is an old joke') stays asserted")
def test_joke_named_at_its_end_has_no_asserted_events(coded) -> None:
    assert asserted(events_of(coded, "joke-cue-after")) == []


# -- evidence and ids ------------------------------------------------------------------------------


def test_offsets_slice_to_the_evidence(coded) -> None:
    checked = 0
    for doc, evs in coded.values():
        for e in evs:
            assert doc.text[e.char_start:e.char_end] == e.trigger_text, (doc.doc_id, e)
            if e.source_start is not None:
                assert doc.text[e.source_start:e.source_end] == e.source_text, (doc.doc_id, e)
            if e.target_start is not None:
                assert doc.text[e.target_start:e.target_end] == e.target_text, (doc.doc_id, e)
            assert e.sentence in doc.text
            assert e.doc_id == doc.doc_id
            checked += 1
    assert checked >= len(TEXTS)


def test_event_ids_are_unique_and_stable(coded) -> None:
    first = [e.event_id for _, evs in coded.values() for e in evs]
    assert len(first) == len(set(first))
    again = _code(_documents())
    second = [e.event_id for _, evs in again.values() for e in evs]
    assert second == first
    assert [e.as_dict() for _, evs in again.values() for e in evs] == \
        [e.as_dict() for _, evs in coded.values() for e in evs]


def test_reported_must_is_a_demand_of_the_clause_subject(coded) -> None:
    dyads = _dyads(coded, "must-demand")
    assert ("CAN", "VEN", "10") in dyads
    assert not any(root == "08" for _, _, root in dyads)  # the release is only demanded
