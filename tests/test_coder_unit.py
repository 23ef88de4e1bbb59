"""Unit tests of the event coder on hand-built spaCy Docs.

No statistical model: a blank English pipeline gives the vocabulary, and every Doc carries
the words, lemmas, tags and dependency parse that a rule of ``EventCoder`` should see. Actors
come from running the real ``ActorResolver`` with a small gazetteer written to a temporary
directory; the verb lexicon is a small one written the same way, so every code asserted below
can be traced to a row of this file. The CAMEO ontology, nouns.csv and adjectives.csv are the
packaged ones.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

from cordiale.actors import ActorResolver, build_gazetteer
from cordiale.events.coder import EventCoder
from cordiale.events.lexicon import build_lexicon
from cordiale.events.ontology import load_ontology
from cordiale.records import Event

PUB = date(2021, 11, 24)  # a Wednesday
HEADER = "# written by tests/test_coder_unit.py\n"


# -- fixtures: a small gazetteer and a small lexicon -------------------------------------------
@pytest.fixture(scope="module")
def gaz_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("coder_gaz")
    (d / "countries.csv").write_text(
        HEADER
        + "iso3,name,forms,demonyms,capital,capital_forms,lat,lon\n"
        + "RUS,Russia,,Russian,Moscow,,55.75,37.62\n"
        + "GEO,Georgia,,Georgian,Tbilisi,,41.72,44.79\n"
        + "UKR,Ukraine,,Ukrainian,Kyiv,Kiev,50.45,30.52\n"
        + "CHN,China,,Chinese,Beijing,,39.9,116.4\n"
        + "USA,United States,US|U.S.,American,Washington,,38.9,-77.04\n"
        + "IRN,Iran,,Iranian,Tehran,,35.69,51.39\n"
        + "FRA,France,,French,Paris,,48.86,2.35\n"
        + "TUR,Turkey,,Turkish,Ankara,,39.93,32.86\n"
        + "SWE,Sweden,,Swedish,Stockholm,,59.33,18.07\n"
        + "SYR,Syria,,Syrian,Damascus,,33.51,36.29\n",
        "utf-8",
    )
    (d / "places.csv").write_text(
        HEADER + "forms,kind,iso3,lat,lon,name\nAleppo,city,SYR,36.2,37.16,Aleppo\n", "utf-8"
    )
    (d / "agents.csv").write_text(HEADER + "term,sector,note\narmy,MIL,\n", "utf-8")
    (d / "leaders.csv").write_text(
        HEADER
        + "name,aliases,iso3,sector,role,start,end\n"
        + "Vladimir Putin,Putin,RUS,GOV,head of state,2012-05-07,\n",
        "utf-8",
    )
    return d


@pytest.fixture(scope="module")
def lex_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("coder_lex")
    (d / "verbs.csv").write_text(
        HEADER
        + "# a deliberately tiny lexicon: one row per behaviour under test\n"
        + "lemma,object,prep,code,note\n"
        + "attack,,,190,\n"
        + "sign,treaty,,057,the object row must beat the bare row\n"
        + "sign,,,051,bare row with a different code on purpose\n"
        + "meet,,,040,\n"
        + "protest,,against,111,\n"
        + "protest,,,141,\n"
        + "release,,,0841,\n"
        + "deploy,,,154,\n"
        + "say,,,010,\n",
        "utf-8",
    )
    (d / "frames.csv").write_text(
        HEADER
        + "lemma,class,default_code,note\n"
        + "agree,intent,030,\n"
        + "refuse,reject,120,\n"
        + "threaten,threat,130,\n"
        + "urge,appeal,020,\n",
        "utf-8",
    )
    (d / "frame_codes.csv").write_text(
        HEADER
        + "class,embedded_root,code,note\n"
        + "intent,04,036,\n"
        + "intent,19,138,a stated future attack is a threat\n"
        + "reject,04,125,\n"
        + "threat,19,138,\n"
        + "appeal,084,0253,a three-digit cell\n",
        "utf-8",
    )
    return d


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("en")


@pytest.fixture(scope="module")
def resolver(nlp, gaz_dir: Path) -> ActorResolver:
    return ActorResolver(nlp, build_gazetteer(gaz_dir))


@pytest.fixture(scope="module")
def coder(lex_dir: Path) -> EventCoder:
    return EventCoder(lexicon=build_lexicon(lex_dir), ontology=load_ontology())


# -- building Docs by hand --------------------------------------------------------------------
DEFAULT_TAG = {"PROPN": "NNP", "NOUN": "NN", "DET": "DT", "ADP": "IN", "PUNCT": ".",
               "CCONJ": "CC", "NUM": "CD", "ADJ": "JJ", "SCONJ": "IN", "PRON": "PRP",
               "PART": "RB", "ADV": "RB", "SPACE": "_SP", "AUX": "VBZ", "VERB": "VBD"}
NO_SPACE_BEFORE = {".", ",", "?", "'s"}


def T(word: str, head: int, dep: str, pos: str, tag: str | None = None,
      lemma: str | None = None, ent: str = "O") -> tuple[str, int, str, str, str, str, str]:
    """One token: word, absolute head index, dependency, POS, fine tag, lemma, IOB entity."""
    return (word, head, dep, pos, tag or DEFAULT_TAG.get(pos, ""), lemma or word.lower(), ent)


def make_doc(nlp, rows: list[tuple[str, int, str, str, str, str, str]]) -> Doc:
    words = [r[0] for r in rows]
    spaces = []
    for i, w in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else None
        spaces.append(nxt is not None and not w.isspace() and not nxt.isspace()
                      and nxt not in NO_SPACE_BEFORE)
    return Doc(
        nlp.vocab,
        words=words,
        spaces=spaces,
        heads=[r[1] for r in rows],
        deps=[r[2] for r in rows],
        pos=[r[3] for r in rows],
        tags=[r[4] for r in rows],
        lemmas=[r[5] for r in rows],
        ents=[r[6] for r in rows],
    )


def run(nlp, resolver, coder, rows, published: date | None = PUB) -> tuple[Doc, list[Event]]:
    doc = make_doc(nlp, rows)
    _, mentions = resolver.resolve(doc, "d1", published)
    return doc, coder.code(doc, mentions, "d1", published)


def pairs(events: list[Event]) -> list[tuple[str | None, str | None]]:
    return sorted((e.source_country, e.target_country) for e in events)


def at_trigger(doc: Doc, e: Event, text: str) -> bool:
    return e.trigger_text == text and doc.text[e.char_start:e.char_end] == text


def svo(subj: str, verb: str, lemma: str, obj: str, tag: str = "VBD") -> list:
    """'<subj> <verb> <obj> .' with the verb as root."""
    return [T(subj, 1, "nsubj", "PROPN"), T(verb, 1, "ROOT", "VERB", tag, lemma),
            T(obj, 1, "dobj", "PROPN"), T(".", 1, "punct", "PUNCT")]


# -- 1. plain verb --------------------------------------------------------------------------
def test_plain_verb_subject_is_source_object_is_target(nlp, resolver, coder):
    doc, events = run(nlp, resolver, coder, svo("Russia", "attacked", "attack", "Georgia"))
    [e] = events
    assert (e.source_country, e.target_country) == ("RUS", "GEO")
    assert (e.cameo_code, e.cameo_root, e.quad_class) == ("190", "19", 4)
    assert e.coder == "verb:attack//"
    assert at_trigger(doc, e, "attacked")
    assert (e.negated, e.hypothetical, e.modality, e.reciprocal) == (False, False, "asserted",
                                                                    False)
    assert doc.text[e.source_start:e.source_end] == "Russia"
    assert doc.text[e.target_start:e.target_end] == "Georgia"
    assert e.sentence == "Russia attacked Georgia."


# -- 2. verb + object row over the bare verb row ---------------------------------------------
@pytest.mark.parametrize(
    ("noun", "code", "rule", "reciprocal"),
    [("treaty", "057", "verb:sign/treaty/", True),  # 057 is a symmetric code
     ("letter", "051", "verb:sign//", False)],
)
def test_object_row_beats_bare_row_and_target_comes_from_with_phrase(
        nlp, resolver, coder, noun, code, rule, reciprocal):
    # China signed a <noun> with Russia .
    doc, events = run(nlp, resolver, coder, [
        T("China", 1, "nsubj", "PROPN"),
        T("signed", 1, "ROOT", "VERB", "VBD", "sign"),
        T("a", 3, "det", "DET"),
        T(noun, 1, "dobj", "NOUN"),
        T("with", 3, "prep", "ADP"),
        T("Russia", 4, "pobj", "PROPN"),
        T(".", 1, "punct", "PUNCT"),
    ])
    [e] = events
    assert (e.cameo_code, e.coder) == (code, rule)
    assert (e.source_country, e.target_country, e.reciprocal) == ("CHN", "RUS", reciprocal)
    assert at_trigger(doc, e, "signed")


# -- 3. verb + preposition ------------------------------------------------------------------
def test_verb_with_preposition_row_targets_the_prepositional_object(nlp, resolver, coder):
    # Turkey protested against Sweden .
    doc, events = run(nlp, resolver, coder, [
        T("Turkey", 1, "nsubj", "PROPN"),
        T("protested", 1, "ROOT", "VERB", "VBD", "protest"),
        T("against", 1, "prep", "ADP"),
        T("Sweden", 2, "pobj", "PROPN"),
        T(".", 1, "punct", "PUNCT"),
    ])
    [e] = events
    assert (e.cameo_code, e.coder) == ("111", "verb:protest//against")
    assert (e.source_country, e.target_country) == ("TUR", "SWE")
    assert at_trigger(doc, e, "protested")


def test_bare_protest_without_target_is_aimed_at_the_government(nlp, resolver, coder):
    # Turkey protested . -> root 14 with no target is domestic; since no event has the same
    # actor code on both sides, the implied target is the side CAMEO names for a protest
    doc, events = run(nlp, resolver, coder, [
        T("Turkey", 1, "nsubj", "PROPN"),
        T("protested", 1, "ROOT", "VERB", "VBD", "protest"),
        T(".", 1, "punct", "PUNCT"),
    ])
    [e] = events
    assert (e.cameo_code, e.coder) == ("141", "verb:protest//+domestic")
    assert (e.source_code, e.target_country, e.target_code) == ("TUR", "TUR", "TURGOV")
    assert e.target_start is None and e.target_end is None  # implied actor, no span
    assert at_trigger(doc, e, "protested")


# -- 4. passive voice ------------------------------------------------------------------------
def test_passive_with_agent_swaps_roles(nlp, resolver, coder):
    # Georgia was attacked by Russia .
    doc, events = run(nlp, resolver, coder, [
        T("Georgia", 2, "nsubjpass", "PROPN"),
        T("was", 2, "auxpass", "AUX", "VBD", "be"),
        T("attacked", 2, "ROOT", "VERB", "VBN", "attack"),
        T("by", 2, "agent", "ADP"),
        T("Russia", 3, "pobj", "PROPN"),
        T(".", 2, "punct", "PUNCT"),
    ])
    [e] = events
    assert (e.source_country, e.target_country, e.cameo_code) == ("RUS", "GEO", "190")
    assert at_trigger(doc, e, "attacked")
    assert e.modality == "asserted"


def test_passive_without_agent_keeps_the_target_only(nlp, resolver, coder):
    # Georgia was attacked .
    doc, events = run(nlp, resolver, coder, [
        T("Georgia", 2, "nsubjpass", "PROPN"),
        T("was", 2, "auxpass", "AUX", "VBD", "be"),
        T("attacked", 2, "ROOT", "VERB", "VBN", "attack"),
        T(".", 2, "punct", "PUNCT"),
    ])
    [e] = events
    assert (e.source_country, e.source_code, e.target_country) == (None, None, "GEO")
    assert e.cameo_code == "190" and at_trigger(doc, e, "attacked")


# -- 5. compound subject with a symmetric code -------------------------------------------------
def test_compound_subject_meeting_gives_both_directions(nlp, resolver, coder):
    # China and Russia met .
    doc, events = run(nlp, resolver, coder, [
        T("China", 3, "nsubj", "PROPN"),
        T("and", 0, "cc", "CCONJ"),
        T("Russia", 0, "conj", "PROPN"),
        T("met", 3, "ROOT", "VERB", "VBD", "meet"),
        T(".", 3, "punct", "PUNCT"),
    ])
    assert pairs(events) == [("CHN", "RUS"), ("RUS", "CHN")]
    assert all(e.reciprocal and e.cameo_code == "040" and at_trigger(doc, e, "met")
               for e in events)
    assert len({e.event_id for e in events}) == 2


def test_compound_subject_signing_is_reciprocal(nlp, resolver, coder):
    # China and Russia signed a treaty .
    _, events = run(nlp, resolver, coder, [
        T("China", 3, "nsubj", "PROPN"),
        T("and", 0, "cc", "CCONJ"),
        T("Russia", 0, "conj", "PROPN"),
        T("signed", 3, "ROOT", "VERB", "VBD", "sign"),
        T("a", 5, "det", "DET"),
        T("treaty", 3, "dobj", "NOUN"),
        T(".", 3, "punct", "PUNCT"),
    ])
    assert pairs(events) == [("CHN", "RUS"), ("RUS", "CHN")]
    assert all(e.reciprocal and e.cameo_code == "057" for e in events)


# -- 6. compound object ----------------------------------------------------------------------
def test_compound_object_gives_one_event_per_target(nlp, resolver, coder):
    # Russia attacked Georgia and Ukraine .
    doc, events = run(nlp, resolver, coder, [
        T("Russia", 1, "nsubj", "PROPN"),
        T("attacked", 1, "ROOT", "VERB", "VBD", "attack"),
        T("Georgia", 1, "dobj", "PROPN"),
        T("and", 2, "cc", "CCONJ"),
        T("Ukraine", 2, "conj", "PROPN"),
        T(".", 1, "punct", "PUNCT"),
    ])
    assert pairs(events) == [("RUS", "GEO"), ("RUS", "UKR")]
    assert all(not e.reciprocal and e.cameo_code == "190" and at_trigger(doc, e, "attacked")
               for e in events)


# -- 7. frame verbs with an open complement ---------------------------------------------------
def _frame_rows(subj, frame, frame_lemma, inner, inner_lemma, obj):
    # <subj> <frame> to <inner> <obj> .
    return [
        T(subj, 1, "nsubj", "PROPN"),
        T(frame, 1, "ROOT", "VERB", "VBD", frame_lemma),
        T("to", 3, "aux", "PART", "TO"),
        T(inner, 1, "xcomp", "VERB", "VB", inner_lemma),
        T(obj, 3, "dobj", "PROPN"),
        T(".", 1, "punct", "PUNCT"),
    ]


@pytest.mark.parametrize(
    ("subj", "frame", "frame_lemma", "inner", "inner_lemma", "obj", "code", "rule",
     "reciprocal"),
    [
        ("Iran", "agreed", "agree", "meet", "meet", "France", "036", "frame:agree+meet//",
         True),
        ("Iran", "refused", "refuse", "meet", "meet", "France", "125", "frame:refuse+meet//",
         False),
        ("Russia", "threatened", "threaten", "attack", "attack", "Georgia", "138",
         "frame:threaten+attack//", False),
    ],
)
def test_frame_verb_recodes_the_embedded_event(nlp, resolver, coder, subj, frame, frame_lemma,
                                               inner, inner_lemma, obj, code, rule, reciprocal):
    doc, events = run(nlp, resolver, coder,
                      _frame_rows(subj, frame, frame_lemma, inner, inner_lemma, obj))
    [e] = events
    src = {"Iran": "IRN", "Russia": "RUS"}[subj]
    tgt = {"France": "FRA", "Georgia": "GEO"}[obj]
    assert (e.cameo_code, e.coder) == (code, rule)
    assert (e.source_country, e.target_country, e.reciprocal) == (src, tgt, reciprocal)
    # the evidence is the embedded verb; the frame verb itself is not negated
    assert at_trigger(doc, e, inner)
    assert (e.negated, e.modality) == (False, "asserted")


def test_negated_complement_of_a_frame_negates_the_event(nlp, resolver, coder):
    # Iran agreed not to attack France .
    doc, events = run(nlp, resolver, coder, [
        T("Iran", 1, "nsubj", "PROPN"),
        T("agreed", 1, "ROOT", "VERB", "VBD", "agree"),
        T("not", 4, "neg", "PART"),
        T("to", 4, "aux", "PART", "TO"),
        T("attack", 1, "xcomp", "VERB", "VB", "attack"),
        T("France", 4, "dobj", "PROPN"),
        T(".", 1, "punct", "PUNCT"),
    ])
    [e] = events
    assert (e.cameo_code, e.coder) == ("138", "frame:agree+attack//")  # intent x 19 row
    assert (e.negated, e.modality) == (True, "negated")
    assert (e.source_country, e.target_country) == ("IRN", "FRA")
    assert at_trigger(doc, e, "attack")


def test_object_control_frame_targets_the_object(nlp, resolver, coder):
    # France urged Iran to release the sailors .
    doc, events = run(nlp, resolver, coder, [
        T("France", 1, "nsubj", "PROPN"),
        T("urged", 1, "ROOT", "VERB", "VBD", "urge"),
        T("Iran", 1, "dobj", "PROPN"),
        T("to", 4, "aux", "PART", "TO"),
        T("release", 1, "xcomp", "VERB", "VB", "release"),
        T("the", 6, "det", "DET"),
        T("sailors", 4, "dobj", "NOUN", "NNS", "sailor"),
        T(".", 1, "punct", "PUNCT"),
    ])
    [e] = events
    assert (e.source_country, e.target_country) == ("FRA", "IRN")
    assert (e.cameo_code, e.cameo_root, e.coder) == ("0253", "02", "frame:urge+release//")
    assert at_trigger(doc, e, "release")


# -- 8. negation -----------------------------------------------------------------------------
def test_negated_event(nlp, resolver, coder):
    # Russia did not attack Georgia .
    doc, events = run(nlp, resolver, coder, [
        T("Russia", 3, "nsubj", "PROPN"),
        T("did", 3, "aux", "AUX", "VBD", "do"),
        T("not", 3, "neg", "PART"),
        T("attack", 3, "ROOT", "VERB", "VB", "attack"),
        T("Georgia", 3, "dobj", "PROPN"),
        T(".", 3, "punct", "PUNCT"),
    ])
    [e] = events
    assert (e.negated, e.hypothetical, e.modality) == (True, False, "negated")
    assert (e.source_country, e.target_country, e.cameo_code) == ("RUS", "GEO", "190")
    assert at_trigger(doc, e, "attack")


# -- 9. hypotheticals ------------------------------------------------------------------------
MODAL = [
    T("Russia", 2, "nsubj", "PROPN"),
    T("could", 2, "aux", "AUX", "MD", "could"),
    T("attack", 2, "ROOT", "VERB", "VB", "attack"),
    T("Georgia", 2, "dobj", "PROPN"),
    T(".", 2, "punct", "PUNCT"),
]
CONDITIONAL = [  # If Russia attacks Georgia , prices rise .
    T("If", 2, "mark", "SCONJ"),
    T("Russia", 2, "nsubj", "PROPN"),
    T("attacks", 6, "advcl", "VERB", "VBZ", "attack"),
    T("Georgia", 2, "dobj", "PROPN"),
    T(",", 6, "punct", "PUNCT", ","),
    T("prices", 6, "nsubj", "NOUN", "NNS", "price"),
    T("rise", 6, "ROOT", "VERB", "VBP", "rise"),
    T(".", 6, "punct", "PUNCT"),
]
QUESTION = [  # Did Russia attack Georgia ?
    T("Did", 2, "aux", "AUX", "VBD", "do"),
    T("Russia", 2, "nsubj", "PROPN"),
    T("attack", 2, "ROOT", "VERB", "VB", "attack"),
    T("Georgia", 2, "dobj", "PROPN"),
    T("?", 2, "punct", "PUNCT"),
]


@pytest.mark.parametrize(
    ("rows", "trigger", "modality"),
    [(MODAL, "attack", "hypothetical"), (CONDITIONAL, "attacks", "hypothetical"),
     (QUESTION, "attack", "question")],
    ids=["modal", "conditional", "question"],
)
def test_hypothetical_events(nlp, resolver, coder, rows, trigger, modality):
    doc, events = run(nlp, resolver, coder, rows)
    [e] = events
    assert (e.modality, e.hypothetical, e.negated) == (modality, True, False)
    assert (e.source_country, e.target_country) == ("RUS", "GEO")
    assert e.cameo_code == "190"  # not converted: only "intended" becomes a threat
    assert at_trigger(doc, e, trigger)


# -- 10. future / intended -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("subj", "verb", "lemma", "obj", "code", "rule", "reciprocal"),
    [("Russia", "attack", "attack", "Georgia", "138", "verb:attack//+future", False),
     ("China", "meet", "meet", "Russia", "036", "verb:meet//+future", True)],
)
def test_future_event_is_intended_and_converted(nlp, resolver, coder, subj, verb, lemma, obj,
                                                code, rule, reciprocal):
    # <subj> will <verb> <obj> .
    doc, events = run(nlp, resolver, coder, [
        T(subj, 2, "nsubj", "PROPN"),
        T("will", 2, "aux", "AUX", "MD", "will"),
        T(verb, 2, "ROOT", "VERB", "VB", lemma),
        T(obj, 2, "dobj", "PROPN"),
        T(".", 2, "punct", "PUNCT"),
    ])
    [e] = events
    assert (e.modality, e.hypothetical, e.negated) == ("intended", False, False)
    assert (e.cameo_code, e.coder, e.reciprocal) == (code, rule, reciprocal)
    assert e.cameo_root == code[:2]
    assert at_trigger(doc, e, verb)


# -- 11. attribution and reported speech -------------------------------------------------------
REPORT_AFTER = [  # Russia attacked Georgia , Ukraine said .
    T("Russia", 1, "nsubj", "PROPN"),
    T("attacked", 1, "ROOT", "VERB", "VBD", "attack"),
    T("Georgia", 1, "dobj", "PROPN"),
    T(",", 1, "punct", "PUNCT", ","),
    T("Ukraine", 5, "nsubj", "PROPN"),
    T("said", 1, "parataxis", "VERB", "VBD", "say"),
    T(".", 1, "punct", "PUNCT"),
]
ACCORDING_TO = [  # Russia attacked Georgia , according to Ukraine .
    T("Russia", 1, "nsubj", "PROPN"),
    T("attacked", 1, "ROOT", "VERB", "VBD", "attack"),
    T("Georgia", 1, "dobj", "PROPN"),
    T(",", 1, "punct", "PUNCT", ","),
    T("according", 1, "prep", "VERB", "VBG", "accord"),
    T("to", 4, "prep", "ADP"),
    T("Ukraine", 5, "pobj", "PROPN"),
    T(".", 1, "punct", "PUNCT"),
]
REPORT_BEFORE = [  # Ukraine said Russia attacked Georgia .
    T("Ukraine", 1, "nsubj", "PROPN"),
    T("said", 1, "ROOT", "VERB", "VBD", "say"),
    T("Russia", 3, "nsubj", "PROPN"),
    T("attacked", 1, "ccomp", "VERB", "VBD", "attack"),
    T("Georgia", 3, "dobj", "PROPN"),
    T(".", 1, "punct", "PUNCT"),
]


@pytest.mark.parametrize("rows", [REPORT_AFTER, REPORT_BEFORE, ACCORDING_TO],
                         ids=["said-after", "said-before", "according-to"])
def test_reported_event_is_attributed_and_speech_is_not_coded(nlp, resolver, coder, rows):
    doc, events = run(nlp, resolver, coder, rows)
    [e] = events  # no separate 010 statement for "said"
    assert (e.source_country, e.target_country, e.cameo_code) == ("RUS", "GEO", "190")
    assert e.attributed_to == "Ukraine (UKR)"
    assert at_trigger(doc, e, "attacked")
    assert e.modality == "asserted"


def test_speech_verb_reporting_nothing_codable_is_a_statement(nlp, resolver, coder):
    # Ukraine said Russia lied .   ("lie" is in no lexicon row)
    doc, events = run(nlp, resolver, coder, [
        T("Ukraine", 1, "nsubj", "PROPN"),
        T("said", 1, "ROOT", "VERB", "VBD", "say"),
        T("Russia", 3, "nsubj", "PROPN"),
        T("lied", 1, "ccomp", "VERB", "VBD", "lie"),
        T(".", 1, "punct", "PUNCT"),
    ])
    [e] = events
    assert (e.cameo_code, e.cameo_root, e.coder) == ("010", "01", "verb:say//")
    # the statement is about Russia, its target as PETRARCH codes it (roles.statement_topic)
    assert (e.source_country, e.target_country) == ("UKR", "RUS")
    assert e.attributed_to is None
    assert at_trigger(doc, e, "said")


# -- 12. dates ---------------------------------------------------------------------------------
def _attack_with(tail: list[tuple[str, str, str]]) -> list:
    """Russia attacked Georgia <prep> <word> .  (tail: prep, word, POS of word)"""
    (prep, word, pos), = tail
    return [
        T("Russia", 1, "nsubj", "PROPN"),
        T("attacked", 1, "ROOT", "VERB", "VBD", "attack"),
        T("Georgia", 1, "dobj", "PROPN"),
        T(prep, 1, "prep", "ADP"),
        T(word, 3, "pobj", pos),
        T(".", 1, "punct", "PUNCT"),
    ]


@pytest.mark.parametrize(
    ("rows", "value", "precision"),
    [
        (_attack_with([("on", "Tuesday", "PROPN")]), "2021-11-23", "day"),
        (svo("Russia", "attacked", "attack", "Georgia"), "2021-11-24", "published"),
        (_attack_with([("in", "1904", "NUM")]), "1904", "year"),
    ],
    ids=["weekday", "none", "historical-year"],
)
def test_event_date(nlp, resolver, coder, rows, value, precision):
    doc, events = run(nlp, resolver, coder, rows)
    [e] = events
    assert (e.date, e.date_precision) == (value, precision)
    assert at_trigger(doc, e, "attacked")


def test_no_published_date_and_no_expression_leaves_date_empty(nlp, resolver, coder):
    _, events = run(nlp, resolver, coder, svo("Russia", "attacked", "attack", "Georgia"),
                    published=None)
    [e] = events
    assert (e.date, e.date_precision) == (None, None)


# -- 13. quantity ------------------------------------------------------------------------------
def test_quantity_from_numeric_modifier_of_the_object(nlp, resolver, coder):
    # Russia deployed 4,000 troops to Syria .
    doc, events = run(nlp, resolver, coder, [
        T("Russia", 1, "nsubj", "PROPN"),
        T("deployed", 1, "ROOT", "VERB", "VBD", "deploy"),
        T("4,000", 3, "nummod", "NUM"),
        T("troops", 1, "dobj", "NOUN", "NNS", "troop"),
        T("to", 1, "prep", "ADP"),
        T("Syria", 4, "pobj", "PROPN"),
        T(".", 1, "punct", "PUNCT"),
    ])
    [e] = events
    assert e.quantity == "4,000 troops"
    assert (e.source_country, e.target_country) == ("RUS", "SYR")
    assert (e.cameo_code, e.cameo_root) == ("154", "15")
    assert at_trigger(doc, e, "deployed")


# -- 14. place ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("obj", "where", "name", "country", "lat", "lon", "target"),
    [("Georgia", "Tbilisi", "Tbilisi", "GEO", 41.72, 44.79, "GEO"),  # capital after "in"
     # places.csv row; an attack on an actor with no country lands on the place's country
     ("rebels", "Aleppo", "Aleppo", "SYR", 36.2, 37.16, "SYR")],
)
def test_place_attached_to_the_verb(nlp, resolver, coder, obj, where, name, country, lat, lon,
                                    target):
    # Russia attacked <obj> in <where> .
    rows = _attack_with([("in", where, "PROPN")])
    rows[2] = T(obj, 1, "dobj", "PROPN" if obj[0].isupper() else "NOUN")
    doc, events = run(nlp, resolver, coder, rows)
    [e] = events
    assert (e.location_name, e.location_country) == (name, country)
    assert (e.latitude, e.longitude) == (lat, lon)
    assert (e.source_country, e.target_country) == ("RUS", target)
    assert at_trigger(doc, e, "attacked")


# -- 15. adjective predicates ----------------------------------------------------------------
COPULA_UPSET = [  # Russia is upset by the United States .
    T("Russia", 1, "nsubj", "PROPN"),
    T("is", 1, "ROOT", "AUX", "VBZ", "be"),
    T("upset", 1, "acomp", "ADJ", "JJ", "upset"),
    T("by", 2, "prep", "ADP"),
    T("the", 6, "det", "DET"),
    T("United", 6, "compound", "PROPN"),
    T("States", 3, "pobj", "PROPN"),
    T(".", 1, "punct", "PUNCT"),
]
PASSIVE_UPSET = [  # Russia was upset by the United States .
    T("Russia", 2, "nsubjpass", "PROPN"),
    T("was", 2, "auxpass", "AUX", "VBD", "be"),
    T("upset", 2, "ROOT", "VERB", "VBN", "upset"),
    T("by", 2, "agent", "ADP"),
    T("the", 6, "det", "DET"),
    T("United", 6, "compound", "PROPN"),
    T("States", 3, "pobj", "PROPN"),
    T(".", 2, "punct", "PUNCT"),
]


@pytest.mark.parametrize("rows", [COPULA_UPSET, PASSIVE_UPSET], ids=["acomp", "participle"])
def test_adjective_predicate_codes_the_adjective(nlp, resolver, coder, rows):
    doc, events = run(nlp, resolver, coder, rows)
    [e] = events
    assert (e.cameo_code, e.coder) == ("110", "adjective:upset")
    assert (e.source_country, e.target_country) == ("RUS", "USA")
    assert (e.negated, e.modality) == (False, "asserted")
    assert at_trigger(doc, e, "upset")


def test_negated_adjective_takes_its_negated_code_and_is_not_flagged(nlp, resolver, coder):
    # Russia is not satisfied with the United States .
    doc, events = run(nlp, resolver, coder, [
        T("Russia", 1, "nsubj", "PROPN"),
        T("is", 1, "ROOT", "AUX", "VBZ", "be"),
        T("not", 1, "neg", "PART"),
        T("satisfied", 1, "acomp", "ADJ", "JJ", "satisfied"),
        T("with", 3, "prep", "ADP"),
        T("the", 7, "det", "DET"),
        T("United", 7, "compound", "PROPN"),
        T("States", 4, "pobj", "PROPN"),
        T(".", 1, "punct", "PUNCT"),
    ])
    [e] = events
    assert (e.cameo_code, e.coder) == ("110", "adjective:not satisfied")
    assert (e.negated, e.modality) == (False, "asserted")
    assert (e.source_country, e.target_country) == ("RUS", "USA")
    assert at_trigger(doc, e, "satisfied")


# -- 16. event nouns ---------------------------------------------------------------------------
def test_event_noun_with_modifier_source_and_on_target(nlp, resolver, coder):
    # US pressure on Iran increased .
    doc, events = run(nlp, resolver, coder, [
        T("US", 1, "compound", "PROPN"),
        T("pressure", 4, "nsubj", "NOUN"),
        T("on", 1, "prep", "ADP"),
        T("Iran", 2, "pobj", "PROPN"),
        T("increased", 4, "ROOT", "VERB", "VBD", "increase"),
        T(".", 4, "punct", "PUNCT"),
    ])
    [e] = events
    assert (e.cameo_code, e.cameo_root, e.coder) == ("100", "10", "noun:pressure")
    assert (e.source_country, e.target_country) == ("USA", "IRN")
    assert at_trigger(doc, e, "pressure")
    assert (e.date, e.date_precision) == ("2021-11-24", "published")


def test_event_noun_with_possessive_source(nlp, resolver, coder):
    # Russia 's attack on Georgia continued .
    doc, events = run(nlp, resolver, coder, [
        T("Russia", 2, "poss", "PROPN"),
        T("'s", 0, "case", "PART", "POS"),
        T("attack", 5, "nsubj", "NOUN"),
        T("on", 2, "prep", "ADP"),
        T("Georgia", 3, "pobj", "PROPN"),
        T("continued", 5, "ROOT", "VERB", "VBD", "continue"),
        T(".", 5, "punct", "PUNCT"),
    ])
    [e] = events
    assert (e.cameo_code, e.coder) == ("190", "noun:attack")
    assert (e.source_country, e.target_country) == ("RUS", "GEO")
    assert at_trigger(doc, e, "attack")


# -- 17. stories -------------------------------------------------------------------------------
def _putin_attacked(start: int) -> list:
    return [
        T("Putin", start + 1, "nsubj", "PROPN", ent="B-PERSON"),
        T("attacked", start + 1, "ROOT", "VERB", "VBD", "attack"),
        T("Georgia", start + 1, "dobj", "PROPN"),
        T(".", start + 1, "punct", "PUNCT"),
    ]


STORY_CUE = [  # Putin told a story .
    T("Putin", 1, "nsubj", "PROPN", ent="B-PERSON"),
    T("told", 1, "ROOT", "VERB", "VBD", "tell"),
    T("a", 3, "det", "DET"),
    T("story", 1, "dobj", "NOUN"),
    T(".", 1, "punct", "PUNCT"),
]


def test_story_cue_marks_the_rest_of_the_paragraph(nlp, resolver, coder):
    # Putin told a story . Putin attacked Georgia .\n\nPutin attacked Georgia .
    rows = [*STORY_CUE, *_putin_attacked(5)]
    rows.append(T("\n\n", 6, "dep", "SPACE"))
    rows.extend(_putin_attacked(10))
    doc, events = run(nlp, resolver, coder, rows)
    assert "Georgia.\n\nPutin" in doc.text
    assert [e.sentence_index for e in events] == [1, 2]
    in_story, next_paragraph = events
    assert (in_story.modality, in_story.hypothetical, in_story.negated) == ("story", True, False)
    assert (next_paragraph.modality, next_paragraph.hypothetical) == ("asserted", False)
    for e in events:
        assert (e.source_country, e.target_country, e.cameo_code) == ("RUS", "GEO", "190")
        assert doc.text[e.char_start:e.char_end] == "attacked"
    assert in_story.char_start < next_paragraph.char_start


def test_story_ends_when_a_state_actor_is_subject_again(nlp, resolver, coder):
    # Putin told a story . Russia attacked Georgia .   (same paragraph)
    rows = [*STORY_CUE, *svo("Russia", "attacked", "attack", "Georgia")]
    rows[5:] = [T(w, h + 5, d, p, t, lem, ent) for (w, h, d, p, t, lem, ent) in rows[5:]]
    _, events = run(nlp, resolver, coder, rows)
    [e] = events
    assert (e.sentence_index, e.modality, e.hypothetical) == (1, "asserted", False)


# -- known bug: modifiers of the governing verb are lost for frame and adjective events ------
FRAME_IN_1904 = [  # Russia threatened in 1904 to attack Georgia .
    T("Russia", 1, "nsubj", "PROPN"),
    T("threatened", 1, "ROOT", "VERB", "VBD", "threaten"),
    T("in", 1, "prep", "ADP"),
    T("1904", 2, "pobj", "NUM"),
    T("to", 5, "aux", "PART", "TO"),
    T("attack", 1, "xcomp", "VERB", "VB", "attack"),
    T("Georgia", 5, "dobj", "PROPN"),
    T(".", 1, "punct", "PUNCT"),
]
FRAME_IN_ALEPPO = [  # Russia threatened in Aleppo to attack Georgia .
    *FRAME_IN_1904[:3], T("Aleppo", 2, "pobj", "PROPN"), *FRAME_IN_1904[4:]]
COPULA_IN_1904 = [  # Russia was upset by the United States in 1904 .
    T("Russia", 1, "nsubj", "PROPN"),
    T("was", 1, "ROOT", "AUX", "VBD", "be"),
    T("upset", 1, "acomp", "ADJ", "JJ", "upset"),
    T("by", 2, "prep", "ADP"),
    T("the", 6, "det", "DET"),
    T("United", 6, "compound", "PROPN"),
    T("States", 3, "pobj", "PROPN"),
    T("in", 1, "prep", "ADP"),
    T("1904", 7, "pobj", "NUM"),
    T(".", 1, "punct", "PUNCT"),
]
@pytest.mark.parametrize(
    ("rows", "field", "expected"),
    [(FRAME_IN_1904, "date", "1904"), (FRAME_IN_ALEPPO, "location_name", "Aleppo"),
     (COPULA_IN_1904, "date", "1904")],
    ids=["frame-year", "frame-place", "copula-year"],
)
def test_date_and_place_of_the_governing_verb_apply_to_the_event(nlp, resolver, coder, rows,
                                                                 field, expected):
    _, events = run(nlp, resolver, coder, rows)
    [e] = events
    assert e.cameo_code in ("138", "110")  # the event itself is found ...
    assert getattr(e, field) == expected  # ... but its date / place is not


# -- parse repairs ---------------------------------------------------------------------------
def test_two_subjects_take_the_one_nearest_the_verb(nlp, resolver, coder):
    # ANKARA -- Russia attacked Georgia .  (the dateline parsed as a second subject)
    _, events = run(nlp, resolver, coder, [
        T("ANKARA", 3, "nsubj", "PROPN"),
        T("--", 3, "punct", "PUNCT", ":"),
        T("Russia", 3, "nsubj", "PROPN"),
        T("attacked", 3, "ROOT", "VERB", "VBD", "attack"),
        T("Georgia", 3, "dobj", "PROPN"),
        T(".", 3, "punct", "PUNCT"),
    ])
    assert pairs(events) == [("RUS", "GEO")]


def test_participle_hung_on_a_noun_root_is_the_active_verb(nlp, resolver, coder):
    # Army from Russia attacked Georgia .  (parsed as a noun root with an "acl" participle)
    _, events = run(nlp, resolver, coder, [
        T("Army", 0, "ROOT", "NOUN", "NN", "army"),
        T("from", 0, "prep", "ADP"),
        T("Russia", 1, "pobj", "PROPN"),
        T("attacked", 2, "acl", "VERB", "VBN", "attack"),
        T("Georgia", 3, "dobj", "PROPN"),
        T(".", 0, "punct", "PUNCT"),
    ])
    assert [(e.source_country, e.target_country, e.cameo_code) for e in events] == [
        ("RUS", "GEO", "190")]


def test_preposition_whose_noun_was_taken_as_a_subject(nlp, resolver, coder):
    # Russia deployed army to Georgia fighting .  ("Georgia" parsed as the subject of
    # "fighting", leaving "to" without its object)
    _, events = run(nlp, resolver, coder, [
        T("Russia", 1, "nsubj", "PROPN"),
        T("deployed", 1, "ROOT", "VERB", "VBD", "deploy"),
        T("army", 1, "dobj", "NOUN"),
        T("to", 1, "prep", "ADP"),
        T("Georgia", 5, "nsubj", "PROPN"),
        T("fighting", 1, "advcl", "VERB", "VBG", "fight"),
        T(".", 1, "punct", "PUNCT"),
    ])
    assert ("RUS", "GEO") in pairs(events)
