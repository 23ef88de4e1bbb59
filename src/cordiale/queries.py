"""The questions cordiale answers, as functions both faces call: the CLI and the web API.

Each function takes an open :class:`~cordiale.store.Store` and plain arguments and returns
plain rows (dicts) plus what it left out (undated events, events an analyst rejected); the
faces only parse their arguments and format the answer, so ``cordiale dyad`` and
``GET /api/dyad/{a}/{b}`` cannot drift apart. Events are listed with keyset paging: the
cursor carries the sort key of the last row sent (every sort ends in the unique event id), so
a page never repeats or skips a row however the sort breaks ties, and rows appended by an
ingest meanwhile land on later pages.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from .records import EVENT_FIELDS
from .reviews import events_relation

if TYPE_CHECKING:  # the store (and DuckDB) load only when a question is asked
    from .store import Store

# -- what an analysis left out ------------------------------------------------------------


@dataclass(frozen=True)
class LeftOut:
    """Events an analysis would have read but left out, and why."""

    undated: int = 0
    rejected: int = 0

    def notes(self) -> list[str]:
        """The ``note:`` lines the CLI prints on standard error."""
        out = []
        n = self.undated
        if n:
            which = "event has" if n == 1 else "events have"
            out.append(f"note: {n} {which} no date and {'is' if n == 1 else 'are'} left out "
                       "(their documents have no publication date: 'cordiale docs' lists them)")
        n = self.rejected
        if n:
            which = "event was" if n == 1 else "events were"
            out.append(f"note: {n} {which} marked wrong by a reviewer and "
                       f"{'is' if n == 1 else 'are'} left out ('cordiale reviews list' "
                       "lists the reviews)")
        return out


def left_out(store: Store, *, dyad: tuple[str, str] | None = None,
             involving: Sequence[str] | None = None, origin: str | None = None,
             since: date | None = None, until: date | None = None) -> LeftOut:
    from .analysis.frame import count_rejected, count_undated

    return LeftOut(
        undated=count_undated(store, dyad=dyad, involving=involving, origin=origin),
        rejected=count_rejected(store, dyad=dyad, involving=involving, origin=origin,
                                since=since, until=until))


def interval(value: Any, low: Any, high: Any, digits: int = 2) -> str:
    """``+0.25 [+0.10, +0.40]``: an estimate with its interval as the tables print it."""
    if value is None:
        return "–"
    if low is None or high is None:
        return f"{value:+.{digits}f}"
    return f"{value:+.{digits}f} [{low:+.{digits}f}, {high:+.{digits}f}]"


# -- listing events -----------------------------------------------------------------------


class BadQuery(ValueError):
    """A query argument that cannot be used; ``parameter`` names it."""

    def __init__(self, message: str, parameter: str) -> None:
        super().__init__(message)
        self.parameter = parameter


def known_country(store: Store, value: str, parameter: str) -> str:
    """The country code for what was typed, if the country table or this store knows it;
    else :class:`BadQuery` naming ``parameter``, with a suggestion when one is close
    (``unknown country code 'CHI'; did you mean CHL (Chile) or CHN (China)?``). Every
    question that takes a country asks this first, so the command and the API refuse the
    same typos instead of answering them with nothing."""
    from .analysis.frame import resolve_country

    try:
        return resolve_country(value, store)
    except ValueError as err:
        raise BadQuery(str(err), parameter) from None


def _known_actor(store: Store, value: str, parameter: str) -> str:
    """A country, or an actor-code prefix some event in the store carries (``RUSMIL``)."""
    try:
        return known_country(store, value, parameter)
    except BadQuery:
        code = value.strip().upper()
        if not (code.isalnum() and len(code) > 3):
            raise
        if store.con.execute(
                f"SELECT 1 FROM {events_relation(store)} WHERE starts_with(source_code, $1) "
                "OR starts_with(target_code, $1) LIMIT 1", [code]).fetchone():
            return code
        raise BadQuery(f"{value!r} is not a country, and no actor code in this store starts "
                       "with it", parameter) from None


def parse_pair(value: str, parameter: str, usage: str = "SOURCE,TARGET") -> tuple[str, str]:
    """Two countries (or actor codes) as typed: ``CHN,RUS`` or ``CHN-RUS`` (a comma wins, so
    ``Guinea-Bissau,Senegal`` is two)."""
    sep = "," if "," in value else "-"
    parts = [p.strip() for p in value.split(sep)]
    if len(parts) != 2 or not all(parts):
        raise BadQuery(f"use {usage}, e.g. CHN,RUS or CHN-RUS", parameter)
    return parts[0], parts[1]


def resolve_filter(store: Store, flt: EventFilter) -> EventFilter:
    """The filter with its countries checked against the store and names made codes
    (``China`` → ``CHN``); an unknown one is a :class:`BadQuery` naming its parameter."""
    from dataclasses import replace

    changes: dict[str, Any] = {}
    if flt.actor:
        changes["actor"] = _known_actor(store, flt.actor, "actor")
    if flt.dyad:
        changes["dyad"] = (_known_actor(store, flt.dyad[0], "dyad"),
                           _known_actor(store, flt.dyad[1], "dyad"))
    if flt.between:
        changes["between"] = (known_country(store, flt.between[0], "between"),
                              known_country(store, flt.between[1], "between"))
    return replace(flt, **changes) if changes else flt


@dataclass(frozen=True)
class EventFilter:
    """Every filter ``cordiale events`` and ``GET /api/events`` take."""

    actor: str | None = None
    dyad: tuple[str, str] | None = None  # directed: source, target
    between: tuple[str, str] | None = None  # two countries, either way round
    code: str | None = None
    root: str | None = None
    plover: str | None = None
    since: date | None = None
    until: date | None = None
    include_hypothetical: bool = False
    q: str | None = None  # free text in the sentence (case-insensitive)
    outlet: str | None = None
    min_confidence: float | None = None
    doc_id: str | None = None

    def where(self) -> tuple[list[str], list[Any]]:
        from .store import date_window

        where: list[str] = []
        params: list[Any] = []
        if not self.include_hypothetical:
            where.append("NOT negated AND NOT hypothetical")
        if self.actor:
            where.append("(source_country = ? OR target_country = ? OR "
                         "starts_with(source_code, ?) OR starts_with(target_code, ?))")
            params += [self.actor.upper()] * 4
        if self.dyad:
            s, t = self.dyad[0].upper(), self.dyad[1].upper()
            where.append("(source_country = ? OR starts_with(source_code, ?)) AND "
                         "(target_country = ? OR starts_with(target_code, ?))")
            params += [s, s, t, t]
        if self.between:
            a, b = self.between[0].upper(), self.between[1].upper()
            where.append("((source_country = ? AND target_country = ?) OR "
                         "(source_country = ? AND target_country = ?))")
            params += [a, b, b, a]
        if self.code:
            where.append("starts_with(cameo_code, ?)")
            params.append(self.code)
        if self.root:
            where.append("cameo_root = ?")
            params.append(self.root.zfill(2))
        if self.plover:
            where.append("plover_type = ?")
            params.append(self.plover.upper())
        window, values = date_window("event_date", self.since, self.until)
        where += window
        params += values
        if self.q:
            where.append("contains(lower(coalesce(sentence, '')), lower(?))")
            params.append(self.q)
        if self.outlet:
            where.append("lower(coalesce(publisher, '')) = lower(?)")
            params.append(self.outlet)
        if self.min_confidence is not None:
            where.append("confidence >= ?")
            params.append(self.min_confidence)
        if self.doc_id:
            where.append("doc_id = ?")
            params.append(self.doc_id)
        return where, params


# sort name -> (SQL expression, descending?) ending in the unique event id; NULLs are
# replaced by a value past the end so keyset comparisons never meet one
_FAR_DATE = "DATE '9999-12-31'"
SORTS: dict[str, list[tuple[str, bool]]] = {
    "date": [(f"coalesce(event_date, {_FAR_DATE})", False), ("doc_id", False),
             ("sentence_index", False), ("coalesce(char_start, 2147483647)", False),
             ("event_id", False)],
    "-date": [("coalesce(event_date, DATE '0001-01-01')", True), ("event_id", True)],
    "confidence": [("confidence", False), ("event_id", False)],
    "-confidence": [("confidence", True), ("event_id", True)],
    "goldstein": [("goldstein", False), ("event_id", False)],
    "-goldstein": [("goldstein", True), ("event_id", True)],
}


def encode_cursor(sort: str, key: Sequence[Any]) -> str:
    values = [v.isoformat() if isinstance(v, date) else v for v in key]
    raw = json.dumps([sort, values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> list[Any]:
    """The sort key a cursor carries; a cursor from another sort or not ours is refused."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        got_sort, values = json.loads(raw)
    except (ValueError, binascii.Error, TypeError, UnicodeDecodeError):
        raise BadQuery("not a cursor this server issued (use next_cursor as given)",
                       "cursor") from None
    columns = SORTS[sort]
    if got_sort != sort or not isinstance(values, list) or len(values) != len(columns):
        raise BadQuery("the cursor belongs to another sort order; start again without it",
                       "cursor")
    out: list[Any] = []
    for (expr, _), v in zip(columns, values, strict=True):
        if "event_date" in expr:
            try:
                v = date.fromisoformat(v)
            except (TypeError, ValueError):
                raise BadQuery("not a cursor this server issued", "cursor") from None
        elif not isinstance(v, str | int | float) or isinstance(v, bool):
            raise BadQuery("not a cursor this server issued", "cursor")
        out.append(v)
    return out


def _after(sort: str, key: Sequence[Any]) -> tuple[str, list[Any]]:
    """The condition 'comes after this key in this sort' (lexicographic over the columns)."""
    columns = SORTS[sort]
    ors: list[str] = []
    params: list[Any] = []
    for i, (expr, desc) in enumerate(columns):
        parts = [f"{e} = ?" for e, _ in columns[:i]] + [f"{expr} {'<' if desc else '>'} ?"]
        ors.append("(" + " AND ".join(parts) + ")")
        params += [*key[:i], key[i]]
    return "(" + " OR ".join(ors) + ")", params


def events_sql(store: Store, flt: EventFilter, *, sort: str = "date",
               after: Sequence[Any] | None = None, limit: int | None = None,
               columns: Sequence[str] = EVENT_FIELDS, with_key: bool = False
               ) -> tuple[str, list[Any]]:
    """SQL and parameters listing events (reviews applied, rejected ones left out)."""
    if sort not in SORTS:
        raise BadQuery(f"sort must be one of {', '.join(SORTS)}", "sort")
    where, params = resolve_filter(store, flt).where()
    if after is not None:
        cond, values = _after(sort, after)
        where.append(cond)
        params += values
    select = list(columns)
    if with_key:
        select += [f"{expr} AS _key{i}" for i, (expr, _) in enumerate(SORTS[sort])]
    sql = f"SELECT {', '.join(select)} FROM {events_relation(store)}"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY " + ", ".join(f"{e}{' DESC' if d else ''}" for e, d in SORTS[sort])
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return sql, params


def list_events(store: Store, flt: EventFilter, *, limit: int | None = None,
                sort: str = "date") -> list[dict[str, Any]]:
    """Events as ``cordiale events`` lists them: every field, in the sort's order."""
    sql, params = events_sql(store, flt, sort=sort, limit=limit)
    columns, rows = store.query(sql, params)
    return [dict(zip(columns, r, strict=True)) for r in rows]


@dataclass
class EventPage:
    events: list[dict[str, Any]]
    next_cursor: str | None
    total: int
    rejected_left_out: int


def count_events(store: Store, flt: EventFilter) -> int:
    where, params = resolve_filter(store, flt).where()
    sql = f"SELECT count(*) FROM {events_relation(store)}"
    if where:
        sql += " WHERE " + " AND ".join(where)
    row = store.con.execute(sql, params).fetchone()
    return int(row[0]) if row else 0


def rejected_events(store: Store, flt: EventFilter) -> int:
    """Events this filter would list but for an analyst's "wrong" verdict."""
    from .reviews import count_rejected

    where, params = resolve_filter(store, flt).where()
    return count_rejected(store, where, params)


def event_page(store: Store, flt: EventFilter, *, limit: int, sort: str = "date",
               cursor: str | None = None) -> EventPage:
    """One page of events and the cursor of the next (None on the last page)."""
    flt = resolve_filter(store, flt)
    after = decode_cursor(cursor, sort) if cursor else None
    # the sort runs over ids and keys only, then the page's rows are fetched whole: sorting
    # every column of a large store to keep 50 rows is what made a page slow
    sql, params = events_sql(store, flt, sort=sort, after=after, limit=limit + 1,
                             columns=("event_id",), with_key=True)
    keyed = store.con.execute(sql, params).fetchall()
    more = len(keyed) > limit
    keyed = keyed[:limit]
    ids = [r[0] for r in keyed]
    rows: dict[str, dict[str, Any]] = {}
    if ids:
        columns, found = store.query(
            f"SELECT {', '.join(EVENT_FIELDS)} FROM {events_relation(store)} "
            f"WHERE event_id IN ({', '.join('?' * len(ids))})", ids)
        rows = {r[0]: dict(zip(columns, r, strict=True)) for r in found}
    next_cursor = encode_cursor(sort, keyed[-1][1:]) if more and keyed else None
    return EventPage(events=[rows[i] for i in ids if i in rows], next_cursor=next_cursor,
                     total=count_events(store, flt),
                     rejected_left_out=rejected_events(store, flt))


def event_detail(store: Store, event_id: str) -> dict[str, Any] | None:
    """One event with its evidence (sentence, spans within it, date basis, modality, rule)
    and its reviews; None when there is no such event."""
    from .explain import PRECISION_BASIS
    from .reviews import list_reviews

    event = store.event(event_id)
    if event is None:
        return None
    text = event.pop("doc_text", None)
    start = event.get("sentence_start")
    spans: dict[str, Any] = {}
    for name, (s, e) in {"trigger": ("char_start", "char_end"),
                         "source": ("source_start", "source_end"),
                         "target": ("target_start", "target_end")}.items():
        a, b = event.get(s), event.get(e)
        if a is None or b is None or start is None:
            spans[name] = None
            continue
        spans[name] = {"start": a - start, "end": b - start,
                       "text": text[a:b] if text else None}
    reviews = list_reviews(store, event_id=event_id)
    event["evidence"] = {
        "sentence": event.get("sentence"), "spans": spans,
        "date_basis": PRECISION_BASIS.get(str(event.get("date_precision")),
                                          str(event.get("date_precision") or "unknown")),
        "modality": event.get("modality"), "rule": event.get("coder")}
    event["reviews"] = reviews
    event["latest_verdict"] = reviews[0]["verdict"] if reviews else None
    return event


def document(store: Store, doc_id: str) -> dict[str, Any] | None:
    """A document's text with every event and actor mention in it, with their spans."""
    cols, rows = store.query(
        "SELECT doc_id, title, url, source AS outlet, published, origin, text, cluster_id "
        "FROM documents WHERE doc_id = ?", [doc_id])
    if not rows:
        return None
    doc = dict(zip(cols, rows[0], strict=True))
    mcols, mrows = store.mentions(doc_id=doc_id, include_places=True)
    doc["mentions"] = [dict(zip(mcols, r, strict=True)) for r in mrows]
    ecols, erows = store.query(
        "SELECT event_id, sentence_index, cameo_code, source_country, target_country, "
        "trigger_text, char_start, char_end, source_start, source_end, target_start, "
        "target_end, modality, coder, date FROM events WHERE doc_id = ? "
        "ORDER BY sentence_index, char_start, event_id", [doc_id])
    doc["events"] = [dict(zip(ecols, r, strict=True)) for r in erows]
    return doc


# -- dyad -----------------------------------------------------------------------------------


@dataclass
class DyadResult:
    rows: list[dict[str, Any]]
    trend: dict[str, Any]
    trend_line: str
    left_out: LeftOut


#: Most periods an analysis window may hold: every period is listed, empty ones too, and each
#: carries a bootstrap, so "weekly from year 1 to 9999" would ask for tens of gigabytes.
MAX_PERIODS = 5000

_DAYS_PER = {"day": 1, "week": 7, "month": 30.44, "quarter": 91.3, "year": 365.25}


def check_window(since: date | None, until: date | None, freq: str) -> None:
    """Refuse a window of more than :data:`MAX_PERIODS` periods, naming ``since``."""
    if since is None or until is None or freq not in _DAYS_PER:
        return  # an open end stops at the data, which is never that long
    periods = (until - since).days / _DAYS_PER[freq]
    if periods > MAX_PERIODS:
        raise BadQuery(f"{since} to {until} is about {periods:,.0f} {freq}s; an analysis "
                       f"lists at most {MAX_PERIODS:,} periods: narrow the window or use a "
                       "longer period", "since")


def dyad(store: Store, a: str, b: str, *, since: date | None = None,
         until: date | None = None, freq: str = "month", directed: bool = False,
         pseudo: float = 3.0, replicates: int = 400, seed: int = 0,
         origin: str | None = None) -> DyadResult:
    """Warmth, volume and quad shares of a dyad per period (every period, empty ones too)."""
    a, b = known_country(store, a, "a"), known_country(store, b, "b")
    check_window(since, until, freq)
    from .analysis.frame import period_totals
    from .analysis.series import MIN_TREND_PERIODS, Bootstrap, dyad_series, quad_shares, trend
    from .analysis.sums import load_dyad_sums

    # the dyad's events added up per period and story in DuckDB: all the series needs
    sums = load_dyad_sums(store, a, b, freq=freq, directed=directed, since=since, until=until,
                          origin=origin)
    totals = period_totals(store, freq, since=since, until=until)
    gone = left_out(store, dyad=(a, b), origin=origin, since=since, until=until)
    series = dyad_series(sums, a, b, freq=freq, directed=directed, since=since, until=until,
                         totals=totals, pseudo=pseudo, boot=Bootstrap(replicates, seed))
    quads = {r["period"]: r for r in quad_shares(sums, a, b, freq=freq, directed=directed,
                                                 since=since, until=until).rows()}
    tr = trend(series)
    rows = []
    for i, row in enumerate(series.rows()):
        q = quads.get(row["period"], {})
        row["level"] = round(float(tr.level[i]), 3) if tr.level[i] == tr.level[i] else None
        row["level_low"] = round(float(tr.level_lower[i]), 3) \
            if tr.level_lower[i] == tr.level_lower[i] else None
        row["level_high"] = round(float(tr.level_upper[i]), 3) \
            if tr.level_upper[i] == tr.level_upper[i] else None
        for key in ("cooperation_ratio", "cooperation_low", "cooperation_high",
                    "verbal_cooperation_share", "material_cooperation_share",
                    "verbal_conflict_share", "material_conflict_share",
                    "material_cooperation_low", "material_cooperation_high",
                    "material_conflict_low", "material_conflict_high"):
            row[key] = q.get(key)
        row["warmth_95"] = interval(row["warmth"], row["warmth_low"], row["warmth_high"])
        row["coop_95"] = interval(row["cooperation_ratio"], row["cooperation_low"],
                                  row["cooperation_high"])
        rows.append(row)
    s = tr.summary()
    if s["slope_per_period"] is not None:
        per_year = "" if freq in ("day", "year") else " (" + interval(
            s["slope_per_year"], s["slope_per_year_low"], s["slope_per_year_high"]) + " per year)"
        line = (f"trend {a}–{b}: level {interval(s['level'], s['level_low'], s['level_high'])}, "
                f"slope {interval(s['slope_per_period'], s['slope_low'], s['slope_high'], 3)} "
                f"per {freq}{per_year} over {s['periods_used']} {freq}s with events")
    else:
        line = f"trend {a}–{b}: fewer than {MIN_TREND_PERIODS} {freq}s with events; no slope"
    return DyadResult(rows=rows, trend=dict(s), trend_line=line, left_out=gone)


# -- align ----------------------------------------------------------------------------------


@dataclass
class AlignResult:
    rows: list[dict[str, Any]]
    has_votes: bool
    trend_lines: list[str]
    left_out: LeftOut


def align(store: Store, a: str, b: str, *, since: date | None = None,
          until: date | None = None, freq: str = "year", min_events: int = 2,
          replicates: int = 400, seed: int = 0, origin: str | None = None) -> AlignResult:
    """S-score and kappa of how alike two countries treat third countries, per period, with
    UNGA vote agreement beside them when votes are loaded (every period, empty ones too)."""
    a, b = known_country(store, a, "a"), known_country(store, b, "b")
    check_window(since, until, freq)
    from .analysis.alignment import alignment
    from .analysis.frame import load_events
    from .analysis.series import Bootstrap

    frame = load_events(store, since=since, until=until, origin=origin, involving=[a, b])
    gone = left_out(store, involving=[a, b], origin=origin, since=since, until=until)
    votes = _unga_rows(store, a, b, freq, since, until, replicates, seed)
    result = alignment(frame, a, b, freq=freq, since=since, until=until,
                       min_events=min_events, boot=Bootstrap(replicates, seed))
    rows = result.rows()
    by_period = {r["period"]: r for r in rows}
    for v in votes:
        row = by_period.get(v["period"])
        if row is None:
            row = {"period": v["period"], "a": a, "b": b, "partners": 0}
            by_period[v["period"]] = row
        row.update({f"unga_{k}": val for k, val in v.items() if k != "period"})
    rows = [by_period[k] for k in sorted(by_period)]
    for r in rows:
        r["s_95"] = interval(r.get("s_score"), r.get("s_low"), r.get("s_high"))
        r["kappa_95"] = interval(r.get("kappa"), r.get("kappa_low"), r.get("kappa_high"))
        r["unga_kappa_95"] = interval(r.get("unga_kappa"), r.get("unga_kappa_low"),
                                      r.get("unga_kappa_high"))
    lines = []
    # how fast is alignment growing: a robust slope of each kappa over the periods it exists
    for key, what in (("kappa", "event alignment"), ("unga_kappa", "UNGA vote agreement")):
        line = _slope_line(rows, key, freq)
        if line:
            lines.append(f"trend of {what} {a}–{b} (kappa): {line}")
    return AlignResult(rows=rows, has_votes=bool(votes), trend_lines=lines, left_out=gone)


def _slope_line(rows: Sequence[dict[str, Any]], key: str, freq: str) -> str | None:
    """Theil–Sen slope of one column over the periods where it has a value, as text."""
    import numpy as np

    from .analysis.frame import parse_period
    from .analysis.series import MIN_TREND_PERIODS, theil_sen

    days = {"day": 1.0, "week": 7.0, "month": 30.44, "quarter": 91.31, "year": 365.25}[freq]
    # a period resting on a handful of roll calls (or no shared partner) is left out
    support = "unga_votes" if key.startswith("unga_") else "partners"
    points = [(i, r[key]) for i, r in enumerate(rows)
              if r.get(key) is not None and (r.get(support) or 0) >= (10 if support ==
                                                                       "unga_votes" else 1)]
    if len(points) < MIN_TREND_PERIODS:
        return None
    starts = [parse_period(rows[i]["period"])[1] for i, _ in points]
    x = np.array([(d - starts[0]).days / days for d in starts])  # in periods, gaps kept
    y = np.array([p[1] for p in points], dtype=float)
    slope, lo, hi = theil_sen(x, y)
    return (f"{interval(slope, lo, hi, 3)} per {freq} over {len(points)} {freq}s "
            f"({rows[points[0][0]]['period']}–{rows[points[-1][0]]['period']})")


def _unga_rows(store: Store, a: str, b: str, freq: str, since: date | None,
               until: date | None, replicates: int, seed: int) -> list[dict[str, Any]]:
    """UNGA agreement rows for the dyad, or none when no votes are loaded."""
    from .analysis.unga import load_votes, vote_agreement

    votes = load_votes(store, countries=[a, b], since=since, until=until)
    if len(votes) == 0:
        return []
    out = []
    for est in vote_agreement(votes, a, b, freq=freq, since=since, until=until,
                              n_boot=replicates, seed=seed):
        row = est.row()
        out.append({"period": row["period"], "votes": row["n"],
                    **{k: row[k] for k in row if k not in ("period", "a", "b", "n")}})
    return out


# -- blocs ----------------------------------------------------------------------------------


@dataclass
class BlocsResult:
    rows: list[dict[str, Any]]
    columns: list[str]  # what the table shows
    lines: list[str]  # the summary lines the CLI prints on standard error
    since: date | None
    until: date | None
    left_out: LeftOut
    summary: dict[str, Any] = field(default_factory=dict)


def blocs(store: Store, *, period: str | None = None, since: date | None = None,
          until: date | None = None, freq: str = "month", anchor: str = "USA",
          resolution: float = 1.0, drift: bool = False, replicates: int = 400,
          seed: int = 0, origin: str | None = None) -> BlocsResult | None:
    """Blocs, bloc axis and balance for one period (by default the latest), or each
    country's drift along the axis; None when the store has no event between two countries.
    A ``period`` that is not one raises :class:`BadQuery` naming ``period``."""
    from .analysis.blocs import blocs as find_blocs
    from .analysis.blocs import drift as find_drift
    from .analysis.frame import country_names, latest_period, load_events, parse_period
    from .analysis.series import Bootstrap
    from .analysis.sums import load_pair_sums

    anchor = known_country(store, anchor, "anchor")
    names = country_names()
    if period:
        try:
            freq, since, until = parse_period(period)
        except ValueError as err:
            raise BadQuery(str(err), "period") from err
    elif not drift and since is None and until is None:
        window = latest_period(store, freq)
        if window is None:
            return None
        since, until = window
    gone = left_out(store, origin=origin, since=since, until=until)
    label = f"{since or 'start'} to {until or 'end'}"
    if drift:
        frame = load_events(store, since=since, until=until, origin=origin)
        result = find_drift(frame, freq=freq, since=since, until=until, anchor=anchor,
                            resolution=resolution)
        rows = result.rows()
        for r in rows:
            r["name"] = names.get(r["country"], r["country"])
        return BlocsResult(rows=rows, columns=["country", "name", "slope_per_year",
                                               *result.labels],
                           lines=[f"note: {note}" for note in result.notes], since=since,
                           until=until, left_out=gone)
    # the window's events added up per story and pair in DuckDB: all blocs need
    pairs = load_pair_sums(store, since=since, until=until, origin=origin)
    report = find_blocs(pairs, since=since, until=until, anchor=anchor, seed=seed,
                        resolution=resolution, boot=Bootstrap(replicates, seed))
    rows = report.rows()
    for r in rows:
        r["name"] = names.get(r["country"], r["country"])
        r["position_95"] = interval(r["position"], r["position_low"], r["position_high"])
    s = report.summary()
    b = s["balance"]
    sizes = ", ".join(f"bloc {r['bloc']}: {r['size']}" for r in report.bloc_rows())
    lines = [f"blocs {label}: {s['countries']} countries in {s['blocs']} blocs ({sizes}); "
             f"axis anchored on {s['anchor']}"]
    if b["triangles"]:
        st = b["strict"]
        lines.append(f"balance: {st['share']:.3f} of {b['triangles']} triangles balanced "
                     f"against {st['null_mean']:.3f} ± {st['null_sd']:.3f} with shuffled signs "
                     f"(z {st['z']}, p {st['p_value']})")
    lines += [f"note: {note}" for note in s["notes"]]
    return BlocsResult(rows=rows, columns=["country", "name", "bloc", "position_95", "events",
                                           "partners", "warmth_bloc", "warmth_others"],
                       lines=lines, since=since, until=until, left_out=gone, summary=s)


# -- changes --------------------------------------------------------------------------------


@dataclass
class ChangesResult:
    rows: list[dict[str, Any]]
    events: int
    periods: int
    left_out: LeftOut


def changes(store: Store, a: str, b: str, *, since: date | None = None,
            until: date | None = None, freq: str = "month", directed: bool = False,
            min_size: int = 3, penalty: float | None = None, top: int = 5,
            replicates: int = 400, seed: int = 0, origin: str | None = None
            ) -> ChangesResult:
    """Turning points in a dyad's warmth with the events that drove each (and their
    sentences) and how robust each is."""
    a, b = known_country(store, a, "a"), known_country(store, b, "b")
    check_window(since, until, freq)
    from .analysis.changes import detect_changes
    from .analysis.frame import load_events
    from .analysis.series import Bootstrap

    frame = load_events(store, dyad=(a, b), since=since, until=until, origin=origin)
    gone = left_out(store, dyad=(a, b), origin=origin, since=since, until=until)
    report = detect_changes(frame, a, b, freq=freq, directed=directed, since=since,
                            until=until, min_size=min_size, penalty=penalty, top=top,
                            boot=Bootstrap(replicates, seed))
    rows = report.rows()
    found = store.evidence([d["event_id"] for r in rows for d in r["drivers"]])
    for r in rows:
        for d in r["drivers"]:
            d.update({k: v for k, v in found.get(d["event_id"], {}).items()
                      if k in ("sentence", "trigger", "trigger_start", "trigger_end", "title",
                               "url", "origin")})
    return ChangesResult(rows=rows, events=int(report.series.n.sum()),
                         periods=len(report.periods), left_out=gone)


# -- the whole store at a glance -------------------------------------------------------------


def overview(store: Store, *, freq: str = "month", top: int = 10) -> dict[str, Any]:
    """Events per period, the busiest dyads, the quad-class mix and undated documents."""
    from .analysis import FREQS
    from .store import RELATIONAL_EVENTS

    if freq not in FREQS:
        raise BadQuery(f"freq must be one of {', '.join(FREQS)}", "freq")
    rel = events_relation(store)
    per_period = store.con.execute(
        f"SELECT CAST(date_trunc('{freq}', event_date) AS DATE) AS p, count(*) FROM {rel} "
        f"WHERE {RELATIONAL_EVENTS} GROUP BY p ORDER BY p").fetchall()
    dyads = store.con.execute(
        f"SELECT least(source_country, target_country), greatest(source_country, "
        f"target_country), count(*) AS n FROM {rel} WHERE {RELATIONAL_EVENTS} "
        "GROUP BY 1, 2 ORDER BY n DESC, 1, 2 LIMIT ?", [int(top)]).fetchall()
    quads = store.con.execute(
        f"SELECT quad_class, count(*) FROM {rel} WHERE {RELATIONAL_EVENTS} "
        "GROUP BY 1 ORDER BY 1").fetchall()
    docs = store.con.execute(
        "SELECT count(*), count(*) FILTER (WHERE published IS NULL) FROM documents").fetchone()
    events_total = store.con.execute(f"SELECT count(*) FROM {rel}").fetchone()
    from .reviews import count_rejected

    return {
        "freq": freq,
        "events": int(events_total[0]) if events_total else 0,
        "events_per_period": [{"period": p.isoformat(), "events": int(n)}
                              for p, n in per_period],
        "busiest_dyads": [{"a": a, "b": b, "events": int(n)} for a, b, n in dyads],
        "quad_classes": [{"quad_class": int(q), "events": int(n)} for q, n in quads],
        "documents": int(docs[0]) if docs else 0,
        "documents_without_date": int(docs[1]) if docs else 0,
        "rejected_left_out": count_rejected(store),
    }


def actors(store: Store, *, country: str | None = None, sector: str | None = None,
           doc_id: str | None = None, places: bool = False, limit: int | None = None
           ) -> list[dict[str, Any]]:
    if country:
        country = known_country(store, country, "country")
    columns, rows = store.mentions(country=country, sector=sector, doc_id=doc_id,
                                   include_places=places, limit=limit)
    return [dict(zip(columns, r, strict=True)) for r in rows]
