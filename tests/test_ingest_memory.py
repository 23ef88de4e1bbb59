"""What a long ingest keeps in memory stays bounded by what is in flight, not by the corpus
(issue 12: 100,000 documents with no memory growth): the documents the client remembers
between reading and committing, the failures in the summary, and the failures waiting to be
recorded."""

from __future__ import annotations

from pathlib import Path

import pytest

from cordiale import pipeline
from cordiale.config import Settings
from cordiale.pipeline import FAILURES_KEPT, ingest
from cordiale.records import Document, Failure, ProcessedDocument, content_hash
from cordiale.store import Store

SETTINGS = Settings()


def _doc(i: int) -> Document:
    text = f"Delegates from the two ports met for round {i} of the talks on quotas."
    return Document(f"doc-{i:05d}", text, content_hash(text), origin=f"corpus.jsonl:{i}")


def _coded(doc: Document) -> ProcessedDocument:
    return ProcessedDocument(doc, (), (), len(doc.text.split()))


def test_fresh_forgets_everything_handed_out_before_a_committed_batch(db_path: Path) -> None:
    """Documents that failed in the NLP are never committed; they are forgotten with the
    batch after them, so a run where many fail holds only what is in flight."""
    session = pipeline._Session(str(db_path), SETTINGS)
    summary = pipeline.IngestSummary()
    docs = [_doc(i) for i in range(500)]
    fresh = pipeline._Fresh(iter(docs), session, 64, summary, lambda f: None)
    handed = iter(fresh)
    for _ in range(0, 500, 50):
        out = [next(handed) for _ in range(50)]
        # every other document of the block failed: only the rest are committed, and the
        # last one handed out is still in flight
        fresh.stored([_coded(d) for d in out[::2]])
        assert set(fresh.ids) == {out[-1].doc_id}
    fresh.stored([])  # an empty commit forgets nothing and does not fail
    assert len(fresh.ids) == 1


def test_fresh_still_skips_a_copy_of_a_document_in_flight(db_path: Path) -> None:
    session = pipeline._Session(str(db_path), SETTINGS)
    summary = pipeline.IngestSummary()
    first, other = _doc(1), _doc(2)
    copy = Document("copy-of-1", first.text, first.content_hash, origin="corpus.jsonl:9")
    fresh = pipeline._Fresh(iter([first, other, copy]), session, 64, summary, lambda f: None)
    assert [d.doc_id for d in fresh] == ["doc-00001", "doc-00002"]
    assert summary.present == 1
    fresh.stored([_coded(first)])
    assert set(fresh.ids) == {"doc-00002"}


@pytest.mark.model
def test_failures_of_a_long_bad_run_are_recorded_as_it_goes_and_kept_bounded(
        write_jsonl, db_path: Path) -> None:
    """1,300 lines that are not JSON: every one counted and recorded in the store, the
    summary keeps the first FAILURES_KEPT, and they reach the store in commits of
    ``commit_every`` while the run goes on (not all at the end)."""
    n = FAILURES_KEPT + 300
    path = write_jsonl([f'{{"id": "broken-{i}", "text": ' for i in range(n)])
    settings = SETTINGS.with_(commit_every=100)
    recorded_midway: list[int] = []

    def look(failure: Failure) -> None:
        if failure.line == 1001:  # the thousand before it are in the store already
            with Store(db_path, read_only=True) as store:
                recorded_midway.append(store.query("SELECT count(*) FROM errors")[1][0][0])

    summary = ingest([path], db=str(db_path), settings=settings, progress=False,
                     on_failure=look)
    assert summary.failed == n and summary.new == 0
    assert len(summary.failures) == FAILURES_KEPT
    assert [f.line for f in summary.failures[:3]] == [1, 2, 3]
    assert recorded_midway == [1000]
    with Store(db_path, read_only=True) as store:
        assert store.query("SELECT count(*) FROM errors")[1][0][0] == n


@pytest.mark.model
def test_a_run_after_bad_lines_still_stores_the_good_ones(write_jsonl, db_path: Path) -> None:
    lines: list[dict | str] = ['{"id": "broken", "text": ' for _ in range(150)]
    lines += [{"id": f"ok-{i}", "text": _doc(i).text} for i in range(5)]
    path = write_jsonl(lines)
    summary = ingest([path], db=str(db_path), settings=SETTINGS.with_(commit_every=2),
                     progress=False)
    assert (summary.new, summary.failed) == (5, 150)
    with Store(db_path, read_only=True) as store:
        assert store.query("SELECT count(*) FROM documents")[1][0][0] == 5
