"""Analysts' reviews of events: storing them, and reading events as the reviews leave them.

A review marks an event right, wrong, or corrected (another CAMEO code, another country on
either side); reviews are appended and the latest one of an event counts (the
``latest_reviews`` view of migration 0005). Every read an analysis makes goes through
:func:`events_relation` or :func:`facts_relation`: with no review stored they return the
table names unchanged (no cost at all), otherwise a subquery that drops events whose latest
verdict is "wrong" and applies corrections, so the counts, series and listings all see the
same events. A correction changes the code's Goldstein score, quad class and PLOVER type too:
they are taken from the ontology when the review is written and stored with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from .errors import CordialeError

if TYPE_CHECKING:
    from .store import Store

VERDICTS = ("right", "wrong", "corrected")

#: Columns of a stored review, in the order :func:`list_reviews` returns them.
REVIEW_FIELDS = ("review_id", "event_id", "verdict", "cameo_code", "source_country",
                 "target_country", "reviewer", "created_at", "note")


class ReviewError(CordialeError):
    """A review that cannot be stored (unknown event, bad verdict or code); names the field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def has_reviews(store: Store) -> bool:
    """Whether the store holds any review (a store older than migration 0005 holds none)."""
    con = store.con
    row = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'reviews' "
                      "AND schema_name = 'main'").fetchone()
    if not row or not row[0]:
        return False
    row = con.execute("SELECT EXISTS (SELECT 1 FROM reviews)").fetchone()
    return bool(row and row[0])


_CORRECTED = """
    coalesce(r.cameo_code, e.cameo_code) AS cameo_code,
    coalesce(r.cameo_root, e.cameo_root) AS cameo_root,
    coalesce(r.goldstein, e.goldstein) AS goldstein,
    coalesce(r.quad_class, e.quad_class) AS quad_class,
    CASE WHEN r.cameo_code IS NULL THEN e.plover_type ELSE r.plover_type END AS plover_type,
    coalesce(r.source_country, e.source_country) AS source_country,
    coalesce(r.target_country, e.target_country) AS target_country,
    CASE WHEN r.source_country IS DISTINCT FROM e.source_country AND r.source_country IS NOT NULL
         THEN r.source_country ELSE e.source_code END AS source_code,
    CASE WHEN r.target_country IS DISTINCT FROM e.target_country AND r.target_country IS NOT NULL
         THEN r.target_country ELSE e.target_code END AS target_code"""


def _effective(table: str) -> str:
    """Events of ``table`` (a FROM item) with corrections applied and rejections left out."""
    return f"""(SELECT e.* REPLACE ({_CORRECTED})
    FROM {table} e LEFT JOIN latest_reviews r ON r.event_id = e.event_id
    WHERE r.verdict IS DISTINCT FROM 'wrong')"""


def events_relation(store: Store, *, reviewed: bool | None = None, undated: bool = False,
                    since: date | None = None, until: date | None = None) -> str:
    """``events`` as reviews leave it: a FROM item with the events table's columns. With
    ``undated``, or a window [since, until], it may hold only the events without a date, or
    those of the window's months: the caller still filters on ``event_date``, but with a
    Parquet directory only the files of those months are read."""
    if reviewed is None:
        reviewed = has_reviews(store)
    table = _source(store, "events", undated=undated, since=since, until=until)
    if not reviewed:
        return table if table == "events" else f"{table} AS events"
    return f"{_effective(table)} AS events"


def _source(store: Store, table: str, *, undated: bool = False, since: date | None = None,
            until: date | None = None) -> str:
    """``table``, or with Parquet views and a window (or ``undated``) a subquery reading only
    the months concerned (:func:`cordiale.store.parquet.months_source`)."""
    if store.views is None or not (undated or since is not None or until is not None):
        return table
    from .store.parquet import months_source

    return months_source(store.views, table, since=since, until=until, undated=undated)


def facts_relation(store: Store, *, reviewed: bool | None = None, since: date | None = None,
                   until: date | None = None) -> str:
    """``event_facts`` as reviews leave it: unreviewed facts as stored, reviewed events
    re-derived from the corrected events (a correction may move an event to another dyad).
    A window [since, until] may narrow it to the window's months, as for
    :func:`events_relation`."""
    from .store import RELATIONAL_EVENTS

    if reviewed is None:
        reviewed = has_reviews(store)
    facts = _source(store, "event_facts", since=since, until=until)
    if not reviewed:
        return facts if facts == "event_facts" else f"{facts} AS event_facts"
    events = _source(store, "events", since=since, until=until)
    return f"""(SELECT * FROM {facts}
        WHERE event_id NOT IN (SELECT event_id FROM reviews)
        UNION ALL
        SELECT least(source_country, target_country) || '|' ||
                   greatest(source_country, target_country) AS dyad,
               event_date, source_country, target_country, goldstein, quad_class,
               cameo_code, plover_type, coalesce(story_id, doc_id) AS story_id, publisher,
               event_id, doc_id, origin
        FROM {_effective(events)}
        WHERE {RELATIONAL_EVENTS} AND event_id IN (SELECT event_id FROM reviews)
        ) AS event_facts"""


def daily_counts_relation(store: Store, *, reviewed: bool | None = None) -> str:
    """``daily_counts`` (relational events per day) as reviews leave it."""
    if reviewed is None:
        reviewed = has_reviews(store)
    if not reviewed:
        return "daily_counts"
    return (f"(SELECT event_date, count(*) AS events FROM {facts_relation(store, reviewed=True)}"
            " GROUP BY event_date) AS daily_counts")


def count_rejected(store: Store, where: Sequence[str] = (), params: Sequence[Any] = ()) -> int:
    """Events matching ``where`` (over the events table as stored) whose latest verdict is
    "wrong": what an analysis or listing left out because an analyst rejected them."""
    if not has_reviews(store):
        return 0
    conditions = ["event_id IN (SELECT event_id FROM latest_reviews WHERE verdict = 'wrong')",
                  *where]
    row = store.con.execute(f"SELECT count(*) FROM events WHERE {' AND '.join(conditions)}",
                            list(params)).fetchone()
    return int(row[0]) if row else 0


@dataclass(frozen=True)
class Review:
    event_id: str
    verdict: str
    reviewer: str
    cameo_code: str | None = None
    source_country: str | None = None
    target_country: str | None = None
    note: str | None = None


def add_review(store: Store, review: Review, *, now: datetime | None = None) -> dict[str, Any]:
    """Store one review (the store must be writable) and return it as stored."""
    from .events.ontology import load_ontology

    if review.verdict not in VERDICTS:
        raise ReviewError(f"verdict must be one of {', '.join(VERDICTS)}, not {review.verdict!r}",
                          "verdict")
    if not review.reviewer.strip():
        raise ReviewError("a review needs the reviewer's name", "reviewer")
    corrections = (review.cameo_code, review.source_country, review.target_country)
    if review.verdict == "corrected" and not any(corrections):
        raise ReviewError("a correction needs cameo_code, source_country or target_country",
                          "verdict")
    if review.verdict != "corrected" and any(corrections):
        raise ReviewError("only a 'corrected' verdict carries a code or countries", "verdict")
    row = store.con.execute("SELECT 1 FROM events WHERE event_id = ?",
                            [review.event_id]).fetchone()
    if row is None:
        raise ReviewError(f"no event {review.event_id!r} in the store", "event_id")
    code = root = plover = None
    goldstein = quad = None
    if review.cameo_code:
        try:
            entry = load_ontology().get(review.cameo_code)
        except KeyError:
            raise ReviewError(f"{review.cameo_code!r} is not a CAMEO code",
                              "cameo_code") from None
        code, root, plover = review.cameo_code, entry.root, entry.plover_type
        goldstein, quad = entry.goldstein, entry.quad_class
    sides = {}
    for name, value in (("source_country", review.source_country),
                        ("target_country", review.target_country)):
        if value:
            from .analysis.frame import resolve_country

            try:
                sides[name] = resolve_country(value)
            except ValueError as err:
                raise ReviewError(str(err), name) from None
    created = (now or datetime.now(UTC)).replace(tzinfo=None)
    out = store.con.execute(
        """INSERT INTO reviews (event_id, verdict, cameo_code, cameo_root, goldstein, quad_class,
               plover_type, source_country, target_country, reviewer, created_at, note)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING review_id""",
        [review.event_id, review.verdict, code, root, goldstein, quad, plover,
         sides.get("source_country"), sides.get("target_country"), review.reviewer.strip(),
         created, review.note]).fetchone()
    assert out is not None
    return dict(zip(REVIEW_FIELDS, [out[0], review.event_id, review.verdict, code,
                                    sides.get("source_country"), sides.get("target_country"),
                                    review.reviewer.strip(), created, review.note],
                    strict=True))


def list_reviews(store: Store, *, event_id: str | None = None, latest: bool = False,
                 verdict: str | None = None, limit: int | None = None
                 ) -> list[dict[str, Any]]:
    """Stored reviews, newest first: all of them, or only the latest of each event."""
    if not _table_exists(store):
        return []
    where: list[str] = []
    params: list[Any] = []
    if event_id is not None:
        where.append("event_id = ?")
        params.append(event_id)
    if verdict is not None:
        where.append("verdict = ?")
        params.append(verdict)
    sql = (f"SELECT {', '.join(REVIEW_FIELDS)} FROM "
           f"{'latest_reviews' if latest else 'reviews'}")
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY created_at DESC, review_id DESC"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    rows = store.con.execute(sql, params).fetchall()
    return [dict(zip(REVIEW_FIELDS, r, strict=True)) for r in rows]


def _table_exists(store: Store) -> bool:
    row = store.con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'reviews' "
                            "AND schema_name = 'main'").fetchone()
    return bool(row and row[0])


def gold_rows(store: Store) -> list[dict[str, Any]]:
    """Reviewed events as gold sentences in the ``../shared/eval`` format.

    One row per sentence holding a reviewed event (id = the document id and sentence index,
    text = the sentence, date = the document's publication date, which the coder resolves
    relative dates against). Its gold events are the events judged right (as coded) or corrected
    (as corrected); a sentence whose every reviewed event was judged wrong and that no review
    confirms is a gold sentence without events (``relevant`` false), so a coder that finds an
    event there loses precision. Imported events have no sentence and are left out; a
    corrected side loses its span (the words named the old actor).
    """
    if not _table_exists(store):
        return []
    rows = store.con.execute(f"""
        SELECT e.doc_id, e.sentence_index, e.sentence, d.published, r.verdict,
               {_CORRECTED.replace('AS ', 'AS r_')},
               CASE WHEN r.source_country IS NULL THEN e.source_text END,
               CASE WHEN r.target_country IS NULL THEN e.target_text END
        FROM latest_reviews r JOIN events e ON e.event_id = r.event_id
        LEFT JOIN documents d ON d.doc_id = e.doc_id
        WHERE e.sentence IS NOT NULL AND e.sentence <> ''
        ORDER BY e.doc_id, e.sentence_index, e.event_id""").fetchall()
    by_sentence: dict[tuple[str, int], dict[str, Any]] = {}
    for (doc_id, index, sentence, when, verdict, cameo, root, _gold, _quad, plover, source,
         target, _scode, _tcode, source_text, target_text) in rows:
        key = (doc_id, int(index))
        item = by_sentence.setdefault(key, {
            "id": f"{doc_id}#{index}", "dataset": "cordiale_reviews", "text": sentence,
            "date": _iso(when), "relevant": False, "events": []})
        if verdict == "wrong":
            continue
        item["relevant"] = True
        item["events"].append({"source": source, "target": target, "cameo": cameo,
                               "root": root, "plover": plover,
                               "source_text": source_text, "target_text": target_text})
    return list(by_sentence.values())


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return text[:10] if len(text) >= 10 and text[4:5] == "-" and text[7:8] == "-" else None
