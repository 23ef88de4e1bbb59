"""What an event acts on when no actor is named there: "condemned *the attacks*", "launched an
investigation *into the business dealings of X*", "granted asylum *to the journalist*".

PLOVER's target is whatever the act is aimed at, actor or not. When the coder finds no
political actor in the target's place, the event still records that phrase as ``target_text``
(with its offsets), with no country, sector or code: the evidence says whom or what the act
concerned, and analyses that need two countries are unaffected.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..records import Mention

if TYPE_CHECKING:
    from spacy.tokens import Token

#: Prepositions that introduce what an act is aimed at ("sanctions on", "an inquiry into").
PATIENT_PREPS = ("into", "against", "on", "to", "at", "over", "with", "toward", "towards",
                 "of", "for")
#: Dependencies that end a noun phrase: a clause or another list member is not part of it.
PHRASE_ENDS = {"relcl", "acl", "advcl", "punct", "cc", "conj", "appos", "prep"}
MAX_TOKENS = 12


def patient_phrase(verb: Token, obj: Token | None, names_event: bool) -> tuple[int, int] | None:
    """Token bounds ``[start, end)`` of the phrase ``verb`` acts on.

    ``obj`` is the verb's object as the coder chose it; ``names_event`` says it names the event
    itself ("launched an *investigation*", "held *talks*"), so the patient is in its phrases.
    """
    head: Token | None = None
    if obj is not None and not names_event and obj.tag_ not in ("PRP", "WP", "EX"):
        head = obj
    else:
        for base in ([obj] if obj is not None else []) + [verb]:
            head = _prep_object(base)
            if head is not None:
                break
    if head is None or head.pos_ not in ("NOUN", "PROPN", "NUM") or head.tag_ == "PRP" \
            or head.ent_type_ in ("DATE", "TIME"):
        return None  # "on Monday" is when, not what
    return _bounds(head)


def patient_mention(verb: Token, obj: Token | None, names_event: bool, doc_id: str,
                    s_index: int) -> Mention | None:
    bounds = patient_phrase(verb, obj, names_event)
    if bounds is None:
        return None
    doc = verb.doc
    span = doc[bounds[0]:bounds[1]]
    return Mention(doc_id, s_index, -1, span.text, span.start_char, span.end_char, None, None,
                   "", None, 0.3, "patient", role="patient")


def _prep_object(base: Token) -> Token | None:
    for prep in base.children:
        if prep.dep_ in ("prep", "dative") and prep.lower_ in PATIENT_PREPS and prep.i > base.i:
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if pobj is not None and pobj.ent_type_ not in ("DATE", "TIME"):
                return pobj
        if prep.dep_ == "dative" and prep.pos_ in ("NOUN", "PROPN"):
            return prep
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
