"""Shared fixtures: small and generic on purpose (other test modules add their own)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A DuckDB file path in a fresh temporary directory (the file does not exist yet)."""
    return tmp_path / "test.duckdb"


@pytest.fixture
def write_jsonl(tmp_path: Path) -> Callable[..., Path]:
    """Write records (dicts, or raw strings written verbatim) as a .jsonl file in tmp_path."""

    def write(records: Iterable[dict[str, Any] | str], name: str = "corpus.jsonl") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    return write


SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    """../shared, or skip: the project's suite must still run without it."""
    if not SHARED.is_dir():
        pytest.skip("../shared is absent (seed, gold sets and corpus live there)")
    return SHARED


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@contextmanager
def chromium_page(path: Path) -> Iterator[dict[str, Any]]:
    """Open a local file in headless Chromium with every request outside ``file://`` blocked.

    Yields the page with what it asked for (``requests``, ``blocked``) and what it logged
    (``console``: errors, warnings, page errors). Skips when Chromium or Playwright is absent.
    """
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="the playwright package is not installed")
    requests: list[str] = []
    blocked: list[str] = []
    console: list[str] = []

    def route(r: Any) -> None:
        requests.append(r.request.url)
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.route("**/*", route)
            page.on("console", lambda m: console.append(f"{m.type}: {m.text}")
                    if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
            page.goto(path.as_uri(), wait_until="load")
            yield {"page": page, "requests": requests, "blocked": blocked, "console": console}
        finally:
            browser.close()


@pytest.fixture(scope="session")
def parse() -> Callable[..., tuple[Any, list[Any]]]:
    """``parse(text, published=...) -> (doc, mentions)``: the real spaCy pipeline (loaded once
    per process) and the real actor resolver, for the coder's stage tests (mark them ``model``)."""
    from datetime import date

    from cordiale.config import load_settings
    from cordiale.nlp import load_nlp
    from cordiale.pipeline import actor_resolver

    nlp = load_nlp(load_settings().model)
    resolver = actor_resolver(nlp)

    def run(text: str, published: date | None = date(2023, 3, 15)) -> tuple[Any, list[Any]]:
        doc = nlp(text)
        _, mentions = resolver.resolve(doc, "stage-test", published)
        return doc, list(mentions)

    return run


@pytest.fixture(scope="session")
def samples_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's samples/ ingested once per session (read it; copy it to write)."""
    import subprocess
    import sys

    from serving import cli_env

    path = tmp_path_factory.mktemp("samples") / "samples.duckdb"
    repo = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, "-m", "cordiale.cli", "ingest", str(repo / "samples"),
                    "--db", str(path)], check=True, capture_output=True, env=cli_env(),
                   timeout=600)
    return path
