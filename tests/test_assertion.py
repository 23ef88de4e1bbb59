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


# -- the story's pair: "its neighbour", "Russia's partner", "the two sides" -------------------

def _pairs(events, modality=("asserted", "intended")):
    return {(e.source_code, e.target_code) for e in events if e.modality in modality}


@pytest.mark.model
def test_its_neighbour_is_the_other_country_of_the_pair():
    events = _events("Artillery units of Chile and Peru traded fire near the border on Monday. "
                     "Peru accused its neighbour of breaking the truce.")
    accusations = [e for e in events if e.cameo_root == "11"]
    assert accusations and {(e.source_country, e.target_country) for e in accusations} \
        == {("PER", "CHL")}


@pytest.mark.model
def test_a_countrys_partner_is_not_that_country():
    events = _events("Hungary has long courted Serbia. Hungary's partner refused to join "
                     "the sanctions.")
    assert events and {e.source_country for e in events} == {"SRB"}
    # with no pair in the story the partner stays unknown, and the possessor is no actor
    alone = _events("Hungary's partner refused to join the sanctions.")
    assert all(e.source_country != "HUN" for e in alone)


@pytest.mark.model
def test_a_named_ally_is_itself():
    events = _events("Russia's ally Belarus criticised Poland on Tuesday.")
    assert ("BLR", "POL") in {(e.source_country, e.target_country) for e in events}


@pytest.mark.model
def test_the_two_sides_of_talks_between_others_are_not_the_host():
    events = _events("Sweden hosted talks between Ethiopia and the rebels. The two sides "
                     "agreed to a ceasefire.")
    agreed = [e for e in events if e.trigger_text == "agreed"]
    assert agreed
    assert {(e.source_code, e.target_code) for e in agreed} == {("ETH", "REB"), ("REB", "ETH")}
    mediated = _events("Qatar mediated between Chad and Sudan on Sunday. Both sides accused "
                       "each other of arming militias.")
    accused = [e for e in mediated if e.trigger_text == "accused"]
    assert {(e.source_country, e.target_country) for e in accused} \
        == {("TCD", "SDN"), ("SDN", "TCD")}


@pytest.mark.model
def test_a_government_and_its_rebels_stay_two_sides():
    events = _events("The Malian government and Malian rebels met in Algiers. The two sides "
                     "agreed to a ceasefire.")
    agreed = {(e.source_code, e.target_code) for e in events if e.trigger_text == "agreed"}
    assert agreed == {("MLI", "MLIREB"), ("MLIREB", "MLI")}


# -- headings and headlines -------------------------------------------------------------------

@pytest.mark.parametrize("line,heading", [
    ("What happens next", True),
    ("Tensions at sea", True),
    ("The minister said the talks were useful.", False),
    ("- Ministers to meet in Oslo", False),
    ("“We will not back down”", False),
    ("A long line of words that runs on well past any heading a news site would print", False),
])
def test_headings_are_short_lines_that_do_not_end_as_sentences(line, heading):
    from cordiale.text.noise import is_heading

    assert is_heading(line) is heading


@pytest.mark.model
def test_a_heading_inside_an_article_yields_no_event_but_the_title_does():
    text = ("Estonia warns Latvia over transit fees\n\n"
            "Estonia and Latvia signed a new energy agreement on Monday.\n\n"
            "Lithuania threatens Poland\n\n"
            "The ministers also discussed the weather.")
    events = _events(text)
    triggers = {e.trigger_text for e in events}
    assert "threatens" not in triggers
    assert "warns" in triggers  # the first line is the title
    # the same line, ended as a sentence, is news
    assert "threatens" in {e.trigger_text for e in
                           _events(text.replace("Poland\n", "Poland.\n"))}


@pytest.mark.model
def test_the_line_after_a_headline_is_not_cut_into_words():
    events = _events("Leaders gather for the summit\nRussia and China signed a new energy "
                     "agreement on Monday.")
    signed = {(e.source_country, e.target_country) for e in events if e.trigger_text == "signed"}
    assert signed == {("RUS", "CHN"), ("CHN", "RUS")}


@pytest.mark.model
def test_a_feeling_caused_by_violence_is_no_use_of_force():
    text = "Villagers in the border district were repelled by the bloodshed."
    assert not [e for e in _events(text) if e.cameo_root in ("18", "19", "20")]


@pytest.mark.model
def test_a_passive_attack_with_an_armed_agent_stays_an_act():
    events = _events("The Turkish convoy was hit by a rocket near the border on Tuesday.")
    assert [e for e in events if e.cameo_root in ("18", "19", "20")]


# -- whose an actor is --------------------------------------------------------------------

@pytest.mark.model
def test_a_name_nobody_knows_takes_no_country_from_where_it_acts():
    text = "Mr Kowalczyk agreed on Tuesday to keep American soldiers in Iraq a little longer."
    assert not [e for e in _events(text) if e.source_country == "IRQ"]


@pytest.mark.model
def test_a_named_target_nobody_knows_is_not_the_sources_country():
    text = "Chinese regulators opened an investigation into Zhengtong Holdings on Friday."
    fined = [e for e in _events(text) if e.source_country == "CHN"]
    assert fined and all(e.target_country != "CHN" for e in fined)


@pytest.mark.model
def test_what_a_person_did_somewhere_is_not_their_nationality():
    text = ("Tom Baker, a former volunteer who fought with a militia in Syria, "
            "said the unit was brave.")
    assert not [e for e in _events(text) if e.source_country == "SYR"]
    placed = _events("Tom Baker, a British volunteer in Syria, said the unit was brave.")
    assert [e.source_country for e in placed] == ["GBR"]


@pytest.mark.model
def test_a_surname_alone_is_the_person_the_story_named_in_full():
    text = ("Donald Trump spoke to reporters on Monday. "
            "Trump agreed on Tuesday to keep American soldiers in Iraq a little longer.")
    later = [e for e in _events(text, date(2018, 4, 4)) if e.sentence_index == 1]
    assert later and all(e.source_code == "USAGOV" for e in later)


# -- two parties at once --------------------------------------------------------------------

@pytest.mark.model
@pytest.mark.parametrize("text,pair", [
    ("Troops from Ghana and Togo exchanged fire across the border on Sunday.", {"GHA", "TGO"}),
    ("Peruvian and Chilean troops clashed near the border on Monday.", {"PER", "CHL"}),
    ("Clashes between Thai and Cambodian soldiers erupted near the temple.", {"THA", "KHM"}),
])
def test_conjoined_nationalities_act_on_each_other(text, pair):
    events = _asserted(_events(text))
    got = {(e.source_country, e.target_country) for e in events}
    a, b = sorted(pair)
    assert (a, b) in got and (b, a) in got, got


@pytest.mark.model
@pytest.mark.parametrize("text,sides", [
    ("Fighting between Malian and Burkinabe troops broke out near the border.",
     {("MLI", "BFA"), ("BFA", "MLI")}),
    ("Shelling by Eritrean forces hit a market in the town.", {("ERI", None)}),
])
def test_a_gerund_standing_as_a_noun_is_an_event_noun(text, sides):
    """The parser tags these gerunds as verbs, which have no subject here: the parties are in
    the "between" or "by" phrase, as for "clashes between ..." or "shelling by ..."."""
    events = _asserted(_events(text))
    assert events and all(e.cameo_root == "19" for e in events), events
    assert {(e.source_country, e.target_country) for e in events} == sides, events


@pytest.mark.model
def test_a_gerund_with_its_own_subject_stays_a_verb():
    events = _asserted(_events("Malian troops are fighting rebels near the border."))
    assert [(e.source_country, e.cameo_root) for e in events] == [("MLI", "19")]


@pytest.mark.model
@pytest.mark.parametrize("text,pair", [
    ("Rwandan troops launched an offensive into Goma on Monday.", ("RWA", "COD")),
    ("Kenyan jets bombed Kismayo province on Monday.", ("KEN", "SOM")),
])
def test_a_place_an_act_lands_on_from_abroad_is_its_target(text, pair):
    events = _asserted(_events(text))
    assert [(e.source_country, e.target_country) for e in events] == [pair], events
    assert all(e.coder.endswith("+place") for e in events)


@pytest.mark.model
@pytest.mark.parametrize("text", [
    "The town was threatened by Goma, the mayor said.",  # a place as the doer
    "The Goma trader was beaten by a neighbour on Monday.",  # where a person is from
])
def test_a_place_that_is_not_where_the_act_lands_is_no_target(text):
    assert not [e for e in _events(text) if e.target_country == "COD"]


@pytest.mark.model
@pytest.mark.parametrize("text", [
    "Chile no longer supports the Peruvian proposal.",
    "Ghanaian officials no longer demand that Togo close the border.",
])
def test_what_no_longer_happens_is_negated(text):
    events = _events(text)
    assert events and all(e.modality == "negated" for e in events), events


@pytest.mark.model
@pytest.mark.parametrize("text", [
    "It is time for Norway to recognise Palestine.",
    "Now is the time for Britain to impose sanctions on Iran.",
])
def test_for_someone_to_act_is_not_an_act(text):
    events = _events(text)
    assert events and not _asserted(events), events


@pytest.mark.model
def test_a_passive_acts_by_phrase_is_never_its_target():
    text = "A Canadian aid worker was kidnapped by Somali militants on Monday."
    events = _asserted(_events(text))
    assert [(e.source_country, e.target_country) for e in events] == [("SOM", "CAN")]


@pytest.mark.model
def test_an_apposition_names_whom_a_possessed_noun_means():
    events = _asserted(_events("Chile signed a deal with Peru's allies, Bolivia and Ecuador."))
    assert sorted(e.target_country for e in events) == ["BOL", "ECU"], events


@pytest.mark.model
def test_a_person_no_dictionary_knows_is_from_where_the_text_says():
    text = ("Anna Robinson, 31, from Calgary, was detained by Syrian police on Monday. "
            "Robinson denied the charges.")
    events = _asserted(_events(text))
    assert ("SYR", "CAN") in {(e.source_country, e.target_country) for e in events}, events
    later = [e for e in events if e.sentence_index == 1]
    assert later and all(e.source_country == "CAN" for e in later), later


@pytest.mark.model
@pytest.mark.parametrize("text,trigger", [
    ("Peru’s decision to close the border with Bolivia surprised many.", "close"),
    ("Officials secured a pledge from Egypt to support the offensive against Libya.", "support"),
])
def test_an_infinitive_describing_a_noun_is_meant_not_done(text, trigger):
    acts = [e for e in _events(text) if e.trigger_text == trigger]
    assert acts and all(e.modality == "intended" for e in acts), acts


@pytest.mark.model
def test_the_first_to_act_did_act():
    events = _events("Norway was the first Nordic state to recognise Palestine, officials said.")
    assert [(e.modality, e.cameo_code, e.target_country) for e in events
            if e.trigger_text == "recognise"] == [("asserted", "054", "PSE")]


@pytest.mark.model
def test_a_hyphenated_pair_names_both_sides():
    events = _asserted(_events("Chile-Peru talks resumed in Lima on Monday."))
    got = {(e.source_country, e.target_country) for e in events}
    assert got == {("CHL", "PER"), ("PER", "CHL")}, events


@pytest.mark.model
def test_a_clash_that_is_only_possible_is_not_asserted():
    text = "Clashes between Thai and Cambodian soldiers are now a real possibility."
    events = _events(text)
    assert events and all(e.modality == "hypothetical" for e in events)


@pytest.mark.model
def test_a_pronoun_is_not_one_of_its_own_clause():
    text = ("Norway sent ships to the disputed islands in May. "
            "Within days it was surrounded by the Norwegians and Danish rebels.")
    later = [e for e in _events(text) if e.sentence_index == 1]
    assert not [e for e in later if e.target_country == "NOR"]


@pytest.mark.model
def test_a_statement_about_another_country_has_it_as_target():
    [said] = _events("Chile said Peru was responsible for the oil spill.")
    assert (said.cameo_root, said.source_country, said.target_country) == ("01", "CHL", "PER")


@pytest.mark.model
def test_a_statement_about_oneself_has_no_target():
    events = _events("Chile's foreign ministry said Santiago would answer the letter soon.")
    assert all(e.target_country in (None, "") for e in events if e.cameo_root == "01")


@pytest.mark.model
@pytest.mark.parametrize("text,pair", [
    ("Chile called on Argentina to reopen the border crossings.", ("CHL", "ARG")),
    ("Kenya appealed to Uganda to release the fishermen.", ("KEN", "UGA")),
])
def test_whom_an_appeal_is_made_on_is_its_target(text, pair):
    events = _asserted(_events(text))
    assert [(e.source_country, e.target_country) for e in events] == [pair]


@pytest.mark.model
def test_whom_one_fights_beside_is_not_the_enemy():
    text = "French troops were fighting on the side of the Malian government near Gao."
    assert not [e for e in _events(text) if e.target_country == "MLI"]


@pytest.mark.model
def test_a_pronoun_resolved_in_its_own_sentence_is_not_overridden_by_the_parse():
    text = ("Donald Trump spoke on Monday. After the resignation of the defence secretary, "
            "Jim Mattis, Trump has said he will not allow American troops to leave Syria.")
    later = [e for e in _events(text, date(2018, 12, 22)) if e.sentence_index == 1]
    assert later and all(e.source_code == "USAGOV" for e in later), later


@pytest.mark.model
def test_the_two_men_are_two_countries_only_after_two_people():
    countries = ("Peru and Bolivia signed a border accord last year. "
                 "The two men were arrested near the lake in January, police said.")
    later = [e for e in _events(countries) if e.sentence_index == 1]
    assert not [e for e in later if e.target_country in ("PER", "BOL")]


@pytest.mark.model
def test_insisting_on_what_was_is_a_claim_and_on_what_should_be_a_demand():
    [claim] = _events("Ecuador insisted the video was staged by its critics.")
    assert claim.cameo_root == "01"
    demands = _events("Ecuador insisted that Colombia withdraw its patrol boats.")
    assert [(e.cameo_root, e.target_country) for e in demands] == [("10", "COL")]


@pytest.mark.model
def test_a_month_and_year_date_the_event_they_follow():
    text = ("Nothing changed after the Syrian army's attack on the village in March 2012, "
            "nor when the photographs were published in 2016.")
    attacks = [e for e in _events(text, date(2018, 4, 4)) if e.cameo_root in ("18", "19")]
    assert attacks and all(e.date == "2012-03" for e in attacks), attacks


@pytest.mark.model
def test_a_patron_is_not_the_party_its_phrase_names():
    [clash] = _asserted(_events("Ethiopian-backed Somali troops clashed with Kenyan police."))
    assert (clash.source_country, clash.target_country) == ("SOM", "KEN")
    # of a party the phrase does not name, the patron is all the text says
    [held] = _asserted(_events("Ethiopian-backed fighters captured two Kenyan smugglers."))
    assert (held.source_country, held.target_country) == ("ETH", "KEN")
    # a verb is not a patron's participle
    [backing] = _asserted(_events("Ethiopia backed the Somali government."))
    assert (backing.source_country, backing.cameo_root) == ("ETH", "05")


@pytest.mark.model
@pytest.mark.parametrize("text,source", [
    ("Chile's UN ambassador criticised Peru on Monday.", "CHLGOV"),
    ("Peru's EU envoy criticised Chile on Monday.", "PERGOV"),
])
def test_the_possessor_sends_an_envoy_posted_where_the_title_says(text, source):
    [event] = _asserted(_events(text))
    assert event.source_code == source


@pytest.mark.model
@pytest.mark.parametrize("text,modality", [
    ("Chile could respond by closing its border with Peru.", "hypothetical"),
    ("Chile did not respond by closing its border with Peru.", "negated"),
    ("Chile responded by closing its border with Peru.", "asserted"),
    ("The Chilean delegation left Lima without signing an agreement with Peru.", "negated"),
])
def test_a_gerund_of_manner_is_as_factual_as_its_act(text, modality):
    events = [e for e in _events(text) if e.target_country == "PER"]
    assert events and {e.modality for e in events} == {modality}, events


@pytest.mark.model
def test_talks_in_a_city_are_not_aimed_at_its_country():
    events = _events("Somali talks resumed in Nairobi on Monday.")
    assert events and not [e for e in events if e.target_country == "KEN"], events
