"""The event explorer (filters, search, sorting, paging) and one event's evidence and review.

The list is :func:`cordiale.queries.event_page` — the same keyset paging and the same filters
as ``GET /api/events`` — with one filter added for the dashboard: ``pair``, a dyad in either
direction, which is what the dyad page's periods and turning points stand for. The evidence
page shows the sentence with the source, target and trigger marked from their character spans
(each piece escaped on its own, so a span can never cut an entity in half), the date's basis,
the modality and the rule that fired, and the review form the page's script posts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...queries import SORTS, EventFilter
from ...report.charts import format_value
from .layout import esc, href, left_out_note, number, page, signed, table, tile

PAGE_SIZE = 50
FILTERS = ("q", "pair", "dyad", "actor", "code", "root", "plover", "since", "until", "outlet",
           "min_confidence", "include_hypothetical", "sort")
READ_ONLY = ('<p class="note">This server is read-only: start it with --allow-writes and '
             "CORDIALE_TOKEN to review.</p>")
SORT_LABELS = {"date": "date, oldest first", "-date": "date, newest first",
               "confidence": "confidence, lowest first", "-confidence": "confidence, highest first",
               "goldstein": "Goldstein, most hostile first",
               "-goldstein": "Goldstein, most cooperative first"}


@dataclass(frozen=True)
class PairFilter(EventFilter):
    """An event filter that also takes a dyad in either direction (``pair``)."""

    pair: tuple[str, str] | None = None

    def where(self) -> tuple[list[str], list[Any]]:
        where, params = super().where()
        if self.pair:
            a, b = self.pair[0].upper(), self.pair[1].upper()
            side = "({0}_country = ? OR starts_with({0}_code, ?))"
            where.append(f"(({side.format('source')} AND {side.format('target')}) OR "
                         f"({side.format('source')} AND {side.format('target')}))")
            params += [a, a, b, b, b, b, a, a]
        return where, params


def render_events(args: dict[str, str], events: list[dict[str, Any]], outlets: dict[str, str],
                  *, total: int, rejected: int, next_cursor: str | None) -> str:
    """The explorer: the filter form, the page of events, and the link to the next page."""
    def field(name: str, label: str, *, kind: str = "text", size: int = 10,
              placeholder: str = "") -> str:
        return (f'<label>{esc(label)} <input type="{kind}" name="{name}" '
                f'value="{esc(args.get(name, ""))}" size="{size}" '
                f'placeholder="{esc(placeholder)}"></label>')

    sort = args.get("sort") or "date"
    sorts = "".join(f'<option value="{esc(s)}"{" selected" if s == sort else ""}>'
                    f"{esc(SORT_LABELS.get(s, s))}</option>" for s in SORTS)
    hypo = " checked" if args.get("include_hypothetical") else ""
    form = f"""
<form class="controls filters" method="get" action="/events">
{field("q", "Search", size=22, placeholder="words in the sentence")}
{field("pair", "Dyad", size=8, placeholder="USA-CHN")}
{field("actor", "Actor", size=6, placeholder="RUS")}
{field("code", "CAMEO", size=5, placeholder="057")}
{field("plover", "PLOVER", size=9, placeholder="AGREE")}
{field("since", "From", kind="date")}
{field("until", "To", kind="date")}
{field("outlet", "Outlet", size=12)}
{field("min_confidence", "Min. confidence", size=4, placeholder="0.5")}
<label><input type="checkbox" name="include_hypothetical" value="1"{hypo}> hypothetical too</label>
<label>Sort <select name="sort">{sorts}</select></label>
<button type="submit">Filter</button> <a href="/events">clear</a>
</form>"""
    rows = []
    for e in events:
        link = href("events", e["event_id"])
        sentence = e.get("sentence") or ""
        rows.append([
            f'<a class="event-link" href="{esc(link)}">{esc(e.get("date"))}</a>',
            _actor(e, "source"),
            f'<a href="{esc(link)}"><code>{esc(e.get("cameo_code"))}</code></a> '
            f'{esc(cameo_name(e.get("cameo_code")))}',
            _actor(e, "target"),
            f'<span class="sentence">{esc(sentence[:180])}{"…" if len(sentence) > 180 else ""}'
            "</span>" if sentence else '<span class="muted">no sentence (imported)</span>',
            esc(outlets.get(e["event_id"], "")),
            signed(e.get("goldstein"), 1),
        ])
    listing = (table(["date", "source", "event", "target", "sentence", "outlet", "Goldstein"],
                     rows, cls="events") if rows
               else '<p class="note">No event matches these filters.</p>')
    keep = {k: v for k, v in args.items() if k in FILTERS and v}
    pager = []
    if args.get("cursor"):
        pager.append(f'<a href="{esc(href("events", **keep))}">first page</a>')
    if next_cursor:
        after = href("events", **keep, cursor=next_cursor)
        pager.append(f'<a class="next" rel="next" href="{esc(after)}">next page →</a>')
    body = f"""{form}
<div class="tiles">{tile("Matching events", number(total), ident="events-total")}</div>
{_downloads(args)}
{left_out_note(0, rejected)}
{listing}
<nav class="pager">{" · ".join(pager)}</nav>"""
    return page("Events", body, active="events", heading="Event explorer")


def _downloads(args: dict[str, str]) -> str:
    """Links to the same events from the JSON API as files (its filters take a directed dyad
    as SOURCE,TARGET and have no either-direction pair, so a pair search offers none)."""
    if args.get("pair"):
        return ('<p class="downloads muted">Downloads take a directed dyad: use the Dyad '
                "field's SOURCE-TARGET form in the API (<code>dyad=USA,CHN</code>).</p>")
    keep = {k: v for k, v in args.items() if k in FILTERS and k != "pair" and v}
    if keep.get("dyad"):
        keep["dyad"] = keep["dyad"].replace("-", ",")
    links = " · ".join(f'<a href="{esc(href("api", "events", **keep, format=kind))}" '
                       f'download>{label}</a>'
                       for kind, label in (("csv", "CSV"), ("jsonl", "JSON lines"),
                                           ("parquet", "Parquet")))
    return f'<p class="downloads">Download every matching event: {links}</p>'


def cameo_name(code: Any) -> str:
    from ...events.ontology import load_ontology

    try:
        return load_ontology().get(str(code)).name
    except KeyError:
        return ""


def _actor(e: dict[str, Any], side: str) -> str:
    code = e.get(f"{side}_country") or e.get(f"{side}_code") or ""
    name = e.get(f"{side}_name") or e.get(f"{side}_text") or ""
    return (f'<span class="actor"><code>{esc(code)}</code> {esc(name)}</span>' if name
            else f"<code>{esc(code)}</code>")


def highlight(sentence: str, spans: dict[str, Any]) -> str:
    """The sentence with source, target and trigger in ``<mark>``; overlaps keep the first."""
    marks = []
    for role in ("source", "target", "trigger"):
        span = spans.get(role)
        if not span:
            continue
        start, end = span.get("start"), span.get("end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(sentence):
            marks.append((start, end, role))
    marks.sort()
    out, at = [], 0
    for start, end, role in marks:
        if start < at:
            continue
        out.append(esc(sentence[at:start]))
        out.append(f'<mark class="{role}" title="{role}">{esc(sentence[start:end])}</mark>')
        at = end
    out.append(esc(sentence[at:]))
    return "".join(out)


def render_event(event: dict[str, Any], names: dict[str, str], *, can_write: bool,
                 counts: tuple[int, int] | None = None) -> str:
    ev = event.get("evidence") or {}
    sentence = ev.get("sentence") or ""
    quote = (f'<blockquote class="evidence" id="sentence">'
             f"{highlight(sentence, ev.get('spans') or {})}</blockquote>" if sentence else
             '<p class="note">This event was imported without its sentence (event datasets '
             "such as ICEWS publish none); its fields are shown as imported.</p>")
    source = event.get("source_country") or event.get("source_code") or ""
    target = event.get("target_country") or event.get("target_code") or ""
    facts = [
        ("Date", esc(event.get("date"))),
        ("Date's basis", esc(ev.get("date_basis") if sentence else
                             f"the date the {event.get('origin') or 'imported'} record gives")),
        ("Source", f"<code>{esc(event.get('source_code'))}</code> "
                   f"{esc(event.get('source_name') or names.get(source, ''))}"),
        ("Event", f"<code>{esc(event.get('cameo_code'))}</code> "
                  f"{esc(cameo_name(event.get('cameo_code')))} "
                  f"({esc(event.get('plover_type') or 'no PLOVER type')}), Goldstein "
                  f"{signed(event.get('goldstein'), 1)}, quad class "
                  f"{esc(event.get('quad_class'))}"),
        ("Target", f"<code>{esc(event.get('target_code'))}</code> "
                   f"{esc(event.get('target_name') or names.get(target, ''))}"),
        ("Trigger", esc(event.get("trigger_text") or "")),
        ("Modality", esc(ev.get("modality") or event.get("modality"))),
        ("Rule that fired", f"<code>{esc(ev.get('rule'))}</code>"),
        ("Confidence", esc(format_value(event.get("confidence"), 0.01))),
        ("Outlet", esc(event.get("outlet") or event.get("publisher") or "")),
        ("Document", esc(event.get("title") or event.get("doc_id"))),
        ("Origin", esc(event.get("origin") or "")),
    ]
    dl = "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in facts)
    reviews = event.get("reviews") or []
    history = "".join(
        f'<li><span class="verdict {esc(r.get("verdict"))}">{esc(r.get("verdict"))}</span> by '
        f'{esc(r.get("reviewer"))}, {esc(str(r.get("created_at") or "")[:19])}'
        + (f" — code {esc(r['cameo_code'])}" if r.get("cameo_code") else "")
        + (f" — {esc(r['note'])}" if r.get("note") else "") + "</li>" for r in reviews)
    verdict = event.get("latest_verdict")
    dyad_link = (f'<a href="{esc(href("dyad", source, target))}">{esc(source)}–{esc(target)}</a>'
                 if source and target else "")
    count_html = ""
    if counts is not None:
        total, rejected = counts
        count_html = (
            f'<p class="dyad-counts" id="dyad-counts" data-a="{esc(source)}" '
            f'data-b="{esc(target)}">The {dyad_link} dyad: <span class="dyad-total" '
            f'data-count="{total}">{total:,}</span> events between them, '
            f'<span class="dyad-rejected" data-count="{rejected}">{rejected:,}</span> marked '
            "wrong and left out.</p>")
    review = f"""
<section id="review"><h2>Review</h2>
<p class="verdict-now">Latest verdict:
<strong id="latest-verdict">{esc(verdict or "none yet")}</strong></p>
{count_html}
<form id="review-form" data-event="{esc(event.get("event_id"))}"
 data-can-write="{int(can_write)}">
<label>Your name <input id="reviewer" name="reviewer" size="14" maxlength="100"></label>
<div class="buttons">
<button type="button" class="verdict-button" data-verdict="right">Right</button>
<button type="button" class="verdict-button wrong" data-verdict="wrong">Wrong</button>
</div>
<fieldset><legend>Or correct it</legend>
<label>CAMEO code <input name="cameo_code" size="5" maxlength="8" inputmode="numeric"></label>
<label>Source country <input name="source_country" size="4" maxlength="64"></label>
<label>Target country <input name="target_country" size="4" maxlength="64"></label>
<label>Note <input name="note" size="30" maxlength="4000"></label>
<button type="button" class="verdict-button" data-verdict="corrected">Save correction</button>
</fieldset>
<p id="review-status" class="review-status" role="status"></p>
</form>
{"" if can_write else READ_ONLY}
<ol class="history">{history}</ol>
</section>"""
    body = f"""{quote}
<dl class="facts-list">{dl}</dl>
{review}"""
    title = f"{source or '?'} → {target or '?'}: {event.get('cameo_code') or ''}"
    return page(title, body, active="events", kicker=f"event {event.get('event_id')}",
                heading=f"{source or '?'} → {target or '?'}, CAMEO {event.get('cameo_code')}")
