"""Assembly: the last stage of the event coder, after triggers, participants and modality.

A coded trigger with its sources and targets becomes ``Event`` records: the modality decides
the code where CAMEO says so (a negated future is a refusal, a stated future act an intent or
a threat), the date, place, quantity and attribution are read around the trigger
(``evidence.py``, ``syntax.py``), the place completes missing participants (a visit's host, a
domestic target, a role's country), violence against civilians or officials takes its own
code, and one event is made per source–target pair (both directions for a symmetric action).
Then ``select`` keeps the sentence's main events, as gold sets code them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

from ..actors.gazetteer import TRANSNATIONAL
from ..actors.resolver import make_code
from ..records import Event, Mention
from .clauses import background
from .dates import DateRef, find_dates
from .evidence import choose_date, choose_place, find_quantity
from .lexicon import Lexicon
from .modality import carries_future, trigger_modality
from .ontology import Ontology
from .participants import (
    country_mention,
    inherit_country,
    is_civilian,
    is_commercial,
    placeable,
    placed_mention,
    purpose_targets,
    same_actor,
    unplaced_civil,
)
from .syntax import attribution, direct_object, find_subject, joint
from .triggers import HARM_VERBS, object_rule

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

#: Inflected speech verbs whose bare statements (01x) yield to any other event of the sentence.
SPEECH_FORMS = {"said", "says", "say", "told", "tells", "tell", "added", "adds", "stated",
                "states", "announced", "announces", "noted", "notes", "reported", "reports",
                "insisted", "insists", "stressed", "stresses", "declared", "declares",
                "confirmed", "confirms", "explained", "claimed", "claims", "wrote", "writes",
                "informing", "saying", "noting", "adding", "describing", "described"}
SYMMETRIC_ROOTS = {"03", "04", "06"}
SYMMETRIC_CODES = {"057", "050", "0311", "0312", "036", "019"}
#: Roots whose untargeted events are domestic: a protest, a crackdown or a concession with
#: no other actor named is aimed at the actor's own country (as CAMEO coders code them).
DOMESTIC_ROOTS = {"08", "14", "17"}
#: Codes whose target is by definition a state or its government (CAMEO 054, grant
#: diplomatic recognition): without a country on the target there is no such event.
STATE_TARGET_CODES = {"054"}
VISIT_CODES = {"042", "043", "044"}
#: A killing whose target is a leader or official is an assassination (CAMEO 186).
OFFICE_WORDS = {"leader", "chief", "commander", "minister", "president", "official", "governor",
                "mayor", "general", "head", "prime", "king", "sheikh", "cleric", "envoy"}


@dataclass
class SentenceContext:
    """What every event of one sentence shares: its document, the resolved actors by token,
    the places and dates found in it, the publication date, and whether it is in a story."""

    doc: Doc
    sent: Span
    s_index: int
    doc_id: str
    by_token: dict[int, list[Mention]]
    places: list[tuple[Mention, Span]]
    published: date | None
    in_story: bool
    #: the country the story is about (dateline, or a clear majority of its actors), given to
    #: a role that nothing else places ("prosecutors", "the governor"): see
    #: ``actors.resolver.document_country``
    story_country: str | None = None

    @cached_property
    def dates(self) -> list[DateRef]:
        """The sentence's dates, read only when it has an event to date."""
        text = self.sent.text
        if self.published is None and not any(c.isdigit() for c in text):
            return []
        return find_dates(text, self.published)


class EventAssembler:
    """Builds the events of one trigger; the lexicon converts codes by modality."""

    def __init__(self, lexicon: Lexicon, ontology: Ontology):
        self.lexicon = lexicon
        self.ontology = ontology

    def events(self, ctx: SentenceContext, verb: Token, trigger: Token, code: str, rule: str,
               weight: float, sources: list[Mention], targets: list[Mention],
               ignore_negation: bool = False, patient: Mention | None = None) -> list[Event]:
        """Events of one trigger: modality from ``verb`` (which governs it), evidence from
        ``trigger``, one event per source–target pair. ``patient`` (``events/patient.py``)
        is what the act lands on when no target actor is found, recorded as the target's
        text with no country."""
        sent, s_index, doc_id = ctx.sent, ctx.s_index, ctx.doc_id
        by_token, places, dates, published, in_story = (ctx.by_token, ctx.places, ctx.dates,
                                                        ctx.published, ctx.in_story)
        entry = self.ontology.get(code)
        event_verb = trigger
        # "it was surrounded by the Turks": a pronoun never stands for another participant of
        # its own clause, so an "it" resolved to a source's country was resolved wrongly
        targets = [t for t in targets if not (t.method == "coref:it" and any(
            s.country == t.country for s in sources))]
        sources = [s for s in sources if not (s.method == "coref:it" and any(
            t.country == s.country for t in targets))]
        if not sources and not targets:
            return []
        modality = trigger_modality(verb, trigger, sent, in_story, ignore_negation)
        if modality == "negated" and not rule.startswith("frame:") and carries_future(trigger):
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
            targets = [placed_mention(place)]  # "arrived in Amman" visits Jordan
        if targets and all(t.country is None for t in targets):
            # a target with a role but no country ("police", "troops", "the president")
            if place is not None and place.country \
                    and all(src.country != place.country for src in sources) \
                    and entry.root not in ("01",):
                targets = [placed_mention(place)]  # "refused to deploy troops in Iraq"
            elif sources and sources[0].country and sources[0].country not in TRANSNATIONAL:
                targets = [inherit_country(t, sources[0].country) for t in targets]
        framed = trigger.i != verb.i and entry.root in ("12", "13")  # "refused to deploy in"
        # a meeting held somewhere is not a meeting with the host (04 names the counterpart)
        if not targets and place is not None and place.country \
                and (entry.root not in ("01", "02", "04") or framed) \
                and all(src.country != place.country for src in sources):
            targets = [placed_mention(place)]  # "shelled positions in Syria", "aid in Liberia"
            rule = f"{rule}+place"
        if not targets and place is not None and place.country and sources \
                and entry.root not in ("01", "02") \
                and all(src.country == place.country for src in sources):
            # "will extend the curfew in Paris": an untargeted act at home is domestic
            targets = [placed_mention(place)]
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
        if patient is not None and targets and all(t.char_start < 0 for t in targets):
            # an implied target (the country an act at home or abroad lands in) takes the words
            # of what it lands on as its evidence: "let free [the activist]" (domestic)
            targets = [replace(t, text=patient.text, char_start=patient.char_start,
                               char_end=patient.char_end) for t in targets]
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
        if ctx.story_country is not None:
            # a role the text places nowhere takes the story's country, with low confidence
            sources = [_in_story(m, ctx.story_country) for m in sources]
            targets = [_in_story(m, ctx.story_country) for m in targets]
        pairs: list[tuple[Mention | None, Mention | None, bool]] = []
        if sources and targets:
            pairs = [(s, t, symmetric) for s in sources for t in targets
                     if not same_actor(s, t)]
        elif len(sources) > 1 and (symmetric or mutual(trigger)):
            pairs = [(s, t, True) for s in sources for t in sources if not same_actor(s, t)]
        elif sources and patient is not None \
                and not any(same_actor(patient, s) or _overlaps(patient, s) for s in sources):
            pairs = [(s, patient, False) for s in sources]  # what the act lands on
        elif sources:
            pairs = [(s, None, False) for s in sources]
        else:
            pairs = [(None, t, False) for t in targets]
        out = []
        # an event never has the same actor code on both sides. A target the text only
        # implies (an act at home) is the side CAMEO's domestic codes name: the government
        # for a protest, the population for coercion, concessions and violence; a named
        # target with the source's own code loses its code and keeps its words
        cleaned: list[tuple[Mention | None, Mention | None, bool]] = []
        for source, target, reciprocal in pairs:
            if source is not None and target is not None and source.code \
                    and source.code == target.code:
                if _implied(target) and target.country:
                    sector = "GOV" if entry.root == "14" else "CVL"
                    target = replace(target, sector=sector,
                                     code=make_code(target.country, sector))
                if target.code == source.code:
                    # the words stay as the evidence of whom the act concerned, uncoded:
                    # "the police arrested [a commander]" is no self-directed dyad
                    target, reciprocal = replace(
                        target, country=None, sector=None, code="",
                        method=f"{target.method}:same-as-source"), False
            if (source, target, reciprocal) not in cleaned:
                cleaned.append((source, target, reciprocal))
        # a source that acts on someone needs no second, targetless copy of the act
        cleaned = [p for p in cleaned if p[1] is not None or not any(
            q[0] is p[0] and q[1] is not None for q in cleaned)]
        for source, target, reciprocal in cleaned:
            if entry.quad_class != 4 and is_commercial(source, target):
                continue  # deals between companies are business news, not political events
            if unplaced_civil(source, target):
                continue  # "health officials say ...": no state and no place, no politics
            if not any(m is not None and m.code for m in (source, target)):
                continue  # no side any dictionary knows: nothing says it is political
            sides = [m for m in (source, target) if m is not None]
            if entry.root == "01" and not any(m.country for m in sides) and (
                    target is None or any(m.method == "unresolved" for m in sides)):
                # a statement with no country, about nothing or by or of someone no
                # dictionary knows ("the group claimed", "X said")
                continue
            if entry.code in STATE_TARGET_CODES and (target is None or not target.country):
                # CAMEO 054 is recognition of a state or government: "people recognize him as a
                # hero" recognises no state
                continue
            if source is None and (target is None or target.country is None) \
                    and trigger.lemma_.lower() in HARM_VERBS and not object_rule(rule):
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
                target_code=(target.code or None) if target else None,
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


# -- the sentence's main events ----------------------------------------------------------------


def salience(verb: Token, main: set[int]) -> int:
    """2 for the main predication, 1 for a participle clause hung on it ("..., noting the
    flights of"), -1 for background (a time clause, "according to"), else 0."""
    if verb.i in main:
        return 2
    if verb.dep_ == "advcl" and verb.tag_ == "VBG" and verb.head.i in main:
        return 1
    return -1 if background(verb) else 0


def noun_salience(noun: Token, main: set[int]) -> int:
    """2 for an event noun that sets the main predication's scene ("during a video call, A
    and B agreed"), 1 for the object of a main or participle verb, else 0."""
    during = noun.dep_ == "pobj" and noun.head.lower_ == "during" \
        and noun.head.head.i in main  # "during a video call, A and B agreed"
    governed = noun.dep_ == "dobj" and salience(noun.head, main) > 0  # "noting the flights of"
    return 2 if during else 1 if governed else 0


def drop_bare_statements(ranked: list[tuple[int, int, Event]]) -> list[tuple[int, int, Event]]:
    """A speech verb's own statement (010 for "said") yields to any asserted non-statement
    event of the sentence."""
    if any(not e.cameo_code.startswith("01") and not e.hypothetical and not e.negated
           for _, _, e in ranked):
        ranked = [r for r in ranked if not (r[2].cameo_code.startswith("01")
                                             and r[2].coder.startswith("verb:")
                                             and r[2].trigger_text.lower() in SPEECH_FORMS)]
    return ranked


def _in_story(m: Mention, country: str) -> Mention:
    if m.country is not None or not placeable(m) or m.role != "actor":
        return m
    return replace(inherit_country(m, country), method=f"{m.method}+context")


def _implied(m: Mention) -> bool:
    """Whether a target stands for a country the text only implies (a domestic act, a place)."""
    return m.char_start < 0 or m.method.endswith((":implied", ":implied-place"))


#: Acts that are mutual whenever two parties do them together: "A and B exchanged fire",
#: "A and B clashed".
RECIPROCAL_LEMMAS = {"exchange", "clash", "skirmish"}


def mutual(trigger: Token) -> bool:
    """Whether the act is done by each party to the other: "accused each other",
    "fired on one another", "clashes between A and B", "A and B exchanged fire"."""
    if trigger.lemma_.lower() in RECIPROCAL_LEMMAS:
        return True
    for child in trigger.children:
        if child.dep_ == "prep" and child.lower_ in ("between", "among"):
            return True
    for tok in trigger.subtree:
        if tok.lower_ == "other" and tok.i > 0 and tok.nbor(-1).lower_ == "each":
            return True
        if tok.lower_ == "another" and tok.i > 0 and tok.nbor(-1).lower_ == "one":
            return True
    return False


def _overlaps(a: Mention, b: Mention) -> bool:
    return a.char_start < b.char_end and b.char_start < a.char_end


def select(ranked: list[tuple[int, int, Event]], scope: str) -> list[Event]:
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

