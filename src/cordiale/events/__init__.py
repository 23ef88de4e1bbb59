"""Events: the CAMEO/PLOVER ontology as data, the verb lexicon, and the coder."""

from .coder import EventCoder
from .ontology import CameoCode, Ontology, load_ontology

__all__ = ["CameoCode", "EventCoder", "Ontology", "load_ontology"]
