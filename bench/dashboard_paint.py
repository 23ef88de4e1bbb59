"""First dashboard paint: Chromium's first-contentful-paint on the overview and dyad pages.

Imports the six months of ICEWS events from ../shared (325,691 events) into a temporary store
(or uses ``--db``), starts ``cordiale serve`` on a loopback port in a subprocess, and opens each
page in headless Chromium with every request outside the server blocked. For each page it
reads ``first-contentful-paint`` from the Performance API:

* ``cold``: the first load after the server starts, when the page's answer is computed (the
  dyad page runs the series with 400 bootstrap replicates, the turning points and alignment);
* ``warm``: later loads in fresh browser contexts, when the answer comes from the server's
  cache (which holds until anything is written to the store) — what an analyst clicking
  around sees. Median of ``--repeat`` loads.

The server is restarted for each cold load so each is really cold.

    python bench/dashboard_paint.py [--db FILE] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICEWS = ROOT.parent / "shared" / "data" / "icews_daily_2018-10_2019-03.tab.gz"
CHROMIUM = "/usr/bin/chromium"
PAGES = {"overview": "/", "dyad USA–CHN (month)": "/dyad/USA/CHN",
         "dyad USA–CHN (week)": "/dyad/USA/CHN?freq=week", "blocs (latest month)": "/blocs"}
FCP = """() => new Promise(done => {
  const found = performance.getEntriesByName('first-contentful-paint')[0];
  if (found) return done(found.startTime);
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) if (e.name === 'first-contentful-paint') done(e.startTime);
  }).observe({type: 'paint', buffered: true});
})"""


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


@contextmanager
def serving(db: str) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "cordiale.cli", "serve", "--db", db,
                             "--port", str(port), "--log-level", "warning"], env=env(),
                            stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/static/dashboard.css", timeout=2).close()
                break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def paint(browser: object, url: str) -> tuple[float, float]:
    """(first-contentful-paint, load event) in ms for one load in a fresh context."""
    base = url.split("/", 3)[:3]
    origin = "/".join(base)
    context = browser.new_context(viewport={"width": 1200, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(origin)
               else r.abort())
    page.goto(url, wait_until="load")
    fcp = float(page.evaluate(FCP))
    load = float(page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd"))
    context.close()
    return fcp, load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="an existing store (default: import ICEWS into a temp one)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            db = str(Path(tmp) / "icews.duckdb")
            t = time.perf_counter()
            subprocess.run([sys.executable, "-m", "cordiale.cli", "import", str(ICEWS),
                            "--format", "icews", "--db", db], env=env(), check=True,
                           capture_output=True)
            print(f"imported {ICEWS.name} in {time.perf_counter() - t:.1f} s", file=sys.stderr)
        load = os.getloadavg()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM,
                                        args=["--no-sandbox", "--disable-gpu"])
            print("| page | cold FCP | cold load | warm FCP (median) | warm load (median) |")
            print("|---|---|---|---|---|")
            for name, path in PAGES.items():
                with serving(db) as base:
                    cold = paint(browser, base + path)
                    warm = [paint(browser, base + path) for _ in range(args.repeat)]
                print(f"| {name} | {cold[0]:.0f} ms | {cold[1]:.0f} ms | "
                      f"{statistics.median(w[0] for w in warm):.0f} ms | "
                      f"{statistics.median(w[1] for w in warm):.0f} ms |")
            browser.close()
        print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; after: "
              + " ".join(f"{x:.2f}" for x in os.getloadavg()), file=sys.stderr)


if __name__ == "__main__":
    main()
