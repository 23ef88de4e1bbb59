"""Events: the CAMEO/PLOVER ontology as data, the verb lexicon, and the coder.

The names below load on first use: the importers need only the ontology, and importing the
coder with it (its lexicon, dates and assembly) cost every ``cordiale import`` 70 ms."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .coder import EventCoder
    from .ontology import CameoCode, Ontology, load_ontology

__all__ = ["CameoCode", "EventCoder", "Ontology", "load_ontology"]

_WHERE = {"EventCoder": ".coder", "CameoCode": ".ontology", "Ontology": ".ontology",
          "load_ontology": ".ontology"}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_WHERE[name], __name__), name)
