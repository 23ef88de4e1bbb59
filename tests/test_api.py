"""The REST API through a real HTTP client against a real ``cordiale serve`` subprocess.

The store is the project's samples/ ingested once per session; the server is read-only
(writes and reviews are in test_reviews.py). Every route, the one error shape, limits,
cursor paging, downloads, and a schemathesis fuzz of every endpoint with no 5xx.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest

from serving import cordiale, running_server

pytestmark = pytest.mark.model  # the samples are ingested with the spaCy model


@pytest.fixture(scope="module")
def base(samples_db: Path) -> Iterator[str]:
    with running_server(samples_db) as url:
        yield url


@pytest.fixture(scope="module")
def client(base: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base, timeout=60) as c:
        yield c


def error_of(r: httpx.Response, status: int, parameter: str | None = None) -> dict[str, Any]:
    """Assert the one error shape, with this status (and parameter, when given)."""
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"}, body
    err = body["error"]
    assert err["status"] == status
    assert isinstance(err["message"], str) and err["message"]
    if parameter is not None:
        assert err.get("parameter") == parameter, err
    return err


def all_ids(client: httpx.Client, **params: Any) -> list[str]:
    ids: list[str] = []
    cursor = None
    for _ in range(200):
        r = client.get("/api/events", params={**params, **({"cursor": cursor} if cursor else {})})
        assert r.status_code == 200, r.text
        body = r.json()
        ids += [e["event_id"] for e in body["events"]]
        cursor = body["next_cursor"]
        if cursor is None:
            return ids
    raise AssertionError("paging did not end")


# -- events --------------------------------------------------------------------------------


def test_events_first_page_has_the_contract_fields(client: httpx.Client) -> None:
    body = client.get("/api/events", params={"limit": 5}).json()
    assert set(body) == {"events", "next_cursor", "total", "rejected_left_out"}
    assert len(body["events"]) == 5
    assert body["total"] > 5 and body["next_cursor"]
    assert body["rejected_left_out"] == 0
    first = body["events"][0]
    assert {"event_id", "doc_id", "sentence", "cameo_code", "source_country",
            "target_country", "confidence"} <= set(first)


@pytest.mark.parametrize("sort", ["date", "-date", "confidence", "-confidence", "goldstein",
                                  "-goldstein"])
def test_cursor_paging_visits_every_event_once_in_order(client: httpx.Client,
                                                        sort: str) -> None:
    whole = client.get("/api/events", params={"limit": 500, "sort": sort}).json()
    assert whole["next_cursor"] is None
    paged = all_ids(client, limit=7, sort=sort)
    assert paged == [e["event_id"] for e in whole["events"]]
    assert len(set(paged)) == len(paged) == whole["total"]
    key = sort.lstrip("-")
    if key != "date":
        values = [e[key] for e in whole["events"]]
        assert values == sorted(values, reverse=sort.startswith("-"))


def test_events_listing_matches_the_cli(client: httpx.Client, samples_db: Path) -> None:
    out = cordiale("events", "--db", str(samples_db), "--format", "jsonl").stdout
    cli_ids = [json.loads(line)["event_id"] for line in out.splitlines()]
    assert all_ids(client, limit=50) == cli_ids


def test_event_filters(client: httpx.Client) -> None:
    every = client.get("/api/events", params={"limit": 500}).json()["events"]
    usa = client.get("/api/events", params={"actor": "USA", "limit": 500}).json()
    assert usa["total"] == len(usa["events"]) > 0
    assert all("USA" in (e["source_country"], e["target_country"]) or
               (e["source_code"] or "").startswith("USA") or
               (e["target_code"] or "").startswith("USA") for e in usa["events"])
    word = next(e["trigger_text"] for e in every if e["trigger_text"])
    found = client.get("/api/events", params={"q": word.upper(), "limit": 500}).json()
    assert found["events"] and all(word.lower() in e["sentence"].lower()
                                   for e in found["events"])
    conf = client.get("/api/events", params={"min_confidence": 0.8, "limit": 500}).json()
    assert all(e["confidence"] >= 0.8 for e in conf["events"])
    assert conf["total"] < len(every)
    root = client.get("/api/events", params={"root": "4", "limit": 500}).json()
    assert root["events"] and all(e["cameo_root"] == "04" for e in root["events"])
    dated = client.get("/api/events", params={"since": "2023-01-01", "until": "2023-12-31",
                                              "limit": 500}).json()
    assert dated["events"] and all(e["date"].startswith("2023") for e in dated["events"])
    both = client.get("/api/events", params={"between": "Russia,CHN", "limit": 500}).json()
    assert both["events"] and all({e["source_country"], e["target_country"]} == {"CHN", "RUS"}
                                  for e in both["events"])
    one_way = client.get("/api/events", params={"dyad": "CHN,RUS", "limit": 500}).json()
    assert both["total"] > one_way["total"] > 0
    error_of(client.get("/api/events", params={"between": "CHN,Narnia"}), 422, "between")
    outlet = next(e for e in every if e.get("doc_id"))
    detail = client.get(f"/api/events/{outlet['event_id']}").json()
    if detail.get("outlet"):
        by_outlet = client.get("/api/events", params={"outlet": detail["outlet"].upper(),
                                                      "limit": 500}).json()
        assert outlet["event_id"] in [e["event_id"] for e in by_outlet["events"]]


@pytest.mark.parametrize(("params", "parameter"), [
    ({"limit": 501}, "limit"), ({"limit": 0}, "limit"), ({"limit": "ten"}, "limit"),
    ({"since": "2021-13-01"}, "since"), ({"until": "yesterday"}, "until"),
    ({"since": "2022-01-01", "until": "2021-01-01"}, "until"),
    ({"cursor": "not-a-cursor"}, "cursor"), ({"sort": "colour"}, "sort"),
    ({"dyad": "USA"}, "dyad"), ({"min_confidence": 2}, "min_confidence"),
    ({"format": "xlsx"}, "format"), ({"root": "abc"}, "root"),
])
def test_bad_event_parameters_are_named(client: httpx.Client, params: dict[str, Any],
                                        parameter: str) -> None:
    error_of(client.get("/api/events", params=params), 422, parameter)


def test_a_cursor_from_another_sort_is_refused(client: httpx.Client) -> None:
    cursor = client.get("/api/events", params={"limit": 2}).json()["next_cursor"]
    error_of(client.get("/api/events", params={"cursor": cursor, "sort": "-date"}), 422,
             "cursor")


def test_event_detail_has_its_evidence_spans(client: httpx.Client) -> None:
    events = client.get("/api/events", params={"limit": 500}).json()["events"]
    some = [e for e in events if e["source_start"] is not None][:5]
    assert some
    for e in some:
        d = client.get(f"/api/events/{e['event_id']}").json()
        ev = d["evidence"]
        sentence = ev["sentence"]
        trig = ev["spans"]["trigger"]
        assert sentence[trig["start"]:trig["end"]] == e["trigger_text"]
        src = ev["spans"]["source"]
        assert sentence[src["start"]:src["end"]] == src["text"]
        assert ev["rule"] == e["coder"] and ev["modality"] == e["modality"]
        assert ev["date_basis"] and d["reviews"] == []
    error_of(client.get("/api/events/nosuchevent"), 404, "event_id")


def test_document_has_text_events_and_mentions_with_spans(client: httpx.Client) -> None:
    event = client.get("/api/events", params={"limit": 1}).json()["events"][0]
    doc = client.get(f"/api/documents/{event['doc_id']}").json()
    assert event["event_id"] in [e["event_id"] for e in doc["events"]]
    assert doc["mentions"]
    for m in doc["mentions"]:
        assert doc["text"][m["char_start"]:m["char_end"]] == m["text"]
    error_of(client.get("/api/documents/nosuchdoc"), 404, "doc_id")


def test_actors(client: httpx.Client) -> None:
    rows = client.get("/api/actors", params={"country": "CHN", "limit": 3}).json()["actors"]
    assert 0 < len(rows) <= 3 and all(r["country"] == "CHN" for r in rows)
    error_of(client.get("/api/actors", params={"limit": 100000}), 422, "limit")


# -- downloads -------------------------------------------------------------------------------


def test_csv_download_is_every_matching_event_with_formulas_neutralised(
        client: httpx.Client) -> None:
    total = client.get("/api/events", params={"limit": 1}).json()["total"]
    r = client.get("/api/events", params={"format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == total
    formula_starts = ("=", "+", "@")
    assert not any(v.startswith(formula_starts) for row in rows for v in row.values()
                   if v and not v.lstrip("+-").replace(".", "").isdigit())


def test_jsonl_and_parquet_downloads(client: httpx.Client, tmp_path: Path) -> None:
    r = client.get("/api/events", params={"format": "jsonl", "dyad": "CHN,RUS"})
    lines = [json.loads(x) for x in r.text.splitlines()]
    assert lines and all(x["source_country"] == "CHN" and x["target_country"] == "RUS"
                         for x in lines)
    r = client.get("/api/events", params={"format": "parquet", "limit": 10})
    assert r.status_code == 200
    path = tmp_path / "e.parquet"
    path.write_bytes(r.content)
    con = duckdb.connect()
    count = con.execute(f"SELECT count(*) FROM read_parquet('{path}')").fetchone()
    con.close()
    assert count == (10,)


# -- analyses --------------------------------------------------------------------------------


def test_dyad_rows_are_the_rows_the_cli_prints(client: httpx.Client, samples_db: Path) -> None:
    body = client.get("/api/dyad/CHN/RUS", params={"freq": "year", "replicates": 50}).json()
    out = cordiale("dyad", "CHN", "RUS", "--db", str(samples_db), "--freq", "year",
                   "--replicates", "50", "--format", "jsonl").stdout
    cli = [json.loads(line) for line in out.splitlines()]
    assert [r["period"] for r in body["rows"]] == [r["period"] for r in cli]
    assert [r["events"] for r in body["rows"]] == [r["events"] for r in cli]
    assert [r["warmth_95"] for r in body["rows"]] == [r["warmth_95"] for r in cli]
    assert {"changes", "trend", "undated_left_out", "rejected_left_out"} <= set(body)
    assert sum(r["events"] for r in body["rows"]) > 0


def test_dyad_accepts_names_and_refuses_unknown_countries(client: httpx.Client) -> None:
    named = client.get("/api/dyad/China/Russia", params={"replicates": 50}).json()
    assert (named["a"], named["b"]) == ("CHN", "RUS")
    error_of(client.get("/api/dyad/Atlantis/RUS"), 422, "a")
    error_of(client.get("/api/dyad/CHN/RUS", params={"freq": "fortnight"}), 422, "freq")
    error_of(client.get("/api/dyad/CHN/RUS", params={"replicates": 10}), 422, "replicates")


def test_align_blocs_changes_report_overview(client: httpx.Client) -> None:
    al = client.get("/api/align/CHN/RUS", params={"replicates": 50}).json()
    assert al["a"] == "CHN" and isinstance(al["rows"], list)
    bl = client.get("/api/blocs", params={"period": "2023", "replicates": 50}).json()
    assert bl["rows"] and {"country", "bloc", "position"} <= set(bl["rows"][0])
    assert bl["since"] == "2023-01-01"
    error_of(client.get("/api/blocs", params={"period": "2023-Q7"}), 422, "period")
    error_of(client.get("/api/blocs", params={"anchor": "Narnia"}), 422, "anchor")
    ch = client.get("/api/changes/CHN/RUS", params={"replicates": 50}).json()
    assert "changes" in ch and ch["events"] >= 0
    rep = client.get("/api/report/CHN/RUS", params={"replicates": 50})
    assert rep.status_code == 200 and rep.headers["content-type"].startswith("text/html")
    assert "<svg" in rep.text
    ov = client.get("/api/overview").json()
    assert ov["events"] > 0 and ov["busiest_dyads"] and ov["quad_classes"]
    assert ov["documents_without_date"] >= 0


# -- errors, limits, writes on a read-only server ----------------------------------------------


def test_unknown_routes_and_methods_get_the_error_shape(client: httpx.Client) -> None:
    error_of(client.get("/api/nothing-here"), 404)
    error_of(client.delete("/api/events"), 405)
    error_of(client.put("/api/reviews", json={}), 405)


def test_a_read_only_server_refuses_writes(client: httpx.Client) -> None:
    body = {"event_id": "x", "verdict": "wrong", "reviewer": "t"}
    error_of(client.post("/api/reviews", json=body), 403)
    error_of(client.post("/api/reviews", json=body,
                         headers={"Authorization": "Bearer guess"}), 403)


def test_a_loopback_server_answers_only_loopback_host_names(client: httpx.Client) -> None:
    r = client.get("/api/overview", headers={"Host": "evil.example:8000"})
    error_of(r, 400, "Host")
    ok = client.get("/api/overview", headers={"Host": "localhost"})
    assert ok.status_code == 200
    assert ok.headers["x-content-type-options"] == "nosniff"


def test_request_bodies_are_capped(client: httpx.Client) -> None:
    big = b'{"note": "' + b"x" * 1_100_000 + b'"}'
    error_of(client.post("/api/reviews", content=big,
                         headers={"content-type": "application/json"}), 413)


def test_docs_work_offline(client: httpx.Client) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "/openapi.json" in page.text
    assert "http://" not in page.text and "https://" not in page.text  # no CDN
    spec = client.get("/openapi.json").json()
    assert {"/api/events", "/api/dyad/{a}/{b}", "/api/reviews", "/api/blocs",
            "/api/overview", "/api/events/{event_id}", "/api/documents/{doc_id}",
            "/api/align/{a}/{b}", "/api/changes/{a}/{b}", "/api/report/{a}/{b}",
            "/api/actors"} <= set(spec["paths"])


def test_serve_refuses_writes_without_a_token(samples_db: Path) -> None:
    r = cordiale("serve", "--db", str(samples_db), "--allow-writes", check=False)
    assert r.returncode != 0
    assert "CORDIALE_TOKEN" in r.stderr and "Traceback" not in r.stderr
    r = cordiale("serve", "--db", str(samples_db.parent / "missing.duckdb"), check=False)
    assert r.returncode != 0 and "no such database" in r.stderr
    assert "Traceback" not in r.stderr


def test_a_busy_database_is_a_503_then_served_again(samples_db: Path,
                                                    tmp_path: Path) -> None:
    """Another process holding the write lock (as an ingest does while it commits) makes a
    request wait, then answer 503 in the error shape; once released, requests are served."""
    import subprocess
    import sys

    db = tmp_path / "busy.duckdb"
    shutil.copy(samples_db, db)
    with running_server(db, CORDIALE_LOCK_WAIT="1") as url:
        holder = subprocess.Popen(
            [sys.executable, "-c", "import duckdb, sys, time\n"
             f"con = duckdb.connect({str(db)!r})\nprint('locked', flush=True)\n"
             "sys.stdin.readline()\ncon.close()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
            err = error_of(httpx.get(url + "/api/events", params={"limit": 3}, timeout=60), 503)
            assert "holds the database" in err["message"]
        finally:
            holder.communicate("\n", timeout=30)
        r = httpx.get(url + "/api/events", params={"limit": 3}, timeout=60)
        assert r.status_code == 200 and len(r.json()["events"]) == 3


# -- fuzz ------------------------------------------------------------------------------------

def test_fuzz_every_endpoint_without_server_errors(base: str) -> None:
    """Cases generated from /openapi.json for every operation: no answer is a 5xx.

    Bounded (a few dozen examples an operation, the bootstrap kept small) so it runs in
    well under a minute on the samples store."""
    schemathesis = pytest.importorskip("schemathesis")
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import not_a_server_error

    schema = schemathesis.openapi.from_url(base + "/openapi.json")
    operations = [op.ok() for op in schema.get_all_operations()]
    assert len(operations) >= 12
    seen: dict[str, int] = {}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def fuzz(case: Any) -> None:
            label = case.operation.label
            if case.query and "replicates" in case.query:
                case.query["replicates"] = 50
            response = case.call(base_url=base, timeout=60)
            seen[label] = seen.get(label, 0) + 1
            assert response.status_code < 500, (label, case.query, response.text[:500])
            case.validate_response(response, checks=[not_a_server_error])

        fuzz()
    assert len(seen) == len(operations)
