"""Import event datasets (ICEWS, GDELT, cordiale's own JSONL) into the events table.

Each format is a reader yielding event rows (dicts of event columns) or ``Failure``s; this
module batches the rows into column lists and lets the store insert each batch in one
transaction with ``ON CONFLICT (event_id) DO NOTHING``. So a re-import adds nothing, a crash
loses at most the batch in flight, and a million rows cost a few dozen statements, not a
million. Bad rows are recorded with file, line and reason in the same transaction as their
batch (one statement, not one per row: a wrong-format file can fail every row) and never stop
the file.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..records import Failure
from ..store import Store
from .common import Columns, FileContext, preload
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

BATCH_SIZE = 50_000


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


def import_events(
    paths: Sequence[str | Path],
    fmt: str,
    store: Store,
    *,
    batch_size: int = BATCH_SIZE,
    on_failure: Callable[[Failure], None] | None = None,
) -> ImportSummary:
    """Read event files of format ``fmt`` into ``store``; return what happened.

    Rows that cannot be read are reported through ``on_failure`` and recorded in the store's
    errors table; a file that cannot be opened is reported the same way and the next one goes
    on. Safe to re-run: event ids already stored are skipped.
    """
    if fmt not in READERS:
        raise ValueError(f"unknown import format {fmt!r}; use one of {', '.join(READERS)}")
    reader = READERS[fmt]
    preload()
    summary = ImportSummary(fmt)
    started = time.perf_counter()
    batch = Columns()
    pending: list[Failure] = []

    def fail(failure: Failure) -> None:
        summary.failures.append(failure)
        pending.append(failure)
        if on_failure:
            on_failure(failure)

    def flush() -> None:
        size = batch.size
        added = store.write_imported_events(batch.take() if size else {}, pending)
        summary.imported += added
        summary.present += size - added
        pending.clear()

    for path in map(str, paths):
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
                if batch.size >= batch_size or len(pending) >= batch_size:
                    flush()
        except (OSError, EOFError, UnicodeError) as err:
            summary.unreadable += 1
            after = f"; the {seen} rows before it were read" if seen else ""
            fail(Failure(path, f"cannot read the file ({_reason(err)}){after}", kind="import"))
        summary.read += seen
        summary.unmapped.update(ctx.unmapped)
    flush()
    summary.seconds = time.perf_counter() - started
    return summary


def _reason(err: BaseException) -> str:
    if isinstance(err, FileNotFoundError):
        return "no such file"
    if isinstance(err, IsADirectoryError):
        return "is a directory"
    if isinstance(err, PermissionError):
        return "permission denied"
    return f"{type(err).__name__}: {err}"
