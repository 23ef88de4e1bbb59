"""Events an analyst can trust (issue 9): what is asserted, whom an act is done to, when, and
which lines of a page are news at all. Every sentence here is written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from cordiale.text.noise import noise_kind

PUBLISHED = date(2024, 3, 1)


def _events(text: str, published: date = PUBLISHED):
    from cordiale.config import load_settings
    from cordiale.ingest.common import Defaults, make_document
    from cordiale.pipeline import process_documents

    doc = make_document(text, "assertion-test", Defaults(published))
    return [e for r in process_documents([doc], load_settings()) for e in r.events]


def _asserted(events):
    return [e for e in events if e.modality in ("asserted", "intended")]


# -- lines that are not news ----------------------------------------------------------------

@pytest.mark.parametrize("line,kind", [
    ("Maria Lopez, Reuters | Ministers arrive for the summit in Brussels.", "byline"),
    ("Photo: The delegation arrives at the airport.", "caption"),
    ("FILE - In this photo from last year, the envoy speaks to reporters.", "caption"),
    ("In this picture released by the ministry, soldiers unload crates.", "caption"),
    ("Sign up for our daily briefing on the war.", "furniture"),
    ("Reporting by Ali Khan; Editing by Sam Lee", "furniture"),
])
def test_page_furniture_is_named(line, kind):
    assert noise_kind(line) == kind


@pytest.mark.parametrize("line", [
    "KABUL (Reuters) - Taliban fighters attacked an army post on Sunday.",
    "Russia and China signed a new trade agreement.",
    "The minister said the talks were useful.",
])
def test_news_is_not_furniture(line):
    assert noise_kind(line) is None


@pytest.mark.model
def test_a_caption_after_a_credit_yields_no_event():
    assert _events("Maria Lopez, Reuters | The Russian delegation arrives in Geneva.") == []
    assert _events("The Russian delegation arrived in Geneva on Monday.")


# -- what is asserted -------------------------------------------------------------------------

@pytest.mark.model
def test_someone_elses_hope_is_no_promise():
    events = _events("Officials hope Beijing will agree to buy more American grain.")
    assert not [e for e in _asserted(events) if e.source_country == "CHN"]


@pytest.mark.model
def test_a_plan_of_ones_own_is_an_intent():
    events = _events("Russia plans to hold naval exercises with China.")
    assert any(e.modality == "intended" and e.source_country == "RUS"
               and e.target_country == "CHN" for e in events)


@pytest.mark.model
def test_recognising_a_person_is_no_diplomatic_recognition():
    assert not [e for e in _events("Voters in Kosovo recognize him as a hero.")
                if e.cameo_code == "054"]
    recognised = [e for e in _events("Russia recognized Abkhazia in 2008.")
                  if e.cameo_code == "054"]
    assert recognised and recognised[0].target_country


# -- who acts on whom ------------------------------------------------------------------------

@pytest.mark.model
def test_each_other_is_a_reciprocal_pair():
    events = _events("India and Pakistan accused each other of shelling the border villages.")
    pairs = {(e.source_country, e.target_country) for e in events if e.cameo_root == "11"}
    assert {("IND", "PAK"), ("PAK", "IND")} <= pairs
    assert all(e.reciprocal for e in events if e.cameo_root == "11")


@pytest.mark.model
def test_no_event_has_the_same_code_on_both_sides():
    text = ("The Egyptian government released the detained bloggers. Police in Cairo arrested "
            "protesters. India and Pakistan accused each other of violations.")
    for event in _events(text):
        assert event.source_code != event.target_code, event


# -- when ------------------------------------------------------------------------------------

@pytest.mark.model
def test_a_plan_for_a_later_year_is_dated_when_it_is_reported():
    events = _events("Russia plans to hold joint exercises with China in 2027.")
    assert events
    for event in events:
        assert event.date <= PUBLISHED.isoformat()
        assert event.date_precision == "published"


@pytest.mark.model
def test_history_keeps_its_own_date():
    events = _events("In 1967, Israel captured the Golan Heights from Syria.")
    assert any(e.date == "1967" and e.date_precision == "year" for e in events)


@pytest.mark.model
def test_wanting_another_to_act_is_an_appeal_to_it():
    events = _events("Washington wants Beijing to stop buying Iranian oil.")
    appeal = [e for e in events if e.cameo_root == "02"]
    assert appeal and (appeal[0].source_country, appeal[0].target_country) == ("USA", "CHN")
    assert not [e for e in _asserted(events) if e.source_country == "CHN"]
    own = _events("Russia wants to host the talks with Iran.")
    assert any(e.source_country == "RUS" and e.modality == "intended" for e in own)


@pytest.mark.model
def test_a_year_in_a_name_does_not_date_the_event():
    events = _events("The two governments reaffirmed the 1951 Mutual Defense Treaty on Tuesday.")
    assert events and all(e.date != "1951" for e in events)


@pytest.mark.model
def test_the_role_named_again_keeps_its_country():
    text = ("In Beijing, a spokesperson for China's foreign ministry criticised the patrol. "
            "The spokesperson urged Manila to stop its provocations.")
    urged = [e for e in _events(text) if e.sentence_index == 1 and e.cameo_root == "02"]
    assert urged and urged[0].source_country == "CHN"
    assert urged[0].target_country == "PHL"


@pytest.mark.model
def test_no_targetless_copy_of_an_act_that_has_a_target():
    events = _events("Blinken met Manalo in Manila. The two sides reaffirmed the treaty between "
                     "the United States and the Philippines.")
    sources = {e.source_country for e in events if e.target_country}
    assert not [e for e in events if e.target_code is None and e.source_country in sources
                and e.sentence_index == 1]


@pytest.mark.model
def test_both_sides_are_the_parties_of_the_last_meeting_not_its_topic():
    text = ("US Defense Secretary Lloyd Austin met his Chinese counterpart Dong Jun in Singapore "
            "on Friday. The two men discussed Taiwan. China said both sides agreed to keep "
            "talking.")
    last = [e for e in _events(text) if e.sentence_index == 2]
    assert {(e.source_country, e.target_country) for e in last} == {("USA", "CHN"),
                                                                   ("CHN", "USA")}
    assert all(e.reciprocal for e in last)


@pytest.mark.model
def test_a_caption_at_the_start_of_a_one_line_article_spares_the_rest():
    text = ("In this photo released by the ministry, soldiers unload crates. Russia and China "
            "signed a trade agreement on Monday.")
    signed = [e for e in _events(text) if e.cameo_code.startswith("05")]
    assert signed and all(e.sentence_index == 1 for e in signed)
