"""Scoring against gold sentences in the format of ``../shared/eval`` (one JSON object a line
with ``id``, ``text``, ``date`` and ``events`` carrying ``source``/``target`` country codes).

Actor-country recall: for each gold event side that names a country, is that country among
the actors resolved in the sentence? Over-resolution: the share of resolved actors whose
country no gold event of the sentence names (a rough sign to watch, not a target: gold sets
code one event per sentence and leave bystanders out).
"""

from __future__ import annotations

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


def score_actors(path: str | Path, *, model: str = "auto") -> ActorScore:
    """Actor-country recall of the resolver on one gold file."""
    from .nlp import load_nlp
    from .pipeline import _resolver

    rows = load_gold(path)
    nlp = load_nlp(model)
    resolver = _resolver(nlp)
    result = ActorScore(Path(path).name)
    texts = [r["text"] for r in rows]
    for row, doc in zip(rows, nlp.pipe(texts, batch_size=64), strict=True):
        when = _date(row.get("date"))
        _, mentions = resolver.resolve(doc, str(row["id"]), when)
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
    return result


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def score_files(paths: Iterable[str | Path], *, model: str = "auto") -> list[ActorScore]:
    return [score_actors(p, model=model) for p in paths]
