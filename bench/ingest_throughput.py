"""Throughput of the full `cordiale ingest` against bare spaCy `nlp.pipe`, same texts, same model.

Each phase runs in its own child process (so peak memory is that phase's own), alternating
spaCy / ingest for --rounds rounds; the model is loaded before the clock starts in both. The
ingest phase is the real thing: reading the JSONL, hashing, NLP, actor resolution, near-duplicate
detection and DuckDB writes into a fresh file.

    python bench/ingest_throughput.py [--corpus ../shared/corpus/guardian_syria_2017_2019.jsonl]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus" / "guardian_syria_2017_2019.jsonl"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase_spacy(corpus: Path, batch_size: int) -> dict:
    import spacy

    from cordiale.config import load_settings
    from cordiale.nlp import model_name

    nlp = spacy.load(model_name(load_settings().model))  # bare: none of cordiale's additions
    texts = [json.loads(line)["text"] for line in corpus.open(encoding="utf-8") if line.strip()]
    start = time.perf_counter()
    words = 0
    for doc in nlp.pipe(texts, batch_size=batch_size):
        words += sum(1 for t in doc if not (t.is_punct or t.is_space))
    seconds = time.perf_counter() - start
    return {"phase": "spacy", "docs": len(texts), "words": words, "seconds": seconds,
            "peak_mb": _peak_mb()}


def phase_ingest(corpus: Path, batch_size: int) -> dict:
    from cordiale.config import load_settings
    from cordiale.nlp import load_nlp
    from cordiale.pipeline import ingest

    settings = load_settings(batch_size=batch_size)
    load_nlp(settings.model)
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "bench.duckdb")
        start = time.perf_counter()
        summary = ingest([corpus], db=db, settings=settings.with_(db=db), progress=False)
        seconds = time.perf_counter() - start
    return {"phase": "ingest", "docs": summary.new, "words": summary.words, "seconds": seconds,
            "mentions": summary.mentions, "events": summary.events, "failed": summary.failed,
            "peak_mb": _peak_mb()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--phase", choices=["spacy", "ingest"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.corpus.exists():
        print(f"corpus not found: {args.corpus} (it lives in ../shared/corpus)", file=sys.stderr)
        return 2
    if args.phase:
        fn = phase_spacy if args.phase == "spacy" else phase_ingest
        print(json.dumps(fn(args.corpus, args.batch_size)))
        return 0
    results: dict[str, list[dict]] = {"spacy": [], "ingest": []}
    for _ in range(args.rounds):
        for phase in ("spacy", "ingest"):
            out = subprocess.run(
                [sys.executable, __file__, "--phase", phase, "--corpus", str(args.corpus),
                 "--batch-size", str(args.batch_size)],
                check=True, capture_output=True, text=True,
            ).stdout
            result = json.loads(out.strip().splitlines()[-1])
            results[phase].append(result)
            print(f"{phase:6s} {result['docs']} docs {result['words']} words "
                  f"{result['seconds']:.2f}s peak {result['peak_mb']:.0f} MB", file=sys.stderr)
    best = {k: min(v, key=lambda r: r["seconds"]) for k, v in results.items()}
    s, i = best["spacy"], best["ingest"]
    summary = {
        "corpus": args.corpus.name,
        "docs": i["docs"],
        "words": i["words"],
        "spacy_docs_per_s": round(s["docs"] / s["seconds"], 2),
        "spacy_words_per_s": round(s["words"] / s["seconds"]),
        "ingest_docs_per_s": round(i["docs"] / i["seconds"], 2),
        "ingest_words_per_s": round(i["words"] / i["seconds"]),
        "ratio": round(s["seconds"] / i["seconds"], 3),
        "ingest_peak_mb": round(max(r["peak_mb"] for r in results["ingest"])),
        "spacy_peak_mb": round(max(r["peak_mb"] for r in results["spacy"])),
        "mentions": i.get("mentions"),
        "events": i.get("events"),
        "rounds": args.rounds,
    }
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
