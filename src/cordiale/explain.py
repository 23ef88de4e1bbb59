"""An event's evidence, for people: the sentence with its actors and trigger marked, the basis
of its date, its modality and the rule that fired (``cordiale show``), and the short forms the
event table prints (who, and the words around the trigger).
"""

from __future__ import annotations

import re
from typing import Any

PRECISION_BASIS = {
    "published": "the publication date (the sentence names no earlier date for it)",
    "day": "a day the sentence names",
    "week": "a week the sentence names",
    "month": "a month the sentence names",
    "year": "a year the sentence names",
    "decade": "a decade the sentence names",
}
MODALITY_SAYS = {
    "asserted": "asserted: the text says it happened",
    "intended": "intended: a stated plan, promise or threat (coded as intent)",
    "negated": "negated: the text says it did not happen (left out of analyses)",
    "hypothetical": "hypothetical: possible, conditional, wished or alleged "
                    "(left out of analyses)",
    "question": "a question (left out of analyses)",
    "story": "part of a story, joke or analogy (left out of analyses)",
}


def actor_label(event: dict[str, Any], side: str) -> str:
    """Who stands on one side, as an analyst reads it: "Sergei Shoigu (RUSMIL)"."""
    name = event.get(f"{side}_name") or event.get(f"{side}_text")
    code = event.get(f"{side}_code")
    if name and code:
        return f"{name} ({code})"
    return str(name or code or "–")


def excerpt(sentence: str | None, trigger: str | None, width: int = 90) -> str:
    """The sentence cut to about ``width`` characters around its trigger, trigger in «»."""
    if not sentence:
        return ""
    # the trigger as a whole word ("re" of "re-establish" is not the "re" inside "agreed")
    found = re.search(rf"(?<!\w){re.escape(trigger)}(?!\w)", sentence) if trigger else None
    at = found.start() if found else (sentence.find(trigger) if trigger else -1)
    if at < 0:
        return sentence if len(sentence) <= width else sentence[: width - 1] + "…"
    end = at + len(trigger or "")
    marked = f"{sentence[:at]}«{sentence[at:end]}»{sentence[end:]}"
    if len(marked) <= width:
        return marked
    start = max(0, at - width // 3)
    stop = min(len(marked), start + width)
    start = max(0, stop - width)
    return ("…" if start else "") + marked[start:stop] + ("…" if stop < len(marked) else "")


def mark_sentence(event: dict[str, Any]) -> str:
    """The event's sentence with [S: source], [T: target] and «trigger» marked, from the
    stored offsets; the bare sentence when its offsets are not known (imported events)."""
    text, start, end = event.get("doc_text"), event.get("sentence_start"), event.get("sentence_end")
    if text is None or start is None or end is None:
        return str(event.get("sentence") or "")
    spans = []
    for lo, hi, left, right in (
            (event.get("source_start"), event.get("source_end"), "[S: ", "]"),
            (event.get("target_start"), event.get("target_end"), "[T: ", "]"),
            (event.get("char_start"), event.get("char_end"), "«", "»")):
        if lo is not None and hi is not None and start <= lo < hi <= end:
            spans.append((lo, hi, left, right))
    # insert from the end so earlier offsets stay valid; overlapping spans keep the first
    out = text[start:end]
    taken: list[tuple[int, int]] = []
    for lo, hi, left, right in sorted(spans, key=lambda s: -s[0]):
        if any(lo < b and a < hi for a, b in taken):
            continue
        taken.append((lo, hi))
        a, b = lo - start, hi - start
        out = out[:a] + left + out[a:b] + right + out[b:]
    return out


def describe(event: dict[str, Any]) -> str:
    """Every line ``cordiale show`` prints for one event."""
    precision = event.get("date_precision")
    basis = PRECISION_BASIS.get(str(precision), str(precision or "unknown"))
    origin = event.get("origin") or "cordiale"
    lines = [
        f"event     {event.get('event_id')}",
        f"code      {event.get('cameo_code')} (root {event.get('cameo_root')}, Goldstein "
        f"{event.get('goldstein')}, quad class {event.get('quad_class')}, PLOVER "
        f"{event.get('plover_type')})",
        f"source    {actor_label(event, 'source')}",
        f"target    {actor_label(event, 'target')}",
        f"date      {event.get('date') or '–'}: {basis}"
        + (f"; published {event['published']}" if event.get("published") else ""),
        f"modality  {MODALITY_SAYS.get(str(event.get('modality')), event.get('modality'))}",
    ]
    if event.get("attributed_to"):
        lines.append(f"says so   {event['attributed_to']}")
    if event.get("location_name"):
        lines.append(f"where     {event['location_name']} ({event.get('location_country')})")
    lines += [
        f"rule      {event.get('coder') or '–'}",
        f"document  {event.get('doc_id')}, sentence {event.get('sentence_index')}"
        + (f" ({event['outlet']})" if event.get("outlet") else "") + f"; origin {origin}",
        "",
        mark_sentence(event),
    ]
    return "\n".join(lines)
