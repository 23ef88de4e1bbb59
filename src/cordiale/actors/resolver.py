"""Actor resolution: every political actor a sentence mentions, resolved to a country
(ISO 3166-1 alpha-3, or IGO/NGO/IMG), a CAMEO sector and a CAMEO-style code, with its span.

How it works, on a parsed spaCy Doc:

1. *Anchors* come from a case-sensitive phrase matcher over the gazetteer's proper names:
   countries and their short forms, demonyms, capitals, seats of power, historical names,
   organisations, and the names in the leaders table.
2. *Agents* ("defense chief", "army", "foreign minister") come from a case-insensitive matcher
   over the agent words. An agent takes its country from an anchor inside its noun phrase
   ("Russia's defense chief", "the Chinese army", "the navy of Japan"), or from the antecedent of
   a possessive pronoun ("his army", "its navy").
3. *People* are spaCy PERSON entities and leaders-table names. Their role comes from titles in
   their noun phrase or apposition ("Defense Minister Sergei Shoigu", "Wei Fenghe, China's
   defence minister"); "counterpart" inherits the role of the person it answers; otherwise the
   leaders table says what post the person held *on the document's date* (a former president is
   still of his country but coded ELI, not GOV).
4. *Coreference* inside the document: "both countries" / "the two sides" name the last two
   countries; a subject "it" or "he" names the last subject country or person; a surname seen
   earlier in full is the same person.

Rules, not a model, so that every mention says which rule produced it (``method``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from ..records import Mention, Sentence
from .gazetteer import TRANSNATIONAL, Entry, Gazetteer, Post, default_gazetteer

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

LOCATIVE = {"in", "at", "near", "inside", "outside", "around", "across", "throughout", "via",
            "within", "over", "off", "along", "beyond"}
VISIT = {"visit", "tour", "reach", "leave", "enter", "land", "flee", "evacuate", "bomb", "shell",
         "strike", "hit", "capture", "seize", "besiege", "storm"}
#: Nouns whose of-phrase names a place ("the city of Basra").
PLACE_NOUNS = {"city", "town", "village", "province", "region", "capital", "district", "area",
               "sector", "part", "suburb", "neighbourhood", "neighborhood", "outskirts",
               "port", "island", "state", "county", "enclave", "camp", "border", "centre",
               "center", "south", "north", "east", "west"}
# "to"/"from"/"into" make a place only after motion ("a visit to Moscow"), not after
# communication ("a warning to Washington"), where the capital stands for its government.
DIRECTIONAL = {"to", "from", "into", "toward", "towards"}
MOTION = {"visit", "trip", "travel", "fly", "flight", "go", "come", "return", "arrive", "sail",
          "journey", "move", "head", "send", "deploy", "deployment", "drive", "march", "walk",
          "road", "route", "train", "bus", "border", "way", "distance", "kilometre", "kilometer",
          "mile", "km", "arrival", "departure", "leave", "relocate", "evacuate"}
GROUP_PHRASES = ["both countries", "the two countries", "both sides", "the two sides",
                 "the two nations", "both nations", "both governments", "the two governments",
                 "the two states", "both states", "the two neighbours", "the two neighbors",
                 "the two allies", "both allies", "the two powers",
                 # two people who stand for their countries: the last pair named
                 "the two leaders", "both leaders", "the two men", "both men",
                 "the two ministers", "both ministers", "the two presidents",
                 "the two heads of state", "the two delegations", "both delegations"]
#: Nouns that name a party by its relation to the possessor ("its neighbour", "Russia's ally").
RELATION_NOUNS = {"neighbour", "neighbor", "partner", "ally", "rival", "adversary", "foe",
                  "enemy", "archrival", "arch-rival", "archenemy", "nemesis"}
#: Sectors of parties that are not their country's state: a pair "the government and the
#: rebels" keeps them apart.
NON_STATE = {"REB", "INS", "OPP", "SEP", "UAF", "RAD"}
FORMER = {"former", "ex", "ex-", "then", "late", "erstwhile"}
#: "US-backed Syrian rebels", "Iran-aligned Houthis": the first name is the patron, not the
#: party (see ``_patron``).
#: ("armed" is not one: "Russian armed forces" are Russia's.)
PATRONAGE = {"backed", "supported", "funded", "financed", "sponsored", "trained", "aligned",
             "allied", "affiliated", "inspired", "installed"}
HYPHENS = {"-", "–", "—"}
POSSESSIVE_PRONOUNS = {"its", "his", "her"}  # "their" is too often a vague plural
RECENT_PERSON = 1  # "he"/"his" reach back at most this many sentences
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj", "agent"}
COPULAR = {"be", "seem", "appear", "become", "remain"}
ACTOR_DEPS = {"nsubj", "nsubjpass", "dobj", "pobj", "conj", "appos", "agent", "dative", "attr"}
STATELESS_SECTORS = {"HRI", "NGO"}  # agents that are transnational NGOs unless a country is said
KIND_CONFIDENCE = {"country": 0.95, "org": 0.95, "seat": 0.9, "historical": 0.9,
                   "demonym": 0.85, "capital": 0.8}
# Which post wins when a person held several on the same day.
ROLE_RANK = ("head of state and government", "head of state", "head of government",
             "supreme leader", "leader", "crown prince", "foreign minister", "defence minister")


@dataclass
class _Actor:
    start: int  # token indices (end exclusive)
    end: int
    country: str | None
    sector: str | None
    code: str
    name: str | None
    confidence: float
    method: str
    role: str = "actor"
    head: int = -1  # token index of the syntactic head, for subject tracking
    person: bool = False
    latitude: float | None = None
    longitude: float | None = None


#: A dateline: a place in capitals ("KABUL", "NEW DELHI"), perhaps a date or country after a
#: comma and an agency in brackets, then a dash or colon: "KABUL (Reuters) -".
_DATELINE = re.compile(r"^\s*[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,3}(?:,[^(\n]{1,30}?)?\s*"
                       r"(?:\([^)\n]{1,40}\)\s*)?(?:-{1,2}|—|–|:)\s")


def _definite_roles(text: str, mentions: list[Mention]) -> list[Mention]:
    """"The spokesperson", "the envoy": a role named again without its country is the one named
    before ("a spokesperson for China's foreign ministry ... The spokesperson urged"), whose
    country is its own or that of the actor its "for"/"of"/"from" phrase names."""
    last: dict[tuple[str, str | None], tuple[str, str, float]] = {}
    out: list[Mention] = []
    for i, m in enumerate(mentions):
        words = m.text.lower().split()
        key = (words[-1] if words else "", m.sector)
        country = m.country
        if country is None and i + 1 < len(mentions):
            nxt = mentions[i + 1]
            between = text[m.char_end:nxt.char_start].strip().lower()
            if between in ("for", "of", "from", "at") and nxt.country \
                    and nxt.country not in TRANSNATIONAL:
                country = nxt.country
        before_text = text[max(0, m.char_start - 5):m.char_start].lower().split()
        definite = bool(before_text) and before_text[-1] in ("the", "this", "that")
        if m.role == "actor" and m.country is None and m.sector and definite and key in last:
            country, _, confidence = last[key]
            m = Mention(m.doc_id, m.sentence_index, m.mention_index, m.text, m.char_start,
                        m.char_end, country, m.sector, make_code(country, m.sector), m.name,
                        round(min(m.confidence, confidence, 0.6), 3), "coref:role",
                        role=m.role)
        elif m.role == "actor" and country is not None and words and m.sector:
            last[key] = (country, m.text, m.confidence)
        out.append(m)
    return out


def document_country(text: str, mentions: list[Mention]) -> str | None:
    """The country a story is about, for its country-less roles: the country of a dateline
    ("KABUL (Reuters) -") or, failing one, a country that holds at least half of the story's
    actor mentions with a country (and at least three of them). None when neither is clear."""
    placed = [m for m in mentions if m.role == "actor" and m.country
              and m.country not in TRANSNATIONAL]
    head = _DATELINE.match(text)
    if head is not None:
        for m in mentions:
            if m.char_start < head.end() and m.country and m.country not in TRANSNATIONAL:
                return m.country
        # datelines are in capitals, which the gazetteer's case-sensitive forms do not match
        place = re.split(r"[,(:–—-]", head.group(0), maxsplit=1)[0].strip()
        for entry in default_gazetteer().lookup(place.title()):
            if entry.country and entry.country not in TRANSNATIONAL:
                return entry.country
    if not placed:
        return None
    counts: dict[str, int] = {}
    for m in placed:
        counts[m.country or ""] = counts.get(m.country or "", 0) + 1
    country, n = max(counts.items(), key=lambda kv: kv[1])
    if n >= 3 and 2 * n >= len(placed):
        return country
    return None


def make_code(country: str | None, sector: str | None, base: str | None = None) -> str:
    code = base or country or ""
    if sector and sector not in TRANSNATIONAL and not code.endswith(sector):
        code += sector
    return code


class ActorResolver:
    """Resolves actor mentions in parsed spaCy Docs. Build once per pipeline, reuse per doc."""

    def __init__(self, nlp: Language, gazetteer: Gazetteer | None = None) -> None:
        from spacy.matcher import PhraseMatcher

        self.gaz = gazetteer or default_gazetteer()
        vocab = nlp.vocab
        self.proper = PhraseMatcher(vocab, attr="ORTH")
        self.agents = PhraseMatcher(vocab, attr="LOWER")
        self.groups = PhraseMatcher(vocab, attr="LOWER")
        tok: Any = nlp.tokenizer  # a spaCy Tokenizer (typed loosely by spaCy)
        self._forms: dict[int, str] = {}
        names = sorted(set(self.gaz.forms) | (set(self.gaz.posts) - self.gaz.unmatched_names))
        for form, doc in zip(names, tok.pipe(names), strict=True):
            self._forms[vocab.strings.add("F:" + form)] = form
            self.proper.add("F:" + form, [doc])
        agent_terms = sorted(self.gaz.agents)
        for term, doc in zip(agent_terms, tok.pipe(agent_terms), strict=True):
            self._forms[vocab.strings.add("A:" + term)] = term
            self.agents.add("A:" + term, [doc])
        self.groups.add("GROUP", list(tok.pipe(GROUP_PHRASES)))

    # ------------------------------------------------------------------------------------
    def resolve(self, doc: Doc, doc_id: str, published: date | None = None
                ) -> tuple[list[Sentence], list[Mention]]:
        """Sentences and resolved actor mentions of one parsed document."""
        # an undated document is not read as of today: its people keep the country all their
        # posts agree on, and no post (see ``_person``)
        when = published
        anchors = self._anchors(doc, when)
        agents = self._spans(self.agents(doc), doc)
        groups = self._spans(self.groups(doc), doc)
        persons = [e for e in doc.ents if e.label_ == "PERSON"]

        sentences: list[Sentence] = []
        mentions: list[Mention] = []
        state = _DocState()
        for s_index, sent in enumerate(doc.sents):
            sentences.append(Sentence(doc_id, s_index, sent.start_char, sent.end_char, sent.text))
            state.sentence = s_index
            actors = self._sentence(doc, sent, anchors, agents, groups, persons, state, when)
            state.note_pairs(actors, doc)
            for actor in sorted(actors, key=lambda a: (a.start, a.end)):
                span = doc[actor.start:actor.end]
                mentions.append(Mention(
                    doc_id=doc_id, sentence_index=s_index, mention_index=len(mentions),
                    text=span.text, char_start=span.start_char, char_end=span.end_char,
                    country=actor.country, sector=actor.sector, code=actor.code,
                    name=actor.name, confidence=round(actor.confidence, 3),
                    method=actor.method, role=actor.role,
                    latitude=actor.latitude, longitude=actor.longitude,
                ))
                state.remember(actor, doc)
        return sentences, _definite_roles(doc.text, mentions)

    # -- matching ------------------------------------------------------------------------
    def _spans(self, matches: list[tuple[int, int, int]], doc: Doc) -> dict[int, tuple[int, str]]:
        """Longest non-overlapping matches as {start: (end, form)}."""
        out: dict[int, tuple[int, str]] = {}
        taken: set[int] = set()
        for key, start, end in sorted(matches, key=lambda m: (m[1] - m[2], m[1])):
            if taken.intersection(range(start, end)):
                continue
            taken.update(range(start, end))
            out[start] = (end, self._forms.get(key, doc[start:end].text.lower()))
        return out

    def _anchors(self, doc: Doc, when: date | None) -> dict[int, tuple[int, str]]:
        found = self._spans(self.proper(doc), doc)
        # surnames the parser tagged as a person somewhere in the document ("Donald Trump"
        # first, then "Trump" that the parser takes for an organisation)
        named = {e[-1].lower_ for e in doc.ents if e.label_ == "PERSON"}
        for start, (end, form) in list(found.items()):
            prev = doc[start - 1].lower_ if start > 0 else ""
            entries = self.gaz.lookup(form)
            # "anti-Syria journalist", "pro-Iranian militia": a stance, not a nationality
            if start > 1 and prev == "-" and doc[start - 2].lower_ in ("anti", "pro"):
                del found[start]
                continue
            if _patron(doc, end, found):
                del found[start]
                continue
            # A one-word leader name only counts inside a PERSON entity, after a title, or
            # when the document has named that person in full.
            if entries or end - start > 1:
                continue
            if doc[start].ent_type_ != "PERSON" and prev not in self.gaz.agents \
                    and doc[start].lower_ not in named:
                del found[start]
        return found

    # -- one sentence ----------------------------------------------------------------------
    def _sentence(self, doc: Doc, sent: Span, anchors: dict[int, tuple[int, str]],
                  agents: dict[int, tuple[int, str]], groups: dict[int, tuple[int, str]],
                  persons: list[Span], state: _DocState, when: date | None) -> list[_Actor]:
        lo, hi = sent.start, sent.end
        s_anchors = {i: v for i, v in anchors.items() if lo <= i < hi}
        s_agents = {i: v for i, v in agents.items() if lo <= i < hi}
        used: set[int] = set()  # token indices consumed by a composed actor
        actors: list[_Actor] = []

        # People first: they consume the titles and nationalities around them.
        person_spans: list[tuple[int, int]] = []
        for ent in persons:
            # "Jordan" tagged PERSON is still the country when the gazetteer says so
            if lo <= ent.start < hi and not self.gaz.lookup(ent.text):
                person_spans.append((ent.start, ent.end))
        for start, (end, form) in s_anchors.items():
            if not self.gaz.lookup(form) and not any(s <= start < e for s, e in person_spans):
                person_spans.append((start, end))
        last_person_sector: str | None = None
        for start, end in sorted(person_spans):
            actor = self._person(doc, start, end, s_anchors, s_agents, used, state, when,
                                 last_person_sector)
            if actor:
                actors.append(actor)
                if actor.sector and actor.sector != "ELI":
                    last_person_sector = actor.sector

        # Agents: "Russia's defense chief", "the Chinese army", "his army".
        inside_anchor = {i for a, (b, _) in s_anchors.items() for i in range(a, b)}
        for start, (end, term) in sorted(s_agents.items()):
            if start in used or start in inside_anchor:
                continue
            actors.extend(self._agent(doc, start, end, term, s_anchors, used, state))

        # Anchors left on their own.
        for start, (end, form) in sorted(s_anchors.items()):
            if start in used:
                continue
            entries = self.gaz.lookup(form)
            if not entries:
                continue
            entry = entries[0]
            used.update(range(start, end))
            actors.append(self._from_entry(doc, start, end, entry))

        # "Its neighbour", "Russia's partner": somebody else than the possessor.
        actors.extend(self._relations(doc, sent, actors, used, state))

        # Groups and pronouns.
        for start, (end, _) in groups.items():
            if lo <= start < hi and start not in used:
                actors.extend(self._group(doc, start, end, state, actors))
        for tok in sent:
            if tok.i in used or tok.dep_ not in ("nsubj", "nsubjpass"):
                continue
            actor = self._pronoun(tok, state, [a for a in actors if a.start < tok.i])
            if actor:
                actors.append(actor)
        return actors

    # -- builders ---------------------------------------------------------------------------
    def _from_entry(self, doc: Doc, start: int, end: int, entry: Entry) -> _Actor:
        tok = doc[end - 1]
        head = _np_head(tok)
        role, sector, code = "actor", entry.sector, entry.code
        method = f"gazetteer:{entry.kind}"
        if entry.kind == "place":
            return _Actor(start, end, entry.country or None, None, entry.country, entry.name,
                          0.8, method, "place", head=head.i, latitude=entry.lat,
                          longitude=entry.lon)
        modifier = head.dep_ in ("compound", "amod") and head.i == tok.i  # "Moscow-based"
        if entry.kind == "capital" and (_is_locative(head) or modifier):
            role, sector, code = "place", None, entry.country
        return _Actor(start, end, entry.country, sector, code, entry.name,
                      KIND_CONFIDENCE.get(entry.kind, 0.8), method, role, head=head.i,
                      latitude=entry.lat, longitude=entry.lon)

    def _region(self, doc: Doc, head: Token, lo: int, hi: int) -> list[int]:
        """Token indices of ``head``'s noun phrase: premodifiers, apposition, an of-phrase."""
        idx = list(range(max(head.left_edge.i, lo), head.i + 1))
        for child in head.rights:
            if child.dep_ == "appos" or (child.dep_ == "prep" and child.lower_ == "of"):
                idx.extend(t.i for t in _describing(child) if lo <= t.i < hi)
        if head.dep_ == "appos" and head.head.pos_ in ("NOUN", "PROPN"):
            parent = head.head
            idx.extend(range(max(parent.left_edge.i, lo), parent.i + 1))
        return idx

    def _country_in(self, doc: Doc, region: list[int], anchors: dict[int, tuple[int, str]],
                    skip: range, places: bool = False) -> tuple[Entry, int, int] | None:
        best = None
        for start, (end, form) in anchors.items():
            if start in skip or start not in region:
                continue
            entries = [e for e in self.gaz.lookup(form)
                       if e.country and (places or e.kind != "place")]
            if entries and (best is None or abs(start - skip.start) < abs(best[1] - skip.start)):
                best = (entries[0], start, end)
        return best

    def _agent(self, doc: Doc, start: int, end: int, term: str,
               anchors: dict[int, tuple[int, str]], used: set[int], state: _DocState
               ) -> list[_Actor]:
        """The actors an agent noun makes: one, or one per conjoined nationality ("Indian
        and Chinese troops", "troops from India and Pakistan"), or none."""
        sector = self.gaz.agents.get(term)
        root = doc[start:end].root
        head = _np_head(root)
        lo, hi = doc[start].sent.start, doc[start].sent.end
        region = self._region(doc, head, lo, hi)
        found = self._country_in(doc, region, anchors, range(start, end))
        owner = self._possessor(doc, head, anchors)
        if found and owner and owner[0].country != found[0].country \
                and doc[found[1]:found[2]].root.dep_ in ("compound", "nmod"):
            # "Syria's UN ambassador", "the EU's Syria envoy": the possessor sends the agent;
            # a name before the title is its posting or its brief, not another actor
            used.update(range(found[1], found[2]))
            found = owner
        if found is None:
            # "troops from India": where an agent comes from is its nationality
            region = region + _from_phrase(head, lo, hi)
            found = self._country_in(doc, region, anchors, range(start, end))
        former = any(doc[i].lower_ in FORMER for i in region)
        if former:
            sector = "ELI"
        if found and found[1] in used:
            return []  # the nationality already belongs to another agent of this phrase
        if found:
            out = []
            for entry, a_start, a_end in [found, *self._conjoined(doc, found, region, anchors,
                                                                  used)]:
                used.update(range(a_start, a_end))
                used.update(range(start, end))
                s, e = min(a_start, start), max(a_end, end)
                base = entry.code if entry.country in TRANSNATIONAL else entry.country
                out.append(_Actor(s, e, entry.country, sector or entry.sector,
                                  make_code(entry.country, sector or entry.sector, base),
                                  entry.name, 0.9 if entry.kind != "demonym" else 0.85,
                                  f"agent+{entry.kind}", head=head.i))
            return out
        # "protesters in Baghdad": a nationality-less agent takes the country it acts in.
        where = [t.i for child in head.rights if child.dep_ == "prep"
                 and child.lower_ in ("in", "from") for t in child.subtree]
        located = self._country_in(doc, where, anchors, range(start, end), places=True)
        # Troops and embassies "in Syria" are as often foreign as Syrian: no guess for them.
        if located and sector and sector not in ("MIL", "UAF") and "embass" not in term:
            entry = located[0]
            used.update(range(start, end))
            base = entry.code if entry.country in TRANSNATIONAL else entry.country
            return [_Actor(start, end, entry.country, sector,
                           make_code(entry.country, sector, base), None, 0.7,
                           f"agent+{entry.kind}:located", head=head.i)]
        # "his army", "its navy": the antecedent of the possessive.
        for i in region:
            tok = doc[i]
            if i < start and tok.lower_ in POSSESSIVE_PRONOUNS and tok.dep_ == "poss":
                country = state.antecedent(tok.lower_)
                if country and sector:
                    used.update(range(start, end))
                    return [_Actor(i, end, country, sector, make_code(country, sector), None,
                                   0.6, "agent+coref", head=head.i)]
        if sector in STATELESS_SECTORS:  # "a human rights group protested"
            used.update(range(start, end))
            return [_Actor(start, end, "NGO", sector, make_code("NGO", sector), None, 0.6,
                           "agent:ngo", head=head.i)]
        if sector and head.i == root.i and root.dep_ in ACTOR_DEPS:
            # "police said", "gunmen attacked": an actor whose country the text does not give
            used.update(range(start, end))
            return [_Actor(start, end, None, sector, sector, None, 0.4, "agent:unresolved",
                           head=head.i)]
        return []

    def _possessor(self, doc: Doc, head: Token, anchors: dict[int, tuple[int, str]]
                   ) -> tuple[Entry, int, int] | None:
        """The anchor that possesses ``head`` ("Syria's" in "Syria's UN ambassador")."""
        owners = [start for start, (end, _) in anchors.items()
                  if doc[start:end].root.dep_ == "poss" and doc[start:end].root.head.i == head.i]
        return self._country_in(doc, owners, anchors, range(head.i, head.i + 1))

    def _conjoined(self, doc: Doc, found: tuple[Entry, int, int], region: list[int],
                   anchors: dict[int, tuple[int, str]], used: set[int]
                   ) -> list[tuple[Entry, int, int]]:
        """Nationalities joined to ``found`` by "and" in the same phrase: "Indian [and
        Chinese] troops", "troops from India [and Pakistan]"."""
        first = doc[found[1]:found[2]].root
        out = []
        for b_start, (b_end, form) in anchors.items():
            if b_start == found[1] or b_start in used or b_start not in region:
                continue
            tok = doc[b_start:b_end].root
            if not ((tok.dep_ == "conj" and tok.head.i == first.i)
                    or (first.dep_ == "conj" and first.head.i == tok.i)):
                continue
            entries = [e for e in self.gaz.lookup(form) if e.country and e.kind != "place"]
            if entries and entries[0].country != found[0].country:
                out.append((entries[0], b_start, b_end))
        return out

    def _person(self, doc: Doc, start: int, end: int, anchors: dict[int, tuple[int, str]],
                agents: dict[int, tuple[int, str]], used: set[int], state: _DocState,
                when: date | None, counterpart_sector: str | None) -> _Actor | None:
        span = doc[start:end]
        text = span.text
        if text.endswith(("'s", "’s")):
            text = text[:-2].rstrip()
        posts = self._posts(text, anchors, start, end)
        root = span.root
        sent = span.sent
        region = [i for i in self._region(doc, _np_head(root), sent.start, sent.end)
                  if not start <= i < end]
        # Titles and nationality in the noun phrase or apposition.
        title_sector: str | None = None
        title_tokens: list[int] = []
        counterpart = False
        for a_start, (a_end, term) in agents.items():
            if a_start in region:
                title_tokens.extend(range(a_start, a_end))
                if term in ("counterpart", "counterparts"):
                    counterpart = True
                elif self.gaz.agents.get(term):
                    title_sector = self.gaz.agents[term]
        found = self._country_in(doc, region, anchors, range(start, end))
        former = any(doc[i].lower_ in FORMER for i in region)
        remembered = state.person(text)
        if found is None and not posts and remembered is None:
            # "Joe Bloggs, 24, from Leeds": a person no dictionary knows is from where the
            # text says they come from (a town names its country)
            hometown = _from_phrase(_np_head(root), sent.start, sent.end)
            found = self._country_in(doc, hometown, anchors, range(start, end), places=True)

        country = sector = name = None
        method = "person"
        confidence = 0.0
        post = _choose_post(posts, when) if posts and when is not None else None
        if posts:
            name = posts[0].name
            if post:
                country, sector, confidence, method = post.country, post.sector, 0.9, "leader"
            elif when is None:
                # no date to place the post in: the country if every post agrees on one
                countries = {p.country for p in posts}
                country = countries.pop() if len(countries) == 1 else None
                confidence, method = 0.6, "leader:undated"
            else:
                past = [p for p in posts if p.end and p.end < when]
                latest = max(past or posts, key=lambda p: p.end or date.max)
                country, sector = latest.country, ("ELI" if past else None)
                confidence, method = 0.8, "leader:former" if past else "leader:future"
        elif remembered:
            country, sector, name = remembered.country, remembered.sector, remembered.name
            confidence, method = 0.8, "person:earlier"
        if found:
            entry = found[0]
            if country is None or (method != "leader" and entry.country != country):
                country = entry.country
                confidence = max(confidence, 0.8)
                method = "person+title" if method == "person" else method
        base = None
        if found and found[0].country in TRANSNATIONAL and found[0].country == country:
            base = found[0].code  # "NATO Secretary General ..." -> IGONAT
        if title_sector and (sector is None or method != "leader"):
            sector = title_sector
        if counterpart and sector is None and counterpart_sector:
            sector = counterpart_sector
        if former and sector is not None:
            sector = "ELI"
        if country is None and not (title_sector or (counterpart and sector)):
            return None
        if country is None:
            method, confidence = "person+title:unresolved", 0.5
        if name is None:
            name = text
        used.update(range(start, end))
        used.update(title_tokens)
        s = start
        if found:
            used.update(range(found[1], found[2]))
            s = min(s, found[1])
        if title_tokens:
            s = min(s, min(title_tokens))
        return _Actor(s, end, country, sector, make_code(country, sector, base), name,
                      confidence, method, head=root.i, person=True)

    def _posts(self, text: str, anchors: dict[int, tuple[int, str]], start: int, end: int
               ) -> list[Post]:
        posts = list(self.gaz.posts.get(text, []))
        words = text.split()
        for i in range(1, len(words) - 1):
            if posts:
                break
            # "President Hamid Karzai" as one PERSON entity: the name after the title
            posts = list(self.gaz.posts.get(" ".join(words[i:]), []))
        if not posts:
            # A known name inside a longer PERSON span ("President Vladimir Putin").
            for a_start, (a_end, form) in anchors.items():
                if start <= a_start and a_end <= end and form in self.gaz.posts:
                    posts.extend(self.gaz.posts[form])
        return posts

    def _group(self, doc: Doc, start: int, end: int, state: _DocState,
               current: list[_Actor]) -> list[_Actor]:
        words = {t.lower_ for t in doc[start:end]}
        if words & {"men", "women"} and not state.pair_people:
            return []  # "the two men" stand for two countries only when two people did
        sides = state.last_pair or [(c, None, c) for c in
                                    state.recent_countries(current, doc[start].i)]
        if len(sides) < 2:
            return []
        name = doc[start:end].text
        return [_Actor(start, end, country, sector, code, name, 0.6, "coref:group")
                for country, sector, code in sides[-2:]]

    def _relations(self, doc: Doc, sent: Span, actors: list[_Actor], used: set[int],
                   state: _DocState) -> list[_Actor]:
        """"Its neighbour", "Russia's partner": the other country of the story's pair.

        A relation noun with a possessor names a party *other* than the possessor, so the
        possessor never stands for it. The party is the other side of the pair the story last
        named together (``_DocState.last_pair``), or the one other country the story has
        named; when neither is clear the phrase stays unresolved. "Russia's ally Belarus"
        names its party itself and is left to the anchors.
        """
        out: list[_Actor] = []
        for tok in sent:
            if tok.lower_ not in RELATION_NOUNS or tok.i in used:
                continue
            poss = next((c for c in tok.children if c.dep_ == "poss"), None)
            if poss is None or any(c.dep_ in ("appos", "compound") and c.pos_ == "PROPN"
                                   for c in tok.children):
                continue
            owner = next((a for a in actors if a.start <= poss.i < a.end), None)
            if owner is not None and (owner.person or not owner.country
                                      or owner.country in TRANSNATIONAL):
                continue  # "Putin's ally" is a person of his camp, not another country
            if owner is not None:
                country: str | None = owner.country
                actors.remove(owner)
            elif poss.lower_ == "its":
                subjects = [a for a in actors if a.start < poss.i and not a.person
                            and a.country and a.head >= 0 and _is_subject(doc[a.head])]
                country = subjects[-1].country if subjects else state.antecedent("its")
            else:
                continue
            used.update(range(poss.left_edge.i, tok.i + 1))
            other = state.other_party(country) if country else None
            if other is not None:
                out.append(_Actor(min(poss.left_edge.i, tok.i), tok.i + 1, other, None, other,
                                  None, 0.5, "coref:relation", head=tok.i))
        return out

    def _pronoun(self, tok: Token, state: _DocState, before: list[_Actor]) -> _Actor | None:
        lower = tok.lower_
        if lower not in ("it", "he", "she") or tok.head.lemma_ in COPULAR:
            return None
        doc = tok.doc
        if lower == "it":
            subjects = [a for a in before if a.role == "actor" and a.country and not a.person
                        and a.head >= 0 and _is_subject(doc[a.head])]
            country = subjects[-1].country if subjects else state.recent_subject_country()
            if country:
                return _Actor(tok.i, tok.i + 1, country, None, country, None, 0.5, "coref:it",
                              head=tok.i)
            return None
        people = [a for a in before if a.person and a.role == "actor"]
        person = people[-1] if people else state.recent_person()
        if person:
            return _Actor(tok.i, tok.i + 1, person.country, person.sector, person.code,
                          person.name, 0.5, "coref:person", head=tok.i, person=True)
        return None


def patronage_at(doc: Doc, end: int) -> int | None:
    """The participle after a name ending before ``end`` that makes it a patron ("US-backed",
    "Russian backed forces"), or None ("Russia backed the rebels")."""
    nxt = end + 1 if end < len(doc) and doc[end].text in HYPHENS else end
    if nxt >= len(doc) or doc[nxt].lower_ not in PATRONAGE:
        return None
    if nxt == end and doc[nxt].dep_ not in ("amod", "compound"):
        return None
    return nxt


def _patron(doc: Doc, end: int, anchors: dict[int, tuple[int, str]]) -> bool:
    """Whether the name ending before ``end`` is only the patron of a party its phrase names
    too: "US-backed Syrian rebels", "the Iran-aligned Houthi movement", "Russian backed Syrian
    forces" are Syrian and Houthi. Of a party the phrase does not name ("US-backed forces"),
    the patron is all the text says, and stays its country."""
    nxt = patronage_at(doc, end)
    return nxt is not None and any(nxt < a <= doc[nxt].head.i for a in anchors)


def _from_phrase(head: Token, lo: int, hi: int) -> list[int]:
    """Token indices (within [lo, hi)) of ``head``'s "from" phrases: where it comes from."""
    return [t.i for child in head.rights if child.dep_ == "prep" and child.lower_ == "from"
            for t in child.subtree if lo <= t.i < hi]


#: Dependents of an apposition that say what its holder did or where, not who it is: "a
#: volunteer [who fought in Syria]", "an aid worker [in Syria]" name no nationality.
_NARRATIVE_DEPS = {"relcl", "acl", "advcl"}
_WHERE_PREPS = {"in", "at", "near", "inside", "outside", "across", "throughout", "around",
                "into", "on"}


def _describing(phrase: Token) -> list[Token]:
    """The tokens of an apposition or of-phrase that describe its holder: the phrase without
    its clauses and place phrases ("Gifford, a volunteer who fought in Syria" is no Syrian;
    "Lavrov, the foreign minister of Russia" and "a volunteer from Britain" still say who)."""
    skipped: set[int] = set()
    for tok in phrase.subtree:
        if tok.i in skipped or tok.i == phrase.i:
            continue
        if tok.dep_ in _NARRATIVE_DEPS or (tok.dep_ == "prep" and tok.lower_ in _WHERE_PREPS):
            skipped.update(t.i for t in tok.subtree)
    return [t for t in phrase.subtree if t.i not in skipped]


class _DocState:
    """What coreference needs to remember while walking a document."""

    def __init__(self) -> None:
        self.countries: list[str] = []
        self.last_subject_country: str | None = None
        self.subject_sentence = -99
        self.last_person: _Actor | None = None
        self.people: dict[str, _Actor] = {}
        # the two sides the story last named together, as (country, sector, code)
        self.last_pair: list[tuple[str | None, str | None, str]] = []
        self.pair_people = False  # whether both sides of last_pair were named as people
        self.sentence = 0
        self.person_sentence = -99

    def recent_subject_country(self) -> str | None:
        """The subject country of this or the previous sentence: "it" reaches no further."""
        if self.sentence - self.subject_sentence <= 1:
            return self.last_subject_country
        return None

    def recent_person(self) -> _Actor | None:
        if self.sentence - self.person_sentence <= RECENT_PERSON:
            return self.last_person
        return None

    def note_pairs(self, actors: list[_Actor], doc: Doc) -> None:
        """Remember the last two parties named together: "China and Russia", "between Colombia
        and the rebels", or the two sides of a meeting, a call or a deal. A party with no
        country ("the rebels") is remembered by its code, so "the two sides" can be it."""
        by_head = {a.head: a for a in actors if a.role == "actor" and a.head >= 0
                   and a.method not in ("coref:group", "coref:relation")
                   and ((a.country and a.country not in TRANSNATIONAL)
                        or (a.country is None and a.sector and not a.person))}
        joined: set[int] = set()
        for head, actor in by_head.items():
            tok = doc[head]
            if tok.dep_ == "conj" and tok.head.i in by_head:
                other = by_head[tok.head.i]
                if (other.country, other.code) != (actor.country, actor.code) \
                        and (other.country or actor.country):
                    self.last_pair = [_side(other), _side(actor)]
                    self.pair_people = other.person and actor.person
                    joined.update((head, tok.head.i))
        # "Austin met his Chinese counterpart Dong": the two sides of a meeting, a call or a
        # deal are a pair as much as "China and Russia" is; "between A and B" names the pair
        # itself, whoever does the mediating
        subjects = {doc[h].head.i: a for h, a in by_head.items()
                    if doc[h].dep_ in ("nsubj", "nsubjpass") and a.country}
        for head, actor in by_head.items():
            tok = doc[head]
            if head in joined or not actor.country:
                continue
            if tok.dep_ == "pobj" and tok.head.lower_ in ("between", "among"):
                continue
            verb = tok.head.head if tok.dep_ == "pobj" and tok.head.dep_ == "prep" \
                else tok.head if tok.dep_ in ("dobj", "appos") else None
            if tok.dep_ == "appos" and tok.head.dep_ == "dobj":  # "met his counterpart, Dong"
                verb = tok.head.head
            partner = subjects.get(verb.i) if verb is not None else None
            if partner is not None and partner.country != actor.country \
                    and verb is not None and verb.pos_ == "VERB":
                self.last_pair = [_side(partner), _side(actor)]
                self.pair_people = partner.person and actor.person

    def other_party(self, country: str) -> str | None:
        """The other country of the last pair that holds ``country``, or the one other
        country the story has named."""
        sides = [c for c, _, _ in self.last_pair]
        if country in sides:
            others = [c for c in sides if c and c != country]
            return others[0] if others else None
        others = [c for c in self.countries if c != country]
        return others[0] if len(others) == 1 and country in self.countries else None

    def remember(self, actor: _Actor, doc: Doc) -> None:
        if actor.role != "actor" or not actor.country:
            return
        if actor.country not in TRANSNATIONAL:
            if actor.country in self.countries:
                self.countries.remove(actor.country)
            self.countries.append(actor.country)
            if actor.head >= 0 and _is_subject(doc[actor.head]):
                self.last_subject_country = actor.country
                self.subject_sentence = self.sentence
        if actor.person:
            self.last_person = actor
            self.person_sentence = self.sentence
            if actor.name and actor.method != "coref:person":
                parts = actor.name.split()
                self.people[actor.name] = actor
                if len(parts) > 1:
                    self.people.setdefault(parts[-1], actor)

    def person(self, text: str) -> _Actor | None:
        return self.people.get(text)

    def antecedent(self, pronoun: str) -> str | None:
        person = self.recent_person()
        if pronoun in ("his", "her") and person:
            return person.country
        return self.last_subject_country or (self.countries[-1] if self.countries else None)

    def recent_countries(self, current: list[_Actor], before: int) -> list[str]:
        order = list(self.countries)
        for actor in sorted(current, key=lambda a: a.start):
            if actor.start < before and actor.role == "actor" and actor.country \
                    and actor.country not in TRANSNATIONAL:
                if actor.country in order:
                    order.remove(actor.country)
                order.append(actor.country)
        return order


def _side(actor: _Actor) -> tuple[str | None, str | None, str]:
    """One side of a pair: a country by its bare code; a party outside the state ("the
    rebels", "Syrian rebels") or without a country by its own code."""
    if actor.country and actor.sector not in NON_STATE:
        return actor.country, None, actor.country
    return actor.country, actor.sector, actor.code


def _np_head(tok: Token) -> Token:
    """The noun a modifier belongs to ("US" in "US bombers" -> "bombers")."""
    head = tok
    while head.dep_ in ("compound", "amod", "nmod", "poss", "case") and head.head.i != head.i \
            and head.head.pos_ in ("NOUN", "PROPN") and head.head.i > head.i:
        head = head.head
    return head


def _is_locative(tok: Token) -> bool:
    """Whether a (capital's) noun sits in a place phrase: "in Moscow", "a visit to Moscow"."""
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    if tok.dep_ == "dobj" and tok.head.lemma_.lower() in VISIT:
        return True
    if tok.dep_ != "pobj":
        return False
    prep = tok.head
    if prep.lower_ in LOCATIVE:
        return True
    return prep.lower_ in DIRECTIONAL and prep.head.lemma_.lower() in MOTION


def _is_subject(tok: Token) -> bool:
    head = _np_head(tok)
    if head.dep_ in SUBJECT_DEPS:
        return True
    # The first conjunct carries the subject role for "China and Russia signed".
    while head.dep_ == "conj":
        head = head.head
        if head.dep_ in SUBJECT_DEPS:
            return True
    return False


def _choose_post(posts: list[Post], when: date) -> Post | None:
    current = [p for p in posts if p.holds(when)]
    if not current:
        return None

    def rank(p: Post) -> tuple[int, int]:
        role = p.role.lower()
        # leaders-table rows (order 0) before Phoenix rows, which keep their dictionary order
        return next((i for i, r in enumerate(ROLE_RANK) if r == role), len(ROLE_RANK)), p.order

    return min(current, key=rank)
