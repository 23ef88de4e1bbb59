"""Modality of a coded event: negated, hypothetical (conditional, possible, a question),
intended (future, planned), or part of a story, joke, analogy or proverb — read from the
dependency parse, not guessed from words anywhere in the sentence.

The third stage of the event coder, between participants (``roles.py``) and assembly
(``assembly.py``), which turns a negated future into a refusal and a stated future act into
an intent or a threat."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

HYPOTHETICAL_AUX = {"could", "would", "might", "may", "should", "can", "must", "ought", "'d"}
FUTURE_AUX = {"will", "shall", "'ll", "wo"}
CONDITIONAL_MARKS = {"if", "unless", "whether", "lest"}
#: Verbs whose open complement is only planned or wished for ("plans to visit").
FUTURE_FRAMES = {"plan", "intend", "aim", "want", "hope", "seek", "prepare", "expect", "wish",
                 "propose", "consider", "mull", "weigh", "schedule", "set", "go", "prefer",
                 # and adjectives: "ready to deliver", "due to resume", "eager to exploit"
                 "ready", "willing", "prepared", "eager", "keen", "poised", "due", "determined",
                 "anxious", "intent"}
#: Verbs whose open complement did not happen ("failed to agree").
NEGATING_FRAMES = {"fail", "refuse", "decline", "avoid", "stop", "cease",
                   "unable", "unwilling", "reluctant", "loath", "loth", "hesitant"}
#: Verbs that introduce an alleged or possible event ("Russia denied attacking").
HYPOTHETICAL_FRAMES = {"deny", "suggest", "speculate", "fear", "imagine", "suppose", "ask",
                       "wonder", "question", "doubt", "allege"}
#: Prepositions whose gerund says how the governing act is done ("could respond by attacking"):
#: the gerund is as factual as that act. Time words ("after attacking") govern nothing.
MANNER_PREPS = {"by", "through", "via"}
#: Prepositions whose gerund did not happen ("left without signing").
NEGATING_PREPS = {"without"}
STORY_NOUNS = {"joke", "story", "anecdote", "parable", "proverb", "fable", "tale", "analogy",
               "metaphor", "riddle", "allegory"}

#: Words that make an event they predicate or govern only possible: "clashes are now a
#: distinct possibility", "the risk of a war", "a deal is likely".
POSSIBILITY = {"possibility", "prospect", "risk", "danger", "likelihood", "chance", "spectre",
               "specter", "scenario", "possible", "likely", "unlikely", "probable",
               "conceivable", "inevitable"}

ORDER = ("story", "question", "hypothetical", "negated", "intended", "asserted")


REPORTING = {"say", "tell", "announce", "state", "add", "declare", "warn", "threaten", "vow",
             "pledge", "promise", "insist", "report", "confirm", "indicate", "signal", "write"}


def _conditional(tok: Token) -> bool:
    return any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in CONDITIONAL_MARKS
                                         for m in c.children) for c in tok.children)


def _is_negated(tok: Token) -> bool:
    """"did not", "never", and "no longer" (an act that has stopped is not going on)."""
    return any(c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ in ("never", "no"))
               or (c.dep_ == "advmod" and c.lower_ == "longer"
                   and any(g.lower_ == "no" for g in c.children))
               for c in tok.children)


#: "The first country to recognise X": an infinitive after these says what was done.
ORDINALS = {"first", "last", "only", "second", "third", "latest", "next"}


def _noun_infinitive(tok: Token, children: list[Token]) -> bool:
    """"plans to impose", "a force to patrol the border", "a bid to keep": an infinitive
    describing a noun says what is planned, meant or tried, not what was done (CAMEO codes
    such intent as intent or threat); "the first country to recognise X" is the exception."""
    head = tok.head
    return tok.dep_ in ("acl", "relcl") and head.pos_ in ("NOUN", "PROPN") \
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in children) \
        and not any(c.lower_ in ORDINALS for c in head.children if c.dep_ in ("amod", "advmod"))


def _for_to(children: list[Token]) -> bool:
    """"(It is time) for Britain to act", "(waited) for Russia to attack": an infinitive
    with its own subject after "for" says what is wanted, needed or awaited, not done."""
    return any(c.dep_ == "mark" and c.lower_ == "for" for c in children) \
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in children)


def modality_of(verb: Token, sent: Span, in_story: bool) -> str:
    """The strongest modality that applies to the event triggered by ``verb``."""
    found = {"asserted"}
    if in_story:
        found.add("story")
    if sent.text.rstrip().rstrip("\"'”’»)").endswith("?"):
        found.add("question")
    if verb.dep_ == "pcomp" and verb.head.head.pos_ in ("NOUN", "PROPN"):
        # "the scenario of using nuclear weapons", "plans for attacking": not an assertion
        found.add("hypothetical")
    tok: Token | None = verb
    depth = 0
    while tok is not None and depth < 6:
        children = list(tok.children)
        auxes = {c.lower_ for c in children if c.dep_ in ("aux", "auxpass")}
        reported = tok.dep_ == "ccomp" and tok.head.lemma_.lower() in REPORTING
        if "would" in auxes and reported and not _conditional(tok):
            found.add("intended")  # "said they would boycott": future in the past
            auxes = auxes - {"would"}
        if auxes & HYPOTHETICAL_AUX:
            found.add("hypothetical")
        if auxes & FUTURE_AUX:
            found.add("intended")
        if any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in children) \
                or _for_to(children):
            found.add("hypothetical")
        if _noun_infinitive(tok, children):
            found.add("intended")
        if _is_negated(tok):
            # "did not deny" is a double negative; only the trigger's own or its frame's count
            found.add("negated")
        lemma = tok.lemma_.lower()
        if tok.i != verb.i:
            if lemma in FUTURE_FRAMES:
                found.add("intended")
            if lemma in NEGATING_FRAMES:
                found.add("negated")
            if lemma in HYPOTHETICAL_FRAMES:
                found.add("hypothetical")
        if tok.pos_ == "ADP" and tok.dep_ == "prep" and tok.i != verb.i:
            if tok.lower_ in NEGATING_PREPS:
                found.add("negated")
            if tok.lower_ in MANNER_PREPS and tok.head.pos_ in ("VERB", "AUX"):
                tok = tok.head
                depth += 1
                continue
        # climb only through clauses that govern this event's factuality
        if tok.dep_ in ("xcomp", "ccomp", "advcl", "conj", "pcomp") and tok.head.i != tok.i:
            if tok.dep_ == "advcl" and not any(
                c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in tok.children
            ):
                break
            if tok.dep_ == "ccomp":
                # reported speech: "X said Y will attack" keeps Y's own modality only
                head = tok.head
                if head.lemma_.lower() in HYPOTHETICAL_FRAMES:
                    found.add("hypothetical")
                if head.lemma_.lower() in FUTURE_FRAMES:
                    # "officials hope Beijing will agree", "wants Putin to attack": someone's
                    # wish or forecast about another's act is neither done nor intended by them
                    found.add("hypothetical")
                if _is_negated(head) and head.lemma_.lower() not in ("say", "tell"):
                    found.add("negated")
                break
            tok = tok.head
            depth += 1
            continue
        break
    return next(m for m in ORDER if m in found)


_STORY_WORDS = re.compile(r"\b(" + "|".join(sorted(STORY_NOUNS)) + r")", re.IGNORECASE)


def story_cue(sent: Span) -> bool:
    """Whether a sentence introduces a story, joke, analogy or proverb."""
    if "once upon a time" in sent.text.lower():
        return True
    if not _STORY_WORDS.search(sent.text):
        return False
    for tok in sent:
        if tok.lemma_.lower() in STORY_NOUNS and tok.pos_ == "NOUN":
            head = tok.head
            if tok.dep_ in ("dobj", "pobj", "nsubj", "attr") or head.lemma_ in ("tell", "recount"):
                return True
    return False


def trigger_modality(verb: Token, trigger: Token, sent: Span, in_story: bool,
                     ignore_negation: bool = False) -> str:
    """The modality of an event whose trigger is ``trigger`` and whose factuality ``verb``
    governs (the frame verb around an embedded event, else the trigger itself).
    ``ignore_negation``: the trigger's code already says it is negated ("not satisfied")."""
    modality = modality_of(verb, sent, in_story)
    if trigger.i != verb.i and modality == "asserted" and trigger.pos_ in ("VERB", "AUX") \
            and any(c.dep_ == "neg" for c in trigger.children):
        modality = "negated"  # "agreed not to attack"
    if ignore_negation and modality == "negated":
        modality = "asserted"
    if modality == "asserted" and trigger.pos_ in ("NOUN", "PROPN") and only_possible(trigger):
        modality = "hypothetical"
    return modality


def only_possible(noun: Token) -> bool:
    """Whether an event noun is said to be only possible: the subject of "be" with a
    possibility word as its complement ("clashes are a possibility", "war is likely"), or
    the of-phrase of a possibility noun ("the risk of clashes")."""
    head = noun.head
    if noun.dep_ in ("nsubj", "nsubjpass") and head.lemma_ == "be":
        return any(c.dep_ in ("attr", "acomp") and c.lemma_.lower() in POSSIBILITY
                   for c in head.children)
    if noun.dep_ == "pobj" and head.lower_ == "of":
        return head.head.lemma_.lower() in POSSIBILITY
    return False


def carries_future(tok: Token) -> bool:
    """Whether a verb carries will/would/shall, on itself or on its clause."""
    for t in (tok, tok.head):
        if any(c.dep_ == "aux" and c.lower_ in ("will", "would", "shall", "wo", "'ll")
               for c in t.children):
            return True
    return False
