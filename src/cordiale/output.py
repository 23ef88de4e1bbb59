"""Writing rows as a table, JSON Lines or CSV: the formats every listing command offers."""

from __future__ import annotations

import csv
import json
import re
import shutil
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, TextIO

FORMATS = ("table", "jsonl", "csv")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


#: What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")


def safe_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will show, not run: text that starts like a formula
    (``=HYPERLINK(...)``, ``+1+1``, ``@SUM``) gets a leading apostrophe, as OWASP recommends.
    Numbers, signed ones and intervals such as ``-0.25`` included, stay as they are."""
    if not isinstance(value, str) or not value.startswith(_FORMULA_STARTS):
        return value
    if _NUMBER.match(value.strip()):
        return value
    return "'" + value


def write_rows(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str,
               out: TextIO) -> None:
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps({c: _plain(v) for c, v in zip(columns, row, strict=True)},
                                 ensure_ascii=False) + "\n")
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([safe_cell(c) for c in columns])
        for row in rows:
            writer.writerow(["" if v is None else safe_cell(_plain(v)) for v in row])
    else:
        _table(columns, rows, out)


def _table(columns: Sequence[str], rows: Sequence[Sequence[Any]], out: TextIO) -> None:
    width = shutil.get_terminal_size((160, 20)).columns
    cells = [[("" if v is None else str(_plain(v))).replace("\n", " ") for v in row]
             for row in rows]
    widths = [len(c) for c in columns]
    for row in cells:
        for i, v in enumerate(row):
            widths[i] = max(widths[i], min(len(v), 48))
    # shrink the widest columns until the table fits the terminal
    while sum(widths) + 2 * (len(widths) - 1) > width and max(widths) > 12:
        widths[widths.index(max(widths))] -= 1

    def fmt(values: Sequence[str]) -> str:
        parts = []
        for v, w in zip(values, widths, strict=True):
            if len(v) <= w:
                parts.append(v)
            elif "/" in v and " " not in v:  # a path: its end names the file
                parts.append("…" + v[len(v) - w + 1:])
            else:
                parts.append(v[: max(w - 1, 0)] + "…")
        return "  ".join(p.ljust(w) for p, w in zip(parts, widths, strict=True)).rstrip()

    out.write(fmt(list(columns)) + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for row in cells:
        out.write(fmt(row) + "\n")
    if not rows:
        out.write("(no rows)\n")
