"""Shared helpers of the readers: byte checks, dates, and building a Document."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ..records import Document, Failure, content_hash, normalise_text


@dataclass(frozen=True)
class Defaults:
    """What the command line supplies for documents that do not say it themselves."""

    published: date | None = None
    source: str | None = None


def check_bytes(data: bytes) -> str | None:
    """The reason ``data`` is not text we can read, or None."""
    if not data.strip():
        return "empty file"
    if b"\x00" in data[:8192]:
        return "binary file (contains NUL bytes); cordiale reads text, HTML, JSONL and CSV"
    return None


def decode(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM). Raises UnicodeDecodeError with the position."""
    return data.decode("utf-8-sig")


def decode_error(err: UnicodeDecodeError) -> str:
    return (f"not valid UTF-8 (byte 0x{err.object[err.start]:02x} at offset {err.start}); "
            "convert the file to UTF-8, e.g. with iconv")


def text_or_failure(data: bytes, origin: str) -> str | Failure:
    """The bytes of a whole file as text, or the Failure saying why they are not."""
    problem = check_bytes(data)
    if problem:
        return Failure(origin, problem)
    try:
        return decode(data)
    except UnicodeDecodeError as err:
        return Failure(origin, decode_error(err))


_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_date(value: Any) -> date | None:
    """A date from ISO strings ('2021-11-24', '2021-11-24T10:00:00Z', '20211124')."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    m = _DATE.match(text)
    if m:
        return date(int(m[1]), int(m[2]), int(m[3]))
    if re.fullmatch(r"\d{8}", text):
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    for fmt in ("%d %B %Y", "%B %d, %Y", "%d %b %Y", "%b %d, %Y", "%a, %d %b %Y %H:%M:%S %z"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"unreadable date {text!r} (use YYYY-MM-DD)")


def make_document(
    text: str,
    origin: str,
    defaults: Defaults,
    *,
    doc_id: str | None = None,
    title: str | None = None,
    url: str | None = None,
    source: str | None = None,
    published: Any = None,
    metadata: dict[str, Any] | None = None,
    line: int | None = None,
) -> Document | Failure:
    text = normalise_text(text)
    if not text:
        return Failure(origin, "no text", line=line)
    meta = dict(metadata or {})
    try:
        when = parse_date(published)
    except ValueError as err:
        when = None
        meta["unparsed_date"] = str(published)
        meta["date_warning"] = str(err)
    digest = content_hash(text)
    return Document(
        doc_id=str(doc_id) if doc_id not in (None, "") else digest[:16],
        text=text,
        content_hash=digest,
        title=title or None,
        url=url or None,
        source=source or defaults.source,
        published=when or defaults.published,
        origin=origin if line is None else f"{origin}:{line}",
        metadata=meta,
    )
