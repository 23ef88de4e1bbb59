"""Events as columns: the one shape every measure in :mod:`cordiale.analysis` takes.

Measures are pure functions of an :class:`EventFrame` (NumPy arrays, one row per event), so
they can be tested on synthetic streams without a database and run unchanged on events read
from the store, imported from ICEWS or GDELT, or generated at scale. Only :func:`load_events`
talks to DuckDB, and it pushes the filters (countries, dates, modality) down into SQL so a
ten-million-event store hands back just the rows a question needs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from ..reviews import count_rejected as count_rejected_where
from ..reviews import daily_counts_relation, events_relation, facts_relation
from ..store import RELATIONAL_EVENTS, date_window

if TYPE_CHECKING:
    from ..store import Store

from . import FREQS

# column name in the frame -> SQL expression over the events table
_COLUMNS = {
    "event_id": "event_id",
    "date": "event_date",
    "source": "source_country",
    "target": "target_country",
    "goldstein": "goldstein",
    "quad": "quad_class",
    "cameo": "cameo_code",
    "plover": "coalesce(plover_type, '')",
    "story": "coalesce(story_id, doc_id)",
    "publisher": "coalesce(publisher, '')",
    "doc_id": "doc_id",
    "origin": "origin",
}


# the same columns from event_facts, where story_id is never NULL
_FACT_COLUMNS = _COLUMNS | {"story": "story_id"}


@dataclass(frozen=True)
class EventFrame:
    """Parallel arrays, one row per event with a country on both sides.

    ``date`` is ``datetime64[D]``; ``source``/``target`` are ISO alpha-3 country codes;
    ``quad`` is the CAMEO quad class (1 verbal cooperation, 2 material cooperation,
    3 verbal conflict, 4 material conflict); ``story`` is the unit that counts once (a
    near-duplicate cluster of articles, an ICEWS story) and that bootstraps resample.
    """

    event_id: np.ndarray
    date: np.ndarray
    source: np.ndarray
    target: np.ndarray
    goldstein: np.ndarray
    quad: np.ndarray
    cameo: np.ndarray
    plover: np.ndarray
    story: np.ndarray
    publisher: np.ndarray
    doc_id: np.ndarray
    origin: np.ndarray
    deduped: bool = False  # already one row per story, dyad, code and day

    def __len__(self) -> int:
        return int(self.goldstein.shape[0])

    def take(self, index: np.ndarray) -> EventFrame:
        """The rows selected by a boolean mask or an integer index, as a new frame."""
        return EventFrame(**{f.name: getattr(self, f.name)[index] for f in fields(self)
                             if f.name != "deduped"}, deduped=self.deduped)

    def canonical(self) -> EventFrame:
        """Rows sorted by event id: sums then add in one order whatever order rows came in,
        so results are identical to the last bit for any permutation of the input."""
        order = np.argsort(self.event_id.astype(str), kind="stable")
        return self.take(order)

    def dyad(self, a: str, b: str, *, directed: bool = False) -> EventFrame:
        """Events from ``a`` to ``b`` (and, undirected, from ``b`` to ``a``)."""
        mask = (self.source == a) & (self.target == b)
        if not directed:
            mask |= (self.source == b) & (self.target == a)
        return self.take(mask)

    def between(self, since: dt.date | None = None, until: dt.date | None = None) -> EventFrame:
        mask = np.ones(len(self), dtype=bool)
        if since is not None:
            mask &= self.date >= np.datetime64(since, "D")
        if until is not None:
            mask &= self.date <= np.datetime64(until, "D")
        return self.take(mask)

    def countries(self) -> list[str]:
        return sorted(set(self.source.tolist()) | set(self.target.tolist()))

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]]) -> EventFrame:
        """Build a frame from dicts with the frame's field names (missing ones get defaults).

        The constructor tests and synthetic generators use: ``date`` may be a ``date`` or an
        ISO string, ``event_id`` defaults to the row number and ``story`` to the event id.
        """
        rows = list(records)
        n = len(rows)
        ids = [str(r.get("event_id", i)) for i, r in enumerate(rows)]
        return cls(
            event_id=np.array(ids, dtype=object),
            date=np.array([str(r["date"])[:10] for r in rows], dtype="datetime64[D]")
            if n else np.array([], dtype="datetime64[D]"),
            source=np.array([r["source"] for r in rows], dtype=object),
            target=np.array([r["target"] for r in rows], dtype=object),
            goldstein=np.array([float(r["goldstein"]) for r in rows], dtype=float),
            quad=np.array([int(r.get("quad", _quad_of(float(r["goldstein"])))) for r in rows],
                          dtype=np.int8),
            cameo=np.array([str(r.get("cameo", "")) for r in rows], dtype=object),
            plover=np.array([str(r.get("plover", "")) for r in rows], dtype=object),
            story=np.array([str(r.get("story", ids[i])) for i, r in enumerate(rows)],
                           dtype=object),
            publisher=np.array([str(r.get("publisher", "")) for r in rows], dtype=object),
            doc_id=np.array([str(r.get("doc_id", r.get("story", ids[i])))
                             for i, r in enumerate(rows)], dtype=object),
            origin=np.array([str(r.get("origin", "synthetic")) for r in rows], dtype=object),
        )

    @classmethod
    def empty(cls) -> EventFrame:
        return cls.from_records([])


def _quad_of(goldstein: float) -> int:
    """A quad class for synthetic rows that give only a score (sign and size of Goldstein)."""
    if goldstein >= 0:
        return 2 if goldstein >= 6 else 1
    return 4 if goldstein <= -6 else 3


def load_events(
    store: Store,
    *,
    countries: Sequence[str] | None = None,
    dyad: tuple[str, str] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    include_hypothetical: bool = False,
    origin: str | None = None,
    involving: Sequence[str] | None = None,
    dedupe: bool = True,
) -> EventFrame:
    """Read events with a country on both sides (and a date) into a frame.

    ``dyad`` selects both directions between two countries; ``countries`` keeps events whose
    source and target are both in the list, ``involving`` those with either side in it.
    Negated and hypothetical events are left out
    unless asked, as in ``cordiale events``; self-directed events (a country to itself) are
    domestic and left out of every relational measure. With ``dedupe`` DuckDB keeps one
    event per story, source, target, CAMEO code and day (the rule of
    :func:`cordiale.analysis.series.dedupe`, done where it is cheapest).
    """
    rows = select_events(store, countries=countries, dyad=dyad, since=since, until=until,
                         include_hypothetical=include_hypothetical, origin=origin,
                         involving=involving)
    columns = _FACT_COLUMNS if rows.facts else _COLUMNS
    select = ", ".join(f"{sql} AS {name}" for name, sql in columns.items())
    sql = f"SELECT {select} FROM {rows.table}"
    if rows.where:
        sql += f" WHERE {' AND '.join(rows.where)}"
    if dedupe:
        sql += (f" QUALIFY row_number() OVER (PARTITION BY {rows.story}, source_country, "
                "target_country, cameo_code, event_date ORDER BY event_id) = 1")
    data = store.con.execute(sql, rows.params).fetchnumpy()
    return _frame_from_numpy(data, deduped=dedupe)


@dataclass(frozen=True)
class Selection:
    """The FROM item, conditions and parameters reading the events an analysis may use, and
    the SQL expression of each event's story: shared by :func:`load_events` and the loaders
    of :mod:`cordiale.analysis.sums`, so every reader filters alike."""

    table: str
    where: list[str]
    params: list[Any]
    story: str
    facts: bool


def select_events(
    store: Store,
    *,
    countries: Sequence[str] | None = None,
    dyad: tuple[str, str] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    include_hypothetical: bool = False,
    origin: str | None = None,
    involving: Sequence[str] | None = None,
) -> Selection:
    """What :func:`load_events` reads, as SQL pieces (its arguments mean the same)."""
    # a dyad's rows sit together in event_facts (sorted by dyad), so read it there when it
    # is up to date; date windows read events, which arrive roughly in date order
    facts = dyad is not None and not include_hypothetical and store.facts_fresh()
    # reviews: events an analyst rejected are left out, corrections applied (cordiale.reviews)
    # with a Parquet directory, a window reads only its months' files
    table = (facts_relation(store, since=since, until=until) if facts
             else events_relation(store, since=since, until=until))
    if facts:
        where = []
    elif include_hypothetical:
        where = ["event_date IS NOT NULL", "source_country IS NOT NULL",
                 "target_country IS NOT NULL", "source_country <> target_country"]
    else:
        where = [RELATIONAL_EVENTS]
    more, params = _side_filters(dyad=dyad, countries=countries, involving=involving,
                                 origin=origin, facts=facts)
    where += more
    window, values = date_window("event_date", since, until)
    where += window
    params += values
    return Selection(table=table, where=where, params=params,
                     story="story_id" if facts else "coalesce(story_id, doc_id)", facts=facts)


def _side_filters(*, dyad: tuple[str, str] | None = None,
                  countries: Sequence[str] | None = None,
                  involving: Sequence[str] | None = None, origin: str | None = None,
                  facts: bool = False) -> tuple[list[str], list[Any]]:
    """SQL conditions and parameters for who is on either side (and which origin)."""
    where: list[str] = []
    params: list[Any] = []
    if dyad is not None:
        a, b = dyad[0].upper(), dyad[1].upper()
        if facts:
            where.append("dyad = ?")
            params.append("|".join(sorted((a, b))))
        else:
            where.append("((source_country = ? AND target_country = ?) OR "
                         "(source_country = ? AND target_country = ?))")
            params += [a, b, b, a]
    if countries is not None:
        codes = [c.upper() for c in countries]
        where.append("list_contains(?, source_country) AND list_contains(?, target_country)")
        params += [codes, codes]
    if involving is not None:
        codes = [c.upper() for c in involving]
        where.append("(list_contains(?, source_country) OR list_contains(?, target_country))")
        params += [codes, codes]
    if origin is not None:
        where.append("origin = ?")
        params.append(origin)
    return where, params


def count_undated(store: Store, *, dyad: tuple[str, str] | None = None,
                  involving: Sequence[str] | None = None, origin: str | None = None) -> int:
    """Events :func:`load_events` would read but for their missing date: every analysis
    leaves them out, and says how many."""
    where, params = _side_filters(dyad=dyad, involving=involving, origin=origin)
    where = [RELATIONAL_EVENTS.replace("event_date IS NOT NULL", "event_date IS NULL"), *where]
    row = store.con.execute(f"SELECT count(*) FROM {events_relation(store, undated=True)} "
                            f"WHERE {' AND '.join(where)}", params).fetchone()
    return int(row[0]) if row else 0


def count_rejected(store: Store, *, dyad: tuple[str, str] | None = None,
                   involving: Sequence[str] | None = None, origin: str | None = None,
                   since: dt.date | None = None, until: dt.date | None = None) -> int:
    """Events :func:`load_events` would read but that an analyst marked wrong: every
    analysis leaves them out, and says how many."""
    where, params = _side_filters(dyad=dyad, involving=involving, origin=origin)
    window, values = date_window("event_date", since, until)
    return count_rejected_where(store, [RELATIONAL_EVENTS, *where, *window], params + values)


def _frame_from_numpy(data: Mapping[str, Any], *, deduped: bool = False) -> EventFrame:
    def col(name: str, dtype: Any) -> np.ndarray:
        values = data[name]
        if hasattr(values, "filled"):  # masked arrays for columns with NULLs
            values = values.filled(0 if dtype in (float, np.int8) else "")
        return np.asarray(values).astype(dtype, copy=False)

    return EventFrame(
        event_id=col("event_id", object),
        date=np.asarray(data["date"]).astype("datetime64[D]"),
        source=col("source", object),
        target=col("target", object),
        goldstein=col("goldstein", float),
        quad=col("quad", np.int8),
        cameo=col("cameo", object),
        plover=col("plover", object),
        story=col("story", object),
        publisher=col("publisher", object),
        doc_id=col("doc_id", object),
        origin=col("origin", object),
        deduped=deduped,
    )


def period_start(dates: np.ndarray, freq: str) -> np.ndarray:
    """The first day of the period (day, ISO week, month, quarter, year) each date falls in."""
    d = np.asarray(dates).astype("datetime64[D]")
    if freq == "day":
        return d
    if freq == "week":
        # 1970-01-01 was a Thursday; ISO weeks start on Monday
        days = d.astype(np.int64)
        return (days - (days + 3) % 7).astype("datetime64[D]")
    if freq == "month":
        return d.astype("datetime64[M]").astype("datetime64[D]")
    if freq == "quarter":
        months = d.astype("datetime64[M]").astype(np.int64)
        return (months - months % 3).astype("datetime64[M]").astype("datetime64[D]")
    if freq == "year":
        return d.astype("datetime64[Y]").astype("datetime64[D]")
    raise ValueError(f"unknown frequency {freq!r}; use one of {', '.join(FREQS)}")


def period_range(first: np.datetime64, last: np.datetime64, freq: str) -> np.ndarray:
    """Every period start from the one holding ``first`` to the one holding ``last``."""
    start = period_start(np.array([first]), freq)[0]
    end = period_start(np.array([last]), freq)[0]
    if freq == "day":
        return np.arange(start, end + 1, dtype="datetime64[D]")
    if freq == "week":
        return np.arange(start, end + 1, 7, dtype="datetime64[D]")
    unit, step = {"month": ("M", 1), "quarter": ("M", 3), "year": ("Y", 1)}[freq]
    s = start.astype(f"datetime64[{unit}]")
    e = end.astype(f"datetime64[{unit}]")
    return np.arange(s, e + 1, step).astype("datetime64[D]")


def period_label(start: np.datetime64, freq: str) -> str:
    """A period's name: 2021-11-23, 2021-W47, 2021-11, 2021-Q4, 2021."""
    d = start.astype(dt.date)
    if freq == "day":
        return d.isoformat()
    if freq == "week":
        iso = d.isocalendar()
        return f"{iso[0]}-W{iso[1]:02d}"
    if freq == "month":
        return f"{d.year}-{d.month:02d}"
    if freq == "quarter":
        return f"{d.year}-Q{(d.month - 1) // 3 + 1}"
    return str(d.year)


def period_totals(store: Store, freq: str, *, since: dt.date | None = None,
                  until: dt.date | None = None) -> dict[np.datetime64, int]:
    """Events between two countries in the whole store, per period: the volume baseline.

    Counted in SQL with ``date_trunc``, whose week starts on Monday as ISO weeks do, so the
    keys match :func:`period_start`.
    """
    if freq not in FREQS:
        raise ValueError(f"unknown frequency {freq!r}; use one of {', '.join(FREQS)}")
    if store.facts_fresh():
        table, where = daily_counts_relation(store), ["true"]
        count = "sum(events)"
    else:
        table, count, where = events_relation(store), "count(*)", [RELATIONAL_EVENTS]
    window, params = date_window("event_date", since, until)
    where += window
    rows = store.con.execute(
        f"SELECT CAST(date_trunc('{freq}', event_date) AS DATE) AS p, {count} FROM {table} "
        f"WHERE {' AND '.join(where)} GROUP BY p", params).fetchall()
    return {np.datetime64(p, "D"): int(n) for p, n in rows}


@lru_cache(maxsize=1)
def country_table() -> dict[str, dict[str, str]]:
    """ISO alpha-3 code → the gazetteer's row for that country (name, forms, coordinates)."""
    from ..actors.gazetteer import read_csv_rows

    return {r["iso3"]: r for r in read_csv_rows("cordiale.actors", "countries.csv")}


def country_names() -> dict[str, str]:
    """ISO alpha-3 code → English name, from the gazetteer's country table."""
    return {code: row["name"] for code, row in country_table().items()}


@lru_cache(maxsize=1)
def _typed_forms() -> dict[str, str]:
    """Names, short forms and demonyms, case-folded → ISO alpha-3 (first row wins)."""
    out: dict[str, str] = {}
    for code, row in country_table().items():
        for form in [row["name"], *row.get("forms", "").split("|"),
                     *row.get("demonyms", "").split("|")]:
            if form:
                out.setdefault(form.casefold(), code)
    return out


class UnknownCountry(ValueError):
    """What a user typed for a country is neither in the country table nor in the store."""


def resolve_country(text: str, store: Store | None = None) -> str:
    """A country code from what a user typed: ``CHN``, ``chn``, ``China`` or ``Chinese``.

    A three-letter code outside the country table is accepted when ``store`` holds it as an
    actor's country (imported data may use codes the table lacks: ``YUG``, ``KSV``); given a
    store that does not hold it, it is an :class:`UnknownCountry` with a suggestion, since a
    typo (``CHI``) would otherwise give an empty answer that looks like a true one. Without a
    store only the form is checked: the faces call this while parsing, then again with the
    store through :mod:`cordiale.queries`.
    """
    from ..actors.gazetteer import TRANSNATIONAL

    value = text.strip()
    code = value.upper()
    if code in country_table() or code in TRANSNATIONAL:
        return code
    found = _typed_forms().get(value.casefold())
    if found:
        return found
    if len(value) == 3 and value.isalpha():
        if store is None or store_has_country(store, code):
            return code
        raise UnknownCountry(f"unknown country code {value!r}{_suggestion(value)}")
    raise UnknownCountry(f"{text!r} is not a country this project knows; use an ISO alpha-3 "
                         f"code{_suggestion(value)}")


def store_has_country(store: Store, code: str) -> bool:
    """Whether the store holds ``code`` as the country of an event's side (reviews applied),
    an actor mention or a UN vote. A scan that stops at the first hit: it runs only for codes
    outside the country table."""
    import duckdb

    checks = (f"SELECT 1 FROM {events_relation(store)} "
              "WHERE source_country = $1 OR target_country = $1 LIMIT 1",
              "SELECT 1 FROM mentions WHERE country = $1 LIMIT 1",
              "SELECT 1 FROM unga_votes WHERE country = $1 LIMIT 1")
    for sql in checks:
        try:
            if store.con.execute(sql, [code]).fetchone():
                return True
        except duckdb.CatalogException:  # a store from before that table
            continue
    return False


def _suggestion(typed: str) -> str:
    """``; did you mean CHL (Chile) or CHN (China)?``: the countries whose name starts with
    what was typed, else codes that look like a typed code, else names that look like a
    typed name; empty when nothing is close."""
    import difflib

    value = typed.strip().casefold()
    table = country_table()
    forms = _typed_forms()
    tiers = (
        lambda: sorted((c for c, r in table.items()
                        if len(value) >= 3 and r["name"].casefold().startswith(value)),
                       key=lambda c: table[c]["name"]),
        lambda: [c for c in difflib.get_close_matches(value.upper(), list(table), n=3,
                                                      cutoff=0.6)
                 if len(value) == 3 and c[0] == value[0].upper()],
        lambda: [forms[f] for f in difflib.get_close_matches(value, list(forms), n=3,
                                                             cutoff=0.75)],
    )
    for tier in tiers:
        picks = list(dict.fromkeys(tier()))[:3]
        if picks:
            named = [f"{c} ({table[c]['name']})" for c in picks]
            listed = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " or " + named[-1]
            return f"; did you mean {listed}?"
    return ""


def parse_period(label: str) -> tuple[str, dt.date, dt.date]:
    """A period named as :func:`period_label` names it → (freq, first day, last day).

    ``2021-11-23`` (day), ``2021-W47`` (ISO week), ``2021-11`` (month), ``2021-Q4``
    (quarter), ``2021`` (year).
    """
    text = label.strip()
    try:
        if "-W" in text:
            year, week = text.split("-W")
            first = dt.date.fromisocalendar(int(year), int(week), 1)
            return "week", first, first + dt.timedelta(days=6)
        if "-Q" in text:
            year, q = text.split("-Q")
            if not 1 <= int(q) <= 4:
                raise ValueError(q)
            first = dt.date(int(year), 3 * int(q) - 2, 1)
            return "quarter", first, _month_end(int(year), 3 * int(q))
        parts = [int(p) for p in text.split("-")]
        if len(parts) == 1:
            return "year", dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
        if len(parts) == 2:
            return "month", dt.date(parts[0], parts[1], 1), _month_end(parts[0], parts[1])
        if len(parts) == 3:
            day = dt.date(*parts)
            return "day", day, day
    except ValueError:
        pass
    raise ValueError(f"{label!r} is not a period; use 2021, 2021-Q4, 2021-11, 2021-W47 or "
                     "2021-11-23")


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def latest_period(store: Store, freq: str) -> tuple[dt.date, dt.date] | None:
    """First and last day of the latest period holding an event between two countries.

    Events dated after the newest publication date in the store cannot be news yet (a date
    misread from a clause about the future): they do not make a period the latest one.
    Imported events have no documents of their own and keep their dates."""
    row = store.con.execute(
        f"""SELECT max(event_date) FROM {events_relation(store)}
            WHERE {RELATIONAL_EVENTS}
              AND (origin <> 'cordiale'
                   OR event_date <= (SELECT max(published) FROM documents)
                   OR (SELECT max(published) FROM documents) IS NULL)""").fetchone()
    if row is None or row[0] is None:
        return None
    start = period_start(np.array([row[0]], dtype="datetime64[D]"), freq)[0].astype(dt.date)
    label = period_label(np.datetime64(start, "D"), freq)
    _, first, last = parse_period(label)
    return first, last
