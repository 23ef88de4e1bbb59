"""Participants: the second stage of the event coder, after the triggers (``triggers.py``).

Who acts and who is acted upon, read from the parse around a trigger. For a verb the source is
its subject (the agent of a passive, the speaker of a pronoun inside a report) and the target its
object, its recipient or the object of a preposition; an object that only names the event
("launched artillery", "held talks") yields to the actors of its own phrases. Demands and
threats target whoever must act ("urged Iran to release", "unless Argentina lifts"). For an
adjective the target is in its "by"/"about"/"at" phrase; for an event noun the actors are its
modifiers and its "by"/"of" phrases. An unnamed perpetrator is placed where it acted.

The general helpers for implicit participants (domestic targets, weapons that name their
wielder, countries inherited from a place) are in ``participants.py``; what a sentence's place,
date and quantity do to the participants once the event is assembled is in ``assembly.py``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from ..records import Mention
from .dictionary import default_dictionary, singular
from .evidence import choose_place
from .lexicon import noun_forms
from .participants import (
    country_mention,
    instrument_actors,
    is_ethnic,
    is_institution,
    located_in,
    same_actor,
    unique_mentions,
)
from .syntax import (
    ALLY_NOUNS,
    OBJECT_CONTROL,
    TARGET_PREPS,
    actors_at,
    clause_subject_actors,
    direct_object,
    find_agent,
    find_subject,
    nested_prep_targets,
    prep_targets,
    speaker,
)
from .triggers import event_words

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from .triggers import Trigger

#: Roots whose unnamed perpetrator is placed in the country where the event happened.
LOCAL_ROOTS = {"09", "11", "14", "17", "18", "19", "20"}
#: Verbs whose target is the subject of the clause they report ("complained that China ...").
CLAUSE_TARGET = {"complain", "accuse", "protest", "criticize", "criticise", "condemn", "blame",
                 "warn", "allege", "charge", "deplore", "denounce", "object"}

#: Verbs whose subject suffers the act ("ten soldiers died in an airstrike"): the subject is
#: the victim, as a passive's is, and whoever caused it is found as a passive's agent is.
VICTIM_SUBJECT = {"die", "perish", "drown", "starve", "suffocate"}

Places = list[tuple[Mention, "Span"]]


def verb_participants(trigger: Trigger, by_token: dict[int, list[Mention]], places: Places
                      ) -> tuple[list[Mention], list[Mention], str] | None:
    """Sources, targets and rule name (``+located`` when the source is the place's country)
    of a coded verb; None when it has no actor and no passive hides one."""
    verb, code, rule, embedded, obj, _ = trigger
    sources, targets = verb_actors(verb, embedded, obj, by_token, rule, code)
    _, passive = find_subject(verb)
    passive = passive or (embedded or verb).lemma_.lower() in VICTIM_SUBJECT
    ethnic = bool(sources) and all(is_ethnic(verb.doc, m) for m in sources)
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
        return None  # an event needs its actor unless the passive hides it
    if not sources and passive and is_reaction(verb):
        return None  # "were repelled by the violence": a feeling, not an act
    if not targets and verb.lemma_.lower() in CLAUSE_TARGET:
        targets = clause_subject_actors(verb, by_token)
    if not targets and code[:2] == "01" and embedded is None:
        targets = statement_topic(verb, sources, by_token)
    return sources, targets, rule


def statement_topic(verb: Token, sources: list[Mention], by_token: dict[int, list[Mention]]
                    ) -> list[Mention]:
    """Whom a statement is about, as PETRARCH codes it: the country of the reported clause's
    subject ("Russia said [the US] had broken the deal"), or of its object when the subject
    is the speaker again ("the US claimed that they had attacked [Iraq]"). Only actors with a
    country other than every source's: a statement about oneself or about someone unplaced
    keeps no target."""
    clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    if clause is None:
        return []
    own = {s.country for s in sources}

    def others(found: list[Mention]) -> list[Mention]:
        return [m for m in found if m.country and m.country not in own]

    subject, _ = find_subject(clause)
    if subject is not None and others(actors_at(subject, by_token)):
        return others(actors_at(subject, by_token))
    obj = direct_object(clause)
    return others(actors_at(obj, by_token)) if obj is not None else []


def verb_actors(verb: Token, embedded: Token | None, obj: Token | None,
                by_token: dict[int, list[Mention]], rule: str = "", code: str = ""
                ) -> tuple[list[Mention], list[Mention]]:
    """Sources and targets of a verb (``embedded``: the verb of the event a frame wraps;
    ``obj``: the object its lexicon rule was chosen for)."""
    subject, passive = find_subject(verb)
    selects = object_names_event(rule, obj)  # "launched artillery": the object names the event
    sources: list[Mention] = []
    targets: list[Mention] = []
    if embedded is not None and verb.lemma_.lower() in OBJECT_CONTROL:
        # "urged Iran to release": Iran is the target of the demand
        dobj = direct_object(verb)
        if dobj is not None:
            targets = actors_at(dobj, by_token)
        else:
            # "called on the Kremlin to provide", "appealed to Washington to release"
            for prep in verb.children:
                if prep.dep_ in ("prep", "prt") and prep.lower_ in ("on", "upon", "to"):
                    pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                    targets = actors_at(pobj, by_token)
                    if targets:
                        break
    if embedded is not None and not targets and embedded.dep_ == "ccomp":
        # "demanded that Hamas renounce ...": whoever is asked to act is the target
        inner, _ = find_subject(embedded)
        if inner is not None and inner.i != verb.i:
            targets = actors_at(inner, by_token)
    if passive and verb.lemma_.lower() in ("engage", "involve") and find_agent(verb) is None:
        passive = False  # "Serb forces were engaged in ethnic cleansing": they act
    passive = passive or verb.lemma_.lower() in VICTIM_SUBJECT  # "soldiers died in ..."
    if passive:
        agent = find_agent(verb)
        sources = actors_at(agent, by_token) if agent is not None else []
        if not sources:
            sources = instrument_actors(embedded or verb, by_token)  # "in Russian airstrikes"
        if subject is not None:
            targets = targets or actors_at(subject, by_token)
    else:
        sources = actors_at(subject, by_token) if subject is not None else []
        if subject is not None and subject.tag_ == "PRP" \
                and all(m.method.startswith("coref") for m in sources):
            # "X said they would boycott ...": the pronoun is the speaker, named in the
            # sentence, which beats a guess from earlier sentences
            speakers = speaker(verb, by_token)
            # "he" is a person speaking, "it" an institution: a pronoun that cannot be
            # the speaker is someone else ("the driver ... she ..., the ministry said")
            if subject.lower_ in ("he", "she"):
                speakers = [m for m in speakers if not is_institution(m)]
            elif subject.lower_ == "it":
                speakers = [m for m in speakers
                            if not m.method.startswith(("leader", "person"))]
            # unless the resolver found the pronoun's antecedent in this sentence already:
            # "after the resignation of X, Trump said he ..." (the parse may make X the
            # speaker; the resolver read the sentence in order)
            sent = subject.sent
            before = {m.code for i in range(sent.start, subject.i)
                      for m in by_token.get(i, ()) if not m.method.startswith("coref")}
            agree = any(sp.code == m.code or (not m.sector and sp.country == m.country)
                        for sp in speakers for m in sources)
            if agree or not any(m.code in before for m in sources):
                sources = speakers or sources  # the named speaker is the better evidence
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
                    if pobj is not None and pobj.pos_ == "NOUN" \
                            and pobj.lemma_.lower() not in ALLY_NOUNS:
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


def adjective_actors(verb: Token, adj: Token, by_token: dict[int, list[Mention]]
                     ) -> tuple[list[Mention], list[Mention]]:
    """Sources and targets of a copular adjective: "Russia is upset by the US", "not
    satisfied to see China trying ...", "said he is ready to host a meeting between ..."."""
    subject, _ = find_subject(verb)
    sources = actors_at(subject, by_token) if subject is not None else []
    if not sources and subject is not None and subject.tag_ == "PRP":
        sources = speaker(verb, by_token)  # "said he is prepared to ..."
    targets = prep_targets(adj, by_token, extra=("by", "about", "at"))
    if not targets:
        agent = find_agent(adj)
        targets = actors_at(agent, by_token) if agent is not None else []
    if not targets:
        comp = next((c for c in adj.children if c.dep_ == "xcomp"), None)
        if comp is not None:  # "not satisfied to see China trying ..."
            obj = direct_object(comp)
            targets = actors_at(obj, by_token) if obj is not None else []
            if obj is not None and own_forces(obj, targets):
                targets = []
            if not targets and obj is not None:  # "willing to withdraw its troops from Mali"
                targets = prep_targets(comp, by_token, extra=("from",))
            if not targets and obj is not None:  # "ready to host a meeting between"
                targets = nested_prep_targets(obj, by_token)
            if not targets:
                targets = clause_subject_actors(comp, by_token)
    targets = [t for t in targets if not any(same_actor(t, s) for s in sources)]
    return sources, targets


def noun_actors(noun: Token, of_role: str, governor: Token | None,
                by_token: dict[int, list[Mention]], places: Places
                ) -> tuple[list[Mention], list[Mention]] | None:
    """Sources and targets of an event noun: 'US pressure', 'flights of US bombers', 'during
    a video call, A and B agreed'; None when no actor is attached."""
    sources: list[Mention] = []
    targets: list[Mention] = []
    for child in noun.children:
        if child.dep_ in ("poss", "compound", "amod", "nmod") and child.i < noun.i:
            sources = sources or actors_at(child, by_token)
        elif child.dep_ == "prep" and child.lower_ in ("by", "of"):
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            found = actors_at(pobj, by_token)
            if child.lower_ == "by" or of_role == "source":
                sources = sources or found
            else:
                targets = targets or found
        elif child.dep_ == "prep" and child.lower_ == "between":
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            sources = sources or actors_at(pobj, by_token)
    if not targets:
        targets = prep_targets(noun, by_token, extra=("near", "between"))
    if not sources and noun.dep_ == "pobj" and noun.head.lower_ in ("during", "in") \
            and governor is not None:
        subject, passive = find_subject(governor)  # "during a video call, A and B ..."
        if subject is not None and not passive:
            sources = actors_at(subject, by_token)
    if not sources:
        return None
    if not targets and governor is not None:
        # "after US pressure, construction was halted ... in the UAE"
        place = choose_place(places, governor, by_token, sources, [])
        if place is not None and place.country and place.country != sources[0].country:
            targets = [place]
    targets = [t for t in targets if not any(same_actor(t, s) for s in sources)]
    return sources, targets


#: Verbs that, in the passive, can tell how somebody felt ("were repelled by the violence",
#: "was hit by the news", "was shaken by the result").
PSYCH_VERBS = {"repel", "shock", "horrify", "disgust", "alarm", "anger", "outrage", "appal",
               "appall", "stun", "shake", "rock", "hit", "strike", "move", "touch", "upset",
               "trouble", "worry", "frighten", "scare", "terrify", "infuriate", "dismay",
               "sadden", "disturb", "offend", "sicken", "overwhelm", "devastate"}
#: The PETRARCH synonym sets whose members wield force: a "by" phrase naming one is an act.
ARMED_SYNSETS = ("&weapon", "&aircraft", "&wmd", "&military", "&car", "&fight")


def is_reaction(verb: Token) -> bool:
    """Whether a passive verb of feeling has a cause, not an agent, in its "by" phrase: a
    common noun that is no weapon, force or fighting (PETRARCH's synonym sets) and no event
    noun ("attack", "shelling"). "Were repelled by the violence" is a reaction;
    "was hit by a missile" and "was repelled by the army" are acts."""
    if verb.lemma_.lower() not in PSYCH_VERBS:
        return False
    agent = find_agent(verb)
    if agent is None or agent.pos_ != "NOUN":
        return False
    return not any(form in _armed_words() or form in event_words().nouns
                   for form in noun_forms(agent))


@lru_cache(maxsize=1)
def _armed_words() -> frozenset[str]:
    synsets = default_dictionary().synsets
    return frozenset(singular(slot.head) if " " not in slot.head else slot.head
                     for name in ARMED_SYNSETS for slot in synsets.get(name, ()))


#: Sectors of a state's own armed and security forces.
FORCE_SECTORS = {"MIL", "COP", "SPY"}


def own_forces(obj: Token, mentions: list[Mention]) -> bool:
    """"its troops", "their police": forces the actor moves or uses are its instrument, not
    whom the act is aimed at (CAMEO names where they are sent or withdrawn from)."""
    return bool(mentions) and all(m.sector in FORCE_SECTORS for m in mentions) \
        and any(c.dep_ == "poss" and c.lower_ in ("its", "their", "our") for c in obj.children)


def object_names_event(rule: str, obj: Token | None) -> bool:
    """Whether ``obj`` is the object a lexicon rule was chosen for ("launched *artillery*",
    "held *talks*"): such an object describes the event and is no participant in it."""
    parts = rule.split("/")
    if obj is None or len(parts) < 2 or not parts[1]:
        return False
    objects = set(parts[1].split("|"))
    return any(form in objects for form in noun_forms(obj))
