"""The DuckDB store: schema migrations, atomic batch writes, failures, named queries."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

from cordiale.errors import StoreError
from cordiale.records import (
    Document,
    Failure,
    Mention,
    ProcessedDocument,
    Sentence,
    content_hash,
)
from cordiale.store import MENTION_FIELDS, SCHEMA_VERSION, DuplicateLink, Store
from cordiale.text import dedup

CONTRACT = ("doc_id", "sentence_index", "text", "char_start", "char_end",
            "country", "sector", "code", "name", "confidence")


def make_processed(doc_id: str, text: str, *, mentions: list[tuple[str, str, str, str, str]] = (),
                   published: date | None = date(2021, 11, 24),
                   sentence_index_dup: bool = False) -> ProcessedDocument:
    """A ProcessedDocument built by hand: one sentence per '. '-separated part of ``text``.

    ``mentions`` are (surface text, country, sector, code, name) found in the text.
    """
    doc = Document(doc_id=doc_id, text=text, content_hash=content_hash(text), title=f"T {doc_id}",
                   url=f"https://example.org/{doc_id}", source="Test Wire", published=published,
                   origin=f"test:{doc_id}", metadata={"desk": "world"})
    sentences = []
    start = 0
    for i, part in enumerate(p for p in text.split(". ") if p):
        s = text.index(part, start)
        sentences.append(Sentence(doc_id, 0 if sentence_index_dup else i, s, s + len(part), part))
        start = s + len(part)
    ms = []
    for j, (surface, country, sector, code, name) in enumerate(mentions):
        s = text.index(surface)
        idx = next(k for k, sent in enumerate(sentences) if sent.char_start <= s < sent.char_end)
        ms.append(Mention(doc_id, idx, j, surface, s, s + len(surface), country, sector, code,
                          name, 0.9, "gazetteer"))
    return ProcessedDocument(doc, tuple(sentences), tuple(ms), words=len(text.split()))


def write(store: Store, batch: list[ProcessedDocument],
          clusters: dict[str, str] | None = None, links: list[DuplicateLink] = ()) -> None:
    sigs = {p.document.doc_id: dedup.signature(p.document.text) for p in batch}
    bands = {k: dedup.bands(v) for k, v in sigs.items()}
    store.write_batch(batch, clusters or {}, list(links), sigs, bands)


STORY_A = ("The prime minister of Norway met the Swedish foreign minister in Oslo. "
           "They discussed a new ferry route across the fjord")
STORY_B = ("Soldiers from the Kenyan army repaired a bridge near the border. "
           "Villagers thanked the engineers. Traffic resumed on Sunday")


# -- migrations ------------------------------------------------------------------------------


def test_migrate_creates_schema(db_path: Path) -> None:
    with Store(db_path) as store:
        assert store._version() == SCHEMA_VERSION
        assert store.migrate() == SCHEMA_VERSION
        _, rows = store.query("SELECT version FROM schema_version ORDER BY version")
        assert [r[0] for r in rows] == list(range(1, SCHEMA_VERSION + 1))
        assert store.counts() == {"documents": 0, "sentences": 0, "mentions": 0,
                                  "duplicate_links": 0, "errors": 0, "events": 0}
    assert db_path.exists()


def test_reopen_does_not_rerun_migrations(db_path: Path) -> None:
    with Store(db_path) as store:
        write(store, [make_processed("a", STORY_A)])
        _, first = store.query("SELECT version, name, applied_at FROM schema_version")
    for read_only in (False, True):
        with Store(db_path, read_only=read_only) as store:
            _, again = store.query("SELECT version, name, applied_at FROM schema_version")
            assert again == first  # same rows, same applied_at: nothing re-ran
            assert store.counts()["documents"] == 1  # and the data is intact


def test_read_only_open_of_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "absent.duckdb"
    with pytest.raises(StoreError) as info:
        Store(missing, read_only=True)
    message = str(info.value)
    assert str(missing) in message
    assert "no such database" in message
    assert "cordiale ingest" in message  # says what to do
    assert not missing.exists()  # and did not create it


@pytest.mark.parametrize("read_only", [False, True])
def test_newer_schema_version_is_refused(db_path: Path, read_only: bool) -> None:
    Store(db_path).close()
    con = duckdb.connect(str(db_path))
    con.execute("INSERT INTO schema_version VALUES (?, 'from_the_future.sql', now())",
                [SCHEMA_VERSION + 1])
    con.close()
    with pytest.raises(StoreError) as info:
        Store(db_path, read_only=read_only)
    message = str(info.value)
    assert str(db_path) in message
    assert f"schema version {SCHEMA_VERSION + 1}" in message
    assert "upgrade cordiale" in message


def test_unopenable_file_is_a_store_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"this is not a database file at all" * 200)
    with pytest.raises(StoreError) as info:
        Store(junk, read_only=True)
    assert str(junk) in str(info.value)


# -- writes ----------------------------------------------------------------------------------


def test_write_batch_round_trip(db_path: Path) -> None:
    a = make_processed("a", STORY_A, mentions=[
        ("prime minister of Norway", "NOR", "GOV", "NORGOV", "Prime Minister of Norway"),
        ("Swedish foreign minister", "SWE", "GOV", "SWEGOV", "Foreign Minister of Sweden"),
    ])
    b = make_processed("b", STORY_B, mentions=[("Kenyan army", "KEN", "MIL", "KENMIL", None)])
    place = Mention("a", 0, 2, "Oslo", STORY_A.index("Oslo"), STORY_A.index("Oslo") + 4,
                    "NOR", None, "NOR", "Oslo", 0.7, "capital", role="place")
    a = ProcessedDocument(a.document, a.sentences, (*a.mentions, place), a.words)
    with Store(db_path) as store:
        write(store, [a, b], links=[])
    with Store(db_path, read_only=True) as store:
        columns, rows = store.mentions()
        assert tuple(columns) == CONTRACT == MENTION_FIELDS
        assert rows == [
            ("a", 0, "prime minister of Norway", 4, 28, "NOR", "GOV", "NORGOV",
             "Prime Minister of Norway", 0.9),
            ("a", 0, "Swedish foreign minister", 37, 61, "SWE", "GOV", "SWEGOV",
             "Foreign Minister of Sweden", 0.9),
            ("b", 0, "Kenyan army", 18, 29, "KEN", "MIL", "KENMIL", None, 0.9),
        ]
        # offsets point into the stored document text
        _, texts = store.query("SELECT doc_id, text FROM documents")
        text_of = dict(texts)
        for doc_id, _, surface, start, end, *_ in rows:
            assert text_of[doc_id][start:end] == surface
        # places only on request; filters are case-insensitive on codes
        _, with_places = store.mentions(include_places=True)
        assert len(with_places) == 4
        assert [r[2] for r in store.mentions(country="nor")[1]] == ["prime minister of Norway"]
        assert [r[2] for r in store.mentions(sector="mil")[1]] == ["Kenyan army"]
        assert len(store.mentions(doc_id="a")[1]) == 2
        assert len(store.mentions(limit=1)[1]) == 1

        columns, docs = store.documents()
        assert columns == ["doc_id", "published", "source", "title", "words", "sentences",
                           "actors", "events", "cluster_id", "origin"]
        by_id = {r[0]: dict(zip(columns, r, strict=True)) for r in docs}
        assert set(by_id) == {"a", "b"}
        assert by_id["a"]["published"] == date(2021, 11, 24)
        assert by_id["a"]["source"] == "Test Wire"
        assert by_id["a"]["title"] == "T a"
        assert by_id["a"]["sentences"] == 2 and by_id["b"]["sentences"] == 3
        assert by_id["a"]["actors"] == 2  # the place is not an actor
        assert by_id["b"]["actors"] == 1
        assert by_id["a"]["cluster_id"] == "a"
        assert by_id["a"]["origin"] == "test:a"
        assert by_id["a"]["words"] == len(STORY_A.split())

        _, meta = store.query("SELECT metadata, content_hash FROM documents WHERE doc_id = 'a'")
        assert json.loads(meta[0][0]) == {"desk": "world"}
        assert meta[0][1] == content_hash(STORY_A)
        _, sents = store.query("SELECT sentence_index, char_start, char_end, text FROM sentences "
                               "WHERE doc_id = 'b' ORDER BY sentence_index")
        assert len(sents) == 3
        assert [s[0] for s in sents] == [0, 1, 2]
        assert sents[1][3] == "Villagers thanked the engineers"
        assert all(STORY_B[start:end] == text for _, start, end, text in sents)
        assert len(store.documents(limit=1)[1]) == 1


def test_present_and_cluster_links(db_path: Path) -> None:
    with Store(db_path) as store:
        write(store, [make_processed("a", STORY_A)])
        copy = make_processed("a-copy", STORY_A + " today")
        write(store, [copy], clusters={"a-copy": "a"},
              links=[DuplicateLink("a-copy", "a", 0.93)])
        hashes, by_id = store.present([content_hash(STORY_A), content_hash("unknown")],
                                      ["a", "zzz"])
        assert hashes == {content_hash(STORY_A)}
        assert by_id == {"a": content_hash(STORY_A)}
        assert store.cluster_of("a-copy") == "a"
        assert store.cluster_of("a") == "a"
        assert store.cluster_of("never-stored") == "never-stored"
        _, links = store.query("SELECT doc_id, cluster_id, similarity FROM duplicate_links")
        assert links == [("a-copy", "a", 0.93)]
        _, clusters = store.query("SELECT cluster_id, size, doc_ids FROM clusters")
        assert clusters == [("a", 2, ["a", "a-copy"])]
        # the stored signature is found again through its LSH bands
        sig = dedup.signature(STORY_A)
        candidates = store.lsh_candidates(dedup.bands(sig))
        assert candidates["a"] == sig


def test_record_failures_counts_repeats(db_path: Path) -> None:
    failure = Failure("news/wire.jsonl", "not JSON (Expecting value at column 1)", line=7)
    other = Failure("news/page.html", "HTML has no main text")
    with Store(db_path) as store:
        store.record_failures([failure, other])
        store.record_failures([failure])
        store.record_failures([])
        columns, rows = store.errors()
    assert columns == ["origin", "line", "kind", "reason", "first_seen", "last_seen", "times"]
    by_origin = {r[0]: dict(zip(columns, r, strict=True)) for r in rows}
    assert len(rows) == 2
    again = by_origin["news/wire.jsonl"]
    assert again["times"] == 2
    assert again["line"] == 7
    assert again["kind"] == "input"
    assert again["reason"] == failure.reason
    assert again["last_seen"] >= again["first_seen"]
    assert by_origin["news/page.html"]["times"] == 1
    assert by_origin["news/page.html"]["line"] is None


def test_same_failure_within_one_call_is_counted(db_path: Path) -> None:
    failure = Failure("x.csv", "row has the wrong number of fields (header has 3)", line=4)
    with Store(db_path) as store:
        store.record_failures([failure, failure])
        _, rows = store.errors()
    assert [(r[0], r[-1]) for r in rows] == [("x.csv", 2)]


def _stored(db_path: Path) -> dict[str, int]:
    with Store(db_path, read_only=True) as store:
        counts = store.counts()
        _, rows = store.query("SELECT (SELECT count(*) FROM doc_minhash), "
                              "(SELECT count(*) FROM lsh_bands)")
    counts["doc_minhash"], counts["lsh_bands"] = rows[0]
    return counts


def test_failing_write_rolls_back_duplicate_doc_id(db_path: Path) -> None:
    with Store(db_path) as store:
        write(store, [make_processed("a", STORY_A)])
    before = _stored(db_path)
    bad = [make_processed("b", STORY_B, mentions=[("Kenyan army", "KEN", "MIL", "KENMIL", None)]),
           make_processed("b", "A different story about the harbour. It rained")]
    with Store(db_path) as store:
        with pytest.raises(duckdb.Error):
            store.write_batch(bad, {}, [], {}, {})
        # the connection is usable again after the rollback
        write(store, [make_processed("c", "The council met. Nothing was decided")])
    after = _stored(db_path)
    assert after["documents"] == before["documents"] + 1
    assert after["sentences"] == before["sentences"] + 2
    assert after["mentions"] == before["mentions"]
    with Store(db_path, read_only=True) as store:
        assert [r[0] for r in store.documents()[1]] == ["a", "c"]


def test_failure_late_in_the_batch_rolls_back_earlier_tables(db_path: Path) -> None:
    # documents go in first; a duplicate sentence key fails the second insert, and the
    # documents of the batch must not stay behind.
    good = make_processed("g", STORY_A)
    broken = make_processed("h", STORY_B, sentence_index_dup=True)
    with Store(db_path) as store, pytest.raises(duckdb.Error):
        write(store, [good, broken])
    assert _stored(db_path) == {"documents": 0, "sentences": 0, "mentions": 0,
                                "duplicate_links": 0, "errors": 0, "doc_minhash": 0,
                                "lsh_bands": 0, "events": 0}
