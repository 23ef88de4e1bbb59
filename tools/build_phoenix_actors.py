#!/usr/bin/env python3
"""Build the Phoenix actor data files of src/cordiale/actors/data/ (maintenance script).

    .venv/bin/python tools/build_phoenix_actors.py [--source DIR] [--out DIR]

Reads the PETRARCH-2 / Phoenix dictionaries of the Open Event Data Alliance (MIT) from
../shared/reference/petrarch2 (or --source) and writes, in the project's CSV format (leading
``#`` provenance lines, then a header), with the source file and line on every row:

  phoenix_agents.csv         agent phrases -> CAMEO sector (Phoenix.agents.txt)
  phoenix_organisations.csv  IGOs, NGOs, armed non-state groups and national institutions
                             (Phoenix.International / MilNonState / Countries .actors.txt)
  phoenix_people.csv         dated person records: one row per code and date restriction
  phoenix_places.csv         cities and provinces listed as synonyms of a country
  phoenix_discards.csv       phrases that discard a sentence or (scope story) a whole story

Standard library only; nothing here runs when the package is imported. The files are facts
taken as given (dates are not capped here): the gazetteer decides how to use them.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import io
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "reference" / "petrarch2"
DEFAULT_OUT = ROOT / "src" / "cordiale" / "actors" / "data"
#: English text whose lower-case words are taken as common words (never single-word names).
WORD_SOURCES = ("corpus/guardian_syria_2017_2019.jsonl", "train/ngec_synthetic_plover.jsonl")
CREDIT = "Open Event Data Alliance, PETRARCH-2 dictionaries (MIT)"
ORIGIN = ("openeventdata/petrarch2 commit 676801cd (2019-03-18), petrarch2/data/dictionaries/, "
          "read from shared/reference/petrarch2")

#: CAMEO role (sector) codes; the first of these in a Phoenix code is the actor's sector.
ROLES = {"COP", "GOV", "INS", "JUD", "MIL", "OPP", "REB", "SEP", "SPY", "UAF", "AGR", "BUS",
         "CRM", "CVL", "DEV", "EDU", "ELI", "ENV", "HLH", "HRI", "LAB", "LEG", "MED", "MNC",
         "MOD", "RAD", "REF", "NGM", "PTY", "REL", "IGO", "NGO", "IMG", "PPL"}
#: CAMEO religion codes: the project's sector for all of them is REL.
RELIGIONS = {"CHR", "MUS", "JEW", "BUD", "HIN", "JAN", "SIK", "ZRO", "BAH", "CON", "DOX",
             "ITR", "SHN", "TAO", "ATH", "ADR"}
#: Phoenix country codes that are not ISO 3166-1 alpha-3: coded as the project codes them
#: (former states as their successor, as historical.csv does; Kosovo as XKX).
COUNTRY_MAP = {"KSV": "XKX", "SUN": "RUS", "USR": "RUS", "CSK": "CZE", "DDR": "DEU",
               "YUG": "SRB", "FRY": "SRB", "SCG": "SRB", "TMP": "TLS", "ROM": "ROU",
               "ZAR": "COD"}
TRANSNATIONAL = {"IGO", "NGO", "IMG"}
#: Small words written in lower case inside a name ("Army of God", "Bashar al-Assad").
SMALL = {"and", "of", "the", "for", "in", "on", "at", "to", "a", "an", "by", "with", "de",
         "del", "della", "di", "da", "do", "dos", "das", "du", "des", "la", "le", "van",
         "von", "der", "den", "y", "e", "et", "bin", "ibn", "wa"}
#: Short words that are acronyms although they are also English words.
ACRONYMS = {"un", "us", "eu", "au", "uk", "who", "ida", "ifc"}
PERSON_CUTOFF_YY = 30  # YYMMDD: YY <= 30 is 20YY, else 19YY
#: Single words that are ordinary English and must not become proper-name forms.
COMMON = {"action", "alliance", "army", "black", "council", "front", "group", "league",
          "movement", "party", "people", "union", "unity", "justice", "freedom", "liberty",
          "reform", "order", "change", "hope", "future", "progress", "victory", "defence",
          "defense", "resistance", "revolution", "solidarity", "dawn", "light", "path",
          "phoenix", "charlotte", "columbus", "cleveland", "mobile", "reading", "bath",
          "nice", "split", "male", "victoria", "florence", "orange", "eagle", "falcon",
          "lion", "lions", "tigers", "tiger", "hawks", "panthers", "brigade", "brigades",
          "tribune", "star", "sun", "mirror", "times", "post", "express", "guardian",
          "independent", "observer", "herald", "monitor", "voice", "world", "nation",
          "reuters", "amnesty", "oxfam", "shell", "apple", "total", "general", "national",
          "international", "republic", "state", "states", "government", "president"}


@dataclass
class Record:
    """One actor record: a primary phrase, its synonyms and its codes."""

    phrase: str
    line: int
    synonyms: list[str] = field(default_factory=list)
    default: tuple[str, int] | None = None  # code on the primary line
    codes: list[tuple[str, str, int]] = field(default_factory=list)  # (code, restriction, line)
    comment: str = ""


@dataclass
class Report:
    wrote: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)

    def skip(self, why: str, n: int = 1) -> None:
        self.skipped[why] += n


# -- reading the .actors format ---------------------------------------------------------------
BRACKET = re.compile(r"\[([^\]\[]*)[\]}]")


def _strip_comment(line: str) -> tuple[str, str]:
    if "#" in line:
        i = line.index("#")
        return line[:i], line[i + 1:].strip()
    return line, ""


def read_actor_records(lines: list[str], report: Report) -> list[Record]:
    """Records of a PETRARCH .actors file. A record still without a code that is followed
    directly by another primary line takes that line as a synonym (a known defect: the ``+``
    is missing, as in the Brezhnev, Yeltsin, Gorbachev and Ford records)."""
    records: list[Record] = []
    current: Record | None = None
    last = 0  # the line number of the current record's last line
    for number, raw in enumerate(lines, start=1):
        body, comment = _strip_comment(raw.rstrip("\n"))
        if not body.strip():
            continue
        if body[0] in " \t" and body.strip().startswith("["):
            if current is None:
                report.skip("code line without a record")
                continue
            for inner in BRACKET.findall(body):
                _add_code(current, inner, number)
            last = number
            continue
        text = body.strip()
        if text.startswith("+"):
            if current is None:
                report.skip("synonym line without a record")
                continue
            # "+A_+B_": two synonyms run together
            current.synonyms.extend(p.strip() for p in text.split("+") if p.strip())
            last = number
            continue
        phrase = BRACKET.split(text)[0].strip()
        inner_codes = BRACKET.findall(text)
        if current is not None and not current.codes and current.default is None \
                and last == number - 1:
            # the defect: this primary line belongs to the record still waiting for its codes
            report.wrote["code-less primary lines read as synonyms"] += 1
            current.synonyms.append(phrase)
        else:
            current = Record(phrase, number, comment=comment)
            records.append(current)
        last = number
        for inner in inner_codes:
            parts = inner.split()
            if len(parts) == 1 and len(inner_codes) == 1 and current.default is None:
                current.default = (parts[0], number)
            else:
                _add_code(current, inner, number)
    return records


def _add_code(record: Record, inner: str, number: int) -> None:
    parts = inner.split(None, 1)
    if not parts:
        return
    code = parts[0]
    restriction = parts[1].replace(" ", "") if len(parts) > 1 else ""
    record.codes.append((code, restriction, number))


def parse_date(text: str) -> date | None:
    """``YYMMDD`` (YY <= 30 is 20YY, else 19YY) or ``YYYYMMDD``; None if malformed."""
    if not text.isdigit() or len(text) not in (6, 8):
        return None
    if len(text) == 6:
        yy = int(text[:2])
        year = 2000 + yy if yy <= PERSON_CUTOFF_YY else 1900 + yy
        month, day = int(text[2:4]), int(text[4:6])
    else:
        year, month, day = int(text[:4]), int(text[4:6]), int(text[6:8])
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_restriction(text: str) -> tuple[date | None, date | None] | None:
    """(start, end) of a restriction ``a-b`` / ``>a`` / ``<b`` / empty; None if malformed
    (a date that is not a calendar date, a bare date, a range that ends before it starts)."""
    text = text.replace(" ", "")
    if not text:
        return (None, None)
    if text[0] == ">":
        start = parse_date(text[1:])
        return None if start is None else (start, None)
    if text[0] == "<":
        end = parse_date(text[1:])
        return None if end is None else (None, end)
    if text.count("-") == 1:
        a, b = text.split("-")
        start, end = parse_date(a), parse_date(b)
        if start is None or end is None or start > end:
            return None
        return (start, end)
    return None


# -- codes ---------------------------------------------------------------------------------------
def split_code(code: str, countries: set[str]) -> tuple[str | None, str | None]:
    """(country, sector) of a Phoenix code: ``AFGGOVMIL`` -> (AFG, GOV); ``IGOUNOHRI`` ->
    (IGO, HRI); ``---`` or an unknown country -> (None, None)."""
    code = code.strip().upper()
    if len(code) < 3 or not code[:3].isalpha():
        return None, None
    head = COUNTRY_MAP.get(code[:3], code[:3])
    if head not in countries and head not in TRANSNATIONAL:
        return None, None
    sector = None
    for i in range(3, len(code) - 2, 3):
        chunk = code[i:i + 3]
        if chunk in ROLES:
            sector = chunk
            break
        if chunk in RELIGIONS:
            sector = "REL"
            break
    return head, sector


def agent_sector(code: str) -> str | None:
    chunk = code[:3]
    if chunk in RELIGIONS:
        return "REL"
    return chunk if chunk in ROLES else None


# -- surface forms -------------------------------------------------------------------------------
def _cap(word: str) -> str:
    """One upper-case word in news case: MCCAIN -> McCain, O'BRIEN -> O'Brien."""
    if not word:
        return word
    low = word.lower()
    if len(low) > 3 and low.startswith("mc"):
        return "Mc" + low[2].upper() + low[3:]
    out = low[0].upper() + low[1:]
    if "'" in out[:-2]:
        i = out.index("'")
        if i <= 2:
            out = out[:i + 1] + out[i + 1:i + 2].upper() + out[i + 2:]
    return out


def _word_forms(word: str, first: bool, acronyms: bool) -> list[str]:
    if not any(c.isalpha() for c in word):
        return [word]
    if re.fullmatch(r"(?:[A-Z]\.)+", word):
        return [word]  # U.N., U.S.
    low = word.lower()
    if low in SMALL and not first:
        return [low]
    if acronyms and word.isalpha() and len(word) <= 3 and low not in SMALL \
            and (low in ACRONYMS or low not in COMMON):
        return [word]  # UN, EU, ANC inside a longer name
    if "-" in word:
        parts = word.split("-")
        capped = [_cap(p) if p else p for p in parts]
        variants = ["-".join(capped)]
        # al-Assad, Ki-moon: the part after a hyphen in lower case is as common
        if parts[0].lower() in ("al", "el", "ad", "as", "ash", "an", "ar", "at", "az"):
            variants.append("-".join([parts[0].lower(), *capped[1:]]))
        elif len(parts) == 2:
            variants.append(capped[0] + "-" + parts[1].lower())
        return variants
    return [_cap(word)]


def surface_forms(phrase: str, *, acronyms: bool = True, limit: int = 4) -> list[str]:
    """News-case forms of an upper-case Phoenix phrase (``BAN_KI-MOON_`` -> ``Ban Ki-Moon``,
    ``Ban Ki-moon``). Parenthesised parts ("(ETA)") are dropped."""
    text = re.sub(r"\([^)]*\)", " ", phrase)
    words = [w for w in re.split(r"[_\s]+", text) if w and w not in ("-",)]
    words = [w.strip(",;") for w in words if w.strip(",;")]
    if not words:
        return []
    if len(words) == 1 and words[0].isalpha():
        word = words[0]
        # NATO, HAMAS as well as Nato, Hamas (a person's name only in news case)
        return [_cap(word), word.upper()] if acronyms else [_cap(word)]
    options = [_word_forms(w, i == 0, acronyms) for i, w in enumerate(words)]
    forms = [""]
    for opts in options:
        forms = [f"{f} {o}".strip() for f in forms for o in opts][:limit]
    return list(dict.fromkeys(forms))


def agent_phrase(phrase: str) -> str:
    return " ".join(w for w in re.split(r"[_\s]+", phrase.lower()) if w)


def _plural(term: str) -> str:
    words = term.split()
    last = words[-1]
    if last.endswith(("s", "x", "ch", "sh")):
        last += "es"
    elif last.endswith("y") and len(last) > 1 and last[-2] not in "aeiou":
        last = last[:-1] + "ies"
    else:
        last += "s"
    return " ".join([*words[:-1], last])


# -- the converters -------------------------------------------------------------------------------
AGENT_LINE = re.compile(r"^(?P<phrase>[^\[{]+?)\s*(?:\{(?P<plural>[^}]*)\})?\s*"
                        r"\[(?P<code>[^\]}]*)[\]}]")


def convert_agents(lines: list[str], file: str, report: Report) -> list[dict[str, str]]:
    subs: dict[str, list[str]] = {}
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    for number, raw in enumerate(lines, start=1):
        body, _ = _strip_comment(raw)
        body = body.strip()
        if not body or body.startswith("<!"):
            continue
        if body.startswith("!") and "=" in body:
            name, values = body.split("=", 1)
            subs[name.strip()] = [v.strip() for v in values.split(",") if v.strip()]
            continue
        m = AGENT_LINE.match(body)
        if not m:
            report.skip(f"{file}: agent line without a [code]")
            continue
        code = m["code"].strip()
        if code.startswith("~"):
            position, code = "suffix", code[1:]
        elif code.endswith("~"):
            position, code = "prefix", code[:-1]
        else:
            report.skip(f"{file}: agent code without '~'")
            continue
        sector = agent_sector(code)
        if sector is None:
            report.skip(f"{file}: agent code with no CAMEO sector")
            continue
        phrase = m["phrase"].strip()
        plural = m["plural"]
        expanded = [phrase]
        marker = re.search(r"![A-Z]+!", phrase)
        if marker:
            if marker.group(0) not in subs:
                report.skip(f"{file}: unknown substitution marker")
                continue
            # every item of the set is substituted, with no further plural formed
            expanded = [phrase.replace(marker.group(0), s) for s in subs[marker.group(0)]]
            plural = ""
        terms = [agent_phrase(p) for p in expanded]
        if plural is None:  # a regular plural, unless the phrase is one already
            terms += [_plural(t) for t in terms if not re.search(r"[^s]s$", t)]
        elif plural.strip():
            terms.append(agent_phrase(plural))
        for term in terms:
            if not term or term in seen:
                continue
            seen.add(term)
            rows.append({"term": term, "sector": sector, "code": code, "position": position,
                         "source_file": file, "source_line": str(number)})
    report.wrote["agent phrases"] = len(rows)
    return rows


def common_words(shared: Path) -> set[str]:
    """Words written in lower case somewhere in a few megabytes of English news: a one-word
    name equal to one of them ("Action", "Mobile") would over-resolve, so it is left out."""
    words = set(COMMON)
    for name in WORD_SOURCES:
        path = shared / name
        if path.exists():
            words.update(re.findall(r"(?<![\w.-])[a-z]{2,}(?![\w-])", path.read_text("utf-8")))
    return words


def _org_forms(record: Record, report: Report) -> list[str]:
    forms: list[str] = []
    for phrase in [record.phrase, *record.synonyms]:
        for form in surface_forms(phrase):
            if form.startswith("The "):  # the project's forms carry no leading 'the'
                form = form[4:]
            if len(form) < 3 or (" " not in form and form.lower() in COMMON):
                report.skip("organisation form: a common word or under 3 letters")
                continue
            if form.islower():
                continue
            forms.append(form)
    return list(dict.fromkeys(forms))


def convert_organisations(records: list[Record], file: str, countries: set[str],
                          report: Report, *, armed: bool = False) -> list[dict[str, str]]:
    rows = []
    for rec in records:
        codes = [rec.default] if rec.default else []
        codes += [(c, ln) for c, r, ln in rec.codes if not r]
        dated = [c for c in rec.codes if c[1]]
        if dated and not armed:
            continue  # a dated record is a person: convert_people takes it
        if not codes:
            if not dated:
                report.skip(f"{file}: record without a code")
            continue
        code, line = codes[0]
        if code.startswith("MNC"):
            report.skip(f"{file}: multinational company (left out: company names are often "
                        "ordinary words, and companies are not political actors here)")
            continue
        country, sector = split_code(code, countries)
        if country is None and armed and len(code) >= 6 and code[3:6] in ROLES:
            # regional codes (MEA, SAS, INT ...) for groups active across borders
            country, sector = "IMG", code[3:6]
        if country is None:
            report.skip(f"{file}: code with no known country ({code[:3]})")
            continue
        if armed and country not in TRANSNATIONAL and sector is None:
            sector = "REB"
        forms = _org_forms(rec, report)
        if not forms:
            report.skip(f"{file}: no usable surface form")
            continue
        project_code = code if country in TRANSNATIONAL else country + code[3:]
        rows.append({"forms": "|".join(forms), "code": project_code, "country": country,
                     "sector": sector or "", "name": forms[0], "source_file": file,
                     "source_line": str(line)})
    return rows


def convert_people(records: list[Record], file: str, countries: set[str],
                   report: Report) -> list[dict[str, str]]:
    rows = []
    for rec in records:
        dated = [c for c in rec.codes if c[1]]
        if not dated:
            continue
        names = []
        for phrase in [rec.phrase, *rec.synonyms]:
            names.extend(surface_forms(phrase, acronyms=False, limit=2))
        names = [n for n in dict.fromkeys(names) if len(n) > 2]
        if not names:
            report.skip(f"{file}: person without a usable name")
            continue
        entries = list(rec.codes)
        if rec.default:
            entries.append((rec.default[0], "", rec.default[1]))
        order = 0
        for code, restriction, line in entries:
            span = parse_restriction(restriction)
            if span is None:
                report.skip(f"{file}: malformed date restriction")
                continue
            if code == "---":
                report.skip(f"{file}: null code [---]")
                continue
            country, sector = split_code(code, countries)
            if country is None:
                report.skip(f"{file}: person code with no known country ({code[:3]})")
                continue
            order += 1
            start, end = span
            rows.append({"name": names[0], "aliases": "|".join(names[1:]), "code": code,
                         "country": country, "sector": sector or "",
                         "start": start.isoformat() if start else "",
                         "end": end.isoformat() if end else "", "order": str(order),
                         "source_file": file, "source_line": str(line)})
    return rows


def convert_countries(records: list[Record], file: str, countries: dict[str, list[str]],
                      taken: set[str], report: Report
                      ) -> tuple[list[dict[str, str]], list[dict[str, str]], list[dict[str, str]]]:
    """People, national institutions and places of the countries file."""
    people = convert_people(records, file, set(countries), report)
    orgs: list[dict[str, str]] = []
    places: list[dict[str, str]] = []
    place_iso: dict[str, set[str]] = defaultdict(set)
    place_rows: dict[str, dict[str, str]] = {}
    for rec in records:
        if any(r for _, r, _ in rec.codes):
            continue
        code = rec.default[0] if rec.default else (rec.codes[0][0] if rec.codes else None)
        if code is None:
            report.skip(f"{file}: record without a code")
            continue
        country, sector = split_code(code, set(countries))
        if country is None:
            report.skip(f"{file}: code with no known country ({code[:3]})")
            continue
        if len(code) == 3 and rec.default:
            # a country record: its synonyms are variant names, demonyms, cities, provinces
            known = [k.lower() for k in countries[country]]
            for syn in rec.synonyms:
                if "(" in syn or syn.upper().startswith("THE_"):
                    report.skip(f"{file}: country synonym with parentheses or 'the'")
                    continue
                forms = surface_forms(syn, limit=1)
                if not forms:
                    continue
                form = forms[0]
                low = form.lower()
                if form in taken:
                    report.skip(f"{file}: country synonym already in the project's data")
                    continue
                if low in COMMON or len(form) < 4:
                    report.skip(f"{file}: country synonym that is a common word")
                    continue
                if any(k in low or difflib.SequenceMatcher(None, low, k).ratio() >= 0.7
                       for k in known):
                    report.skip(f"{file}: country synonym that is a variant spelling of the "
                                "country or its people (left out)")
                    continue
                line = rec.line + 1 + rec.synonyms.index(syn)
                place_iso[form].add(country)
                place_rows.setdefault(form, {"form": form, "iso3": country,
                                             "country_code": code, "source_file": file,
                                             "source_line": str(line)})
            continue
        if sector is None:
            report.skip(f"{file}: national record without a sector")
            continue
        forms = _org_forms(rec, report)
        if not forms:
            continue
        line = rec.default[1] if rec.default else rec.codes[0][2]
        orgs.append({"forms": "|".join(forms), "code": country + code[3:],
                     "country": country, "sector": sector, "name": forms[0],
                     "source_file": file, "source_line": str(line)})
    for form, row in place_rows.items():
        if len(place_iso[form]) > 1:
            report.skip(f"{file}: place named under two countries (ambiguous)")
            continue
        places.append(row)
    return people, orgs, places


def convert_discards(lines: list[str], file: str, report: Report) -> list[dict[str, str]]:
    rows = []
    seen = set()
    for number, raw in enumerate(lines, start=1):
        body, _ = _strip_comment(raw)
        body = body.strip()
        if not body:
            continue
        scope = "sentence"
        if body.startswith("+"):
            scope, body = "story", body[1:].strip()
        whole = body.endswith("_")
        phrase = " ".join(w for w in re.split(r"[_\s]+", body.lower()) if w)
        if not phrase or (phrase, scope) in seen:
            report.skip(f"{file}: empty or repeated phrase")
            continue
        seen.add((phrase, scope))
        rows.append({"phrase": phrase, "scope": scope, "whole_word": "1" if whole else "0",
                     "source_file": file, "source_line": str(number)})
    return rows


# -- project data the converter checks against -----------------------------------------------------
def _project_rows(out: Path, name: str) -> list[dict[str, str]]:
    path = out / name
    if not path.exists():
        return []
    lines = [ln for ln in path.read_text("utf-8").splitlines() if not ln.startswith("#")]
    return list(csv.DictReader(lines))


def project_names(out: Path) -> tuple[dict[str, list[str]], set[str]]:
    """Each country's names and demonyms, and every proper form the project already has."""
    countries: dict[str, list[str]] = {}
    taken: set[str] = set()
    for row in _project_rows(out, "countries.csv"):
        names = [row["name"], *row["forms"].split("|"), *row["demonyms"].split("|")]
        caps = [row["capital"], *row["capital_forms"].split("|")]
        countries[row["iso3"]] = [n for n in names if n]
        taken.update(n for n in names + caps if n)
    for name, column in (("historical.csv", "term"), ("seats.csv", "term"),
                         ("organisations.csv", "forms"), ("places.csv", "forms")):
        for row in _project_rows(out, name):
            taken.update(f for f in row[column].split("|") if f)
    return countries, taken


# -- writing ---------------------------------------------------------------------------------------
def header(what: str, files: str, how: list[str]) -> str:
    lines = [f"Facts from {CREDIT}: {files}, {ORIGIN}.",
             "Generated by tools/build_phoenix_actors.py: do not edit by hand; re-run the tool.",
             what, *how,
             "source_file/source_line: the dictionary file and line each row comes from."]
    return "".join(f"# {ln}\n" for ln in lines)


def render(head: str, columns: list[str], rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return head + buf.getvalue()


def build(source: Path, out: Path) -> tuple[dict[str, str], Report]:
    """The text of each data file, and what was written and skipped."""
    report = Report()
    COMMON.update(common_words(source.parent.parent))

    def read(name: str) -> list[str]:
        return (source / name).read_text("utf-8", errors="replace").splitlines()

    countries, taken = project_names(out)
    iso = set(countries)
    agents = convert_agents(read("Phoenix.agents.txt"), "Phoenix.agents.txt", report)

    intl_file, mil_file, ctry_file = ("Phoenix.International.actors.txt",
                                      "Phoenix.MilNonState.actors.txt",
                                      "Phoenix.Countries.actors.txt")
    intl = read_actor_records(read(intl_file), report)
    mil = read_actor_records(read(mil_file), report)
    ctry = read_actor_records(read(ctry_file), report)
    orgs = convert_organisations(intl, intl_file, iso, report)
    orgs += convert_organisations(mil, mil_file, iso, report, armed=True)
    people = convert_people(intl, intl_file, iso, report)
    c_people, c_orgs, places = convert_countries(ctry, ctry_file, countries, taken, report)
    people += c_people
    orgs += c_orgs
    discards = convert_discards(read("Phoenix.discards.txt"), "Phoenix.discards.txt", report)

    report.wrote["organisations (IGO, NGO, armed groups, national institutions)"] = len(orgs)
    report.wrote["person code rows"] = len(people)
    report.wrote["people"] = len({(r["source_file"], r["name"]) for r in people})
    report.wrote["places (cities, provinces)"] = len(places)
    report.wrote["discard phrases"] = len(discards)

    files = {
        "phoenix_agents.csv": render(header(
            "Agent phrases: common nouns and titles that set an actor's sector (CAMEO role) "
            "next to a country or organisation.",
            "Phoenix.agents.txt",
            ["term is lower case; regular plurals and !PERSON!/!MINIST! substitutions are "
             "expanded into rows; sector is the CAMEO role (religions as REL); code is the "
             "Phoenix agent code; position says whether Phoenix adds it after (suffix) or "
             "before (prefix) the actor's code."]),
            ["term", "sector", "code", "position", "source_file", "source_line"], agents),
        "phoenix_organisations.csv": render(header(
            "International and non-governmental organisations, armed non-state groups and "
            "national institutions.",
            "Phoenix.International.actors.txt, Phoenix.MilNonState.actors.txt, "
            "Phoenix.Countries.actors.txt",
            ["forms are |-separated news-case forms of the upper-case phrases; country is "
             "IGO, NGO, IMG or ISO 3166-1 alpha-3 (former states as their successor); sector "
             "is the first CAMEO role in the code. Multinational companies are left out."]),
            ["forms", "code", "country", "sector", "name", "source_file", "source_line"], orgs),
        "phoenix_people.csv": render(header(
            "Dated person records (leaders, ministers, officials): one row per code and date "
            "restriction, in the dictionary's order (order: the first that holds wins).",
            "Phoenix.Countries.actors.txt, Phoenix.International.actors.txt",
            ["start/end YYYY-MM-DD as given (YYMMDD with YY <= 30 read as 20YY); both empty "
             "= the record's default code; end empty = open ('in office at the last "
             "update', 2014-15). Rows with malformed dates are left out."]),
            ["name", "aliases", "code", "country", "sector", "start", "end", "order",
             "source_file", "source_line"], people),
        "phoenix_places.csv": render(header(
            "Cities and provinces named as synonyms of a country: places, never actors.",
            "Phoenix.Countries.actors.txt",
            ["form is the news-case name; iso3 the country it lies in. Variant spellings of a "
             "country or its people, forms the project already has and names listed under "
             "two countries are left out."]),
            ["form", "iso3", "country_code", "source_file", "source_line"], places),
        "phoenix_discards.csv": render(header(
            "Phrases that mark text not to code: sport, entertainment, history.",
            "Phoenix.discards.txt",
            ["phrase is lower case; scope story discards the whole document, sentence only "
             "the sentence; whole_word 1 = the phrase must end at a word boundary, 0 = it is "
             "a stem (matching is case-insensitive and starts at a word boundary)."]),
            ["phrase", "scope", "whole_word", "source_file", "source_line"], discards),
    }
    return files, report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE,
                    help="folder holding the Phoenix dictionaries")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    if not (args.source / "Phoenix.agents.txt").exists():
        print(f"{args.source}: no Phoenix dictionaries here (give --source)", file=sys.stderr)
        return 2
    files, report = build(args.source, args.out)
    for name, text in files.items():
        (args.out / name).write_text(text, "utf-8")
    print("wrote:")
    for what, n in report.wrote.items():
        print(f"  {n:6d}  {what}")
    print("skipped:")
    for why, n in sorted(report.skipped.items(), key=lambda kv: -kv[1]):
        if n:
            print(f"  {n:6d}  {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
