"""Ingest on local process workers: the speed-up of two over one, memory per worker, and
memory over a long synthetic run (issue 12).

``scaling``: the same 1,000 articles (the ../shared corpus, each article also with its
paragraphs in rotated orders until there are enough) through ``ingest`` on a local Dask cluster
of one worker and of two, alternating, each run in a child process and a fresh database, the
workers started and the model loaded before the clock starts. Reports documents per second,
the ratio, and the peak RSS of every worker and of the client.

``memory``: synthetic documents (short news-like texts composed here from the project's own
gazetteer, agent words and verb lexicon; no sentence is copied) through the two-worker path,
sampling the client's and each worker's RSS every ``--every`` documents. Reports the series
and the growth after the first sample.

    python bench/workers.py scaling [--docs 1000] [--rounds 1]
    python bench/workers.py memory [--docs 100000] [--every 1000]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILE_DOCS = 10_000  # synthetic documents per corpus file
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus" / "guardian_syria_2017_2019.jsonl"


def _rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_s() -> float:
    """CPU seconds this process has used (user + system)."""
    times = os.times()
    return times.user + times.system


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# -- the 1,000 articles -----------------------------------------------------------------------
def articles(corpus: Path, n: int) -> Iterator[dict]:
    """``n`` distinct articles: the corpus, then the corpus again with each article's
    paragraphs (else sentences) rotated by one, two, ... places, under new ids."""
    base = [json.loads(line) for line in corpus.open(encoding="utf-8") if line.strip()]
    made = 0
    turn = 0
    while made < n:
        for record in base:
            if made >= n:
                return
            text = record["text"]
            if turn:
                parts = [p for p in text.split("\n") if p.strip()]
                if len(parts) < 3:
                    parts = text.split(". ")
                k = turn % len(parts)
                text = ("\n" if "\n" in text else ". ").join(parts[k:] + parts[:k])
            yield {"id": f"{record.get('id', made)}-r{turn}", "text": text,
                   "date": record.get("date") or record.get("published")}
            made += 1
        turn += 1


def phase_scaling(corpus: Path, workers: int) -> dict:
    from cordiale.config import load_settings
    from cordiale.distributed import DaskEngine, open_engine
    from cordiale.pipeline import ingest

    settings = load_settings()
    with tempfile.TemporaryDirectory() as tmp, open_engine(settings, workers=workers) as engine:
        db = os.path.join(tmp, "bench.duckdb")
        assert isinstance(engine, DaskEngine)
        cpu = _cpu_s(), sum(engine.client.run(_cpu_s).values())
        start = time.perf_counter()
        summary = ingest([corpus], db=db, settings=settings.with_(db=db), engine=engine,
                         progress=False)
        seconds = time.perf_counter() - start
        worker_peaks = sorted(engine.client.run(_peak_mb).values())
        client_cpu = _cpu_s() - cpu[0]
        worker_cpu = sum(engine.client.run(_cpu_s).values()) - cpu[1]
    return {"workers": workers, "docs": summary.new, "failed": summary.failed,
            "events": summary.events, "seconds": seconds,
            "client_cpu_s": round(client_cpu, 2), "worker_cpu_s": round(worker_cpu, 2),
            "docs_per_s": summary.new / seconds, "worker_peak_mb": worker_peaks,
            "client_peak_mb": _peak_mb()}


def scaling(args: argparse.Namespace) -> dict:
    if not args.corpus.exists():
        raise SystemExit(f"corpus not found: {args.corpus} (it lives in ../shared/corpus)")
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "articles.jsonl"
        with corpus.open("w", encoding="utf-8") as out:
            for record in articles(args.corpus, args.docs):
                out.write(json.dumps(record) + "\n")
        runs: dict[int, list[dict]] = {1: [], 2: []}
        load_before = _load()
        for _ in range(args.rounds):
            for workers in (1, 2):
                result = _child("scaling-phase", "--corpus", str(corpus),
                                "--workers", str(workers))
                runs[workers].append(result)
                print(f"{workers} worker(s): {result['docs']} docs in {result['seconds']:.1f}s "
                      f"({result['docs_per_s']:.2f}/s), worker peak "
                      f"{max(result['worker_peak_mb']):.0f} MB", file=sys.stderr)
    best = {w: min(rs, key=lambda r: r["seconds"]) for w, rs in runs.items()}
    return {
        "docs": best[1]["docs"],
        "one_worker_docs_per_s": round(best[1]["docs_per_s"], 2),
        "two_workers_docs_per_s": round(best[2]["docs_per_s"], 2),
        "ratio": round(best[1]["seconds"] / best[2]["seconds"], 3),
        "ratio_per_round": [round(a["seconds"] / b["seconds"], 3)
                            for a, b in zip(runs[1], runs[2], strict=True)],
        "worker_peak_mb": round(max(max(r["worker_peak_mb"]) for rs in runs.values()
                                    for r in rs)),
        "client_peak_mb": round(max(r["client_peak_mb"] for rs in runs.values() for r in rs)),
        "events": best[2]["events"],
        # how many workers one client can feed: worker CPU per document over the client's
        "client_cpu_share": round(best[2]["client_cpu_s"] / best[2]["worker_cpu_s"], 4),
        "rounds": args.rounds,
        "load_before": load_before,
        "load_after": _load(),
    }


# -- synthetic documents ----------------------------------------------------------------------
def _rows(package: str, name: str) -> list[dict[str, str]]:
    text = resources.files(package).joinpath("data", name).read_text("utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


class Newsroom:
    """Short news-like texts composed from the project's own vocabulary: country names,
    capitals and demonyms from the gazetteer, agent words, and verb lemmas with their objects
    and prepositions from the lexicon. A variable word in every few words, so no long span is
    shared by all texts (which would put them all in one near-duplicate bucket)."""

    WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")
    REACTIONS = ("welcomed", "criticized", "rejected", "praised", "questioned", "condemned",
                 "supported", "dismissed", "noted", "opposed")
    TOPICS = ("trade", "border security", "fishing rights", "energy prices", "migration",
              "grain exports", "water sharing", "arms control", "debt relief", "air routes",
              "port access", "tariffs", "refugees", "sanctions", "power lines", "climate aid")
    SPEAKERS = ("officials", "diplomats", "a spokesman", "a spokeswoman", "the ministry",
                "aides", "state media", "lawmakers", "analysts", "envoys")

    def __init__(self, seed: int = 20211124) -> None:
        self.rng = random.Random(seed)
        self.countries = [r for r in _rows("cordiale.actors", "countries.csv")
                          if r["capital"] and r["demonyms"]]
        self.agents = sorted({r["term"] for r in _rows("cordiale.actors", "agents.csv")
                              if r["term"].isalpha() and r["term"].islower()
                              and not r["term"].endswith("s")})
        self.verbs = [r for r in _rows("cordiale.events", "verbs.csv")
                      if r["lemma"] != "*" and r["lemma"].replace(" ", "").isalpha()]

    def text(self) -> str:
        r = self.rng
        a, b = r.sample(self.countries, 2)
        verb = r.choice(self.verbs)
        phrase = verb["lemma"]
        if verb["object"]:
            phrase += " " + r.choice(verb["object"].split("|"))
        prep = r.choice(verb["prep"].split("|")) if verb["prep"] else r.choice(["with", "", ""])
        dem_a = a["demonyms"].split("|")[0]
        dem_b = b["demonyms"].split("|")[0]
        lead = [
            f"{a['name']} will {phrase} {prep} {b['name']}, {r.choice(self.SPEAKERS)} in "
            f"{a['capital']} said on {r.choice(self.WEEKDAYS)}.",
            f"The {dem_a} {r.choice(self.agents)} plans to {phrase} {prep} {b['name']} "
            f"before {r.choice(self.MONTHS)}, {r.choice(self.SPEAKERS)} said.",
            f"On {r.choice(self.WEEKDAYS)} {r.choice(self.SPEAKERS)} in {a['capital']} said "
            f"{a['name']} would {phrase} {prep} the {dem_b} {r.choice(self.agents)}.",
        ]
        follow = [
            f"The {dem_b} {r.choice(self.agents)} in {b['capital']} {r.choice(self.REACTIONS)} "
            f"the move on {r.choice(self.WEEKDAYS)}.",
            f"{b['name']} {r.choice(self.REACTIONS)} the plan, {r.choice(self.SPEAKERS)} in "
            f"{b['capital']} told reporters.",
            f"{r.choice(self.SPEAKERS).capitalize()} in {b['capital']} "
            f"{r.choice(self.REACTIONS)} it within hours.",
        ]
        close = [
            f"Talks on {r.choice(self.TOPICS)} resume in {r.choice(self.MONTHS)} after "
            f"{r.randint(2, 30)} rounds.",
            f"{a['name']} and {b['name']} last met over {r.choice(self.TOPICS)} in "
            f"{r.randint(2005, 2024)}.",
            f"{r.choice(self.SPEAKERS).capitalize()} expect {r.choice(self.TOPICS)} to "
            f"dominate {r.choice(self.MONTHS)} talks.",
        ]
        parts = [r.choice(lead), r.choice(follow)]
        if r.random() < 0.7:
            parts.append(r.choice(close))
        return " ".join(" ".join(p.split()) for p in parts)


def phase_memory(corpus: Path, every: int) -> dict:
    from cordiale.config import load_settings
    from cordiale.distributed import DaskEngine, open_engine
    from cordiale.pipeline import IngestSummary, ingest

    settings = load_settings()
    series: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp, open_engine(settings, workers=2) as engine:
        assert isinstance(engine, DaskEngine)
        client = engine.client
        db = os.path.join(tmp, "bench.duckdb")
        next_sample = every

        def sample(summary: IngestSummary) -> None:
            nonlocal next_sample
            done = summary.new + summary.present + summary.failed
            if done < next_sample:
                return
            next_sample += every
            workers = sorted(client.run(_rss_mb).values())
            series.append({"docs": done, "client_mb": round(_rss_mb(), 1),
                           "workers_mb": [round(w, 1) for w in workers],
                           "seconds": round(time.perf_counter() - start, 1)})
            print(json.dumps(series[-1]), file=sys.stderr, flush=True)

        cpu = _cpu_s(), sum(client.run(_cpu_s).values())
        start = time.perf_counter()
        summary = ingest([corpus], db=db, settings=settings.with_(db=db), engine=engine,
                         progress=False, on_commit=sample)
        seconds = time.perf_counter() - start
        worker_peaks = sorted(client.run(_peak_mb).values())
        client_cpu = _cpu_s() - cpu[0]
        worker_cpu = sum(client.run(_cpu_s).values()) - cpu[1]
    return {"docs": summary.new, "present": summary.present, "failed": summary.failed,
            "duplicates": summary.duplicates, "events": summary.events,
            "seconds": round(seconds, 1), "docs_per_s": round(summary.new / seconds, 2),
            "client_cpu_s": round(client_cpu, 1), "worker_cpu_s": round(worker_cpu, 1),
            "series": series,
            "worker_peak_mb": [round(p) for p in worker_peaks], "client_peak_mb": _peak_mb()}


def memory(args: argparse.Namespace) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        # files of FILE_DOCS documents in one directory: one file of 100,000 would be over the
        # reader's max_bytes (20 MB) and refused whole
        corpus = Path(tmp) / "synthetic"
        corpus.mkdir()
        room = Newsroom()
        for start in range(0, args.docs, FILE_DOCS):
            part = corpus / f"part-{start // FILE_DOCS:05d}.jsonl"
            with part.open("w", encoding="utf-8") as out:
                for i in range(start, min(start + FILE_DOCS, args.docs)):
                    out.write(json.dumps({"id": f"syn-{i:07d}", "text": room.text(),
                                          "date": f"20{15 + i % 10}-{1 + i % 12:02d}-15"})
                              + "\n")
        load_before = _load()
        result = _child("memory-phase", "--corpus", str(corpus), "--every", str(args.every))
    if result["failed"] or result["docs"] + result["present"] < args.docs:
        raise SystemExit(f"only {result['docs']} of {args.docs} documents stored "
                         f"({result['failed']} failed): the run measured nothing useful")
    result.update(growth(result["series"], after=args.after))
    result["load_before"], result["load_after"] = load_before, _load()
    return result


def slope(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """Least-squares slope of ``ys`` over ``xs`` and its standard error."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    resid = sum((y - my - b * (x - mx)) ** 2 for x, y in zip(xs, ys, strict=True))
    se = (resid / (n - 2) / sxx) ** 0.5 if n > 2 else float("nan")
    return b, se


def growth(series: list[dict], after: int = 1000) -> dict:
    """Growth of the client's and each worker's RSS over the samples at ``after`` documents
    or more: first to last, and the least-squares slope per 10,000 documents with its
    standard error and the residual spread (the RSS noise the slope is read against)."""
    kept = [s for s in series if s["docs"] >= after]
    if len(kept) < 3:
        return {}
    xs = [s["docs"] / 10_000 for s in kept]
    lines = {"client": [s["client_mb"] for s in kept]}
    for w in range(len(kept[0]["workers_mb"])):
        lines[f"worker {w + 1}"] = [s["workers_mb"][w] for s in kept]
    out: dict = {"measured_from": kept[0]["docs"], "samples": len(kept), "slopes": {}}
    for name, ys in lines.items():
        b, se = slope(xs, ys)
        out["slopes"][name] = {"mb_per_10k_docs": round(b, 3), "stderr": round(se, 3),
                               "first_to_last_mb": round(ys[-1] - ys[0], 1),
                               "min_mb": min(ys), "max_mb": max(ys)}
        print(f"{name}: {b:+.2f} ± {se:.2f} MB per 10,000 documents "
              f"({ys[0]:.0f} → {ys[-1]:.0f} MB, {min(ys):.0f}–{max(ys):.0f})", file=sys.stderr)
    return out


def _child(*argv: str) -> dict:
    out = subprocess.run([sys.executable, __file__, *argv], check=True, stdout=subprocess.PIPE,
                         text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    p = sub.add_parser("scaling", help="one against two local workers on the same articles")
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    p.add_argument("--docs", type=int, default=1000)
    p.add_argument("--rounds", type=int, default=1)
    p = sub.add_parser("memory", help="RSS over a long synthetic run on two workers")
    p.add_argument("--docs", type=int, default=100_000)
    p.add_argument("--every", type=int, default=1000)
    p.add_argument("--after", type=int, default=1000,
                   help="fit the growth over samples at this many documents or more")
    p = sub.add_parser("scaling-phase")
    p.add_argument("--corpus", type=Path, required=True)
    p.add_argument("--workers", type=int, required=True)
    p = sub.add_parser("memory-phase")
    p.add_argument("--corpus", type=Path, required=True)
    p.add_argument("--every", type=int, required=True)
    args = parser.parse_args()
    if args.what == "scaling-phase":
        result = phase_scaling(args.corpus, args.workers)
    elif args.what == "memory-phase":
        result = phase_memory(args.corpus, args.every)
    elif args.what == "scaling":
        result = scaling(args)
    else:
        result = memory(args)
    print(json.dumps(result, indent=None if args.what.endswith("-phase") else 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
