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
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..actors.gazetteer import TRANSNATIONAL, read_csv_rows
from ..records import Event, Mention
from .clauses import background, obligation
from .dates import DateRef, find_dates
from .evidence import choose_date, choose_place, find_quantity
from .lexicon import Lexicon, Match, VerbRule, default_lexicon, noun_forms
from .modality import modality_of, story_cue
from .ontology import Ontology, load_ontology
from .participants import (
    country_mention,
    dedupe_events,
    inherit_country,
    instrument_actors,
    is_civilian,
    is_commercial,
    is_ethnic,
    is_institution,
    located_in,
    purpose_targets,
    same_actor,
    unique_mentions,
    unplaced_civil,
)
from .syntax import (
    COPULAS,
    OBJECT_CONTROL,
    SPEECH,
    TARGET_PREPS,
    actors_at,
    attribution,
    clause_subject_actors,
    direct_object,
    find_agent,
    find_paragraph_end,
    find_subject,
    fragment_predicate,
    governing_verb,
    governs,
    has_digit,
    joint,
    main_predicates,
    nested_prep_targets,
    noun_key,
    open_complement,
    prep_targets,
    reports,
    speaker,
    state_subject,
    through_transparent,
    tree_depth,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

SPEECH_FORMS = {"said", "says", "say", "told", "tells", "tell", "added", "adds", "stated",
                "states", "announced", "announces", "noted", "notes", "reported", "reports",
                "insisted", "insists", "stressed", "stresses", "declared", "declares",
                "confirmed", "confirms", "explained", "claimed", "claims", "wrote", "writes",
                "informing", "saying", "noting", "adding", "describing", "described"}
#: Speech verbs that only say something: as a participle describing a noun ("an op-ed
#: written by", "the figures reported by") they are no statement of the actor.
PLAIN_SPEECH = {"say", "tell", "write", "report", "state", "add", "note", "post", "tweet",
                "quote", "comment", "remark", "publish", "announce"}
SYMMETRIC_ROOTS = {"03", "04", "06"}
SYMMETRIC_CODES = {"057", "050", "0311", "0312", "036", "019"}


#: Verbs that take their meaning from an event noun object ("launched an offensive").
LIGHT_VERBS = {"announce", "declare", "order", "launch", "conduct", "stage", "hold", "begin",
               "start", "impose", "issue", "make", "mount", "continue", "resume", "undertake",
               "take", "carry", "step", "intensify", "escalate", "expand", "extend", "end",
               "call", "organize", "organise", "lead", "plan", "approve", "authorize",
               "authorise", "initiate", "unveil", "introduce", "deliver", "give", "provide",
               "speed", "accelerate", "complete", "finish", "pursue", "wage", "perform",
               "open"}
#: Roots whose untargeted events are domestic: a protest, a crackdown or a concession with
#: no other actor named is aimed at the actor's own country (as CAMEO coders code them).
DOMESTIC_ROOTS = {"08", "14", "17"}
VISIT_CODES = {"042", "043", "044"}
ENGAGE_VERBS = {"engage", "involve", "participate", "take", "join", "commit", "carry", "put",
                "place"}
HARM_VERBS = {"kill", "wound", "injure", "die", "hurt", "destroy", "damage"}
#: A killing whose target is a leader or official is an assassination (CAMEO 186).
OFFICE_WORDS = {"leader", "chief", "commander", "minister", "president", "official", "governor",
                "mayor", "general", "head", "prime", "king", "sheikh", "cleric", "envoy"}
#: Roots whose unnamed perpetrator is placed in the country where the event happened.
LOCAL_ROOTS = {"09", "11", "14", "17", "18", "19", "20"}
#: Verbs whose target is the subject of the clause they report ("complained that China ...").
CLAUSE_TARGET = {"complain", "accuse", "protest", "criticize", "criticise", "condemn", "blame",
                 "warn", "allege", "charge", "deplore", "denounce", "object"}


@dataclass
class _Context:
    doc: Doc
    sent: Span
    s_index: int
    doc_id: str
    by_token: dict[int, list[Mention]]
    places: list[tuple[Mention, Span]]
    dates: list[DateRef]
    published: date | None
    in_story: bool


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
        self.nouns = {r["noun"]: (r["code"], r["of_role"])
                      for r in read_csv_rows("cordiale.events", "nouns.csv")}
        self._noun_heads = {noun.split()[-1] for noun in self.nouns}
        self.adjectives = {r["adjective"]: (r["code"], r.get("negated_code") or None)
                           for r in read_csv_rows("cordiale.events", "adjectives.csv")}

    # ------------------------------------------------------------------------------------
    def code(self, doc: Doc, mentions: list[Mention] | tuple[Mention, ...], doc_id: str,
             published: date | None = None) -> list[Event]:
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
        events: list[Event] = []
        actor_sentences = {m.sentence_index for m in mentions if m.role == "actor"}
        in_story = False
        paragraph_end = -1
        for s_index, sent in enumerate(doc.sents):
            if sent.start > paragraph_end:  # a new paragraph ends any story
                in_story = False
                paragraph_end = find_paragraph_end(doc, sent)
            if in_story and state_subject(sent, by_token):
                in_story = False  # the article is back to its own narrative
            cue = story_cue(sent)
            if s_index in actor_sentences:  # no actor, no event: most sentences stop here
                dates = find_dates(sent.text, published) \
                    if published or has_digit(sent.text) else []
                events.extend(self._sentence(doc, sent, s_index, doc_id, by_token, places,
                                             dates, published, in_story or cue))
            in_story = in_story or cue
        return events

    # ------------------------------------------------------------------------------------
    def _sentence(self, doc: Doc, sent: Span, s_index: int, doc_id: str,
                  by_token: dict[int, list[Mention]], places: list[tuple[Mention, Span]],
                  dates: list[DateRef], published: date | None, in_story: bool) -> list[Event]:
        consumed: set[int] = set()
        found: list[tuple[Token, str, str, Token | None, Token | None, float]] = []
        tokens = list(sent)  # spaCy makes a new Token object on every access: make them once
        verbs = [t for t in tokens if t.pos_ in ("VERB", "AUX")]
        # pass 1: frames and lexicon verbs (speech verbs wait for pass 2)
        for verb in verbs:
            if verb.i in consumed:
                continue
            if verb.tag_ == "VBN" and verb.lower_ in self.adjectives and any(
                    c.dep_ == "auxpass" for c in verb.children):
                continue  # "is committed to", "was upset by": adjectives, coded below
            result = self._code_verb(verb, consumed)
            if result is None:
                continue
            code, rule, embedded, obj, weight = result
            speech = verb.lemma_.lower() in SPEECH and not rule.startswith("frame:")
            if speech and not _object_rule(rule):
                continue  # "declared a ceasefire" is an event; "declared that ..." a report
            found.append((verb, code, rule, embedded, obj, weight))
        # pass 2: speech verbs that report no coded event are statements themselves
        for verb in verbs:
            if verb.pos_ != "VERB" or verb.i in consumed or verb.lemma_.lower() not in SPEECH:
                continue
            if verb.dep_ in ("acl", "amod", "relcl") and verb.tag_ in ("VBN", "VBG") \
                    and verb.lemma_.lower() in PLAIN_SPEECH:
                continue  # "an op-ed written by an official": a description, not a statement
            if any(f[0].i != verb.i and reports(verb, f[0])
                   and modality_of(f[3] or f[0], sent, in_story) in ("asserted", "intended")
                   for f in found):
                continue  # it reports a coded event: attribution, not a statement
            if verb.dep_ in ("parataxis", "ccomp", "advcl") and any(
                    governs(f[0], verb) for f in found):
                continue  # "The UN will provide aid, the WFP said": the report, not a statement
            result = self._code_verb(verb, consumed)
            if result is not None:
                code, rule, embedded, obj, weight = result
                found.append((verb, code, rule, embedded, obj, weight))

        ctx = _Context(doc, sent, s_index, doc_id, by_token, places, dates, published, in_story)
        main = main_predicates(sent)
        ranked: list[tuple[int, int, Event]] = []  # (salience, depth, event)

        def add(events: list[Event], anchor: Token, salience: int) -> None:
            depth = tree_depth(anchor)
            ranked.extend((salience, depth, e) for e in events)

        def side(verb: Token) -> bool:
            # a participle clause hung on the main predication ("..., noting the flights of")
            return verb.dep_ == "advcl" and verb.tag_ == "VBG" and verb.head.i in main

        def rank(verb: Token) -> int:
            if verb.i in main:
                return 2
            if side(verb):
                return 1
            return -1 if background(verb) else 0

        for verb, code, rule, embedded, obj, weight in found:
            sources, targets = self._actors(verb, embedded, obj, by_token, rule, code)
            _, passive = find_subject(verb)
            ethnic = bool(sources) and all(is_ethnic(doc, m) for m in sources)
            if ethnic:
                # "ethnic Albanians demonstrated in Serbia": a group placed where it lives
                where = choose_place(places, embedded or verb, by_token, [], targets)
                if where is not None and where.country:
                    sources = []
            unnamed = passive or ethnic  # "killed by a roadside bomb": no actor named
            if not sources and code[:2] in LOCAL_ROOTS and unnamed:
                # an unnamed or stateless perpetrator ("were killed in Beirut", "ethnic
                # Albanians demonstrated in Serbia") is placed where it acted, as coders do
                where = choose_place(places, embedded or verb, by_token, [], targets)
                if where is not None and where.country:
                    sources = [country_mention(where)]
                    rule = f"{rule}+located"
            if not sources and not passive:
                continue  # an event needs its actor unless the passive hides it
            if not targets and verb.lemma_.lower() in CLAUSE_TARGET:
                targets = clause_subject_actors(verb, by_token)
            add(self._events(ctx, verb, embedded or verb, code, rule, weight, sources, targets),
                verb, rank(verb))
        for verb, events in self._adjective_events(ctx, consumed, verbs):
            add(events, verb, rank(verb))
        covered = {t.i for e in found for t in (e[0], e[3], e[4])
                   if t is not None and not e[1].startswith("01")}
        for noun, events in self._noun_events(ctx, covered, tokens):
            during = noun.dep_ == "pobj" and noun.head.lower_ == "during" \
                and noun.head.head.i in main  # "during a video call, A and B agreed"
            governed = noun.dep_ == "dobj" and rank(noun.head) > 0  # "noting the flights of"
            add(events, noun, 2 if during else 1 if governed else 0)
        if any(not e.cameo_code.startswith("01") and not e.hypothetical and not e.negated
               for _, _, e in ranked):
            ranked = [r for r in ranked if not (r[2].cameo_code.startswith("01")
                                                 and r[2].coder.startswith("verb:")
                                                 and r[2].trigger_text.lower() in SPEECH_FORMS)]
        return dedupe_events(_select(ranked, self.scope))

    def _adjective_events(self, ctx: _Context, consumed: set[int], verbs: list[Token]
                          ) -> list[tuple[Token, list[Event]]]:
        """'Russia is upset by ...', 'the US was not satisfied ...'."""
        out: list[tuple[Token, list[Event]]] = []
        for verb in verbs:
            if verb.i in consumed:
                continue
            if verb.lemma_.lower() in COPULAS:
                adj = next((c for c in verb.children if c.dep_ == "acomp"
                            and c.lemma_.lower() in self.adjectives), None)
            elif verb.tag_ == "VBN" and verb.lower_ in self.adjectives and any(
                    c.dep_ == "auxpass" for c in verb.children):
                adj = verb  # "Russia is upset by ...": a participle used as an adjective
            else:
                adj = None
            if adj is None:
                continue
            key = adj.lower_ if adj.lower_ in self.adjectives else adj.lemma_.lower()
            code, negated_code = self.adjectives[key]
            comp = next((c for c in adj.children if c.dep_ == "xcomp"), None)
            if code.startswith("03") and comp is not None:
                inner = self._match(through_transparent(comp))  # "ready to contribute troops"
                converted = self.lexicon.convert("intent", inner.rule.code) if inner else None
                code = converted or code
            negated = any(c.dep_ == "neg" for c in [*verb.children, *adj.children])
            flip = negated and negated_code is not None
            subject, _ = find_subject(verb)
            sources = actors_at(subject, ctx.by_token) if subject is not None else []
            if not sources and subject is not None and subject.tag_ == "PRP":
                sources = speaker(verb, ctx.by_token)  # "said he is prepared to ..."
            targets = prep_targets(adj, ctx.by_token, extra=("by", "about", "at"))
            if not targets:
                agent = find_agent(adj)
                targets = actors_at(agent, ctx.by_token) if agent is not None else []
            if not targets:
                comp = next((c for c in adj.children if c.dep_ == "xcomp"), None)
                if comp is not None:  # "not satisfied to see China trying ..."
                    obj = direct_object(comp)
                    targets = actors_at(obj, ctx.by_token) if obj is not None else []
                    if not targets and obj is not None:  # "ready to host a meeting between"
                        targets = nested_prep_targets(obj, ctx.by_token)
                    if not targets:
                        targets = clause_subject_actors(comp, ctx.by_token)
            targets = [t for t in targets if not any(same_actor(t, s) for s in sources)]
            rule = f"adjective:{'not ' if flip else ''}{key}"
            chosen = negated_code if flip and negated_code else code
            out.append((verb, self._events(ctx, verb, adj, chosen, rule, 0.7, sources, targets,
                                           ignore_negation=flip)))
        return out

    def _noun_events(self, ctx: _Context, covered: set[int], tokens: list[Token]
                     ) -> list[tuple[Token, list[Event]]]:
        """Event nouns with an actor attached: 'US pressure', 'flights of US bombers'."""
        out: list[tuple[Token, list[Event]]] = []
        heads = self._noun_heads
        for noun in tokens:
            if noun.pos_ not in ("NOUN", "PROPN") or noun.i in covered \
                    or noun.lemma_.lower() not in heads:
                continue
            key = noun_key(noun, self.nouns)
            if key is None:
                continue
            code, of_role = self.nouns[key]
            sources: list[Mention] = []
            targets: list[Mention] = []
            for child in noun.children:
                if child.dep_ in ("poss", "compound", "amod", "nmod") and child.i < noun.i:
                    sources = sources or actors_at(child, ctx.by_token)
                elif child.dep_ == "prep" and child.lower_ in ("by", "of"):
                    pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                    found = actors_at(pobj, ctx.by_token)
                    if child.lower_ == "by" or of_role == "source":
                        sources = sources or found
                    else:
                        targets = targets or found
                elif child.dep_ == "prep" and child.lower_ == "between":
                    pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                    sources = sources or actors_at(pobj, ctx.by_token)
            if not targets:
                targets = prep_targets(noun, ctx.by_token, extra=("near", "between"))
            governor = governing_verb(noun)
            if not sources and noun.dep_ == "pobj" and noun.head.lower_ in ("during", "in") \
                    and governor is not None:
                subject, passive = find_subject(governor)  # "during a video call, A and B ..."
                if subject is not None and not passive:
                    sources = actors_at(subject, ctx.by_token)
            if not sources:
                continue
            if not targets and governor is not None:
                # "after US pressure, construction was halted ... in the UAE"
                place = choose_place(ctx.places, governor, ctx.by_token, sources, [])
                if place is not None and place.country and place.country != sources[0].country:
                    targets = [place]
            targets = [t for t in targets if not any(same_actor(t, s) for s in sources)]
            out.append((noun, self._events(ctx, governor or noun, noun, code, f"noun:{key}", 0.6,
                                           sources, targets)))
        return out

    def _code_verb(self, verb: Token, consumed: set[int]
                   ) -> tuple[str, str, Token | None, Token | None, float] | None:
        obliged = obligation(verb)
        if obliged is not None:
            # "X said that Y must free the hostages": a demand of Y
            clause, kind = obliged
            inner = through_transparent(clause)
            match = self._match(inner)
            code = self.lexicon.convert(kind, match.rule.code if match else None) \
                or "100"
            consumed.update({clause.i, inner.i})
            name = match.rule.name if match else inner.lemma_.lower()
            return (code, f"frame:{verb.lemma_.lower()}+{kind}+{name}", clause,
                    match.object_token if match else None, 0.7)
        frame = self.lexicon.frame(verb)
        comp = open_complement(verb)
        if frame is not None and comp is not None:
            inner = through_transparent(comp)
            match = self._match(inner)
            if match is not None and match.rule.code.startswith("15") and (
                    joint(inner) or any(c.dep_ == "conj" for s in verb.children
                                         if s.dep_ == "nsubj" for c in s.children)):
                match = Match(VerbRule(match.rule.lemma, match.rule.objects, match.rule.prep,
                                       "062"), match.object_token)  # joint drills: cooperation
            if match is None and inner.lemma_.lower() in COPULAS | {"have", "exist"}:
                own = self._match(verb)  # "agreed there was a need": the verb's own sense
                if own is not None:
                    return own.rule.code, f"verb:{own.rule.name}", None, own.object_token, 0.7
            code = self.lexicon.frame_code(frame, match.rule.code if match else None)
            consumed.update({comp.i, inner.i})
            rule = f"frame:{frame.lemma}+{match.rule.name if match else inner.lemma_.lower()}"
            return code, rule, inner, match.object_token if match else None, 0.8
        match = self._match(verb)
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

    def _match(self, verb: Token) -> Match | None:
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
                key = noun_key(pobj, self.nouns) if pobj is not None else None
                if key is not None:
                    code = self.nouns[key][0]
                    return Match(VerbRule(lemma, frozenset({key}), prep.lower_, code), obj)
        if obj is not None and verb.lemma_.lower() in LIGHT_VERBS \
                and (match is None or match.rule.objects is None):
            # "announced a suspension", "ordered patrols": the noun names the event
            key = noun_key(obj, self.nouns)
            if key is not None:
                code = self.nouns[key][0]
                return Match(VerbRule(verb.lemma_.lower(), frozenset({key}), None, code), obj)
        return match

    # ------------------------------------------------------------------------------------
    def _events(self, ctx: _Context, verb: Token, trigger: Token, code: str, rule: str,
                weight: float, sources: list[Mention], targets: list[Mention],
                ignore_negation: bool = False) -> list[Event]:
        """Events of one trigger: modality from ``verb`` (which governs it), evidence from
        ``trigger``, one event per source–target pair."""
        sent, s_index, doc_id = ctx.sent, ctx.s_index, ctx.doc_id
        by_token, places, dates, published, in_story = (ctx.by_token, ctx.places, ctx.dates,
                                                        ctx.published, ctx.in_story)
        entry = self.ontology.get(code)
        event_verb = trigger
        if not sources and not targets:
            return []
        modality = modality_of(verb, sent, in_story)
        if trigger.i != verb.i and modality == "asserted" and trigger.pos_ in ("VERB", "AUX") \
                and any(c.dep_ == "neg" for c in trigger.children):
            modality = "negated"  # "agreed not to attack"
        if ignore_negation and modality == "negated":
            modality = "asserted"
        if modality == "negated" and not rule.startswith("frame:") and _future(trigger):
            # "would not provide support": a refusal, which CAMEO codes as a rejection
            refused = self.lexicon.convert("reject", code) or "120"
            code, rule, modality = refused, f"{rule}+refusal", "asserted"
            entry = self.ontology.get(code)
        if modality == "intended" and not rule.startswith("frame:"):
            # CAMEO codes a stated future action as intent (cooperation) or threat (conflict)
            converted = self.lexicon.convert("intent", code)
            if converted:
                code, rule = converted, f"{rule}+future"
                entry = self.ontology.get(code)
        attributed = attribution(verb, by_token)
        when = choose_date(dates, sent, event_verb, published)
        if when[1] == "published" and verb.i != event_verb.i:
            when = choose_date(dates, sent, verb, published)  # "threatened in 1904 to ..."
        place = choose_place(places, event_verb, by_token, sources, targets)
        if place is None and verb.i != event_verb.i:
            place = choose_place(places, verb, by_token, sources, targets)
        quantity = find_quantity(event_verb) or (
            find_quantity(verb) if verb.i != event_verb.i else None)
        if sources and place is not None and place.country \
                and place.country not in TRANSNATIONAL \
                and all(s.country is None for s in sources):
            # "opposition leaders agreed to delay the march in Tbilisi": a role the text
            # places nowhere else belongs to the country where it acts
            sources = [inherit_country(s, place.country) for s in sources]
        if not targets and place is not None and place.country and entry.code in VISIT_CODES \
                and all(src.country != place.country for src in sources):
            targets = [country_mention(place)]  # "arrived in Amman" visits Jordan
        if targets and all(t.country is None for t in targets):
            # a target with a role but no country ("police", "troops", "the president")
            if place is not None and place.country \
                    and all(src.country != place.country for src in sources) \
                    and entry.root not in ("01",):
                targets = [country_mention(place)]  # "refused to deploy troops in Iraq"
            elif sources and sources[0].country and sources[0].country not in TRANSNATIONAL:
                targets = [inherit_country(t, sources[0].country) for t in targets]
        framed = trigger.i != verb.i and entry.root in ("12", "13")  # "refused to deploy in"
        if not targets and place is not None and place.country \
                and (entry.root not in ("01", "02") or framed) \
                and all(src.country != place.country for src in sources):
            targets = [country_mention(place)]  # "shelled positions in Syria", "aid in Liberia"
            rule = f"{rule}+place"
        if not targets and place is not None and place.country and sources \
                and entry.root not in ("01", "02") \
                and all(src.country == place.country for src in sources):
            # "will extend the curfew in Paris": an untargeted act at home is domestic
            targets = [country_mention(place)]
            rule = f"{rule}+domestic"
        if not targets and entry.root not in ("01",):
            # "... to show their anger at X", "fired tear gas to disperse the protesters"
            targets = [t for t in purpose_targets(trigger, by_token)
                       if not any(same_actor(t, s) for s in sources)]
            if targets and all(t.country is None for t in targets) and sources \
                    and sources[0].country and sources[0].country not in TRANSNATIONAL:
                targets = [inherit_country(t, sources[0].country) for t in targets]
        if not targets and entry.root in DOMESTIC_ROOTS and sources and sources[0].country \
                and sources[0].country not in ("IGO", "NGO", "IMG"):
            targets = [country_mention(sources[0])]
            rule = f"{rule}+domestic"
        victim = direct_object(trigger)
        if entry.root == "19" and trigger.lemma_.lower() in HARM_VERBS | {"shoot", "murder"} \
                and is_civilian(victim if victim is not None else find_subject(trigger)[0],
                              targets):
            entry = self.ontology.get("180")  # violence against civilians is assault, not war
            code, rule = entry.code, f"{rule}+civilians"
        if code in ("190", "193", "180") and trigger.lemma_.lower() in ("kill", "shoot", "murder") \
                and (any(t.method.startswith(("leader", "person")) or OFFICE_WORDS & set(
                    t.text.lower().replace("-", " ").split()) for t in targets)
                     or (victim is not None and victim.lemma_.lower() in OFFICE_WORDS)):
            entry = self.ontology.get("186")  # killing a leader or official: assassination
            code, rule = entry.code, f"{rule}+official"
        if entry.root == "15" and (len({m.country for m in sources}) > 1 or joint(trigger)):
            entry = self.ontology.get("062")  # joint exercises and patrols: cooperation
            code, rule = entry.code, f"{rule}+joint"
        symmetric = entry.root in SYMMETRIC_ROOTS or code in SYMMETRIC_CODES
        pairs: list[tuple[Mention | None, Mention | None, bool]] = []
        if sources and targets:
            pairs = [(s, t, symmetric) for s in sources for t in targets
                     if not same_actor(s, t)]
        elif len(sources) > 1 and symmetric:
            pairs = [(s, t, True) for s in sources for t in sources if not same_actor(s, t)]
        elif sources:
            pairs = [(s, None, False) for s in sources]
        else:
            pairs = [(None, t, False) for t in targets]
        out = []
        for source, target, reciprocal in pairs:
            if entry.quad_class != 4 and is_commercial(source, target):
                continue  # deals between companies are business news, not political events
            if unplaced_civil(source, target):
                continue  # "health officials say ...": no state and no place, no politics
            if source is None and (target is None or target.country is None) \
                    and trigger.lemma_.lower() in HARM_VERBS and not _object_rule(rule):
                # "nine people were killed" with no actor, no weapon and no place: nothing
                # says it was a political event (a storm kills people too)
                continue
            conf = weight
            for m in (source, target):
                if m is not None:
                    conf *= 0.5 + 0.5 * m.confidence
            key = (f"{doc_id}|{s_index}|{trigger.idx}|{code}|"
                   f"{source.char_start if source else ''}|{source.code if source else ''}|"
                   f"{target.char_start if target else ''}|{target.code if target else ''}")
            out.append(Event(
                event_id=hashlib.sha1(key.encode()).hexdigest()[:16],
                doc_id=doc_id, sentence_index=s_index, sentence=sent.text.strip(),
                date=when[0], date_precision=when[1],
                source_code=source.code if source else None,
                source_country=source.country if source else None,
                source_sector=source.sector if source else None,
                source_name=source.name if source else None,
                source_text=source.text if source else None,
                target_code=target.code if target else None,
                target_country=target.country if target else None,
                target_sector=target.sector if target else None,
                target_name=target.name if target else None,
                target_text=(target.text or None) if target else None,
                cameo_code=entry.code, cameo_root=entry.root, goldstein=entry.goldstein,
                quad_class=entry.quad_class, plover_type=entry.plover_type,
                plover_mode=entry.plover_mode,
                trigger_text=trigger.text, char_start=trigger.idx,
                char_end=trigger.idx + len(trigger.text),
                negated=modality == "negated",
                hypothetical=modality in ("hypothetical", "question", "story"),
                attributed_to=attributed,
                quantity=quantity,
                location_name=place.name if place else None,
                location_country=place.country if place else None,
                latitude=place.latitude if place else None,
                longitude=place.longitude if place else None,
                confidence=round(conf, 3), coder=rule,
                source_start=source.char_start if source else None,
                source_end=source.char_end if source else None,
                target_start=target.char_start if target and target.char_start >= 0 else None,
                target_end=target.char_end if target and target.char_end >= 0 else None,
                modality=modality, reciprocal=reciprocal,
            ))
        return out

    def _actors(self, verb: Token, embedded: Token | None, obj: Token | None,
                by_token: dict[int, list[Mention]], rule: str = "", code: str = ""
                ) -> tuple[list[Mention], list[Mention]]:
        subject, passive = find_subject(verb)
        selects = _selects(rule, obj)  # "launched artillery": the object may name the event
        sources: list[Mention] = []
        targets: list[Mention] = []
        if embedded is not None and verb.lemma_.lower() in OBJECT_CONTROL:
            # "urged Iran to release": Iran is the target of the demand
            dobj = direct_object(verb)
            if dobj is not None:
                targets = actors_at(dobj, by_token)
        if embedded is not None and not targets and embedded.dep_ == "ccomp":
            # "demanded that Hamas renounce ...": whoever is asked to act is the target
            inner, _ = find_subject(embedded)
            if inner is not None and inner.i != verb.i:
                targets = actors_at(inner, by_token)
        if passive and verb.lemma_.lower() in ("engage", "involve") and find_agent(verb) is None:
            passive = False  # "Serb forces were engaged in ethnic cleansing": they act
        if passive:
            agent = find_agent(verb)
            sources = actors_at(agent, by_token) if agent is not None else []
            if not sources:
                sources = instrument_actors(embedded or verb, by_token)  # "in Russian airstrikes"
            if subject is not None:
                targets = targets or actors_at(subject, by_token)
        else:
            sources = actors_at(subject, by_token) if subject is not None else []
            if not sources and subject is not None and subject.tag_ == "PRP":
                sources = speaker(verb, by_token)  # "X said they would boycott ..."
                # "he" is a person speaking, "it" an institution: a pronoun that cannot be
                # the speaker is someone else ("the driver ... she ..., the ministry said")
                if subject.lower_ in ("he", "she"):
                    sources = [m for m in sources if not is_institution(m)]
                elif subject.lower_ == "it":
                    sources = [m for m in sources
                               if not m.method.startswith(("leader", "person"))]
        if not targets:
            event_verb = embedded or verb
            e_obj = obj if obj is not None else direct_object(event_verb)
            if e_obj is not None and not (passive and embedded is None):
                targets = actors_at(e_obj, by_token)
                if selects and not any(t.country for t in targets):
                    targets = []  # a weapon or a talk, not a participant
            if not any(t.country for t in targets):
                # "offered Azerbaijan support": the recipient of a double-object verb
                recipient = next((c for c in event_verb.children if c.dep_ == "dative"
                                  and c.pos_ in ("NOUN", "PROPN")), None)
                if recipient is not None and recipient is not e_obj:
                    targets = actors_at(recipient, by_token) or targets
            if not any(t.country for t in targets):
                # "deployed troops to Belarus": a country-less object yields to a country
                targets = prep_targets(event_verb, by_token) or targets
            if not any(t.country for t in targets) and e_obj is not None:
                # "signed a deal with China", "rejected calls by Annan", "links with Serbia"
                # "by" names whom a verbal act answers ("rejected proposals by the envoy"), but who
                # performs a material one ("ordered sweeps by the army")
                by = ("by",) if code[:2] < "14" else ()
                targets = nested_prep_targets(e_obj, by_token, extra=by) or targets
            if not any(t.country for t in targets) and e_obj is not None \
                    and e_obj.pos_ in ("NOUN", "PROPN"):
                # "deploy peacekeepers in Sudan": a country-less object placed in a country
                targets = located_in(e_obj, by_token) or targets
            if not targets and e_obj is None:
                # "went back on its promise to the farmers": the phrases of the verb's
                # prepositional object name whom the act concerns
                for prep in event_verb.children:
                    if prep.dep_ == "prep" and prep.lower_ in TARGET_PREPS:
                        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                        if pobj is not None and pobj.pos_ == "NOUN":
                            targets = nested_prep_targets(pobj, by_token)
                            if targets:
                                break
            if not targets and e_obj is None:
                # "collected and delivered medicine to X": conjoined verbs share their arguments
                for other in event_verb.conjuncts:
                    if other.i < event_verb.i or any(c.dep_ in ("nsubj", "nsubjpass")
                                                     for c in other.children):
                        continue  # a verb with a subject of its own is another event
                    o_obj = direct_object(other)
                    targets = prep_targets(other, by_token) or (
                        nested_prep_targets(o_obj, by_token) if o_obj is not None else [])
                    if targets:
                        break
            if not targets and e_obj is not None:
                # "reiterated its demand that Israel ease ...": who is asked is the target
                clause = next((c for c in e_obj.children if c.dep_ in ("ccomp", "acl")
                               and c.pos_ in ("VERB", "AUX")), None)
                if clause is None and selects:  # the parser hangs the clause on the verb
                    clause = next((c for c in event_verb.children if c.dep_ == "ccomp"
                                   and c.i > e_obj.i and c.pos_ in ("VERB", "AUX")), None)
                inner = find_subject(clause)[0] if clause is not None else None
                if inner is not None:
                    targets = actors_at(inner, by_token)
        if not any(t.country for t in targets) and code[:2] == "13":
            # "threatened to block roads unless Argentina lifts ...": whoever must meet the
            # condition is the one threatened
            for head in (embedded, verb):
                clause = next((c for c in head.children if c.dep_ == "advcl" and any(
                    m.dep_ == "mark" and m.lower_ in ("unless", "if") for m in c.children)),
                    None) if head is not None else None
                inner = find_subject(clause)[0] if clause is not None else None
                found = actors_at(inner, by_token) if inner is not None else []
                if any(m.country for m in found):
                    targets = found
                    break
        if targets and not any(t.country for t in targets):
            # "food to refugees fleeing the fighting in Sudan": a role placed by its own phrases
            for t in targets:
                span = verb.doc.char_span(t.char_start, t.char_end, alignment_mode="expand") \
                    if t.char_start >= 0 else None
                found = located_in(span.root, by_token) if span is not None else []
                if found:
                    targets = found
                    break
        targets = [t for t in targets if not any(same_actor(t, s) for s in sources)]
        return unique_mentions(sources), unique_mentions(targets)


# -- helpers over the parse ------------------------------------------------------------------


def _select(ranked: list[tuple[int, int, Event]], scope: str) -> list[Event]:
    """Scope "main": the main predication's events (salience 2), plus events of a participle
    clause or event noun hung on it (salience 1) that name a new pair of countries — a second,
    different interaction; with no main event, the most prominent other event."""
    if scope == "all" or not ranked:
        return [e for _, _, e in ranked]
    main = [e for s, _, e in ranked if s == 2]
    if main and all(e.cameo_root == "01" for e in main):
        # a bare statement ("published a statement demanding ...") yields to what it carries
        content = [(d, e) for _, d, e in ranked if e.cameo_root != "01"
                   and not e.hypothetical and not e.negated]
        if content:
            shallowest = min(d for d, _ in content)
            main = [e for d, e in content if d == shallowest]
    if not main:
        # with no main event, the most prominent other one, but not the background of a
        # time clause ("..., before the new assembly meets") or an attribution
        # ("according to data published by ...")
        ranked = [r for r in ranked if r[0] >= 0]
        if not ranked:
            return []
        shallowest = min(d for _, d, _ in ranked)
        main = [e for _, d, e in ranked if d == shallowest]
    pairs = {(e.source_country, e.target_country) for e in main}
    pairs |= {(t, s) for s, t in pairs}
    extra = [e for s, _, e in ranked if s == 1 and e not in main and e.source_country
             and e.target_country and e.source_country != e.target_country
             and (e.source_country, e.target_country) not in pairs]
    return main + extra


def _future(tok: Token) -> bool:
    """Whether a verb carries will/would/shall, on itself or on its clause."""
    for t in (tok, tok.head):
        if any(c.dep_ == "aux" and c.lower_ in ("will", "would", "shall", "wo", "'ll")
               for c in t.children):
            return True
    return False


def _selects(rule: str, obj: Token | None) -> bool:
    """Whether ``obj`` is the object a lexicon rule was chosen for ("launched *artillery*",
    "held *talks*"): such an object describes the event and is no participant in it."""
    parts = rule.split("/")
    if obj is None or len(parts) < 2 or not parts[1]:
        return False
    objects = set(parts[1].split("|"))
    return any(form in objects for form in noun_forms(obj))


def _object_rule(rule: str) -> bool:
    """Whether a lexicon rule name ("verb:lemma/objects/prep") requires an object."""
    parts = rule.split("/")
    return len(parts) >= 2 and bool(parts[1])


