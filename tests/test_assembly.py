"""The coder's assembly stage (``events/assembly.py``) on sentences parsed by the real model:
the participants are handed in directly (chosen from the resolved mentions), so each test
shows what assembly itself does with a trigger, a code and its actors: code adjustments,
evidence, implied targets, one event per pair, and the choice of a sentence's main events.

The sentences are written for these tests.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from cordiale.events.assembly import (
    EventAssembler,
    SentenceContext,
    drop_bare_statements,
    noun_salience,
    salience,
    select,
)
from cordiale.events.coder import index_mentions
from cordiale.events.lexicon import default_lexicon
from cordiale.events.ontology import load_ontology
from cordiale.events.syntax import main_predicates
from cordiale.records import Event

pytestmark = pytest.mark.model

PUBLISHED = date(2023, 3, 15)  # a Wednesday: "on Monday" is 2023-03-13


@pytest.fixture(scope="module")
def assembler() -> EventAssembler:
    return EventAssembler(default_lexicon(), load_ontology())


def context(parse, text: str):
    doc, mentions = parse(text, PUBLISHED)
    [sent] = list(doc.sents)
    by_token, places = index_mentions(doc, mentions)
    ctx = SentenceContext(doc, sent, 0, "asm", by_token, places, PUBLISHED, False)
    return ctx, {m.text: m for m in mentions}


def word(ctx: SentenceContext, text: str):
    [tok] = [t for t in ctx.sent if t.text == text]
    return tok


def assemble(assembler, ctx, trigger_word, code, rule, sources, targets, verb_word=None):
    trigger = word(ctx, trigger_word)
    verb = word(ctx, verb_word) if verb_word else trigger
    return assembler.events(ctx, verb, trigger, code, rule, 0.8, sources, targets)


# -- pairs -------------------------------------------------------------------------------------
def test_symmetric_act_between_a_compound_subject_goes_both_ways(parse, assembler):
    ctx, m = context(parse, "China and Russia signed an agreement.")
    events = assemble(assembler, ctx, "signed", "057", "verb:sign/agreement/",
                      [m["China"], m["Russia"]], [])
    assert sorted((e.source_country, e.target_country) for e in events) == [("CHN", "RUS"),
                                                                            ("RUS", "CHN")]
    assert all(e.reciprocal for e in events)
    assert len({e.event_id for e in events}) == 2
    e = events[0]
    assert (e.trigger_text, e.sentence, e.doc_id) == ("signed", ctx.sent.text, "asm")
    assert ctx.doc.text[e.char_start:e.char_end] == "signed"
    assert e.cameo_root == "05" and e.quad_class == 1 and e.coder == "verb:sign/agreement/"


def test_one_sided_act_of_two_sources_is_two_untargeted_events(parse, assembler):
    ctx, m = context(parse, "China and Russia signed an agreement.")
    events = assemble(assembler, ctx, "signed", "051", "verb:sign//",
                      [m["China"], m["Russia"]], [])
    assert sorted((e.source_country, e.target_country) for e in events) == [("CHN", None),
                                                                            ("RUS", None)]
    assert not any(e.reciprocal for e in events)


def test_no_participant_is_no_event(parse, assembler):
    ctx, _ = context(parse, "China and Russia signed an agreement.")
    assert assemble(assembler, ctx, "signed", "057", "verb:sign//", [], []) == []


# -- codes adjusted by modality and participants -------------------------------------------------
def test_negated_future_is_a_refusal(parse, assembler):
    ctx, m = context(parse, "Japan will not provide aid to Sudan.")
    [e] = assemble(assembler, ctx, "provide", "070", "verb:provide/aid/", [m["Japan"]],
                   [m["Sudan"]])
    assert e.cameo_root == "12" and e.coder == "verb:provide/aid/+refusal"
    assert (e.modality, e.negated, e.hypothetical) == ("asserted", False, False)


def test_stated_future_is_an_intent(parse, assembler):
    ctx, m = context(parse, "France will visit Germany next week.")
    [e] = assemble(assembler, ctx, "visit", "042", "verb:visit//", [m["France"]],
                   [m["Germany"]])
    assert (e.cameo_code, e.coder, e.modality) == ("036", "verb:visit//+future", "intended")
    # the intent is news when stated: "next week" is after publication, so it is not the date
    assert (e.date, e.date_precision) == (PUBLISHED.isoformat(), "published")


def test_killing_an_official_is_an_assassination_in_the_killers_country(parse, assembler):
    ctx, m = context(parse, "Greek police killed a local mayor.")
    [e] = assemble(assembler, ctx, "killed", "190", "verb:kill//", [m["Greek police"]],
                   [m["mayor"]])
    assert (e.cameo_code, e.coder) == ("186", "verb:kill//+official")
    assert e.target_country == "GRC"  # a role with no country takes its counterpart's


# -- evidence and implied targets ---------------------------------------------------------------
def test_visit_to_a_city_targets_its_country_and_dates_the_weekday(parse, assembler):
    ctx, m = context(parse, "The French president arrived in Amman on Monday.")
    [e] = assemble(assembler, ctx, "arrived", "042", "verb:arrive//in",
                   [m["French president"]], [])
    # the implied target keeps the words that placed it as its evidence
    assert (e.source_country, e.target_country, e.target_text) == ("FRA", "JOR", "Amman")
    assert (e.location_name, e.location_country) == ("Amman", "JOR")
    assert (e.date, e.date_precision) == ("2023-03-13", "day")


def test_untargeted_protest_is_domestic(parse, assembler):
    ctx, m = context(parse, "Canadian farmers protested on Tuesday.")
    [e] = assemble(assembler, ctx, "protested", "141", "verb:protest//",
                   [m["Canadian farmers"]], [])
    assert (e.source_country, e.target_country) == ("CAN", "CAN")
    assert e.coder == "verb:protest//+domestic"


def test_quantity_is_read_around_the_trigger(parse, assembler):
    ctx, m = context(parse, "Russia deployed 4,000 troops to Belarus.")
    [e] = assemble(assembler, ctx, "deployed", "154", "verb:deploy/troop/", [m["Russia"]],
                   [m["Belarus"]])
    assert e.quantity == "4,000 troops"


# -- the sentence's main events ----------------------------------------------------------------
def test_salience_of_main_side_and_background_clauses(parse):
    ctx, _ = context(parse, "Russia criticized Ukraine on Monday, noting the flights of "
                            "American bombers.")
    main = main_predicates(ctx.sent)
    assert salience(word(ctx, "criticized"), main) == 2
    assert salience(word(ctx, "noting"), main) == 1  # a participle clause hung on it
    assert noun_salience(word(ctx, "flights"), main) == 1  # the object of that clause
    ctx, _ = context(parse, "Lawmakers returned to work on Monday before the new Congress "
                            "convenes in January.")
    assert salience(word(ctx, "convenes"), main_predicates(ctx.sent)) == -1  # a time clause


@pytest.fixture(scope="module")
def base(parse, assembler) -> Event:
    ctx, m = context(parse, "China and Russia signed an agreement.")
    [e] = assemble(assembler, ctx, "signed", "057", "verb:sign/agreement/", [m["China"]],
                   [m["Russia"]])
    return e


def ev(base: Event, code: str, source: str | None, target: str | None, **kw) -> Event:
    return replace(base, cameo_code=code, cameo_root=code[:2], source_country=source,
                   target_country=target, event_id=f"{code}{source}{target}", **kw)


def test_select_keeps_the_main_event_and_a_new_pair_of_a_side_clause(base):
    main = ev(base, "111", "RUS", "UKR")
    same_pair = ev(base, "112", "UKR", "RUS")
    new_pair = ev(base, "042", "USA", "POL")
    other = ev(base, "190", "SYR", "TUR")
    ranked = [(2, 0, main), (1, 1, same_pair), (1, 1, new_pair), (0, 2, other)]
    assert select(ranked, "main") == [main, new_pair]
    assert select(ranked, "all") == [main, same_pair, new_pair, other]


def test_select_without_a_main_event_takes_the_shallowest_but_never_background(base):
    near, deep = ev(base, "190", "SYR", "TUR"), ev(base, "042", "USA", "POL")
    background = ev(base, "036", "FRA", "DEU")
    assert select([(0, 3, deep), (0, 1, near), (-1, 0, background)], "main") == [near]
    assert select([(-1, 0, background)], "main") == []


def test_bare_statement_yields_to_the_event_it_carries(base):
    statement = ev(base, "010", "RUS", None)
    carried = ev(base, "112", "RUS", "UKR")
    assert select([(2, 0, statement), (0, 2, carried)], "main") == [carried]


def test_said_statement_dropped_only_beside_an_asserted_event(base):
    said = ev(base, "010", "RUS", None, coder="verb:say//", trigger_text="said")
    other = ev(base, "190", "RUS", "UKR")
    assert drop_bare_statements([(2, 0, said), (2, 1, other)]) == [(2, 1, other)]
    maybe = replace(other, hypothetical=True)
    assert drop_bare_statements([(2, 0, said), (2, 1, maybe)]) == [(2, 0, said),
                                                                  (2, 1, maybe)]
