"""Unit tests of the actor resolver on hand-built spaCy Docs (words, heads, deps, entities).

No statistical model: a blank English pipeline supplies the tokenizer and vocabulary, and each
Doc carries the parse we want the rules to see. The gazetteer is a small one written to a
temporary directory, which also shows that adding an entry is adding a CSV row.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

from cordiale.actors import ActorResolver, build_gazetteer

HEADER = "# test gazetteer written by tests/test_resolver_unit.py\n"


@pytest.fixture(scope="module")
def gaz_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("gaz")
    (d / "countries.csv").write_text(
        HEADER
        + (
            "iso3,name,forms,demonyms,capital,capital_forms,lat,lon\n"
            "RUS,Russia,Russian Federation,Russian|Russians,Moscow,,55.75,37.62\n"
            "CHN,China,People's Republic of China,Chinese,Beijing,Peking,39.9,116.4\n"
            "USA,United States,US|U.S.|America,American|Americans,Washington,,38.9,-77.0\n"
            "PSE,Palestine,,Palestinian|Palestinians,Ramallah,,31.9,35.2\n"
        ),
        "utf-8",
    )
    (d / "historical.csv").write_text(
        HEADER + "term,iso3,note\nSoviet Union,RUS,until 1991\n", "utf-8"
    )
    (d / "seats.csv").write_text(
        HEADER + "term,iso3,sector,name\nKremlin,RUS,GOV,Kremlin\nPentagon,USA,MIL,Pentagon\n",
        "utf-8",
    )
    (d / "organisations.csv").write_text(
        HEADER + "forms,code,country,sector,name\nNATO,IGONAT,IGO,,NATO\n", "utf-8"
    )
    (d / "places.csv").write_text(
        HEADER + "forms,kind,iso3,lat,lon,name\nSouth China Sea,sea,,12,114,South China Sea\n",
        "utf-8",
    )
    (d / "agents.csv").write_text(
        HEADER
        + (
            "term,sector,note\ndefense chief,MIL,\ndefense minister,MIL,\narmy,MIL,\nleader,GOV,\n"
            "president,GOV,\ncounterpart,,inherits\nprotesters,CVL,\nhuman rights group,HRI,\n"
        ),
        "utf-8",
    )
    (d / "leaders.csv").write_text(
        HEADER
        + (
            "name,aliases,iso3,sector,role,start,end\n"
            "Sergei Shoigu,Shoigu,RUS,MIL,defence minister,2012-11-06,2024-05-12\n"
            "Wei Fenghe,,CHN,MIL,defence minister,2018-03-19,2023-03-12\n"
            "George H. W. Bush,George HW Bush,USA,GOV,head of state and government,1989-01-20,1993-01-20\n"
            "Vladimir Putin,Putin,RUS,GOV,head of state,2012-05-07,\n"
        ),
        "utf-8",
    )
    return d


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("en")


@pytest.fixture(scope="module")
def resolver(nlp, gaz_dir: Path) -> ActorResolver:
    return ActorResolver(nlp, build_gazetteer(gaz_dir))


def make_doc(nlp, rows: list[tuple[str, int, str, str, str]]) -> Doc:
    """rows: (word, head index, dep, pos, BILUO-less IOB entity tag like 'B-PERSON' or 'O')."""
    words = [r[0] for r in rows]
    spaces = [
        i + 1 < len(rows) and rows[i + 1][0] not in (".", ",", "'s") for i in range(len(rows))
    ]
    return Doc(
        nlp.vocab,
        words=words,
        spaces=spaces,
        heads=[r[1] for r in rows],
        deps=[r[2] for r in rows],
        pos=[r[3] for r in rows],
        ents=[r[4] for r in rows],
    )


def resolve(resolver, doc, when=date(2021, 11, 23)):
    _, mentions = resolver.resolve(doc, "d1", when)
    return mentions


def test_possessive_country_sets_agent_sector(nlp, resolver):
    # Russia 's defense chief signed a roadmap .
    doc = make_doc(
        nlp,
        [
            ("Russia", 3, "poss", "PROPN", "B-GPE"),
            ("'s", 0, "case", "PART", "O"),
            ("defense", 3, "compound", "NOUN", "O"),
            ("chief", 4, "nsubj", "NOUN", "O"),
            ("signed", 4, "ROOT", "VERB", "O"),
            ("a", 6, "det", "DET", "O"),
            ("roadmap", 4, "dobj", "NOUN", "O"),
            (".", 4, "punct", "PUNCT", "O"),
        ],
    )
    [m] = resolve(resolver, doc)
    assert (m.country, m.sector, m.code) == ("RUS", "MIL", "RUSMIL")
    assert m.text == "Russia's defense chief"
    assert doc.text[m.char_start : m.char_end] == m.text


def test_title_and_leaders_table_resolve_a_person_and_counterpart(nlp, resolver):
    # Defense Minister Sergei Shoigu and his Chinese counterpart Wei Fenghe spoke .
    doc = make_doc(
        nlp,
        [
            ("Defense", 1, "compound", "PROPN", "O"),
            ("Minister", 3, "compound", "PROPN", "O"),
            ("Sergei", 3, "compound", "PROPN", "B-PERSON"),
            ("Shoigu", 10, "nsubj", "PROPN", "I-PERSON"),
            ("and", 3, "cc", "CCONJ", "O"),
            ("his", 7, "poss", "PRON", "O"),
            ("Chinese", 7, "amod", "ADJ", "B-NORP"),
            ("counterpart", 3, "conj", "NOUN", "O"),
            ("Wei", 9, "compound", "PROPN", "B-PERSON"),
            ("Fenghe", 7, "appos", "PROPN", "I-PERSON"),
            ("spoke", 10, "ROOT", "VERB", "O"),
            (".", 10, "punct", "PUNCT", "O"),
        ],
    )
    shoigu, wei = resolve(resolver, doc)
    assert (shoigu.country, shoigu.sector, shoigu.name) == ("RUS", "MIL", "Sergei Shoigu")
    assert shoigu.text == "Defense Minister Sergei Shoigu"
    assert (wei.country, wei.sector) == ("CHN", "MIL")


def test_counterpart_inherits_role_without_leaders_table(nlp, gaz_dir):
    # An unknown person: role from "counterpart", country from the demonym.
    resolver = ActorResolver(nlp, build_gazetteer(gaz_dir))
    doc = make_doc(
        nlp,
        [
            ("Defense", 1, "compound", "PROPN", "O"),
            ("Minister", 3, "compound", "PROPN", "O"),
            ("Sergei", 3, "compound", "PROPN", "B-PERSON"),
            ("Shoigu", 9, "nsubj", "PROPN", "I-PERSON"),
            ("and", 3, "cc", "CCONJ", "O"),
            ("his", 7, "poss", "PRON", "O"),
            ("Chinese", 7, "amod", "ADJ", "B-NORP"),
            ("counterpart", 3, "conj", "NOUN", "O"),
            ("Li", 7, "appos", "PROPN", "B-PERSON"),
            ("spoke", 9, "ROOT", "VERB", "O"),
        ],
    )
    people = [m for m in resolve(resolver, doc) if m.name == "Li"]
    assert people and (people[0].country, people[0].sector) == ("CHN", "MIL")


@pytest.mark.parametrize(
    ("when", "sector", "method"),
    [
        (date(1990, 6, 1), "GOV", "leader"),
        (date(2021, 11, 23), "ELI", "leader:former"),
    ],
)
def test_leader_resolved_as_of_document_date(nlp, resolver, when, sector, method):
    # George HW Bush promised .
    doc = make_doc(
        nlp,
        [
            ("George", 2, "compound", "PROPN", "B-PERSON"),
            ("HW", 2, "compound", "PROPN", "I-PERSON"),
            ("Bush", 3, "nsubj", "PROPN", "I-PERSON"),
            ("promised", 3, "ROOT", "VERB", "O"),
            (".", 3, "punct", "PUNCT", "O"),
        ],
    )
    [m] = resolve(resolver, doc, when)
    assert (m.country, m.sector, m.method) == ("USA", sector, method)


def test_surname_needs_person_entity_or_title(nlp, resolver):
    # "Putin" tagged PERSON resolves; the same word with no entity and no title does not.
    tagged = make_doc(
        nlp, [("Putin", 1, "nsubj", "PROPN", "B-PERSON"), ("spoke", 1, "ROOT", "VERB", "O")]
    )
    untagged = make_doc(
        nlp, [("Putin", 1, "nsubj", "PROPN", "O"), ("spoke", 1, "ROOT", "VERB", "O")]
    )
    assert [(m.country, m.sector) for m in resolve(resolver, tagged)] == [("RUS", "GOV")]
    assert resolve(resolver, untagged) == []


def test_capital_is_government_as_subject_and_place_after_in(nlp, resolver):
    # Moscow warned Washington . / Talks were held in Moscow .
    said = make_doc(
        nlp,
        [
            ("Moscow", 1, "nsubj", "PROPN", "B-GPE"),
            ("warned", 1, "ROOT", "VERB", "O"),
            ("Washington", 1, "dobj", "PROPN", "B-GPE"),
        ],
    )
    there = make_doc(
        nlp,
        [
            ("Talks", 2, "nsubjpass", "NOUN", "O"),
            ("were", 2, "auxpass", "AUX", "O"),
            ("held", 2, "ROOT", "VERB", "O"),
            ("in", 2, "prep", "ADP", "O"),
            ("Moscow", 3, "pobj", "PROPN", "B-GPE"),
        ],
    )
    assert [(m.code, m.role) for m in resolve(resolver, said)] == [
        ("RUSGOV", "actor"),
        ("USAGOV", "actor"),
    ]
    [m] = resolve(resolver, there)
    assert (m.country, m.role, m.sector) == ("RUS", "place", None)


def test_sea_named_after_a_country_is_a_place_not_the_country(nlp, resolver):
    doc = make_doc(
        nlp,
        [
            ("in", 0, "ROOT", "ADP", "O"),
            ("the", 4, "det", "DET", "O"),
            ("South", 4, "compound", "PROPN", "B-LOC"),
            ("China", 4, "compound", "PROPN", "I-LOC"),
            ("Sea", 0, "pobj", "PROPN", "I-LOC"),
        ],
    )
    [m] = resolve(resolver, doc)
    assert m.role == "place" and m.country is None and m.text == "South China Sea"


def test_group_phrase_names_the_last_pair(nlp, resolver):
    # China and Russia signed . Both countries agreed .
    doc = make_doc(
        nlp,
        [
            ("China", 3, "nsubj", "PROPN", "B-GPE"),
            ("and", 0, "cc", "CCONJ", "O"),
            ("Russia", 0, "conj", "PROPN", "B-GPE"),
            ("signed", 3, "ROOT", "VERB", "O"),
            (".", 3, "punct", "PUNCT", "O"),
            ("Both", 6, "det", "DET", "O"),
            ("countries", 7, "nsubj", "NOUN", "O"),
            ("agreed", 7, "ROOT", "VERB", "O"),
            (".", 7, "punct", "PUNCT", "O"),
        ],
    )
    group = [m for m in resolve(resolver, doc) if m.method == "coref:group"]
    assert sorted(m.country for m in group) == ["CHN", "RUS"]
    assert {m.text for m in group} == {"Both countries"}


def test_possessive_pronoun_takes_last_subject_country(nlp, resolver):
    # Russia suffered . His army was rebuilt .
    doc = make_doc(
        nlp,
        [
            ("Russia", 1, "nsubj", "PROPN", "B-GPE"),
            ("suffered", 1, "ROOT", "VERB", "O"),
            (".", 1, "punct", "PUNCT", "O"),
            ("His", 4, "poss", "PRON", "O"),
            ("army", 6, "nsubjpass", "NOUN", "O"),
            ("was", 6, "auxpass", "AUX", "O"),
            ("rebuilt", 6, "ROOT", "VERB", "O"),
        ],
    )
    army = [m for m in resolve(resolver, doc) if m.sector == "MIL"]
    assert [(m.text, m.code, m.method) for m in army] == [("His army", "RUSMIL", "agent+coref")]


def test_historical_name_and_organisation(nlp, resolver):
    doc = make_doc(
        nlp,
        [
            ("The", 2, "det", "DET", "O"),
            ("Soviet", 2, "compound", "PROPN", "B-GPE"),
            ("Union", 3, "nsubj", "PROPN", "I-GPE"),
            ("left", 3, "ROOT", "VERB", "O"),
            ("NATO", 3, "dobj", "PROPN", "B-ORG"),
        ],
    )
    assert [(m.country, m.code) for m in resolve(resolver, doc)] == [
        ("RUS", "RUS"),
        ("IGO", "IGONAT"),
    ]


def test_agent_without_country_takes_the_place_it_acts_in(nlp, resolver):
    # Protesters in Moscow marched .
    doc = make_doc(
        nlp,
        [
            ("Protesters", 3, "nsubj", "NOUN", "O"),
            ("in", 0, "prep", "ADP", "O"),
            ("Moscow", 1, "pobj", "PROPN", "B-GPE"),
            ("marched", 3, "ROOT", "VERB", "O"),
        ],
    )
    actors = [m for m in resolve(resolver, doc) if m.sector == "CVL"]
    assert [(m.text, m.code) for m in actors] == [("Protesters", "RUSCVL")]


def test_fictional_place_is_no_country(nlp, resolver):
    doc = make_doc(
        nlp,
        [
            ("Middle", 2, "compound", "PROPN", "B-LOC"),
            ("-", 2, "punct", "PUNCT", "I-LOC"),
            ("earth", 3, "nsubj", "PROPN", "I-LOC"),
            ("waits", 3, "ROOT", "VERB", "O"),
        ],
    )
    assert resolve(resolver, doc) == []


def test_adding_a_row_adds_an_agent(nlp, gaz_dir, tmp_path):
    import shutil

    for f in gaz_dir.iterdir():
        shutil.copy(f, tmp_path / f.name)
    with open(tmp_path / "agents.csv", "a", encoding="utf-8") as fh:
        fh.write("coastguard,MIL,\n")
    doc_rows = [
        ("Chinese", 1, "amod", "ADJ", "B-NORP"),
        ("coastguard", 2, "nsubj", "NOUN", "O"),
        ("fired", 2, "ROOT", "VERB", "O"),
    ]
    before = ActorResolver(nlp, build_gazetteer(gaz_dir))
    after = ActorResolver(nlp, build_gazetteer(tmp_path))
    assert [m.code for m in resolve(before, make_doc(nlp, doc_rows))] == ["CHN"]
    assert [m.code for m in resolve(after, make_doc(nlp, doc_rows))] == ["CHNMIL"]


def test_human_rights_group_without_country_is_an_ngo(nlp, resolver):
    doc = make_doc(
        nlp,
        [
            ("A", 3, "det", "DET", "O"),
            ("human", 3, "compound", "ADJ", "O"),
            ("rights", 3, "compound", "NOUN", "O"),
            ("group", 4, "nsubj", "NOUN", "O"),
            ("protested", 4, "ROOT", "VERB", "O"),
        ],
    )
    [m] = resolve(resolver, doc)
    assert (m.country, m.sector, m.code) == ("NGO", "HRI", "NGOHRI")
