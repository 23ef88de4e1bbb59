"""cordiale: read the world's news, code who did what to whom, show the alliances forming.

The Python API the command line is built on::

    from cordiale import ingest, Store, resolve_actors

    summary = ingest(["news/"], db="news.duckdb")          # documents, sentences, actors
    with Store("news.duckdb", read_only=True) as store:
        columns, rows = store.mentions(country="RUS")
    mentions = resolve_actors("Defense Minister Sergei Shoigu met Wei Fenghe.",
                              published=date(2021, 11, 23))
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .records import Mention

__all__ = [
    "ActorResolver",
    "Document",
    "Failure",
    "IngestSummary",
    "Mention",
    "Settings",
    "Store",
    "__version__",
    "ingest",
    "load_nlp",
    "load_settings",
    "read_inputs",
    "resolve_actors",
]


def resolve_actors(text: str, *, published: date | None = None, doc_id: str = "text",
                   model: str = "auto") -> list[Mention]:
    """Resolve every actor mention in ``text`` (as of ``published``) without a database."""
    from .nlp import load_nlp
    from .pipeline import actor_resolver

    nlp = load_nlp(model)
    _, mentions = actor_resolver(nlp).resolve(nlp(text), doc_id, published)
    return mentions


def __getattr__(name: str):  # lazy: `cordiale --help` must not import spaCy
    if name in ("ingest", "IngestSummary"):
        from . import pipeline
        return getattr(pipeline, name)
    if name == "Store":
        from .store import Store
        return Store
    if name in ("Settings", "load_settings"):
        from . import config
        return getattr(config, name)
    if name in ("Document", "Failure", "Mention"):
        from . import records
        return getattr(records, name)
    if name == "load_nlp":
        from .nlp import load_nlp
        return load_nlp
    if name == "read_inputs":
        from .ingest import read_inputs
        return read_inputs
    if name == "ActorResolver":
        from .actors import ActorResolver
        return ActorResolver
    raise AttributeError(f"module 'cordiale' has no attribute {name!r}")
