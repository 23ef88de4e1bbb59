"""cordiale's own JSONL events (``cordiale code/events --format jsonl``) read back as they are.

The event id is kept, so events already in the database (coded from the same text) are not
stored twice; each field is checked against the column type it lands in, so a hand-edited
line fails with its line number rather than aborting a whole batch in the database. The
``coder`` field is kept when given because it names the rule that produced the event; the
``origin`` column records that it was imported.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ..records import EVENT_FIELDS, Failure
from ..store import EVENT_TYPES, _period_start
from .common import FileContext, RowError, cameo, new_row, open_lines

ORIGIN = "cordiale-jsonl"
_KINDS = dict(EVENT_TYPES)
_REQUIRED = ("event_id", "doc_id", "cameo_code")


def read_jsonl(path: str, ctx: FileContext) -> Iterator[dict[str, Any] | Failure]:
    """Event rows of a cordiale JSONL file, and a Failure for each bad line."""
    bad: set[int] = set()
    for line, text in enumerate(open_lines(path, bad), start=1):
        if not text.strip():
            continue
        if line in bad:
            yield Failure(path, "not UTF-8 text", line=line, kind="import")
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError as err:
            yield Failure(path, f"not JSON ({err})", line=line, kind="import")
            continue
        try:
            yield _event(record)
        except RowError as err:
            yield Failure(path, str(err), line=line, kind="import")


def _check(name: str, value: Any) -> Any:
    kind = _KINDS[name]
    if value is None:
        return None
    ok = {
        "INTEGER": isinstance(value, int) and not isinstance(value, bool),
        "DOUBLE": isinstance(value, int | float) and not isinstance(value, bool),
        "BOOLEAN": isinstance(value, bool),
    }.get(kind, isinstance(value, str))
    if not ok:
        raise RowError(f"{name} {value!r} is not {kind.lower()}")
    return float(value) if kind == "DOUBLE" else value


def _event(record: Any) -> dict[str, Any]:
    if not isinstance(record, dict):
        raise RowError("not a JSON object")
    missing = [k for k in _REQUIRED if not record.get(k)]
    if missing:
        raise RowError(f"no {', '.join(missing)}")
    row = new_row(ORIGIN)
    for name in EVENT_FIELDS:
        if name in record:
            value = _check(name, record[name])
            if value is not None or row[name] is None:
                row[name] = value
    entry = cameo(row["cameo_code"])
    if entry.code != row["cameo_code"]:
        row["cameo_code"] = entry.code
    for name in ("cameo_root", "goldstein", "quad_class", "plover_type", "plover_mode"):
        if name not in record:
            row[name] = getattr(entry, name if name != "cameo_root" else "root")
    if row["goldstein"] is None:
        row["goldstein"] = entry.goldstein
    if row["quad_class"] is None:
        row["quad_class"] = entry.quad_class
    if row["cameo_root"] is None:
        row["cameo_root"] = entry.root
    if row["date"] is not None:
        row["event_date"] = _period_start(row["date"])
        if row["event_date"] is None:
            raise RowError(f"date {row['date']!r} is not an ISO date (2021-11-23, 2021-W47, "
                           "2021-11, 2021 or 2010s)")
    row.update(origin=ORIGIN, origin_event_id=row["event_id"], story_id=row["doc_id"])
    return row
