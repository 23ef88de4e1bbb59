"""The verb lexicon: which verb (with which object and preposition) codes which CAMEO event,
and which verbs frame another event ("agreed to withdraw", "urged Iran to release").

Read from ``events/data/verbs.csv``, ``frames.csv`` and ``frame_codes.csv``; the most specific
row wins: lemma+object+prep, then lemma+object, lemma+prep, lemma, then any-verb+object.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..actors.gazetteer import read_csv_rows
from ..errors import DataFileError
from .dictionary import NULL, VerbDictionary, default_dictionary

if TYPE_CHECKING:
    from spacy.tokens import Token


PARTICLES = {"out", "down", "up", "off", "back", "away", "over", "aside"}


@dataclass(frozen=True, slots=True)
class VerbRule:
    lemma: str
    objects: frozenset[str] | None
    prep: str | None
    code: str
    origin: str = ""  # the dictionary file and line of a rule that came from PETRARCH-2

    @property
    def specificity(self) -> int:
        return 2 * (self.objects is not None) + (self.prep is not None)

    @property
    def name(self) -> str:
        obj = "|".join(sorted(self.objects)) if self.objects else ""
        where = f"@{self.origin}" if self.origin else ""
        return f"{self.lemma}/{obj}/{self.prep or ''}{where}"


@dataclass(frozen=True, slots=True)
class Frame:
    lemma: str
    kind: str  # intent | appeal | demand | threat | reject | deny
    default_code: str
    for_another: bool = False  # only a clause whose actor is someone else ("wants X to")


@dataclass(frozen=True, slots=True)
class Match:
    rule: VerbRule
    object_token: Token | None


class Lexicon:
    def __init__(self, rules: list[VerbRule], frames: dict[str, Frame],
                 frame_codes: dict[tuple[str, str], str],
                 dictionary: VerbDictionary | None = None) -> None:
        self.dictionary = dictionary
        self.by_lemma: dict[str, list[VerbRule]] = defaultdict(list)
        self.any_verb: dict[str, VerbRule] = {}
        for rule in rules:
            if rule.lemma == "*":
                for obj in rule.objects or ():
                    self.any_verb.setdefault(obj, rule)
            else:
                self.by_lemma[rule.lemma].append(rule)
        for lemma in self.by_lemma:
            self.by_lemma[lemma].sort(key=lambda r: -r.specificity)
        self.frames = frames
        self.frame_codes = frame_codes

    def lemmas(self, verb: Token) -> list[str]:
        """The verb's lemma, phrasal form first ("carry out" before "carry")."""
        lemma = verb.lemma_.lower()
        # spaCy often parses a particle as a preposition or adverb ("forced UNHCR out of",
        # "stepped down"): those count too when they follow the verb
        particles = [c.lower_ for c in verb.children if c.dep_ == "prt" or (
            c.dep_ in ("prep", "advmod") and c.lower_ in PARTICLES and c.i > verb.i)]
        return [f"{lemma} {p}" for p in particles] + [lemma]

    def frame(self, verb: Token) -> Frame | None:
        for lemma in self.lemmas(verb):
            if lemma in self.frames:
                return self.frames[lemma]
        return None

    def frame_code(self, frame: Frame, embedded: str | None) -> str:
        return self.convert(frame.kind, embedded) or frame.default_code

    def convert(self, kind: str, code: str | None) -> str | None:
        """The ``kind`` (intent, threat, demand, ...) code for an embedded event ``code``,
        trying the full code, then its 3-digit parent, then its root."""
        if not code:
            return None
        for probe in (code, code[:3], code[:2]):
            found = self.frame_codes.get((kind, probe))
            if found:
                return found
        return None

    def match(self, verb: Token, obj: Token | None, preps: set[str]) -> Match | None:
        """The code for ``verb`` with object ``obj`` and prepositions ``preps``.

        Two layers. The project's own rows (``verbs.csv``) come first: the override layer,
        each row a codebook sense. A bare-verb row yields where the PETRARCH-2 dictionary
        has a pattern coded ``---`` whose noun fits ("paid dividends" is no event, whatever
        "pay" means elsewhere). Then the dictionary's patterns that a noun decides (the
        object, the subject or a preposition's object), matched on the parse
        (``events/dictionary.py``). Patterns that ask only for a preposition, a particle or
        an actor, and the dictionary's bare-verb codes, are not used: measured on half A of
        the development files they coded commoner, non-political senses more often than not.
        The dictionary is asked only when the project's row is missing or names the verb
        alone.
        """
        own = self._own(verb, obj, preps)
        if own is not None and (own.rule.specificity or " " in own.rule.lemma):
            return own  # a row that names an object, a preposition or a particle decides
        found = self._dictionary(verb, obj)
        if own is not None:
            if found is not None and found.rule.code == NULL:
                return None  # "paid dividends": the dictionary says no event here
            return own
        if found is not None:
            return None if found.rule.code == NULL else found
        for form in noun_forms(obj) if obj is not None else []:
            if form in self.any_verb:
                return Match(self.any_verb[form], obj)
        return None

    def _own(self, verb: Token, obj: Token | None, preps: set[str]) -> Match | None:
        obj_forms = noun_forms(obj) if obj is not None else []
        for lemma in self.lemmas(verb):
            for rule in self.by_lemma.get(lemma, ()):
                if rule.objects is not None and not any(f in rule.objects for f in obj_forms):
                    continue
                if rule.prep is not None and rule.prep not in preps:
                    continue
                return Match(rule, obj)
        return None

    def _dictionary(self, verb: Token, obj: Token | None) -> Match | None:
        """The dictionary's noun-decided pattern for the verb, as a rule of this lexicon."""
        if self.dictionary is None:
            return None
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children) or (
            verb.tag_ == "VBN" and verb.dep_ == "acl")
        found = self.dictionary.match(verb, obj, passive)
        if found is None:
            return None
        rule = VerbRule(found.lemma, found.object_forms, found.prep, found.code, found.source)
        return Match(rule, obj if found.object_forms else None)


def noun_forms(tok: Token) -> list[str]:
    """Lemma forms of a noun, longest first: 'air strike', then 'strike'."""
    head = tok.lemma_.lower()
    mods = [c for c in tok.lefts if c.dep_ in ("compound", "amod") and c.i == tok.i - 1]
    forms = [head]
    if mods:
        forms.insert(0, f"{mods[0].lower_} {head}")
        forms.insert(0, f"{mods[0].lower_}{head}")  # airstrike
    if tok.lower_ != head:
        forms.append(tok.lower_)
    return forms


def _split(value: str) -> frozenset[str] | None:
    items = frozenset(v.strip().lower() for v in value.split("|") if v.strip())
    return items or None


def build_lexicon(directory: Path | None = None) -> Lexicon:
    rules = []
    for row in read_csv_rows("cordiale.events", "verbs.csv", directory):
        if not row.get("lemma") or not row.get("code"):
            raise DataFileError(f"events/data/verbs.csv: row without lemma or code: {row}")
        rules.append(VerbRule(row["lemma"].lower(), _split(row.get("object", "")),
                              row.get("prep", "").lower() or None, row["code"]))
    frames = {}
    for row in read_csv_rows("cordiale.events", "frames.csv", directory):
        frames[row["lemma"].lower()] = Frame(row["lemma"].lower(), row["class"],
                                             row["default_code"],
                                             row.get("for", "") == "another")
    frame_codes = {}
    for row in read_csv_rows("cordiale.events", "frame_codes.csv", directory):
        frame_codes[(row["class"], row["embedded_root"].zfill(2))] = row["code"]
    # embedded_root may be a root ("04") or a finer code ("045", "0831"): both are keys
    return Lexicon(rules, frames, frame_codes,
                   default_dictionary() if directory is None else None)


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    return build_lexicon()
