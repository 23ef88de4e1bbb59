"""The vocabulary of the house: frozen records that flow from ingest to the store.

Every stage is a function from these records to these records, so each can be run and
tested alone and shipped between processes (all fields are plain, picklable values).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

_WS = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Canonical form of a document's text: NFC, unified newlines, trimmed lines."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.strip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def content_hash(text: str) -> str:
    """Hash that decides whether a document is already present (whitespace-insensitive)."""
    canon = _WS.sub(" ", unicodedata.normalize("NFC", text)).strip().lower()
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Document:
    """One news item as it was read, before any NLP."""

    doc_id: str
    text: str
    content_hash: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: date | None = None
    origin: str = ""  # the file (and line) it came from
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Sentence:
    doc_id: str
    sentence_index: int
    char_start: int
    char_end: int
    text: str


@dataclass(frozen=True, slots=True)
class Mention:
    """A political actor mentioned in a sentence, resolved to country, sector and code.

    ``char_start``/``char_end`` are offsets into the document text. ``method`` names the
    rule that resolved it (gazetteer, leader, title, coref, ...) so every row can be explained.
    """

    doc_id: str
    sentence_index: int
    mention_index: int
    text: str
    char_start: int
    char_end: int
    country: str | None
    sector: str | None
    code: str
    name: str | None
    confidence: float
    method: str
    role: str = "actor"  # "actor", or "place" when a capital names a location
    latitude: float | None = None  # for places and capitals
    longitude: float | None = None


@dataclass(frozen=True, slots=True)
class Failure:
    """An input that could not be read. Recorded in the store; the batch goes on."""

    origin: str
    reason: str
    line: int | None = None
    kind: str = "input"

    def __str__(self) -> str:
        where = f"{self.origin} line {self.line}" if self.line is not None else self.origin
        return f"{where}: {self.reason}"


@dataclass(frozen=True, slots=True)
class ProcessedDocument:
    """A document after NLP and actor resolution: what the store writes in one go."""

    document: Document
    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]
    words: int
    events: tuple[Event, ...] = ()


#: Field names of an event record in JSON and CSV: a stable contract other tools call.
EVENT_FIELDS = (
    "event_id", "doc_id", "sentence_index", "sentence", "date", "date_precision",
    "source_code", "source_country", "source_sector", "source_name", "source_text",
    "target_code", "target_country", "target_sector", "target_name", "target_text",
    "cameo_code", "cameo_root", "goldstein", "quad_class", "plover_type", "plover_mode",
    "trigger_text", "char_start", "char_end", "negated", "hypothetical", "attributed_to",
    "quantity", "location_name", "location_country", "latitude", "longitude", "confidence",
    "coder",
    # evidence and modality beyond the contract's minimum
    "source_start", "source_end", "target_start", "target_end", "modality", "reciprocal",
)


@dataclass(frozen=True, slots=True)
class Event:
    """Who did what to whom, when and where — with the sentence and spans that say so.

    ``char_start``/``char_end`` are the trigger's offsets into the document text, as are
    ``source_start``/``source_end`` and ``target_start``/``target_end``. ``modality`` is one of
    asserted, negated, hypothetical, question, intended, story; ``negated`` and ``hypothetical``
    are the flags analysts filter on (a question or story is hypothetical). ``coder`` names the
    rule that produced the event.
    """

    event_id: str
    doc_id: str
    sentence_index: int
    sentence: str
    date: str | None
    date_precision: str | None
    source_code: str | None
    source_country: str | None
    source_sector: str | None
    source_name: str | None
    source_text: str | None
    target_code: str | None
    target_country: str | None
    target_sector: str | None
    target_name: str | None
    target_text: str | None
    cameo_code: str
    cameo_root: str
    goldstein: float
    quad_class: int
    plover_type: str | None
    plover_mode: str | None
    trigger_text: str
    char_start: int
    char_end: int
    negated: bool
    hypothetical: bool
    attributed_to: str | None
    quantity: str | None
    location_name: str | None
    location_country: str | None
    latitude: float | None
    longitude: float | None
    confidence: float
    coder: str
    source_start: int | None = None
    source_end: int | None = None
    target_start: int | None = None
    target_end: int | None = None
    modality: str = "asserted"
    reciprocal: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in EVENT_FIELDS}
