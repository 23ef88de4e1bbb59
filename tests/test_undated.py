"""Documents without a date (issue 9): named on ingest, their people not read as of today,
and every analysis says how many events it left out for lack of a date."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from cordiale.cli import main

pytestmark = pytest.mark.model

DATED = {"id": "dated", "date": "2022-05-10",
         "text": "China signed a trade agreement with Russia on Monday."}
UNDATED = {"id": "undated",
           "text": "China accused Russia of spying. Russia condemned China's statement."}


def _invoke(tmp: Path, args: list[str]):
    env: dict[str, str | None] = {k: None for k in os.environ if k.startswith("CORDIALE_")}
    env["CORDIALE_CONFIG"] = str(tmp / "none.toml")
    return CliRunner().invoke(main, args, env=env, catch_exceptions=False)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("undated")
    corpus = tmp / "mixed.jsonl"
    corpus.write_text("".join(json.dumps(d) + "\n" for d in (DATED, UNDATED)), "utf-8")
    path = tmp / "news.duckdb"
    result = _invoke(tmp, ["ingest", str(corpus), "--db", str(path), "-q"])
    assert result.exit_code == 0, result.output
    assert "1 document has no date: pass --published or add a date field" in result.stderr
    return path


def test_undated_events_are_counted_where_they_are_left_out(db: Path) -> None:
    result = _invoke(db.parent, ["dyad", "CHN", "RUS", "--db", str(db), "--freq", "year"])
    assert result.exit_code == 0, result.output
    assert "events have no date and are left out" in result.stderr
    docs = _invoke(db.parent, ["docs", "--db", str(db), "--format", "jsonl"]).stdout
    published = {json.loads(line)["doc_id"]: json.loads(line)["published"]
                 for line in docs.splitlines()}
    assert published == {"dated": "2022-05-10", "undated": None}


def _undated_note(db: Path, *extra: str) -> str:
    result = _invoke(db.parent, ["dyad", "CHN", "RUS", "--db", str(db), "--freq", "year",
                                 *extra])
    assert result.exit_code == 0, result.output
    return next(line for line in result.stderr.splitlines() if "no date" in line)


def test_a_parquet_store_counts_its_undated_events_from_their_own_folder(db: Path) -> None:
    """The count reads only month=undated; it must still be the file store's count."""
    tmp = db.parent
    pq, split = tmp / "pq", tmp / "split.duckdb"
    corpus = tmp / "mixed.jsonl"
    result = _invoke(tmp, ["ingest", str(corpus), "--db", str(split), "--parquet", str(pq),
                           "-q"])
    assert result.exit_code == 0, result.output
    folders = {p.parent.name for p in (pq / "events").glob("*/*.parquet")}
    assert "month=undated" in folders and len(folders) >= 2
    assert _undated_note(split, "--parquet", str(pq)) == _undated_note(db)


def test_an_undated_event_marked_wrong_leaves_the_undated_count(tmp_path: Path, db: Path) -> None:
    import shutil

    import duckdb

    copy = tmp_path / "reviewed.duckdb"
    shutil.copy(db, copy)
    before = int(_undated_note(copy).split()[1])
    with duckdb.connect(str(copy), read_only=True) as con:
        event_id = con.execute("SELECT event_id FROM events WHERE event_date IS NULL AND "
                               "source_country <> target_country AND NOT negated AND NOT "
                               "hypothetical LIMIT 1").fetchone()[0]
    result = _invoke(tmp_path, ["reviews", "add", event_id, "--verdict", "wrong",
                                "--reviewer", "test", "--db", str(copy)])
    assert result.exit_code == 0, result.output
    after = _invoke(tmp_path, ["dyad", "CHN", "RUS", "--db", str(copy), "--freq", "year"])
    lines = [line for line in after.stderr.splitlines() if "no date" in line]
    assert (int(lines[0].split()[1]) if lines else 0) == before - 1


def test_a_person_in_an_undated_document_keeps_a_country_but_no_post():
    from cordiale.nlp import load_nlp
    from cordiale.pipeline import actor_resolver

    nlp = load_nlp("auto")
    resolver = actor_resolver(nlp)
    doc = nlp("Vladimir Putin met Xi Jinping in Beijing.")
    _, undated = resolver.resolve(doc, "undated", None)
    putin = next(m for m in undated if m.text == "Vladimir Putin")
    assert putin.country == "RUS"
    assert putin.sector is None and putin.method == "leader:undated"
    from datetime import date

    _, dated = resolver.resolve(doc, "dated", date(2022, 5, 10))
    putin = next(m for m in dated if m.text == "Vladimir Putin")
    assert putin.country == "RUS" and putin.sector == "GOV"


# -- a story's country for its country-less roles (issue 9, part 3) --------------------------

def _mention(country, start, role="actor", sector=None):
    from cordiale.records import Mention

    return Mention("d", 0, 0, "x", start, start + 1, country, sector, country or "", None, 0.9,
                   "test", role=role)


def test_document_country_from_a_dateline_or_a_clear_majority():
    from cordiale.actors.resolver import document_country

    text = "ANKARA (Reuters) - Prosecutors detained two journalists."
    assert document_country(text, [_mention("TUR", 0, role="place")]) == "TUR"
    story = "Officials met. " * 3
    many = [_mention("SYR", 20), _mention("SYR", 40), _mention("SYR", 60), _mention("TUR", 80)]
    assert document_country(story, many) == "SYR"
    split = [_mention("SYR", 20), _mention("SYR", 40), _mention("TUR", 60), _mention("TUR", 80)]
    assert document_country(story, split) is None  # no country holds the story
    assert document_country(story, many[:2]) is None  # too few to say


def test_a_role_without_a_country_takes_the_storys_country():
    from datetime import date

    from cordiale.config import load_settings
    from cordiale.ingest.common import Defaults, make_document
    from cordiale.pipeline import process_documents

    def coded(text):
        doc = make_document(text, "story", Defaults(date(2023, 5, 2)))
        return [e for r in process_documents([doc], load_settings()) for e in r.events]

    [dated] = [e for e in coded("ANKARA (Reuters) - Prosecutors detained two journalists "
                                "on Monday.") if e.cameo_root == "17"]
    assert dated.source_country == "TUR"
    assert dated.confidence < 0.5  # a guess from the story, not from the words
    # with no dateline and no story country, the role stays without one
    [bare] = [e for e in coded("Prosecutors detained two journalists on Monday.")
              if e.cameo_root == "17"]
    assert bare.source_country is None
