"""The Phoenix actor dictionaries: the converter (tools/build_phoenix_actors.py) on small
snippets written for these tests, the generated files kept in step with it, and what the
merged gazetteer resolves. The snippets imitate the dictionaries' formats, not their text."""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "reference" / "petrarch2"


def _tool():
    spec = importlib.util.spec_from_file_location("build_phoenix_actors",
                                                  ROOT / "tools" / "build_phoenix_actors.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_phoenix_actors"] = module
    spec.loader.exec_module(module)
    return module


tool = _tool()
COUNTRIES = {"AFG", "USA", "RUS", "FRA", "XKX"}


def records(text: str):
    report = tool.Report()
    return tool.read_actor_records(text.splitlines(), report), report


# -- the converter ----------------------------------------------------------------------------
def test_date_restrictions():
    assert tool.parse_restriction("990101-050630") == (date(1999, 1, 1), date(2005, 6, 30))
    assert tool.parse_restriction(">300101") == (date(2030, 1, 1), None)
    assert tool.parse_restriction("> 310101") == (date(1931, 1, 1), None)
    assert tool.parse_restriction("<19450508") == (None, date(1945, 5, 8))
    assert tool.parse_restriction("") == (None, None)


@pytest.mark.parametrize("bad", ["9908123-000101", "20120231", ">2010050111", "990230-000101",
                                 "050101-990101"])
def test_malformed_dates_are_rejected(bad):
    assert tool.parse_restriction(bad) is None


def test_person_rows_skip_and_count_malformed_dates():
    text = ("JANE_EXAMPLE_  # made up\n"
            "+EXAMPLE_\n"
            "\t[FRAELI 600101-951231]\n"
            "\t[FRAGOV 9601011-020101]\n"
            "\t[FRAGOV >020101]\n"
            "\t[FRAELI]\n")
    recs, report = records(text)
    rows = tool.convert_people(recs, "t.txt", COUNTRIES, report)
    assert [(r["sector"], r["start"], r["end"], r["order"]) for r in rows] == [
        ("ELI", "1960-01-01", "1995-12-31", "1"), ("GOV", "2002-01-01", "", "2"),
        ("ELI", "", "", "3")]
    assert rows[0]["name"] == "Jane Example" and rows[0]["aliases"] == "Example"
    assert rows[1]["source_line"] == "5"
    assert report.skipped["t.txt: malformed date restriction"] == 1


def test_code_less_primary_lines_are_synonyms_of_the_next_record():
    text = ("PAUL_SAMPLE_  # made up\n"
            "PAUL_Q._SAMPLE\n"
            "GOVERNOR_SAMPLE\n"
            "\t[USAELI 700101-890120]\n"
            "\t[USAGOV 890120-930120]\n"
            "RUTH_OTHER_\n"
            "\t[USAGOV 930120-970120]\n")
    recs, report = records(text)
    assert [r.phrase for r in recs] == ["PAUL_SAMPLE_", "RUTH_OTHER_"]
    assert recs[0].synonyms == ["PAUL_Q._SAMPLE", "GOVERNOR_SAMPLE"]
    assert report.wrote["code-less primary lines read as synonyms"] == 2
    rows = tool.convert_people(recs, "t.txt", COUNTRIES, report)
    assert {r["name"] for r in rows} == {"Paul Sample", "Ruth Other"}


def test_inline_codes_and_organisations():
    text = ("GREEN_VALLEY_RELIEF_FUND_ [NGOHLH] # made up\n"
            "+GVRF\n"
            "\n"
            "ACME_WIDGETS_ [MNCUSA]\n"
            "NORTHERN_HILLS_BRIGADE_(NHB)_ [AFGREB]\n")
    recs, report = records(text)
    orgs = tool.convert_organisations(recs, "t.txt", COUNTRIES, report, armed=True)
    by_name = {o["name"]: o for o in orgs}
    assert by_name["Green Valley Relief Fund"]["forms"] == "Green Valley Relief Fund|Gvrf|GVRF"
    assert by_name["Green Valley Relief Fund"]["country"] == "NGO"
    assert by_name["Green Valley Relief Fund"]["sector"] == "HLH"
    assert by_name["Northern Hills Brigade"]["code"] == "AFGREB"
    assert "Acme Widgets" not in by_name  # companies are left out, and counted
    assert any("multinational" in why for why in report.skipped)


def test_agents_suffix_prefix_person_and_plurals():
    lines = ["!PERSON! = MAN, MEN, WOMAN, WOMEN, PERSON",
             "HARBOUR_PILOT [~BUS] # made up",
             "CANAL!PERSON! [~LAB]",
             "TRUCE_WATCHER {} [IGO~]",
             "CHIEF_OF_STAFF {CHIEFS_OF_STAFF} [~MILGOV]",
             "PARISH_ELDER [~CHRCTH]",
             "NO_CODE_HERE"]
    report = tool.Report()
    rows = {r["term"]: r for r in tool.convert_agents(lines, "a.txt", report)}
    assert rows["harbour pilot"]["position"] == "suffix"
    assert "harbour pilots" in rows
    assert {"canalman", "canalmen", "canalwoman", "canalwomen", "canalperson"} <= set(rows)
    assert "canalmens" not in rows  # substituted forms get no further plural
    assert rows["truce watcher"]["position"] == "prefix" and "truce watchers" not in rows
    assert rows["chiefs of staff"]["sector"] == "MIL"
    assert rows["parish elder"]["sector"] == "REL"
    assert rows["parish elder"]["source_line"] == "6"
    assert report.skipped["a.txt: agent line without a [code]"] == 1


def test_discard_lines():
    report = tool.Report()
    rows = tool.convert_discards(["+LEAGUE_TABLE_ # made up", "CURLING STONE", ""],
                                 "d.txt", report)
    assert [(r["phrase"], r["scope"], r["whole_word"]) for r in rows] == [
        ("league table", "story", "1"), ("curling stone", "sentence", "0")]


def test_news_case_forms():
    assert tool.surface_forms("BAN_KI-MOON_", acronyms=False) == ["Ban Ki-Moon", "Ban Ki-moon"]
    assert "Bashar al-Assad" in tool.surface_forms("BASHAR_AL-ASSAD_", acronyms=False)
    assert tool.surface_forms("UN_SECURITY_COUNCIL_") == ["UN Security Council"]
    assert "U.N." in tool.surface_forms("U.N._")


# -- the generated files ------------------------------------------------------------------------
def test_generated_files_are_up_to_date():
    if not (SOURCE / "Phoenix.agents.txt").exists():
        pytest.skip("../shared/reference/petrarch2 is absent")
    data = ROOT / "src" / "cordiale" / "actors" / "data"
    files, _ = tool.build(SOURCE, data)
    for name, text in files.items():
        assert (data / name).read_text("utf-8") == text, \
            f"{name} is stale: run tools/build_phoenix_actors.py"


def test_generated_files_credit_their_source_and_carry_lines():
    from cordiale.actors.gazetteer import read_rows

    data = ROOT / "src" / "cordiale" / "actors" / "data"
    for name in ("phoenix_agents.csv", "phoenix_organisations.csv", "phoenix_people.csv",
                 "phoenix_places.csv", "phoenix_discards.csv"):
        head = (data / name).read_text("utf-8").split("\n", 3)
        assert "Open Event Data Alliance, PETRARCH-2 dictionaries (MIT)" in head[0]
        assert "tools/build_phoenix_actors.py" in head[1]
        rows = read_rows(name)
        assert rows and all(r["source_file"].startswith("Phoenix.")
                            and r["source_line"].isdigit() for r in rows)


# -- the merged gazetteer -------------------------------------------------------------------------
def test_phoenix_ranges_stop_at_the_cutoff_and_project_rows_win():
    from cordiale.actors.gazetteer import PHOENIX_CUTOFF, default_gazetteer

    gaz = default_gazetteer()
    phoenix = [p for posts in gaz.posts.values() for p in posts if p.order]
    assert phoenix and all(p.end is not None and p.end <= PHOENIX_CUTOFF for p in phoenix)
    assert gaz.agents["government"] == "GOV"  # the project's agents.csv
    assert "woman" not in gaz.agents  # Phoenix CVL words are left out
    assert gaz.lookup("Interpol")[0].code == "IGOITP"  # organisations.csv, not Phoenix


def test_discards_match_whole_words_and_leave_years_alone():
    from cordiale.actors.discards import ALL, default_discards

    d = default_discards()
    assert d.sentence_phrase("She won a gold medal in the relay.")
    assert d.sentence_phrase("The talks were championed by Oslo.") is None
    assert d.sentence_phrase("In 1990 the two states signed a treaty.") is None
    text = "Ministers met in Rome. The striker left before the Champions League final."
    assert ALL in d.discarded(text, [0, 23])


# -- with the spaCy model ------------------------------------------------------------------------
@pytest.mark.model
def test_phoenix_only_person_resolves_by_date():
    from cordiale import resolve_actors

    def code(when: date) -> str | None:
        found = [m for m in resolve_actors("Yvon Neptune spoke to reporters in the capital.",
                                           published=when) if m.role == "actor"]
        return found[0].code if found else None

    assert code(date(2003, 5, 1)) == "HTIGOV"
    assert code(date(1999, 5, 1)) == "HTIELI"
    assert code(date(2020, 5, 1)) == "HTIELI"  # after the records end: a former official


@pytest.mark.model
def test_after_2015_the_leaders_table_decides():
    from cordiale import resolve_actors

    def code(when: date) -> str | None:
        found = [m for m in resolve_actors("Barack Obama met the delegation.", published=when)
                 if m.role == "actor" and m.name == "Barack Obama"]
        return found[0].code if found else None

    assert code(date(2016, 6, 1)) == "USAGOV"
    # Phoenix leaves his term open (">090120"); capped, it no longer keeps him in office
    assert code(date(2019, 6, 1)) == "USAELI"


@pytest.mark.model
def test_igo_from_the_international_file():
    from cordiale import resolve_actors

    found = [m for m in resolve_actors(
        "The Intergovernmental Panel on Climate Change warned governments on Monday.",
        published=date(2019, 10, 8)) if m.role == "actor" and m.country]
    assert [(m.country, m.sector) for m in found] == [("IGO", "ENV")]


@pytest.mark.model
def test_a_city_places_but_is_not_an_actor():
    from cordiale import resolve_actors

    mentions = resolve_actors("Police detained three men in Ghazni on Tuesday.",
                              published=date(2012, 3, 6))
    places = [m for m in mentions if m.text == "Ghazni"]
    assert places and all(m.role == "place" and m.country == "AFG" for m in places)


@pytest.mark.model
def test_a_sport_sentence_yields_no_events():
    from cordiale.actors.discards import Discards
    from cordiale.nlp import load_nlp
    from cordiale.pipeline import DiscardingCoder, actor_resolver, event_coder

    nlp = load_nlp("auto")
    text = "Brazil accused Argentina of cheating after the tennis match in Buenos Aires."
    doc = nlp(text)
    _, mentions = actor_resolver(nlp).resolve(doc, "t", date(2019, 5, 2))
    plain = DiscardingCoder(event_coder().coder, Discards(None, None))
    assert plain.code(doc, mentions, "t", date(2019, 5, 2))  # an event without discards
    assert event_coder().code(doc, mentions, "t", date(2019, 5, 2)) == []
