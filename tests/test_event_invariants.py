"""Invariants of every stored event (issue 9), checked on whole corpora: the project's samples
and the 249 Guardian articles in ../shared/corpus.

- no event has the same actor code as source and target;
- no asserted event (neither negated nor hypothetical) is dated after its document's
  publication date.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cordiale import Store
from cordiale.pipeline import ingest  # not cordiale.ingest: test order can make that the subpackage

pytestmark = pytest.mark.model

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

SAME_CODE = """
    SELECT count(*) FROM events
    WHERE source_code IS NOT NULL AND source_code = target_code"""
AFTER_PUBLICATION = """
    SELECT count(*) FROM events e JOIN documents d USING (doc_id)
    WHERE NOT e.negated AND NOT e.hypothetical AND d.published IS NOT NULL
      AND e.event_date > d.published"""


def _check(db: Path) -> int:
    with Store(str(db), read_only=True) as store:
        events = store.con.execute("SELECT count(*) FROM events").fetchone()[0]
        assert store.con.execute(SAME_CODE).fetchone()[0] == 0
        assert store.con.execute(AFTER_PUBLICATION).fetchone()[0] == 0
    return events


def test_invariants_on_the_sample_corpus(tmp_path):
    db = tmp_path / "samples.duckdb"
    ingest([str(SAMPLES)], db=str(db))
    assert _check(db) > 50


def test_invariants_on_the_shared_corpus(shared, tmp_path):
    corpus = shared / "corpus" / "guardian_syria_2017_2019.jsonl"
    if not corpus.exists():
        pytest.skip(f"{corpus} is absent")
    db = tmp_path / "guardian.duckdb"
    ingest([str(corpus)], db=str(db))
    assert _check(db) > 1000
