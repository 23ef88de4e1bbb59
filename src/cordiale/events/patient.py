"""What an event acts on when no actor is named there: "condemned *the attacks*", "launched an
investigation *into the business dealings of X*", "granted asylum *to the journalist*".

PLOVER's target is whatever the act is aimed at, actor or not. When the coder finds no
political actor in the target's place, the event still records that phrase as ``target_text``
(with its offsets), with no country, sector or code: the evidence says whom or what the act
concerned, and analyses that need two countries are unaffected.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ..actors.resolver import PLACE_NOUNS
from ..records import Mention

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

#: Prepositions that introduce what an act is aimed at ("sanctions on", "an inquiry into").
PATIENT_PREPS = ("into", "against", "on", "to", "at", "over", "with", "toward", "towards",
                 "of", "for")
#: Dependencies that end a noun phrase: a clause or another list member is not part of it.
PHRASE_ENDS = {"relcl", "acl", "advcl", "punct", "cc", "conj", "appos", "prep"}
MAX_TOKENS = 12
#: Roots whose object place is what they are about, not where they land: statements, appeals
#: and meetings ("discussed Idlib", "appealed for Aleppo"), as for a place phrase ("+place").
PLACE_BLIND_ROOTS = ("01", "02", "04")


def is_place(m: Mention) -> bool:
    """Whether a mention stands for the country of a place the text names."""
    return m.method.endswith(":implied-place")


def patient_phrase(verb: Token, obj: Token | None, names_event: bool,
                   rule_object: bool = False) -> tuple[int, int] | None:
    """Token bounds ``[start, end)`` of the phrase ``verb`` acts on.

    ``obj`` is the verb's object as the coder chose it; ``names_event`` says it names the event
    itself ("launched an *investigation*", "held *talks*"), so the patient is in its phrases;
    ``rule_object`` says the rule that coded the verb was chosen for that object ("granted
    *asylum*", "refused a *request*"): the thing given or refused, so a party it goes to or
    comes from, named or not, is whom the act concerns ("a request *from the magistrate*").
    Whom an act is aimed at is an actor where the sentence names one: a thing object yields to
    a named party in the phrases of the verb or of the object ("granted asylum *to the
    journalist*", "refused a request *from the minister*", "lifted sanctions imposed *on
    Eritrea*"), which is whom PLOVER and CAMEO name as the target.
    """
    head = patient_head(verb, obj, names_event, rule_object)
    if head is None:
        return None
    return _bounds(head)


def patient_head(verb: Token, obj: Token | None, names_event: bool,
                 rule_object: bool = False) -> Token | None:
    """The head word of :func:`patient_phrase`, or None."""
    head: Token | None = None
    if obj is not None and obj.tag_ not in ("PRP", "WP", "EX") and not _named(obj):
        head = _named_party(verb, obj)
        if head is None and rule_object:
            head = _party(verb, obj, RECIPIENT_PREPS, _if_party)
    if head is None and obj is not None and not names_event \
            and obj.tag_ not in ("PRP", "WP", "EX"):
        head = obj
    if head is None:
        for base in ([obj] if obj is not None else []) + [verb]:
            head = _prep_object(base)
            if head is not None:
                break
    if head is None or head.pos_ not in ("NOUN", "PROPN", "NUM") or head.tag_ == "PRP" \
            or head.ent_type_ in ("DATE", "TIME"):
        return None  # "on Monday" is when, not what
    return head


def patient_mention(verb: Token, obj: Token | None, names_event: bool, doc_id: str,
                    s_index: int, by_token: dict[int, list[Mention]] | None = None,
                    rule_object: bool = False,
                    places: Sequence[tuple[Mention, Span]] = ()) -> Mention | None:
    """The patient as a mention: the resolved actor there when there is one ("lifted
    sanctions imposed on *Venezuela*"), else the country of a place it names ("launched an
    offensive into *Afrin*", "stormed *Idlib* province", with the method ``...:implied-place``
    of :func:`~cordiale.events.participants.placed_mention`), else its words with no
    country."""
    head = patient_head(verb, obj, names_event, rule_object)
    if head is None:
        return None
    actors = [m for m in (by_token or {}).get(head.i, ()) if m.code]
    if actors:
        return actors[0]
    place = _place_named(head, places)
    if place is not None:
        from .participants import placed_mention

        return placed_mention(place)
    bounds = _bounds(head)
    doc = verb.doc
    span = doc[bounds[0]:bounds[1]]
    return Mention(doc_id, s_index, -1, span.text, span.start_char, span.end_char, None, None,
                   "", None, 0.3, "patient", role="patient")


def _place_named(head: Token, places: Sequence[tuple[Mention, Span]]) -> Mention | None:
    """A place with a country that the patient names: the head itself ("bombed *Afrin*"), or
    the name of a place noun ("*Idlib* province", "the city of *Aleppo*"). A place before
    any other noun says where a person or thing is from ("the *Cape Town* woman"): the act
    lands on them, not on the place."""
    if head.dep_ == "pobj" and head.head.lower_ in ("by", "from"):
        return None  # "threatened by Afrin": a place named as the doer or the origin
    named = {head.i}
    if head.lemma_.lower() in PLACE_NOUNS:
        named |= {c.i for c in head.lefts if c.dep_ in ("compound", "amod")}
        named |= {c.i for prep in head.rights if prep.dep_ == "prep" and prep.lower_ == "of"
                  for c in prep.children if c.dep_ == "pobj"}
    for m, span in places:
        if m.country and span.root.i in named:
            return m
    return None


def _prep_object(base: Token) -> Token | None:
    for prep in base.children:
        if prep.dep_ in ("prep", "dative") and prep.lower_ in PATIENT_PREPS and prep.i > base.i:
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if pobj is not None and pobj.ent_type_ not in ("DATE", "TIME"):
                return pobj
        if prep.dep_ == "dative" and prep.pos_ in ("NOUN", "PROPN"):
            return prep
    return None


#: Entity types that name a party an act can be aimed at (not a date, amount or law).
PARTY_TYPES = {"PERSON", "ORG", "GPE", "NORP"}
#: Prepositions that introduce the party an act is aimed at, received from or done by.
PARTY_PREPS = (*PATIENT_PREPS, "from", "by")


def _named(tok: Token) -> bool:
    return tok.ent_type_ in PARTY_TYPES


def _named_party(verb: Token, obj: Token) -> Token | None:
    """A named party in a prepositional phrase of the verb, of the object, or of a clause
    that describes the object ("sanctions *imposed on Eritrea*"), nearest first; or the
    country a group in such a phrase is in ("aid to people *in Somalia*")."""
    return _party(verb, obj, PARTY_PREPS, _if_named) or _party(verb, obj, PARTY_PREPS, _located)


def _if_named(tok: Token) -> Token | None:
    return tok if _named(tok) else None


def _if_party(tok: Token) -> Token | None:
    """A noun that can be a party: not a date, a time or an amount."""
    ok = tok.pos_ in ("NOUN", "PROPN") and tok.ent_type_ not in (
        "DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL")
    return tok if ok else None


def _party(verb: Token, obj: Token, preps: tuple[str, ...],
           pick: Callable[[Token], Token | None]) -> Token | None:
    """The first phrase after the verb, the object or a clause describing the object,
    introduced by one of ``preps``, in which ``pick`` finds a head."""
    bases = [verb, obj] + [c for c in obj.children if c.dep_ in ("acl", "relcl")]
    for base in bases:
        for prep in base.children:
            if prep.i <= base.i or (prep.dep_ == "agent" and base is verb):
                continue  # the act's own "by" phrase names who does it, never its patient
            if prep.dep_ in ("prep", "agent", "dative") and prep.lower_ in preps:
                pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                found = pick(pobj) if pobj is not None else None
                if found is not None:
                    return found
            elif prep.dep_ == "dative" and prep.pos_ in ("NOUN", "PROPN") \
                    and pick(prep) is prep:
                return prep  # "granted *the journalist* asylum"
    return None


#: Prepositions that introduce whom a thing goes to or comes from.
RECIPIENT_PREPS = ("to", "against", "on", "from", "by", "toward", "towards", "at", "for")


def _located(noun: Token) -> Token | None:
    """The country or place a group is placed in: "people *in Somalia*"."""
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ == "in":
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if pobj is not None and pobj.ent_type_ in ("GPE", "LOC"):
                return pobj
    return None


def _bounds(head: Token) -> tuple[int, int]:
    """The head with what stands before it in its phrase and its 'of' complement."""
    start = head.left_edge.i
    for child in head.lefts:
        if child.dep_ in PHRASE_ENDS:
            start = child.i + 1
    end = head.i + 1
    of = next((c for c in head.rights if c.dep_ == "prep" and c.lower_ == "of"), None)
    if of is not None:
        end = max(end, of.right_edge.i + 1)
    if end - start > MAX_TOKENS:
        end = head.i + 1
    return start, end
