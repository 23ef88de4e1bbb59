"""A crash mid-run loses nothing: SIGKILL an ingest, check what is stored, run it again.

``bench/kill_trials.py`` runs 20 such trials at random moments on a real corpus with the
helpers here (``ingest_command``, ``ingest_env``, ``integrity``)."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cordiale.store import Store

pytestmark = [pytest.mark.model, pytest.mark.slow,
              pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")]

N_DOCS = 400
COMMIT_EVERY = 10
COUNTRIES = ["Norway", "Chile", "Kenya", "India", "Japan", "Peru", "Ghana", "Poland",
             "Vietnam", "Egypt", "Canada", "Morocco", "Mexico", "Finland", "Senegal"]
GOODS = ["grain", "steel", "timber", "coffee", "cotton", "copper", "fertiliser", "rice"]


def _write_corpus(path: Path) -> list[str]:
    rng = random.Random(20211124)
    ids = []
    with path.open("w", encoding="utf-8") as out:
        for i in range(N_DOCS):
            a, b = rng.sample(COUNTRIES, 2)
            text = (f"Trade officials from {a} and {b} met for round {i + 1} of talks on "
                    f"tariffs covering {rng.randint(10, 9999)} tonnes of {rng.choice(GOODS)}. "
                    f"The delegation from {a} proposed a quota of {i * 7 + 3} containers, and "
                    f"both sides agreed to meet again in {rng.randint(2, 12)} weeks.")
            doc_id = f"trade-{i:04d}"
            ids.append(doc_id)
            out.write(json.dumps({"id": doc_id, "text": text}) + "\n")
    return ids


def ingest_command(corpus: Path, db: Path) -> list[str]:
    """``cordiale ingest`` of one corpus file, as a child process runs it."""
    return [sys.executable, "-m", "cordiale.cli", "ingest", str(corpus), "--db", str(db), "-q"]


def ingest_env() -> dict[str, str]:
    """The caller's environment without its cordiale settings; small batches and commits."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CORDIALE_")}
    env["CORDIALE_COMMIT_EVERY"] = str(COMMIT_EVERY)
    env["CORDIALE_BATCH_SIZE"] = "10"
    return env


def _kill_after_some_commits(proc: subprocess.Popen, db: Path) -> None:
    """SIGKILL once a reader sees a few committed batches (or after a while). The ingest holds
    the file only while it commits, so the test can read it mid-run like any reader."""
    started = time.monotonic()
    while True:
        if proc.poll() is not None:
            return
        stored = 0
        if db.exists():
            try:
                with Store(db, read_only=True, wait=0.2) as store:
                    stored = store.con.execute("SELECT count(*) FROM documents").fetchone()[0]
            except Exception:  # locked by a commit, or not migrated yet: poll again
                stored = 0
        if stored >= 3 * COMMIT_EVERY or time.monotonic() - started > 30:
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)


def integrity(db: Path) -> tuple[list[str], dict[str, int]]:
    """Stored document ids and table counts, after asserting that nothing is half-stored:
    no document without sentences, no row of a document that is not stored, one minhash and
    16 LSH bands per document, no id twice."""
    with Store(db, read_only=True) as store:
        _, rows = store.query("SELECT doc_id FROM documents ORDER BY doc_id")
        ids = [r[0] for r in rows]
        _, bare = store.query(
            "SELECT doc_id FROM documents d WHERE NOT EXISTS "
            "(SELECT 1 FROM sentences s WHERE s.doc_id = d.doc_id)")
        assert bare == [], f"documents stored without their sentences: {bare[:5]}"
        for table in ("sentences", "mentions", "doc_minhash", "lsh_bands"):
            _, orphans = store.query(
                f"SELECT DISTINCT doc_id FROM {table} t WHERE NOT EXISTS "
                "(SELECT 1 FROM documents d WHERE d.doc_id = t.doc_id)")
            assert orphans == [], f"{table} rows for documents not stored: {orphans[:5]}"
        _, [(minhash, bands, dup_ids)] = store.query(
            "SELECT (SELECT count(*) FROM doc_minhash), (SELECT count(*) FROM lsh_bands), "
            "(SELECT count(*) - count(DISTINCT doc_id) FROM documents)")
        assert dup_ids == 0
        assert minhash == len(ids)
        assert bands == 16 * len(ids)
        counts = store.counts()
    return ids, counts


def test_sigkill_mid_run_loses_nothing(tmp_path: Path) -> None:
    corpus = tmp_path / "trade.jsonl"
    all_ids = _write_corpus(corpus)
    db = tmp_path / "kill.duckdb"

    proc = subprocess.Popen(ingest_command(corpus, db), env=ingest_env(), cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _kill_after_some_commits(proc, db)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    _out, err = proc.communicate()
    if proc.returncode == 0:
        pytest.skip("the ingest finished before it could be killed (machine too fast for "
                    f"{N_DOCS} documents); nothing about crash safety was tested")
    assert proc.returncode == -signal.SIGKILL, (proc.returncode, err.decode()[-2000:])
    if not db.exists():
        pytest.skip("killed before the database file was created; nothing was tested")

    stored, _ = integrity(db)
    if not stored:
        pytest.skip("killed before the first batch was committed; nothing was tested")
    assert 0 < len(stored) < N_DOCS
    # whole batches only, and in input order (one worker process keeps the order)
    assert len(stored) % COMMIT_EVERY == 0, len(stored)
    assert stored == all_ids[: len(stored)]

    rerun = subprocess.run(ingest_command(corpus, db), env=ingest_env(), cwd=tmp_path,
                           capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    m = re.search(r"documents: (\d+) new, (\d+) already present", rerun.stdout)
    assert m, rerun.stdout
    assert (int(m[1]), int(m[2])) == (N_DOCS - len(stored), len(stored))

    final, counts = integrity(db)
    assert final == all_ids
    assert counts["documents"] == N_DOCS
    assert counts["errors"] == 0
