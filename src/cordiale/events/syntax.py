"""Reading the dependency parse for the event coder: subjects and objects through passives,
conjunctions and control verbs, the actors a noun phrase names, what a speech verb reports,
and a sentence's main predication. Pure functions over spaCy tokens and the resolved mentions.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..actors.resolver import PLACE_NOUNS
from ..records import Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


SPEECH = {"say", "tell", "report", "announce", "state", "add", "note", "claim", "write",
          "declare", "insist", "stress", "explain", "confirm", "quote", "reply", "respond",
          "argue", "assert", "acknowledge", "remark", "comment", "tweet", "post", "signal",
          "indicate", "suggest", "warn", "accuse", "allege", "believe", "think", "hope",
          "fear", "predict", "reiterate", "emphasize", "emphasise", "recall", "admit"}

#: Verbs that pass their subject to an open complement without coding anything themselves.
TRANSPARENT = {"attempt", "try", "seek", "continue", "begin", "start", "resume", "move",
               "manage", "fail", "plan", "intend", "aim", "want", "hope", "prepare", "expect",
               "wish", "decide", "be", "go", "set", "appear", "seem", "need", "have", "help",
               "use", "keep", "get", "come", "choose", "dare", "prefer", "wait", "vote"}

#: Verbs whose object, not subject, is the actor of their open complement ("urged Iran to").
OBJECT_CONTROL = {"urge", "ask", "call", "press", "pressure", "push", "order", "force",
                  "persuade", "encourage", "invite", "tell", "appeal", "request", "demand",
                  "allow", "permit", "help", "compel", "convince", "instruct", "warn", "advise",
                  "want", "wish", "prefer"}

TARGET_PREPS = ("against", "with", "to", "toward", "towards", "on", "at", "from", "into",
                "upon", "over", "for", "of", "about", "between")

SUBJECT_DEPS = ("nsubj", "csubj")

CLAUSE_DEPS = {"relcl", "acl", "advcl", "ccomp", "xcomp", "conj", "parataxis"}

COPULAS = {"be", "become", "remain", "feel", "grow", "seem", "appear", "get"}


def main_predicates(sent: Span) -> set[int]:
    """Token indices of the sentence's main predication: the root, its conjoined verbs, and
    what a reporting root reports ("X said Y attacked Z" → attacked)."""
    root = sent.root
    main = {root.i}
    frontier = [root]
    while frontier:
        tok = frontier.pop()
        for child in tok.children:
            if child.i in main:
                continue
            if child.pos_ not in ("VERB", "AUX"):
                continue
            reported = child.dep_ in ("ccomp", "parataxis") and (
                tok.lemma_.lower() in SPEECH or tok.lemma_.lower() in COPULAS)
            if child.dep_ in ("conj", "xcomp") or reported:
                main.add(child.i)
                frontier.append(child)
    if root.pos_ not in ("VERB", "AUX"):  # a headline fragment: its verbs are all main
        verbs = [t for t in sent if t.pos_ == "VERB"]
        main.update(t.i for t in verbs if t.head.i == root.i or fragment_predicate(t))
        main.update(c.i for t in verbs if fragment_predicate(t) for c in t.conjuncts)
    return main


def fragment_predicate(verb: Token) -> bool:
    """Whether a participle the parser hung on a noun is really the sentence's verb: the
    root is a noun, the participle follows it inside the root's phrase and takes an object
    (so it is active): "Volunteers from two charities collected and delivered medicine"."""
    if verb.dep_ != "acl" or verb.tag_ not in ("VBN", "VBD"):
        return False
    root = verb.sent.root
    if root.pos_ not in ("NOUN", "PROPN") or root.i > verb.i:
        return False
    tok = verb.head
    for _ in range(6):
        if tok.i == root.i:
            break
        if tok.dep_ not in ("pobj", "prep", "compound", "conj", "appos"):
            return False
        tok = tok.head
    else:
        return False
    if tok.i != root.i:
        return False
    return any(c.dep_ in ("dobj", "obj") for v in (verb, *verb.conjuncts) for c in v.children)


def tree_depth(tok: Token) -> int:
    depth = 0
    while tok.head.i != tok.i and depth < 50:
        tok = tok.head
        depth += 1
    return depth


def governs(head: Token, tok: Token) -> bool:
    while tok.head.i != tok.i:
        tok = tok.head
        if tok.i == head.i:
            return True
    return False


def speaker(verb: Token, by_token: dict[int, list[Mention]]) -> list[Mention]:
    """The actors of the speech verb whose report ``verb`` is in."""
    tok = verb
    for _ in range(4):
        if tok.dep_ in ("ccomp", "parataxis") and tok.head.lemma_.lower() in SPEECH:
            speaker, _ = find_subject(tok.head)
            return actors_at(speaker, by_token) if speaker is not None else []
        if tok.head.i == tok.i:
            break
        tok = tok.head
    return []


def reports(speech: Token, tok: Token) -> bool:
    """Whether ``tok`` lies in what a speech verb reports (its clausal complement)."""
    for child in speech.children:
        if child.dep_ in ("ccomp", "parataxis", "xcomp", "advcl", "conj") and (
                child.i == tok.i or governs(child, tok)):
            return child.dep_ != "conj" or child.pos_ != "VERB" or child.i != tok.i
    return False


def open_complement(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "xcomp" and child.pos_ in ("VERB", "AUX"):
            return child
    for child in verb.children:  # "demanded that Israel withdraw"
        if child.dep_ == "ccomp" and child.pos_ == "VERB":
            return child
    return None


def through_transparent(verb: Token) -> Token:
    """'attempting to intercept' → 'intercept'."""
    seen = 0
    while verb.lemma_.lower() in TRANSPARENT and seen < 4:
        nxt = next((c for c in verb.children if c.dep_ == "xcomp"), None)
        if nxt is None:
            break
        verb, seen = nxt, seen + 1
    return verb


def direct_object(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in ("dobj", "obj"):
            return child
    for child in verb.children:
        if child.dep_ == "dative" and child.pos_ in ("NOUN", "PROPN", "PRON"):
            return child
    return None


def find_subject(verb: Token) -> tuple[Token | None, bool]:
    """The verb's subject, climbing through conjoined and complement verbs; passive flag."""
    subject, passive = _find_subject(verb)
    if not passive and subject is not None and subject.head.i != verb.i and any(
            c.dep_ in ("auxpass", "agent") for c in verb.children):
        passive = True  # "were detained and later freed by ...": a passive conjunct
    return subject, passive


def _find_subject(verb: Token) -> tuple[Token | None, bool]:
    tok = verb
    via_xcomp = False
    for _ in range(6):
        subjects = [c for c in tok.children
                    if c.dep_ in SUBJECT_DEPS or c.dep_ in ("nsubjpass", "csubjpass")]
        if subjects:
            # two subjects are a parse error, mostly a dateline taken for one ("ANKARA --
            # the Turkish government offered"): the one nearest the verb is the real subject
            child = min(subjects, key=lambda c: abs(c.i - tok.i)) if len(subjects) > 1 \
                else subjects[0]
            if child.dep_ in SUBJECT_DEPS:
                return child, tok.i == verb.i and _reduced_passive(tok)
            # "X is expected to attack": the raised subject of a passive head acts
            return child, not via_xcomp
        if tok.dep_ == "advcl" and tok.tag_ == "VBG":
            # "As Russia seeks influence, hosting Abbas, ...": the nearest subject before it
            before = [t for t in tok.sent if t.i < tok.i and t.dep_ in SUBJECT_DEPS]
            if before:
                return before[-1], False
        if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in OBJECT_CONTROL:
            obj = direct_object(tok.head)
            if obj is not None:
                return obj, False
        if tok.dep_ in ("xcomp", "conj", "advcl", "pcomp") and tok.head.i != tok.i:
            via_xcomp = via_xcomp or tok.dep_ == "xcomp"
            tok = tok.head
            if tok.pos_ == "ADP":  # "by attacking": climb through the preposition
                tok = tok.head
            continue
        if tok.dep_ in ("relcl", "acl") and tok.head.i != tok.i:
            if fragment_predicate(tok):
                return tok.sent.root, False  # "Volunteers from two charities delivered medicine"
            noun = tok.head
            if tok.dep_ == "acl" and tok.tag_ == "VBG" and noun.dep_ in ("dobj", "pobj") \
                    and noun.pos_ == "NOUN":
                # "published a statement demanding ...": the publisher demands
                outer, passive = find_subject(noun.head if noun.dep_ == "dobj" else noun.head.head)
                if outer is not None and not passive:
                    return outer, False
            return noun, tok.tag_ == "VBN" and tok.dep_ == "acl"
        break
    return None, False


def _reduced_passive(verb: Token) -> bool:
    """A bare participle the parser gave a subject ("aid for families evicted from the camp"):
    with no auxiliary and no object, its subject is what it was done to."""
    return verb.tag_ == "VBN" and verb.dep_ in ("ccomp", "xcomp", "advcl") and not any(
        c.dep_ in ("aux", "auxpass", "dobj", "obj", "dative") for c in verb.children)


def find_agent(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


#: Nouns whose of-phrase names whom an actor sides with, not whom it acts on.
ALLY_NOUNS = {"side", "behalf"}


def prep_targets(tok: Token, by_token: dict[int, list[Mention]],
                  extra: tuple[str, ...] = ()) -> list[Mention]:
    preps = [c for c in tok.children if c.dep_ in ("prep", "dative")]
    # "kidnapped up to 20 sailors": the parser hangs "to" on a particle "up"
    preps += [p for c in tok.children if c.dep_ == "prt" for p in c.children if p.dep_ == "prep"]
    fallback: list[Mention] = []
    for name in (*extra, *TARGET_PREPS):
        for prep in preps:
            if prep.lower_ != name:
                continue
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if pobj is not None and pobj.lemma_.lower() in ALLY_NOUNS:
                continue  # "fought on the side of the regime", "on behalf of": an ally
            if pobj is not None:
                found = actors_at(pobj, by_token)
            elif not any(True for _ in prep.children):
                found = _stranded(prep, by_token)
            else:
                continue
            if any(m.country for m in found):
                return found  # an actor with a country beats a bare role
            fallback = fallback or found
    return fallback


def _stranded(prep: Token, by_token: dict[int, list[Mention]]) -> list[Mention]:
    """The actors of a preposition whose noun the parser took as the subject of a following
    clause ("gave shelter to ten soldiers hiding in ..."): the noun phrase right after it."""
    doc = prep.doc
    for i in range(prep.i + 1, min(prep.i + 7, prep.sent.end)):
        tok = doc[i]
        if tok.pos_ in ("VERB", "AUX", "PUNCT", "ADP", "SCONJ"):
            break
        if i in by_token:
            return by_token[i]
    return []


def nested_prep_targets(noun: Token, by_token: dict[int, list[Mention]],
                        extra: tuple[str, ...] = ()) -> list[Mention]:
    """Targets in the prepositional phrases of an object noun and of the nouns it governs
    ("a suspension of flights to Serbia", "shelling against rebel camps")."""
    frontier = [noun, *noun.conjuncts]
    fallback: list[Mention] = []
    for _ in range(3):
        nxt: list[Token] = []
        for tok in frontier:
            found = prep_targets(tok, by_token, extra)
            if any(m.country for m in found):
                return found  # "withdrawal of troops from Mali": the country beats the role
            fallback = fallback or found
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ in ("of", "for"):
                    nxt.extend(c for c in child.children if c.dep_ == "pobj")
        frontier = nxt
    return fallback


def clause_subject_actors(verb: Token, by_token: dict[int, list[Mention]]) -> list[Mention]:
    """Actors that are the subject of the clause a verb reports."""
    for child in verb.children:
        if child.dep_ == "ccomp":
            inner = child
            subject, _ = find_subject(inner)
            if subject is not None:
                return actors_at(subject, by_token)
    return []


def governing_verb(tok: Token) -> Token | None:
    head = tok.head
    for _ in range(6):
        if head.pos_ in ("VERB", "AUX"):
            return head
        if head.head.i == head.i:
            return None
        head = head.head
    return None


def actors_at(tok: Token | None, by_token: dict[int, list[Mention]]) -> list[Mention]:
    """Actors named by the noun phrase headed at ``tok``, with its conjuncts."""
    if tok is None:
        return []
    out: list[Mention] = []
    heads = [tok, *tok.conjuncts]
    if tok.i in by_token:
        # "Norway, Denmark, and Finland met": a list the parser took for an apposition
        heads += [a for c in tok.children if c.dep_ == "appos" and c.i in by_token
                  and any(g.dep_ == "conj" for g in c.children) for a in [c, *c.conjuncts]]
    for head in heads:
        found = by_token.get(head.i)
        if not found:
            # "Peru's allies, Bolivia and Ecuador": an apposition a dictionary knows names
            # whom the noun means, where its possessor or modifiers only describe them
            found = [m for c in head.children if c.dep_ == "appos"
                     for a in [c, *c.conjuncts] for m in by_token.get(a.i, []) if m.code]
        if not found:
            found = in_phrase(head, by_token)
        out.extend(found or [])
        # "US-China talks", "the Trump-Putin meeting": a hyphenated pair names both sides
        # (of "the Iraq-Jordan border" it names a place, not parties)
        pairs = [] if head.lemma_.lower() in PLACE_NOUNS else [
            head, *(c for c in head.children if c.dep_ == "compound")]
        for tok in pairs:
            partner = hyphen_partner(tok)
            if tok.i in by_token and partner is not None:
                out.extend(m for m in by_token.get(partner.i, []) if m not in out
                           and m.country and all(m.country != o.country
                                                 for o in by_token[tok.i]))
    return out


def hyphen_partner(tok: Token) -> Token | None:
    """The first name of a hyphenated pair ending at ``tok``: "US" in "US-China"."""
    for child in tok.children:
        if child.dep_ == "compound" and child.i < tok.i and any(
                p.dep_ == "punct" and p.text in ("-", "–") and child.i < p.i < tok.i
                for p in tok.children):
            return child
    return None


def in_phrase(head: Token, by_token: dict[int, list[Mention]]) -> list[Mention]:
    """Mentions inside a noun phrase but outside its clauses: 'the leaders of China'."""
    best: list[Mention] = []
    stack = [c for c in head.children if c.dep_ not in CLAUSE_DEPS | {"cc", "punct"}
             and not (c.dep_ == "prep" and c.lower_ not in ("of", "from"))]
    depth_of = {c.i: 1 for c in stack}
    while stack:
        tok = stack.pop(0)
        if tok.i in by_token:
            return by_token[tok.i]
        if depth_of[tok.i] < 3:
            for c in tok.children:
                if c.dep_ not in CLAUSE_DEPS | {"cc", "punct"} and not (
                        c.dep_ == "prep" and c.lower_ not in ("of", "from")):
                    depth_of[c.i] = depth_of[tok.i] + 1
                    stack.append(c)
    return best


def attribution(verb: Token, by_token: dict[int, list[Mention]]) -> str | None:
    """Who reports the event: the subject of a governing speech verb, or 'according to X'."""
    tok = verb
    for _ in range(5):
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ == "according":
                to = next((c for c in child.children if c.lower_ == "to"), None)
                pobj = next((c for c in (to.children if to is not None else [])
                             if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return phrase(pobj, by_token)
        if tok.dep_ in ("ccomp", "parataxis") and tok.head.lemma_.lower() in SPEECH:
            speaker, _ = find_subject(tok.head)
            if speaker is not None:
                return phrase(speaker, by_token)
        if tok.head.i == tok.i:
            break
        # the ROOT speech verb reports its complement ("..., the Pentagon said")
        if tok.dep_ in ("ccomp", "xcomp", "conj", "advcl", "parataxis"):
            tok = tok.head
            continue
        break
    if verb.dep_ == "ROOT":
        for child in verb.children:
            if child.dep_ in ("parataxis", "ccomp") and child.lemma_.lower() in SPEECH:
                speaker, _ = find_subject(child)
                if speaker is not None:
                    return phrase(speaker, by_token)
    return None


def phrase(tok: Token, by_token: dict[int, list[Mention]]) -> str:
    found = by_token.get(tok.i) or in_phrase(tok, by_token)
    if found:
        m = found[0]
        return f"{m.name or m.text} ({m.code})" if m.code else (m.name or m.text)
    span = tok.doc[tok.left_edge.i:tok.i + 1]
    return span.text


def joint(tok: Token) -> bool:
    words = [c.lower_ for t in (tok, *[c for c in tok.children if c.dep_ == "dobj"])
             for c in t.children]
    return "joint" in words or "jointly" in words or "together" in words


def noun_key(noun: Token, table: dict[str, tuple[str, str]]) -> str | None:
    lemma = noun.lemma_.lower()
    mods = [c for c in noun.lefts if c.dep_ in ("compound", "amod") and c.i == noun.i - 1]
    if mods:
        for form in (f"{mods[0].lower_} {lemma}", f"{mods[0].lower_}{lemma}"):
            if form in table:
                return form
    if lemma in table:
        return lemma
    if noun.lower_ in table:
        return noun.lower_
    return None


def find_paragraph_end(doc: Doc, sent: Span) -> int:
    for tok in doc[sent.start:]:
        if tok.is_space and "\n" in tok.text:
            return tok.i
    return len(doc)


def state_subject(sent: Span, by_token: dict[int, list[Mention]]) -> bool:
    for tok in sent:
        if tok.dep_ in ("nsubj", "nsubjpass"):
            for m in actors_at(tok, by_token):
                if m.role == "actor" and m.country and m.method.startswith(("gazetteer",
                                                                               "agent")):
                    return True
    return False


_DIGIT = re.compile(r"\d")


def has_digit(text: str) -> bool:
    return _DIGIT.search(text) is not None
