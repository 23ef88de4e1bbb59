"""Requests per second and latency of ``cordiale serve`` on loopback.

Starts ``cordiale serve`` on a store (by default one built from the 325,691 ICEWS events of
``../shared/data/icews_daily_2018-10_2019-03.tab.gz`` when --db does not exist), then for
each endpoint: the cold first answer (nothing cached), and --requests requests from
--clients concurrent client threads after a warm-up. The clients run on the same machine
as the server (two cores shared), so the figures are a floor for the server itself.

    python bench/serve_speed.py --db /tmp/icews.duckdb [--requests 2000] [--clients 4]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
ICEWS = REPO.parent / "shared" / "data" / "icews_daily_2018-10_2019-03.tab.gz"
ENDPOINTS = ["/api/events", "/api/dyad/USA/CHN"]


def build(db: Path) -> None:
    print(f"importing {ICEWS} into {db} ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "cordiale.cli", "import", str(ICEWS), "--format",
                    "icews", "--db", str(db)], check=True, env=_env())


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(base: str, path: str, requests: int, clients: int) -> dict[str, float]:
    latencies: list[float] = []
    lock = threading.Lock()
    per_client = requests // clients
    errors = 0

    def worker() -> None:
        nonlocal errors
        mine = []
        with httpx.Client(base_url=base, timeout=60) as c:
            for _ in range(per_client):
                t = time.perf_counter()
                r = c.get(path)
                mine.append(time.perf_counter() - t)
                if r.status_code != 200:
                    errors += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    latencies.sort()
    return {"requests": len(latencies), "errors": errors,
            "req_per_s": round(len(latencies) / wall, 1),
            "p50_ms": round(1000 * statistics.median(latencies), 2),
            "p99_ms": round(1000 * latencies[int(0.99 * (len(latencies) - 1))], 2)}


def walk(base: str, pages: int) -> dict[str, float]:
    latencies = []
    cursor = httpx.get(base + "/api/events").json()["next_cursor"]
    with httpx.Client(base_url=base, timeout=60) as c:
        for _ in range(pages):
            t = time.perf_counter()
            cursor = c.get("/api/events", params={"cursor": cursor}).json()["next_cursor"]
            latencies.append(time.perf_counter() - t)
    latencies.sort()
    return {"pages": pages, "p50_ms": round(1000 * statistics.median(latencies), 1),
            "max_ms": round(1000 * latencies[-1], 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=Path("/tmp/cordiale-icews-bench.duckdb"))
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--clients", type=int, default=4)
    args = ap.parse_args()
    if not args.db.exists():
        build(args.db)
    port = _port()
    proc = subprocess.Popen([sys.executable, "-m", "cordiale.cli", "serve", "--db",
                             str(args.db), "--port", str(port), "--log-level", "warning"],
                            env=_env())
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(base + "/openapi.json", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        out = {}
        for path in ENDPOINTS:
            t = time.perf_counter()
            r = httpx.get(base + path, timeout=600)
            cold = time.perf_counter() - t
            assert r.status_code == 200, r.text[:300]
            run(base, path, min(50, args.requests), 2)  # warm-up
            out[path] = {"cold_first_ms": round(1000 * cold, 1),
                         **run(base, path, args.requests, args.clients)}
        # walking pages: each next page is a new question (answered once, then cached)
        out["/api/events walking 30 pages (uncached, 1 client)"] = walk(base, 30)
        print(json.dumps({"db": str(args.db), "clients": args.clients, **out}, indent=2))
    finally:
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
