"""Corpus files: JSON Lines and CSV, one document a line/row with the fields id, url, title,
date/published, source, text. Unknown fields are kept as metadata; a malformed line is a
failure naming the line, and the rest of the file goes on."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from ..records import Document, Failure
from .common import Defaults, check_bytes, decode, decode_error, make_document, text_or_failure

KNOWN = {"id", "doc_id", "url", "title", "date", "published", "source", "text", "body", "content"}


def _from_record(record: dict[str, Any], origin: str, line: int,
                 defaults: Defaults) -> Document | Failure:
    text = record.get("text") or record.get("body") or record.get("content")
    if text is None:
        return Failure(origin, "no 'text' field", line=line)
    if not isinstance(text, str):
        return Failure(origin, f"'text' is a {type(text).__name__}, not a string", line=line)
    if not text.strip():
        return Failure(origin, "empty 'text'", line=line)
    metadata = {k: v for k, v in record.items() if k not in KNOWN}
    return make_document(
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
            record = json.loads(line)
        except json.JSONDecodeError as err:
            yield Failure(origin, f"not JSON ({err.msg} at column {err.colno}); "
                                  "the line was skipped and recorded", line=number)
            continue
        if not isinstance(record, dict):
            yield Failure(origin, f"expected a JSON object, got {type(record).__name__}",
                          line=number)
            continue
        yield _from_record(record, origin, number, defaults)


def read_csv(data: bytes, origin: str, defaults: Defaults) -> Iterator[Document | Failure]:
    text = text_or_failure(data, origin)
    if isinstance(text, Failure):
        yield text
        return
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames or not ({"text", "body", "content"} & set(reader.fieldnames)):
        yield Failure(origin, f"CSV has no 'text' column (columns: {reader.fieldnames})", line=1)
        return
    width = len(reader.fieldnames)
    while True:
        number = reader.line_num + 1  # a quoted field may span lines: report where the row starts
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            yield Failure(origin, f"malformed CSV ({err})", line=number)
            continue
        if None in row or len(row) != width or any(v is None for v in row.values()):
            yield Failure(origin, f"row has the wrong number of fields (header has {width})",
                          line=number)
            continue
        yield _from_record(dict(row), origin, number, defaults)
