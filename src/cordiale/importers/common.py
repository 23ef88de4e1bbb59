"""What every importer shares: reading (gzipped) text by line, checking fields, and the lookups
that turn other datasets' country names and codes into ISO 3166-1 alpha-3.

Lines are decoded one at a time so a stray non-UTF-8 byte fails only its own row, and every
row is numbered by the physical line it starts on, which is what a user opens the file at.
Country lookups read the gazetteer's data files (read-only) first and the importers' own
files after, so a spelling fixed in the gazetteer is fixed here too.
"""

from __future__ import annotations

import csv
import gzip
import math
from collections import Counter
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from operator import itemgetter
from typing import Any

from ..actors.gazetteer import read_csv_rows, read_rows
from ..errors import DataFileError
from ..events.ontology import CameoCode, load_ontology
from ..records import EVENT_FIELDS

#: Columns an importer fills: the event contract plus the store's own event columns.
IMPORT_COLUMNS = (*EVENT_FIELDS, "event_date", "story_id", "publisher", "origin_event_id",
                  "origin")


class RowError(ValueError):
    """A row that cannot be imported; the message is the reason shown to the user."""


@dataclass
class FileContext:
    """What an importer reports about one file besides its rows."""

    path: str
    unmapped: Counter[str] = field(default_factory=Counter)  # country names/codes left empty


def open_lines(path: str, bad: set[int]) -> Generator[str, None, None]:
    """Lines of a text file, gunzipped when it starts with the gzip magic bytes.

    A line that is not UTF-8 is decoded with replacement characters and its number added to
    ``bad``, so the caller can fail that row rather than store mangled text.
    """
    with open(path, "rb") as raw:
        magic = raw.read(2)
    gzipped = magic == b"\x1f\x8b"
    with gzip.open(path, "rb") if gzipped else open(path, "rb") as fh:
        for number, line in enumerate(fh, start=1):
            try:
                text = line.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                bad.add(number)
                text = line.decode("utf-8", "replace")
            yield text


def number(value: str | None, what: str, low: float | None = None,
           high: float | None = None) -> float | None:
    """A finite float (None when empty), optionally within [low, high]."""
    if value is None or value == "":
        return None
    try:
        out = float(value)
    except ValueError:
        raise RowError(f"{what} {value!r} is not a number") from None
    if not math.isfinite(out):
        raise RowError(f"{what} {value!r} is not a finite number")
    if (low is not None and out < low) or (high is not None and out > high):
        raise RowError(f"{what} {value!r} is outside {low:g}..{high:g}")
    return out


def integer(value: str | None, what: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except ValueError:
        raise RowError(f"{what} {value!r} is not a whole number") from None


def iso_day(value: str | None, what: str) -> date:
    """A YYYY-MM-DD date (required)."""
    if not value:
        raise RowError(f"no {what}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RowError(f"{what} {value!r} is not a date (YYYY-MM-DD)") from None


@lru_cache(maxsize=1024)
def cameo(value: str | None) -> CameoCode:
    """The ontology entry of a CAMEO event code, restoring leading zeros a spreadsheet dropped.

    Codes are 3 or 4 digits ("040", "0214"); "40" becomes "040", and "214" becomes "0214"
    because no CAMEO root is above 20.
    """
    code = (value or "").strip()
    if not code:
        raise RowError("no CAMEO code")
    if code.isdigit():
        if len(code) <= 2:
            code = code.zfill(3)
        elif len(code) == 3 and int(code[:2]) > 20:
            code = code.zfill(4)
    entry = load_ontology().codes.get(code)
    if entry is None or len(code) < 3:
        raise RowError(f"unknown CAMEO code {value!r}")
    return entry


def new_row(origin: str) -> dict[str, Any]:
    """An event row with the defaults every imported event shares."""
    row: dict[str, Any] = dict.fromkeys(IMPORT_COLUMNS)
    row.update(negated=False, hypothetical=False, reciprocal=False, modality="asserted",
               confidence=1.0, coder=origin, origin=origin, sentence_index=0)
    return row


_row_values = itemgetter(*IMPORT_COLUMNS)


class Columns:
    """Rows gathered for the store, handed over as column lists (one list per column)."""

    def __init__(self) -> None:
        self.rows: list[tuple[Any, ...]] = []

    @property
    def size(self) -> int:
        return len(self.rows)

    def add(self, row: dict[str, Any]) -> None:
        self.rows.append(_row_values(row))

    def take(self) -> dict[str, list[Any]]:
        # transposed in C; an empty batch gives no columns rather than empty ones
        transposed = zip(*self.rows, strict=True)
        columns = {name: list(values)
                   for name, values in zip(IMPORT_COLUMNS, transposed, strict=False)}
        self.rows = []
        return columns


# -- country lookups ------------------------------------------------------------------------
def _importer_rows(name: str) -> list[dict[str, str]]:
    rows = read_csv_rows("cordiale.importers", name)
    if not rows:  # silently empty lookups would leave every country empty
        raise DataFileError(f"importers/data/{name} is missing or empty; reinstall cordiale")
    return rows


def _name_key(name: str) -> str:
    name = name.strip()
    if name[:4].lower() == "the ":
        name = name[4:]
    return name.casefold()


@lru_cache(maxsize=1)
def _country_names() -> tuple[dict[str, str], dict[str, str]]:
    exact: dict[str, str] = {}
    for row in read_rows("countries.csv"):
        for form in [row["name"], *row.get("forms", "").split("|")]:
            if form.strip():
                exact.setdefault(form.strip(), row["iso3"])
    for row in read_rows("historical.csv"):
        exact.setdefault(row["term"], row["iso3"])
    for row in _importer_rows("icews_countries.csv"):
        exact.setdefault(row["name"], row["iso3"])
    loose: dict[str, str] = {}
    for form, iso in exact.items():
        loose.setdefault(_name_key(form), iso)
    return exact, loose


def country_from_name(name: str | None, ctx: FileContext) -> str | None:
    """ISO3 of a country name; an unknown name is counted in ``ctx.unmapped`` and gives None."""
    if not name:
        return None
    iso = _country_iso(name)
    if iso is None:
        ctx.unmapped[name] += 1
    return iso


@lru_cache(maxsize=4096)
def _country_iso(name: str) -> str | None:
    exact, loose = _country_names()
    return exact.get(name) or loose.get(_name_key(name))


@lru_cache(maxsize=1)
def _fips() -> dict[str, str]:
    return {r["fips"]: r["iso3"] for r in _importer_rows("fips_countries.csv")}


@lru_cache(maxsize=1)
def iso3_codes() -> frozenset[str]:
    """Every ISO3 code cordiale knows: the gazetteer's states and the FIPS list's territories."""
    codes = {r["iso3"] for r in read_rows("countries.csv")}
    codes.update(_fips().values())
    codes.update(r["iso3"] for r in _importer_rows("icews_countries.csv"))
    return frozenset(codes)


@lru_cache(maxsize=1)
def _cameo_countries() -> dict[str, str]:
    return {r["code"]: r["iso3"] for r in _importer_rows("cameo_countries.csv")}


def country_from_fips(code: str | None, ctx: FileContext) -> str | None:
    if not code:
        return None
    iso = _fips().get(code)
    if iso is None:
        ctx.unmapped[f"FIPS {code}"] += 1
    return iso


def country_from_cameo(code: str | None, ctx: FileContext | None) -> str | None:
    """ISO3 of a CAMEO country code; regions give None quietly, unknown codes are counted."""
    if not code:
        return None
    if code in _cameo_countries():
        return _cameo_countries()[code] or None
    if code in iso3_codes():
        return code
    if ctx is not None:
        ctx.unmapped[f"CAMEO {code}"] += 1
    return None


# -- actors ---------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def sector_ranks() -> dict[str, tuple[int, str]]:
    return {r["sector"]: (i, r["code"]) for i, r in enumerate(_importer_rows("icews_sectors.csv"))}


@lru_cache(maxsize=4096)
def icews_sector(sectors: str | None) -> str | None:
    """The CAMEO role of the highest-precedence ICEWS sector in a comma-separated list."""
    if not sectors:
        return None
    ranks = sector_ranks()
    found = [ranks[s.strip()] for s in sectors.split(",") if s.strip() in ranks]
    return min(found)[1] if found else None


@lru_cache(maxsize=1)
def organisation_forms() -> dict[str, str]:
    """Every name and form of an organisation in the gazetteer, with its CAMEO code."""
    out: dict[str, str] = {}
    for row in read_rows("organisations.csv"):
        for form in [row["name"], *row["forms"].split("|")]:
            if form.strip():
                out.setdefault(form.strip(), row["code"])
    return out


def organisation_code(name: str | None) -> str | None:
    """The gazetteer's CAMEO code for an organisation named exactly so (IGOUNO), if any."""
    return organisation_forms().get(name) if name else None


def preload() -> None:
    """Read every lookup table now rather than on the first row that needs one."""
    _country_names()
    iso3_codes()
    _cameo_countries()
    sector_ranks()
    organisation_forms()
    load_ontology()


def delimited_rows(path: str, delimiter: str, *, quoted: bool,
                   bad: set[int]) -> Iterator[tuple[int, list[str] | str]]:
    """(first line number, fields) of each record, or (line, reason) when csv cannot parse it.

    Blank lines are skipped. ``quoted`` is False for tab files, whose fields may hold quotes.
    """
    reader = csv.reader(open_lines(path, bad), delimiter=delimiter,
                        quoting=csv.QUOTE_MINIMAL if quoted else csv.QUOTE_NONE, strict=False)
    end = 0
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            yield end + 1, f"not readable as {'CSV' if quoted else 'tab-separated'} ({err})"
            end = reader.line_num
            continue
        start, end = end + 1, reader.line_num
        if not fields or (len(fields) == 1 and not fields[0].strip()):
            continue
        if bad and any(n in bad for n in range(start, end + 1)):
            yield start, "not UTF-8 text"
            continue
        yield start, fields
