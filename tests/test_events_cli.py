"""The event commands with the real model: ``cordiale code``, ``cordiale events`` (filters,
formats, Parquet), re-ingest without duplicates, and ``cordiale eval`` on a small gold file.

The corpus is three short documents written for these tests, each with its own date and dyad,
plus one hypothetical event that ``events`` hides unless asked:

    trade-2021     2021-03-03  JPN -> BRA  057 SUPPORT   ("on Monday" -> 2021-03-01)
    shelling-2022  2022-06-15  RUSMIL -> UKR  194 ASSAULT (attributed to the Pentagon)
    talks-2023     2023-09-20  EGY -> ETH  043 CONSULT   ("on Tuesday" -> 2023-09-19)
                               IRN -> ISR  190, hypothetical ("could attack")
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cordiale.cli import EVENT_TABLE, main
from cordiale.records import EVENT_FIELDS

pytestmark = pytest.mark.model

CORPUS = [
    {"id": "trade-2021", "date": "2021-03-03",
     "text": "Japan signed a trade agreement with Brazil on Monday."},
    {"id": "shelling-2022", "date": "2022-06-15",
     "text": "Russian forces shelled Ukrainian positions near Kharkiv, the Pentagon said."},
    {"id": "talks-2023", "date": "2023-09-20",
     "text": "Egypt hosted talks with Ethiopia on Tuesday.\n\nIran could attack Israel, "
             "analysts warned."},
]
TEXTS = {d["id"]: d["text"] for d in CORPUS}


def _clean_env(tmp: Path) -> dict[str, str | None]:
    env: dict[str, str | None] = {k: None for k in os.environ if k.startswith("CORDIALE_")}
    env["CORDIALE_CONFIG"] = str(tmp / "no-such-cordiale.toml")
    return env


def invoke(tmp: Path, args: list[str], input: str | None = None) -> Result:
    return CliRunner().invoke(main, args, input=input, env=_clean_env(tmp),
                              catch_exceptions=False)


def jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def dump(records: list[dict]) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("events-corpus") / "wire.jsonl"
    path.write_text(dump(CORPUS), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory, corpus: Path) -> Path:
    """One database, ingested once, shared by every listing test."""
    tmp = tmp_path_factory.mktemp("events-db")
    path = tmp / "news.duckdb"
    result = invoke(tmp, ["ingest", str(corpus), "--db", str(path), "-q"])
    assert result.exit_code == 0, result.output
    assert "documents: 3 new" in result.stdout
    return path


def events(db: Path, *args: str) -> list[dict]:
    result = invoke(db.parent, ["events", "--db", str(db), "--format", "jsonl", *args])
    assert result.exit_code == 0, result.output
    return jsonl(result.stdout)


def keys(rows: list[dict]) -> list[tuple[str, str | None, str, str | None]]:
    return [(r["doc_id"], r["source_country"], r["cameo_code"], r["target_country"])
            for r in rows]


# -- cordiale code ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def coded(tmp_path_factory, corpus: Path) -> Result:
    tmp = tmp_path_factory.mktemp("code")
    return invoke(tmp, ["code", str(corpus)])


def test_code_jsonl_keys_and_doc_ids(coded: Result) -> None:
    assert coded.exit_code == 0, coded.output
    rows = jsonl(coded.stdout)
    assert {r["doc_id"] for r in rows} == set(TEXTS)
    for r in rows:
        assert list(r) == list(EVENT_FIELDS)
        text = TEXTS[r["doc_id"]]
        assert text[r["char_start"]:r["char_end"]] == r["trigger_text"]
    assert "sentences/s" in coded.stderr


def test_code_prints_flagged_events_with_their_flags(coded: Result) -> None:
    rows = jsonl(coded.stdout)
    flagged = [r for r in rows if r["hypothetical"]]
    assert keys(flagged) == [("talks-2023", "IRN", "190", "ISR")]
    assert flagged[0]["modality"] == "hypothetical" and flagged[0]["negated"] is False
    assert len(rows) == 4


def test_code_negated_flag(tmp_path: Path, write_jsonl) -> None:
    path = write_jsonl([{"id": "n1", "text": "Japan did not sign the trade agreement with Brazil.",
                         "date": "2023-03-15"}])
    result = invoke(tmp_path, ["code", str(path)])
    assert result.exit_code == 0, result.output
    [row] = jsonl(result.stdout)
    assert (row["doc_id"], row["negated"], row["hypothetical"]) == ("n1", True, False)


def test_code_csv_header_is_the_contract(tmp_path: Path, corpus: Path) -> None:
    result = invoke(tmp_path, ["code", str(corpus), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == list(EVENT_FIELDS)
    assert len(rows) == 5
    assert all(len(r) == len(EVENT_FIELDS) for r in rows)


def test_code_table(tmp_path: Path, corpus: Path) -> None:
    result = invoke(tmp_path, ["code", str(corpus), "--format", "table"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == list(EVENT_TABLE)
    assert len(lines) == 2 + 4
    assert "shelling-2022" in result.stdout and "hypothetical" in result.stdout


def test_code_from_stdin(tmp_path: Path) -> None:
    line = {"id": "stdin-1", "text": "Poland accused Belarus of provoking a border crisis "
                                     "last month.", "date": "2023-03-15"}
    result = invoke(tmp_path, ["code", "-"], input=dump([line]))
    assert result.exit_code == 0, result.output
    [row] = jsonl(result.stdout)
    assert (row["doc_id"], row["source_country"], row["target_country"]) == \
        ("stdin-1", "POL", "BLR")
    assert (row["date"], row["date_precision"]) == ("2023-02", "month")
    assert "sentences/s" in result.stderr


def test_code_broken_line_exits_1_but_codes_the_rest(tmp_path: Path, write_jsonl) -> None:
    path = write_jsonl([
        {"id": "good-1", "text": "Armenia was attacked by Azerbaijan on Sunday.",
         "date": "2023-03-15"},
        '{"id": "broken", "text": ',
        {"id": "good-2", "text": "China and Russia signed an agreement.", "date": "2023-03-15"},
    ])
    result = invoke(tmp_path, ["code", str(path)])
    assert result.exit_code == 1
    assert f"{path} line 2" in result.stderr
    rows = jsonl(result.stdout)
    assert {r["doc_id"] for r in rows} == {"good-1", "good-2"}
    assert "sentences/s" in result.stderr


# -- ingest, then cordiale events ------------------------------------------------------------------


def test_events_lists_stored_asserted_events(db: Path) -> None:
    rows = events(db)
    assert keys(rows) == [
        ("trade-2021", "JPN", "057", "BRA"),
        ("shelling-2022", "RUS", "194", "UKR"),
        ("talks-2023", "EGY", "043", "ETH"),
    ]
    assert all(list(r) == list(EVENT_FIELDS) for r in rows)
    assert [r["date"] for r in rows] == ["2021-03-01", "2022-06-15", "2023-09-19"]
    assert "Pentagon" in rows[1]["attributed_to"]
    table = invoke(db.parent, ["events", "--db", str(db)])
    assert table.exit_code == 0
    assert table.stdout.splitlines()[0].split() == list(EVENT_TABLE)


def test_include_hypothetical_adds_the_flagged_event(db: Path) -> None:
    default = events(db)
    everything = events(db, "--include-hypothetical")
    added = [r for r in everything if r not in default]
    assert keys(added) == [("talks-2023", "IRN", "190", "ISR")]
    assert added[0]["hypothetical"] is True
    assert len(everything) == len(default) + 1


def test_reingest_does_not_duplicate_events(db: Path, corpus: Path, tmp_path: Path) -> None:
    import shutil

    from cordiale.store import Store

    copy = tmp_path / "copy.duckdb"  # the shared DB stays as the other tests expect it
    shutil.copy(db, copy)
    with Store(copy, read_only=True) as store:
        before = store.counts()["events"]
    again = invoke(tmp_path, ["ingest", str(corpus), "--db", str(copy), "-q"])
    assert again.exit_code == 0, again.output
    assert "documents: 0 new, 3 already present" in again.stdout
    with Store(copy, read_only=True) as store:
        after = store.counts()["events"]
        _, [(distinct,)] = store.query("SELECT count(DISTINCT event_id) FROM events")
    assert before == after == distinct == 4


@pytest.mark.parametrize(("args", "expected"), [
    (["--actor", "RUS"], ["shelling-2022"]),
    (["--actor", "ukr"], ["shelling-2022"]),
    (["--actor", "RUSMIL"], ["shelling-2022"]),
    (["--dyad", "EGY,ETH"], ["talks-2023"]),
    (["--dyad", "ETH,EGY"], []),  # directed
    (["--dyad", "JPN, BRA"], ["trade-2021"]),
    (["--root", "19"], ["shelling-2022"]),
    (["--root", "5"], ["trade-2021"]),
    (["--code", "05"], ["trade-2021"]),
    (["--code", "043"], ["talks-2023"]),
    (["--plover", "CONSULT"], ["talks-2023"]),
    (["--plover", "assault"], ["shelling-2022"]),
    (["--since", "2022-01-01"], ["shelling-2022", "talks-2023"]),
    (["--until", "2022-12-31"], ["trade-2021", "shelling-2022"]),
    (["--since", "2022-06-15", "--until", "2022-06-15"], ["shelling-2022"]),
    (["--since", "2023-09-20"], []),  # the talks were on the Tuesday before publication
    (["--limit", "2"], ["trade-2021", "shelling-2022"]),
    (["--root", "19", "--include-hypothetical"], ["shelling-2022", "talks-2023"]),
    (["--actor", "IRN"], []),
])
def test_events_filters(db: Path, args: list[str], expected: list[str]) -> None:
    assert [r["doc_id"] for r in events(db, *args)] == expected


def test_events_csv_header_is_the_contract(db: Path) -> None:
    result = invoke(db.parent, ["events", "--db", str(db), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == list(EVENT_FIELDS)
    assert len(rows) == 1 + 3


def read_parquet(path: Path, select: str) -> tuple[list[str], list[tuple]]:
    """Columns and rows of ``SELECT select FROM 'path'``, read by duckdb."""
    import duckdb

    rel = duckdb.sql(f"select {select} from '{path}'")
    assert rel is not None
    return rel.columns, rel.fetchall()


def test_events_parquet(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.parquet"
    result = invoke(tmp_path, ["events", "--db", str(db), "--format", "parquet",
                               "--output", str(out), "--include-hypothetical"])
    assert result.exit_code == 0, result.output
    assert "wrote 4 events" in result.stderr
    assert read_parquet(out, "count(*)")[1] == [(4,)]
    columns, rows = read_parquet(out, "*")
    assert columns == list(EVENT_FIELDS)
    assert sorted(r[0] for r in rows) == \
        sorted(r["event_id"] for r in events(db, "--include-hypothetical"))
    fights = tmp_path / "fights.parquet"
    invoke(tmp_path, ["events", "--db", str(db), "--root", "19", "--format", "parquet",
                      "--output", str(fights)])
    assert read_parquet(fights, "count(*)")[1] == [(len(events(db, "--root", "19")),)]


def test_events_parquet_needs_output(db: Path) -> None:
    result = invoke(db.parent, ["events", "--db", str(db), "--format", "parquet"])
    assert result.exit_code == 2
    assert "--output" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("dyad", ["CHN", "CHN,", ",RUS", "CHN,RUS,USA"])
def test_bad_dyad_is_a_clear_error(db: Path, dyad: str) -> None:
    result = invoke(db.parent, ["events", "--db", str(db), "--dyad", dyad])
    assert result.exit_code == 2
    assert "--dyad" in result.stderr
    assert "SOURCE,TARGET" in result.stderr
    assert "Traceback" not in result.output


def test_events_missing_database(tmp_path: Path) -> None:
    absent = tmp_path / "absent.duckdb"
    result = invoke(tmp_path, ["events", "--db", str(absent)])
    assert result.exit_code == 2
    assert "no such database" in result.stderr
    assert not absent.exists()


# -- cordiale eval ---------------------------------------------------------------------------------


GOLD = [
    {"id": "g1", "text": "Kenya and Uganda signed a border agreement on Monday.",
     "date": "2023-03-15", "relevant": True,
     "events": [{"source": "KEN", "target": "UGA", "cameo": "057", "root": "05",
                 "plover": None},  # a joint signing is coded in both directions
                {"source": "UGA", "target": "KEN", "cameo": "057", "root": "05",
                 "plover": None}]},
    {"id": "g2", "text": "Armenia was attacked by Azerbaijan on Sunday.", "date": "2023-03-15",
     "relevant": True,
     "events": [{"source": "AZE", "target": "ARM", "cameo": "190", "root": "19",
                 "plover": "ASSAULT"}]},
    {"id": "g3", "text": "The harvest festival drew large crowds to the village square.",
     "date": "2023-03-15", "relevant": False, "events": []},
    {"id": "g4", "text": "Will Iran attack Israel?", "date": "2023-03-15", "relevant": False,
     "events": []},
]


def test_eval_scores_a_small_gold_file(tmp_path: Path, write_jsonl) -> None:
    gold = write_jsonl(GOLD, name="tiny.dev.jsonl")
    predictions = tmp_path / "predictions.jsonl"
    result = invoke(tmp_path, ["eval", str(gold), "--format", "jsonl",
                               "--predictions", str(predictions)])
    assert result.exit_code == 0, result.output
    [row] = jsonl(result.stdout)
    assert row["file"] == "tiny.dev.jsonl"
    assert row["sentences"] == 4
    assert row["type_recall"] == 1.0
    assert row["dyad_type_recall"] == 1.0
    assert row["event_precision"] == 1.0  # the question's event is hypothetical: not counted
    assert row["relevance_f1"] == 1.0
    preds = jsonl(predictions.read_text(encoding="utf-8"))
    assert {p["doc_id"] for p in preds} == {"g1", "g2", "g4"}
    assert all(list(p) == list(EVENT_FIELDS) for p in preds)
    assert [p["hypothetical"] for p in preds if p["doc_id"] == "g4"] == [True]
    table = invoke(tmp_path, ["eval", str(gold)])
    assert table.exit_code == 0
    for name in ("type_recall", "dyad_type_recall", "event_precision", "relevance_f1"):
        assert name in table.stdout.splitlines()[0]


# -- evidence on show (issue 9) ------------------------------------------------------------------


def test_event_table_names_the_actors_and_shows_the_sentence(db: Path) -> None:
    result = invoke(db.parent, ["events", "--db", str(db), "--format", "table"])
    assert result.exit_code == 0, result.output
    header, _, *rows = result.stdout.splitlines()
    assert header.split() == list(EVENT_TABLE)
    trade = next(r for r in rows if "057" in r)
    assert "Japan" in trade and "JPN" in trade and "Brazil" in trade
    assert "«signed»" in trade  # the sentence around the trigger, trigger marked


def test_show_marks_source_target_and_trigger_and_says_why(db: Path) -> None:
    trade = next(r for r in events(db) if r["doc_id"] == "trade-2021")
    result = invoke(db.parent, ["show", trade["event_id"], "--db", str(db)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "[S: Japan] «signed» a trade agreement with [T: Brazil] on Monday." in out
    assert "2021-03-01: a day the sentence names; published 2021-03-03" in out
    assert "modality  asserted" in out
    assert f"rule      {trade['coder']}" in out


def test_show_reports_attribution_and_an_unknown_id(db: Path) -> None:
    shelling = next(r for r in events(db) if r["doc_id"] == "shelling-2022")
    out = invoke(db.parent, ["show", shelling["event_id"], "--db", str(db)]).stdout
    assert "says so" in out and "Pentagon" in out
    as_json = jsonl(invoke(db.parent, ["show", shelling["event_id"], "--db", str(db),
                                       "--format", "jsonl"]).stdout)[0]
    assert as_json["event_id"] == shelling["event_id"] and "doc_text" not in as_json
    missing = invoke(db.parent, ["show", "no-such-event", "--db", str(db)])
    assert missing.exit_code != 0 and "no event 'no-such-event'" in missing.output


def test_docs_counts_events_per_document(db: Path) -> None:
    result = invoke(db.parent, ["docs", "--db", str(db), "--format", "jsonl"])
    counts = {r["doc_id"]: r["events"] for r in jsonl(result.stdout)}
    stored = {}
    for r in events(db, "--include-hypothetical"):
        stored[r["doc_id"]] = stored.get(r["doc_id"], 0) + 1
    assert counts == {doc: stored.get(doc, 0) for doc in counts}
    assert counts["talks-2023"] >= 2
