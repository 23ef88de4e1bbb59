"""Plain-text files: one document each. A first line followed by a blank line is the
headline; a ``Published: YYYY-MM-DD`` (or ``Date:``) line at the top gives the date."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..records import Document, Failure
from .common import Defaults, documents, text_or_failure, too_long

_DATE_LINE = re.compile(r"^(?:published|date|dateline)\s*:\s*(.+)$", re.IGNORECASE)


def read_text(data: bytes, origin: str, defaults: Defaults) -> Iterator[Document | Failure]:
    text = text_or_failure(data, origin)
    if isinstance(text, Failure):
        yield text
        return
    if defaults.max_chars is not None and len(text) > defaults.max_chars:
        yield Failure(origin, too_long(len(text), defaults.max_chars))  # before any copy
        return
    lines = text.strip().splitlines()
    published = None
    for i, line in enumerate(lines[:4]):
        m = _DATE_LINE.match(line.strip())
        if m:
            published = m[1].strip()
            del lines[i]
            break
    title = None
    if len(lines) > 2 and lines[0].strip() and not lines[1].strip() and len(lines[0]) < 300:
        title = lines[0].strip()
    yield from documents("\n".join(lines), origin, defaults, title=title, published=published)
