"""The DuckDB import path against the row readers, and events kept in month-partitioned Parquet.

The row readers (``engine="rows"``) are the reference: the DuckDB path must store the same
events, field for field, record the same failures with the same lines and reasons, and print
the same counts. ICEWS samples come from ../shared (skipped when absent); the other files are
written here with made-up values. The crash test kills a real ``cordiale import`` process.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import CliRunner, Result

from cordiale.cli import main
from cordiale.importers.load import import_events

ROOT = Path(__file__).resolve().parents[1]
HEADER = ("event_id,event_date,source_name,source_sectors,source_country,event_text,"
          "cameo_code,intensity,target_name,target_sectors,target_country,story_id,"
          "sentence_number,publisher,city,district,province,country,latitude,longitude")


def invoke(tmp: Path, args: list[str]) -> Result:
    env: dict[str, str | None] = {k: None for k in os.environ if k.startswith("CORDIALE_")}
    env["CORDIALE_CONFIG"] = str(tmp / "no-such-cordiale.toml")
    return CliRunner().invoke(main, args, env=env, catch_exceptions=False)


def stored(db: Path) -> tuple[list[tuple], list[tuple]]:
    """Every event (all columns, by id) and every recorded failure of a store."""
    with duckdb.connect(str(db), read_only=True) as con:
        events = con.execute("SELECT * FROM events ORDER BY event_id").fetchall()
        errors = con.execute("SELECT origin, line, kind, reason, times FROM errors "
                             "ORDER BY origin, line, reason").fetchall()
    return events, errors


def both_ways(paths: list[Path], fmt: str, tmp: Path, batch_size: int = 50_000
              ) -> tuple[Any, Any, tuple, tuple]:
    rows_db, fast_db = tmp / "rows.duckdb", tmp / "fast.duckdb"
    by_rows = import_events(paths, fmt, rows_db, engine="rows", batch_size=batch_size)
    by_duckdb = import_events(paths, fmt, fast_db, engine="duckdb", batch_size=batch_size)
    return by_rows, by_duckdb, stored(rows_db), stored(fast_db)


def same_summary(a: Any, b: Any) -> None:
    assert (a.read, a.imported, a.present, a.failed, a.unreadable, a.unmapped) == (
        b.read, b.imported, b.present, b.failed, b.unreadable, b.unmapped)
    assert [str(f) for f in a.failures] == [str(f) for f in b.failures]


@pytest.mark.shared
@pytest.mark.parametrize("name", ["icews_sample.csv.gz", "icews_events.2018.sample.tab.gz"])
def test_duckdb_path_stores_what_the_row_reader_stores(shared: Path, tmp_path: Path,
                                                       name: str) -> None:
    by_rows, by_duckdb, (rows_events, rows_errors), (fast_events, fast_errors) = both_ways(
        [shared / "data" / name], "icews", tmp_path, batch_size=1_000)
    assert by_rows.imported > 3000
    same_summary(by_rows, by_duckdb)
    assert len(fast_events) == len(rows_events) == by_rows.imported
    assert fast_events == rows_events  # same ids, every field
    assert fast_errors == rows_errors


@pytest.mark.shared
def test_duckdb_path_on_a_slice_of_the_six_month_file(shared: Path, tmp_path: Path) -> None:
    """20,000 real rows of the large file: its spellings, sectors and blanks, both ways."""
    source = shared / "data" / "icews_daily_2018-10_2019-03.tab.gz"
    if not source.exists():
        pytest.skip("the six-month ICEWS file is not in ../shared/data")
    part = tmp_path / "slice.tab.gz"
    with gzip.open(source, "rb") as fh, gzip.open(part, "wb") as out:
        for n, line in enumerate(fh):
            if n > 20_000:
                break
            out.write(line)
    by_rows, by_duckdb, rows_store, fast_store = both_ways([part], "icews", tmp_path)
    same_summary(by_rows, by_duckdb)
    assert by_duckdb.imported == 20_000
    assert fast_store == rows_store


def test_duckdb_path_fails_the_same_rows_with_the_same_lines(tmp_path: Path) -> None:
    """Blank and space-only lines, bad values of every kind, a short and a long row, a
    non-UTF-8 row, a repeated id and an unknown country: same store, same errors."""
    lines = [
        HEADER,
        "1,2019-05-02,Army (Chile),Military,Chile,x,190,-10,Citizen (Peru),Social,Peru,"
        "70,1,Some Wire,Lima,,Lima,Peru,-12.05,-77.04",
        "",
        "2,2019-05-02,Chile,,Chile,x,040,,Atlantis,,Atlantis,71,2,Some Wire,,,,Chile,,",
        "   ",
        "3,2019-13-02,Chile,,Chile,x,040,1,Peru,,Peru,72,1,Some Wire,,,,,,",
        "4,2019-05-02,Chile,,Chile,x,999,1,Peru,,Peru,73,1,Some Wire,,,,,,",
        "5,2019-05-02,Chile,,Chile,x,040,strong,Peru,,Peru,74,1,Some Wire,,,,,,",
        "6,2019-05-02,Chile,,Chile,x,040,1,Peru",
        "7,2019-05-03, Peru ,,Peru,x,36,,Chile,,Chile,75,1,Some Wire,,,,,,",
        "8,2019-05-03,Peru,,Peru,x,36,,Chile,,Chile,75,1,Some Wire,,,,,,,extra",
        ",2019-05-03,Peru,,Peru,x,36,,Chile,,Chile,75,1,Some Wire,,,,,,",
        "9,2019-05-03,Peru,,Peru,x,36,11,Chile,,Chile,75,x,Some Wire,,,,,95,",
        "10,2019-05-03,Peru,,Peru,x,36,2,Chile,,Chile,75,1,Some Wire,,,,,,200",
        "1,2019-05-02,Army (Chile),Military,Chile,x,190,-10,Citizen (Peru),Social,Peru,"
        "70,1,Some Wire,Lima,,Lima,Peru,-12.05,-77.04",
        '11,2019-05-04,"Government (Chile)",Government,Chile,"said, quoted",042,,'
        "United Nations,,,76,1,Wire,,,,,,",
        # spaces around looked-up fields (staged as read, cleaned per distinct value)
        "12, 2019-05-04 ,Peru,\tMilitary , Atlantis ,x, 36 , 2 ,Chile,,Chile,77, 1 ,Wire,,,,"
        " Peru , -12.05 ,",
    ]
    path = tmp_path / "mixed.csv"
    data = ("\n".join(lines) + "\n").encode()
    data = data.replace(b"Some Wire,,,,,95,", "Some Wir\xe9,,,,,95,".encode("latin-1"))
    path.write_bytes(data)
    by_rows, by_duckdb, rows_store, fast_store = both_ways([path], "icews", tmp_path)
    assert by_rows.failed >= 8 and by_rows.imported == 5 and by_rows.present == 1
    assert by_rows.unmapped["Atlantis"] == 2
    same_summary(by_rows, by_duckdb)
    assert fast_store == rows_store


def _gdelt_line(gid: str, width: int = 58, **over: str) -> str:
    at = {"id": 0, "sqldate": 1, "a1code": 5, "a1name": 6, "a1country": 7, "a1type": 12,
          "a2code": 15, "a2country": 17, "code": 26, "quad": 29, "goldstein": 30,
          "geo_name": 50, "geo_country": 51, "lat": 53, "long": 54, "url": 57}
    values = {"id": gid, "sqldate": "20150304", "a1code": "RUSGOV", "a1name": "RUSSIA",
              "a1country": "RUS", "a1type": "GOV", "a2code": "UKRMIL", "a2country": "",
              "code": "0214", "quad": "1", "goldstein": "3.4", "geo_name": "Kyiv",
              "geo_country": "UP", "lat": "50.45", "long": "30.52",
              "url": f"https://www.example-news.test/{gid}"} | over
    fields = [""] * width
    for name, value in values.items():
        if at[name] < width:
            fields[at[name]] = value
    return "\t".join(fields)


def test_gdelt_both_ways(tmp_path: Path) -> None:
    lines = ["1\t2\t3", "", _gdelt_line("1"), _gdelt_line("2", sqldate="20151301"),
             _gdelt_line("3", code="999"), _gdelt_line("4", goldstein="high"),
             _gdelt_line("5") + "\tmore", _gdelt_line("6", quad="7"),
             _gdelt_line("7", a1country="QQQ", geo_country="QQ"), _gdelt_line("x8"),
             _gdelt_line("9", url="", a2code="EUR", a2country="EUR"), _gdelt_line("1")]
    path = tmp_path / "g.export.CSV.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    by_rows, by_duckdb, rows_store, fast_store = both_ways([path], "gdelt", tmp_path)
    assert by_rows.imported == 3 and by_rows.failed == 7
    same_summary(by_rows, by_duckdb)
    assert fast_store == rows_store


def test_a_clean_file_with_a_repeated_id_keeps_the_first_both_ways(tmp_path: Path) -> None:
    """No row fails, so the DuckDB path skips its validity pass; the repeated id must still
    count as already present, and the first row's values are the ones stored."""
    lines = [HEADER] + [
        f"{i},2019-05-0{1 + i % 3},Chile,,Chile,x,040,,Peru,,Peru,{70 + i},1,Wire,,,,,,"
        for i in range(1, 6)] + ["3,2019-05-09,Peru,,Peru,x,190,,Chile,,Chile,99,1,Wire,,,,,,"]
    path = tmp_path / "repeat.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    by_rows, by_duckdb, rows_store, fast_store = both_ways([path], "icews", tmp_path,
                                                           batch_size=4)
    assert (by_rows.imported, by_rows.present, by_rows.failed) == (5, 1, 0)
    same_summary(by_rows, by_duckdb)
    assert fast_store == rows_store
    with duckdb.connect(str(tmp_path / "fast.duckdb"), read_only=True) as con:
        assert con.execute("SELECT cameo_code, source_country FROM events WHERE event_id = "
                           "'icews:3'").fetchall() == [("040", "CHL")]


def test_new_stores_have_no_event_id_index_and_old_ones_with_one_still_import(
        tmp_path: Path) -> None:
    """Stores made before issue 12 keep events.event_id as a primary key: an import into
    such a store, and a re-import, store what they store in a new one."""
    from cordiale.store import Store

    path = tmp_path / "g.tsv"
    path.write_text("\n".join(_gdelt_line(str(i), sqldate=f"201503{i % 28 + 1:02d}")
                              for i in range(1, 301)) + "\n", encoding="utf-8")
    new, old = tmp_path / "new.duckdb", tmp_path / "old.duckdb"
    Store(new).close()
    Store(old).close()
    with duckdb.connect(str(new)) as con:
        assert con.execute("SELECT count(*) FROM duckdb_constraints() WHERE table_name = "
                           "'events' AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')"
                           ).fetchone() == (0,)
    with duckdb.connect(str(old)) as con:  # the layout of migration 0002 before issue 12
        con.execute("DROP INDEX events_date")
        con.execute("ALTER TABLE events ADD PRIMARY KEY (event_id)")
        con.execute("CREATE INDEX events_date ON events (event_date)")
    for db in (new, old):
        first = import_events([path], "gdelt", db, batch_size=120)
        again = import_events([path], "gdelt", db, batch_size=120)
        assert (first.imported, again.imported, again.present) == (300, 0, 300)
    assert stored(new) == stored(old)
    with duckdb.connect(str(old)) as con, pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO events SELECT * FROM events LIMIT 1")  # the key is still there


# -- Parquet -----------------------------------------------------------------------------------
def parquet_files(directory: Path) -> list[Path]:
    return sorted((directory / "events").glob("*/*.parquet"))


@pytest.mark.shared
def test_parquet_store_reads_like_the_file(shared: Path, tmp_path: Path) -> None:
    sample = str(shared / "data" / "icews_sample.csv.gz")
    plain, split, pq = tmp_path / "plain.duckdb", tmp_path / "split.duckdb", tmp_path / "pq"
    assert invoke(tmp_path, ["import", sample, "--format", "icews", "--db", str(plain)]
                  ).exit_code == 0
    first = invoke(tmp_path, ["import", sample, "--format", "icews", "--db", str(split),
                              "--parquet", str(pq), "--batch-size", "2000"])
    assert first.exit_code == 0, first.output
    files = parquet_files(pq)
    assert files and all(f.parent.name == "month=2018-06" for f in files)
    with duckdb.connect(str(split), read_only=True) as con:  # the file itself holds no events
        assert con.execute("SELECT count(*) FROM events").fetchone() == (0,)
    with duckdb.connect() as con:
        assert con.execute(f"SELECT count(*), count(DISTINCT event_id) FROM "
                           f"read_parquet('{pq}/events/*/*.parquet')"
                           ).fetchone() == (4993, 4993)
    for args in (["events", "--dyad", "CHN,USA", "--format", "jsonl"],
                 ["events", "--actor", "RUS", "--format", "csv", "--limit", "50"],
                 ["dyad", "USA", "CHN", "--freq", "day", "--format", "jsonl"],
                 ["blocs", "--format", "jsonl"],
                 ["changes", "USA", "CHN", "--freq", "day", "--format", "jsonl"],
                 ["align", "USA", "CHN", "--freq", "day", "--format", "jsonl"],
                 ["show", "icews:32889836", "--format", "jsonl"]):
        want = invoke(tmp_path, [*args, "--db", str(plain)])
        got = invoke(tmp_path, [*args, "--db", str(split), "--parquet", str(pq)])
        assert want.exit_code == 0, want.output
        assert got.exit_code == 0, got.output
        assert got.stdout == want.stdout, args
        assert got.stderr == want.stderr, args
        assert len(want.output) > 50, args
    pages = []
    for db, extra in ((plain, []), (split, ["--parquet", str(pq)])):
        page = tmp_path / f"{db.stem}.html"
        made = invoke(tmp_path, ["report", "USA", "CHN", "--freq", "day", "--db", str(db),
                                 "--output", str(page), *extra])
        assert made.exit_code == 0, made.output
        pages.append(page.stat().st_size)
    assert pages[0] == pages[1] > 10_000
    again = invoke(tmp_path, ["import", sample, "--format", "icews", "--db", str(split),
                              "--parquet", str(pq)])
    assert "0 imported, 4993 already present" in again.stdout
    assert parquet_files(pq) == files


def _write_gdelt(path: Path, count: int) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(1, count + 1):
            day = f"2015{(i % 12) + 1:02d}{(i % 28) + 1:02d}"
            fh.write(_gdelt_line(str(i), sqldate=day) + "\n")


def test_killed_parquet_import_leaves_whole_files_and_a_rerun_duplicates_nothing(
        tmp_path: Path) -> None:
    data, db, pq = tmp_path / "big.tsv", tmp_path / "k.duckdb", tmp_path / "pq"
    total = 120_000
    _write_gdelt(data, total)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CORDIALE_")}
    env["PYTHONPATH"] = str(ROOT / "src")
    command = [sys.executable, "-m", "cordiale.cli", "import", str(data), "--format", "gdelt",
               "--db", str(db), "--parquet", str(pq), "--batch-size", "3000"]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and len(parquet_files(pq)) < 12:
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the import ended before it could be killed"
    visible = parquet_files(pq)
    assert visible
    with duckdb.connect() as con:  # every visible file is whole
        n = con.execute(f"SELECT count(*) FROM read_parquet('{pq}/events/*/*.parquet')"
                        ).fetchone()
    assert n is not None and 0 < n[0] < total
    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{total} rows read" in rerun.stdout
    assert not list(pq.glob("events/*/.part-*")), "a temporary file was left behind"
    with duckdb.connect() as con:
        count, ids = con.execute(
            f"SELECT count(*), count(DISTINCT event_id) FROM "
            f"read_parquet('{pq}/events/*/*.parquet')").fetchone() or (0, 0)
    assert count == ids == total


def test_killed_import_into_the_file_leaves_whole_batches_and_a_rerun_duplicates_nothing(
        tmp_path: Path) -> None:
    """events.event_id has no primary key in a new store: the re-run's anti-join alone must
    keep the ids unique."""
    data, db = tmp_path / "big.tsv", tmp_path / "k.duckdb"
    total, batch = 150_000, 1_000  # 150 commits: time for the reader below to see one
    _write_gdelt(data, total)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CORDIALE_")}
    env["PYTHONPATH"] = str(ROOT / "src")
    command = [sys.executable, "-m", "cordiale.cli", "import", str(data), "--format", "gdelt",
               "--db", str(db), "--batch-size", str(batch)]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seen = 0
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None and not seen:
        try:  # the writer holds the file while a batch commits: look in between, often
            with duckdb.connect(str(db), read_only=True) as con:
                row = con.execute("SELECT count(*) FROM events").fetchone()
                seen = row[0] if row else 0
        except duckdb.Error:
            time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the import ended before it could be killed"
    with duckdb.connect(str(db), read_only=True) as con:
        left = con.execute("SELECT count(*) FROM events").fetchone()
    assert left is not None and 0 < left[0] < total and left[0] % batch == 0
    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{total - left[0]} imported, {left[0]} already present" in rerun.stdout
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*), count(DISTINCT event_id) FROM events"
                           ).fetchone() == (total, total)


def test_readers_see_parquet_events_through_the_env_variable(tmp_path: Path) -> None:
    data, db, pq = tmp_path / "g.tsv", tmp_path / "e.duckdb", tmp_path / "pq"
    _write_gdelt(data, 50)
    env: dict[str, str | None] = {k: None for k in os.environ if k.startswith("CORDIALE_")}
    env |= {"CORDIALE_PARQUET": str(pq), "CORDIALE_CONFIG": str(tmp_path / "none.toml")}
    runner = CliRunner()
    result = runner.invoke(main, ["import", str(data), "--format", "gdelt", "--db", str(db)],
                           env=env)
    assert result.exit_code == 0, result.output
    assert len({f.parent.name for f in parquet_files(pq)}) == 12
    listed = runner.invoke(main, ["events", "--db", str(db), "--dyad", "RUS,UKR",
                                  "--format", "jsonl"], env=env)
    assert len(listed.stdout.splitlines()) == 50
    assert {json.loads(x)["source_country"] for x in listed.stdout.splitlines()} == {"RUS"}
    without = invoke(tmp_path, ["events", "--db", str(db), "--format", "jsonl"])
    assert without.stdout == ""  # the database file alone holds none of them


def test_readers_never_fail_while_an_import_runs_and_see_whole_batches(tmp_path: Path) -> None:
    from cordiale.store import Store

    data, db = tmp_path / "big.tsv", tmp_path / "r.duckdb"
    total, batch = 90_000, 3_000
    _write_gdelt(data, total)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CORDIALE_")}
    env["PYTHONPATH"] = str(ROOT / "src")
    proc = subprocess.Popen(
        [sys.executable, "-m", "cordiale.cli", "import", str(data), "--format", "gdelt",
         "--db", str(db), "--batch-size", str(batch)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen: list[int] = []
    while proc.poll() is None:
        if not db.exists():
            time.sleep(0.02)
            continue
        with Store(db, read_only=True, wait=60) as store:  # raises if it cannot read
            seen.append(store.counts()["events"])
    out, err = proc.communicate()
    assert proc.returncode == 0, err
    assert f"{total} imported" in out
    assert len(seen) >= 3, "the import ended before the readers could look"
    assert all(n % batch == 0 for n in seen), seen  # never half a batch
    assert seen == sorted(seen)  # nothing seen is taken back


@pytest.mark.model
def test_ingest_into_parquet_lists_what_ingest_into_the_file_lists(tmp_path: Path) -> None:
    """Sentences of our own, coded twice: into the file, and into Parquet; then re-run."""
    news = tmp_path / "news.jsonl"
    docs = [
        {"id": "a", "date": "2021-03-03", "text": "Japan signed a trade agreement with Brazil. "
         "Russia accused Ukraine of shelling a border village."},
        {"id": "b", "date": "2021-04-12", "text": "France sent aid to Lebanon after the "
         "floods. China criticised the United States over its new tariffs."},
    ]
    news.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    plain, split, pq = tmp_path / "plain.duckdb", tmp_path / "split.duckdb", tmp_path / "pq"
    assert invoke(tmp_path, ["ingest", str(news), "--db", str(plain), "-q"]).exit_code == 0
    first = invoke(tmp_path, ["ingest", str(news), "--db", str(split), "--parquet", str(pq),
                              "-q"])
    assert first.exit_code == 0, first.output
    assert {f.parent.name for f in parquet_files(pq)} == {"month=2021-03", "month=2021-04"}
    want = invoke(tmp_path, ["events", "--db", str(plain), "--format", "jsonl",
                             "--include-hypothetical"])
    got = invoke(tmp_path, ["events", "--db", str(split), "--parquet", str(pq),
                            "--format", "jsonl", "--include-hypothetical"])
    assert len(want.stdout.splitlines()) >= 3
    assert got.stdout == want.stdout
    files = parquet_files(pq)
    again = invoke(tmp_path, ["ingest", str(news), "--db", str(split), "--parquet", str(pq),
                              "-q"])
    assert again.exit_code == 0 and parquet_files(pq) == files


def test_the_whitespace_the_duckdb_path_trims_is_what_str_strip_strips() -> None:
    from cordiale.importers.fast import WHITESPACE

    assert "".join(chr(i) for i in range(0x110000) if chr(i).isspace()) == WHITESPACE


def test_a_parquet_batch_holding_an_id_twice_writes_the_first(tmp_path: Path) -> None:
    from cordiale.store import parquet as parquet_store

    with duckdb.connect() as con:
        con.execute("CREATE TABLE events (event_id VARCHAR, event_date DATE, goldstein DOUBLE, "
                    "source_country VARCHAR, target_country VARCHAR, negated BOOLEAN, "
                    "hypothetical BOOLEAN)")
        select = ("SELECT * FROM (VALUES ('a', DATE '2020-01-02', 1.0), "
                  "('b', DATE '2020-02-03', 2.0), ('a', DATE '2020-01-05', 3.0)) "
                  "t(event_id, event_date, goldstein)")
        names = ["event_id", "event_date", "goldstein"]
        full = (f"SELECT *, 'FRA' AS source_country, 'DEU' AS target_country, false AS negated,"
                f" false AS hypothetical FROM ({select})")
        added = parquet_store.write_events(con, tmp_path, full, [], "events",
                                           [*names, "source_country", "target_country",
                                            "negated", "hypothetical"])
        rows = con.execute(f"SELECT event_id, event_date, goldstein FROM "
                           f"{parquet_store.scan(tmp_path)} ORDER BY event_id").fetchall()
    assert added == 2
    assert [(r[0], str(r[1]), r[2]) for r in rows] == [("a", "2020-01-02", 1.0),
                                                       ("b", "2020-02-03", 2.0)]
