"""HTML pages: main text and metadata by trafilatura, which drops navigation, related-post
lists, comment forms and cookie banners. A page with no main text is a failure, not an
empty document.

The publication date is trafilatura's when it finds one. Its date check is narrower than
the project's (htmldate drops anything before 1995 or after today) and silent, so when it
finds none, or its tags state an impossible one, the page's own date tags are read here
(:func:`stated_date`) and go through the check every reader uses: a date in 1800-2100 is
kept, an impossible or absurd one (``9999-12-31``, ``2021-02-30``) is recorded as a failure
of kind ``date`` and the page is stored undated, as a JSONL line or CSV row would be.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from ..records import Document, Failure
from .common import Defaults, check_bytes, documents, parse_date


def read_html(data: bytes, origin: str, defaults: Defaults) -> Iterator[Document | Failure]:
    problem = check_bytes(data)
    if problem:
        yield Failure(origin, problem)
        return
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    try:
        result = trafilatura.bare_extraction(
            data,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
            deduplicate=True,
            # Only dates the page states (meta tags, time elements, URL): a guess from the
            # footer's copyright year must not become the publication date.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as err:  # trafilatura raises assorted lxml errors on broken markup
        yield Failure(origin, f"HTML could not be parsed ({type(err).__name__}: {err})")
        return
    text = getattr(result, "text", None) if result is not None else None
    if not text or not text.strip():
        yield Failure(origin, "HTML has no main text (only navigation or boilerplate was found)")
        return
    meta = {
        key: value
        for key in ("author", "sitename", "hostname", "description", "categories", "tags")
        if (value := getattr(result, key, None))
    }
    title = getattr(result, "title", None)
    # trafilatura keeps the <h1> in the text when the headline is part of the article
    has_title = title and text.lstrip().startswith(title.strip())
    body = text if not title or has_title else f"{title}\n\n{text}"
    yield from documents(
        body,
        origin,
        defaults,
        title=title,
        url=getattr(result, "url", None),
        source=getattr(result, "sitename", None),
        published=_published(getattr(result, "date", None), stated_date(data)),
        metadata=meta,
    )


def _published(found: str | None, stated: tuple[str, str] | None) -> str | None:
    """The date to store (or to record as unusable): trafilatura's, unless the page states
    none it accepted, or its date tags state an impossible one (trafilatura salvages
    ``2021-02-30`` as 2021-02-01, a day the page never gave)."""
    if stated is None:
        return found
    value = stated[0]
    if not found:
        return value
    try:
        parse_date(value)
    except ValueError:
        return value
    return found


#: tags a page states its publication date in, most trusted first: (attribute, value), the
#: value case-folded; the date is in the tag's ``content``
_DATE_TAGS = (
    ("property", "article:published_time"), ("property", "og:published_time"),
    ("itemprop", "datepublished"), ("name", "article:published_time"),
    ("name", "date"), ("name", "pubdate"), ("name", "publishdate"),
    ("name", "dc.date"), ("name", "dc.date.issued"), ("name", "dcterms.date"),
)
_TAG = re.compile(rb"<(meta|time)\b([^>]{0,2000})>", re.IGNORECASE)
_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_JSON_LD = re.compile(rb'"datePublished"\s*:\s*"([^"]{0,100})"')
#: what a machine-readable date starts with; other forms are left to trafilatura
_DATE_LIKE = re.compile(r"\s*(\d{4}-\d{1,2}-\d{1,2}|\d{8}(?!\d))")


def stated_date(data: bytes) -> tuple[str, str] | None:
    """The publication date a page states in its tags, as written, and where (``meta``,
    ``json-ld`` or ``time``), or None.

    Meta tags (``article:published_time``, ``og:published_time``, ``itemprop=datePublished``,
    ``name=date|pubdate|dc.date``...) in that order of trust, then ``datePublished`` in JSON-LD,
    then the first ``<time datetime>``. Only values that start like a date (``YYYY-MM-DD``,
    ``YYYYMMDD``) count, impossible ones included: judging them is the caller's part.
    """
    metas: dict[tuple[str, str], str] = {}
    first_time = None
    for m in _TAG.finditer(data):
        attrs = {k.casefold(): html.unescape(a if a is not None else b if b is not None else c)
                 for k, a, b, c in _ATTR.findall(m[2].decode("utf-8", "replace"))}
        if m[1].lower() == b"time":
            if first_time is None and _DATE_LIKE.match(attrs.get("datetime", "")):
                first_time = attrs["datetime"]
            continue
        content = attrs.get("content", "")
        if not _DATE_LIKE.match(content):
            continue
        for key in ("property", "name", "itemprop"):
            if key in attrs:
                metas.setdefault((key, attrs[key].strip().casefold()), content)
    for tag in _DATE_TAGS:
        if tag in metas:
            return metas[tag].strip(), "meta"
    for m in _JSON_LD.finditer(data):
        value = m[1].decode("utf-8", "replace")
        if _DATE_LIKE.match(value):
            return value.strip(), "json-ld"
    return (first_time.strip(), "time") if first_time else None
