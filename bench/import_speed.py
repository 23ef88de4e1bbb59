"""``cordiale import`` of an ICEWS file: the row readers against DuckDB's CSV reader, and Parquet.

Times, in one process and one after the other, what the command does (import, then the
refresh of the analysis copy ``event_facts``) for:

- ``rows``: the row readers (``engine="rows"``), the path every import took before issue 12;
- ``duckdb``: DuckDB's CSV reader and SQL mapping into a fresh database file;
- ``duckdb + parquet``: the same into a fresh month-partitioned Parquet directory;
- a re-import of the same file into the Parquet store (every event already there).

Then, unless ``--skip-cli``, the bare commands as a user runs them, each in a fresh child
process (start-up, the import and the closing refresh of ``event_facts``):
``cordiale import FILE --format F --db NEW.duckdb`` and the same with ``--parquet NEW_DIR``.

Each line gives wall seconds and CPU seconds (all threads; for the commands, the child's), so a
busy machine shows in the gap between them, and the ratio to the row readers. Usage::

    python bench/import_speed.py                        # the 325,691-event six-month file
    python bench/import_speed.py ../shared/data/icews_sample.csv.gz --skip-rows
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cordiale.importers.load import import_events
from cordiale.store import Store

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "data" / \
    "icews_daily_2018-10_2019-03.tab.gz"


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def run(path: str, fmt: str, db: str, *, engine: str, parquet: str | None
        ) -> tuple[float, float, str]:
    wall, used = time.perf_counter(), cpu()
    summary = import_events([path], fmt, db, engine=engine, parquet=parquet)
    with Store(db, parquet=parquet) as store:
        store.refresh_facts()
    return time.perf_counter() - wall, cpu() - used, summary.line()


def command(args: list[str]) -> tuple[float, float, str]:
    """Wall and CPU seconds of ``cordiale ARGS`` in a child process, and its last line."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    done = subprocess.run([str(Path(sys.executable).with_name("cordiale")), *args],
                          capture_output=True, text=True, check=False)
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode not in (0, 1):  # 1: some rows failed, which is the file's business
        raise SystemExit(done.stderr)
    return wall, used, (done.stdout.strip().splitlines() or [""])[-1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("path", nargs="?", default=str(DEFAULT))
    ap.add_argument("--format", dest="fmt", default="icews")
    ap.add_argument("--skip-rows", action="store_true", help="do not time the row readers")
    ap.add_argument("--skip-cli", action="store_true", help="do not time the bare commands")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="cordiale-import-bench-")
    try:
        runs = []
        if not args.skip_rows:
            runs.append(("rows (before)",
                         run(args.path, args.fmt, os.path.join(tmp, "rows.duckdb"),
                             engine="rows", parquet=None)))
        runs.append(("duckdb", run(args.path, args.fmt, os.path.join(tmp, "fast.duckdb"),
                                   engine="duckdb", parquet=None)))
        pq, pq_db = os.path.join(tmp, "pq"), os.path.join(tmp, "pq.duckdb")
        runs.append(("duckdb + parquet", run(args.path, args.fmt, pq_db, engine="duckdb",
                                             parquet=pq)))
        runs.append(("re-import into parquet", run(args.path, args.fmt, pq_db,
                                                   engine="duckdb", parquet=pq)))
        if not args.skip_cli:
            common = ["import", args.path, "--format", args.fmt]
            runs.append(("command → file", command(
                [*common, "--db", os.path.join(tmp, "cli.duckdb")])))
            runs.append(("command → parquet", command(
                [*common, "--db", os.path.join(tmp, "cli-pq.duckdb"), "--parquet",
                 os.path.join(tmp, "cli-pq")])))
        base = runs[0][1][0] if not args.skip_rows else None
        print(f"file: {args.path}; load average {os.getloadavg()[0]:.1f}")
        for name, (wall, used, line) in runs:
            ratio = f", {base / wall:.1f}× the row readers" if base else ""
            print(f"{name:<24} {wall:7.2f} s wall, {used:6.2f} s CPU{ratio}")
            print(f"{'':<24} {line}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
