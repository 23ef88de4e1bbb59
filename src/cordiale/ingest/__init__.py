"""Readers: turn paths (files, directories, ``-`` for stdin) into Documents or Failures.

One module per source kind; each yields :class:`~cordiale.records.Document` for what it
could read and :class:`~cordiale.records.Failure` (with the file, the line and the reason)
for what it could not, so one bad file never stops a batch.

A path is checked before it is opened: only regular files are read (a named pipe would block
the ingest forever and ``/dev/zero`` would fill memory), at most ``max_bytes`` of them, and a
symbolic link that loops or points nowhere is named as such. Paths that are not valid UTF-8 are
named with their odd bytes escaped (``\\xff``), so they can be stored and printed.
"""

from __future__ import annotations

import errno
import os
import stat
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
    max_chars: int | None = None,
) -> Iterator[Document | Failure]:
    """Read every path in order; directories are walked recursively in sorted order.

    A document whose text is longer than ``max_chars`` is refused by its reader, before it
    is normalised and hashed (``max_doc_chars`` of the settings is the usual value)."""
    defaults = Defaults(published=published, source=source, max_chars=max_chars)
    for raw in paths:
        if str(raw) == "-":
            yield from _read_stdin(defaults, max_bytes)
            continue
        path = Path(raw)
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*")
                if p.suffix.lower() in READERS and not p.is_dir()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not files:
                yield Failure(origin_of(path),
                              f"no readable files in directory (kinds: {_kinds()})")
            for file in files:
                yield from _read_file(file, defaults, max_bytes)
        elif os.path.lexists(path):
            yield from _read_file(path, defaults, max_bytes)
        else:
            yield Failure(origin_of(path), "no such file or directory")


def origin_of(path: str | Path) -> str:
    """A path as text that can be stored and printed: bytes that are not UTF-8 (a file name
    from another system's encoding) are written as ``\\xff`` escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _kinds() -> str:
    return " ".join(sorted(READERS))


_NOT_REGULAR = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
                (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                (stat.S_ISSOCK, "a socket"))


def _read_file(path: Path, defaults: Defaults, max_bytes: int) -> Iterator[Document | Failure]:
    origin = origin_of(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        yield Failure(origin, f"unsupported file type {path.suffix or '(none)'!r}; "
                              f"cordiale reads {_kinds()}")
        return
    data = _read_bytes(path, origin, max_bytes)
    if isinstance(data, Failure):
        yield data
        return
    yield from reader(data, origin, defaults)


def _read_bytes(path: Path, origin: str, max_bytes: int) -> bytes | Failure:
    """The file's bytes, or why not. Opened without blocking and checked on the open file
    (not on the name, which may change in between): a named pipe opens at once and is
    refused instead of waiting for a writer that never comes."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as err:
        return Failure(origin, _open_error(path, err))
    with os.fdopen(fd, "rb") as handle:
        try:
            info = os.fstat(fd)
            for test, what in _NOT_REGULAR:
                if test(info.st_mode):
                    return Failure(origin, f"not a regular file but {what}; cordiale reads "
                                           "files, directories and - for standard input")
            if info.st_size > max_bytes:
                return Failure(origin, _too_big(info.st_size, max_bytes))
            data = handle.read(max_bytes + 1)  # the file may grow while it is read
        except OSError as err:
            return Failure(origin, f"cannot read file ({err.strerror or err})")
    if len(data) > max_bytes:
        return Failure(origin, _too_big(len(data), max_bytes, more=True))
    return data


def _too_big(size: int, max_bytes: int, more: bool = False) -> str:
    return (f"file is {'over ' if more else ''}{size:,} bytes, over the {max_bytes:,}-byte "
            "limit (raise max_bytes in cordiale.toml or split the file)")


def _open_error(path: Path, err: OSError) -> str:
    if os.path.islink(path):
        if err.errno == errno.ELOOP:
            return "symbolic link loop (the link leads back to itself); remove or fix the link"
        if err.errno == errno.ENOENT:
            target = origin_of(os.readlink(path))
            return f"dangling symbolic link (its target {target!r} does not exist)"
    if err.errno in (errno.EACCES, errno.EPERM):
        return "permission denied: the file is not readable by this user (check its mode)"
    return f"cannot open file ({err.strerror or err})"


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
