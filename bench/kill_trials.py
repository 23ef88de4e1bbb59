"""``kill -9`` at random moments during an ingest, then the same ingest again: is anything lost
or stored twice?

One clean run of the corpus gives the reference store and its duration T. Each trial starts the
same ingest into a fresh file, sends SIGKILL after a delay drawn uniformly from [0, T] (so
kills land while the model loads, while the file is created, during a commit and between
commits), checks that the file opens and holds whole documents only, re-runs the ingest, and
compares every table's keys with the reference: documents (doc_id), sentences (doc_id,
sentence_index), mentions (doc_id, sentence_index, mention_index) and events (event_id).
A draw that falls after the ingest has finished kills nothing: it is drawn again, from the
length of the run just seen (the machine is shared and its speed varies), so the count is of
kills that landed.
One trial is ``tests/test_kill.py``'s, whose helpers this reuses: the command, its environment
(commits of 10 documents) and the integrity checks.

    python bench/kill_trials.py                        # 20 trials, first 60 Guardian articles
    python bench/kill_trials.py --trials 5 --docs 40 --corpus samples/...
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for extra in (ROOT / "src", ROOT / "tests"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from cordiale.store import Store  # noqa: E402
from test_kill import ingest_command, ingest_env, integrity  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "guardian_syria_2017_2019.jsonl"
KEYS = {
    "documents": "doc_id",
    "sentences": "doc_id || ':' || sentence_index",
    "mentions": "doc_id || ':' || sentence_index || ':' || mention_index",
    "events": "event_id",
}


def contents(db: Path) -> dict[str, tuple[int, set[str]]]:
    """Per table: the number of rows and the set of their keys."""
    out = {}
    with Store(db, read_only=True) as store:
        for table, key in KEYS.items():
            _, rows = store.query(f"SELECT {key} FROM {table}")
            out[table] = (len(rows), {r[0] for r in rows})
    return out


def compare(reference: dict[str, tuple[int, set[str]]], db: Path) -> dict[str, dict[str, int]]:
    got = contents(db)
    return {table: {"rows": got[table][0], "lost": len(reference[table][1] - got[table][1]),
                    "duplicated": got[table][0] - len(got[table][1]),
                    "extra": len(got[table][1] - reference[table][1])}
            for table in KEYS}


def run(corpus: Path, db: Path) -> tuple[subprocess.CompletedProcess, float]:
    started = time.perf_counter()
    done = subprocess.run(ingest_command(corpus, db), env=ingest_env(), cwd=db.parent,
                          capture_output=True, text=True, timeout=3600)
    return done, time.perf_counter() - started


def trial(n: int, corpus: Path, work: Path, delay: float,
          reference: dict[str, tuple[int, set[str]]]) -> dict:
    db = work / f"trial-{n:02d}.duckdb"
    proc = subprocess.Popen(ingest_command(corpus, db), env=ingest_env(), cwd=work,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    started = time.monotonic()
    while proc.poll() is None and time.monotonic() - started < delay:
        time.sleep(0.01)
    killed = proc.poll() is None
    lasted = time.monotonic() - started
    proc.send_signal(signal.SIGKILL)
    _, err = proc.communicate(timeout=60)
    row: dict = {"trial": n, "kill_after_s": round(delay, 1), "killed": killed,
                 "ran_s": round(lasted, 1), "exit": proc.returncode,
                 "traceback": b"Traceback" in err}
    try:
        stored, _ = integrity(db) if db.exists() else ([], {})
        row["stored_at_kill"] = len(stored)
        row["whole_at_kill"] = True
    except AssertionError as problem:  # half a batch, an orphan row, an id twice
        row["whole_at_kill"] = False
        row["problem"] = str(problem)[:200]
    except Exception as problem:  # the file did not open
        row["opened"] = False
        row["problem"] = f"{type(problem).__name__}: {problem}"[:200]
    rerun, seconds = run(corpus, db)
    row["rerun_exit"] = rerun.returncode
    row["rerun_s"] = round(seconds, 1)
    row["rerun_line"] = rerun.stdout.strip().splitlines()[-1] if rerun.stdout.strip() else ""
    try:
        integrity(db)
        row["whole_after"] = True
    except AssertionError as problem:
        row["whole_after"] = False
        row["problem_after"] = str(problem)[:200]
    row["tables"] = compare(reference, db)
    db.unlink(missing_ok=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--docs", type=int, default=60, help="first N lines of the corpus")
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--seed", type=int, default=20211124)
    args = parser.parse_args()
    if not args.corpus.exists():
        sys.exit(f"no corpus at {args.corpus} (../shared is absent?); pass --corpus FILE.jsonl")
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        corpus = work / "corpus.jsonl"
        with args.corpus.open(encoding="utf-8") as src, corpus.open("w", encoding="utf-8") as out:
            for i, line in enumerate(src):
                if i >= args.docs:
                    break
                out.write(line)
        clean, seconds = run(corpus, work / "clean.duckdb")
        if clean.returncode != 0:
            sys.exit(f"the clean run failed: {clean.stderr[-2000:]}")
        reference = contents(work / "clean.duckdb")
        print(json.dumps({"clean_s": round(seconds, 1), "line": clean.stdout.strip(),
                          **{t: reference[t][0] for t in KEYS}}), flush=True)
        rows: list[dict] = []
        # a kill that comes after the ingest ended tests nothing: draw again (up to twice over)
        while sum(r["killed"] for r in rows) < args.trials and len(rows) < 2 * args.trials:
            rows.append(trial(len(rows) + 1, corpus, work, rng.uniform(0, seconds), reference))
            print(json.dumps(rows[-1]), flush=True)
            if not rows[-1]["killed"]:  # the machine got faster: draw from the run it made
                seconds = rows[-1]["ran_s"]
    bad = [r for r in rows if r.get("problem") or r.get("problem_after") or r["traceback"]
           or r["rerun_exit"] != 0
           or any(v["lost"] or v["duplicated"] or v["extra"] for v in r["tables"].values())]
    killed = sum(r["killed"] for r in rows)
    mid = sum(r["killed"] and r.get("stored_at_kill", 0) > 0 for r in rows)
    print(f"{len(rows)} runs, {killed} killed mid-run ({mid} after at least one commit): "
          f"{len(rows) - len(bad)} with 0 lost, 0 duplicated, 0 extra rows in every table; "
          f"{len(bad)} not")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
