"""Trigger candidates and pattern match: the first stage of the event coder.

Which words of a sentence can trigger an event, and which CAMEO code each takes. A verb is
looked up in the lexicon with its direct object and prepositions (``Lexicon.match``); a frame
verb codes the event of its open complement by class ("agreed to withdraw" → intent); a
reported obligation ("X said Y must ...") is a demand of Y; a light verb takes the code of an
event-noun object ("launched an offensive"), and a verb of harm or engagement the code of the
event noun in its "in"/"by" phrase ("died in a bomb blast"). Speech verbs are triggers only
when they report no coded event. Copular adjectives ("is upset by", ``adjectives.csv``) and
event nouns ("US pressure", ``nouns.csv``) are triggers too. Who the participants are is the
next stage's business (``roles.py``); this one only reads the words that name the action.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from ..actors.gazetteer import read_csv_rows
from .clauses import obligation
from .lexicon import Lexicon, Match, VerbRule
from .modality import modality_of
from .syntax import (
    COPULAS,
    SPEECH,
    direct_object,
    find_subject,
    fragment_predicate,
    governs,
    joint,
    noun_key,
    open_complement,
    reports,
    through_transparent,
)

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

#: Speech verbs that only say something: as a participle describing a noun ("an op-ed
#: written by", "the figures reported by") they are no statement of the actor.
PLAIN_SPEECH = {"say", "tell", "write", "report", "state", "add", "note", "post", "tweet",
                "quote", "comment", "remark", "publish", "announce"}
#: Verbs that take their meaning from an event noun object ("launched an offensive").
LIGHT_VERBS = {"announce", "declare", "order", "launch", "conduct", "stage", "hold", "begin",
               "start", "impose", "issue", "make", "mount", "continue", "resume", "undertake",
               "take", "carry", "step", "intensify", "escalate", "expand", "extend", "end",
               "call", "organize", "organise", "lead", "plan", "approve", "authorize",
               "authorise", "initiate", "unveil", "introduce", "deliver", "give", "provide",
               "speed", "accelerate", "complete", "finish", "pursue", "wage", "perform",
               "open"}
ENGAGE_VERBS = {"engage", "involve", "participate", "take", "join", "commit", "carry", "put",
                "place"}
HARM_VERBS = {"kill", "wound", "injure", "die", "hurt", "destroy", "damage"}


@dataclass(frozen=True, slots=True)
class EventWords:
    """The event nouns and adjectives: ``nouns`` maps a noun (or "modifier noun") to its code
    and the role of its "of" phrase; ``adjectives`` maps an adjective to its code and the code
    it takes when negated ("not satisfied")."""

    nouns: dict[str, tuple[str, str]]
    adjectives: dict[str, tuple[str, str | None]]
    noun_heads: frozenset[str]


@lru_cache(maxsize=1)
def event_words() -> EventWords:
    """``events/data/nouns.csv`` and ``adjectives.csv``, read once per process (treat the
    tables as read-only: every coder shares them)."""
    nouns = {r["noun"]: (r["code"], r["of_role"])
             for r in read_csv_rows("cordiale.events", "nouns.csv")}
    adjectives = {r["adjective"]: (r["code"], r.get("negated_code") or None)
                  for r in read_csv_rows("cordiale.events", "adjectives.csv")}
    return EventWords(nouns, adjectives, frozenset(noun.split()[-1] for noun in nouns))


class Trigger(NamedTuple):
    """A coded verb: ``embedded`` is the verb of the event a frame wraps ("agreed to
    *withdraw*"), ``obj`` the object the lexicon rule was chosen for."""

    verb: Token
    code: str
    rule: str
    embedded: Token | None
    obj: Token | None
    weight: float


class AdjectiveTrigger(NamedTuple):
    """A copular adjective or adjectival participle ("is upset by", "was not satisfied")."""

    verb: Token
    adjective: Token
    code: str
    rule: str
    flip: bool  # negated with a code of its own: the negation is in the code already


class NounTrigger(NamedTuple):
    noun: Token
    code: str
    rule: str
    of_role: str  # whom the noun's "of" phrase names: "source" or the target


class TriggerFinder:
    """The triggers of a sentence and their codes, from a lexicon and the event word tables."""

    def __init__(self, lexicon: Lexicon, words: EventWords):
        self.lexicon = lexicon
        self.words = words

    def verbs(self, sent: Span, verbs: list[Token], in_story: bool
              ) -> tuple[list[Trigger], set[int]]:
        """The coded verbs of a sentence, and the token indices they consumed (the
        complement a frame codes is no trigger of its own)."""
        adjectives = self.words.adjectives
        consumed: set[int] = set()
        found: list[Trigger] = []
        # pass 1: frames and lexicon verbs (speech verbs wait for pass 2)
        for verb in verbs:
            if verb.i in consumed:
                continue
            if nominal_gerund(verb) and noun_key(verb, self.words.nouns) is not None:
                continue  # "fighting between A and B erupted": an event noun, coded below
            if verb.tag_ == "VBN" and verb.lower_ in adjectives and any(
                    c.dep_ == "auxpass" for c in verb.children):
                continue  # "is committed to", "was upset by": adjectives, coded below
            result = self.code_verb(verb, consumed)
            if result is None:
                continue
            code, rule, embedded, obj, weight = result
            speech = verb.lemma_.lower() in SPEECH and not rule.startswith("frame:")
            if speech and not object_rule(rule):
                continue  # "declared a ceasefire" is an event; "declared that ..." a report
            found.append(Trigger(verb, code, rule, embedded, obj, weight))
        # pass 2: speech verbs that report no coded event are statements themselves
        for verb in verbs:
            if verb.pos_ != "VERB" or verb.i in consumed or verb.lemma_.lower() not in SPEECH:
                continue
            if verb.dep_ in ("acl", "amod", "relcl") and verb.tag_ in ("VBN", "VBG") \
                    and verb.lemma_.lower() in PLAIN_SPEECH:
                continue  # "an op-ed written by an official": a description, not a statement
            if any(f.verb.i != verb.i and reports(verb, f.verb)
                   and modality_of(f.embedded or f.verb, sent, in_story) in ("asserted",
                                                                             "intended")
                   for f in found):
                continue  # it reports a coded event: attribution, not a statement
            if verb.dep_ in ("parataxis", "ccomp", "advcl") and any(
                    governs(f.verb, verb) for f in found):
                continue  # "The UN will provide aid, the WFP said": the report, not a statement
            result = self.code_verb(verb, consumed)
            if result is not None:
                found.append(Trigger(verb, *result))
        return found, consumed

    def code_verb(self, verb: Token, consumed: set[int]
                  ) -> tuple[str, str, Token | None, Token | None, float] | None:
        """Code, rule name, embedded verb, rule object and weight of one verb; the tokens a
        frame or a demand codes are added to ``consumed``."""
        obliged = obligation(verb)
        if obliged is not None:
            # "X said that Y must free the hostages": a demand of Y
            clause, kind = obliged
            inner = through_transparent(clause)
            match = self.match(inner)
            code = self.lexicon.convert(kind, match.rule.code if match else None) \
                or "100"
            consumed.update({clause.i, inner.i})
            name = match.rule.name if match else inner.lemma_.lower()
            return (code, f"frame:{verb.lemma_.lower()}+{kind}+{name}", clause,
                    match.object_token if match else None, 0.7)
        frame = self.lexicon.frame(verb)
        comp = open_complement(verb)
        if frame is not None and frame.for_another and not (comp is not None and (
                any(c.dep_ in ("nsubj", "nsubjpass") for c in comp.children)
                or direct_object(verb) is not None)):
            frame = None  # "wants to host": the wanter's own plan, transparent
        if frame is not None and frame.kind in ("demand", "appeal") and comp is not None \
                and states_a_fact(comp):
            frame = None  # "insisted it was staged": a claim about what was, not a demand
        if frame is not None and comp is not None:
            inner = through_transparent(comp)
            match = self.match(inner)
            if match is not None and match.rule.code.startswith("15") and (
                    joint(inner) or any(c.dep_ == "conj" for s in verb.children
                                         if s.dep_ == "nsubj" for c in s.children)):
                match = Match(VerbRule(match.rule.lemma, match.rule.objects, match.rule.prep,
                                       "062"), match.object_token)  # joint drills: cooperation
            if match is None and inner.lemma_.lower() in COPULAS | {"have", "exist"}:
                own = self.match(verb)  # "agreed there was a need": the verb's own sense
                if own is not None:
                    return own.rule.code, f"verb:{own.rule.name}", None, own.object_token, 0.7
            code = self.lexicon.frame_code(frame, match.rule.code if match else None)
            consumed.update({comp.i, inner.i})
            rule = f"frame:{frame.lemma}+{match.rule.name if match else inner.lemma_.lower()}"
            return code, rule, inner, match.object_token if match else None, 0.8
        match = self.match(verb)
        if match is None:
            if frame is not None:
                return frame.default_code, f"frame:{frame.lemma}", None, direct_object(verb), 0.6
            return None
        weight = 0.7 + 0.05 * match.rule.specificity
        if match.rule.code[:2] in ("02", "10") and match.object_token is not None:
            # "repeated its demand that Chile free ...": what is demanded is not done
            consumed.update(c.i for c in verb.children if c.dep_ == "ccomp"
                            and c.i > match.object_token.i)
            consumed.update(c.i for c in match.object_token.children
                            if c.dep_ in ("ccomp", "acl") and c.pos_ in ("VERB", "AUX"))
        return match.rule.code, f"verb:{match.rule.name}", None, match.object_token, weight

    def match(self, verb: Token) -> Match | None:
        """The pattern match of one verb: its object (a passive's subject, the noun a
        participle describes) and prepositions looked up in the lexicon, then an event noun
        in place of the verb's own sense for light verbs and verbs of harm or engagement."""
        nouns = self.words.nouns
        obj = direct_object(verb)
        if obj is None and verb.dep_ == "acl" and verb.tag_ == "VBN" \
                and verb.head.pos_ == "NOUN" and not fragment_predicate(verb):
            obj = verb.head  # "data published by the agency": the noun is the object
        if obj is None and verb.lemma_.lower() not in ENGAGE_VERBS:
            # "the sailors were freed": a passive's subject is what the verb acts on
            subject, passive = find_subject(verb)
            if passive and subject is not None and subject.pos_ in ("NOUN", "PROPN"):
                obj = subject
        preps = {c.lower_ for c in verb.children if c.dep_ in ("prep", "agent", "dative")}
        match = self.lexicon.match(verb, obj, preps)
        lemma = verb.lemma_.lower()
        if lemma in ENGAGE_VERBS | HARM_VERBS:
            # "took part in a massacre", "died in a bomb blast": the noun says
            # what kind of event it was
            for prep in verb.children:
                if prep.dep_ not in ("prep", "agent") or prep.lower_ not in ("in", "by", "under"):
                    continue
                pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                key = noun_key(pobj, nouns) if pobj is not None else None
                if key is not None:
                    code = nouns[key][0]
                    return Match(VerbRule(lemma, frozenset({key}), prep.lower_, code), obj)
        if obj is not None and verb.lemma_.lower() in LIGHT_VERBS \
                and (match is None or match.rule.objects is None):
            # "announced a suspension", "ordered patrols": the noun names the event
            key = noun_key(obj, nouns)
            if key is not None:
                code = nouns[key][0]
                return Match(VerbRule(verb.lemma_.lower(), frozenset({key}), None, code), obj)
        return match

    def adjectives(self, consumed: set[int], verbs: list[Token]
                   ) -> Iterator[AdjectiveTrigger]:
        """'Russia is upset by ...', 'the US was not satisfied ...'."""
        adjectives = self.words.adjectives
        for verb in verbs:
            if verb.i in consumed:
                continue
            if verb.lemma_.lower() in COPULAS:
                adj = next((c for c in verb.children if c.dep_ == "acomp"
                            and c.lemma_.lower() in adjectives), None)
            elif verb.tag_ == "VBN" and verb.lower_ in adjectives and any(
                    c.dep_ == "auxpass" for c in verb.children):
                adj = verb  # "Russia is upset by ...": a participle used as an adjective
            else:
                adj = None
            if adj is None:
                continue
            key = adj.lower_ if adj.lower_ in adjectives else adj.lemma_.lower()
            code, negated_code = adjectives[key]
            comp = next((c for c in adj.children if c.dep_ == "xcomp"), None)
            if code.startswith("03") and comp is not None:
                inner = self.match(through_transparent(comp))  # "ready to contribute troops"
                converted = self.lexicon.convert("intent", inner.rule.code) if inner else None
                code = converted or code
            negated = any(c.dep_ == "neg" for c in [*verb.children, *adj.children])
            flip = negated and negated_code is not None
            rule = f"adjective:{'not ' if flip else ''}{key}"
            chosen = negated_code if flip and negated_code else code
            yield AdjectiveTrigger(verb, adj, chosen, rule, flip)

    def nouns(self, covered: set[int], tokens: list[Token]) -> Iterator[NounTrigger]:
        """Event nouns ("pressure", "flights", "video call") outside the ``covered`` tokens
        of coded verbs."""
        nouns, heads = self.words.nouns, self.words.noun_heads
        for noun in tokens:
            if not (noun.pos_ in ("NOUN", "PROPN") or nominal_gerund(noun)) \
                    or noun.i in covered \
                    or (noun.lemma_.lower() not in heads and noun.lower_ not in heads):
                continue
            key = noun_key(noun, nouns)
            if key is None:
                continue
            code, of_role = nouns[key]
            yield NounTrigger(noun, code, f"noun:{key}", of_role)


def nominal_gerund(tok: Token) -> bool:
    """A gerund the parser tagged as a verb where a noun stands, with no subject, object or
    auxiliary of its own: "*Fighting* between A and B erupted", "condemned the *shelling*".
    Such a word is looked up as an event noun ("fighting", "shelling"), not as a verb: a
    verb needs a subject, and the parties are in its "between" or "by" phrase."""
    return tok.tag_ == "VBG" \
        and tok.dep_ in ("nsubj", "nsubjpass", "csubj", "csubjpass", "dobj", "pobj") \
        and not any(c.dep_ in ("nsubj", "nsubjpass", "dobj", "aux", "auxpass")
                    for c in tok.children)


def object_rule(rule: str) -> bool:
    """Whether a lexicon rule name ("verb:lemma/objects/prep") requires an object."""
    parts = rule.split("/")
    return len(parts) >= 2 and bool(parts[1])


#: Auxiliaries of an indicative clause that says what was or is ("insisted it was staged",
#: "insisted they had left"); a demand's clause is subjunctive or modal ("insisted that Iran
#: stop", "insisted Iran must stop").
FACT_AUX = {"was", "were", "had", "has", "have", "is", "are", "been", "did", "does", "'s",
            "'re", "'ve", "'d"}


def states_a_fact(clause: Token) -> bool:
    """Whether a finite clause states a fact (past tense, perfect, progressive or passive)
    rather than asks for an act."""
    if clause.dep_ != "ccomp":
        return False
    if clause.tag_ == "VBD":
        return True
    return any(c.dep_ in ("aux", "auxpass") and c.lower_ in FACT_AUX for c in clause.children)
