"""Analysis at scale: a monthly dyad series and one month's blocs over a 10-million-event store.

Fills a DuckDB store with synthetic events among 200 countries over ten years (planted blocs,
skewed activity; :mod:`cordiale.analysis.synthetic`), then times, in this process:

- the baseline: one full scan of the events table (``count(*)``, ``avg(goldstein)``), so the
  figures can be read as multiples of what DuckDB needs just to touch every row;
- ``cordiale dyad A B --freq month`` end to end minus process start (the dyad's events
  deduplicated and summed per story and month, :func:`cordiale.analysis.sums.load_dyad_sums`;
  store-wide monthly totals, warmth with 400 bootstrap replicates, quad shares, trend) for
  the busiest dyad and for a mid-table dyad;
- ``cordiale blocs`` for one month (events summed per story and pair, signed matrix, Leiden
  partition, axis with its bootstrap, structural balance against shuffled signs).

``--compare`` also times the per-event path the analyses took before
(:func:`~cordiale.analysis.frame.load_events`, every deduplicated event pulled into Python).

Each figure is the median of ``--repeat`` runs. Usage::

    python bench/analysis_scale.py                  # 10M events in a temporary store
    python bench/analysis_scale.py --events 1000000 --db /tmp/scale.duckdb --keep
"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as the CLI does; see cordiale/cli/__init__.py
import statistics
import sys
import tempfile
import time
from datetime import date

from cordiale.analysis.blocs import blocs
from cordiale.analysis.frame import load_events, period_totals
from cordiale.analysis.series import Bootstrap, dyad_series, quad_shares, trend
from cordiale.analysis.sums import load_dyad_sums, load_pair_sums
from cordiale.analysis.synthetic import fill_store, synthetic_countries
from cordiale.store import Store


def timed(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def dyad_series_of(store: Store, a: str, b: str, per_event: bool = False) -> int:
    """The busiest-dyad measurement: the monthly series end to end (sums or, ``per_event``,
    every deduplicated event; store-wide totals, warmth with 400 replicates, quad shares,
    trend), as ``cordiale dyad`` computes it; the events it counted."""
    data = (load_events(store, dyad=(a, b)) if per_event
            else load_dyad_sums(store, a, b, freq="month"))
    totals = period_totals(store, "month")
    series = dyad_series(data, a, b, freq="month", totals=totals, boot=Bootstrap(400))
    quad_shares(data, a, b, freq="month")
    trend(series)
    return int(series.n.sum())


def month_blocs(store: Store, first: date, last: date, per_event: bool = False
                ) -> tuple[int, int]:
    """One month's blocs as ``cordiale blocs`` computes them: (events, countries)."""
    data = (load_events(store, since=first, until=last) if per_event
            else load_pair_sums(store, since=first, until=last))
    report = blocs(data, since=first, until=last, anchor="USA")
    events = len(data) if per_event else int(data.n.sum())  # type: ignore[union-attr]
    return events, len(report.rows())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--events", type=int, default=10_000_000)
    ap.add_argument("--countries", type=int, default=200)
    ap.add_argument("--db", help="store path (default: a temporary file)")
    ap.add_argument("--keep", action="store_true", help="keep the store afterwards")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--compare", action="store_true",
                    help="also time the per-event path (busiest dyad, blocs)")
    args = ap.parse_args()

    codes = synthetic_countries(args.countries)
    tmp = None
    if args.db:
        path = args.db
    else:
        tmp = tempfile.mkdtemp(prefix="cordiale-scale-")
        path = os.path.join(tmp, "scale.duckdb")
    store = Store(path)
    have = store.counts()["events"]
    if have < args.events:
        t = time.perf_counter()
        fill_store(store, args.events - have, codes)
        fill_s = time.perf_counter() - t
        print(f"filled {args.events - have:,} events in {fill_s:.1f} s", file=sys.stderr)
    n = store.counts()["events"]
    size_mb = os.path.getsize(path) / 2**20

    base_s, _ = timed(lambda: store.con.execute(
        "SELECT count(*), avg(goldstein) FROM events").fetchall(), args.repeat)

    def dyad(a: str, b: str, per_event: bool = False) -> int:
        return dyad_series_of(store, a, b, per_event)

    pairs = store.con.execute(
        "SELECT least(source_country, target_country) a, greatest(source_country, "
        "target_country) b, count(*) n FROM events GROUP BY ALL ORDER BY n DESC").fetchall()
    busy = pairs[0]
    mid = pairs[len(pairs) // 2]
    busy_s, busy_n = timed(lambda: dyad(busy[0], busy[1]), args.repeat)
    mid_s, mid_n = timed(lambda: dyad(mid[0], mid[1]), args.repeat)

    rows = [
        ("store", f"{n:,} events, {args.countries} countries, {size_mb:,.0f} MB"),
        ("baseline full scan", f"{base_s * 1000:.0f} ms"),
        (f"dyad {busy[0]}-{busy[1]} monthly ({busy_n:,} events after dedupe)",
         f"{busy_s * 1000:.0f} ms ({busy_s / base_s:.1f}× the scan)"),
        (f"dyad {mid[0]}-{mid[1]} monthly ({mid_n:,} events)",
         f"{mid_s * 1000:.0f} ms ({mid_s / base_s:.1f}× the scan)"),
    ]
    if args.compare:
        old_s, _ = timed(lambda: dyad(busy[0], busy[1], per_event=True), args.repeat)
        rows.append(("  per-event path: busiest dyad", f"{old_s * 1000:.0f} ms"))
    last = store.con.execute("SELECT max(event_date) FROM events").fetchone()[0]
    first = date(last.year, last.month, 1)
    blocs_s, (month_n, month_c) = timed(lambda: month_blocs(store, first, last),
                                        max(1, args.repeat // 2))
    rows.append((f"blocs {first:%Y-%m} ({month_n:,} events, {month_c} countries)",
                 f"{blocs_s * 1000:.0f} ms ({blocs_s / base_s:.1f}× the scan)"))
    if args.compare:
        old_blocs_s, _ = timed(lambda: month_blocs(store, first, last, per_event=True),
                               max(1, args.repeat // 2))
        rows.append(("  per-event path: blocs", f"{old_blocs_s * 1000:.0f} ms"))
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"{k:<{width}}  {v}")
    store.close()
    if tmp and not args.keep:
        for name in os.listdir(tmp):
            os.remove(os.path.join(tmp, name))
        os.rmdir(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
