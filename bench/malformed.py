"""Thousands of hostile inputs through ``cordiale ingest``, and its memory on huge files.

``run_cases`` runs the real command in a child process over what ``bench/hostile.py``
generates, and ``check`` compares the store with what each case promised: every bad input in
``cordiale errors`` with a reason, every good document stored, nothing hostile taken for a
document, no traceback. Then peak memory on a 50 MB single line and a 200 MB text file (each in
its own child, RSS from ``wait4``), under the default limits and with ``max_bytes`` raised so
they are read:

    python bench/malformed.py                 # 85 of each kind (2,000+ bad inputs), then memory
    python bench/malformed.py --per-kind 5 --no-memory
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hostile import KINDS, ROOT, Case, generate, write_words


# -- running and checking ----------------------------------------------------------------
@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    peak_mb: float
    seconds: float


def ingest_command(paths: Sequence[str], db: Path) -> list[str]:
    return [sys.executable, "-m", "cordiale.cli", "ingest", *paths, "--db", str(db), "-q"]


def child_env(**settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CORDIALE_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"),
                                                      env.get("PYTHONPATH")]))
    env.update({f"CORDIALE_{k.upper()}": v for k, v in settings.items()})
    return env


def run_ingest(paths: Sequence[str], db: Path, *, timeout: float = 3600,
               **settings: str) -> Run:
    """``cordiale ingest`` in a child process; its own peak RSS comes from ``wait4``."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(ingest_command(paths, db), stdout=out, stderr=err,
                                env=child_env(**settings), cwd=db.parent)
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(proc.returncode, out.read().decode("utf-8", "replace"),
                   err.read().decode("utf-8", "replace"), usage.ru_maxrss / 1024,
                   time.perf_counter() - started)


@dataclass
class Result:
    bad_inputs: int  # failures promised
    recorded: int  # of those, found in `cordiale errors` with a reason
    missing: list[tuple[str, int | None]]
    good: int
    stored: int  # good documents found in the store
    lost: list[str]
    extra_docs: int  # stored documents no case promised (junk taken for text)
    unexpected_errors: list[tuple]  # errors on files no case said would fail
    tracebacks: int
    returncode: int
    notes: list[str]

    def line(self) -> str:
        share = self.recorded / self.bad_inputs if self.bad_inputs else 1.0
        return (f"{self.bad_inputs} malformed inputs: {self.recorded} recorded ({share:.1%}), "
                f"{len(self.missing)} missing; {self.good} good documents: {self.stored} stored, "
                f"{len(self.lost)} lost; {self.extra_docs} unexpected documents, "
                f"{len(self.unexpected_errors)} unexpected errors; {self.tracebacks} tracebacks; "
                f"exit status {self.returncode}")


def check(cases: Sequence[Case], db: Path, run: Run) -> Result:
    """Compare the store after an ingest of ``cases`` with what each case promised."""
    from cordiale.store import Store

    with Store(db, read_only=True) as store:
        _, errors = store.errors()
        _, docs = store.query("SELECT content_hash FROM documents")
    found: dict[str, set[int | None]] = {}
    for where, line, _kind, reason, *_ in errors:
        if reason and reason.strip():
            found.setdefault(where, set()).add(line)
    for where in list(found):  # "file:12" with no line (the NLP stage names lines so)
        head, _, tail = where.rpartition(":")
        if tail.isdigit():
            found.setdefault(head, set()).add(int(tail))
    promised = [f for c in cases for f in c.failures]
    missing = [(w, n) for w, n in promised
               if w not in found or (n is not None and n not in found[w])]
    files = {w for w, _ in promised}
    unexpected = [e for e in errors
                  if e[0] not in files and e[0].rpartition(":")[0] not in files]
    stored = {r[0] for r in docs}
    good = {h for c in cases for h in c.good}
    return Result(
        bad_inputs=len(promised), recorded=len(promised) - len(missing), missing=missing,
        good=len(good), stored=len(good & stored), lost=sorted(good - stored),
        extra_docs=len(stored - good), unexpected_errors=unexpected,
        tracebacks=run.stderr.count("Traceback"), returncode=run.returncode,
        notes=sorted({c.note for c in cases if c.note}))


def run_cases(root: Path, cases: Sequence[Case], db: Path, **settings: str) -> tuple[Run, Result]:
    argv = [str(root)] + [p for c in cases for p in c.argv]
    run = run_ingest(argv, db, **settings)
    return run, check(cases, db, run)


# -- memory ------------------------------------------------------------------------------
def _big_text(path: Path, size: int) -> None:
    """About ``size`` bytes of ordinary lines of prose."""
    line = ("Officials from Kenya and Chile met on Monday to discuss grain tariffs, port fees "
            "and a new rail link, the ministry said in a statement.\n")
    block = line * (1_000_000 // len(line))
    with path.open("w") as out:
        written = 0
        while written < size:
            out.write(block)
            written += len(block)


def memory(work: Path) -> list[dict]:
    """Peak RSS of an ingest of a 50 MB single line and of a 200 MB text file, each with one
    good document, under the default limits and with ``max_bytes`` raised to read them."""
    work.mkdir(parents=True, exist_ok=True)
    good = work / "good.txt"
    good.write_text("Kenya and Chile signed a trade accord on Monday, officials said.")
    line = work / "line-50mb.txt"
    with line.open("w") as out:
        write_words(out, 50_000_000)
    jsonl = work / "line-50mb.jsonl"
    with jsonl.open("w") as out:
        out.write('{"id": "long", "text": "')
        write_words(out, 50_000_000)
        out.write('"}\n')
    big = work / "text-200mb.txt"
    _big_text(big, 200_000_000)
    rows = []
    for label, path, settings in [
        ("one good document (baseline)", None, {}),
        ("50 MB single line, .txt", line, {}),
        ("200 MB text file", big, {}),
        ("50 MB single line, .txt, max_bytes 300 MB", line, {"max_bytes": "300000000"}),
        ("50 MB JSON line, max_bytes 300 MB", jsonl, {"max_bytes": "300000000"}),
        ("200 MB text file, max_bytes 300 MB", big, {"max_bytes": "300000000"}),
    ]:
        db = work / f"memory-{len(rows)}.duckdb"
        run = run_ingest([str(good)] + ([str(path)] if path else []), db, **settings)
        reason = [ln for ln in run.stderr.splitlines() if ln.startswith("error:")]
        rows.append({"case": label, "peak_mb": round(run.peak_mb), "seconds":
                     round(run.seconds, 1), "exit": run.returncode,
                     "tracebacks": run.stderr.count("Traceback"),
                     "reason": reason[0][:160] if reason else ""})
        print(json.dumps(rows[-1]), flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-kind", type=int, default=85)
    parser.add_argument("--seed", type=int, default=20211124)
    parser.add_argument("--work", type=Path, help="folder to write into (default: a temporary one)")
    parser.add_argument("--no-memory", action="store_true", help="skip the 50 MB / 200 MB runs")
    parser.add_argument("--no-batch", action="store_true", help="skip the malformed batch")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        if not args.no_batch:
            root = work / "inputs"
            cases = generate(root, per_kind=args.per_kind, seed=args.seed,
                             long_line=2_000_000, huge_field=2_000_000)
            run, result = run_cases(root, cases, work / "malformed.duckdb")
            print(json.dumps({"kinds": len(KINDS), "cases": len(cases),
                              "seconds": round(run.seconds, 1), "peak_mb": round(run.peak_mb)}))
            print(result.line())
            for note in result.notes:
                print("note:", note)
            for w, n in result.missing[:20]:
                print("missing:", repr(w), n)
            for e in result.unexpected_errors[:20]:
                print("unexpected:", e[:4])
            if result.tracebacks:
                print(run.stderr[-3000:])
            for path in root.rglob("secret.txt"):  # let the temporary folder be removed
                path.chmod(0o600)
        if not args.no_memory:
            memory(work / "memory")


if __name__ == "__main__":
    main()
