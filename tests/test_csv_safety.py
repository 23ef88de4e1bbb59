"""CSV exports are safe to open in a spreadsheet (issue 10, part 2): a cell that starts like a
formula is neutralised with a leading apostrophe, as OWASP recommends; numbers stay numbers."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from cordiale.cli import main
from cordiale.output import safe_cell, write_rows

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize("value,expected", [
    ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
    ("+1+1", "'+1+1"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("-0.25", "-0.25"),
    ("+3", "+3"),
    ("-1e-3", "-1e-3"),
    ("China warned the US", "China warned the US"),
    (4.5, 4.5),
    (None, None),
])
def test_cells_that_start_like_formulas_are_neutralised(value, expected):
    assert safe_cell(value) == expected


def test_write_rows_csv_neutralises_every_cell_and_header():
    out = io.StringIO()
    write_rows(["=col", "n"], [["=1+1", -3], ["plain", "-0.5"]], "csv", out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [["'=col", "n"], ["'=1+1", "-3"], ["plain", "-0.5"]]


def _unsafe(text: str) -> list[str]:
    bad = []
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            if cell.startswith(DANGEROUS) and not _number(cell):
                bad.append(cell)
    return bad


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


@pytest.mark.model
def test_exports_of_a_store_holding_formula_text_are_inert(tmp_path: Path):
    corpus = tmp_path / "hostile.jsonl"
    docs = [
        {"id": "=cmd|'/c calc'!A1", "date": "2023-05-02", "title": "@SUM(1+1)",
         "source": "+Wire", "text": '=HYPERLINK("http://evil.example","click") China warned '
                                    "the United States on Tuesday."},
        {"id": "plain", "date": "2023-05-03", "source": "-Agency",
         "text": "+1+1 Russia condemned Ukraine on Wednesday."},
    ]
    corpus.write_text("".join(json.dumps(d) + "\n" for d in docs), "utf-8")
    db = tmp_path / "news.duckdb"
    env: dict[str, str | None] = {k: None for k in os.environ if k.startswith("CORDIALE_")}
    env["CORDIALE_CONFIG"] = str(tmp_path / "none.toml")
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", str(corpus), "--db", str(db), "-q"],
                         env=env).exit_code == 0
    for command in (["events"], ["docs"], ["actors"], ["errors"]):
        result = runner.invoke(main, [*command, "--db", str(db), "--format", "csv"], env=env)
        assert result.exit_code == 0, result.output
        assert _unsafe(result.stdout) == [], command
    events = runner.invoke(main, ["events", "--db", str(db), "--format", "csv"], env=env).stdout
    assert "'=HYPERLINK" in events  # the text is kept, only made inert
