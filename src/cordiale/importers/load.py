"""Import event datasets (ICEWS, GDELT, cordiale's own JSONL) into the events table.

ICEWS and GDELT files go through DuckDB's own CSV reader (:mod:`.fast`): read and mapped in
SQL in a staging database, then copied into the store a batch at a time. Files that path
cannot take (and cordiale JSONL) go through the row readers: each format is a reader yielding
event rows (dicts of event columns) or ``Failure``s, batched here into column lists. Either
way the store inserts each batch in one transaction with ``ON CONFLICT (event_id) DO
NOTHING`` (or, with a Parquet directory, skips ids already there), so a re-import adds
nothing, a crash loses at most the batch in flight, and the store is opened only while a batch
commits: readers and other writers get their turn between batches. Bad rows are recorded with
file, line and reason in the same transaction as a batch (one statement, not one per row: a
wrong-format file can fail every row) and never stop the file.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..records import Failure
from ..store import BatchStore, Store
from . import fast
from .common import IMPORT_COLUMNS, Columns, FileContext, preload
from .gdelt import read_gdelt
from .icews import read_icews
from .jsonl import read_jsonl

Reader = Callable[[str, FileContext], Iterator[dict[str, Any] | Failure]]

#: The formats ``cordiale import --format`` accepts; each name is also the events' origin.
READERS: dict[str, Reader] = {
    "icews": read_icews,
    "gdelt": read_gdelt,
    "cordiale-jsonl": read_jsonl,
}

#: Events per transaction through DuckDB's CSV reader, and through the row readers. The
#: first is large because a transaction appending fewer rows than a DuckDB row group (122,880)
#: goes through the write-ahead log and is written again at the checkpoint, and every commit
#: costs a checkpoint's share: 325,691 ICEWS events took 2.6 s of CPU to store in 50,000-event
#: batches and 1.1 s in one. The row readers hold a batch as Python lists, so theirs is smaller.
BATCH_SIZE = 500_000
ROW_BATCH_SIZE = 50_000


@dataclass
class ImportSummary:
    fmt: str
    read: int = 0
    imported: int = 0
    present: int = 0
    failed: int = 0
    unreadable: int = 0  # files that could not be opened or read to the end
    unmapped: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    failures: list[Failure] = field(default_factory=list)

    def line(self) -> str:
        unmapped = sum(self.unmapped.values())
        text = (f"{self.fmt}: {self.read} rows read, {self.imported} imported, "
                f"{self.present} already present, {self.failed} failed, "
                f"{unmapped} unmapped country names")
        if self.unmapped:
            top = ", ".join(f"{name!r} ×{n}" for name, n in self.unmapped.most_common(5))
            more = len(self.unmapped) - 5
            text += f" ({top}{f', {more} more' if more > 0 else ''})"
        if self.unreadable:
            text += f", {self.unreadable} file(s) unreadable"
        return text + f"; {self.seconds:.2f}s"


class _Target(BatchStore):
    """The store an import writes to, opened per batch (:class:`cordiale.store.BatchStore`),
    or attached to the staging connection of the DuckDB path."""

    @contextmanager
    def attach(self, con: Any) -> Iterator[Store]:
        """The store attached to the staging connection ``con`` (see ``Store.attach``)."""
        if self.shared is not None:  # a store the caller holds open: copy through Python
            raise RuntimeError("a shared Store cannot be attached")
        store = Store.attach(con, self.path, parquet=self.parquet)
        try:
            yield store
        finally:
            store.close()


def import_events(
    paths: Sequence[str | Path],
    fmt: str,
    store: Store | str | Path,
    *,
    batch_size: int | None = None,
    on_failure: Callable[[Failure], None] | None = None,
    parquet: str | None = None,
    engine: str = "duckdb",
) -> ImportSummary:
    """Read event files of format ``fmt`` into ``store`` (a path, opened per batch, or an open
    ``Store``); return what happened.

    Rows that cannot be read are reported through ``on_failure`` and recorded in the store's
    errors table; a file that cannot be opened is reported the same way and the next one goes
    on. Safe to re-run: event ids already stored are skipped. ``engine="rows"`` (and an open
    ``Store``, which cannot be attached to a staging connection) reads every file with the
    row readers (the reference the DuckDB path is tested and timed against);
    ``parquet`` sends the events to that directory (see :mod:`cordiale.store.parquet`).
    ``batch_size`` events are written per transaction (by default ``BATCH_SIZE`` through
    DuckDB, ``ROW_BATCH_SIZE`` through the row readers).
    """
    if fmt not in READERS:
        raise ValueError(f"unknown import format {fmt!r}; use one of {', '.join(READERS)}")
    if engine not in ("duckdb", "rows"):
        raise ValueError(f"unknown import engine {engine!r}; use duckdb or rows")
    reader = READERS[fmt]
    preload()
    target = _Target(store, parquet)
    summary = ImportSummary(fmt)
    started = time.perf_counter()
    batch = Columns()
    row_batch = batch_size or ROW_BATCH_SIZE
    pending: list[Failure] = []

    def report(failure: Failure) -> None:
        summary.failures.append(failure)
        if on_failure:
            on_failure(failure)

    def fail(failure: Failure) -> None:  # recorded with the next batch the row reader writes
        report(failure)
        pending.append(failure)

    def flush() -> None:
        size = batch.size
        with target.open() as st:
            added = st.write_imported_events(batch.take() if size else {}, pending)
        summary.imported += added
        summary.present += size - added
        pending.clear()

    def by_rows(path: str) -> None:
        ctx = FileContext(path)
        seen = 0
        try:
            for item in reader(path, ctx):
                if isinstance(item, Failure) and item.line is None:  # the file, not a row
                    summary.unreadable += 1
                    fail(item)
                    continue
                seen += 1
                if isinstance(item, Failure):
                    summary.failed += 1
                    fail(item)
                else:
                    batch.add(item)
                if batch.size >= row_batch or len(pending) >= row_batch:
                    flush()
        except (OSError, EOFError, UnicodeError) as err:
            summary.unreadable += 1
            after = f"; the {seen} rows before it were read" if seen else ""
            fail(Failure(path, f"cannot read the file ({_reason(err)}){after}", kind="import"))
        summary.read += seen
        summary.unmapped.update(ctx.unmapped)

    fast_path = engine == "duckdb" and fmt in fast.FORMATS and target.shared is None
    for n, path in enumerate(map(str, paths)):
        if not fast_path or not _by_duckdb(path, fmt, n, target, batch_size or BATCH_SIZE,
                                           summary, report):
            by_rows(path)
    flush()
    summary.seconds = time.perf_counter() - started
    return summary


def _by_duckdb(path: str, fmt: str, n: int, target: _Target, batch_size: int,
               summary: ImportSummary, report: Callable[[Failure], None]) -> bool:
    """Import one file through DuckDB's CSV reader; False if the row reader must take it.

    The file is staged in an in-memory database; for each batch the store's file is attached
    to that connection (its lock held only until the batch commits) and the batch's rows
    move in one statement."""
    import duckdb

    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")
        try:
            staged = fast.stage(con, path, fmt, n)
        except fast.Unsupported:
            return False
        sizes = staged.sizes(con, batch_size)
        failures = staged.failures
        for failure in failures:
            summary.failed += 1
            report(failure)
        summary.read += staged.rows
        summary.unmapped.update(staged.unmapped)
        for k in sorted(sizes) or [0]:
            with target.attach(con) as st:
                added = st.write_imported_rows(
                    staged.select(k * batch_size, (k + 1) * batch_size), IMPORT_COLUMNS, (),
                    failures)
            failures = []  # recorded with the first batch
            summary.imported += added
            summary.present += int(sizes.get(k, 0)) - added
    finally:
        con.close()
    return True


def _reason(err: BaseException) -> str:
    if isinstance(err, FileNotFoundError):
        return "no such file"
    if isinstance(err, IsADirectoryError):
        return "is a directory"
    if isinstance(err, PermissionError):
        return "permission denied"
    return f"{type(err).__name__}: {err}"
