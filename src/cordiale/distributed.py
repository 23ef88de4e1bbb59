"""Ingest on worker processes: the NLP runs on a Dask cluster, everything else on the client.

An *engine* turns a stream of documents into coded records in input order. The local engine is
:func:`cordiale.pipeline.process_documents` itself; the Dask engine cuts the stream into batches
of ``batch_size`` documents, runs ``process_documents`` on each batch on a worker and hands the
results back in input order. The client keeps what needs one view of the whole run: skipping
stored documents, near-duplicate links, failure records, progress, the commit of every batch and
the summary line. Only coded records travel back; only the client writes the database.

*Order.* The stored result does not depend on which worker finishes first: results are put back
in input order before they are committed, so batches are committed with the same documents in
the same order as a run in one process, and near-duplicate clusters (whose id is the first copy
in input order) and story ids come out the same. A document's own records depend only on its
text and date (spaCy codes each document alone), so the batch it rode in does not matter either.

*Memory.* At most ``window`` batches are in flight (submitted and not yet committed), two per
worker thread by default, so the client never holds more than that whatever the corpus size.
Each batch is coded inside spaCy's ``memory_zone``, so the strings a long run adds to the
vocabulary are freed; a worker holds one batch at a time.

*A worker that dies.* The scheduler gives a lost worker's batches to another worker (up to
``distributed.scheduler.allowed-failures`` times); the client receives each batch's result once
and the store's ``write_batch`` skips any document already stored, so nothing is lost or
written twice. A batch that kills every worker it is given is recorded as a failure of each of
its documents (kind ``worker``) and the run goes on; a re-run retries them.

*Why Dask's LocalCluster for* ``--workers N`` *rather than a ProcessPoolExecutor.* The local
workers then run exactly the code path of a real cluster (the same plugin, batching, ordering
and retry of a lost worker), so ``--workers 2`` on a laptop tests what runs on SLURM or
Kubernetes. A ProcessPoolExecutor would be lighter to start (no scheduler, about a second less)
but breaks as a whole when one of its processes dies, so we would have to write the retry that
Dask already has.
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .config import Settings
from .errors import ConfigError, CordialeError
from .records import Document, Failure, ProcessedDocument

if TYPE_CHECKING:
    from distributed import Client, Future

#: A function from documents to their coded records (or failures), in input order.
Engine = Callable[[Iterable[Document]], Iterator[ProcessedDocument | Failure]]

#: Seconds to wait for a cluster to have a worker.
WORKER_TIMEOUT = 120.0
#: Messages a local cluster's scheduler keeps per worker connection (Dask's default is 1,000).
SCHEDULER_LOG = 16
_WARM_TEXT = "France criticized Germany on Monday."


class DistributedError(CordialeError):
    """The cluster cannot be reached or cannot run cordiale."""


# -- on the worker ----------------------------------------------------------------------------
_lock = threading.Lock()
_warmed: set[Settings] = set()


def warm(settings: Settings) -> None:
    """Load the spaCy pipeline, gazetteer, resolver and lexicon into this process, once: a
    one-sentence document goes through the whole coder, so lazily built tables are built too
    (outside any memory zone, so the strings they hold stay in the vocabulary)."""
    from .pipeline import process_documents

    with _lock:
        if settings in _warmed:
            return
        doc = Document("warm-up", _WARM_TEXT, "warm-up")
        list(process_documents([doc], settings.with_(n_process=1)))
        _warmed.add(settings)


def code_batch(docs: list[Document], settings: Settings) -> list[ProcessedDocument | Failure]:
    """The task a worker runs: one batch of documents to coded records, in order."""
    from .nlp import load_nlp
    from .pipeline import process_documents

    warm(settings)  # a no-op once the plugin has run; loads here if a task came first
    nlp = load_nlp(settings.model)
    with nlp.memory_zone():  # free the strings this batch adds to the vocabulary
        return list(process_documents(docs, settings.with_(n_process=1)))


def _worker_plugin(settings: Settings) -> Any:
    from distributed.diagnostics.plugin import WorkerPlugin

    class Warm(WorkerPlugin):
        """Loads the pipeline on every worker as it joins, off the worker's event loop (so its
        heartbeats go on), before its first batch arrives; and stops the worker's profiler."""

        name = "cordiale-warm"
        idempotent = False

        def __init__(self, settings: Settings) -> None:
            self.settings = settings

        async def setup(self, worker: Any) -> None:
            # Dask's statistical profiler keeps a call tree per task prefix for the worker's
            # life; spaCy and the coder have so many distinct stacks that it grew a worker by
            # a few MB per thousand documents (and costs a sample every 10 ms)
            for name in ("profile", "profile-cycle"):
                callback = worker.periodic_callbacks.pop(name, None)
                if callback is not None:
                    callback.stop()
            await asyncio.to_thread(warm, self.settings)

    return Warm(settings)


# -- on the client ----------------------------------------------------------------------------
@dataclass
class DaskEngine:
    """Codes documents on the workers of ``client``, ``window`` batches in flight at most."""

    client: Client
    settings: Settings
    window: int | None = None

    def __call__(self, docs: Iterable[Document]) -> Iterator[ProcessedDocument | Failure]:
        from uuid import uuid4

        run = uuid4().hex[:12]
        pending: deque[tuple[Future, list[Document]]] = deque()
        batch: list[Document] = []
        seq = 0

        def submit() -> None:
            nonlocal seq
            future = self.client.submit(code_batch, batch, self.settings, pure=False,
                                        key=f"cordiale-code-{run}-{seq:08d}")
            pending.append((future, batch))
            seq += 1

        for doc in docs:
            batch.append(doc)
            if len(batch) >= self.settings.batch_size:
                submit()
                batch = []
                while len(pending) >= self._window():
                    yield from self._collect(*pending.popleft())
        if batch:
            submit()
        while pending:
            yield from self._collect(*pending.popleft())

    def _window(self) -> int:
        if self.window:
            return self.window
        return 2 * max(1, sum(self.client.nthreads().values()))

    def _collect(self, future: Future, docs: list[Document]
                 ) -> Iterator[ProcessedDocument | Failure]:
        from distributed import KilledWorker

        try:
            results = future.result()
        except KilledWorker as err:
            reason = (f"every worker that coded its batch died ({err}); re-run to retry, or "
                      "look for a document that crashes spaCy")
            results = [Failure(d.origin, reason, kind="worker") for d in docs]
        finally:
            future.release()
        yield from results


def _raise_on_errors(responses: Any, what: str) -> None:
    if not isinstance(responses, dict):
        return
    for worker, answer in responses.items():
        if isinstance(answer, dict) and answer.get("status") == "error":
            raise DistributedError(f"worker {worker} could not {what}: "
                                   f"{answer.get('exception_text') or answer.get('exception')}")


@contextmanager
def open_engine(settings: Settings, *, workers: int | None = None,
                scheduler: str | None = None) -> Iterator[Engine]:
    """The engine the settings ask for: ``scheduler`` (a Dask scheduler address) runs the NLP on
    that cluster, ``workers`` > 0 on a local cluster of that many processes, else in this process.

    Arguments override ``settings.workers`` and ``settings.scheduler``. The pipeline is loaded on
    every worker before this yields, so a caller timing the run measures coding, not loading.
    """
    workers = settings.workers if workers is None else workers
    scheduler = settings.scheduler if scheduler is None else scheduler
    check(settings.with_(workers=workers, scheduler=scheduler))
    if not scheduler and not workers:
        from .pipeline import process_documents

        yield lambda docs: process_documents(docs, settings)
        return
    with _client(workers, scheduler) as client:
        _raise_on_errors(client.register_plugin(_worker_plugin(settings)), "load the pipeline")
        yield DaskEngine(client, settings)


def check(settings: Settings) -> None:
    """Refuse, in one line, settings no engine can be opened with, before anything starts."""
    if settings.workers < 0:
        raise ConfigError(f"workers must be 0 (in this process) or more, not {settings.workers}")
    if settings.scheduler:
        _check_address(settings.scheduler)


def _check_address(address: str) -> None:
    """A one-line error for an address Dask could not even try (a Client given one hangs on
    exit trying to close a connection it never had)."""
    from distributed.comm import parse_address, parse_host_port
    from distributed.comm.registry import backends

    try:
        scheme, location = parse_address(address)
        if scheme not in backends:
            raise ValueError(f"unknown protocol {scheme!r}; known: {', '.join(sorted(backends))}")
        if scheme in ("tcp", "tls", "ws", "wss"):
            parse_host_port(location)
    except ValueError as err:
        raise DistributedError(f"{address!r} is not a Dask scheduler address ({err}); "
                               "give one like tcp://10.0.0.5:8786") from err


@contextmanager
def _client(workers: int, scheduler: str) -> Iterator[Client]:
    import logging

    from distributed import Client, LocalCluster

    if scheduler:
        try:  # waits distributed.comm.timeouts.connect (DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT)
            client = Client(scheduler, set_as_default=False)
        except (OSError, TimeoutError) as err:
            raise DistributedError(
                f"cannot reach the Dask scheduler at {scheduler!r} ({err}); start one with "
                "'dask scheduler' or correct --scheduler / CORDIALE_SCHEDULER") from err
        try:
            try:
                client.wait_for_workers(1, timeout=WORKER_TIMEOUT)
            except TimeoutError as err:
                raise DistributedError(
                    f"the Dask scheduler at {scheduler} has had no worker for "
                    f"{WORKER_TIMEOUT:.0f}s; start some with 'dask worker {scheduler}'") from err
            yield client
        finally:
            client.close()
        return
    import dask

    # The scheduler of a local cluster lives in this process, and each of its connections to a
    # worker keeps its last `low-level-log-length` (1,000) messages for debugging: every batch
    # of documents sent, up to 32,000 documents per worker held for nothing.
    with dask.config.set({"distributed.admin.low-level-log-length": SCHEDULER_LOG}):
        # on this machine only, every port picked free (the HTTP server runs, dashboard or not)
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address="127.0.0.1:0",
                               silence_logs=logging.CRITICAL)
        try:
            client = Client(cluster, set_as_default=False)
            try:
                yield client
            finally:
                client.close()
        finally:
            cluster.close()
