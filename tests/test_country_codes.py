"""Country codes neither the country table nor the store knows get one line naming the
argument, in the command, the API and the dashboard alike (issue 10, part 4); codes outside
the table that imported data uses keep working.

The store holds synthetic events among real countries and ``YUG`` (Yugoslavia: in ICEWS-era
data, not in the ISO table), so both sides of the rule are tried on one real file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from cordiale.analysis.frame import country_table
from cordiale.analysis.synthetic import fill_store
from cordiale.cli import main
from cordiale.store import Store
from serving import running_server

COUNTRIES = ["CHN", "RUS", "USA", "YUG", "FRA", "DEU"]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("codes") / "codes.duckdb"
    with Store(str(path)) as store:
        fill_store(store, 3000, COUNTRIES, days=730)
    return path


def _run(db: Path, *args: str):
    env: dict[str, str | None] = {k: None for k in os.environ if k.startswith("CORDIALE_")}
    env["CORDIALE_CONFIG"] = str(db.parent / "none.toml")
    return CliRunner().invoke(main, [*args, "--db", str(db)], env=env)


def test_the_imported_code_is_outside_the_table() -> None:
    assert "YUG" not in country_table() and "CHN" in country_table()


def _one_error_line(result) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error")]
    assert len(errors) == 1, result.output
    return errors[0]


@pytest.mark.parametrize("args,names", [
    (["dyad", "CHI", "RUS"], "'A'"),
    (["dyad", "RUS", "CHI"], "'B'"),
    (["align", "CHI", "RUS"], "'A'"),
    (["changes", "CHN", "CHI"], "'B'"),
    (["report", "CHI", "RUS", "--output", "never.html"], "'A'"),
    (["report", "CHN", "RUS", "--anchor", "CHI", "--output", "never.html"], "'--anchor'"),
    (["blocs", "--anchor", "CHI"], "'--anchor'"),
    (["events", "--dyad", "CHI,RUS"], "'--dyad'"),
    (["events", "--dyad", "CHI-RUS"], "'--dyad'"),
    (["events", "--dyad", "RUS,CHI"], "'--dyad'"),
    (["events", "--actor", "CHI"], "'--actor'"),
    (["actors", "--country", "CHI"], "'--country'"),
])
def test_an_unknown_code_is_one_line_naming_the_argument(db: Path, args, names) -> None:
    line = _one_error_line(_run(db, *args))
    assert names in line
    assert "unknown country code 'CHI'" in line
    assert "CHN (China)" in line  # the suggestion
    assert not Path("never.html").exists()


def test_a_code_nobody_uses_gets_no_suggestion_but_the_same_line(db: Path) -> None:
    line = _one_error_line(_run(db, "dyad", "QQQ", "RUS"))
    assert "unknown country code 'QQQ'" in line and "did you mean" not in line


def test_a_mistyped_name_is_named_with_a_suggestion(db: Path) -> None:
    line = _one_error_line(_run(db, "dyad", "Rusia", "China"))
    assert "'A'" in line and "'Rusia'" in line and "RUS (Russia)" in line


def test_an_actor_code_prefix_the_store_lacks_is_named(db: Path) -> None:
    line = _one_error_line(_run(db, "events", "--actor", "RUSMIL"))
    assert "'--actor'" in line and "no actor code in this store" in line


def test_names_and_codes_still_resolve(db: Path) -> None:
    by_code = _run(db, "dyad", "CHN", "RUS", "--freq", "year", "--format", "jsonl",
                   "--replicates", "50")
    by_name = _run(db, "dyad", "China", "russia", "--freq", "year", "--format", "jsonl",
                   "--replicates", "50")
    assert by_code.exit_code == 0, by_code.output
    assert by_code.stdout == by_name.stdout and '"events"' in by_code.stdout
    listed = _run(db, "events", "--dyad", "China,Russia", "--format", "jsonl")
    assert listed.exit_code == 0 and listed.stdout.count("\n") > 0
    assert listed.stdout == _run(db, "events", "--dyad", "CHN-RUS", "--format", "jsonl").stdout


def test_a_code_outside_the_table_that_the_store_holds_keeps_working(db: Path) -> None:
    result = _run(db, "dyad", "YUG", "CHN", "--freq", "year", "--format", "jsonl",
                  "--replicates", "50")
    assert result.exit_code == 0, result.output
    assert sum(int(line.split('"events":')[1].split(",")[0])
               for line in result.stdout.splitlines()) > 0
    listed = _run(db, "events", "--actor", "yug", "--format", "jsonl", "--limit", "5")
    assert listed.exit_code == 0 and len(listed.stdout.splitlines()) == 5
    # the same code in another store that does not hold it is unknown
    empty = db.parent / "empty.duckdb"
    Store(str(empty)).close()
    assert "unknown country code 'YUG'" in _one_error_line(_run(empty, "dyad", "YUG", "CHN"))


# -- the API and the dashboard -------------------------------------------------------------
@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[httpx.Client]:
    with running_server(db) as url, httpx.Client(base_url=url, timeout=120) as c:
        yield c


def _error(r: httpx.Response, parameter: str) -> dict[str, Any]:
    assert r.status_code == 422, r.text
    body = r.json()
    assert set(body) == {"error"} and body["error"]["status"] == 422, body
    assert body["error"]["parameter"] == parameter, body
    return body["error"]


@pytest.mark.parametrize("path,params,parameter", [
    ("/api/dyad/CHI/RUS", {}, "a"),
    ("/api/dyad/RUS/CHI", {}, "b"),
    ("/api/align/CHI/RUS", {}, "a"),
    ("/api/changes/CHN/CHI", {}, "b"),
    ("/api/report/CHI/RUS", {}, "a"),
    ("/api/report/CHN/RUS", {"anchor": "CHI"}, "anchor"),
    ("/api/blocs", {"anchor": "CHI"}, "anchor"),
    ("/api/events", {"dyad": "CHI,RUS"}, "dyad"),
    ("/api/events", {"between": "RUS,CHI"}, "between"),
    ("/api/events", {"actor": "CHI"}, "actor"),
    ("/api/events", {"dyad": "CHI,RUS", "format": "csv"}, "dyad"),
    ("/api/actors", {"country": "CHI"}, "country"),
])
def test_the_api_names_an_unknown_code(client: httpx.Client, path: str, params, parameter
                                       ) -> None:
    err = _error(client.get(path, params=params), parameter)
    assert "unknown country code 'CHI'" in err["message"]
    assert "CHN (China)" in err["message"]


def test_the_api_keeps_names_and_the_stores_own_codes(client: httpx.Client) -> None:
    by_name = client.get("/api/dyad/China/Russia", params={"freq": "year", "replicates": 50})
    by_code = client.get("/api/dyad/CHN/RUS", params={"freq": "year", "replicates": 50})
    assert by_name.status_code == 200 and by_name.json()["rows"] == by_code.json()["rows"]
    yug = client.get("/api/dyad/YUG/CHN", params={"freq": "year", "replicates": 50})
    assert yug.status_code == 200 and sum(r["events"] for r in yug.json()["rows"]) > 0
    listed = client.get("/api/events", params={"between": "YUG,CHN", "limit": 5}).json()
    assert listed["total"] > 0


def test_the_dashboard_names_an_unknown_code_and_keeps_the_stores_own(client: httpx.Client
                                                                      ) -> None:
    page = client.get("/dyad/CHI/RUS")
    assert page.status_code == 404 and "unknown country code" in page.text
    assert "CHN (China)" in page.text
    bad = client.get("/events", params={"dyad": "CHI-RUS"})
    assert bad.status_code == 422 and "unknown country code" in bad.text
    assert client.get("/dyad/YUG/CHN").status_code == 200
