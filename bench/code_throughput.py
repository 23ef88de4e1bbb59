"""`cordiale code` on 1,000 news sentences: sentences per second, against bare spaCy.

The sentences are the first 1,000 (of 8+ words) from ../shared/corpus, split with a plain
regular expression and written one per JSONL line, as a user would feed single sentences.
Phases run in child processes, alternating; the model loads before the clock starts. The
"cli" figure runs the real command end to end (model load included) and reads the rate it
reports on standard error.

    python bench/code_throughput.py [--sentences 1000] [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "shared" / "corpus" / "guardian_syria_2017_2019.jsonl"


def sentences(n: int) -> list[dict]:
    out = []
    for line in CORPUS.open(encoding="utf-8"):
        row = json.loads(line)
        for i, s in enumerate(re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", row["text"])):
            if len(s.split()) >= 8:
                out.append({"id": f"{row['id']}-{i}", "text": s.strip(), "date": row.get("date")})
                if len(out) == n:
                    return out
    return out


def phase(kind: str, path: Path) -> dict:
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    if kind == "spacy":
        import spacy

        from cordiale.config import load_settings
        from cordiale.nlp import model_name

        nlp = spacy.load(model_name(load_settings().model))
        start = time.perf_counter()
        for _ in nlp.pipe([r["text"] for r in rows], batch_size=64):
            pass
        return {"phase": kind, "sentences": len(rows), "seconds": time.perf_counter() - start}
    from cordiale.config import load_settings
    from cordiale.ingest import read_inputs
    from cordiale.nlp import load_nlp
    from cordiale.pipeline import process_documents

    settings = load_settings(batch_size=64)
    load_nlp(settings.model)
    start = time.perf_counter()
    docs = [d for d in read_inputs([path]) if not hasattr(d, "reason")]
    events = sents = 0
    for item in process_documents(docs, settings):
        sents += len(getattr(item, "sentences", ()))
        events += len(getattr(item, "events", ()))
    return {"phase": kind, "sentences": len(rows), "spacy_sentences": sents, "events": events,
            "seconds": time.perf_counter() - start}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--phase", choices=["spacy", "code"], help=argparse.SUPPRESS)
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, args.input)))
        return 0
    if not CORPUS.exists():
        print(f"corpus not found: {CORPUS}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sentences.jsonl"
        rows = sentences(args.sentences)
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        results: dict[str, list[dict]] = {"spacy": [], "code": []}
        for _ in range(args.rounds):
            for kind in ("spacy", "code"):
                out = subprocess.run([sys.executable, __file__, "--phase", kind, "--input",
                                      str(path)], check=True, capture_output=True, text=True)
                results[kind].append(json.loads(out.stdout.strip().splitlines()[-1]))
        started = time.perf_counter()
        cli = subprocess.run([str(Path(sys.executable).parent / "cordiale"), "code", str(path)],
                             check=True, capture_output=True, text=True)
        wall = time.perf_counter() - started
    reported = re.search(r"\(([\d.]+) sentences/s\)", cli.stderr)
    best = {k: min(v, key=lambda r: r["seconds"]) for k, v in results.items()}
    summary = {
        "sentences": len(rows),
        "spacy_sentences_per_s": round(best["spacy"]["sentences"] / best["spacy"]["seconds"], 1),
        "code_sentences_per_s": round(best["code"]["sentences"] / best["code"]["seconds"], 1),
        "ratio": round(best["spacy"]["seconds"] / best["code"]["seconds"], 3),
        "events": best["code"]["events"],
        "cli_reported_sentences_per_s": float(reported[1]) if reported else None,
        "cli_wall_seconds_with_model_load": round(wall, 1),
        "rounds": args.rounds,
    }
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
