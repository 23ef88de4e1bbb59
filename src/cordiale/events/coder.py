"""The event coder: who did what to whom, when and where, from the parse and the actors.

For every verb of a sentence the lexicon proposes a CAMEO code (verb + object + preposition,
or a frame verb around another event: "agreed to withdraw" → 035). Its subject gives the
source actors and its object, or the object of a preposition such as "with"/"against"/"to",
gives the targets; passives swap them ("was attacked by"). Conjoined actors give one event each
("China and Russia signed"), and symmetric actions between a compound subject are recorded in
both directions and marked reciprocal. A speech verb ("Shoigu said", "CNN reported") becomes
the attribution of the events it reports, and is coded itself (010 etc.) only when it reports
none. Modality, date, place and quantity are read around the trigger. Every event names the
rule that produced it in ``coder``.

This module only walks the document and runs the stages, each in a module of its own:

1. trigger candidates and pattern match (``triggers.py``): which verbs, adjectives and nouns
   code an event, and with which code (``Lexicon.match``, frames, light verbs, event nouns);
2. participants (``roles.py``, with the shared helpers of ``participants.py``): the sources
   and targets of each trigger, read from the parse;
3. modality (``modality.py``): negated, hypothetical, intended, story;
4. assembly (``assembly.py``): code adjustments, date, place, quantity, one ``Event`` per
   source–target pair, and the selection of the sentence's main events.

The lexicon and the noun and adjective tables are compiled once per process
(``default_lexicon``, ``event_words``) and shared by every coder.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date
from typing import TYPE_CHECKING

from ..actors.resolver import document_country, patronage_at
from ..records import Event, Mention
from .assembly import (
    EventAssembler,
    SentenceContext,
    drop_bare_statements,
    noun_salience,
    salience,
    select,
)
from .lexicon import Lexicon, default_lexicon
from .modality import story_cue
from .ontology import Ontology, load_ontology
from .participants import dedupe_events, same_actor
from .patient import PLACE_BLIND_ROOTS, is_place, patient_mention
from .roles import adjective_actors, noun_actors, object_names_event, verb_participants
from .syntax import (
    direct_object,
    find_paragraph_end,
    governing_verb,
    main_predicates,
    noun_key,
    state_subject,
    tree_depth,
)
from .triggers import TriggerFinder, event_words

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


class EventCoder:
    """Codes events in parsed Docs whose actors the resolver has found."""

    def __init__(self, lexicon: Lexicon | None = None, ontology: Ontology | None = None,
                 scope: str = "main"):
        """``scope``: "main" keeps the events of a sentence's main predication (falling back to
        its most prominent other event); "all" keeps every event found, clauses and nouns too."""
        if scope not in ("main", "all"):
            raise ValueError(f"event scope must be 'main' or 'all', not {scope!r}")
        self.scope = scope
        self.lexicon = lexicon or default_lexicon()
        self.ontology = ontology or load_ontology()
        words = event_words()
        self.nouns = words.nouns
        self.adjectives = words.adjectives
        self.triggers = TriggerFinder(self.lexicon, words)
        self.assembler = EventAssembler(self.lexicon, self.ontology)

    # ------------------------------------------------------------------------------------
    def code(self, doc: Doc, mentions: list[Mention] | tuple[Mention, ...], doc_id: str,
             published: date | None = None) -> list[Event]:
        story_country = document_country(doc.text, list(mentions))
        sents = list(doc.sents)  # spaCy rebuilds the sentence spans on every pass: once
        mentions = [*mentions, *unresolved_mentions(doc, mentions, doc_id, sents)]
        by_token, places = index_mentions(doc, mentions)
        events: list[Event] = []
        actor_sentences = {m.sentence_index for m in mentions if m.role == "actor"}
        in_story = False
        paragraph_end = -1
        for s_index, sent in enumerate(sents):
            if sent.start > paragraph_end:  # a new paragraph ends any story
                in_story = False
                paragraph_end = find_paragraph_end(doc, sent)
            if in_story and state_subject(sent, by_token):
                in_story = False  # the article is back to its own narrative
            cue = story_cue(sent)
            if s_index in actor_sentences:  # no actor, no event: most sentences stop here
                ctx = SentenceContext(doc, sent, s_index, doc_id, by_token, places,
                                      published, in_story or cue, story_country)
                events.extend(self._sentence(ctx))
            in_story = in_story or cue
        return events

    # ------------------------------------------------------------------------------------
    def _sentence(self, ctx: SentenceContext) -> list[Event]:
        tokens = list(ctx.sent)  # spaCy makes a new Token object on every access: make them once
        verbs = [t for t in tokens if t.pos_ in ("VERB", "AUX")]
        found, consumed = self.triggers.verbs(ctx.sent, verbs, ctx.in_story)
        main = main_predicates(ctx.sent)
        ranked: list[tuple[int, int, Event]] = []  # (salience, depth, event)

        def add(events: list[Event], anchor: Token, rank: int) -> None:
            depth = tree_depth(anchor)
            ranked.extend((rank, depth, e) for e in events)

        for trigger in found:
            roles = verb_participants(trigger, ctx.by_token, ctx.places)
            if roles is None:
                continue
            sources, targets, rule = roles
            verb = trigger.verb
            # no actor where the act lands: record what it lands on ("condemned the attack");
            # an object that names the event itself ("launched an inquiry") points past it
            event_verb = trigger.embedded or verb
            # an object names the event itself when the rule chose it and it is an event
            # noun ("launched an *inquiry* into ..."), not when it is what is acted on
            # ("released the *bloggers*", "condemned the *attack*")
            rule_object = object_names_event(trigger.rule, trigger.obj)
            names_event = rule_object and trigger.obj is not None \
                and noun_key(trigger.obj, self.nouns) is not None
            # a frame's event ("agreed to allow X access") acts on its own object
            obj = trigger.obj if trigger.obj is not None or trigger.embedded is None \
                else direct_object(trigger.embedded)
            # a place is the target of what someone lands on it from abroad, as a place phrase
            # is ("+place"): not of a statement or meeting about it, nor of an act at home or
            # by no one the text names
            landing = ctx.places if sources and trigger.code[:2] not in PLACE_BLIND_ROOTS \
                else ()
            patient = None if targets else patient_mention(
                event_verb, obj, names_event, ctx.doc_id, ctx.s_index, ctx.by_token,
                rule_object, landing)
            if patient is not None and is_place(patient) \
                    and any(s.country == patient.country for s in sources):
                patient = patient_mention(event_verb, obj, names_event, ctx.doc_id,
                                          ctx.s_index, ctx.by_token, rule_object)
            if patient is not None and patient.code and not any(
                    same_actor(patient, s) for s in sources):
                # a named party the act is aimed at: "lifted sanctions imposed on [Venezuela]";
                # a place it lands on: "launched an offensive into [Afrin]"
                targets, patient = [patient], None
                rule = f"{rule}+{'place' if is_place(targets[0]) else 'party'}"
            add(self.assembler.events(ctx, verb, trigger.embedded or verb, trigger.code, rule,
                                      trigger.weight, sources, targets, patient=patient),
                verb, salience(verb, main))
        for adj in self.triggers.adjectives(consumed, verbs):
            sources, targets = adjective_actors(adj.verb, adj.adjective, ctx.by_token)
            # "ready to contribute to X": what the adjective's clause acts on
            comp = next((c for c in adj.adjective.children if c.dep_ == "xcomp"), None)
            patient = None if targets or comp is None else patient_mention(
                comp, direct_object(comp), False, ctx.doc_id, ctx.s_index, ctx.by_token)
            add(self.assembler.events(ctx, adj.verb, adj.adjective, adj.code, adj.rule, 0.7,
                                      sources, targets, ignore_negation=adj.flip,
                                      patient=patient),
                adj.verb, salience(adj.verb, main))
        covered = {t.i for f in found for t in (f.verb, f.embedded, f.obj)
                   if t is not None and not f.code.startswith("01")}
        for noun in self.triggers.nouns(covered, tokens):
            governor = governing_verb(noun.noun)
            # talks or a statement in Geneva are not aimed at Switzerland (as for verbs above)
            landing = ctx.places if noun.code[:2] not in PLACE_BLIND_ROOTS else []
            actors = noun_actors(noun.noun, noun.of_role, governor, ctx.by_token, landing)
            if actors is None:
                continue
            add(self.assembler.events(ctx, governor or noun.noun, noun.noun, noun.code,
                                      noun.rule, 0.6, *actors),
                noun.noun, noun_salience(noun.noun, main))
        return dedupe_events(select(drop_bare_statements(ranked), self.scope))


#: Named-entity labels of actors the dictionaries may not know: an organisation, a person, a
#: group ("Majority Forward", "Imam X", "the Klingons").
UNRESOLVED_LABELS = ("ORG", "PERSON", "NORP")


def unresolved_mentions(doc: Doc, mentions: list[Mention] | tuple[Mention, ...], doc_id: str,
                        sents: list[Span]) -> list[Mention]:
    """Named entities no dictionary resolved, as actors known only by their words.

    Only in sentences with a resolved actor: an event needs one side a dictionary knows, so a
    sentence without one yields nothing, and skipping it keeps the coder's cost where it was.
    """
    ents = [e for e in doc.ents if e.label_ in UNRESOLVED_LABELS]
    with_actors = {m.sentence_index for m in mentions if m.role == "actor"}
    if not ents or not with_actors:
        return []
    covered: set[int] = set()
    for m in mentions:
        span = doc.char_span(m.char_start, m.char_end, alignment_mode="expand")
        if span is not None:
            covered.update(range(span.start, span.end))
    starts = [s.start for s in sents]
    out = []
    for ent in ents:
        s_index = bisect_right(starts, ent.start) - 1
        if s_index not in with_actors or covered.intersection(range(ent.start, ent.end)) \
                or patronage_at(doc, ent.end) is not None:
            continue  # a patron ("UN-sponsored talks") is no party to the act
        # "The International Labor Office (ILO)": a name whose apposition or acronym the
        # dictionaries know is that actor, not an unknown one
        known = {t.i for a in ent.root.children if a.dep_ == "appos" for t in a.subtree}
        if ent.end + 1 < len(doc) and doc[ent.end].text == "(":
            known.add(ent.end + 1)
        if not covered.intersection(known):
            out.append(Mention(doc_id, s_index, -1, ent.text, ent.start_char, ent.end_char,
                               None, None, "", None, 0.2, "unresolved"))
    return out


def index_mentions(doc: Doc, mentions: list[Mention] | tuple[Mention, ...]
                   ) -> tuple[dict[int, list[Mention]], list[tuple[Mention, Span]]]:
    """The resolved actors by token index, and the places with their spans."""
    by_token: dict[int, list[Mention]] = {}
    places: list[tuple[Mention, Span]] = []
    for m in mentions:
        span = doc.char_span(m.char_start, m.char_end, alignment_mode="expand")
        if span is None:
            continue
        if m.role == "place":
            places.append((m, span))
            continue
        for tok in span:
            by_token.setdefault(tok.i, []).append(m)
    return by_token, places
