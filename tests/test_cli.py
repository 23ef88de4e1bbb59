"""The ``cordiale`` command line: help, exit codes, listings, --db and CORDIALE_DB."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cordiale import __version__
from cordiale.cli import main

REPO_ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ["doc_id", "sentence_index", "text", "char_start", "char_end",
            "country", "sector", "code", "name", "confidence"]

STORIES = {
    "moscow-talks": "Russian Foreign Minister Sergei Lavrov met his Indian counterpart in "
                    "Moscow on Tuesday to discuss a long-delayed fertiliser contract.",
    "nairobi-rail": "Kenya's president opened a new rail terminal outside Nairobi on Friday, "
                    "and the transport ministry said freight trains would start next month.",
    "baltic-drill": "The German navy joined a mine-clearing drill in the Baltic Sea with ships "
                    "from Poland and Lithuania, according to the defence ministry in Berlin.",
}


def _clean_env(tmp: Path) -> dict[str, str | None]:
    """CliRunner env: unset every CORDIALE_* and point the config file at nothing."""
    env: dict[str, str | None] = {k: None for k in os.environ if k.startswith("CORDIALE_")}
    env["CORDIALE_CONFIG"] = str(tmp / "no-such-cordiale.toml")
    return env


def invoke(tmp: Path, args: list[str], input: str | None = None, **env: str) -> Result:
    merged = _clean_env(tmp)
    merged.update(env)
    return CliRunner().invoke(main, args, input=input, env=merged, catch_exceptions=False)


def commands_from_help(text: str) -> list[str]:
    """Command names from the 'Commands:' section of ``cordiale --help``."""
    section = text.split("Commands:", 1)[1]
    return [m[1] for m in re.finditer(r"^\s{2}(\S+)", section, re.MULTILINE)]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli-corpus") / "wire.jsonl"
    path.write_text("".join(json.dumps({"id": k, "text": v, "published": "2021-11-24"}) + "\n"
                            for k, v in STORIES.items()), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def ingested(tmp_path_factory, corpus: Path) -> tuple[Path, Result]:
    """A database filled by one clean `cordiale ingest` run (shared by the listing tests)."""
    tmp = tmp_path_factory.mktemp("cli-db")
    db = tmp / "news.duckdb"
    result = invoke(tmp, ["ingest", str(corpus), "--db", str(db), "-q"])
    return db, result


# -- help and version ------------------------------------------------------------------------


def test_version(tmp_path: Path) -> None:
    result = invoke(tmp_path, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"cordiale, version {__version__}"


def test_main_help_lists_commands_with_example(tmp_path: Path) -> None:
    result = invoke(tmp_path, ["--help"])
    assert result.exit_code == 0
    assert "Example" in result.stdout
    assert set(commands_from_help(result.stdout)) == set(main.commands)
    assert {"ingest", "docs", "actors", "errors"} <= set(main.commands)


@pytest.mark.parametrize("command", sorted(main.commands))
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_every_command_help_has_an_example(tmp_path: Path, command: str, flag: str) -> None:
    result = invoke(tmp_path, [command, flag])
    assert result.exit_code == 0, result.output
    assert "Example" in result.stdout
    assert f"cordiale {command}" in result.stdout  # the example shows the command itself


def test_help_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from cordiale.cli import main\n"
        "for args in [['--help']] + [[c, '--help'] for c in main.commands]:\n"
        "    assert CliRunner().invoke(main, args).exit_code == 0, args\n"
        "print(sorted(m for m in ('spacy', 'duckdb', 'trafilatura') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_readme_documents_every_command() -> None:
    readme = REPO_ROOT / "README.md"
    if not readme.exists():
        pytest.skip("README.md does not exist yet")
    help_text = CliRunner().invoke(main, ["--help"]).stdout
    text = readme.read_text(encoding="utf-8")
    missing = [c for c in commands_from_help(help_text) if f"cordiale {c}" not in text]
    assert missing == [], f"README.md does not show: {missing}"


# -- ingest ----------------------------------------------------------------------------------


def test_ingest_clean_run_exits_0(ingested) -> None:
    _, result = ingested
    assert result.exit_code == 0, result.output
    assert re.search(r"^documents: 3 new, 0 already present, 0 near-duplicates, 0 failed; ",
                     result.stdout, re.MULTILINE), result.stdout
    assert result.stderr == ""


def test_ingest_with_a_failure_exits_1_and_names_it(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "news.duckdb"
    photo = tmp_path / "photo.txt"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "ok", "text": "Ministers met in Accra on Monday."}\n'
                      '{"id": "bad", "text": \n', encoding="utf-8")
    result = invoke(tmp_path, ["ingest", str(corpus), str(photo), str(broken), "--db", str(db),
                               "-q"])
    assert result.exit_code == 1, result.output
    assert "documents: 4 new, 0 already present" in result.stdout
    assert f"error: {photo}: binary file" in result.stderr
    assert f"error: {broken} line 2: not JSON" in result.stderr
    assert "2 input(s) failed" in result.stderr
    assert f"cordiale errors --db {db}" in result.stderr
    assert "error:" not in result.stdout  # failures go to stderr only

    listed = invoke(tmp_path, ["errors", "--db", str(db), "--format", "jsonl"])
    assert listed.exit_code == 0
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert {(r["origin"], r["line"]) for r in rows} == {(str(photo), None), (str(broken), 2)}
    assert all(r["times"] == 1 and r["kind"] == "input" for r in rows)
    table = invoke(tmp_path, ["errors", "--db", str(db)])
    assert table.exit_code == 0
    assert "binary file" in table.stdout and "not JSON" in table.stdout

    # a clean re-run of only the good input exits 0 again
    again = invoke(tmp_path, ["ingest", str(corpus), "--db", str(db), "-q"])
    assert again.exit_code == 0, again.output
    assert "documents: 0 new, 3 already present" in again.stdout


def test_errors_table_shows_the_file_name(tmp_path: Path) -> None:
    # The default (table) listing must say *which* file failed, even for a long path.
    deep = tmp_path / "archive" / "2021" / "november" / "wire-services" / "agency-feeds"
    deep.mkdir(parents=True)
    photo = deep / "photo-of-the-day.txt"
    photo.write_bytes(b"\x00\x01binary")
    db = tmp_path / "news.duckdb"
    assert invoke(tmp_path, ["ingest", str(photo), "--db", str(db), "-q"]).exit_code == 1
    table = invoke(tmp_path, ["errors", "--db", str(db)])
    assert table.exit_code == 0
    assert "photo-of-the-day.txt" in table.stdout, table.stdout


def test_ingest_from_stdin_with_defaults(tmp_path: Path) -> None:
    db = tmp_path / "stdin.duckdb"
    story = ("Harbour strike ends\n\nDock workers in Antwerp returned to work on Wednesday "
             "after the port authority agreed to review night-shift pay.\n")
    result = invoke(tmp_path, ["ingest", "-", "--db", str(db), "-q", "--published",
                               "2021-11-24", "--source", "Port Gazette"], input=story)
    assert result.exit_code == 0, result.output
    assert "documents: 1 new" in result.stdout
    listed = invoke(tmp_path, ["docs", "--db", str(db), "--format", "jsonl"])
    [row] = [json.loads(line) for line in listed.stdout.splitlines()]
    assert row["title"] == "Harbour strike ends"
    assert row["published"] == "2021-11-24"
    assert row["source"] == "Port Gazette"
    assert row["origin"] == "<stdin>"


def test_ingest_bad_published_is_a_usage_error(tmp_path: Path, corpus: Path) -> None:
    result = invoke(tmp_path, ["ingest", str(corpus), "--db", str(tmp_path / "x.duckdb"),
                               "--published", "24/11/2021"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.stderr
    assert not (tmp_path / "x.duckdb").exists()


def test_ingest_needs_a_path(tmp_path: Path) -> None:
    result = invoke(tmp_path, ["ingest", "--db", str(tmp_path / "x.duckdb")])
    assert result.exit_code == 2
    assert "PATHS" in result.stderr


# -- listings ----------------------------------------------------------------------------------


def test_actors_jsonl_has_exactly_the_contract_keys(ingested) -> None:
    db, _ = ingested
    result = invoke(db.parent, ["actors", "--db", str(db), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows, "no actor mentions found in the CLI corpus"
    for row in rows:
        assert list(row) == CONTRACT
        assert row["doc_id"] in STORIES
        text = STORIES[row["doc_id"]]
        assert text[row["char_start"]:row["char_end"]] == row["text"]
        assert isinstance(row["confidence"], float)


def test_actors_csv_header_in_contract_order(ingested) -> None:
    db, _ = ingested
    result = invoke(db.parent, ["actors", "--db", str(db), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == CONTRACT
    assert len(rows) > 1
    assert all(len(r) == len(CONTRACT) for r in rows)
    as_jsonl = invoke(db.parent, ["actors", "--db", str(db), "--format", "jsonl"])
    assert len(rows) - 1 == len(as_jsonl.stdout.splitlines())


def test_actors_limit_and_filters(ingested) -> None:
    db, _ = ingested
    one = invoke(db.parent, ["actors", "--db", str(db), "--format", "jsonl", "--limit", "1"])
    assert len(one.stdout.splitlines()) == 1
    only = invoke(db.parent, ["actors", "--db", str(db), "--format", "jsonl",
                              "--doc", "nairobi-rail"])
    docs = {json.loads(line)["doc_id"] for line in only.stdout.splitlines()}
    assert docs <= {"nairobi-rail"}


def test_docs_lists_the_documents(ingested) -> None:
    db, _ = ingested
    table = invoke(db.parent, ["docs", "--db", str(db)])
    assert table.exit_code == 0, table.output
    for doc_id in STORIES:
        assert doc_id in table.stdout
    assert table.stdout.splitlines()[0].split()[:2] == ["doc_id", "published"]
    as_csv = invoke(db.parent, ["docs", "--db", str(db), "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert sorted(r["doc_id"] for r in rows) == sorted(STORIES)
    assert {r["published"] for r in rows} == {"2021-11-24"}
    assert all(int(r["sentences"]) >= 1 for r in rows)


def test_empty_database_lists_no_rows(tmp_path: Path) -> None:
    from cordiale.store import Store

    db = tmp_path / "empty.duckdb"
    Store(db).close()
    result = invoke(tmp_path, ["docs", "--db", str(db)])
    assert result.exit_code == 0
    assert "(no rows)" in result.stdout
    assert invoke(tmp_path, ["actors", "--db", str(db), "--format", "jsonl"]).stdout == ""


# -- --db and CORDIALE_DB ------------------------------------------------------------------------


def test_cordiale_db_env_is_used(tmp_path: Path, corpus: Path, monkeypatch) -> None:
    db = tmp_path / "from-env.duckdb"
    monkeypatch.chdir(tmp_path)  # so a default ./cordiale.duckdb would show up here
    result = invoke(tmp_path, ["ingest", str(corpus), "-q"], CORDIALE_DB=str(db))
    assert result.exit_code == 0, result.output
    assert db.exists()
    assert not (tmp_path / "cordiale.duckdb").exists()
    listed = invoke(tmp_path, ["docs", "--format", "csv"], CORDIALE_DB=str(db))
    assert listed.exit_code == 0
    assert sorted(r["doc_id"] for r in csv.DictReader(io.StringIO(listed.stdout))) == \
        sorted(STORIES)
    # --db wins over the environment
    other = tmp_path / "other.duckdb"
    missing = invoke(tmp_path, ["docs", "--db", str(other)], CORDIALE_DB=str(db))
    assert missing.exit_code == 2
    assert str(other) in missing.stderr


@pytest.mark.parametrize("command", ["docs", "actors", "errors"])
def test_missing_database_is_a_clear_error(tmp_path: Path, command: str) -> None:
    db = tmp_path / "absent.duckdb"
    result = invoke(tmp_path, [command, "--db", str(db)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert str(db) in result.stderr
    assert "no such database" in result.stderr
    assert "Traceback" not in result.output
    assert not db.exists()


def test_missing_database_via_subprocess(tmp_path: Path) -> None:
    """The installed entry point, as a user runs it: exit 2 and a one-line message."""
    db = tmp_path / "absent.duckdb"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CORDIALE_")}
    proc = subprocess.run([sys.executable, "-m", "cordiale.cli", "docs", "--db", str(db)],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip() == (f"error: {db}: no such database; run 'cordiale ingest' first")
