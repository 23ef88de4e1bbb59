"""Validate the UNGA agreement statistics against published ideal points and ATOP alliances.

    .venv/bin/python bench/validate_unga.py [--shared ../shared] [--n-boot 1000]

1. Imports the shared UNGA files with ``cordiale.importers.unga`` into a temporary store and
   reads them back with ``cordiale.analysis.unga.load_votes`` (the import is timed).
2. Russia–China, US–China and US–Russia per calendar year: agreement, S-score and kappa
   against the distance |ip_A − ip_B| of Bailey, Strezhnev & Voeten's ideal points
   (``idealpointall``: estimated from all roll calls, as our statistics are), Pearson and
   Spearman per dyad and pooled. A good statistic falls as the distance grows: negative r.
3. Every dyad in a few years (one matrix per year), same correlations.
4. ATOP 5.1: within each year, do dyads with a defence pact (or with any obligation) agree
   more than the others? Mean difference and AUC (the chance that a random allied dyad
   agrees more than a random non-allied one), per year, averaged per decade.

Ideal points and ATOP use Correlates of War country codes; they are mapped to cordiale's
ISO alpha-3 codes through the (ccode, iso3c) pairs of the ideal-point file, with the
historical states set to the codes the importer gives them (see ``importers/data/iso2.csv``).
Ideal points are per session (year = session + 1945); our periods are calendar years, which
put 264 of 6,203 roll calls (resumed sessions in January–August) in the next year.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy import stats

from cordiale.analysis.unga import MEASURES, agreement_matrix, load_votes, vote_agreement
from cordiale.importers.unga import import_unga
from cordiale.store import Store

HERE = Path(__file__).resolve().parent
DYADS = (("RUS", "CHN"), ("USA", "CHN"), ("USA", "RUS"))
YEARS = (1965, 1975, 1985, 1995, 2005, 2015)
MIN_VOTES = 10  # dyad-years with fewer shared roll calls are left out everywhere
# COW codes whose ideal-point iso3c differs from the code cordiale's importer uses
COW_TO_CORDIALE = {
    260: "DEU",  # German Federal Republic (DEU in the file, NULL in 1990)
    265: "DDR",  # German Democratic Republic
    315: "CZE",  # Czechoslovakia (CSK in the file): the project's successor code
    345: "SRB",  # Yugoslavia / Serbia (YUG in the file)
    678: "YEM",  # Yemen Arab Republic (YAR)
    680: "YMD",  # Yemen People's Republic (mislabelled YAR in the file)
    511: "XZN",  # Zanzibar
}


def read_csv_gz(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _num(text: str) -> float:
    return float(text) if text not in ("", "NA") else float("nan")


def ideal_points(path: Path) -> tuple[dict[tuple[str, int], float], dict[int, str]]:
    """(country, year) → ideal point, and COW ccode → cordiale code."""
    rows = read_csv_gz(path)
    cow: dict[int, str] = dict(COW_TO_CORDIALE)
    for r in rows:
        code = int(_num(r["ccode"]))
        if r["iso3c"] not in ("", "NA"):
            cow.setdefault(code, r["iso3c"])
    points: dict[tuple[str, int], tuple[float, float]] = {}
    for r in rows:
        code, year, ip = int(_num(r["ccode"])), int(_num(r["year"])), _num(r["idealpointall"])
        if code not in cow or not np.isfinite(ip):
            continue
        key = (cow[code], year)
        votes = _num(r["nvotesall"])
        if key not in points or votes > points[key][1]:  # 1990: the successor's row
            points[key] = (ip, votes)
    return {k: v[0] for k, v in points.items()}, cow


def alliances(path: Path, cow: dict[int, str]) -> tuple[set, set]:
    """(year, a, b) with a < b for dyads with a defence pact, and with any ATOP obligation."""
    defence, anything = set(), set()
    for r in read_csv_gz(path):
        a, b = cow.get(int(_num(r["ccode1"]))), cow.get(int(_num(r["ccode2"])))
        if a is None or b is None or a == b:
            continue
        key = (int(_num(r["year"])), *sorted((a, b)))
        flags = [_num(r[c]) for c in ("atop_defense", "atop_offense", "atop_neutral",
                                      "atop_nonagg", "atop_consul")]
        if flags[0] == 1:
            defence.add(key)
        if any(f == 1 for f in flags):
            anything.add(key)
    return defence, anything


def correlate(x: np.ndarray, y: np.ndarray) -> tuple[float, float, int]:
    ok = np.isfinite(x) & np.isfinite(y)
    if ok.sum() < 3:
        return float("nan"), float("nan"), int(ok.sum())
    return (float(stats.pearsonr(x[ok], y[ok])[0]), float(stats.spearmanr(x[ok], y[ok])[0]),
            int(ok.sum()))


def auc(pos: np.ndarray, neg: np.ndarray) -> float:
    """P(a random positive scores above a random negative), ties counting half."""
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    u = stats.mannwhitneyu(pos, neg, alternative="two-sided").statistic
    return float(u) / (len(pos) * len(neg))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared")
    parser.add_argument("--n-boot", type=int, default=1000)
    args = parser.parse_args(argv)
    data = args.shared / "data"
    if not (data / "un_votes.csv.gz").exists():
        print(f"no UNGA data under {data}", file=sys.stderr)
        return 2
    clock = time.perf_counter()

    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "unga.duckdb") as store:
        summary = import_unga(store, data / "un_votes.csv.gz",
                              roll_calls=data / "un_roll_calls.csv.gz",
                              issues=data / "un_roll_call_issues.csv.gz")
        frame = load_votes(store)
    print(f"import: {summary.line()}")
    print(f"loaded {len(frame):,} dated votes by {len(frame.countries())} countries\n")

    points, cow = ideal_points(data / "unga_idealpoints_2025.csv.gz")

    def distance(a: str, b: str, year: int) -> float:
        pa, pb = points.get((a, year)), points.get((b, year))
        return abs(pa - pb) if pa is not None and pb is not None else float("nan")

    # -- 1. three dyads per year ----------------------------------------------------------
    print("## Three dyads per year against ideal-point distance\n")
    print("| dyad | years | measure | Pearson r | Spearman ρ |")
    print("|---|---|---|---|---|")
    pooled: dict[str, list[float]] = defaultdict(list)
    series = {}
    for a, b in DYADS:
        rows = [r for r in vote_agreement(frame, a, b, n_boot=args.n_boot)
                if r.n >= MIN_VOTES]  # 2020 has a single January roll call
        series[(a, b)] = rows
        dist = np.array([distance(a, b, int(r.period)) for r in rows])
        pooled["distance"] += dist.tolist()
        for m in MEASURES:
            values = np.array([getattr(r, m).value for r in rows])
            pooled[m] += values.tolist()
            pr, sr, n = correlate(values, dist)
            print(f"| {a}–{b} | {n} | {m} | {pr:+.3f} | {sr:+.3f} |")
    for m in MEASURES:
        pr, sr, n = correlate(np.array(pooled[m]), np.array(pooled["distance"]))
        print(f"| pooled | {n} | {m} | {pr:+.3f} | {sr:+.3f} |")

    print("\n### Selected years (95% bootstrap intervals over roll calls)\n")
    print("| year | dyad | n | agreement | S-score | kappa | distance |")
    print("|---|---|---|---|---|---|---|")
    for year in (1960, 1975, 1985, 1995, 2005, 2015, 2019):
        for a, b in DYADS:
            row = next((r for r in series[(a, b)] if r.period == str(year)), None)
            if row is None:
                continue
            cells = [f"{e.value:.2f} [{e.low:.2f}, {e.high:.2f}]"
                     for e in (row.agreement, row.s_score, row.kappa)]
            print(f"| {year} | {a}–{b} | {row.n} | {' | '.join(cells)} | "
                  f"{distance(a, b, year):.2f} |")

    # -- 2. all dyads in chosen years ------------------------------------------------------
    print("\n## All dyads in chosen years against ideal-point distance\n")
    print("| year | dyads | agreement r / ρ | S-score r / ρ | kappa r / ρ |")
    print("|---|---|---|---|---|")
    years = sorted({int(str(d)[:4]) for d in np.unique(frame.date.astype("datetime64[Y]"))})
    matrices = {y: agreement_matrix(frame, y, min_votes=MIN_VOTES) for y in years}
    for year in YEARS:
        mat = matrices[year]
        ip = np.array([points.get((c, year), np.nan) for c in mat.countries])
        dist = np.abs(ip[:, None] - ip[None, :])
        ia, ib = np.triu_indices(len(mat.countries), k=1)
        cells = []
        for m in MEASURES:
            pr, sr, n = correlate(getattr(mat, m)[ia, ib], dist[ia, ib])
            cells.append(f"{pr:+.3f} / {sr:+.3f}")
        print(f"| {year} | {n:,} | {' | '.join(cells)} |")

    # -- 3. ATOP -------------------------------------------------------------------------
    defence, anything = alliances(data / "atop_alliance.csv.gz", cow)
    atop_last = max(y for y, _, _ in anything)
    per_year: dict[str, dict[int, tuple[float, float, int, int]]] = defaultdict(dict)
    for year in years:
        if year > atop_last:
            continue
        mat = matrices[year]
        ia, ib = np.triu_indices(len(mat.countries), k=1)
        ca, cb = mat.countries[ia], mat.countries[ib]
        for label, allied_set in (("defence", defence), ("any", anything)):
            allied = np.array([(year, x, y) in allied_set for x, y in zip(ca, cb, strict=True)])
            for m in ("agreement", "kappa"):
                values = getattr(mat, m)[ia, ib]
                ok = np.isfinite(values)
                pos, neg = values[ok & allied], values[ok & ~allied]
                if len(pos) and len(neg):
                    per_year[f"{label}/{m}"][year] = (float(pos.mean() - neg.mean()),
                                                      auc(pos, neg), len(pos), len(neg))
    print(f"\n## ATOP alliances and UNGA agreement (within-year comparisons, 1946–{atop_last})\n")
    print("Mean over the decade's years of the yearly difference (allied − not allied) "
          "and of the yearly AUC; allied dyads per year in brackets.\n")
    print("| decade | defence pact: Δ agreement | AUC | Δ kappa | AUC | any obligation: "
          "Δ agreement | AUC | Δ kappa | AUC |")
    print("|---|---|---|---|---|---|---|---|---|")
    for decade in range(1940, atop_last + 1, 10):
        cells = []
        for label in ("defence", "any"):
            for m in ("agreement", "kappa"):
                got = [v for y, v in per_year[f"{label}/{m}"].items() if decade <= y < decade + 10]
                if not got:
                    cells += ["–", "–"]
                    continue
                diff = np.mean([g[0] for g in got])
                area = np.mean([g[1] for g in got])
                allied_n = int(np.mean([g[2] for g in got]))
                cells += [f"{diff:+.3f}" + (f" ({allied_n})" if m == "agreement" else ""),
                          f"{area:.3f}"]
        print(f"| {decade}s | {' | '.join(cells)} |")
    for label in ("defence", "any"):
        for m in ("agreement", "kappa"):
            got = list(per_year[f"{label}/{m}"].values())
            above = sum(g[1] > 0.5 for g in got)
            print(f"\n{label}/{m}: AUC above 0.5 in {above} of {len(got)} years; "
                  f"mean AUC {np.mean([g[1] for g in got]):.3f}, "
                  f"mean difference {np.mean([g[0] for g in got]):+.3f}")

    # -- 4. Russia and China in that light --------------------------------------------------
    print("\n## Russia–China against all dyads of the year\n")
    print("| year | ATOP defence | ATOP any | agreement | percentile | kappa | percentile |")
    print("|---|---|---|---|---|---|---|")
    for year in (1975, 1985, 1995, 2005, 2015, 2018):
        mat = matrices[year]
        cells = []
        for m in ("agreement", "kappa"):
            value = mat.value("RUS", "CHN", m)
            _, _, allv = mat.pairs(m)
            cells += [f"{value:.3f}", f"{100 * (allv < value).mean():.0f}"]
        key = (year, "CHN", "RUS")
        print(f"| {year} | {'yes' if key in defence else 'no'} | "
              f"{'yes' if key in anything else 'no'} | {' | '.join(cells)} |")
    print(f"\ntotal {time.perf_counter() - clock:.1f}s (import {summary.seconds:.1f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
