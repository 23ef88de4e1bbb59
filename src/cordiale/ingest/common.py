"""Shared helpers of the readers: byte checks, dates, and building a Document.

Hostile input is named by what it is, not by the first symptom: a gzip archive saved as
``.txt`` is "gzip-compressed", not "not valid UTF-8 at offset 1"; UTF-16 is "UTF-16", not
"binary". A document with an impossible date (``2021-02-30``, ``0000-00-00``) or one outside
1800-2100 is still stored, undated, and the date is reported as a failure of kind ``date``
so ``cordiale errors`` names it; a text over ``max_chars`` is refused before it is normalised
and hashed, which keeps a 200 MB file from being copied five times on its way to a refusal.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ..records import Document, Failure, content_hash, normalise_text


@dataclass(frozen=True)
class Defaults:
    """What the command line supplies for documents that do not say it themselves."""

    published: date | None = None
    source: str | None = None
    max_chars: int | None = None  # longer texts are refused (None: no limit)


#: leading bytes of formats that are not text, with what to tell the user
_MAGIC = (
    (b"\x1f\x8b", "gzip-compressed data; decompress it first (gunzip)"),
    (b"BZh", "bzip2-compressed data; decompress it first (bunzip2)"),
    (b"PK\x03\x04", "a zip archive; extract it first (unzip)"),
    (b"PK\x05\x06", "an empty zip archive"),
    (b"\xfd7zXZ\x00", "xz-compressed data; decompress it first (unxz)"),
    (b"(\xb5/\xfd", "zstd-compressed data; decompress it first (unzstd)"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-zip archive; extract it first"),
    (b"%PDF-", "a PDF document; extract its text first (e.g. pdftotext)"),
)
_UTF16 = "convert it to UTF-8, e.g. with iconv -f UTF-16 -t UTF-8"


def check_bytes(data: bytes) -> str | None:
    """The reason ``data`` is not text we can read, or None."""
    if not data.strip():
        return "empty file"
    for magic, what in _MAGIC:
        if data.startswith(magic) and (magic != b"BZh" or data[3:10].startswith(
                tuple(b"%d1AY&SY" % n for n in range(1, 10)))):
            return f"not text but {what}"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return f"UTF-16 text (it starts with a UTF-16 byte-order mark); {_UTF16}"
    nul = data.find(b"\x00")
    if nul >= 0:
        head = data[:512]
        half = len(head) // 2  # ASCII in UTF-16: a NUL in (nearly) every even or odd byte
        if half and max(head[0::2].count(0), head[1::2].count(0)) >= 0.8 * half:
            return f"UTF-16 text without a byte-order mark (NUL every other byte); {_UTF16}"
        return (f"binary file (NUL byte at offset {nul}); "
                "cordiale reads UTF-8 text, HTML, JSONL and CSV")
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
#: publication dates outside these are taken for mistakes, not news
EARLIEST, LATEST = date(1800, 1, 1), date(2100, 12, 31)


def parse_date(value: Any) -> date | None:
    """A date from ISO strings ('2021-11-24', '2021-11-24T10:00:00Z', '20211124')."""
    if value is None or value == "":
        return None
    when = _parse_date(value)
    if when is not None and not EARLIEST <= when <= LATEST:
        raise ValueError(f"date {when.isoformat()} is outside {EARLIEST.year}-{LATEST.year}; "
                         "not a publication date")
    return when


def _parse_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    m = _DATE.match(text) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError as err:  # 2021-02-30, 0000-00-00
            raise ValueError(f"impossible date {text[:40]!r} ({err})") from err
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    for fmt in ("%d %B %Y", "%B %d, %Y", "%d %b %Y", "%b %d, %Y", "%a, %d %b %Y %H:%M:%S %z"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"unreadable date {text[:40]!r} (use YYYY-MM-DD)")


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
    limit = defaults.max_chars
    if limit is not None and len(text) > limit:
        return Failure(origin, too_long(len(text), limit), line=line)
    if "\x00" in text:
        return Failure(origin, f"text holds a NUL character at {text.index(chr(0))}; "
                               "it is not plain text", line=line)
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


def too_long(chars: int, limit: int) -> str:
    return f"text is {chars:,} characters, over the {limit:,} limit (raise max_doc_chars)"


def documents(text: str, origin: str, defaults: Defaults, *, line: int | None = None,
              **fields: Any) -> Iterator[Document | Failure]:
    """:func:`make_document`, followed by a ``date`` failure when the stated date could not be
    used: the document is stored without it, and ``cordiale errors`` says which and why."""
    doc = make_document(text, origin, defaults, line=line, **fields)
    yield doc
    if isinstance(doc, Document) and "date_warning" in doc.metadata:
        yield Failure(origin, f"{doc.metadata['date_warning']}; the document was stored "
                              "without a date", line=line, kind="date")
