"""HTML pages: main text and metadata by trafilatura, which drops navigation, related-post
lists, comment forms and cookie banners. A page with no main text is a failure, not an
empty document."""

from __future__ import annotations

from collections.abc import Iterator

from ..records import Document, Failure
from .common import Defaults, check_bytes, documents


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
        published=getattr(result, "date", None),
        metadata=meta,
    )
