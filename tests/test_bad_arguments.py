"""Bad arguments get one line that names them, and a read command never creates a database
(issue 10, part 4)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from cordiale.cli import main
from cordiale.store import Store
from nobody import SKIP_UNLESS_ROOT, as_nobody, shared_folder


def _run(tmp: Path, args: list[str]):
    env: dict[str, str | None] = {k: None for k in os.environ if k.startswith("CORDIALE_")}
    env["CORDIALE_CONFIG"] = str(tmp / "none.toml")
    return CliRunner().invoke(main, args, env=env)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "empty.duckdb"
    Store(str(path)).close()
    return path


@pytest.mark.parametrize("args,names", [
    (["events", "--limit", "-5"], "--limit"),
    (["events", "--limit", "99999999999999999999"], "--limit"),
    (["docs", "--limit", "-1"], "--limit"),
    (["actors", "--limit", "x"], "--limit"),
    (["events", "--since", "2023-13-45"], "--since"),
    (["events", "--until", "0000-00-00"], "--until"),
    (["events", "--dyad", "CHN"], "--dyad"),
])
def test_bad_argument_is_one_line_naming_it(tmp_path: Path, db: Path, args, names) -> None:
    result = _run(tmp_path, [*args, "--db", str(db)])
    assert result.exit_code == 2
    assert names in result.output
    assert "Traceback" not in result.output
    assert len([line for line in result.output.splitlines() if line.startswith("Error")]) == 1


@pytest.mark.parametrize("command", [["events"], ["docs"], ["actors"], ["errors"],
                                     ["show", "abc"], ["dyad", "CHN", "RUS"]])
def test_a_read_command_never_creates_a_database(tmp_path: Path, command) -> None:
    missing = tmp_path / "missing.duckdb"
    result = _run(tmp_path, [*command, "--db", str(missing)])
    assert result.exit_code != 0
    assert "no such database" in result.output
    assert not missing.exists()


def test_a_file_that_is_not_a_database_is_named(tmp_path: Path) -> None:
    junk = tmp_path / "notes.duckdb"
    junk.write_text("not a database", encoding="utf-8")
    result = _run(tmp_path, ["events", "--db", str(junk)])
    assert result.exit_code == 2
    assert str(junk) in result.output and "not a valid DuckDB database" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", [["dyad", "CHN", "RUS"], ["changes", "CHN", "RUS"],
                                     ["align", "CHN", "RUS"]])
def test_an_absurd_window_is_refused_before_any_work(tmp_path: Path, db: Path, command) -> None:
    # weekly from year 1 to 9999 would list half a million periods, each with a bootstrap
    result = _run(tmp_path, [*command, "--db", str(db), "--freq", "week",
                             "--since", "0001-01-01", "--until", "9999-12-31"])
    assert result.exit_code == 2
    assert "--since" in result.output and "5,000 periods" in result.output
    assert "Traceback" not in result.output


def _cli_as_nobody(args: list[str], tmp: Path) -> tuple[int, str]:
    """The CLI run as 'nobody' (as root a read-only file is writable): exit code and output.
    What the command imports is imported first (see ``nobody.as_nobody``)."""
    import pickle  # noqa: F401

    import cordiale.pipeline  # noqa: F401

    def run() -> str:
        result = _run(tmp, args)
        crash = "" if result.exception is None or isinstance(
            result.exception, SystemExit) else repr(result.exception)
        return f"{result.exit_code}\n{result.output}{crash}"

    code, _, output = as_nobody(run).partition("\n")
    return int(code), output


@SKIP_UNLESS_ROOT
def test_a_read_only_database_is_read_and_a_write_to_it_is_one_line() -> None:
    with shared_folder("cordiale-ro-") as root:
        db = root / "ro.duckdb"
        Store(str(db)).close()
        db.chmod(0o644)  # root's own: read-only to anyone else, in a folder they cannot write
        story = root / "story.txt"
        story.write_text("Kenya and Chile signed a fisheries accord on Monday.")
        story.chmod(0o644)
        before = db.stat().st_mtime_ns
        code, output = _cli_as_nobody(["docs", "--db", str(db)], root)
        assert code == 0, output
        code, output = _cli_as_nobody(["ingest", str(story), "--db", str(db)], root)
        assert code == 2, (code, output)
        lines = [line for line in output.splitlines() if line.startswith("error:")]
        assert len(lines) == 1 and str(db) in lines[0] and "Permission denied" in lines[0]
        assert "Traceback" not in output
        assert db.stat().st_mtime_ns == before
