"""Scoring against gold sentences in the format of ``../shared/eval`` (one JSON object a line
with ``id``, ``text``, ``date``, ``relevant`` and ``events`` with ``source``/``target`` country
codes, ``cameo``, ``root`` and ``plover``).

Event metrics are defined in ../shared/eval/README.md and computed here exactly as the
reference scorer ``score.py`` computes them (a test checks that the two agree): type recall,
dyad+type recall, span dyad+type recall (gold actor spans instead of countries), event
precision and relevance F1. ``half_of`` splits every gold file into two fixed halves by a hash
of the sentence id, so that rules written against half A can be checked on half B.

Actor-country recall: for each gold event side that names a country, is that country among
the actors resolved in the sentence? Over-resolution: the share of resolved actors whose
country no gold event of the sentence names (a rough sign to watch, not a target: gold sets
code one event per sentence and leave bystanders out).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .errors import InputError

ALIASES = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}


def gold_country(code: Any) -> str | None:
    if not code:
        return None
    code = str(code).upper()[:3]
    return ALIASES.get(code, code)


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as err:
                raise InputError(str(path), f"not JSON ({err.msg})", line=number) from err
    return rows


@dataclass
class ActorScore:
    file: str
    sentences: int = 0
    gold_sides: int = 0
    found_sides: int = 0
    resolved: int = 0
    unnamed: int = 0
    misses: list[tuple[str, str, list[str]]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found_sides / self.gold_sides if self.gold_sides else 0.0

    @property
    def over_resolution(self) -> float:
        return self.unnamed / self.resolved if self.resolved else 0.0

    def row(self) -> dict[str, Any]:
        return {"file": self.file, "sentences": self.sentences, "gold_sides": self.gold_sides,
                "actor_country_recall": round(self.recall, 4),
                "resolved_actors": self.resolved,
                "unnamed_by_gold": round(self.over_resolution, 4)}


@dataclass
class EventScore:
    """The metrics of ../shared/eval/README.md, computed as its score.py computes them."""

    sentences: int = 0
    events_predicted: int = 0
    relevance_f1: float = 0.0
    type_recall: float | None = None
    dyad_type_recall: float | None = None
    event_precision: float = 0.0
    span_dyad_type_recall: float | None = None

    def row(self) -> dict[str, Any]:
        return {"events": self.events_predicted, "type_recall": _r(self.type_recall),
                "dyad_type_recall": _r(self.dyad_type_recall),
                "span_dyad_type_recall": _r(self.span_dyad_type_recall),
                "event_precision": _r(self.event_precision),
                "relevance_f1": _r(self.relevance_f1)}


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _root(event: dict[str, Any]) -> str | None:
    return event.get("cameo_root") or (event.get("cameo_code") or "")[:2] or None


def event_matches(pred: dict[str, Any], gold: dict[str, Any], countries: bool = True) -> bool:
    """A predicted event matches a gold one on every field the gold event fills."""
    if gold.get("root") and _root(pred) != gold["root"]:
        return False
    if gold.get("plover") and not gold.get("root") \
            and (pred.get("plover_type") or "").upper() != gold["plover"]:
        return False
    if countries:
        for side in ("source", "target"):
            want = gold_country(gold.get(side))
            if want and gold_country(pred.get(f"{side}_country")) != want:
                return False
    return True


#: Words that carry no content when gold and predicted actor spans are compared (score.py's).
SPAN_STOP = {"the", "a", "an", "of", "and", "in", "on", "for", "to", "by", "its", "his", "her",
             "their", "s", "'s"}


def _words(text: Any) -> set[str]:
    cleaned = "".join(c.lower() if c.isalnum() else " " for c in str(text or ""))
    return {w for w in cleaned.split() if w not in SPAN_STOP}


def spans_match(pred: dict[str, Any], gold: dict[str, Any]) -> bool:
    """Each actor span the gold gives shares a content word with the predicted actor's text."""
    for side in ("source", "target"):
        want = gold.get(f"{side}_text")
        if want and not (_words(want) & _words(pred.get(f"{side}_text"))):
            return False
    return True


def score_events(gold_rows: list[dict[str, Any]], predictions: Iterable[dict[str, Any]]
                 ) -> EventScore:
    """Type recall, dyad+type recall, event precision and relevance F1 over gold sentences.

    Negated and hypothetical events are not asserted facts and are left out of every metric.
    """
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for p in predictions:
        if p.get("hypothetical") or p.get("negated"):
            continue
        by_doc.setdefault(str(p.get("doc_id")), []).append(p)
    tp = fp = fn = 0
    type_hit = type_n = dyad_hit = dyad_n = pred_total = pred_ok = span_hit = span_n = 0
    for g in gold_rows:
        preds = by_doc.get(str(g["id"]), [])
        relevant = bool(g.get("relevant"))
        said = bool(preds)
        tp += said and relevant
        fp += said and not relevant
        fn += (not said) and relevant
        typed = [e for e in g.get("events", []) if e.get("root") or e.get("plover")]
        if typed:
            type_n += 1
            type_hit += any(event_matches(p, e, False) for p in preds for e in typed)
        dyadic = [e for e in typed if e.get("source")]
        if dyadic:
            dyad_n += 1
            dyad_hit += any(event_matches(p, e) for p in preds for e in dyadic)
        spanned = [e for e in typed if e.get("source_text") or e.get("target_text")]
        if spanned:
            span_n += 1
            span_hit += any(event_matches(p, e, False) and spans_match(p, e)
                            for p in preds for e in spanned)
        for p in preds:
            pred_total += 1
            pred_ok += relevant and any(event_matches(p, e, bool(dyadic)) for e in typed)
    return EventScore(
        sentences=len(gold_rows),
        events_predicted=pred_total,
        relevance_f1=2 * tp / (2 * tp + fp + fn) if tp else 0.0,
        type_recall=type_hit / type_n if type_n else None,
        dyad_type_recall=dyad_hit / dyad_n if dyad_n else None,
        event_precision=pred_ok / pred_total if pred_total else 0.0,
        span_dyad_type_recall=span_hit / span_n if span_n else None,
    )


@dataclass
class FileScore:
    file: str
    actors: ActorScore
    events: EventScore
    predictions: list[dict[str, Any]]

    def row(self) -> dict[str, Any]:
        return {"file": self.file, "sentences": self.actors.sentences, **self.events.row(),
                "actor_country_recall": round(self.actors.recall, 4)
                if self.actors.gold_sides else None,
                "unnamed_by_gold": round(self.actors.over_resolution, 4)
                if self.actors.gold_sides else None}


HALVES = ("A", "B")


def half_of(gold_id: Any) -> str:
    """The fixed half ("A" or "B") a gold sentence falls in, by a hash of its id.

    Rules are written and tuned against half A only; half B shows whether a change holds on
    sentences nobody looked at while writing it (docs/accuracy.md reports both).
    """
    return HALVES[hashlib.sha1(str(gold_id).encode()).digest()[0] & 1]


def score_file(path: str | Path, *, model: str = "auto", scope: str = "main",
               half: str | None = None) -> FileScore:
    """Code every gold sentence of ``path`` (or of one ``half`` of it) and score them."""
    return score_files([path], model=model, scope=scope, halves=(half,))[0]


def _code_rows(rows: list[dict[str, Any]], model: str, scope: str
               ) -> list[tuple[list[dict[str, Any]], list]]:
    """Each gold row's predicted events (as dicts) and resolved mentions."""
    from .nlp import load_nlp
    from .pipeline import actor_resolver, event_coder

    nlp = load_nlp(model)
    resolver = actor_resolver(nlp)
    coder = event_coder(scope)
    out = []
    for row, doc in zip(rows, nlp.pipe([r["text"] for r in rows], batch_size=64), strict=True):
        when = _date(row.get("date"))
        doc_id = str(row["id"])
        _, mentions = resolver.resolve(doc, doc_id, when)
        out.append(([e.as_dict() for e in coder.code(doc, mentions, doc_id, when)], mentions))
    return out


def _score_actor_row(result: ActorScore, row: dict[str, Any], mentions: list) -> None:
    found = {m.country for m in mentions if m.role == "actor" and m.country}
    named: set[str] = set()
    for event in row.get("events", []):
        for side in ("source", "target"):
            code = gold_country(event.get(side))
            if code:
                named.add(code)
    result.sentences += 1
    for code in sorted(named):
        result.gold_sides += 1
        if code in found:
            result.found_sides += 1
        else:
            result.misses.append((str(row["id"]), code, sorted(found)))
    actor_countries = [m.country for m in mentions if m.role == "actor" and m.country]
    result.resolved += len(actor_countries)
    result.unnamed += sum(1 for c in actor_countries if named and c not in named)


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def score_files(paths: Iterable[str | Path], *, model: str = "auto",
                scope: str = "main", halves: Iterable[str | None] = (None,)
                ) -> list[FileScore]:
    """Scores of each file, once per requested half (None: the whole file); each file is
    coded once whatever the halves."""
    wanted = list(halves)
    for half in wanted:
        if half is not None and half not in HALVES:
            raise ValueError(f"half must be one of {HALVES}, not {half!r}")
    scores = []
    for path in paths:
        rows = load_gold(path)
        coded = _code_rows(rows, model, scope)
        for half in wanted:
            name = Path(path).name if half is None else f"{Path(path).name}#{half}"
            actors = ActorScore(name)
            kept, predictions = [], []
            for row, (events, mentions) in zip(rows, coded, strict=True):
                if half is not None and half_of(row.get("id")) != half:
                    continue
                kept.append(row)
                predictions.extend(events)
                _score_actor_row(actors, row, mentions)
            scores.append(FileScore(name, actors, score_events(kept, predictions), predictions))
    return scores
