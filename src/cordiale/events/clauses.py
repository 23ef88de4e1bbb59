"""Which clauses carry a sentence's news: a reported obligation is a demand ("X said Y must
..."), and time clauses and "according to" phrases are background, not events of their own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .syntax import SPEECH

if TYPE_CHECKING:
    from spacy.tokens import Token


#: Modal auxiliaries that turn a reported clause into a demand of its subject. ("should" is
#: left out: news coders read "X said Y should ..." as a comment as often as an appeal.)
OBLIGATION = {"must": "demand"}


def obligation(verb: Token) -> tuple[Token, str] | None:
    """The reported clause and frame class of "X said that Y must ...", when Y is a noun
    phrase (not "we must")."""
    if verb.lemma_.lower() not in SPEECH and verb.lemma_.lower() != "conclude":
        return None
    for clause in verb.children:
        if clause.dep_ != "ccomp" or clause.pos_ not in ("VERB", "AUX"):
            continue
        kinds = [OBLIGATION[c.lower_] for c in clause.children
                 if c.dep_ == "aux" and c.lower_ in OBLIGATION]
        subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if kinds and subject is not None and subject.pos_ in ("NOUN", "PROPN") \
                and not any(c.dep_ == "neg" for c in clause.children):
            return clause, kinds[0]
    return None


#: Subordinators of clauses that set the scene in time rather than report the news.
TIME_MARKS = {"before", "after", "until", "till", "while", "when", "once", "whenever"}


def background(verb: Token) -> bool:
    """Whether a verb lies in a time clause or an "according to" phrase."""
    tok = verb
    for _ in range(6):
        if tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in TIME_MARKS
                                       for c in tok.children):
            return True
        if tok.dep_ == "pobj" and tok.head.lower_ == "to" and tok.head.head.lower_ == "according":
            return True
        if tok.head.i == tok.i:
            return False
        tok = tok.head
    return False
