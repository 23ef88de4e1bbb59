"""Where, when and how much: the place, date and quantity of a coded event, read from the
words around its trigger."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..actors.resolver import PLACE_NOUNS
from ..records import Mention
from .dates import DateRef

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


LOCATIVE_PREPS = {"in", "at", "near", "inside", "outside", "across", "throughout", "around",
                  "off", "along", "within", "over", "from"}


TIME_NOUNS = {"day", "days", "week", "weeks", "month", "months", "year", "years", "morning",
              "evening", "night", "afternoon", "weekend", "decade", "season", "quarter"}


def _period_start(value: str) -> str:
    """The first day of a date value at any precision, as ISO text ("2027" → "2027-01-01",
    "2024-03" → "2024-03-01", "2021-W47" → "2021-11-22", "1990s" → "1990-01-01")."""
    head = value.rstrip("s")
    if "-W" in head:
        year, week = head.split("-W")
        try:
            return date.fromisocalendar(int(year), int(week[:2]), 1).isoformat()
        except ValueError:
            return f"{year}-01-01"
    parts = head.split("-")
    return "-".join([*parts, *["01"] * (3 - len(parts))])


def choose_date(dates: list[DateRef], sent: Span, verb: Token,
                 published: date | None) -> tuple[str | None, str | None]:
    if dates:
        # a year that modifies a noun names that thing's date ("the 1951 treaty"), not the event's
        # (the head inside the date itself, "August" of "August 2013", is the date's own)
        naming = [(t.idx - sent.start_char, t.head.idx - sent.start_char) for t in sent
                  if t.dep_ in ("compound", "nummod", "amod", "nmod")
                  and t.head.pos_ in ("NOUN", "PROPN") and t.head.lower_ not in TIME_NOUNS]
        dates = [d for d in dates if not any(d.start <= p < d.end and not d.start <= h < d.end
                                             for p, h in naming)]
        subtree = {t.idx - sent.start_char for t in verb.subtree}
        inside = [d for d in dates if any(d.start <= p < d.end for p in subtree)]
        pool = inside or [d for d in dates if not d.historical]
        if pool:
            offset = verb.idx - sent.start_char
            best = min(pool, key=lambda d: abs(d.start - offset))
            if published is None or _period_start(best.value) <= published.isoformat():
                return best.value, best.precision
            # a clause about a later date ("exercises in 2027") reports a plan or a forecast,
            # which is news on the day it is published: the event is dated then, never after
            return published.isoformat(), "published"
    if published is not None:
        return published.isoformat(), "published"
    return None, None


def choose_place(places: list[tuple[Mention, Span]], verb: Token,
                  by_token: dict[int, list[Mention]], sources: list[Mention],
                  targets: list[Mention]) -> Mention | None:
    subtree = {t.i for t in verb.subtree}
    # a place inside the subject describes the actor ("a missionary from Calgary"), not the event
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            subtree -= {t.i for t in child.subtree}
    best = None
    for m, span in places:
        head = span.root
        located = (head.dep_ == "pobj" and head.head.lower_ in LOCATIVE_PREPS) or (
            head.dep_ == "dobj" and head.head.i == verb.i) or of_place(head)
        if head.i in subtree and located \
                and (best is None or abs(head.i - verb.i) < abs(best[1] - verb.i)):
            best = (m, head.i)
    if best:
        return best[0]
    # a country in a place phrase ("fighting in Syria") that is not already an actor here
    used = {id(m) for m in sources + targets}
    for tok in verb.subtree:
        if tok.dep_ == "pobj" and ((tok.head.lower_ in ("in", "inside", "across", "throughout")
                                   and _phrase_of(tok.head, verb)) or of_place(tok)):
            for m in by_token.get(tok.i, []):
                if id(m) not in used and m.sector is None:
                    return m
    return None


def _phrase_of(prep: Token, verb: Token) -> bool:
    """Whether a prepositional phrase belongs to ``verb`` directly or to one of its noun
    arguments, without crossing into another clause ("send troops to a mission in X")."""
    tok = prep.head
    for _ in range(4):
        if tok.i == verb.i:
            return True
        if not ((tok.pos_ in ("NOUN", "PROPN", "ADP") and tok.dep_ in ("dobj", "pobj", "prep"))
                or (tok.pos_ == "VERB" and tok.dep_ == "xcomp")):  # "ready to send troops in"
            return False
        tok = tok.head
    return False


def of_place(tok: Token) -> bool:
    """'the city of Basra', 'a district of eastern Beirut': a place inside a place phrase."""
    prep = tok.head
    if tok.dep_ != "pobj" or prep.lower_ != "of" or prep.head.lemma_.lower() not in PLACE_NOUNS:
        return False
    noun = prep.head
    return (noun.dep_ == "pobj" and noun.head.lower_ in LOCATIVE_PREPS | {"of"}) or any(
        c.lower_ in ("outside", "inside", "near") for c in noun.lefts)


def find_quantity(verb: Token) -> str | None:
    for child in verb.children:
        if child.dep_ not in ("dobj", "nsubj", "nsubjpass", "pobj", "attr", "prep"):
            continue
        nouns = [child] if child.dep_ != "prep" else [c for c in child.children
                                                        if c.dep_ == "pobj"]
        for noun in nouns:
            nums = [c for c in noun.children if c.dep_ == "nummod" and c.like_num]
            if nums:
                doc = noun.doc
                return doc[nums[0].i:noun.i + 1].text
    return None
