"""Ingest: read → skip what is stored → spaCy → resolve actors → link near-duplicates → store.

Documents flow through ``nlp.pipe`` as one stream (so spaCy batches and worker processes stay
busy) and are written ``commit_every`` at a time, each batch in one transaction. A document
whose content hash is already stored is skipped before any NLP, which makes a re-run after a
crash cheap and free of duplicates.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .actors import ActorResolver
from .actors.discards import Discards, default_discards
from .config import Settings, load_settings
from .events import EventCoder
from .nlp import load_nlp
from .records import Document, Event, Failure, Mention, ProcessedDocument
from .store import BatchStore, DuplicateLink, Store
from .text import dedup
from .text.noise import is_heading, noise_kind

if TYPE_CHECKING:
    from .distributed import Engine


#: Failures an ingest keeps in its summary; ``failed`` counts them all and the store records
#: them all (``cordiale errors``), so a run of a million bad lines holds a thousand.
FAILURES_KEPT = 1000


@dataclass
class IngestSummary:
    new: int = 0
    present: int = 0
    duplicates: int = 0
    failed: int = 0
    sentences: int = 0
    mentions: int = 0
    events: int = 0
    words: int = 0
    undated: int = 0  # new documents with no publication date
    seconds: float = 0.0
    failures: list[Failure] = field(default_factory=list)  # the first FAILURES_KEPT

    def as_dict(self) -> dict[str, float | int]:
        return {k: getattr(self, k) for k in
                ("new", "present", "duplicates", "failed", "sentences", "mentions", "events",
                 "words", "undated", "seconds")}

    def line(self) -> str:
        return (f"documents: {self.new} new, {self.present} already present, "
                f"{self.duplicates} near-duplicates, {self.failed} failed; "
                f"{self.sentences} sentences, {self.mentions} actor mentions, "
                f"{self.events} events; "
                f"{self.seconds:.1f}s")

    def undated_line(self) -> str | None:
        """The warning for documents without a date: their events cannot enter a time series
        and their people cannot be placed in office."""
        if not self.undated:
            return None
        which = "document has" if self.undated == 1 else "documents have"
        return (f"{self.undated} {which} no date: pass --published or add a date field "
                "(their events are left out of every analysis; 'cordiale docs' lists them)")


def process_documents(
    docs: Iterable[Document], settings: Settings, *, n_process: int | None = None
) -> Iterator[ProcessedDocument | Failure]:
    """NLP and actor resolution for a stream of documents (no store involved)."""
    nlp = load_nlp(settings.model)
    resolver = actor_resolver(nlp)
    coder = event_coder(settings.event_scope)
    limit = settings.max_doc_chars

    def texts() -> Iterator[tuple[str, Document]]:
        for d in docs:
            yield d.text, d

    pending: list[Failure] = []

    def checked(stream: Iterator[tuple[str, Document]]) -> Iterator[tuple[str, Document]]:
        for text, d in stream:
            if len(text) > limit:
                pending.append(Failure(d.origin, f"text is {len(text):,} characters, over the "
                                       f"{limit:,} limit (raise max_doc_chars)", kind="nlp"))
                continue
            yield text, d

    stream = nlp.pipe(checked(texts()), as_tuples=True, batch_size=settings.batch_size,
                      n_process=n_process or settings.n_process)
    for spacy_doc, d in stream:
        while pending:
            yield pending.pop(0)
        try:
            sentences, mentions = resolver.resolve(spacy_doc, d.doc_id, d.published)
            events = coder.code(spacy_doc, mentions, d.doc_id, d.published)
        except Exception as err:  # one bad document must not stop the batch
            yield Failure(d.origin, f"coding failed ({type(err).__name__}: {err})",
                          kind="nlp")
            continue
        words = _word_count(spacy_doc)
        yield ProcessedDocument(d, tuple(sentences), tuple(mentions), words, tuple(events))
    yield from pending


_libc: Any = None
M_TRIM_THRESHOLD = -1  # glibc's mallopt parameter number
TRIM_THRESHOLD = 64 * 1024  # what Dask's nanny sets for its workers


def trim_native_heap() -> None:
    """Hand the C heap's free pages back to the system after a committed batch (glibc only).

    Each commit opens the store, and DuckDB's and the readers' native buffers are freed when
    it closes, but glibc keeps freed pages below its trim threshold: over 100,000 documents
    the client's RSS crept up by 2.7 MB per 10,000 while Python's own heap (tracemalloc) did
    not grow. The first call also lowers glibc's trim threshold to 64 KiB, as Dask's nanny
    does for its workers through MALLOC_TRIM_THRESHOLD_ (docs/benchmarks.md)."""
    global _libc
    if _libc is None:
        _libc = False
        if sys.platform.startswith("linux"):
            import ctypes
            import ctypes.util

            try:
                libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
                if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt"):
                    libc.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD)
                    _libc = libc
            except OSError:
                pass
    if _libc:
        _libc.malloc_trim(0)


def _word_count(doc: Any) -> int:
    """Tokens that are neither punctuation nor space, read from the Doc's arrays (a Token
    object per token cost a fifth of the Python side of ingest)."""
    from spacy.attrs import IS_PUNCT, IS_SPACE

    if not len(doc):
        return 0
    flags = doc.to_array([IS_PUNCT, IS_SPACE])
    return int(len(doc) - (flags.sum(axis=1) > 0).sum())


class DiscardingCoder:
    """The event coder, with the events of discarded text dropped: a document that names a
    sport, entertainment or history *story* phrase yields no events, nor does a sentence that
    names a *sentence* phrase (``actors/discards.py``), nor a byline, caption or other page
    furniture (``text/noise.py``). Everything else is the coder's."""

    def __init__(self, coder: EventCoder, discards: Discards | None = None) -> None:
        self.coder = coder
        self.discards = discards or default_discards()

    def code(self, doc: Any, mentions: list[Mention] | tuple[Mention, ...], doc_id: str,
             published: date | None = None) -> list[Event]:
        events = self.coder.code(doc, mentions, doc_id, published)
        if not events:
            return events
        text = doc.text
        if self.discards.story_phrase(text):
            return []
        # the sentence of each event through its trigger's token: iterating ``doc.sents``
        # for every document made the discard step a tenth of ingest time
        kept = []
        dropped: dict[int, bool] = {}  # sentence start -> whether its events go
        for event in events:
            token = doc.char_span(event.char_start, event.char_end, alignment_mode="expand")
            sent = token.sent if token is not None else None
            if sent is None:
                kept.append(event)
                continue
            if sent.start_char not in dropped:
                dropped[sent.start_char] = self.discards.sentence_phrase(sent.text) is not None
            if dropped[sent.start_char]:
                continue  # a sentence discard phrase
            if noise_kind(_line_to(text, sent)) is not None or _in_heading(text, sent):
                continue  # a byline, caption, page furniture or a heading
            kept.append(event)
        return kept

    def __getattr__(self, name: str) -> Any:
        return getattr(self.coder, name)


def _line_to(text: str, sent: Any) -> str:
    """A sentence with the credit before it on its line: a caption after a credit bar
    ("Name, Agency | The delegation arrives") is parsed as a sentence of its own. Only a short
    prefix with a bar counts: a corpus line may hold a whole article, whose first sentence
    says nothing about the others."""
    prefix = text[text.rfind("\n", 0, sent.start_char) + 1:sent.start_char]
    if prefix.strip() and len(prefix) <= 100 and "|" in prefix:
        return prefix + sent.text
    return str(sent.text)


def _in_heading(text: str, sent: Any) -> bool:
    """Whether a sentence is a heading line of its own inside the text: not the first line
    (the title) and not a sentence that runs on into the next line."""
    start = text.rfind("\n", 0, sent.start_char) + 1
    if start == 0 or not text[:start].strip():
        return False
    end = text.find("\n", sent.start_char)
    end = len(text) if end < 0 else end
    if sent.end_char > end + 1 and text[end:sent.end_char].strip():
        return False
    return is_heading(text[start:end])


_RESOLVERS: dict[int, ActorResolver] = {}
_CODERS: dict[str, DiscardingCoder] = {}


def event_coder(scope: str = "main") -> DiscardingCoder:
    """The event coder for a scope (discards applied), built once per process."""
    if scope not in _CODERS:
        _CODERS[scope] = DiscardingCoder(EventCoder(scope=scope))
    return _CODERS[scope]


def actor_resolver(nlp) -> ActorResolver:
    """The actor resolver for a loaded pipeline, built once per process."""
    key = id(nlp)
    if key not in _RESOLVERS:
        _RESOLVERS[key] = ActorResolver(nlp)
    return _RESOLVERS[key]


def ingest(
    paths: Sequence[str | Path],
    *,
    db: str | Store | None = None,
    published: date | None = None,
    source: str | None = None,
    settings: Settings | None = None,
    on_failure: Callable[[Failure], None] | None = None,
    progress: bool | None = None,
    engine: Engine | None = None,
    on_commit: Callable[[IngestSummary], None] | None = None,
) -> IngestSummary:
    """Read ``paths`` into the store: documents, sentences, actor mentions, duplicate links.

    Failures are reported through ``on_failure``, recorded in the store, and do not stop the
    batch. Safe to re-run: stored content is skipped, so nothing is duplicated.

    The NLP runs where ``settings.scheduler`` / ``settings.workers`` say (a Dask cluster, local
    worker processes, or this process; see :mod:`cordiale.distributed`), or on ``engine`` when
    one is given; everything else happens here, so the stored result is the same wherever the
    NLP ran. ``on_commit`` is called with the running summary after every committed batch.
    """
    started = time.perf_counter()  # the summary's seconds include starting a local cluster
    settings = settings or load_settings()
    if engine is not None:
        return _ingest(paths, engine, db=db, published=published, source=source,
                       settings=settings, on_failure=on_failure, progress=progress,
                       on_commit=on_commit, started=started)
    from .distributed import check, open_engine

    check(settings)  # a wrong scheduler address fails before the database is created
    session = _Session(db, settings)  # a database that cannot be opened fails before the cluster
    with open_engine(settings) as opened:
        return _ingest(paths, opened, db=session, published=published, source=source,
                       settings=settings, on_failure=on_failure, progress=progress,
                       on_commit=on_commit, started=started)


def _ingest(
    paths: Sequence[str | Path],
    engine: Engine,
    *,
    db: str | Store | _Session | None,
    published: date | None,
    source: str | None,
    settings: Settings,
    on_failure: Callable[[Failure], None] | None,
    progress: bool | None,
    on_commit: Callable[[IngestSummary], None] | None,
    started: float,
) -> IngestSummary:
    from .ingest import read_inputs

    session = db if isinstance(db, _Session) else _Session(db, settings)
    summary = IngestSummary()

    unrecorded: list[Failure] = []

    def fail(f: Failure) -> None:
        summary.failed += 1
        if len(summary.failures) < FAILURES_KEPT:
            summary.failures.append(f)
        unrecorded.append(f)
        if on_failure:
            on_failure(f)
        if len(unrecorded) >= settings.commit_every:  # a run of bad input commits no batch
            record(unrecorded)

    def record(failures: list[Failure]) -> None:
        with session.open() as store:
            store.record_failures(failures)
        failures.clear()

    def commit(batch: list[ProcessedDocument]) -> None:
        if not batch and not unrecorded:
            return
        with session.open() as store:
            _write(store, batch, settings, summary)
            store.record_failures(unrecorded)
        unrecorded.clear()
        fresh.stored(batch)
        trim_native_heap()
        if on_commit:
            on_commit(summary)

    items = read_inputs(paths, published=published, source=source,
                        max_bytes=settings.max_bytes, max_chars=settings.max_doc_chars)
    fresh = _Fresh(items, session, settings.commit_every, summary, fail)
    bar = _progress(progress)
    batch: list[ProcessedDocument] = []
    for item in engine(fresh):
        if isinstance(item, Failure):
            fail(item)
            continue
        batch.append(item)
        if bar is not None:
            bar.update(1)
        if len(batch) >= settings.commit_every:
            commit(batch)
            batch = []
    commit(batch)
    if bar is not None:
        bar.close()
    with session.open() as store:
        store.refresh_facts()  # the analysis copy, clustered by dyad
    summary.seconds = time.perf_counter() - started
    return summary


class _Session(BatchStore):
    """The store an ingest writes to, opened only while a batch is checked or committed
    (:class:`cordiale.store.BatchStore`)."""

    def __init__(self, db: str | Store | None, settings: Settings) -> None:
        super().__init__(db if db is not None else settings.db, settings.parquet or None)

    def present(self, hashes: Sequence[str], ids: Sequence[str]
                ) -> tuple[set[str], dict[str, str]]:
        with self.open() as store:
            return store.present(hashes, ids)



class _Fresh:
    """The documents of a run not yet stored, checked against the store ``chunk`` at a time.

    Documents read but not yet committed are remembered (their hashes and ids), so a copy later
    in the same run is skipped before the store knows the first. Results come back in input
    order, so once a batch is committed every document handed out before its last one is
    either stored (the store answers for it now) or failed, and all of them are forgotten:
    this holds only what is in flight, and memory does not grow with the corpus or with the
    documents that failed."""

    def __init__(self, items: Iterable[Document | Failure], store: _Session, chunk: int,
                 summary: IngestSummary, fail: Callable[[Failure], None]) -> None:
        self.items = items
        self.store = store
        self.chunk = chunk
        self.summary = summary
        self.fail = fail
        self.ids: dict[str, str] = {}  # doc_id -> content hash, of documents in flight

    def stored(self, batch: Sequence[ProcessedDocument]) -> None:
        """Forget every document handed out up to the last of ``batch`` (``ids`` is in the
        order they were handed out)."""
        if not batch or batch[-1].document.doc_id not in self.ids:
            return
        last = batch[-1].document.doc_id
        while self.ids:
            doc_id = next(iter(self.ids))
            del self.ids[doc_id]
            if doc_id == last:
                return

    def __iter__(self) -> Iterator[Document]:
        buffer: list[Document] = []
        for item in self.items:
            if isinstance(item, Failure):
                self.fail(item)
                continue
            buffer.append(item)
            if len(buffer) >= self.chunk:
                yield from self._flush(buffer)
                buffer = []
        if buffer:
            yield from self._flush(buffer)

    def _flush(self, buffer: list[Document]) -> Iterator[Document]:
        hashes, by_id = self.store.present([d.content_hash for d in buffer],
                                           [d.doc_id for d in buffer])
        in_flight = set(self.ids.values())
        for d in buffer:
            if d.content_hash in hashes or d.content_hash in in_flight:
                self.summary.present += 1
                continue
            other = by_id.get(d.doc_id) or self.ids.get(d.doc_id)
            if other and other != d.content_hash:
                self.fail(Failure(d.origin, f"id {d.doc_id!r} is already used by a document "
                                            "with different text; give this one a distinct id",
                                  kind="conflict"))
                continue
            in_flight.add(d.content_hash)
            self.ids[d.doc_id] = d.content_hash
            yield d


def _write(store: Store, batch: list[ProcessedDocument], settings: Settings,
           summary: IngestSummary) -> None:
    if not batch:
        return
    signatures = {p.document.doc_id: dedup.signature(p.document.text) for p in batch}
    bands = {doc_id: dedup.bands(sig) for doc_id, sig in signatures.items()}
    stored = store.lsh_candidates([b for bs in bands.values() for b in bs])
    stored_bands = {doc_id: set(dedup.bands(sig)) for doc_id, sig in stored.items()}
    clusters: dict[str, str] = {}
    links: list[DuplicateLink] = []
    earlier: dict[str, list[int]] = {}  # this batch's documents seen so far
    bucket_index: dict[tuple[int, int], list[str]] = {}
    for p in batch:
        doc_id = p.document.doc_id
        sig = signatures[doc_id]
        candidates = dict(stored)
        for key in bands[doc_id]:
            for other in bucket_index.get(key, []):
                candidates[other] = earlier[other]
        best, best_sim = None, 0.0
        mine = set(bands[doc_id])
        for other, other_sig in candidates.items():
            if other == doc_id:
                continue
            shares = other in earlier or mine & stored_bands[other]
            if not shares:
                continue
            sim = dedup.similarity(sig, other_sig)
            if sim > best_sim:
                best, best_sim = other, sim
        if best is not None and best_sim >= settings.near_duplicate_threshold:
            cluster = clusters.get(best) or store.cluster_of(best)
            clusters[doc_id] = cluster
            links.append(DuplicateLink(doc_id, cluster, round(best_sim, 4)))
        earlier[doc_id] = sig
        for key in bands[doc_id]:
            bucket_index.setdefault(key, []).append(doc_id)
    written = store.write_batch(batch, clusters, links, signatures, bands)
    summary.present += len(batch) - len(written)  # stored meanwhile by another ingest
    batch = [p for p in batch if p.document.doc_id in written]
    links = [lk for lk in links if lk.doc_id in written]
    summary.new += len(batch)
    summary.duplicates += len(links)
    summary.sentences += sum(len(p.sentences) for p in batch)
    summary.mentions += sum(1 for p in batch for m in p.mentions if m.role == "actor")
    summary.events += sum(len(p.events) for p in batch)
    summary.words += sum(p.words for p in batch)
    summary.undated += sum(1 for p in batch if p.document.published is None)


def _progress(enabled: bool | None):
    if enabled is False:
        return None
    from tqdm import tqdm

    return tqdm(unit="doc", desc="ingest", delay=2.0, file=sys.stderr, leave=False,
                disable=enabled is None and not sys.stderr.isatty())
