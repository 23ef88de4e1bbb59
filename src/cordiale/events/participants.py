"""Who the participants of an event are when the text leaves them implicit: domestic targets,
perpetrators placed where they acted, roles that take a counterpart's country, weapons that name
their wielder, and the de-duplication of the events of one trigger.

Helpers shared by the participant stage (``roles.py``, which reads each trigger's sources and
targets from the parse) and the assembly stage (``assembly.py``, which completes them from the
event's place)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..actors.resolver import make_code
from ..records import Event, Mention
from .syntax import actors_at, direct_object, nested_prep_targets, prep_targets

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


def purpose_targets(verb: Token, by_token: dict[int, list[Mention]]) -> list[Mention]:
    """The actor a protest is aimed at, named in its purpose clause ("blocked a road to show
    their anger at Washington's policy")."""
    for clause in verb.children:
        if clause.dep_ in ("advcl", "xcomp") and any(c.lower_ == "to" and c.dep_ == "aux"
                                                      for c in clause.children):
            found = prep_targets(clause, by_token)
            obj = direct_object(clause)
            if not found and obj is not None:
                found = actors_at(obj, by_token) or nested_prep_targets(obj, by_token)
            if found:
                return found
    return []


CIVILIAN_WORDS = {"people", "civilian", "child", "man", "woman", "protester", "demonstrator",
                  "journalist", "worker", "student", "villager", "resident", "passenger",
                  "pilgrim", "refugee", "family", "person", "teenager", "boy", "girl", "doctor",
                  "nurse", "teacher", "priest", "worshipper", "shopper", "farmer"}


CIVILIAN_SECTORS = {"CVL", "REF", "MED", "REL", "EDU", "HLH", "LAB", "AGR", "HRI"}


def is_civilian(victim: Token | None, targets: list[Mention]) -> bool:
    if targets:
        return all(t.sector in CIVILIAN_SECTORS for t in targets)
    return victim is not None and victim.lemma_.lower() in CIVILIAN_WORDS


def instrument_actors(verb: Token, by_token: dict[int, list[Mention]]) -> list[Mention]:
    """Who wielded the weapon a passive names: "killed in Israeli shelling" → Israel."""
    for prep in verb.children:
        if prep.dep_ in ("prep", "agent") and prep.lower_ in ("in", "by", "during"):
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if pobj is not None and pobj.pos_ == "NOUN":
                found = [m for c in pobj.lefts if c.dep_ in ("amod", "compound", "poss", "nmod")
                         for m in actors_at(c, by_token) if m.country]
                if found:
                    return found
    return []


def is_commercial(source: Mention | None, target: Mention | None) -> bool:
    """Whether only businesses act on both sides (any country named is a company's)."""
    sides = [m for m in (source, target) if m is not None]
    located = [m for m in sides if m.country]
    if located:
        return all(m.sector == "BUS" for m in located)
    return any(m.sector == "BUS" for m in sides)


CIVIL_SECTORS = {"HLH", "EDU", "BUS", "AGR", "LAB", "MED", "REL"}


def unplaced_civil(source: Mention | None, target: Mention | None) -> bool:
    """Whether the event involves only civil-society roles and no country at all."""
    sides = [m for m in (source, target) if m is not None]
    return bool(sides) and not any(m.country for m in sides) and (
        source is not None and source.sector in CIVIL_SECTORS)


def is_ethnic(doc: Doc, m: Mention) -> bool:
    """Whether a mention is a demonym used for an ethnic group ("ethnic Albanians")."""
    span = doc.char_span(m.char_start, m.char_end, alignment_mode="expand")
    return bool(span is not None and span.start > 0 and doc[span.start - 1].lower_ == "ethnic"
                and m.method == "gazetteer:demonym")


def placeable(m: Mention) -> bool:
    """Whether a country-less actor may take a country from around it: a role ("police"),
    not a name nobody knows."""
    return bool(m.sector)


def inherit_country(m: Mention, country: str) -> Mention:
    """A country-less actor placed in its counterpart's country: in "police dispersed
    protesters", both sides are of the country the text is about. Only a role is placed so
    ("police", "protesters"): a name the dictionaries do not know keeps no country, since
    acting in or beside a country says nothing of whose it is (an unknown "Trump" keeping
    troops in Iraq is no Iraqi)."""
    if not placeable(m):
        return m
    return replace(m, country=country, code=make_code(country, m.sector),
                   confidence=min(m.confidence, 0.4), method=f"{m.method}:inherited")


def country_mention(m: Mention) -> Mention:
    """The country a mention belongs to, as an actor of its own (no sector, no name)."""
    # offsets -1: an implied actor with no span of its own in the text
    return replace(m, sector=None, code=m.country or "", name=None, role="actor", text="",
                   char_start=-1, char_end=-1, confidence=min(m.confidence, 0.5),
                   method=f"{m.method}:implied")


def placed_mention(m: Mention) -> Mention:
    """The country of a place the text names, as an actor whose evidence is the place's
    words: "arrived in [Amman]" visits Jordan, "shelled positions in [Idlib]" targets Syria."""
    if m.char_start < 0:
        return country_mention(m)
    return replace(country_mention(m), text=m.text, char_start=m.char_start,
                   char_end=m.char_end, method=f"{m.method}:implied-place")


def same_actor(a: Mention, b: Mention) -> bool:
    if a.char_start < 0 or b.char_start < 0:
        return False  # an implied country (a domestic target, a located perpetrator)
    return ((a.char_start, a.char_end) == (b.char_start, b.char_end) and a.code == b.code) \
        or (a.code == b.code and a.name == b.name and a.country == b.country)


def unique_mentions(ms: list[Mention]) -> list[Mention]:
    seen, out = set(), []
    for m in ms:
        key = (m.char_start, m.country, m.code)
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


def dedupe_events(events: list[Event]) -> list[Event]:
    """One event per id; an untargeted or countryless copy of a fuller event is dropped."""
    full = {(e.source_country, e.cameo_code, e.char_start) for e in events if e.target_country}
    with_source = {(e.cameo_code, e.char_start, e.target_country) for e in events
                   if e.source_country}
    seen, out = set(), []
    for e in events:
        if e.target_country is None and (e.source_country, e.cameo_code, e.char_start) in full:
            continue
        if e.source_country is None and (e.cameo_code, e.char_start,
                                         e.target_country) in with_source:
            continue
        if e.event_id not in seen:
            seen.add(e.event_id)
            out.append(e)
    return out


#: Head words of actors that are institutions, not people ("he" cannot be a ministry).
INSTITUTIONS = {"ministry", "government", "department", "office", "agency", "army", "police",
                "council", "parliament", "court", "embassy", "committee", "commission",
                "party", "union", "administration", "military", "navy", "force", "forces",
                "cabinet", "authority", "authorities", "group", "organisation",
                "organization", "company", "firm", "bank", "media", "newspaper"}


def is_institution(m: Mention) -> bool:
    words = m.text.lower().split()
    return m.method.startswith("gazetteer") or bool(words and words[-1] in INSTITUTIONS)


def located_in(noun: Token, by_token: dict[int, list[Mention]]) -> list[Mention]:
    """Countries named in an "in" phrase of a noun ("peacekeepers in Sudan"), or in the
    participle that describes it ("refugees fleeing the fighting in Sudan")."""
    heads = [noun]
    for clause in noun.children:
        if clause.dep_ == "acl" and clause.pos_ == "VERB":
            heads.append(clause)
            obj = direct_object(clause)
            if obj is not None:
                heads.append(obj)
    for head in heads:
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ in ("in", "inside", "from"):
                pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                found = [m for m in actors_at(pobj, by_token) if m.country]
                if found:
                    return found
    return []
