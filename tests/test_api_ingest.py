"""Ingest over HTTP: ``POST /api/ingest`` on a real server started with --allow-writes, through
the same pipeline as ``cordiale ingest``. Documents written for these tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from serving import cordiale, running_server

pytestmark = pytest.mark.model

TOKEN = "ingest-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

DOCS = [
    {"id": "api-1", "title": "Talks", "published": "2024-03-05", "source": "Test Wire",
     "text": "The Chilean foreign minister met the Peruvian president in Lima on Monday."},
    {"id": "api-2", "published": "2024-03-06",
     "text": "Brazil lifted sanctions imposed on Venezuela last year."},
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    db = tmp_path_factory.mktemp("api-ingest") / "ingest.duckdb"
    cordiale("ingest", str(Path(__file__).resolve().parent.parent / "samples" / "wire.csv"),
             "--db", str(db), "-q")
    with running_server(db, "--allow-writes", token=TOKEN) as url:
        yield url, db


def test_ingest_needs_the_token_and_a_writable_server(server, tmp_path: Path) -> None:
    url, _db = server
    with httpx.Client(base_url=url, timeout=120) as c:
        r = c.post("/api/ingest", json={"documents": DOCS})
        assert r.status_code == 401
        r = c.post("/api/ingest", json={"documents": DOCS},
                   headers={"Authorization": "Bearer wrong"})
        assert r.status_code == 403


def test_documents_posted_are_stored_once_with_their_events(server) -> None:
    url, _db = server
    with httpx.Client(base_url=url, timeout=300) as c:
        before = c.get("/api/events", params={"limit": 1}).json()["total"]
        r = c.post("/api/ingest", json={"documents": DOCS}, headers=AUTH)
        assert r.status_code == 200, r.text
        out = r.json()
        assert out["new"] == 2 and out["failed"] == 0 and out["events"] >= 1
        after = c.get("/api/events", params={"limit": 1}).json()["total"]
        assert after == before + out["events"]
        doc = c.get("/api/documents/api-2").json()
        assert any(e["target_country"] == "VEN" for e in doc["events"])
        # re-sending duplicates nothing
        again = c.post("/api/ingest", json={"documents": DOCS}, headers=AUTH).json()
        assert again["new"] == 0 and again["present"] == 2
        assert c.get("/api/events", params={"limit": 1}).json()["total"] == after


def test_a_bad_document_is_named_and_the_rest_stored(server) -> None:
    url, _db = server
    docs = [{"id": "api-3", "text": "   "},
            {"id": "api-4", "published": "2024-03-07",
             "text": "Norway granted asylum to the exiled Belarusian opposition leader."}]
    with httpx.Client(base_url=url, timeout=300) as c:
        out = c.post("/api/ingest", json={"documents": docs}, headers=AUTH).json()
        assert out["new"] == 1 and out["failed"] == 1
        assert out["failures"][0]["document"] == 1 and "text" in out["failures"][0]["reason"]
        r = c.post("/api/ingest", json={"documents": [{"txt": "no text field"}]}, headers=AUTH)
        assert r.status_code == 422 and r.json()["error"]["parameter"]


def test_a_read_only_server_refuses_ingest(tmp_path: Path) -> None:
    db = tmp_path / "ro.duckdb"
    cordiale("ingest", str(Path(__file__).resolve().parent.parent / "samples" / "wire.csv"),
             "--db", str(db), "-q")
    with running_server(db) as url, httpx.Client(base_url=url, timeout=60) as c:
        r = c.post("/api/ingest", json={"documents": DOCS}, headers=AUTH)
        assert r.status_code == 403
