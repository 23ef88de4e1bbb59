"""UN General Assembly votes: ``cordiale import-unga`` and the agreement statistics."""

from __future__ import annotations

import gzip
import os
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from cordiale.analysis.unga import (
    VoteFrame,
    agreement_matrix,
    load_votes,
    vote_agreement,
    vote_statistics,
)
from cordiale.cli import main
from cordiale.importers.unga import load_country_codes
from cordiale.store import Store


def invoke(tmp: Path, args: list[str]) -> Result:
    env: dict[str, str | None] = {k: None for k in os.environ if k.startswith("CORDIALE_")}
    env["CORDIALE_CONFIG"] = str(tmp / "no-such-cordiale.toml")
    return CliRunner().invoke(main, args, env=env, catch_exceptions=False)


# Made-up roll calls: three in 1989, two in 1990. West Germany has no code (as in Voeten's
# data) and must be matched by name; YU and DD are historical codes.
VOTES = """rcid,country,country_name_ignored,country_code,vote
101,United States,x,US,yes
101,Canada,x,CA,yes
101,Cuba,x,CU,no
101,Federal Republic of Germany,x,,yes
101,German Democratic Republic,x,DD,no
101,Yugoslavia,x,YU,abstain
102,United States,x,US,no
102,Canada,x,CA,no
102,Cuba,x,CU,yes
102,Federal Republic of Germany,x,,abstain
102,German Democratic Republic,x,DD,yes
103,United States,x,US,yes
103,Canada,x,CA,abstain
103,Cuba,x,CU,yes
103,Yugoslavia,x,YU,8
201.0,United States,x,US,no
201.0,Canada,x,CA,no
201.0,Cuba,x,CU,yes
202,United States,x,US,yes
202,Canada,x,CA,yes
202,Cuba,x,CU,abstain
"""
ROLL_CALLS = """rcid,session,importantvote,date,unres,amend,para,short,descr
101,44,0,1989-10-02,R/44/1,0,0,FIRST,"A made-up first question"
102,44,1,1989-11-15,R/44/2,0,0,SECOND,"A made-up question
whose description runs over two lines"
103,44,0,1989-12-01,R/44/3,0,0,THIRD,third
201,45,0,1990-10-10,R/45/1,0,0,FOURTH,fourth
202,45,0,1990-12-12,R/45/2,0,0,FIFTH,fifth
"""
ISSUES = """rcid,short_name,issue
101,hr,Human rights
101,di,Arms control and disarmament
202,hr,Human rights
"""


@pytest.fixture
def unga_files(tmp_path: Path) -> dict[str, Path]:
    paths = {}
    for name, text in (("votes", VOTES), ("roll_calls", ROLL_CALLS), ("issues", ISSUES)):
        paths[name] = tmp_path / f"{name}.csv"
        paths[name].write_text(text, encoding="utf-8")
    return paths


def _import(tmp: Path, db: Path, files: dict[str, Path], *extra: str) -> Result:
    return invoke(tmp, ["import-unga", str(files["votes"]), "--roll-calls",
                        str(files["roll_calls"]), "--issues", str(files["issues"]),
                        "--db", str(db), *extra])


def _table(db: Path, sql: str) -> list[tuple]:
    with Store(db, read_only=True) as store:
        return store.query(sql)[1]


# -- the importer ------------------------------------------------------------------------


def test_import_small_file(tmp_path: Path, db_path: Path, unga_files) -> None:
    result = _import(tmp_path, db_path, unga_files)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "imported 20 votes, 5 roll calls, issue tags of 2 roll calls in " in result.stdout
    assert "1 absent or non-member rows are not votes" in result.stdout
    votes = _table(db_path, "SELECT rcid, country, vote FROM unga_votes ORDER BY rcid, country")
    assert len(votes) == 20
    by_key = {(r, c): v for r, c, v in votes}
    assert by_key[(101, "DEU")] == "yes"      # matched by name: no code in the row
    assert by_key[(101, "DDR")] == "no"       # sat beside West Germany: a code of its own
    assert by_key[(101, "SRB")] == "abstain"  # Yugoslavia: the project's successor code
    assert (103, "SRB") not in by_key         # 8 = absent: not a vote
    assert by_key[(201, "USA")] == "no"       # rcid written as 201.0
    calls = _table(db_path, "SELECT rcid, session, date::VARCHAR, important, issues, "
                            "description FROM unga_roll_calls ORDER BY rcid")
    assert calls[0][:5] == (101, 44, "1989-10-02", False,
                            "Arms control and disarmament, Human rights")
    assert calls[1][3] is True and calls[1][5].endswith("runs over two lines")
    assert calls[2][4] is None


def test_reimport_is_idempotent(tmp_path: Path, db_path: Path, unga_files) -> None:
    sql = "SELECT * FROM unga_votes ORDER BY rcid, country"
    assert _import(tmp_path, db_path, unga_files).exit_code == 0
    first = _table(db_path, sql), _table(db_path, "SELECT * FROM unga_roll_calls ORDER BY 1")
    again = _import(tmp_path, db_path, unga_files)
    assert again.exit_code == 0, again.output
    assert "20 votes stored" in again.stdout
    assert (_table(db_path, sql),
            _table(db_path, "SELECT * FROM unga_roll_calls ORDER BY 1")) == first
    # roll calls again without --issues keep their tags; a changed vote is updated in place
    unga_files["votes"].write_text(VOTES.replace("202,Cuba,x,CU,abstain", "202,Cuba,x,CU,no"),
                                   encoding="utf-8")
    third = invoke(tmp_path, ["import-unga", str(unga_files["votes"]), "--roll-calls",
                              str(unga_files["roll_calls"]), "--db", str(db_path)])
    assert third.exit_code == 0, third.output
    assert _table(db_path, "SELECT count(*) FROM unga_votes") == [(20,)]
    assert _table(db_path, "SELECT vote FROM unga_votes WHERE rcid = 202 AND country = 'CUB'"
                  ) == [("no",)]
    assert _table(db_path, "SELECT issues FROM unga_roll_calls WHERE rcid = 202"
                  ) == [("Human rights",)]


def test_malformed_rows_are_reported_with_their_line(tmp_path: Path, db_path: Path,
                                                      unga_files) -> None:
    bad = VOTES.splitlines()
    bad[3] = "101,Cuba,x,CU,maybe"               # line 4: unknown vote
    bad[7] = "102,Atlantis,x,QQ,yes"             # line 8: unknown country code
    bad[11] = "10x,United States,x,US,yes"       # line 12: rcid not a number
    bad[12] = "103,Canada,x,CA"                  # line 13: a field missing
    bad.append("202,Cuba,x,CU,yes")              # line 23: Cuba votes twice on 202
    unga_files["votes"].write_text("\n".join(bad) + "\n", encoding="utf-8")
    result = _import(tmp_path, db_path, unga_files)
    assert result.exit_code == 1
    path = str(unga_files["votes"])
    for line, words in ((4, "'maybe'"), (8, "'QQ'"), (12, "'10x'"), (13, "expected 5 fields"),
                        (23, "second vote by CUB on roll call 202 (the first is on line 22")):
        assert f"error: {path} line {line}: " in result.stderr, result.stderr
        assert words in result.stderr
    assert "5 row(s) failed" in result.stderr
    errors = _table(db_path, "SELECT origin, line, reason FROM errors ORDER BY line")
    assert [(o, ln) for o, ln, _ in errors] == [(path, 4), (path, 8), (path, 12), (path, 13),
                                                (path, 23)]
    # the good rows are stored all the same, and the first of Cuba's two votes is kept
    assert _table(db_path, "SELECT count(*) FROM unga_votes") == [(16,)]
    assert _table(db_path, "SELECT vote FROM unga_votes WHERE rcid = 202 AND country = 'CUB'"
                  ) == [("abstain",)]
    listed = invoke(tmp_path, ["errors", "--db", str(db_path), "--format", "csv"])
    assert "'QQ'" in listed.stdout


def test_bad_roll_calls_and_issues_are_reported(tmp_path: Path, db_path: Path,
                                                unga_files) -> None:
    unga_files["roll_calls"].write_text(
        ROLL_CALLS.replace("1990-12-12", "12/12/1990"), encoding="utf-8")
    unga_files["issues"].write_text(ISSUES + "999,hr,Human rights\n", encoding="utf-8")
    result = _import(tmp_path, db_path, unga_files)
    assert result.exit_code == 1
    # line 7: roll call 102's description spans lines 3 and 4
    assert f"{unga_files['roll_calls']} line 7: date '12/12/1990'" in result.stderr
    assert f"{unga_files['issues']} line 5: roll call 999" in result.stderr
    assert "stored votes have no roll call yet" in result.stdout  # roll call 202 is undated


def test_gzipped_votes_and_numeric_codes(tmp_path: Path, db_path: Path, unga_files) -> None:
    text = VOTES.replace(",yes\n", ",1\n").replace(",abstain\n", ",2\n").replace(",no\n", ",3\n")
    gz = tmp_path / "votes.csv.gz"
    gz.write_bytes(gzip.compress(text.encode("utf-8")))
    result = invoke(tmp_path, ["import-unga", str(gz), "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert _table(db_path, "SELECT vote, count(*) FROM unga_votes GROUP BY 1 ORDER BY 1") == [
        ("abstain", 4), ("no", 6), ("yes", 10)]


def test_unreadable_file_is_an_error_and_writes_nothing(tmp_path: Path, db_path: Path) -> None:
    path = tmp_path / "votes.csv"
    path.write_text("rcid,country,ballot\n1,Cuba,yes\n", encoding="utf-8")
    result = invoke(tmp_path, ["import-unga", str(path), "--db", str(db_path)])
    assert result.exit_code == 2
    assert "no column vote" in result.stderr
    assert _table(db_path, "SELECT count(*) FROM unga_votes") == [(0,)]


def test_country_codes_file() -> None:
    codes = load_country_codes()
    assert codes.resolve("RU", "Russia") == "RUS"
    assert codes.resolve("NA", "Namibia") == "NAM"  # not R's missing value
    assert codes.resolve("", "Yemen Arab Republic") == "YEM"
    assert codes.resolve("YD", "Yemen People's Republic") == "YMD"
    assert codes.resolve("", "Nowhere") is None
    assert len(set(codes.by_iso2)) >= 249


# -- the statistics ------------------------------------------------------------------------


def frame_of(votes: dict[str, list[str]], year: int = 2005) -> VoteFrame:
    return VoteFrame.from_records(
        {"rcid": i + 1, "date": f"{year}-10-{i % 28 + 1:02d}", "country": c, "vote": v}
        for c, vs in votes.items() for i, v in enumerate(vs) if v != "-")


def test_identical_voters_agree_fully() -> None:
    frame = frame_of({"AAA": ["yes", "no", "abstain", "yes"] * 5,
                      "BBB": ["yes", "no", "abstain", "yes"] * 5})
    (row,) = vote_agreement(frame, "AAA", "BBB", n_boot=200)
    assert row.n == 20 and row.period == "2005"
    assert row.agreement.value == 1.0 and row.s_score.value == 1.0 and row.kappa.value == 1.0
    assert row.kappa.low == 1.0 and row.kappa.high == 1.0


def test_opposite_voters() -> None:
    frame = frame_of({"AAA": ["yes", "no"] * 10, "BBB": ["no", "yes"] * 10})
    (row,) = vote_agreement(frame, "AAA", "BBB", n_boot=0)
    assert row.agreement.value == 0.0
    assert row.s_score.value == -1.0
    assert row.kappa.value < 0


def test_hand_computed_example() -> None:
    # agreement 2/4; distances 0, 2, 0, 1 half-steps → S = 1 − 3/4; chance agreement
    # (no 1·2 + abstain 1·0 + yes 2·2)/16 = 6/16 → kappa = (0.5 − 0.375)/0.625 = 0.2
    stats = vote_statistics(np.array([2, 2, 0, 1]), np.array([2, 0, 0, 2]))
    assert stats["agreement"] == 0.5
    assert stats["s_score"] == 0.25
    assert stats["kappa"] == pytest.approx(0.2)
    # everyone always says yes: agreement 1 but kappa undefined
    assert np.isnan(vote_statistics(np.array([2, 2]), np.array([2, 2]))["kappa"])


def test_only_roll_calls_both_voted_on_count() -> None:
    frame = frame_of({"AAA": ["yes", "yes", "-", "no"], "BBB": ["yes", "-", "no", "no"]})
    (row,) = vote_agreement(frame, "AAA", "BBB", n_boot=0)
    assert row.n == 2 and row.agreement.value == 1.0


def test_periods_and_reproducible_intervals() -> None:
    rng = np.random.default_rng(7)
    records = []
    for year in (2004, 2005):
        for i in range(40):
            for country in ("AAA", "BBB", "CCC"):
                records.append({"rcid": year * 100 + i, "date": f"{year}-11-{i % 28 + 1:02d}",
                                "country": country, "vote": str(rng.choice(
                                    ["yes", "no", "abstain"], p=[0.6, 0.25, 0.15]))})
    frame = VoteFrame.from_records(records)
    rows = vote_agreement(frame, "AAA", "CCC", n_boot=300, seed=3)
    assert [r.period for r in rows] == ["2004", "2005"]
    assert rows == vote_agreement(frame, "AAA", "CCC", n_boot=300, seed=3)
    for r in rows:
        for est in (r.agreement, r.s_score, r.kappa):
            assert est.low <= est.value <= est.high
    # a period's figures do not depend on the other periods being there
    assert vote_agreement(frame, "AAA", "CCC", n_boot=300, seed=3,
                          since=date(2005, 1, 1))[0] == rows[1]


def test_matrix_matches_dyad_and_is_symmetric() -> None:
    rng = np.random.default_rng(11)
    codes = ["AAA", "BBB", "CCC", "DDD", "EEE"]
    records = [{"rcid": i, "date": "2010-10-01", "country": c,
                "vote": str(rng.choice(["yes", "no", "abstain"]))}
               for i in range(60) for c in codes if rng.random() > 0.1]
    frame = VoteFrame.from_records(records)
    mat = agreement_matrix(frame, 2010)
    assert list(mat.countries) == codes
    for m in ("agreement", "s_score", "kappa"):
        values = getattr(mat, m)
        assert np.array_equal(values, values.T, equal_nan=True)
    for a in codes:
        for b in codes:
            if a == b:
                continue
            (row,) = vote_agreement(frame, a, b, n_boot=0)
            assert mat.n[mat.index(a), mat.index(b)] == row.n
            assert mat.value(a, b, "kappa") == row.kappa.value  # exactly the same formula
            assert mat.value(a, b, "agreement") == row.agreement.value
            assert mat.value(a, b, "s_score") == row.s_score.value


votes_st = st.lists(st.tuples(st.sampled_from(["yes", "no", "abstain", "-"]),
                              st.sampled_from(["yes", "no", "abstain", "-"])),
                    min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(pairs=votes_st, seed=st.integers(0, 2**16))
def test_symmetric_and_order_independent(pairs: list[tuple[str, str]], seed: int) -> None:
    frame = frame_of({"AAA": [p[0] for p in pairs], "BBB": [p[1] for p in pairs]})
    shuffled = frame.take(np.random.default_rng(seed).permutation(len(frame)))
    ab = vote_agreement(frame, "AAA", "BBB", n_boot=50)
    ba = vote_agreement(shuffled, "BBB", "AAA", n_boot=50)
    assert len(ab) == len(ba)
    for x, y in zip(ab, ba, strict=True):
        assert (x.n, x.period) == (y.n, y.period)
        for m in ("agreement", "s_score", "kappa"):
            ex, ey = getattr(x, m), getattr(y, m)
            assert np.array_equal([ex.value, ex.low, ex.high], [ey.value, ey.low, ey.high],
                                  equal_nan=True)
    m1, m2 = agreement_matrix(frame, 2005), agreement_matrix(shuffled, 2005)
    assert np.array_equal(m1.kappa, m2.kappa, equal_nan=True)


def test_frame_rejects_double_votes_and_unknown_words() -> None:
    with pytest.raises(ValueError, match="twice"):
        VoteFrame.from_records([{"rcid": 1, "date": "2000-01-01", "country": "AAA",
                                 "vote": "yes"}] * 2)
    with pytest.raises(ValueError, match="maybe"):
        VoteFrame.from_records([{"rcid": 1, "date": "2000-01-01", "country": "AAA",
                                 "vote": "maybe"}])


def test_load_votes_filters(tmp_path: Path, db_path: Path, unga_files) -> None:
    assert _import(tmp_path, db_path, unga_files).exit_code == 0
    with Store(db_path, read_only=True) as store:
        frame = load_votes(store)
        assert len(frame) == 20
        some = load_votes(store, countries=["usa", "CUB"],
                          since=date(1990, 1, 1))
    assert sorted(set(some.country.tolist())) == ["CUB", "USA"]
    assert len(some) == 4
    rows = vote_agreement(frame, "USA", "CAN", n_boot=0)
    assert [(r.period, r.n, r.agreement.value) for r in rows] == [("1989", 3, 2 / 3),
                                                                  ("1990", 2, 1.0)]


# -- the real data -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_db(shared: Path, tmp_path_factory) -> tuple[Path, Result]:
    tmp = tmp_path_factory.mktemp("unga-real")
    db = tmp / "un.duckdb"
    data = shared / "data"
    if not (data / "un_votes.csv.gz").exists():
        pytest.skip("../shared/data has no UNGA votes")
    result = invoke(tmp, ["import-unga", str(data / "un_votes.csv.gz"),
                          "--roll-calls", str(data / "un_roll_calls.csv.gz"),
                          "--issues", str(data / "un_roll_call_issues.csv.gz"),
                          "--db", str(db)])
    return db, result


@pytest.mark.shared
@pytest.mark.slow
def test_real_files_import_cleanly(real_db) -> None:
    db, result = real_db
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert _table(db, "SELECT count(*) FROM unga_votes") == [(870_109,)]
    assert _table(db, "SELECT count(*) FROM unga_roll_calls") == [(6_203,)]
    assert _table(db, "SELECT count(*) FROM unga_roll_calls WHERE issues IS NOT NULL"
                  ) == [(4_099,)]
    codes = {c for (c,) in _table(db, "SELECT DISTINCT country FROM unga_votes")}
    assert {"RUS", "CHN", "USA", "DEU", "DDR", "SRB", "CZE", "YEM", "YMD", "TWN"} <= codes
    assert all(len(c) == 3 and c.isupper() for c in codes)


@pytest.mark.shared
@pytest.mark.slow
def test_real_russia_china_vote_together_more_than_us_russia(real_db) -> None:
    db, result = real_db
    assert result.exit_code == 0, result.output
    with Store(db, read_only=True) as store:
        frame = load_votes(store, countries=["RUS", "CHN", "USA"],
                           since=date(2000, 1, 1), until=date(2009, 12, 31))
    rus_chn = {r.period: r for r in vote_agreement(frame, "RUS", "CHN", n_boot=500)}
    usa_rus = {r.period: r for r in vote_agreement(frame, "USA", "RUS", n_boot=500)}
    assert sorted(rus_chn) == [str(y) for y in range(2000, 2010)]
    for year in ("2003", "2005", "2008"):
        # not just higher: the intervals over roll calls do not even overlap
        assert rus_chn[year].agreement.low > usa_rus[year].agreement.high
        assert rus_chn[year].kappa.value > usa_rus[year].kappa.value
        assert rus_chn[year].n > 50
