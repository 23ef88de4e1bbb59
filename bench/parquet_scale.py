"""Analysis over events kept in month-partitioned Parquet (``--parquet DIR``), up to 100 million.

Generates the synthetic stream of :mod:`cordiale.analysis.synthetic` (200 countries, ten
years, activity skewed toward the first countries, planted blocs) with DuckDB SQL straight
into ``DIR/events/month=YYYY-MM/part-synthetic.parquet`` (one ``COPY`` per month, rows sorted by
dyad then date as ``cordiale.store.parquet`` writes them), then opens an empty database file
with that directory as ``cordiale dyad``/``blocs`` do and times, in this process, the same
calls as ``bench/analysis_scale.py``:

- the monthly series of the busiest dyad as ``cordiale dyad`` computes it (the dyad's events
  deduplicated and summed per month and story in DuckDB, store-wide monthly totals, warmth with
  400 bootstrap replicates, quad shares, trend), and of a mid-table dyad;
- one month's blocs over the 200 countries as ``cordiale blocs`` computes them (events summed
  per story and pair in DuckDB, partition, axis with 400 replicates, balance).

``--compare`` also times, once each, the per-event path the analyses took before
(:func:`~cordiale.analysis.frame.load_events`, every deduplicated event pulled into Python).
``--commands`` also times ``cordiale dyad`` and ``cordiale blocs`` as a user runs them: each a
new process (start-up, imports, the first read of the files' footers included), wall seconds.

Each figure is the median of ``--repeat`` runs. Usage::

    python bench/parquet_scale.py --events 10000000 --dir /tmp/pq10m
    python bench/parquet_scale.py --events 100000000 --dir /tmp/pq100m --keep
"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as the CLI does
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb
from analysis_scale import dyad_series_of, month_blocs, timed  # bench/, beside this script

from cordiale.analysis.frame import load_events
from cordiale.analysis.sums import load_dyad_sums, load_pair_sums
from cordiale.analysis.synthetic import synthetic_countries, synthetic_events
from cordiale.store import Store
from cordiale.store.parquet import ROW_GROUP, scan


def generate(directory: Path, n: int, codes: list[str], start: date, days: int) -> float:
    """Write ``n`` events, one file per month; returns seconds taken."""
    t = time.perf_counter()
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute("SET preserve_insertion_order = false")
    month = start.replace(day=1)
    end = start + timedelta(days=days)
    while month < end:
        nxt = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
        # rows i fall on day i * days // n: the month's rows are a contiguous range
        lo = -(-(month - start).days * n // days) if month > start else 0
        hi = min(n, -(-(nxt - start).days * n // days))
        if hi > lo:
            sql, params = synthetic_events(n, lo, hi, codes, start=start, days=days)
            folder = directory / "events" / f"month={month:%Y-%m}"
            folder.mkdir(parents=True, exist_ok=True)
            target = str(folder / "part-synthetic.parquet").replace("'", "''")
            con.execute(f"""
                COPY (SELECT *, least(source_country, target_country) || '|' ||
                             greatest(source_country, target_country) AS dyad
                      FROM ({sql}) ORDER BY dyad, event_date)
                TO '{target}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {ROW_GROUP})
                """, params)
        month = nxt
    con.close()
    return time.perf_counter() - t


def command(args: list[str]) -> float:
    """Wall seconds of ``cordiale ARGS`` in a child process (which must succeed)."""
    wall = time.perf_counter()
    done = subprocess.run([str(Path(sys.executable).with_name("cordiale")), *args],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return time.perf_counter() - wall


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--events", type=int, default=100_000_000)
    ap.add_argument("--countries", type=int, default=200)
    ap.add_argument("--dir", help="Parquet directory (default: a temporary one)")
    ap.add_argument("--keep", action="store_true", help="keep the files afterwards")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--compare", action="store_true",
                    help="also time the per-event path once (busiest dyad, blocs)")
    ap.add_argument("--commands", action="store_true",
                    help="also time the cordiale dyad and blocs commands, each a new process")
    args = ap.parse_args()

    codes = synthetic_countries(args.countries)
    tmp = tempfile.mkdtemp(prefix="cordiale-pq-")
    directory = Path(args.dir) if args.dir else Path(tmp) / "pq"
    start, days = date(2015, 1, 1), 3650
    rows = []
    if not (directory / "events").is_dir():
        gen_s = generate(directory, args.events, codes, start, days)
        rows.append(("generate (DuckDB SQL, one COPY a month)", f"{gen_s:.1f} s"))
    db = os.path.join(tmp, "empty.duckdb")
    t = time.perf_counter()
    with Store(db, parquet=str(directory)) as writer:
        writer.refresh_facts()  # records the files' daily counts, as an import ends by doing
    rows.append(("refresh: daily counts of every file", f"{time.perf_counter() - t:.1f} s"))
    store = Store(db, read_only=True, parquet=str(directory))
    n = store.con.execute(f"SELECT count(*) FROM {scan(directory)}").fetchone()[0]
    size = sum(p.stat().st_size for p in directory.rglob("*.parquet")) / 2**20
    files = len(list(directory.rglob("*.parquet")))
    rows.insert(0, ("store", f"{n:,} events in {files} files, {size:,.0f} MB, "
                             f"{args.countries} countries"))
    base_s, _ = timed(lambda: store.con.execute(
        f"SELECT count(*), avg(goldstein) FROM {scan(directory)}").fetchall(), args.repeat)
    rows.append(("baseline: full scan (count, avg goldstein)", f"{base_s * 1000:.0f} ms"))

    def dyad(a: str, b: str, per_event: bool = False) -> int:
        return dyad_series_of(store, a, b, per_event)

    pairs = store.con.execute(
        "SELECT dyad, count(*) FROM read_parquet(?) WHERE dyad IS NOT NULL "
        "GROUP BY dyad ORDER BY 2 DESC",
        [str(directory / "events" / f"month={start:%Y-%m}" / "*.parquet")]).fetchall()
    busy, mid = pairs[0][0].split("|"), pairs[len(pairs) // 2][0].split("|")
    load_s, busy_rows = timed(lambda: len(load_dyad_sums(store, busy[0], busy[1])), args.repeat)
    busy_s, busy_n = timed(lambda: dyad(busy[0], busy[1]), args.repeat)
    mid_s, mid_n = timed(lambda: dyad(mid[0], mid[1]), args.repeat)
    rows += [
        (f"dyad {busy[0]}-{busy[1]}: SQL sums alone ({busy_n:,} events after dedupe, "
         f"{busy_rows:,} (month, story) rows)", f"{load_s * 1000:.0f} ms"),
        (f"dyad {busy[0]}-{busy[1]} monthly series, end to end", f"{busy_s * 1000:.0f} ms"),
        (f"dyad {mid[0]}-{mid[1]} monthly series ({mid_n:,} events)", f"{mid_s * 1000:.0f} ms"),
    ]
    if args.compare:
        old_load_s, _ = timed(lambda: len(load_events(store, dyad=(busy[0], busy[1]))), 1)
        old_s, _ = timed(lambda: dyad(busy[0], busy[1], per_event=True), 1)
        rows += [(f"  per-event path: SQL load of {busy_n:,} events",
                  f"{old_load_s * 1000:.0f} ms"),
                 ("  per-event path: monthly series, end to end", f"{old_s * 1000:.0f} ms")]
    last = start + timedelta(days=days - 1)
    first = last.replace(day=1)

    pair_s, pair_rows = timed(lambda: len(load_pair_sums(store, since=first, until=last)),
                              args.repeat)
    blocs_s, (month_n, month_c) = timed(lambda: month_blocs(store, first, last), args.repeat)
    rows += [(f"blocs {first:%Y-%m}: SQL sums alone ({pair_rows:,} (story, pair) rows)",
              f"{pair_s * 1000:.0f} ms"),
             (f"blocs {first:%Y-%m} ({month_n:,} events, {month_c} countries)",
              f"{blocs_s * 1000:.0f} ms")]
    if args.compare:
        old_blocs_s, _ = timed(lambda: month_blocs(store, first, last, per_event=True), 1)
        rows.append(("  per-event path: blocs", f"{old_blocs_s * 1000:.0f} ms"))
    store.close()
    if args.commands:
        where = ["--db", db, "--parquet", str(directory)]
        for name, cmd in ((f"command: cordiale dyad {busy[0]} {busy[1]} --freq month",
                           ["dyad", busy[0], busy[1], "--freq", "month"]),
                          (f"command: cordiale blocs --period {first:%Y-%m}",
                           ["blocs", "--period", f"{first:%Y-%m}"])):
            runs = sorted(command([*cmd, *where]) for _ in range(args.repeat))
            rows.append((name, f"{runs[len(runs) // 2]:.2f} s (runs "
                               f"{', '.join(f'{r:.2f}' for r in runs)})"))
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"{k:<{width}}  {v}")
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
        if args.dir:
            shutil.rmtree(args.dir, ignore_errors=True)
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
