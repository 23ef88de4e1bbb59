"""Ingest on workers (issue 12): the store ends the same wherever the NLP ran.

One corpus (the project's samples/ with stories of our own beside them: near-copies, an exact
copy, a broken line) is ingested in one process, with ``--workers 2``, on a ``LocalCluster`` of
two process workers, and on a scheduler and two workers started as separate processes; every
stored row is compared. Batches of two documents and commits of three make the workers finish
out of order and the near-duplicate links cross batches, so a client that committed in
completion order would store different clusters. A last test SIGKILLs a worker while it codes
a batch and checks that the store still ends as a clean run's.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import cordiale
from cordiale.store import Store

pytestmark = [pytest.mark.model, pytest.mark.slow,
              pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")]

ROOT = Path(__file__).resolve().parent.parent
SRC = str(Path(cordiale.__file__).resolve().parent.parent)  # the cordiale under test
DASK_SCHEDULER = [sys.executable, "-m", "dask", "scheduler"]  # the `dask scheduler` command
DASK_WORKER = [sys.executable, "-m", "dask", "worker"]

COUNTRIES = ["Norway", "Chile", "Kenya", "India", "Japan", "Peru", "Ghana", "Poland",
             "Vietnam", "Egypt", "Canada", "Morocco"]
VERBS = ["criticized", "praised", "met", "accused", "thanked", "warned"]
N_TRADE = 160  # documents in the corpus a worker is killed in

# Our own stories: each with a wire copy that changes one clause, so they are near-duplicates.
STORIES = [
    ("Ministers from Peru and Bolivia met in La Paz on Wednesday to settle a dispute over water "
     "drawn from the lake on their border. Officials from both sides said the talks were long "
     "but friendly, and that engineers would measure the level of the lake every month. The "
     "Peruvian minister said farmers near the shore had waited years for an agreement. Her "
     "Bolivian counterpart promised that a joint commission would publish its findings before "
     "the rainy season. A second meeting is planned in Lima in March to sign the final text."),
    ("The navy of Indonesia detained a fishing boat from Vietnam near the Natuna islands on "
     "Friday, according to a statement from the maritime ministry in Jakarta. The statement said "
     "the crew of eleven would be questioned and the catch seized. Vietnam's foreign ministry "
     "protested the detention and asked for the crew to be released quickly. Diplomats from the "
     "two countries are expected to discuss the case at a regional meeting in Manila next week, "
     "where fishing rights in disputed waters are already on the agenda."),
    ("Kenya and Ethiopia signed an agreement on Tuesday to build a power line between their "
     "grids, the energy ministry in Nairobi said. The line will carry electricity from dams in "
     "Ethiopia to towns in northern Kenya. Engineers from both countries will start work in the "
     "dry season, and the World Bank has offered a loan for part of the cost. Officials in Addis "
     "Ababa said the project would earn Ethiopia foreign currency it badly needs."),
]
CHANGES = [("in Lima in March", "in Lima in April"), ("next week", "next month"),
           ("badly needs", "sorely needs")]


def _long_story() -> str:
    """A long report of our own (about 2,000 words), slow to parse beside a short story."""
    rng = random.Random(11)
    places = ["Geneva", "Vienna", "Nairobi", "Jakarta", "Lima", "Oslo", "Accra", "Hanoi"]
    topics = ["fishing quotas", "river water", "port fees", "grain exports", "visa rules",
              "power lines", "border posts", "rail freight"]
    sentences = []
    for i in range(90):
        a, b = rng.sample(COUNTRIES, 2)
        sentences.append(f"Delegates from {a} and {b} discussed {rng.choice(topics)} in "
                         f"{rng.choice(places)} during session {i + 1}, and officials said a "
                         f"further round would follow.")
    return " ".join(sentences)


def _extra_records() -> list[str]:
    """Read first, in batches of two: [long report, story-0] and then [story-0's copy,
    story-1]. The second batch is coded first; a client that committed in completion order
    would make the copy the first of its cluster."""
    lines = [json.dumps({"id": "long-report", "text": _long_story(), "published": "2024-01-09"})]
    for i, story in enumerate(STORIES):
        lines.append(json.dumps({"id": f"story-{i}", "text": story,
                                 "published": f"2024-0{i + 1}-10", "source": "Own Wire"}))
        old, new = CHANGES[i]
        assert old in story
        if i == 0:
            lines.append(json.dumps({"id": "story-0-copy", "text": story.replace(old, new),
                                     "published": "2024-01-11", "source": "Other Wire"}))
    lines.append('{"id": "broken", "text": "no closing brace"')  # recorded as a failure
    for i, (story, (old, new)) in enumerate(zip(STORIES, CHANGES, strict=True)):
        if i:
            lines.append(json.dumps({"id": f"story-{i}-copy", "text": story.replace(old, new),
                                     "published": f"2024-0{i + 1}-11", "source": "Other Wire"}))
    # a copy of a copy joins the first copy's cluster; an exact copy is already present
    twice = STORIES[1].replace(*CHANGES[1]).replace("eleven", "twelve")
    lines.append(json.dumps({"id": "story-1-copy-2", "text": twice}))
    lines.append(json.dumps({"id": "story-0-again", "text": STORIES[0]}))
    return lines


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Our stories read first (see ``_extra_records``), then samples/, which has a
    near-duplicate of its own."""
    root = tmp_path_factory.mktemp("corpus")
    (root / "a-own.jsonl").write_text("\n".join(_extra_records()) + "\n", encoding="utf-8")
    shutil.copytree(ROOT / "samples", root / "b-samples")
    return root


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CORDIALE_", "DASK_"))}
    env["PYTHONPATH"] = SRC + os.pathsep + env.get("PYTHONPATH", "")
    env["CORDIALE_CONFIG"] = os.devnull  # no cordiale.toml from the working directory
    env["CORDIALE_BATCH_SIZE"] = "2"
    env["CORDIALE_COMMIT_EVERY"] = "3"
    env["OMP_NUM_THREADS"] = env["OPENBLAS_NUM_THREADS"] = "1"
    env.update(extra)
    return env


def _cordiale(*args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "cordiale.cli", *args], env=_env(**env),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _ingest(corpus: Path, db: Path, *args: str, **env: str) -> str:
    """Run ``cordiale ingest`` and return its summary line without the seconds."""
    proc = _cordiale("ingest", str(corpus), "--db", str(db), "-q", *args, **env)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 1, (out, err[-3000:])  # 1: the broken line failed, as it should
    assert "Traceback" not in err, err[-3000:]
    return _summary(out)


def _summary(out: str) -> str:
    line = next(x for x in out.splitlines() if x.startswith("documents:"))
    return re.sub(r"; [\d.]+s$", "", line)


# Every table an ingest writes, every column but the timestamps of when it was written.
TABLES = ("documents", "sentences", "mentions", "events", "duplicate_links", "doc_minhash",
          "lsh_bands", "errors", "event_facts", "daily_counts")


def _rows(db: Path) -> dict[str, list[tuple]]:
    out = {}
    with Store(db, read_only=True) as store:
        for table in TABLES:
            columns = [name for name, kind in store.con.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = ? ORDER BY ordinal_position", [table]).fetchall()
                if not kind.startswith("TIMESTAMP")]
            assert columns, f"no table {table}"
            listed = ", ".join(f'"{c}"' for c in columns)
            out[table] = sorted(store.con.execute(f"SELECT {listed} FROM {table}").fetchall(),
                                key=repr)
    return out


def _assert_same(got: dict[str, list[tuple]], want: dict[str, list[tuple]]) -> None:
    for table in TABLES:
        assert len(got[table]) == len(want[table]), table
        assert got[table] == want[table], f"{table} differs"


@pytest.fixture(scope="module")
def reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory
              ) -> tuple[str, dict[str, list[tuple]]]:
    """The store of a run in one process: what every other run must equal."""
    db = tmp_path_factory.mktemp("local") / "local.duckdb"
    line = _ingest(corpus, db)
    rows = _rows(db)
    # the corpus exercises what order could change: several clusters, an exact copy, a failure
    assert len(rows["duplicate_links"]) >= 5, rows["duplicate_links"]
    assert re.search(r"1 already present, \d+ near-duplicates, 1 failed", line), line
    assert len(rows["events"]) > 50 and len(rows["errors"]) == 1
    return line, rows


def test_two_local_workers_store_what_one_process_stores(
        corpus: Path, reference: tuple[str, dict], tmp_path: Path) -> None:
    db = tmp_path / "workers.duckdb"
    line = _ingest(corpus, db, "--workers", "2")
    assert line == reference[0]
    _assert_same(_rows(db), reference[1])


def test_a_local_cluster_of_two_process_workers_stores_the_same(
        corpus: Path, reference: tuple[str, dict], tmp_path: Path) -> None:
    from distributed import LocalCluster

    db = tmp_path / "cluster.duckdb"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address="127.0.0.1:0") as cluster:
        line = _ingest(corpus, db, "--scheduler", cluster.scheduler_address)
    assert line == reference[0]
    _assert_same(_rows(db), reference[1])


# -- a scheduler and workers as separate processes -------------------------------------------
def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@contextmanager
def dask_cluster(tmp: Path, workers: int = 2) -> Iterator[tuple[str, list[subprocess.Popen]]]:
    """``dask scheduler`` and ``dask worker`` processes on 127.0.0.1, on free ports the
    scheduler picks; every process is stopped on the way out, whatever happened."""
    started: list[subprocess.Popen] = []
    logs = tmp / "dask-logs"
    logs.mkdir(exist_ok=True)
    address_file = tmp / "scheduler.json"
    env = _env()
    try:
        started.append(subprocess.Popen(
            [*DASK_SCHEDULER, "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
             "--scheduler-file", str(address_file)],
            env=env, stdout=subprocess.DEVNULL, stderr=(logs / "scheduler.log").open("w")))
        deadline = time.monotonic() + 60
        while not address_file.exists() or not address_file.read_text().strip():
            assert started[0].poll() is None, (logs / "scheduler.log").read_text()[-2000:]
            assert time.monotonic() < deadline, "the scheduler did not start in 60 s"
            time.sleep(0.1)
        address = json.loads(address_file.read_text())["address"]
        for i in range(workers):
            # no nanny: a SIGKILL to this pid kills the worker itself, not a restartable child
            started.append(subprocess.Popen(
                [*DASK_WORKER, address, "--nthreads", "1", "--no-nanny", "--no-dashboard",
                 "--name", f"w{i}", "--host", "127.0.0.1", "--death-timeout", "60",
                 "--local-directory", str(tmp / f"w{i}")],
                env=env, stdout=subprocess.DEVNULL,
                stderr=(logs / f"worker-{i}.log").open("w")))
        yield address, started[1:]
    finally:
        for proc in reversed(started):
            _stop(proc)


def test_scheduler_and_workers_as_separate_processes_store_the_same(
        corpus: Path, reference: tuple[str, dict], tmp_path: Path) -> None:
    db = tmp_path / "remote.duckdb"
    with dask_cluster(tmp_path) as (address, workers):
        line = _ingest(corpus, db, CORDIALE_SCHEDULER=address)  # the environment's scheduler
        assert all(w.poll() is None for w in workers)
    assert line == reference[0]
    _assert_same(_rows(db), reference[1])


# -- a worker killed mid-run -------------------------------------------------------------------


def _trade_corpus(path: Path, n: int) -> Path:
    rng = random.Random(7)
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            a, b = rng.sample(COUNTRIES, 2)
            text = (f"{a} {rng.choice(VERBS)} {b} on Monday over shipment number {i + 1}. "
                    f"Officials in {a} said talks with {b} on {rng.randint(2, 900)} tonnes of "
                    f"grain would resume within {rng.randint(2, 12)} weeks.")
            out.write(json.dumps({"id": f"trade-{i:03d}", "text": text,
                                  "published": f"2023-{1 + i % 12:02d}-15"}) + "\n")
    return path


def _stored(db: Path) -> int:
    try:
        with Store(db, read_only=True, wait=0.2) as store:
            return int(store.con.execute("SELECT count(*) FROM documents").fetchone()[0])
    except Exception:  # not created yet, or locked by a commit: ask again
        return 0


def test_a_worker_killed_while_coding_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    from distributed import Client

    corpus = _trade_corpus(tmp_path / "trade.jsonl", N_TRADE)
    clean = tmp_path / "clean.duckdb"
    settings = {"CORDIALE_BATCH_SIZE": "3", "CORDIALE_COMMIT_EVERY": "6"}
    done = _cordiale("ingest", str(corpus), "--db", str(clean), "-q", **settings)
    out, err = done.communicate(timeout=600)
    assert done.returncode == 0, err[-3000:]
    want_line, want = _summary(out), _rows(clean)
    assert len(want["documents"]) == N_TRADE

    db = tmp_path / "killed.duckdb"
    with dask_cluster(tmp_path) as (address, workers):
        run = _cordiale("ingest", str(corpus), "--db", str(db), "-q", "--scheduler", address,
                        **settings)
        victim, lost = workers[0], []
        with Client(address, set_as_default=False) as watch:
            watch.wait_for_workers(2, timeout=120)
            pids = {pid: a for a, pid in watch.run(os.getpid).items()}
            where = pids[victim.pid]
            deadline = time.monotonic() + 300
            # kill once a batch is committed and the victim is coding one of ours
            while run.poll() is None and time.monotonic() < deadline:
                lost = [k for k in watch.processing([where]).get(where, ())
                        if str(k).startswith("cordiale-code-")]
                if lost and _stored(db) >= 6:
                    victim.send_signal(signal.SIGKILL)
                    break
                time.sleep(0.05)
        out, err = run.communicate(timeout=600)
        if not lost or victim.poll() is None:
            pytest.skip("the ingest finished before a worker could be killed mid-batch; "
                        "nothing about lost workers was tested")
        assert victim.wait(timeout=10) == -signal.SIGKILL
    assert run.returncode == 0, err[-3000:]
    assert _stored(db) > 6
    assert _summary(out) == want_line
    _assert_same(_rows(db), want)


@pytest.mark.parametrize(("address", "message"), [
    ("tcp://127.0.0.1", "error: 'tcp://127.0.0.1' is not a Dask scheduler address (missing "
                        "port number in address '127.0.0.1'); give one like tcp://10.0.0.5:8786"),
    ("tcp://127.0.0.1:{port}", "error: cannot reach the Dask scheduler at "
                               "'tcp://127.0.0.1:{port}' (Timed out trying to connect to "
                               "tcp://127.0.0.1:{port} after 2 s); start one with 'dask "
                               "scheduler' or correct --scheduler / CORDIALE_SCHEDULER"),
])
def test_a_scheduler_that_cannot_be_used_is_one_line(address: str, message: str,
                                                     tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    address, message = address.format(port=port), message.format(port=port)
    db = tmp_path / "never.duckdb"
    proc = _cordiale("ingest", str(ROOT / "samples"), "--db", str(db), "-q",
                     "--scheduler", address, DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT="2s")
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 2
    assert err.strip().splitlines() == [message]
    assert not db.exists() or "cannot reach" in message  # a bad address creates nothing
