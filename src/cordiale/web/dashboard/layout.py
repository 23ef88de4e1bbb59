"""The page shell every dashboard page shares, and the small formatting helpers they use.

Every value that comes from the store (sentences, actor and outlet names, titles, URLs) goes
through :func:`esc`, the chart layer's escaper, before it reaches the page; there is no other
way in, because pages are built as strings here and nowhere else. Links built from data use
:func:`href`, which percent-encodes path segments and query values, so a hostile code or name
cannot leave the attribute or start a ``javascript:`` URL. The content-security policy sent
with every page (:data:`CSP`) is the second wall: scripts only from this server's
``/static/``, no inline script or style, no fetch beyond the server itself — so even text that
slipped through escaping could not run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any
from urllib.parse import quote, urlencode

from ...report.charts import escape, finite, format_value

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
           "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}
NAV = (("overview", "/", "Overview"), ("dyad", "/dyad/USA/CHN", "Dyad"),
       ("blocs", "/blocs", "Blocs"), ("events", "/events", "Events"))
QUADS = {1: "Verbal cooperation", 2: "Material cooperation", 3: "Verbal conflict",
         4: "Material conflict"}


def esc(value: object) -> str:
    """Text safe in an element or a quoted attribute; None shows as an en dash."""
    return "–" if value is None else escape(value)


def href(*segments: str, **query: object) -> str:
    """A site-relative URL: each segment percent-encoded, empty query values dropped."""
    path = "/" + "/".join(quote(str(s), safe="") for s in segments)
    pairs = [(k, "1" if v is True else str(v)) for k, v in query.items()
             if v not in (None, "", False)]
    return path + ("?" + urlencode(pairs) if pairs else "")


def number(value: Any) -> str:
    return "–" if value is None else f"{int(value):,}"


def signed(value: Any, digits: int = 2) -> str:
    return format_value(value, 10 ** -digits, signed=True) if finite(value) else "–"


def interval(value: Any, low: Any, high: Any) -> str:
    text = signed(value)
    if finite(low) and finite(high):
        text += f" [{signed(low)}, {signed(high)}]"
    return text


def day(value: Any) -> str:
    if value is None:
        return "–"
    return value.isoformat() if isinstance(value, date) else str(value)[:10]


def tile(label: str, value: str, note: str = "", *, ident: str = "") -> str:
    attr = f' id="{esc(ident)}"' if ident else ""
    note_html = f'<div class="tile-note">{note}</div>' if note else ""
    return (f'<div class="tile"{attr}><div class="tile-label">{esc(label)}</div>'
            f'<div class="tile-value">{value}</div>{note_html}</div>')


def figure(chart: str, caption: str = "") -> str:
    cap = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f"<figure>{chart}{cap}</figure>"


def table(headers: Iterable[str], rows: Iterable[Iterable[str]], *, cls: str = "") -> str:
    """A table from cells that are already HTML (callers escape what they put in)."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    attr = f' class="{esc(cls)}"' if cls else ""
    return f"<table{attr}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def left_out_note(undated: int = 0, rejected: int = 0) -> str:
    """The sentence every analysis shows about what it did not count."""
    parts = []
    if rejected:
        parts.append(f'<span class="rejected-left-out" data-count="{int(rejected)}">'
                     f"{int(rejected):,} event{'s' if rejected != 1 else ''} marked wrong by a "
                     "reviewer left out</span>")
    if undated:
        parts.append(f'<span class="undated-left-out" data-count="{int(undated)}">'
                     f"{int(undated):,} undated event{'s' if undated != 1 else ''} left out "
                     "(their documents have no date)</span>")
    if not parts:
        return ('<p class="note left-out" data-rejected="0">Nothing left out: no event is '
                "undated or marked wrong.</p>")
    return (f'<p class="note left-out" data-rejected="{int(rejected)}">'
            + "; ".join(parts) + ".</p>")


def page(title: str, body: str, *, active: str = "", heading: str = "",
         kicker: str = "cordiale", data: Mapping[str, str] | None = None) -> str:
    """The whole HTML document: head, navigation, the token box, ``body``, footer."""
    return page_head(title, active=active, heading=heading, kicker=kicker, data=data) + \
        body + PAGE_FOOT


def page_head(title: str, *, active: str = "", heading: str = "", kicker: str = "cordiale",
              data: Mapping[str, str] | None = None) -> str:
    """Everything before a page's body: sent first when a page is streamed, so the browser
    paints the frame and fetches the stylesheet while the server is still computing."""
    current = ' aria-current="page"'
    nav = "".join(
        f'<a href="{link}"{current if key == active else ""}>{esc(label)}</a>'
        for key, link, label in NAV)
    attrs = "".join(f' data-{esc(k)}="{esc(v)}"' for k, v in (data or {}).items())
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{esc(title)} · cordiale</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/dashboard.css">
<script src="/static/dashboard.js" defer></script>
</head>
<body{attrs}>
<header class="masthead"><div class="inner">
<a class="brand" href="/">cordiale</a>
<nav>{nav}</nav>
<form class="token" id="token-form" autocomplete="off">
<label for="token-input">Analyst token</label>
<input id="token-input" type="password" placeholder="for reviews" size="14"
 autocomplete="off">
<button type="submit">Keep</button><span id="token-state" class="token-state"></span>
</form>
</div></header>
<main>
<p class="kicker">{esc(kicker)}</p>
<h1>{esc(heading or title)}</h1>
"""


PAGE_FOOT = """
</main>
<footer><div class="wrap">cordiale · charts drawn by the same code as the report · works
offline: nothing on this page is fetched from anywhere but this server</div></footer>
</body>
</html>
"""


def error_page(status: int, message: str) -> str:
    return page(f"{status}", f'<p class="note error">{esc(message)}</p>',
                heading="Not found" if status == 404 else "Cannot show this")


def period_until(start: date, freq: str) -> date:
    """The last day of the period of ``freq`` that starts on ``start``."""
    from datetime import timedelta

    if freq == "day":
        return start
    if freq == "week":
        return start + timedelta(days=6)
    months = {"month": 1, "quarter": 3, "year": 12}.get(freq, 1)
    y, m = divmod(start.month - 1 + months, 12)
    return date(start.year + y, m + 1, 1) - timedelta(days=1)
