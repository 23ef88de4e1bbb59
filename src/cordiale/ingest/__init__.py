"""Readers: turn paths (files, directories, ``-`` for stdin) into Documents or Failures.

One module per source kind; each yields :class:`~cordiale.records.Document` for what it
could read and :class:`~cordiale.records.Failure` (with the file, the line and the reason)
for what it could not, so one bad file never stops a batch.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

from ..records import Document, Failure
from .common import Defaults, check_bytes
from .corpus import read_csv, read_jsonl
from .html import read_html
from .text import read_text

READERS = {
    ".txt": read_text,
    ".text": read_text,
    ".md": read_text,
    ".html": read_html,
    ".htm": read_html,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".csv": read_csv,
}

__all__ = ["READERS", "Defaults", "read_inputs"]


def read_inputs(
    paths: Sequence[str | Path],
    *,
    published: date | None = None,
    source: str | None = None,
    max_bytes: int = 20_000_000,
) -> Iterator[Document | Failure]:
    """Read every path in order; directories are walked recursively in sorted order."""
    defaults = Defaults(published=published, source=source)
    for raw in paths:
        if str(raw) == "-":
            yield from _read_stdin(defaults, max_bytes)
            continue
        path = Path(raw)
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in READERS
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not files:
                yield Failure(str(path), f"no readable files in directory (kinds: {_kinds()})")
            for file in files:
                yield from _read_file(file, defaults, max_bytes)
        elif path.exists():
            yield from _read_file(path, defaults, max_bytes)
        else:
            yield Failure(str(path), "no such file or directory")


def _kinds() -> str:
    return " ".join(sorted(READERS))


def _read_file(path: Path, defaults: Defaults, max_bytes: int) -> Iterator[Document | Failure]:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        yield Failure(str(path), f"unsupported file type {path.suffix or '(none)'!r}; "
                                 f"cordiale reads {_kinds()}")
        return
    try:
        size = path.stat().st_size
        if size > max_bytes:
            yield Failure(str(path), f"file is {size:,} bytes, over the {max_bytes:,}-byte limit "
                                     "(raise max_bytes in cordiale.toml or split the file)")
            return
        data = path.read_bytes()
    except OSError as err:
        yield Failure(str(path), f"cannot read file ({err.strerror or err})")
        return
    yield from reader(data, str(path), defaults)


def _read_stdin(defaults: Defaults, max_bytes: int) -> Iterator[Document | Failure]:
    data = sys.stdin.buffer.read(max_bytes + 1)
    if len(data) > max_bytes:
        yield Failure("<stdin>", f"input over the {max_bytes:,}-byte limit")
        return
    problem = check_bytes(data)
    if problem:
        yield Failure("<stdin>", problem)
        return
    head = data.removeprefix(b"\xef\xbb\xbf").lstrip()[:200].lower()
    if head.startswith(b"{"):
        yield from read_jsonl(data, "<stdin>", defaults)
    elif head.startswith((b"<!doctype html", b"<html", b"<")):
        yield from read_html(data, "<stdin>", defaults)
    else:
        yield from read_text(data, "<stdin>", defaults)
