"""The coder's participant stage (``events/roles.py``) on sentences parsed by the real model:
the sources and targets of each trigger, read from the parse, before any event is assembled.

Triggers come from the first stage (``TriggerFinder``) so each test starts where the coder
does; the actors are the real resolver's. The sentences are written for these tests.
"""

from __future__ import annotations

import pytest

from cordiale.events.coder import index_mentions
from cordiale.events.lexicon import default_lexicon
from cordiale.events.roles import adjective_actors, noun_actors, verb_actors, verb_participants
from cordiale.events.syntax import governing_verb
from cordiale.events.triggers import Trigger, TriggerFinder, event_words

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def finder() -> TriggerFinder:
    return TriggerFinder(default_lexicon(), event_words())


def setup(parse, finder, text: str):
    doc, mentions = parse(text)
    [sent] = list(doc.sents)
    verbs = [t for t in sent if t.pos_ in ("VERB", "AUX")]
    found, consumed = finder.verbs(sent, verbs, False)
    by_token, places = index_mentions(doc, mentions)
    return doc, found, consumed, verbs, by_token, places


def trigger(found: list[Trigger], word: str) -> Trigger:
    [t] = [t for t in found if t.verb.text == word]
    return t


def countries(ms) -> list[str | None]:
    return [m.country for m in ms]


@pytest.mark.parametrize(
    ("text", "word", "sources", "targets"),
    [("Portugal attacked Morocco on Monday.", "attacked", ["PRT"], ["MAR"]),
     # a passive swaps them: the agent acts, the subject is acted upon
     ("Armenia was attacked by Azerbaijan.", "attacked", ["AZE"], ["ARM"]),
     # an object-control frame: whoever is urged to act is the target
     ("The United States urged Iran to release the sailors.", "urged", ["USA"], ["IRN"]),
     # an object that names the event ("talks") is no participant: its "with" phrase is
     ("Russia held talks with China.", "held", ["RUS"], ["CHN"]),
     # a country-less object ("troops") yields to the country of a "to" phrase
     ("Russia deployed 4,000 troops to Belarus.", "deployed", ["RUS"], ["BLR"])],
)
def test_sources_and_targets_of_a_verb(parse, finder, text, word, sources, targets):
    _, found, _, _, by_token, places = setup(parse, finder, text)
    result = verb_participants(trigger(found, word), by_token, places)
    assert result is not None
    got_sources, got_targets, rule = result
    assert countries(got_sources) == sources
    assert countries(got_targets) == targets
    assert rule == trigger(found, word).rule  # nothing was implied


def test_conjoined_subjects_are_all_sources(parse, finder):
    _, found, _, _, by_token, _ = setup(parse, finder, "China and Russia signed an agreement.")
    t = trigger(found, "signed")
    sources, targets = verb_actors(t.verb, t.embedded, t.obj, by_token, t.rule, t.code)
    assert countries(sources) == ["CHN", "RUS"]
    assert targets == []  # "an agreement" is what the rule was chosen for, not a participant


def test_no_actor_and_no_passive_is_no_event(parse, finder):
    _, found, _, _, by_token, places = setup(parse, finder, "It attacked Georgia.")
    assert verb_participants(trigger(found, "attacked"), by_token, places) is None


def test_unnamed_perpetrator_is_placed_where_it_acted(parse, finder):
    _, found, _, _, by_token, places = setup(parse, finder,
                                             "Five people were killed in Syria on Sunday.")
    result = verb_participants(trigger(found, "killed"), by_token, places)
    assert result is not None
    sources, targets, rule = result
    assert countries(sources) == ["SYR"] and sources[0].char_start == -1  # implied, no span
    assert [m.text for m in targets] == ["people"]
    assert rule.endswith("+located")


def test_adjective_actors_subject_and_by_phrase(parse, finder):
    _, _, consumed, verbs, by_token, _ = setup(parse, finder,
                                               "Russia is upset by the American sanctions.")
    [a] = list(finder.adjectives(consumed, verbs))
    sources, targets = adjective_actors(a.verb, a.adjective, by_token)
    assert countries(sources) == ["RUS"] and countries(targets) == ["USA"]


def test_noun_actors_modifier_is_source_and_on_phrase_target(parse, finder):
    doc, _, _, _, by_token, places = setup(parse, finder, "American pressure on Iran has grown.")
    [noun] = [t for t in doc if t.text == "pressure"]
    result = noun_actors(noun, "source", governing_verb(noun), by_token, places)
    assert result is not None
    sources, targets = result
    assert countries(sources) == ["USA"] and countries(targets) == ["IRN"]


def test_noun_without_an_attached_actor_has_no_participants(parse, finder):
    doc, _, _, _, by_token, places = setup(parse, finder,
                                           "The pressure on the currency has grown.")
    [noun] = [t for t in doc if t.text == "pressure"]
    assert noun_actors(noun, "source", governing_verb(noun), by_token, places) is None
