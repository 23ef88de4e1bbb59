"""Reviews: stored through a real server (with the token), honoured by every analysis and
listing (API and CLI), and exported as a gold set that ``cordiale eval`` scores."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from serving import cordiale, running_server

pytestmark = pytest.mark.model  # the samples are ingested with the spaCy model

TOKEN = "test-token-0123456789"


@pytest.fixture(scope="module")
def db(samples_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("reviews") / "reviews.duckdb"
    shutil.copy(samples_db, path)
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[httpx.Client]:
    with running_server(db, "--allow-writes", token=TOKEN) as url, \
            httpx.Client(base_url=url, timeout=60) as c:
        yield c


AUTH = {"Authorization": f"Bearer {TOKEN}"}


def dyad_events(client: httpx.Client, a: str, b: str) -> tuple[int, dict[str, Any]]:
    body = client.get(f"/api/dyad/{a}/{b}", params={"freq": "year",
                                                  "replicates": 50}).json()
    return sum(r["events"] for r in body["rows"]), body


def test_writes_need_the_token(client: httpx.Client) -> None:
    event = client.get("/api/events", params={"limit": 1}).json()["events"][0]
    body = {"event_id": event["event_id"], "verdict": "right", "reviewer": "ana"}
    r = client.post("/api/reviews", json=body)
    assert r.status_code == 401 and r.json()["error"]["parameter"] == "Authorization"
    r = client.post("/api/reviews", json=body, headers={"Authorization": "Bearer nope"})
    assert r.status_code == 403
    r = client.post("/api/reviews", json=body, headers={"Authorization": "Basic " + TOKEN})
    assert r.status_code == 401
    assert client.get("/api/reviews", params={"event_id": event["event_id"]}).json() == {
        "reviews": []}


def test_bad_reviews_are_refused_naming_the_field(client: httpx.Client) -> None:
    event = client.get("/api/events", params={"limit": 1}).json()["events"][0]["event_id"]
    cases = [
        ({"event_id": "nosuchevent", "verdict": "wrong", "reviewer": "a"}, 404, "event_id"),
        ({"event_id": event, "verdict": "maybe", "reviewer": "a"}, 422, "verdict"),
        ({"event_id": event, "verdict": "corrected", "reviewer": "a"}, 422, "verdict"),
        ({"event_id": event, "verdict": "corrected", "cameo_code": "999", "reviewer": "a"},
         422, "cameo_code"),
        ({"event_id": event, "verdict": "corrected", "target_country": "Atlantis",
          "reviewer": "a"}, 422, "target_country"),
        ({"event_id": event, "verdict": "wrong"}, 422, "reviewer"),
        ({"event_id": event, "verdict": "wrong", "reviewer": "a", "extra": 1}, 422, "extra"),
    ]
    for body, status, field in cases:
        r = client.post("/api/reviews", json=body, headers=AUTH)
        assert r.status_code == status, (body, r.text)
        assert r.json()["error"]["parameter"] == field, (body, r.text)
    r = client.post("/api/reviews", content=b"{not json", headers={
        **AUTH, "content-type": "application/json"})
    assert r.status_code == 422 and r.json()["error"]["status"] == 422


def test_marking_an_event_wrong_drops_the_dyads_count_by_one(client: httpx.Client,
                                                             db: Path) -> None:
    before, body = dyad_events(client, "CHN", "RUS")
    assert before >= 2 and body["rejected_left_out"] == 0
    listed = client.get("/api/events", params={"dyad": "CHN,RUS", "limit": 500}).json()
    # an event the dyad counts (deduplication keeps one event per story, code and day)
    victim = listed["events"][0]["event_id"]
    r = client.post("/api/reviews", headers={**AUTH, "X-Reviewer": "ana"},
                    json={"event_id": victim, "verdict": "wrong", "note": "a quote"})
    assert r.status_code == 201, r.text
    stored = r.json()
    assert stored["event_id"] == victim and stored["verdict"] == "wrong"
    assert stored["reviewer"] == "ana" and stored["created_at"]
    after, body = dyad_events(client, "CHN", "RUS")
    assert after == before - 1
    assert body["rejected_left_out"] == 1
    relisted = client.get("/api/events", params={"dyad": "CHN,RUS", "limit": 500}).json()
    assert victim not in [e["event_id"] for e in relisted["events"]]
    assert relisted["total"] == listed["total"] - 1 and relisted["rejected_left_out"] == 1
    detail = client.get(f"/api/events/{victim}").json()
    assert detail["latest_verdict"] == "wrong" and detail["reviews"][0]["note"] == "a quote"
    # the command line leaves it out too, and says so
    out = cordiale("dyad", "CHN", "RUS", "--db", str(db), "--freq", "year", "--replicates",
                   "50", "--format", "jsonl")
    assert sum(json.loads(line)["events"] for line in out.stdout.splitlines()) == after
    assert "1 event was marked wrong by a reviewer" in out.stderr
    listing = cordiale("events", "--db", str(db), "--dyad", "CHN,RUS", "--format", "jsonl")
    assert victim not in listing.stdout and "marked wrong" in listing.stderr
    shown = cordiale("show", victim, "--db", str(db)).stdout
    assert "review    wrong by ana" in shown and "a quote" in shown
    # the latest review counts: judged right again, it is back
    r = client.post("/api/reviews", headers=AUTH,
                    json={"event_id": victim, "verdict": "right", "reviewer": "bob"})
    assert r.status_code == 201
    again, body = dyad_events(client, "CHN", "RUS")
    assert again == before and body["rejected_left_out"] == 0


def test_a_correction_moves_the_event_to_another_dyad(client: httpx.Client) -> None:
    usa_chn, _ = dyad_events(client, "USA", "CHN")
    usa_jpn, _ = dyad_events(client, "USA", "JPN")
    listed = client.get("/api/events", params={"dyad": "USA,CHN", "limit": 500}).json()
    event = listed["events"][0]
    r = client.post("/api/reviews", headers=AUTH, json={
        "event_id": event["event_id"], "verdict": "corrected", "target_country": "Japan",
        "cameo_code": "042", "reviewer": "ana"})
    assert r.status_code == 201, r.text
    assert r.json()["target_country"] == "JPN"
    assert dyad_events(client, "USA", "CHN")[0] == usa_chn - 1
    assert dyad_events(client, "USA", "JPN")[0] == usa_jpn + 1
    moved = client.get("/api/events", params={"dyad": "USA,JPN", "limit": 500}).json()
    row = next(e for e in moved["events"] if e["event_id"] == event["event_id"])
    assert row["cameo_code"] == "042" and row["cameo_root"] == "04"
    from cordiale.events.ontology import load_ontology

    entry = load_ontology().get("042")
    assert row["plover_type"] == entry.plover_type and row["goldstein"] == entry.goldstein
    assert row["goldstein"] != event["goldstein"] or event["cameo_code"] == "042"
    overview = client.get("/api/overview").json()
    assert overview["rejected_left_out"] == 0


def test_reviews_list_and_gold_export_that_eval_scores(client: httpx.Client, db: Path,
                                                       tmp_path: Path) -> None:
    events = client.get("/api/events", params={"dyad": "FRA,USA", "limit": 500,
                                               "include_hypothetical": True}).json()["events"]
    assert events
    client.post("/api/reviews", headers=AUTH, json={
        "event_id": events[0]["event_id"], "verdict": "right", "reviewer": "ana"})
    listed = client.get("/api/reviews", params={"latest": True}).json()["reviews"]
    assert len({r["event_id"] for r in listed}) == len(listed) >= 3
    out = cordiale("reviews", "list", "--db", str(db), "--format", "jsonl").stdout
    assert len(out.splitlines()) >= 4
    gold = tmp_path / "mine.jsonl"
    cordiale("reviews", "export", "--format", "gold", "--db", str(db), "--output", str(gold))
    rows = [json.loads(line) for line in gold.read_text().splitlines()]
    assert rows and all({"id", "text", "date", "relevant", "events"} <= set(r) for r in rows)
    corrected = [e for r in rows for e in r["events"] if e["cameo"] == "042"
                 and e["target"] == "JPN"]
    assert corrected and corrected[0]["target_text"] is None
    right = next(r for r in rows if any(e["source"] == "FRA" for e in r["events"]))
    assert right["relevant"] is True and right["text"] == events[0]["sentence"]
    scored = cordiale("eval", str(gold), "--format", "jsonl")
    result = json.loads(scored.stdout.splitlines()[0])
    assert result["sentences"] == len(rows)
    assert 0.0 <= result["type_recall"] <= 1.0 and result["type_recall"] > 0


def test_fuzz_writes_with_the_token_without_server_errors(client: httpx.Client) -> None:
    """POST /api/reviews with generated bodies, authorised: 4xx or 201, never a 5xx."""
    schemathesis = pytest.importorskip("schemathesis")
    from hypothesis import HealthCheck, given, settings

    base = str(client.base_url).rstrip("/")
    schema = schemathesis.openapi.from_url(base + "/openapi.json")
    operation = next(op.ok() for op in schema.get_all_operations()
                     if op.ok().method.upper() == "POST")
    statuses: set[int] = set()

    @given(case=operation.as_strategy())
    @settings(max_examples=40, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def fuzz(case: Any) -> None:
        case.headers = {**(case.headers or {}), **AUTH}
        response = case.call(base_url=base, timeout=60)
        statuses.add(response.status_code)
        assert response.status_code < 500, (case.body, response.text[:500])

    fuzz()
    assert statuses and max(statuses) < 500


# -- bad arguments (in process, on an empty store) ----------------------------------------------


@pytest.mark.parametrize(("args", "names"), [
    (["reviews", "add", "nosuchevent", "--verdict", "wrong", "--reviewer", "a"], "EVENT_ID"),
    (["reviews", "add", "x", "--verdict", "maybe", "--reviewer", "a"], "--verdict"),
    (["reviews", "add", "x", "--verdict", "corrected", "--target", "Narnia", "--reviewer", "a"],
     "--target"),
    (["reviews", "list", "--limit", "-1"], "--limit"),
    (["reviews", "export", "--format", "csv"], "--format"),
    (["serve", "--port", "70000"], "--port"),
])
def test_bad_review_and_serve_arguments_are_one_line(tmp_path: Path, args: list[str],
                                                     names: str) -> None:
    from click.testing import CliRunner

    from cordiale.cli import main
    from cordiale.store import Store

    db = tmp_path / "empty.duckdb"
    Store(str(db)).close()
    result = CliRunner().invoke(main, [*args, "--db", str(db)], env={"CORDIALE_TOKEN": None})
    assert result.exit_code == 2, result.output
    assert names in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("command", [["reviews", "list"], ["reviews", "export"],
                                     ["reviews", "add", "x", "--verdict", "wrong",
                                      "--reviewer", "a"]])
def test_review_commands_never_create_a_database(tmp_path: Path, command: list[str]) -> None:
    from click.testing import CliRunner

    from cordiale.cli import main

    missing = tmp_path / "missing.duckdb"
    result = CliRunner().invoke(main, [*command, "--db", str(missing)])
    assert result.exit_code != 0 and "no such database" in result.output
    assert not missing.exists()
