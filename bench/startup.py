"""What the knowledge files add to start-up: the verb lexicon (project rows + PETRARCH-2
dictionary), the gazetteer and leaders table, and the resolver built on them.

Each phase runs in a fresh child process, alternating for --rounds rounds:
- ``model``: import cordiale and load the spaCy model (what any command needs anyway);
- ``knowledge``: the same, then build the event coder and the actor resolver (lexicon,
  dictionary, gazetteer, leaders, agent and place tables) and code one sentence.
The figure is the median difference: seconds the knowledge adds to a cold start.

    python bench/startup.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time


def phase(which: str) -> dict:
    start = time.perf_counter()
    from cordiale.config import load_settings
    from cordiale.nlp import load_nlp

    nlp = load_nlp(load_settings().model)
    loaded = time.perf_counter()
    out = {"model_s": loaded - start}
    if which == "knowledge":
        from cordiale.pipeline import actor_resolver, event_coder

        t = time.perf_counter()
        coder = event_coder("main")
        out["coder_s"] = time.perf_counter() - t
        t = time.perf_counter()
        resolver = actor_resolver(nlp)
        out["resolver_s"] = time.perf_counter() - t
        doc = nlp("The envoy called for a ceasefire in the valley on Tuesday.")
        _, mentions = resolver.resolve(doc, "bench", None)
        coder.code(doc, mentions, "bench")
    out["total_s"] = time.perf_counter() - start
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--phase", choices=["model", "knowledge"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase)))
        return
    runs: dict[str, list[dict]] = {"model": [], "knowledge": []}
    for _ in range(args.rounds):
        for which in runs:
            result = subprocess.run([sys.executable, __file__, "--phase", which], check=True,
                                    capture_output=True, text=True)
            runs[which].append(json.loads(result.stdout.strip().splitlines()[-1]))
    model = statistics.median(r["total_s"] for r in runs["model"])
    knowledge = statistics.median(r["total_s"] for r in runs["knowledge"])
    coder = statistics.median(r["coder_s"] for r in runs["knowledge"])
    resolver = statistics.median(r["resolver_s"] for r in runs["knowledge"])
    print(f"rounds: {args.rounds}")
    print(f"model only (import + spaCy load): median {model:.2f} s")
    print(f"model + coder + resolver: median {knowledge:.2f} s")
    print(f"  coder (lexicon + PETRARCH-2 dictionary): median {coder:.2f} s")
    print(f"  resolver (gazetteer, leaders, agents, places): median {resolver:.2f} s")
    print(f"knowledge adds: {knowledge - model:.2f} s to a cold start (target <= 2 s)")


if __name__ == "__main__":
    main()
