"""The gazetteer: data files of countries, demonyms, capitals, seats of power, historical
names, organisations, agent words and leaders, loaded into lookup tables.

Every file is a CSV under ``actors/data/`` whose leading ``#`` lines say where its facts come
from; adding an entry is adding a row. Surface forms of proper names match case-sensitively
("US" is not "us"); agent words ("army", "foreign minister") match case-insensitively.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import DataFileError

TRANSNATIONAL = {"IGO", "NGO", "IMG"}
#: The Phoenix person records end in 2014-15: their dates count only up to here, and an open
#: range ("in office at the last update") is closed here. After it the leaders table decides.
PHOENIX_CUTOFF = date(2015, 12, 31)


@dataclass(frozen=True, slots=True)
class Entry:
    """What a surface form stands for."""

    kind: str  # country | demonym | capital | seat | historical | org | place
    country: str
    sector: str | None
    code: str
    name: str
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True, slots=True)
class Post:
    """A row of the leaders table: one person, one post, one term."""

    name: str
    country: str
    sector: str
    role: str
    start: date | None
    end: date | None
    #: Among posts of equal rank the lower order wins: 0 for the leaders table, then the
    #: Phoenix rows in their dictionary order (the first restriction that holds wins).
    order: int = 0

    def holds(self, when: date) -> bool:
        return (self.start is None or self.start <= when) and (self.end is None or when <= self.end)


@dataclass
class Gazetteer:
    forms: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    agents: dict[str, str | None] = field(default_factory=dict)
    posts: dict[str, list[Post]] = field(default_factory=lambda: defaultdict(list))
    countries: dict[str, Entry] = field(default_factory=dict)
    #: Person names known only from the Phoenix records: looked up when spaCy finds a person
    #: (PERSON entity), not matched in the text themselves, which keeps start-up fast.
    unmatched_names: set[str] = field(default_factory=set)

    def add(self, form: str, entry: Entry) -> None:
        form = form.strip()
        if form and entry not in self.forms[form]:
            self.forms[form].append(entry)

    def lookup(self, form: str) -> list[Entry]:
        return self.forms.get(form, [])


def read_rows(name: str, directory: Path | None = None) -> list[dict[str, str]]:
    """Rows of an actors data file, skipping the leading ``#`` provenance lines."""
    return read_csv_rows("cordiale.actors", name, directory)


def read_csv_rows(package: str, name: str, directory: Path | None = None
                  ) -> list[dict[str, str]]:
    """Rows of ``<package>/data/<name>`` (or ``directory/name``) after its ``#`` header lines."""
    if directory is not None:
        path = directory / name
        if not path.exists():
            return []
        text = path.read_text("utf-8")
    else:
        res = resources.files(package).joinpath("data", name)
        if not res.is_file():
            return []
        text = res.read_text("utf-8")
    lines = text.splitlines(keepends=True)
    while lines and lines[0].lstrip().startswith("#"):
        lines.pop(0)
    reader = csv.DictReader(io.StringIO("".join(lines)))
    rows = []
    for number, row in enumerate(reader, start=2):
        if None in row or any(v is None for v in row.values()):
            raise DataFileError(f"{package}/data/{name} row {number}: wrong number of fields")
        rows.append({k: (v or "").strip() for k, v in row.items()})
    return rows


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()]


def _float(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def _date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def _plural(term: str) -> str:
    if term.endswith(("s", "x", "ch", "sh")):
        return term + "es"
    if term.endswith("y") and len(term) > 1 and term[-2] not in "aeiou":
        return term[:-1] + "ies"
    return term + "s"


def build_gazetteer(directory: Path | None = None) -> Gazetteer:
    gaz = Gazetteer()
    for row in read_rows("countries.csv", directory):
        iso = row["iso3"]
        lat, lon = _float(row.get("lat", "")), _float(row.get("lon", ""))
        # a whole country as a place is located at its centre, not its capital
        c_lat, c_lon = _float(row.get("centroid_lat", "")), _float(row.get("centroid_lon", ""))
        country = Entry("country", iso, None, iso, row["name"], c_lat, c_lon)
        gaz.countries[iso] = country
        for form in [row["name"], *_split(row.get("forms", ""))]:
            gaz.add(form, country)
        for form in _split(row.get("demonyms", "")):
            gaz.add(form, Entry("demonym", iso, None, iso, row["name"], c_lat, c_lon))
        capital = row.get("capital", "")
        if capital:
            entry = Entry("capital", iso, "GOV", f"{iso}GOV", capital, lat, lon)
            for form in [capital, *_split(row.get("capital_forms", ""))]:
                gaz.add(form, entry)
    for row in read_rows("historical.csv", directory):
        iso = row["iso3"]
        base = gaz.countries.get(iso)
        gaz.add(row["term"], Entry("historical", iso, None, iso, base.name if base else iso))
    for row in read_rows("seats.csv", directory):
        iso, sector = row["iso3"], row.get("sector") or None
        entry = Entry("seat", iso, sector, iso + (sector or ""), row.get("name") or row["term"])
        for form in _split(row["term"]):
            gaz.add(form, entry)
    for row in read_rows("organisations.csv", directory):
        sector = row.get("sector") or None
        entry = Entry("org", row["country"], sector, row["code"], row["name"])
        for form in _split(row["forms"]):
            gaz.add(form, entry)
    for row in read_rows("places.csv", directory):
        # Seas, straits, regions and cities are places, never actors; listing them also stops
        # "China" inside "South China Sea" from being read as the country.
        iso = row.get("iso3") or ""
        entry = Entry("place", iso, None, iso, row.get("name") or row["forms"],
                      _float(row.get("lat", "")), _float(row.get("lon", "")))
        for form in _split(row["forms"]):
            if not gaz.forms.get(form):
                gaz.add(form, entry)
    for row in read_rows("agents.csv", directory):
        term = row["term"].lower()
        sector = row.get("sector") or None
        gaz.agents.setdefault(term, sector)
        words = term.split()
        plural = " ".join([*words[:-1], _plural(words[-1])])
        gaz.agents.setdefault(plural, sector)
    for row in read_rows("leaders.csv", directory):
        post = Post(row["name"], row["iso3"], row["sector"], row.get("role", ""),
                    _date(row.get("start", "")), _date(row.get("end", "")))
        for form in {row["name"], *_split(row.get("aliases", ""))}:
            if post not in gaz.posts[form]:
                gaz.posts[form].append(post)
    add_phoenix(gaz, directory)
    return gaz


def add_phoenix(gaz: Gazetteer, directory: Path | None = None) -> None:
    """Merge the Phoenix dictionaries (tools/build_phoenix_actors.py) under the project's own
    rows: a form, agent word or organisation the project already has keeps its meaning."""
    for row in read_rows("phoenix_agents.csv", directory):
        # prefix codes (IGO~) name a kind of organisation, not a role: the project's own
        # organisation rows cover them
        if row["position"] == "suffix" and row["sector"] not in _AGENT_SECTORS_LEFT_OUT \
                and not row["term"].startswith(_AGENT_PREFIXES_LEFT_OUT):
            gaz.agents.setdefault(row["term"], row["sector"] or None)
    for row in read_rows("phoenix_organisations.csv", directory):
        entry = Entry("org", row["country"], row.get("sector") or None, row["code"],
                      row["name"])
        for form in _split(row["forms"]):
            if form not in gaz.forms and form.lower() not in gaz.agents:
                gaz.add(form, entry)
    for row in read_rows("phoenix_places.csv", directory):
        form, iso = row["form"], row["iso3"]
        if form in gaz.forms:
            continue
        base = gaz.countries.get(iso)
        gaz.add(form, Entry("place", iso, None, iso, form,
                            base.lat if base else None, base.lon if base else None))
    for row in read_rows("phoenix_people.csv", directory):
        start, end = _date(row["start"]), _date(row["end"])
        if start is not None and start > PHOENIX_CUTOFF:
            continue
        post = Post(row["name"], row["country"], row["sector"] or "", "",
                    start, min(end or PHOENIX_CUTOFF, PHOENIX_CUTOFF), int(row["order"]))
        for form in (row["name"], *_split(row["aliases"])):
            if form in gaz.forms:
                continue  # a country, city or organisation named like a person stays that
            if form not in gaz.posts:
                gaz.unmatched_names.add(form)
            gaz.posts[form].append(post)


#: Phoenix agent sectors left out: its CVL words ("woman", "mother", "children") name ordinary
#: people, who make an actor of every human-interest story; the project's own CVL words
#: ("civilians", "residents") stay.
_AGENT_SECTORS_LEFT_OUT = frozenset({"CVL"})
#: Fire services are GOV in CAMEO, but they speak in fire and accident reports, whose events
#: are not between political actors.
_AGENT_PREFIXES_LEFT_OUT = ("fire",)


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    return build_gazetteer()
