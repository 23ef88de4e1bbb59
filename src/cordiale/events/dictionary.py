"""The PETRARCH-2 verb dictionaries, matched on the dependency parse.

``tools/build_verb_dictionary.py`` turns the curated CAMEO verb dictionaries of the Open Event
Data Alliance (PETRARCH-2, MIT) into ``events/data/dict_*.csv``: about 1,800 verbs in 397
synonym blocks, each block with patterns that refine the bare verb's code by what surrounds it.
Here a pattern is read off the parse, not off the word sequence: its noun before the verb is
the verb's subject, its noun after the verb the head of the direct object (modifiers must stand
before it), its particle a ``prt`` child, and each ``(PREP noun)`` a preposition hanging on the
verb or on its object, whose object has that head. ``&NAME`` is any term of a synonym set,
``+``/``$`` any actor, ``word~`` a TABARI stem. A passive verb takes the pattern's passive code
(``[active:passive]``); a passive-only pattern never fits an active verb. Of the patterns that
fit, the one that constrains most wins; a pattern coded ``---`` says the verb codes nothing
there ("foiled a plot" is no event). Only patterns a noun decides (the object's head, a
preposition's object or the subject) are used, and a verb none of whose patterns fits gives
nothing: the blocks' bare-verb codes and the preposition- or actor-only patterns stay in the data
but coded the commoner, non-political sense more often than not on the development files.

The dictionary is compiled once per process (``default_dictionary``): indexes by lemma, block
and synonym set, so matching a verb looks at its own block only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..actors.gazetteer import read_csv_rows

if TYPE_CHECKING:
    from spacy.tokens import Token

NULL = "---"
MARKERS = {"+", "$"}
#: Dependencies that carry an argument of a verb or noun (not a new clause).
PREP_DEPS = {"prep", "agent", "dative", "prt"}


@dataclass(frozen=True, slots=True)
class Slot:
    """A noun slot: head word (or ``&SET``, or an actor marker, or empty) and modifiers."""

    head: str
    mods: tuple[str, ...] = ()

    @property
    def word(self) -> bool:
        return bool(self.head) and self.head not in MARKERS


@dataclass(frozen=True, slots=True)
class Pattern:
    block: str
    subject: Slot | None
    obj: Slot | None
    particle: str
    preps: tuple[tuple[str, Slot | None], ...]
    code: str
    passive_code: str
    layer: str
    source: str

    @property
    def weight(self) -> int:
        """How much the pattern constrains: more constraints win over fewer."""
        score = 0
        for slot, points in ((self.subject, 2), (self.obj, 3)):
            if slot is not None:
                score += (points if slot.word else 1) + len(slot.mods)
        score += bool(self.particle)
        for _, slot in self.preps:
            score += 1 + (2 + len(slot.mods) if slot is not None and slot.word else 0)
        return score


@dataclass(frozen=True, slots=True)
class DictVerb:
    lemma: str
    before: tuple[str, ...]
    after: tuple[str, ...]
    block: str
    layer: str
    source: str


@dataclass(frozen=True, slots=True)
class DictMatch:
    """What the dictionary says of a verb: the code (``---``: no event), the pattern behind
    it, and the object forms and first preposition (with a noun) the pattern used."""

    code: str
    source: str
    lemma: str
    object_forms: frozenset[str] | None
    prep: str | None


def singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


class VerbDictionary:
    def __init__(self, verbs: list[DictVerb], patterns: list[Pattern],
                 synsets: dict[str, list[Slot]], forms: dict[str, str]) -> None:
        self.verbs: dict[str, list[DictVerb]] = defaultdict(list)
        for verb in verbs:
            self.verbs[verb.lemma].append(verb)
        for entries in self.verbs.values():  # multi-word verbs first, the new layer first
            entries.sort(key=lambda v: (-(len(v.before) + len(v.after)), v.layer != "cameo2"))
        self.patterns: dict[str, list[Pattern]] = defaultdict(list)
        for pattern in patterns:
            self.patterns[pattern.block].append(pattern)
        self.synsets = synsets
        self.forms = forms
        # Only patterns that a noun decides are ever used (see the module note); each is indexed
        # by the words its anchor noun can be (the object's head, else a preposition's
        # object, else the subject; a synonym set's every member), so a verb is tried
        # against the few patterns its own nouns can fit, not its whole block.
        self._by_word: dict[str, dict[str, list[tuple[int, Pattern]]]] = {}
        for block, members in self.patterns.items():
            by_word: dict[str, list[tuple[int, Pattern]]] = defaultdict(list)
            for order, pattern in enumerate(members):
                anchor = _anchor(pattern)
                if anchor is None:
                    continue  # nothing but a preposition, a particle or an actor: not used
                for key in self._keys(anchor.head):
                    by_word[key].append((order, pattern))
            self._by_word[block] = dict(by_word)

    def _keys(self, head: str) -> set[str]:
        """Index keys of a slot's head: each word it fits, singular and plural, or for a
        TABARI stem its first three letters (tokens look up their own first three too)."""
        heads = [m.head for m in self.synsets.get(head, ())] if head.startswith("&") \
            else [head]
        out: set[str] = set()
        for word in heads:
            if word.endswith("~"):
                out.add("~" + word[:3])
            else:
                out.update((word, singular(word)))
        return out

    def _candidates(self, block: str, keys: set[str]) -> list[Pattern]:
        by_word = self._by_word.get(block, {})
        found: dict[int, Pattern] = {}
        for key in keys:
            found.update(by_word.get(key, ()))
        return [found[order] for order in sorted(found)]

    # ------------------------------------------------------------------------------------
    def match(self, verb: Token, obj: Token | None, passive: bool) -> DictMatch | None:
        """The code a noun-decided pattern gives ``verb`` with direct object ``obj`` (None: no
        verb of the dictionary, or none of its patterns fits)."""
        lemma = verb.lemma_.lower()
        entries = self.verbs.get(lemma) or self.verbs.get(self.forms.get(verb.lower_, ""), [])
        if not entries:
            return None
        entries = [e for e in entries if _fits_words(verb, e)]
        if not entries:
            return None
        subject = _subject(verb)
        phrases = _phrases(verb, obj)
        keys: set[str] = set()
        for tok in (obj, subject, *(pobj for _, pobj in phrases)):
            if tok is not None:
                lemma, lower = tok.lemma_.lower(), tok.lower_
                keys.update((lemma, lower, "~" + lemma[:3], "~" + lower[:3]))
        best: tuple[int, Pattern] | None = None
        for tabari in (False, True):  # the older file's patterns only where none fits
            for entry in entries:
                if entry.block.startswith("tabari:") != tabari:
                    continue
                for pattern in self._candidates(entry.block, keys):
                    code = pattern.passive_code or pattern.code if passive else pattern.code
                    if not code:
                        continue
                    if not self._fits(pattern, verb, subject, obj, phrases):
                        continue
                    if best is None or pattern.weight > best[0]:
                        best = (pattern.weight, pattern)
            if best is not None:
                break
        if best is None:
            return None
        pattern = best[1]
        code = pattern.passive_code or pattern.code if passive else pattern.code
        objects = None
        if pattern.obj is not None and pattern.obj.word and obj is not None:
            objects = frozenset({obj.lemma_.lower(), obj.lower_})
        prep = next((p for p, slot in pattern.preps if slot is not None and slot.word), None)
        return DictMatch(code, pattern.source, entries[0].lemma, objects, prep)

    # ------------------------------------------------------------------------------------
    def _fits(self, pattern: Pattern, verb: Token, subject: Token | None, obj: Token | None,
              phrases: list[tuple[str, Token | None]]) -> bool:
        if pattern.particle and not any(
                c.lower_ == pattern.particle for c in verb.children
                if c.dep_ in ("prt", "prep", "advmod") and c.i > verb.i):
            return False
        if pattern.obj is not None and (
                obj is None or (pattern.obj.word and not self._noun(pattern.obj, obj))):
            return False
        if pattern.subject is not None and pattern.subject.word and (
                subject is None or not self._noun(pattern.subject, subject)):
            return False
        for prep, slot in pattern.preps:
            if not any(word == prep and (slot is None or not slot.word or (
                    pobj is not None and self._noun(slot, pobj))) for word, pobj in phrases):
                return False
        return True

    def _noun(self, slot: Slot, tok: Token) -> bool:
        if slot.head.startswith("&"):
            members = self.synsets.get(slot.head, ())
            return any(self._noun(m, tok) for m in members) and self._mods(slot.mods, tok)
        return _word_fits(slot.head, tok) and self._mods(slot.mods, tok)

    def _mods(self, mods: tuple[str, ...], tok: Token) -> bool:
        if not mods:
            return True
        before = [t for t in tok.subtree if t.i < tok.i]
        for mod in mods:
            if mod.startswith("&"):
                members = self.synsets.get(mod, ())
                if not any(_word_fits(m.head, t) for m in members for t in before):
                    return False
            elif not any(_word_fits(mod, t) for t in before):
                return False
        return True


def _anchor(pattern: Pattern) -> Slot | None:
    """The noun that decides a pattern: its object's head, else the first preposition's
    object, else its subject — whichever is a word or a synonym set."""
    slots = [pattern.obj, *(slot for _, slot in pattern.preps), pattern.subject]
    return next((slot for slot in slots if slot is not None and slot.word), None)


def _word_fits(word: str, tok: Token) -> bool:
    lemma, lower = tok.lemma_.lower(), tok.lower_
    if word.endswith("~"):
        stem = word[:-1]
        return lower.startswith(stem) or lemma.startswith(stem)
    return word in (lemma, lower) or singular(word) in (lemma, lower)


def _fits_words(verb: Token, entry: DictVerb) -> bool:
    """The words a multi-word verb needs: after it as a particle or preposition ("ask for",
    "call off"), before it as the preceding words ("wire tap")."""
    if entry.after:
        near = {c.lower_ for c in verb.children if c.dep_ in ("prt", "prep", "advmod", "dative")}
        doc = verb.doc
        following = " ".join(t.lower_ for t in doc[verb.i + 1: verb.i + 1 + len(entry.after)])
        if not (following == " ".join(entry.after) or all(w in near for w in entry.after)):
            return False
    if entry.before:
        doc = verb.doc
        start = verb.i - len(entry.before)
        if start < 0 or tuple(t.lower_ for t in doc[start:verb.i]) != entry.before:
            return False
    return True


def _subject(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)


def _phrases(verb: Token, obj: Token | None) -> list[tuple[str, Token | None]]:
    """Prepositions hanging on the verb, on its object, and on their objects in turn (two
    levels: "called for an end to the fighting"), with each one's object."""
    out: list[tuple[str, Token | None]] = []
    heads = [verb] + ([obj] if obj is not None else [])
    for _ in range(2):
        nxt = []
        for head in heads:
            for child in head.children:
                if child.dep_ in PREP_DEPS or (child.dep_ == "advmod" and child.pos_ == "ADP"):
                    pobj = next((c for c in child.children if c.dep_ in ("pobj", "pcomp")),
                                None)
                    out.append((child.lower_, pobj))
                    if pobj is not None:
                        nxt.append(pobj)
        heads = nxt
    return out


def _slot(text: str) -> Slot | None:
    words = text.split()
    if not words:
        return None
    return Slot(words[-1], tuple(words[:-1]))


def _prep_slots(text: str) -> tuple[tuple[str, Slot | None], ...]:
    out = []
    for item in filter(None, text.split(";")):
        prep, _, term = item.partition(":")
        out.append((prep, _slot(term)))
    return tuple(out)


def build_dictionary(directory: Path | None = None) -> VerbDictionary:
    package = "cordiale.events"
    synsets: dict[str, list[Slot]] = defaultdict(list)
    for row in read_csv_rows(package, "dict_synsets.csv", directory):
        slot = _slot(row["term"])
        if slot is not None:
            synsets[row["synset"]].append(slot)
    verbs = []
    forms: dict[str, str] = {}
    for row in read_csv_rows(package, "dict_verbs.csv", directory):
        verbs.append(DictVerb(row["lemma"], tuple(row["before"].split()),
                              tuple(row["after"].split()), row["block"], row["layer"],
                              row["source"]))
        for form in filter(None, row["forms"].split("|")):
            if " " not in form:
                forms.setdefault(form, row["lemma"])
    patterns = [Pattern(row["block"], _slot(row["subject"]), _slot(row["object"]),
                        row["particle"], _prep_slots(row["preps"]), row["code"],
                        row["passive_code"], row["layer"], row["source"])
                for row in read_csv_rows(package, "dict_patterns.csv", directory)]
    return VerbDictionary(verbs, patterns, dict(synsets), forms)


@lru_cache(maxsize=1)
def default_dictionary() -> VerbDictionary:
    return build_dictionary()
