"""Reading while an ingest runs, and two ingests at once (issue 10, part 1).

An ingest holds the database file only while it commits a batch; readers wait for a commit
(never fail) and see whole batches only; two ingests of overlapping corpora take turns and end
with the store one run would make. The corpus is written here, sentences of our own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cordiale.store import Store

pytestmark = [pytest.mark.model, pytest.mark.slow]

COUNTRIES = ["France", "Germany", "Japan", "Brazil", "Egypt", "India", "Kenya", "Chile",
             "Norway", "Turkey", "Mexico", "Vietnam"]
VERBS = ["criticized", "praised", "met", "accused", "thanked", "warned"]
BATCH = 4


def _docs(first: int, last: int) -> list[dict]:
    out = []
    for i in range(first, last):
        a, b = COUNTRIES[i % len(COUNTRIES)], COUNTRIES[(i * 5 + 3) % len(COUNTRIES)]
        if a == b:
            b = COUNTRIES[(i + 1) % len(COUNTRIES)]
        verb = VERBS[i % len(VERBS)]
        out.append({"id": f"doc-{i:03d}", "date": f"2023-{1 + i % 12:02d}-15",
                    "text": f"{a} {verb} {b} on Monday over report number {i}. "
                            f"Officials in {a} said talks with {b} would continue."})
    return out


def _write(path: Path, docs: list[dict]) -> Path:
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return path


def _ingest(corpus: Path, db: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CORDIALE_")}
    env["CORDIALE_COMMIT_EVERY"] = str(BATCH)
    env["CORDIALE_CONFIG"] = str(db.parent / "none.toml")
    return subprocess.Popen([sys.executable, "-m", "cordiale.cli", "ingest", str(corpus),
                             "--db", str(db), "-q"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_readers_never_fail_and_see_whole_batches(tmp_path: Path) -> None:
    docs = _docs(0, 48)
    corpus = _write(tmp_path / "wire.jsonl", docs)
    db = tmp_path / "news.duckdb"
    writer = _ingest(corpus, db)
    reads = failures = 0
    seen: set[int] = set()
    try:
        while not db.exists() and writer.poll() is None:
            time.sleep(0.05)
        while writer.poll() is None:
            try:
                with Store(str(db), read_only=True) as store:
                    n = store.con.execute("SELECT count(*) FROM documents").fetchone()[0]
                    torn = store.con.execute(
                        """SELECT count(*) FROM documents d WHERE NOT EXISTS
                           (SELECT 1 FROM sentences s WHERE s.doc_id = d.doc_id)""").fetchone()[0]
                reads += 1
                seen.add(n)
                assert torn == 0, "a document without its sentences: half a batch"
                assert n % BATCH == 0, f"{n} documents: not a whole number of batches"
            except Exception:  # every failed read is what this test counts
                failures += 1
            time.sleep(0.02)
    finally:
        _out, err = writer.communicate(timeout=300)
    assert writer.returncode == 0, err
    assert failures == 0
    assert reads >= 5, f"only {reads} reads happened while the ingest ran"
    assert len(seen) >= 2, f"every read saw the same count {seen}: no read during the ingest"
    with Store(str(db), read_only=True) as store:
        assert store.con.execute("SELECT count(*) FROM documents").fetchone()[0] == len(docs)


def _contents(db: Path) -> tuple[set[str], set[str]]:
    with Store(str(db), read_only=True) as store:
        docs = {r[0] for r in store.con.execute("SELECT doc_id FROM documents").fetchall()}
        events = {r[0] for r in store.con.execute("SELECT event_id FROM events").fetchall()}
    return docs, events


def test_two_concurrent_ingests_make_the_store_one_run_would(tmp_path: Path) -> None:
    left = _write(tmp_path / "left.jsonl", _docs(0, 30))
    right = _write(tmp_path / "right.jsonl", _docs(14, 44))
    both = _write(tmp_path / "both.jsonl", _docs(0, 44))
    together = tmp_path / "together.duckdb"
    runs = [_ingest(left, together), _ingest(right, together)]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
    alone = tmp_path / "alone.duckdb"
    single = _ingest(both, alone)
    _, err = single.communicate(timeout=300)
    assert single.returncode == 0, err
    docs, events = _contents(together)
    assert len(docs) == 44
    assert (docs, events) == _contents(alone)
