"""The PETRARCH-2 verb dictionaries: the converter, the parse-based matcher, the two layers.

Sentences here are the project's own, written for these tests.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import sys
from pathlib import Path

import pytest

from cordiale.events.dictionary import default_dictionary
from cordiale.events.lexicon import default_lexicon
from cordiale.events.syntax import direct_object

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "cordiale" / "events" / "data"


def _tool():
    spec = importlib.util.spec_from_file_location("build_verb_dictionary",
                                                  ROOT / "tools" / "build_verb_dictionary.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


tool = _tool()


# -- the converter ------------------------------------------------------------------------

def test_pattern_with_phrase_object_and_target_phrase():
    p = tool.parse_pattern(" * {FINANCIAL AID} (TO +) ", stems=False)
    assert p.obj.head == "aid" and p.obj.mods == ["financial"]
    assert [(prep, t.render()) for prep, t in p.preps] == [("to", "+")]
    assert p.subject is None and p.particle == ""


def test_pattern_with_subject_synset_and_particle():
    p = tool.parse_pattern("&MILITARY * OFF (FROM ^)", stems=False)
    assert p.subject.head == "&military"
    assert p.particle == "off"
    assert [(prep, t.render()) for prep, t in p.preps] == [("from", "")]


def test_pattern_auxiliaries_before_the_verb_are_dropped_and_negations_skipped():
    assert tool.parse_pattern("WILL * SANCTIONS", stems=False).subject is None
    with pytest.raises(tool.Skip):
        tool.parse_pattern("WILL NOT * SANCTIONS", stems=False)


def test_tabari_word_sequence_becomes_phrases_with_stems():
    p = tool.parse_pattern("* FOR &CEASEFIRE IN +", stems=True)
    assert [(prep, t.render()) for prep, t in p.preps] == [("for", "&ceasefire"), ("in", "+")]
    p = tool.parse_pattern("* SANCTION (AGAINST +)", stems=True)
    assert p.obj.head == "sanction~"  # a TABARI word is a stem unless it ends in _
    assert tool.parse_pattern("* SANCTION_ (AGAINST +)", stems=True).obj.head == "sanction"


def test_pattern_that_leaves_only_the_verb_is_skipped():
    with pytest.raises(tool.Skip):
        tool.parse_pattern("+ HAD * $", stems=True)


def test_codes_and_verb_lines():
    assert tool.parse_code("[0334:038]") == ("0334", "038")
    assert tool.parse_code("[:054]") == ("", "054")
    verb = tool.parse_verb("+ASK_FOR {+ASKED_FOR +ASKS_FOR} [020]", "---", "ASK", "f:1")
    assert (verb.lemma, verb.after, verb.code, verb.own) == ("ask", "for", "020", True)
    verb = tool.parse_verb("WIRE_+TAP", "---", "SPY", "f:2")
    assert (verb.lemma, verb.before, verb.code, verb.own) == ("tap", "wire", "---", False)


def test_every_row_names_its_source_line():
    for name in ("dict_verbs.csv", "dict_patterns.csv", "dict_synsets.csv"):
        text = (DATA / name).read_text("utf-8")
        assert "Open Event Data Alliance" in text.split("\n", 3)[1]
        body = "".join(line + "\n" for line in text.splitlines() if not line.startswith("#"))
        rows = list(csv.DictReader(io.StringIO(body)))
        assert len(rows) > 500
        assert all(r["source"].split(":")[0] in (tool.NEW, tool.OLD)
                   and r["source"].split(":")[1].isdigit() for r in rows)


def test_data_files_are_what_the_tool_makes(shared):
    source = shared / "reference" / "petrarch2"
    if not (source / tool.NEW).exists():
        pytest.skip(f"{source / tool.NEW} is absent")
    tables = tool.build(source)
    for name, rows in tables.items():
        on_disk = [line for line in (DATA / name).read_text("utf-8").splitlines()
                   if not line.startswith("#")]
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        assert out.getvalue().splitlines() == on_disk, name


def test_both_files_contribute():
    d = default_dictionary()
    assert len(d.verbs) > 1500
    layers = {p.layer for patterns in d.patterns.values() for p in patterns}
    assert layers == {"cameo2", "tabari"}


# -- matching on the parse ----------------------------------------------------------------


@pytest.fixture(scope="module")
def nlp():
    from cordiale.nlp import load_nlp

    return load_nlp("auto")


def _verb(nlp, text, lemma):
    doc = nlp(text)
    verb = next(t for t in doc if t.lemma_.lower() == lemma)
    obj = direct_object(verb)
    if obj is None:
        obj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)
    return verb, obj, passive


@pytest.mark.model
def test_object_decides_an_ambiguous_verb(nlp):
    verb, obj, passive = _verb(nlp, "Soldiers committed abuses against villagers.", "commit")
    found = default_dictionary().match(verb, obj, passive)
    assert found is not None and found.code.startswith("18")
    assert found.object_forms is not None  # the object decided it


@pytest.mark.model
def test_null_pattern_stops_the_projects_bare_verb(nlp):
    lexicon = default_lexicon()
    verb, obj, _ = _verb(nlp, "The firm paid dividends to its owners.", "pay")
    assert lexicon.match(verb, obj, {"to"}) is None
    verb, obj, _ = _verb(nlp, "The foreign minister paid a visit to Cairo.", "pay")
    found = lexicon.match(verb, obj, {"to"})
    assert found is not None and found.rule.code == "042"


@pytest.mark.model
def test_passive_voice_takes_the_passive_code(nlp):
    d = default_dictionary()
    active = d.match(*_verb(nlp, "The alliance deployed peacekeepers to the border.", "deploy"))
    passive = d.match(*_verb(nlp, "Peacekeepers were deployed to the border.", "deploy"))
    assert active is not None and passive is not None
    assert active.code != passive.code  # [0334:038]: the receiving side


@pytest.mark.model
def test_prepositional_object_decides(nlp):
    d = default_dictionary()
    verb, obj, passive = _verb(nlp, "The envoy called for a ceasefire in the valley.", "call")
    found = d.match(verb, obj, passive)
    assert found is not None and found.code.startswith("02") and found.prep == "for"


@pytest.mark.model
def test_dictionary_fills_a_verb_the_project_lacks(nlp):
    lexicon = default_lexicon()
    verb, obj, _ = _verb(nlp, "The rebels foiled an assassination attempt on the king.", "foil")
    assert lexicon._own(verb, obj, set()) is None
    found = lexicon.match(verb, obj, {"on"})
    assert found is not None and found.rule.code == "185"
    assert found.rule.origin.startswith("CAMEO.2.0.txt:")
    verb, obj, _ = _verb(nlp, "The rebels foiled a plot against the king.", "foil")
    assert lexicon.match(verb, obj, {"against"}) is None  # "- * PLOT [---]"
