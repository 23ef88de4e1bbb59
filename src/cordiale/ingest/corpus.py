"""Corpus files: JSON Lines and CSV, one document a line/row with the fields id, url, title,
date/published, source, text. Unknown fields are kept as metadata; a malformed line is a
failure naming the line, and the rest of the file goes on.

A line is checked before it becomes a Document: the known fields must be strings (an ``id``
may be a whole number, a date a number like 20211124), and nothing may reach the store that it
cannot hold or print back: an unpaired UTF-16 surrogate (``"\\ud800"``) or JSON's forbidden
``NaN`` and ``Infinity``. A line nested too deeply to parse, or with a number too long to
read, is malformed like any other."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from typing import Any

from ..records import Document, Failure
from .common import Defaults, check_bytes, decode, decode_error, documents, text_or_failure

KNOWN = {"id", "doc_id", "url", "title", "date", "published", "source", "text", "body", "content"}
#: what each known field may hold besides null
_TYPES: dict[str, tuple[type, ...]] = {
    "id": (str, int), "doc_id": (str, int), "url": (str,), "title": (str,), "source": (str,),
    "date": (str, int), "published": (str, int),
}
_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")


def _wrong_type(record: dict[str, Any]) -> str | None:
    for name, kinds in _TYPES.items():
        value = record.get(name)
        if value is not None and (not isinstance(value, kinds) or isinstance(value, bool)):
            wanted = " or ".join("a string" if k is str else "a whole number" for k in kinds)
            return f"{name!r} is {_a(value)}, not {wanted}"
    return None


def _a(value: Any) -> str:
    kind = {dict: "an object", list: "a list", bool: "a boolean", float: "a number",
            int: "a whole number", str: "a string"}
    return kind.get(type(value), type(value).__name__)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _from_record(record: dict[str, Any], origin: str, line: int,
                 defaults: Defaults) -> Iterator[Document | Failure]:
    text = record.get("text") or record.get("body") or record.get("content")
    if text is None:
        yield Failure(origin, "no 'text' field", line=line)
        return
    if not isinstance(text, str):
        yield Failure(origin, f"'text' is {_a(text)}, not a string", line=line)
        return
    if not text.strip():
        yield Failure(origin, "empty 'text'", line=line)
        return
    problem = _wrong_type(record)
    if problem:
        yield Failure(origin, problem, line=line)
        return
    metadata = {k: v for k, v in record.items() if k not in KNOWN}
    yield from documents(
        text,
        origin,
        defaults,
        doc_id=record.get("id", record.get("doc_id")),
        title=record.get("title"),
        url=record.get("url"),
        source=record.get("source"),
        published=record.get("published") or record.get("date"),
        metadata=metadata,
        line=line,
    )


def read_jsonl(data: bytes, origin: str, defaults: Defaults) -> Iterator[Document | Failure]:
    problem = check_bytes(data)
    if problem:
        yield Failure(origin, problem)
        return
    for number, raw in enumerate(data.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            line = decode(raw)
        except UnicodeDecodeError as err:
            yield Failure(origin, decode_error(err), line=number)
            continue
        try:
            record = json.loads(line, parse_constant=_no_constant)
        except json.JSONDecodeError as err:
            yield Failure(origin, f"not JSON ({err.msg} at column {err.colno}); "
                                  "the line was skipped and recorded", line=number)
            continue
        except RecursionError:
            yield Failure(origin, "not readable JSON (nested too deeply)", line=number)
            continue
        except ValueError as err:  # NaN/Infinity, or an integer of thousands of digits
            yield Failure(origin, f"not readable JSON ({str(err).split(';')[0]})", line=number)
            continue
        if not isinstance(record, dict):
            yield Failure(origin, f"expected a JSON object, got {_a(record)}", line=number)
            continue
        if _SURROGATE.search(raw) and _unpaired_surrogate(record):
            yield Failure(origin, "holds an unpaired UTF-16 surrogate escape (like \\ud800), "
                                  "which is not text", line=number)
            continue
        yield from _from_record(record, origin, number, defaults)


def _unpaired_surrogate(record: dict[str, Any]) -> bool:
    try:
        json.dumps(record, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def read_csv(data: bytes, origin: str, defaults: Defaults) -> Iterator[Document | Failure]:
    text = text_or_failure(data, origin)
    if isinstance(text, Failure):
        yield text
        return
    # the file is already within max_bytes; a long article is one long field, and the csv
    # module's own limit (128 KiB) would refuse it with a reason about fields, not articles
    csv.field_size_limit(2**31 - 1)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames or not ({"text", "body", "content"} & set(reader.fieldnames)):
        yield Failure(origin, f"CSV has no 'text' column (columns: {reader.fieldnames})", line=1)
        return
    width = len(reader.fieldnames)
    rows = 0
    while True:
        number = reader.line_num + 1  # a quoted field may span lines: report where the row starts
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            yield Failure(origin, f"malformed CSV ({err})", line=number)
            rows += 1
            continue
        rows += 1
        if None in row or len(row) != width or any(v is None for v in row.values()):
            yield Failure(origin, f"row has the wrong number of fields (header has {width})",
                          line=number)
            continue
        yield from _from_record(dict(row), origin, number, defaults)
    if not rows:
        yield Failure(origin, "CSV has a header but no rows", line=1)
