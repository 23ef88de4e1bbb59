"""Synthetic event streams with planted structure, written straight into a store by SQL.

The scale benchmark needs ten million events in minutes, and the CLI tests a small store
whose answer is known; both come from :func:`fill_store`. Everything is a hash of the row
number, so the same arguments give the same events on every machine. The planted truth:
countries fall in three blocs by their position in the list (index mod 3), relations inside
a bloc are mostly cooperative and across blocs mostly hostile, and the first two countries'
relation warms steadily from hostile to friendly across the time span, with a step change at
its midpoint.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..store import Store

# (CAMEO code, root, Goldstein, quad class, PLOVER type): a cooperative and a hostile palette
COOPERATIVE = [("040", "04", 1.0, 1, "CONSULT"), ("051", "05", 3.4, 1, "COOPERATE"),
               ("057", "05", 8.0, 1, "AGREE"), ("061", "06", 6.4, 2, "COOPERATE"),
               ("070", "07", 7.0, 2, "AID"), ("036", "03", 4.0, 1, "CONSULT")]
HOSTILE = [("111", "11", -2.0, 3, "ACCUSE"), ("130", "13", -4.4, 3, "THREATEN"),
           ("163", "16", -8.0, 4, "SANCTION"), ("172", "17", -5.0, 4, "COERCE"),
           ("190", "19", -10.0, 4, "ASSAULT"), ("120", "12", -4.0, 3, "REJECT")]


#: The events columns :func:`synthetic_events` fills, in its SELECT's order.
SYNTHETIC_COLUMNS = (
    "event_id", "doc_id", "sentence_index", "date", "date_precision", "event_date",
    "source_code", "source_country", "target_code", "target_country", "cameo_code",
    "cameo_root", "goldstein", "quad_class", "plover_type", "negated", "hypothetical",
    "confidence", "coder", "modality", "reciprocal", "origin", "story_id", "publisher",
    "origin_event_id")


def synthetic_events(n: int, lo: int, hi: int, countries: list[str], *,
                     start: date = date(2015, 1, 1), days: int = 3650, outlets: int = 50,
                     per_story: int = 4, origin: str = "synthetic") -> tuple[str, list]:
    """SQL and parameters selecting rows ``lo``..``hi`` of an ``n``-event stream
    (:data:`SYNTHETIC_COLUMNS`), in date order: for an INSERT, or a COPY to Parquet."""
    if len(countries) < 3:
        raise ValueError("need at least three countries")
    codes = COOPERATIVE + HOSTILE
    palette = "[" + ", ".join(
        f"{{'code': '{c}', 'root': '{r}', 'g': {g}, 'q': {q}, 'p': '{p}'}}"
        for c, r, g, q, p in codes) + "]"
    k = len(countries)
    half = len(COOPERATIVE)
    sql = f"""
            WITH base AS (
                SELECT i,
                    CAST(floor({k} * pow((hash(i, 1) % 1000003) / 1000003.0, 2)) AS INTEGER)
                        AS si,
                    CAST(floor({k} * pow((hash(i, 2) % 1000003) / 1000003.0, 2)) AS INTEGER)
                        AS ti0,
                    (hash(i, 3) % 1000003) / 1000003.0 AS u,
                    (hash(i, 4) % 1000003) / 1000003.0 AS u2,
                    DATE '{start.isoformat()}' + CAST(i * {days} // {n} AS INTEGER) AS d,
                    i * 1.0 / {n} AS t
                FROM range({lo}, {hi}) r(i)
            ), pairs AS (
                SELECT *, CASE WHEN ti0 = si THEN (si + 1) % {k} ELSE ti0 END AS ti FROM base
            ), tone AS (
                SELECT *,
                    CASE
                        WHEN (si = 0 AND ti = 1) OR (si = 1 AND ti = 0)
                            THEN CASE WHEN t < 0.5 THEN 0.25 + 0.3 * t ELSE 0.75 + 0.2 * t END
                        WHEN si % 3 = ti % 3 THEN 0.8
                        ELSE 0.2
                    END AS p_coop
                FROM pairs
            ), coded AS (
                SELECT *, ({palette})[1 + CASE WHEN u < p_coop
                    THEN CAST(floor(u2 * {half}) AS INTEGER)
                    ELSE {half} + CAST(floor(u2 * {len(HOSTILE)}) AS INTEGER) END] AS c
                FROM tone
            )
            SELECT '{origin}:' || i AS event_id, '{origin}-doc:' || (i // {per_story}) AS doc_id,
                0 AS sentence_index, strftime(d, '%Y-%m-%d') AS date, 'day' AS date_precision,
                d AS event_date,
                (?::VARCHAR[])[si + 1] AS source_code, (?::VARCHAR[])[si + 1] AS source_country,
                (?::VARCHAR[])[ti + 1] AS target_code, (?::VARCHAR[])[ti + 1] AS target_country,
                c.code AS cameo_code, c.root AS cameo_root, c.g::DOUBLE AS goldstein,
                c.q::INTEGER AS quad_class, c.p AS plover_type, false AS negated,
                false AS hypothetical, 1.0::DOUBLE AS confidence, '{origin}' AS coder,
                'asserted' AS modality, false AS reciprocal, '{origin}' AS origin,
                '{origin}-story:' || (i // {per_story}) AS story_id,
                'outlet-' || (hash(i // {per_story}, 5) % {outlets}) AS publisher,
                CAST(i AS VARCHAR) AS origin_event_id
            FROM coded
        """
    return sql, [countries] * 4


def fill_store(store: Store, n: int, countries: list[str], *, start: date = date(2015, 1, 1),
               days: int = 3650, outlets: int = 50, per_story: int = 4, batch: int = 2_000_000,
               origin: str = "synthetic") -> int:
    """Insert ``n`` synthetic events among ``countries`` (≥ 3) in date order; returns n.

    Activity is skewed (a country's chance of taking part falls with its position in the
    list, as news attention does), so the first countries form busy dyads and the tail is
    sparse. Rows are inserted in batches, each in its own transaction.
    """
    done = 0
    while done < n:
        hi = min(n, done + batch)
        sql, params = synthetic_events(n, done, hi, countries, start=start, days=days,
                                       outlets=outlets, per_story=per_story, origin=origin)
        store.con.execute("BEGIN TRANSACTION")
        store.con.execute(
            f"INSERT INTO events ({', '.join(SYNTHETIC_COLUMNS)}) {sql}", params)
        store.con.execute("COMMIT")
        done = hi
    store.refresh_facts()
    return n
