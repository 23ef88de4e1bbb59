"""Every dashboard page under arbitrary parameters, through a real ``cordiale serve``.

The JSON API is fuzzed from its OpenAPI schema (tests/test_api.py); the pages are not in the
schema, so hypothesis draws their parameters here: codes, names, dates, periods, cursors,
sorts and junk. Whatever comes in, a page answers 200, 303, 404 or 422 with the security
headers (or, for an address no page has, the app's JSON error) — never a server error — and a
200 page is complete (the streamed pages end in
``</html>``: nothing failed after the first byte). Uses the ICEWS sample in ../shared (4,993
events, imported with the real importer); skips without it.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlencode

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from serving import cordiale, running_server

pytestmark = [pytest.mark.slow, pytest.mark.shared]

COUNTRIES = st.sampled_from(["USA", "CHN", "RUS", "usa", "China", "XYZ", "", "U", "ATA",
                             "TWN", "%", "../x", "<b>"])
DATES = st.one_of(st.sampled_from(["", "2018-06-01", "2018-06-03", "2030-01-01", "1900-01-01",
                                   "2018-13-01", "yesterday"]), st.dates().map(str))
PERIODS = st.sampled_from(["", "2018-06", "2018", "2018-Q2", "2018-W22", "2018-06-02",
                           "2018-6", "2018-W60", "junk", "1990"])
TEXT = st.text(max_size=20)


@pytest.fixture(scope="module")
def base(shared: Path, tmp_path_factory: pytest.TempPathFactory):
    db = tmp_path_factory.mktemp("fuzz") / "sample.duckdb"
    cordiale("import", str(shared / "data" / "icews_sample.csv.gz"), "--format", "icews",
             "--db", str(db))
    with running_server(db) as url:
        yield url


def pages() -> st.SearchStrategy[str]:
    dyad = st.builds(
        lambda a, b, freq, since, until: f"/dyad/{quote(a or '-', safe='')}/"
        f"{quote(b or '-', safe='')}?" + urlencode({"freq": freq, "since": since,
                                                     "until": until}),
        COUNTRIES, COUNTRIES, st.sampled_from(["month", "week", "quarter", "day", ""]),
        DATES, DATES)
    pick = st.builds(lambda a, b: "/dyad?" + urlencode({"a": a, "b": b}), COUNTRIES, COUNTRIES)
    blocs = st.builds(lambda p, a, f: "/blocs?" + urlencode({"period": p, "anchor": a,
                                                            "focus": f}),
                      PERIODS, COUNTRIES, COUNTRIES)
    events = st.builds(
        lambda q, pair, code, since, until, sort, cursor, conf: "/events?" + urlencode({
            "q": q, "pair": pair, "code": code, "since": since, "until": until, "sort": sort,
            "cursor": cursor, "min_confidence": conf}),
        TEXT, st.sampled_from(["", "USA-CHN", "USA", "USA-XYZ", "a-b-c"]),
        st.sampled_from(["", "04", "x", "0"]), DATES, DATES,
        st.sampled_from(["", "date", "-date", "-goldstein", "nope"]), TEXT,
        st.sampled_from(["", "0.5", "x", "nan", "-1"]))
    event = st.builds(lambda i: "/events/" + quote(i or "-", safe=""), TEXT)
    return st.one_of(dyad, pick, blocs, events, event, st.just("/"))


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=pages())
def test_no_page_fails_whatever_it_is_asked(base: str, path: str) -> None:
    response = httpx.get(base + path, timeout=60)
    assert response.status_code in (200, 303, 404, 422), (path, response.status_code)
    if response.status_code == 303:
        assert response.headers["location"].startswith("/dyad/")
        return
    if response.headers["content-type"].startswith("application/json"):
        # a path no page matches ('/events/.' normalised to '/events/'): the app's one
        # JSON error shape, as for every unknown address
        assert response.json()["error"]["status"] == response.status_code, path
        return
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.text.rstrip().endswith("</html>"), path
