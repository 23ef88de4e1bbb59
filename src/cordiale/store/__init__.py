"""The DuckDB file with a versioned schema, its writes and its named queries.

Every write goes through here. Reads are named queries here too, except the analysis's
column loads (``cordiale.analysis.frame``: filters pushed into SQL, results as NumPy arrays)
and the synthetic generator's bulk insert, which keep their SQL next to the arrays they build.

Migrations are the ordered ``migrations/NNNN_*.sql`` files; each runs once, in its own
transaction, and bumps ``schema_version``. Writes happen one batch per transaction, so a
process killed mid-run loses only the batch in flight, and the content hash (unique) makes a
re-run skip what is already stored. Rows go in as column lists unnested by DuckDB, which is
about fifteen times faster than ``executemany`` for the thousands of mentions in a batch.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib import resources
from itertools import compress
from pathlib import Path
from typing import Any

import duckdb

from ..errors import StoreError
from ..records import EVENT_FIELDS, Failure, ProcessedDocument
from . import parquet as parquet_store

# How far into events the facts reach: one past the highest rowid. events is append-only and
# DuckDB numbers appended rows consecutively (a rolled-back batch leaves no gap), so the rows
# at or past the recorded mark are exactly the ones added since.
_EVENTS_SEEN = "SELECT coalesce(max(rowid) + 1, 0) FROM {own}.events"

# The events a relational measure can use: a date, a country on each side (two different
# ones), neither negated nor hypothetical. event_facts holds exactly these.
RELATIONAL_EVENTS = (
    "event_date IS NOT NULL AND source_country IS NOT NULL AND target_country IS NOT NULL "
    "AND source_country <> target_country AND NOT negated AND NOT hypothetical"
)

def date_window(column: str, since: date | None, until: date | None
                ) -> tuple[list[str], list[Any]]:
    """WHERE conditions and parameters keeping ``column`` within [since, until] (either open)."""
    where: list[str] = []
    params: list[Any] = []
    if since is not None:
        where.append(f"{column} >= ?")
        params.append(since)
    if until is not None:
        where.append(f"{column} <= ?")
        params.append(until)
    return where, params


MENTION_FIELDS = (
    "doc_id", "sentence_index", "text", "char_start", "char_end",
    "country", "sector", "code", "name", "confidence",
)


_EVENT_KINDS = {
    "sentence_index": "INTEGER", "goldstein": "DOUBLE", "quad_class": "INTEGER",
    "char_start": "INTEGER", "char_end": "INTEGER", "negated": "BOOLEAN",
    "hypothetical": "BOOLEAN", "latitude": "DOUBLE", "longitude": "DOUBLE",
    "confidence": "DOUBLE", "source_start": "INTEGER", "source_end": "INTEGER",
    "target_start": "INTEGER", "target_end": "INTEGER", "reciprocal": "BOOLEAN",
}
EVENT_TYPES = [(name, _EVENT_KINDS.get(name, "VARCHAR")) for name in EVENT_FIELDS]


def _period_start(value: str | None) -> date | None:
    """First day of an ISO date at its precision: 2021-11-23, 2021-W47, 2021-11, 2021, 2010s."""
    if not value:
        return None
    try:
        if "W" in value:
            year, week = value.split("-W")
            return date.fromisocalendar(int(year), int(week), 1)
        if value.endswith("s"):
            return date(int(value[:4]), 1, 1)
        parts = [int(p) for p in value.split("-")]
        return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return None


def _migrations() -> list[tuple[int, str, str]]:
    found = []
    for entry in resources.files(__package__).joinpath("migrations").iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), name, entry.read_text("utf-8")))
    return sorted(found)


SCHEMA_VERSION = max(v for v, _, _ in _migrations())


@dataclass(frozen=True)
class DuplicateLink:
    doc_id: str
    cluster_id: str
    similarity: float


def default_db_path() -> str:
    return os.environ.get("CORDIALE_DB", "cordiale.duckdb")


#: Seconds a command waits for another cordiale process to release the database file
#: (DuckDB lets one process write, or several read); CORDIALE_LOCK_WAIT overrides it.
LOCK_WAIT = 120.0


def lock_wait() -> float:
    try:
        return float(os.environ.get("CORDIALE_LOCK_WAIT", LOCK_WAIT))
    except ValueError:
        return LOCK_WAIT


#: The name a database file attached to another connection gets (see Store.attach).
ATTACHED = "cordiale_store"


def _connect(path: str, read_only: bool, wait: float,
             into: duckdb.DuckDBPyConnection | None = None) -> duckdb.DuckDBPyConnection:
    """Open the file, waiting (with backoff) while another process holds its lock: an ingest
    holds it only while it commits a batch, so readers and a second writer get their turn.
    With ``into``, the file is attached to that connection instead (as ``ATTACHED``)."""
    deadline = time.monotonic() + wait
    delay = 0.02
    while True:
        try:
            if into is None:
                return duckdb.connect(path, read_only=read_only)
            escaped = path.replace("'", "''")
            into.execute(f"ATTACH '{escaped}' AS {ATTACHED}"
                         + (" (READ_ONLY)" if read_only else ""))
            return into
        except duckdb.IOException as err:
            if "lock" not in str(err).lower():
                raise
            if time.monotonic() >= deadline:
                pid = re.search(r"PID (\d+)", str(err))
                holder = f"process {pid.group(1)}" if pid else "another process"
                raise StoreError(
                    f"{path}: {holder} holds the database (an ingest or import); waited "
                    f"{wait:.0f}s. Try again when it finishes, or set CORDIALE_LOCK_WAIT "
                    "to wait longer") from err
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


class Store:
    """A cordiale database file. Use as a context manager or call :meth:`close`."""

    _attached = False  # attached to another connection (Store.attach) rather than opened
    #: the Parquet views' column lists (cordiale.store.parquet.create_views), if any
    views: parquet_store.Views | None = None

    def __init__(self, path: str | os.PathLike[str] | None = None, *, read_only: bool = False,
                 wait: float | None = None, parquet: str | os.PathLike[str] | None = None):
        self.path = str(path or default_db_path())
        # events kept as month-partitioned Parquet (cordiale.store.parquet) instead of in the file
        found = parquet or parquet_store.default_dir()
        self.parquet = str(found) if found else None
        if read_only and self.path != ":memory:" and not Path(self.path).exists():
            raise StoreError(f"{self.path}: no such database; run 'cordiale ingest' first")
        try:
            self.con = _connect(self.path, read_only, lock_wait() if wait is None else wait)
        except duckdb.Error as err:
            raise StoreError(f"{self.path}: cannot open the database ({err})") from err
        self.con.execute("SET enable_progress_bar = false")  # long rebuilds must not draw on stderr
        if not read_only:
            self.migrate()
        else:
            self._check_version()
        # the file's own tables, by their full name: with Parquet, the plain names are views
        row = self.con.execute("SELECT current_database()").fetchone()
        self.own = '"' + str(row[0] if row else "memory").replace('"', '""') + '".main'
        if self.parquet:
            try:
                # footers read once per process, not once per query
                self.con.execute("SET parquet_metadata_cache = true")
                self.views = parquet_store.create_views(self.con, self.parquet, self.own)
            except duckdb.Error as err:
                self.con.close()
                raise StoreError(f"{self.parquet}: cannot read the Parquet events ({err})"
                                 ) from err

    # -- lifecycle -------------------------------------------------------------------
    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @classmethod
    def attach(cls, con: duckdb.DuckDBPyConnection, path: str | os.PathLike[str], *,
               parquet: str | os.PathLike[str] | None = None,
               wait: float | None = None) -> Store:
        """The (migrated) database file attached for writing to ``con``, an in-memory
        connection holding staged rows, so a batch moves in one statement without leaving
        that connection; the lock is taken and waited for as by opening the file, and
        :meth:`close` detaches it. Tables of ``con`` are then named ``memory.main.<table>``."""
        store = cls.__new__(cls)
        store.path = str(path)
        found = parquet or parquet_store.default_dir()
        store.parquet = str(found) if found else None
        try:
            store.con = _connect(store.path, False, lock_wait() if wait is None else wait,
                                 into=con)
        except duckdb.Error as err:
            raise StoreError(f"{store.path}: cannot open the database ({err})") from err
        con.execute(f"USE {ATTACHED}")
        store.own = f"{ATTACHED}.main"
        store._attached = True
        store._check_version()
        return store

    def close(self) -> None:
        if self._attached:
            self.con.execute("USE memory")
            self.con.execute(f"DETACH {ATTACHED}")
            return
        self.con.close()

    def _version(self) -> int:
        exists = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
        ).fetchone()
        if not exists or not exists[0]:
            return 0
        row = self.con.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0] or 0) if row else 0

    def _check_version(self) -> None:
        version = self._version()
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: schema version {version} is newer than this cordiale "
                f"({SCHEMA_VERSION}); upgrade cordiale"
            )

    def migrate(self) -> int:
        """Apply pending migrations in order; return the schema version."""
        self._check_version()
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS schema_version "
            "(version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)"
        )
        current = self._version()
        for version, name, sql in _migrations():
            if version <= current:
                continue
            self.con.execute("BEGIN TRANSACTION")
            try:
                self.con.execute(sql)
                self.con.execute(
                    "INSERT INTO schema_version VALUES (?, ?, ?)", [version, name, _now()]
                )
                self.con.execute("COMMIT")
            except duckdb.Error as err:
                self.con.execute("ROLLBACK")
                raise StoreError(f"{self.path}: migration {name} failed ({err})") from err
        return self._version()

    # -- reads used while ingesting ----------------------------------------------------
    def present(self, hashes: Sequence[str], ids: Sequence[str]) -> tuple[set[str], dict[str, str]]:
        """Content hashes already stored, and the stored hash of each given id present."""
        if not hashes:
            return set(), {}
        have = self.con.execute(
            "SELECT content_hash FROM documents "
            "WHERE content_hash IN (SELECT UNNEST(?::VARCHAR[]))",
            [list(hashes)],
        ).fetchall()
        by_id = self.con.execute(
            "SELECT doc_id, content_hash FROM documents "
            "WHERE doc_id IN (SELECT UNNEST(?::VARCHAR[]))",
            [list(ids)],
        ).fetchall()
        return {h for (h,) in have}, dict(by_id)

    def lsh_candidates(self, bands: Sequence[tuple[int, int]]) -> dict[str, list[int]]:
        """Stored documents sharing an LSH bucket with any of ``bands``, with their signatures."""
        if not bands:
            return {}
        rows = self.con.execute(
            """
            SELECT DISTINCT m.doc_id, m.signature
            FROM lsh_bands b
            JOIN (SELECT UNNEST(?::SMALLINT[]) AS band, UNNEST(?::UBIGINT[]) AS bucket) q
              ON b.band = q.band AND b.bucket = q.bucket
            JOIN doc_minhash m ON m.doc_id = b.doc_id
            """,
            [[b for b, _ in bands], [k for _, k in bands]],
        ).fetchall()
        return {doc_id: list(sig) for doc_id, sig in rows}

    def cluster_of(self, doc_id: str) -> str:
        row = self.con.execute(
            "SELECT cluster_id FROM documents WHERE doc_id = ?", [doc_id]
        ).fetchone()
        return row[0] if row else doc_id

    # -- writes --------------------------------------------------------------------------
    def write_batch(
        self,
        processed: Sequence[ProcessedDocument],
        clusters: dict[str, str],
        links: Sequence[DuplicateLink],
        signatures: dict[str, list[int]],
        bands: dict[str, list[tuple[int, int]]],
    ) -> set[str]:
        """Store documents with their sentences, mentions and duplicate links, atomically.

        Returns the ids of the documents written: one another process stored since this one
        checked (two ingests of overlapping corpora) is skipped inside the transaction, so a
        re-run or a concurrent run never duplicates and never fails on it."""
        if not processed:
            return set()
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            stored = {r[0] for r in con.execute(
                """SELECT doc_id FROM documents WHERE doc_id IN (SELECT UNNEST(?::VARCHAR[]))
                   UNION ALL SELECT content_hash FROM documents
                   WHERE content_hash IN (SELECT UNNEST(?::VARCHAR[]))""",
                [[p.document.doc_id for p in processed],
                 [p.document.content_hash for p in processed]]).fetchall()}
            if stored:
                processed = [p for p in processed if p.document.doc_id not in stored
                             and p.document.content_hash not in stored]
                kept = {p.document.doc_id for p in processed}
                links = [lk for lk in links if lk.doc_id in kept]
                signatures = {k: v for k, v in signatures.items() if k in kept}
                bands = {k: v for k, v in bands.items() if k in kept}
            docs = [p.document for p in processed]
            _insert(con, "documents", {
                "doc_id": ("VARCHAR", [d.doc_id for d in docs]),
                "content_hash": ("VARCHAR", [d.content_hash for d in docs]),
                "title": ("VARCHAR", [d.title for d in docs]),
                "url": ("VARCHAR", [d.url for d in docs]),
                "source": ("VARCHAR", [d.source for d in docs]),
                "published": ("DATE", [d.published for d in docs]),
                "origin": ("VARCHAR", [d.origin for d in docs]),
                "metadata": ("JSON", [json.dumps(d.metadata, default=str) for d in docs]),
                "text": ("VARCHAR", [d.text for d in docs]),
                "words": ("INTEGER", [p.words for p in processed]),
                "cluster_id": ("VARCHAR", [clusters.get(d.doc_id, d.doc_id) for d in docs]),
            })
            sents = [s for p in processed for s in p.sentences]
            _insert(con, "sentences", {
                "doc_id": ("VARCHAR", [s.doc_id for s in sents]),
                "sentence_index": ("INTEGER", [s.sentence_index for s in sents]),
                "char_start": ("INTEGER", [s.char_start for s in sents]),
                "char_end": ("INTEGER", [s.char_end for s in sents]),
                "text": ("VARCHAR", [s.text for s in sents]),
            })
            ms = [m for p in processed for m in p.mentions]
            _insert(con, "mentions", {
                "doc_id": ("VARCHAR", [m.doc_id for m in ms]),
                "sentence_index": ("INTEGER", [m.sentence_index for m in ms]),
                "mention_index": ("INTEGER", [m.mention_index for m in ms]),
                "text": ("VARCHAR", [m.text for m in ms]),
                "char_start": ("INTEGER", [m.char_start for m in ms]),
                "char_end": ("INTEGER", [m.char_end for m in ms]),
                "country": ("VARCHAR", [m.country for m in ms]),
                "sector": ("VARCHAR", [m.sector for m in ms]),
                "code": ("VARCHAR", [m.code for m in ms]),
                "name": ("VARCHAR", [m.name for m in ms]),
                "confidence": ("DOUBLE", [m.confidence for m in ms]),
                "method": ("VARCHAR", [m.method for m in ms]),
                "role": ("VARCHAR", [m.role for m in ms]),
                "latitude": ("DOUBLE", [m.latitude for m in ms]),
                "longitude": ("DOUBLE", [m.longitude for m in ms]),
            })
            evs = [e for p in processed for e in p.events]
            outlet = {d.doc_id: d.source for d in docs}
            event_columns = {
                name: (kind, [getattr(e, name) for e in evs]) for name, kind in EVENT_TYPES
            } | {
                "event_date": ("DATE", [_period_start(e.date) for e in evs]),
                "story_id": ("VARCHAR", [clusters.get(e.doc_id, e.doc_id) for e in evs]),
                "publisher": ("VARCHAR", [outlet.get(e.doc_id) for e in evs]),
            }
            if self.parquet is None:
                _insert(con, "events", event_columns)
            elif evs:
                # written (and renamed into place) before the documents commit: a crash
                # between the two re-codes the documents, and the ids already in Parquet
                # are skipped then, so nothing is lost or doubled
                names = list(event_columns)
                parquet_store.write_events(
                    con, self.parquet,
                    "SELECT " + ", ".join(f"UNNEST(?::{k}[]) AS {n}"
                                          for n, (k, _) in event_columns.items()),
                    [v for _, v in event_columns.values()], f"{self.own}.events", names)
            _insert(con, "duplicate_links", {
                "doc_id": ("VARCHAR", [lk.doc_id for lk in links]),
                "cluster_id": ("VARCHAR", [lk.cluster_id for lk in links]),
                "similarity": ("DOUBLE", [lk.similarity for lk in links]),
            })
            sig_ids = list(signatures)
            if sig_ids:
                con.execute(
                    "INSERT INTO doc_minhash SELECT UNNEST(?::VARCHAR[]), UNNEST(?::UBIGINT[][])",
                    [sig_ids, [signatures[i] for i in sig_ids]],
                )
            band_rows = [(b, k, doc_id) for doc_id, bs in bands.items() for b, k in bs]
            _insert(con, "lsh_bands", {
                "band": ("SMALLINT", [r[0] for r in band_rows]),
                "bucket": ("UBIGINT", [r[1] for r in band_rows]),
                "doc_id": ("VARCHAR", [r[2] for r in band_rows]),
            })
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return {p.document.doc_id for p in processed}

    def record_failures(self, failures: Iterable[Failure]) -> None:
        """Record inputs that could not be read; a failure seen again is counted, not duplicated."""
        now = _now()
        rows = []
        for f in failures:
            key = hashlib.sha256(f"{f.origin}\x00{f.line}\x00{f.reason}".encode()).hexdigest()[:24]
            rows.append((key, f.origin, f.line, f.kind, f.reason, now, now, 1))
        if not rows:
            return
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.con.executemany(
                """INSERT INTO errors VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (error_id) DO UPDATE SET last_seen = excluded.last_seen,
                   times = errors.times + 1""",
                rows,
            )
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    def write_imported_events(self, columns: dict[str, list[Any]],
                              failures: Sequence[Failure] = ()) -> int:
        """Insert events read from another dataset, and the rows that failed, in one transaction.

        ``columns`` maps event columns (``EVENT_FIELDS`` plus event_date, story_id, publisher,
        origin_event_id and origin) to equal-length lists; returns how many events were new.
        An event_id already stored, or seen earlier in the batch, is skipped, so importing a
        file twice adds nothing. ``failures`` are recorded as :meth:`record_failures` does
        (same key, counted when seen again) but in one statement: a malformed million-row file
        must not cost a round trip per row.
        """
        kinds = dict(EVENT_TYPES) | {
            "event_date": "DATE", "story_id": "VARCHAR", "publisher": "VARCHAR",
            "origin_event_id": "VARCHAR", "origin": "VARCHAR",
        }
        unknown = sorted(set(columns) - set(kinds))
        if unknown:
            raise StoreError(f"events has no column(s) {', '.join(unknown)}")
        if columns and "event_id" not in columns:
            raise StoreError("imported events need an event_id column")
        ids = columns.get("event_id") or []
        # ids already stored are dropped first: a re-import then converts one column, not all
        present = {i for (i,) in self.con.execute(
            "SELECT event_id FROM events WHERE event_id IN (SELECT UNNEST(?::VARCHAR[]))",
            [ids],
        ).fetchall()} if ids else set()
        # and an id seen earlier in the batch: the first one is kept
        seen: set[str] = set()
        keep = []
        for i in ids:
            keep.append(i not in present and i not in seen)
            seen.add(i)
        if not all(keep):
            columns = {n: list(compress(v, keep)) for n, v in columns.items()}
            ids = columns["event_id"]
        # a column holding one value throughout (origin, coder, the empty sentence) is bound
        # once rather than as a list: converting Python lists is most of the cost of a batch
        names = ["event_id", *(n for n in columns if n != "event_id")]
        selects, params = [], []
        for n in names if ids else ():
            values = columns[n]
            if n != "event_id" and values.count(values[0]) == len(values):
                selects.append(f"?::{kinds[n]}")
                params.append(values[0])
            else:
                selects.append(f"UNNEST(?::{kinds[n]}[])")
                params.append(values)
        if not ids:
            return self.write_imported_rows(None, names, (), failures)
        select = "SELECT " + ", ".join(
            f"{x} AS {n}" for x, n in zip(selects, names, strict=True))
        return self.write_imported_rows(select, names, params, failures)

    def write_imported_rows(self, select: str | None, names: Sequence[str],
                            params: Sequence[Any] = (),
                            failures: Sequence[Failure] = ()) -> int:
        """Insert the events a query returns (columns ``names``, each ``event_id`` once),
        and the rows that failed, in one transaction; return how many events were new.

        The query may read a staging database attached to this connection (the DuckDB
        import path) or unnest parameters (:meth:`write_imported_events`). With a Parquet
        directory the events go there, one file per month, skipping ids already stored.
        """
        errors: dict[str, list[Any]] = {}
        for f in failures:
            key = hashlib.sha256(f"{f.origin}\x00{f.line}\x00{f.reason}".encode()).hexdigest()[:24]
            if key in errors:
                errors[key][-1] += 1
            else:
                errors[key] = [key, f.origin, f.line, f.kind, f.reason, 1]
        added = 0
        self.con.execute("BEGIN TRANSACTION")
        try:
            if select is not None and self.parquet:
                added = parquet_store.write_events(self.con, self.parquet, select, params,
                                                   f"{self.own}.events", names)
            elif select is not None:
                # an anti-join rather than ON CONFLICT, which costs twice the insert; the
                # caller gives each id once, and this process holds the file alone
                row = self.con.execute(
                    f"INSERT INTO {self.own}.events ({', '.join(names)}) SELECT * FROM "
                    f"({select}) WHERE event_id NOT IN (SELECT event_id FROM {self.own}.events)",
                    list(params),
                ).fetchone()
                added = int(row[0]) if row else 0
            if errors:
                now = _now()
                cols = list(zip(*errors.values(), strict=True))
                self.con.execute(
                    """INSERT INTO errors SELECT UNNEST(?::VARCHAR[]), UNNEST(?::VARCHAR[]),
                       UNNEST(?::INTEGER[]), UNNEST(?::VARCHAR[]), UNNEST(?::VARCHAR[]),
                       ?::TIMESTAMP, ?::TIMESTAMP, UNNEST(?::INTEGER[])
                       ON CONFLICT (error_id) DO UPDATE SET last_seen = excluded.last_seen,
                       times = errors.times + excluded.times""",
                    [list(cols[0]), list(cols[1]), list(cols[2]), list(cols[3]),
                     list(cols[4]), now, now, list(cols[5])],
                )
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        return added

    # -- named queries ------------------------------------------------------------------
    def query(self, sql: str, params: Sequence[Any] = ()) -> tuple[list[str], list[tuple]]:
        cur = self.con.execute(sql, list(params))
        cols = [d[0] for d in cur.description or []]
        return cols, cur.fetchall()

    def documents(self, limit: int | None = None) -> tuple[list[str], list[tuple]]:
        sql = """
            SELECT d.doc_id, d.published, d.source, d.title, d.words,
                   (SELECT count(*) FROM sentences s WHERE s.doc_id = d.doc_id) AS sentences,
                   (SELECT count(*) FROM mentions m WHERE m.doc_id = d.doc_id AND m.role = 'actor')
                       AS actors,
                   (SELECT count(*) FROM events e WHERE e.doc_id = d.doc_id) AS events,
                   d.cluster_id, d.origin
            FROM documents d ORDER BY d.ingested_at, d.doc_id
        """
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return self.query(sql)

    def event(self, event_id: str) -> dict[str, Any] | None:
        """One event with what ``cordiale show`` needs around it: every event field, the
        document's text and publication date, and its sentence's offsets in that text (None
        where the event was imported without a document)."""
        cols, rows = self.query("SELECT * FROM events WHERE event_id = ?", [event_id])
        if not rows:
            return None
        out = dict(zip(cols, rows[0], strict=True))
        _, doc = self.query(
            """SELECT d.text, d.published, d.title, d.source, s.char_start, s.char_end
               FROM documents d LEFT JOIN sentences s
                 ON s.doc_id = d.doc_id AND s.sentence_index = ?
               WHERE d.doc_id = ?""", [out.get("sentence_index"), out.get("doc_id")])
        names = ("doc_text", "published", "title", "outlet", "sentence_start", "sentence_end")
        out.update(dict(zip(names, doc[0], strict=True)) if doc else dict.fromkeys(names))
        return out

    def mentions(
        self,
        *,
        country: str | None = None,
        sector: str | None = None,
        doc_id: str | None = None,
        include_places: bool = False,
        limit: int | None = None,
    ) -> tuple[list[str], list[tuple]]:
        where, params = [], []
        if not include_places:
            where.append("role = 'actor'")
        if country:
            where.append("country = ?")
            params.append(country.upper())
        if sector:
            where.append("sector = ?")
            params.append(sector.upper())
        if doc_id:
            where.append("doc_id = ?")
            params.append(doc_id)
        sql = f"SELECT {', '.join(MENTION_FIELDS)} FROM mentions"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY doc_id, sentence_index, char_start, mention_index"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return self.query(sql, params)

    def events(
        self,
        *,
        actor: str | None = None,
        dyad: tuple[str, str] | None = None,
        code: str | None = None,
        root: str | None = None,
        plover: str | None = None,
        since: date | None = None,
        until: date | None = None,
        include_hypothetical: bool = False,
        limit: int | None = None,
    ) -> tuple[str, list[Any]]:
        """SQL and parameters selecting events (the contract's fields) with these filters.

        ``actor`` matches a country or an actor code prefix on either side; ``dyad`` is
        directed (source, target); negated and hypothetical events are left out unless asked.
        """
        where: list[str] = []
        params: list[Any] = []
        if not include_hypothetical:
            where.append("NOT negated AND NOT hypothetical")
        if actor:
            where.append("(source_country = ? OR target_country = ? OR starts_with(source_code, ?)"
                         " OR starts_with(target_code, ?))")
            params += [actor.upper()] * 4
        if dyad:
            where.append("(source_country = ? OR starts_with(source_code, ?)) AND "
                         "(target_country = ? OR starts_with(target_code, ?))")
            params += [dyad[0].upper(), dyad[0].upper(), dyad[1].upper(), dyad[1].upper()]
        if code:
            where.append("starts_with(cameo_code, ?)")
            params.append(code)
        if root:
            where.append("cameo_root = ?")
            params.append(root.zfill(2))
        if plover:
            where.append("plover_type = ?")
            params.append(plover.upper())
        window, values = date_window("event_date", since, until)
        where += window
        params += values
        sql = f"SELECT {', '.join(EVENT_FIELDS)} FROM events"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY event_date NULLS LAST, doc_id, sentence_index, char_start, event_id"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return sql, params

    def evidence(self, event_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Sentence, trigger (offsets within the sentence), document and outlet per event id.

        Imported events have no sentence: theirs come back empty, with their origin.
        """
        if not event_ids:
            return {}
        rows = self.con.execute("""
            SELECT e.event_id, e.sentence, e.trigger_text, e.char_start - s.char_start,
                   e.char_end - s.char_start, e.doc_id, coalesce(e.publisher, d.source),
                   e.origin, d.title, d.url
            FROM events e
            LEFT JOIN sentences s ON s.doc_id = e.doc_id AND s.sentence_index = e.sentence_index
            LEFT JOIN documents d ON d.doc_id = e.doc_id
            WHERE e.event_id IN (SELECT UNNEST(?::VARCHAR[]))""", [list(event_ids)]).fetchall()
        out = {}
        for eid, sentence, trigger, start, end, doc_id, publisher, origin, title, url in rows:
            ok = sentence is not None and start is not None and end is not None and \
                0 <= start < end <= len(sentence)
            out[eid] = {"sentence": sentence or "", "trigger": trigger or "",
                        "trigger_start": start if ok else None,
                        "trigger_end": end if ok else None, "doc_id": doc_id,
                        "publisher": publisher or "", "origin": origin or "",
                        "title": title or "", "url": url or ""}
        return out

    def export_parquet(self, sql: str, params: Sequence[Any], path: str) -> int:
        """Write a query's rows to a Parquet file with DuckDB's own writer."""
        rel = self.con.execute(f"SELECT count(*) FROM ({sql})", list(params)).fetchone()
        escaped = path.replace("'", "''")
        self.con.execute(f"COPY ({sql}) TO '{escaped}' (FORMAT PARQUET)", list(params))
        return int(rel[0]) if rel else 0

    def errors(self) -> tuple[list[str], list[tuple]]:
        return self.query(
            "SELECT origin, line, kind, reason, first_seen, last_seen, times FROM errors "
            "ORDER BY last_seen DESC, origin, line"
        )

    # -- UN General Assembly roll calls --------------------------------------------------
    def write_unga(
        self,
        *,
        votes: dict[str, Any] | None = None,
        roll_calls: dict[str, list] | None = None,
        issues: dict[int, str] | None = None,
    ) -> None:
        """Upsert roll calls, their issue tags and votes, all in one transaction.

        ``votes`` has the columns rcid, country, country_name, vote (lists or NumPy arrays);
        ``roll_calls`` rcid, session, date, important, resolution, short, description. A row
        already stored under the same key is updated, so re-importing a file changes nothing;
        a roll call written without issue tags keeps the tags it had.
        """
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            if roll_calls and roll_calls["rcid"]:
                con.execute(
                    """INSERT INTO unga_roll_calls
                         (rcid, session, date, important, resolution, short, description)
                       SELECT UNNEST(?::INTEGER[]), UNNEST(?::INTEGER[]), UNNEST(?::DATE[]),
                              UNNEST(?::BOOLEAN[]), UNNEST(?::VARCHAR[]), UNNEST(?::VARCHAR[]),
                              UNNEST(?::VARCHAR[])
                       ON CONFLICT (rcid) DO UPDATE SET session = excluded.session,
                         date = excluded.date, important = excluded.important,
                         resolution = excluded.resolution, short = excluded.short,
                         description = excluded.description""",
                    [roll_calls[c] for c in ("rcid", "session", "date", "important",
                                             "resolution", "short", "description")],
                )
            if issues:
                con.execute(
                    """UPDATE unga_roll_calls SET issues = t.issues
                       FROM (SELECT UNNEST(?::INTEGER[]) AS rcid, UNNEST(?::VARCHAR[]) AS issues) t
                       WHERE unga_roll_calls.rcid = t.rcid""",
                    [list(issues), list(issues.values())],
                )
            if votes is not None and len(votes["rcid"]):
                import numpy as np

                # a registered dict of NumPy arrays is scanned in place: for 870k votes it is
                # about four times faster than unnesting Python lists passed as parameters
                con.register("_cordiale_unga_votes", {
                    "rcid": np.asarray(votes["rcid"], dtype=np.int64),
                    **{c: np.asarray(votes[c], dtype=object)
                       for c in ("country", "country_name", "vote")},
                })
                try:
                    con.execute(
                        """INSERT INTO unga_votes (rcid, country, country_name, vote)
                           SELECT rcid, country, country_name, vote FROM _cordiale_unga_votes
                           ON CONFLICT (rcid, country) DO UPDATE SET
                             country_name = excluded.country_name, vote = excluded.vote"""
                    )
                finally:
                    con.unregister("_cordiale_unga_votes")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def unga_roll_call_ids(self, rcids: Sequence[int]) -> set[int]:
        """Which of these roll-call ids are stored."""
        if not rcids:
            return set()
        rows = self.con.execute(
            "SELECT rcid FROM unga_roll_calls WHERE rcid IN (SELECT UNNEST(?::INTEGER[]))",
            [list(rcids)],
        ).fetchall()
        return {int(r) for (r,) in rows}

    def unga_counts(self) -> dict[str, int]:
        """Stored roll calls and votes, and votes whose roll call (hence date) is missing."""
        row = self.con.execute(
            """SELECT (SELECT count(*) FROM unga_roll_calls),
                      (SELECT count(*) FROM unga_votes),
                      (SELECT count(*) FROM unga_votes v
                       WHERE NOT EXISTS (SELECT 1 FROM unga_roll_calls r WHERE r.rcid = v.rcid))"""
        ).fetchone()
        roll_calls, votes, undated = row if row else (0, 0, 0)
        return {"roll_calls": int(roll_calls), "votes": int(votes),
                "undated_votes": int(undated)}

    def unga_votes(
        self,
        *,
        countries: Sequence[str] | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> dict[str, Any]:
        """Dated votes as NumPy columns rcid, date, country, vote, in rcid and country order.

        Votes whose roll call is not stored have no date and are left out.
        """
        where: list[str] = []
        params: list[Any] = []
        if countries is not None:
            where.append("list_contains(?, v.country)")
            params.append([c.upper() for c in countries])
        window, values = date_window("r.date", since, until)
        where += window
        params += values
        sql = ("SELECT v.rcid, r.date, v.country, v.vote FROM unga_votes v "
               "JOIN unga_roll_calls r ON r.rcid = v.rcid")
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY v.rcid, v.country"
        return self.con.execute(sql, params).fetchnumpy()

    def counts(self) -> dict[str, int]:
        out = {}
        for table in ("documents", "sentences", "mentions", "duplicate_links", "errors",
                      "events"):
            row = self.con.execute(f"SELECT count(*) FROM {table}").fetchone()
            out[table] = int(row[0]) if row else 0
        return out

    # -- the analysis copy of events ------------------------------------------------------
    def facts_fresh(self) -> bool:
        """Whether ``event_facts`` reflects every stored event (then analysis reads it)."""
        state = self.con.execute("SELECT events_seen FROM facts_state WHERE id = 1").fetchone()
        total = self.con.execute(_EVENTS_SEEN.format(own=self.own)).fetchone()
        return state is not None and total is not None and state[0] == total[0]

    def refresh_facts(self, *, tail_share: float = 0.2) -> int:
        """Bring ``event_facts`` and ``daily_counts`` up to date; return the rows added.

        With a Parquet directory, also record the daily counts of its new files
        (``parquet_daily``), which its ``daily_counts`` view adds to the file's own.

        New events (rows past ``events_seen``: events is append-only) are appended; once the
        unsorted tail passes ``tail_share`` of the table, the whole table is rebuilt in dyad
        order, so the cost of keeping it clustered is amortised over the writes. Only events
        an analysis can use are copied: a country on each side (two different ones), a date,
        neither negated nor hypothetical.
        """
        con, own = self.con, self.own
        if self.parquet:  # the daily counts of Parquet files written since the last refresh
            parquet_store.record_counts(con, self.parquet, own)
        state = con.execute(
            "SELECT events_seen, sorted_rows FROM facts_state WHERE id = 1").fetchone()
        total = int(con.execute(_EVENTS_SEEN.format(own=self.own)).fetchone()[0])  # type: ignore[index]
        seen, sorted_rows = (int(state[0]), int(state[1])) if state else (0, 0)
        if state is not None and seen == total:
            return 0
        select = """
            SELECT least(source_country, target_country) || '|' ||
                       greatest(source_country, target_country) AS dyad,
                   event_date, source_country, target_country, goldstein, quad_class,
                   cameo_code, plover_type, coalesce(story_id, doc_id), publisher, event_id,
                   doc_id, origin
            FROM {own}.events
            WHERE """.replace("{own}", own) + RELATIONAL_EVENTS
        rebuild = state is None or seen > total or (total - seen) > tail_share * max(
            sorted_rows, 1)
        con.execute("BEGIN TRANSACTION")
        try:
            if rebuild:
                con.execute(f"DELETE FROM {own}.event_facts")
                added = _count(con.execute(
                    f"INSERT INTO {own}.event_facts {select} ORDER BY dyad, event_date"))
                con.execute(f"DELETE FROM {own}.daily_counts")
                con.execute(f"INSERT INTO {own}.daily_counts SELECT event_date, count(*) "
                            f"FROM {own}.event_facts GROUP BY event_date")
                sorted_rows = added
            else:
                # rowid counts insertions in an append-only table: the rows past `seen` are
                # new; they are read from events once, for the facts and the daily counts
                con.execute(f"CREATE OR REPLACE TEMP TABLE _cordiale_new_facts AS {select} "
                            f"AND rowid >= {seen} ORDER BY dyad, event_date")
                added = _count(con.execute(f"INSERT INTO {own}.event_facts "
                                           "SELECT * FROM _cordiale_new_facts"))
                con.execute(f"""
                    INSERT INTO {own}.daily_counts SELECT event_date, count(*)
                    FROM _cordiale_new_facts GROUP BY event_date
                    ON CONFLICT (event_date) DO UPDATE
                    SET events = daily_counts.events + excluded.events""")
                con.execute("DROP TABLE _cordiale_new_facts")  # a rollback drops it too
            con.execute(
                "INSERT OR REPLACE INTO facts_state VALUES (1, ?, ?, ?)",
                [total, sorted_rows, _now()])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return added


def _count(cursor: duckdb.DuckDBPyConnection) -> int:
    """The row count a statement (an INSERT) returned."""
    row = cursor.fetchone()
    return int(row[0]) if row else 0


def _insert(
    con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, tuple[str, list]]
) -> None:
    """INSERT a batch given as typed column lists (one round trip, vectorised by DuckDB)."""
    names = list(columns)
    if not names or not columns[names[0]][1]:
        return
    selects = ", ".join(f"UNNEST(?::{kind}[])" for kind, _ in columns.values())
    con.execute(
        f"INSERT INTO {table} ({', '.join(names)}) SELECT {selects}",
        [values for _, values in columns.values()],
    )


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class BatchStore:
    """The store a long writer (an ingest, an import) uses, opened only per batch.

    DuckDB lets one process write a file or several read it, never both. Holding the file
    for a whole run locked every reader out for its length; opened per batch, a reader waits
    at most one commit (``Store`` retries while the file is locked), a second writer takes
    turns batch by batch, and readers see whole batches only (each is a transaction). A
    ``Store`` passed in by the caller is used as it is, open throughout."""

    def __init__(self, db: Store | str | os.PathLike[str], parquet: str | None = None) -> None:
        self.shared = db if isinstance(db, Store) else None
        self.path = "" if self.shared is not None else str(db)
        self.parquet = parquet
        if self.shared is None:
            Store(self.path, parquet=parquet).close()  # create and migrate once, up front

    @contextmanager
    def open(self) -> Iterator[Store]:
        if self.shared is not None:
            yield self.shared
            return
        store = Store(self.path, parquet=self.parquet)
        try:
            yield store
        finally:
            store.close()
