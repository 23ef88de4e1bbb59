"""The coder's first stage (``events/triggers.py``) on sentences parsed by the real model:
which words trigger an event and with which code, before any participant is looked for.

The sentences are written for these tests. The codes asserted come from the packaged data
files (verbs.csv, frames.csv, nouns.csv, adjectives.csv) and the CAMEO codebook's meaning of
them, so a test fails when a trigger is missed, coded as the wrong kind of event, or when a
frame stops consuming the verb it codes.
"""

from __future__ import annotations

import pytest

from cordiale.events.coder import EventCoder
from cordiale.events.lexicon import default_lexicon
from cordiale.events.triggers import (
    AdjectiveTrigger,
    NounTrigger,
    Trigger,
    TriggerFinder,
    event_words,
    object_rule,
)

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def finder() -> TriggerFinder:
    return TriggerFinder(default_lexicon(), event_words())


def verb_triggers(parse, finder: TriggerFinder, text: str
                  ) -> tuple[list[Trigger], set[int], list]:
    doc, _ = parse(text)
    [sent] = list(doc.sents)
    tokens = list(sent)
    verbs = [t for t in tokens if t.pos_ in ("VERB", "AUX")]
    found, consumed = finder.verbs(sent, verbs, False)
    return found, consumed, tokens


def by_word(found: list[Trigger]) -> dict[str, Trigger]:
    return {t.verb.text: t for t in found}


# -- compiled once -----------------------------------------------------------------------------
def test_tables_and_lexicon_are_shared_by_every_coder():
    a, b = EventCoder(), EventCoder(scope="all")
    assert event_words() is event_words()
    assert a.triggers.words is b.triggers.words
    assert a.nouns is b.nouns and a.adjectives is b.adjectives
    assert a.lexicon is b.lexicon is default_lexicon()
    # the tables are the packaged files: a noun row and an adjective row with a negated code
    assert event_words().nouns["pressure"] == ("100", "source")
    assert event_words().adjectives["satisfied"] == ("013", "110")
    assert "strike" in event_words().noun_heads  # the head of "air strike"


# -- verbs -------------------------------------------------------------------------------------
def test_plain_verb_is_matched_in_the_lexicon(parse, finder):
    found, consumed, _ = verb_triggers(parse, finder, "Portugal attacked Morocco on Monday.")
    [t] = found
    assert (t.verb.lemma_, t.code, t.rule) == ("attack", "190", "verb:attack//")
    assert t.embedded is None and t.obj is not None and t.obj.text == "Morocco"
    assert consumed == set()


def test_object_row_names_the_event_and_weighs_more(parse, finder):
    found, _, _ = verb_triggers(parse, finder, "Chile signed a treaty with Peru.")
    [t] = found
    assert t.code == "057" and t.rule.startswith("verb:sign/") and "treaty" in t.rule
    assert object_rule(t.rule)
    assert t.weight > 0.7  # a rule with an object is more specific than the bare verb


def test_frame_codes_its_complement_and_consumes_it(parse, finder):
    found, consumed, _ = verb_triggers(parse, finder,
                                       "Iran agreed to release the detained fishermen.")
    t = by_word(found)["agreed"]
    assert t.rule.startswith("frame:agree+release")
    assert t.code.startswith("03")  # an agreement to act is an intent (03x), not a release
    assert t.embedded is not None and t.embedded.lemma_ == "release"
    assert t.embedded.i in consumed
    assert "release" not in by_word(found)  # the consumed verb is no trigger of its own


def test_reported_obligation_is_a_demand(parse, finder):
    found, consumed, _ = verb_triggers(
        parse, finder, "Canada said Venezuela must free the imprisoned reporters.")
    t = by_word(found)["said"]
    assert t.rule.startswith("frame:say+demand+free")
    assert t.code.startswith("10")  # "Y must free ...": a demand (10x), not a statement
    assert t.embedded is not None and t.embedded.text == "free" and t.embedded.i in consumed


def test_light_verb_takes_the_code_of_its_event_noun(parse, finder):
    found, _, _ = verb_triggers(parse, finder, "Turkey launched an offensive against rebels.")
    [t] = found
    assert t.code == "190" and t.obj is not None and t.obj.text == "offensive"


def test_harm_verb_takes_the_code_of_the_noun_in_its_phrase(parse, finder):
    found, _, _ = verb_triggers(parse, finder, "Two villagers died in an airstrike.")
    [t] = found
    assert (t.code, t.rule) == ("195", "verb:die/airstrike/in")


@pytest.mark.parametrize(
    ("text", "speech_is_trigger"),
    [("Norway said Sweden attacked Finland.", False),  # reports a coded event: attribution
     ("The Iraqi minister said the weather was unusually cold.", True)],  # reports none
)
def test_speech_verb_is_a_statement_only_when_it_reports_no_event(parse, finder, text,
                                                                  speech_is_trigger):
    found, _, _ = verb_triggers(parse, finder, text)
    words = by_word(found)
    assert ("said" in words) is speech_is_trigger
    if speech_is_trigger:
        assert words["said"].code == "010"
    else:
        assert words["attacked"].code == "190"


def test_sentence_without_event_verbs_has_no_trigger(parse, finder):
    found, consumed, _ = verb_triggers(parse, finder, "The weather in Oslo was mild.")
    assert found == [] and consumed == set()


# -- adjectives and nouns ----------------------------------------------------------------------
def adjective_triggers(parse, finder, text: str) -> list[AdjectiveTrigger]:
    _, consumed, tokens = verb_triggers(parse, finder, text)
    verbs = [t for t in tokens if t.pos_ in ("VERB", "AUX")]
    return list(finder.adjectives(consumed, verbs))


def test_adjective_participle_is_a_trigger(parse, finder):
    [a] = adjective_triggers(parse, finder, "Russia is upset by the American sanctions.")
    assert (a.adjective.text, a.code, a.rule, a.flip) == ("upset", "110", "adjective:upset",
                                                          False)


def test_negated_adjective_takes_its_negated_code(parse, finder):
    [a] = adjective_triggers(parse, finder, "Japan was not satisfied with the Chinese plan.")
    assert a.flip is True
    assert (a.code, a.rule) == ("110", "adjective:not satisfied")  # not 013, a compliment


def test_event_noun_is_a_trigger_unless_a_verb_covers_it(parse, finder):
    _, _, tokens = verb_triggers(parse, finder, "American pressure on Iran has grown.")
    [n] = list(finder.nouns(set(), tokens))
    assert isinstance(n, NounTrigger)
    assert (n.noun.text, n.code, n.rule, n.of_role) == ("pressure", "100", "noun:pressure",
                                                        "source")
    assert list(finder.nouns({n.noun.i}, tokens)) == []


def test_object_rule_reads_the_rule_name():
    assert object_rule("verb:sign/treaty/")
    assert not object_rule("verb:sign//")
    assert not object_rule("frame:agree")
