"""GDELT 1.0 and 2.0 event exports: tab-separated, no header, the version told by column count.

A file's layout is set by its first row of a known width (57 or 58 columns for 1.0, 61 for
2.0) and every later row must have that width, so a truncated or merged row fails with its
line number instead of shifting fields. GDELT has already merged an event's mentions, so each
event is its own story (``story_id`` = the event id); actor countries are CAMEO codes (mostly
ISO3) and place countries FIPS 10-4 codes, both mapped to ISO3 by data files.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from ..records import Failure
from .common import (
    FileContext,
    RowError,
    cameo,
    country_from_cameo,
    country_from_fips,
    delimited_rows,
    integer,
    new_row,
    number,
)

ORIGIN = "gdelt"

_HEAD = ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate")
_ACTOR = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
          "Religion2Code", "Type1Code", "Type2Code", "Type3Code")
_EVENT = ("IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
          "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone")
_GEO_V1 = ("Type", "FullName", "CountryCode", "ADM1Code", "Lat", "Long", "FeatureID")
_GEO_V2 = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long",
           "FeatureID")


def _layout(geo: tuple[str, ...]) -> tuple[str, ...]:
    return (*_HEAD,
            *(f"Actor{n}{c}" for n in (1, 2) for c in _ACTOR),
            *_EVENT,
            *(f"{who}Geo_{c}" for who in ("Actor1", "Actor2", "Action") for c in geo),
            "DATEADDED")


#: Column names by column count, from the GDELT 1.0 and 2.0 event codebooks.
LAYOUTS: dict[int, tuple[str, tuple[str, ...]]] = {
    57: ("1.0", _layout(_GEO_V1)),
    58: ("1.0", (*_layout(_GEO_V1), "SOURCEURL")),  # daily files from April 2013
    61: ("2.0", (*_layout(_GEO_V2), "SOURCEURL")),
}


def read_gdelt(path: str, ctx: FileContext) -> Iterator[dict[str, Any] | Failure]:
    """Event rows of a GDELT 1.0 or 2.0 export, and a Failure for each bad row."""
    bad: set[int] = set()
    width = 0
    slots: dict[str, int] = {}
    for line, fields in delimited_rows(path, "\t", quoted=False, bad=bad):
        if isinstance(fields, str):
            yield Failure(path, fields, line=line, kind="import")
            continue
        if not width:
            if fields[0] == "GLOBALEVENTID":  # a header some exports add
                continue
            if len(fields) not in LAYOUTS:
                yield Failure(path, f"expected 57 or 58 (GDELT 1.0) or 61 (GDELT 2.0) "
                              f"tab-separated fields, found {len(fields)}", line=line,
                              kind="import")
                continue
            width = len(fields)
            slots = {name: i for i, name in enumerate(LAYOUTS[width][1])}
        elif len(fields) != width:
            version = LAYOUTS[width][0]
            yield Failure(path, f"expected {width} fields like the file's first row "
                          f"(GDELT {version}), found {len(fields)}", line=line, kind="import")
            continue
        try:
            yield _event(fields, slots, ctx)
        except RowError as err:
            yield Failure(path, str(err), line=line, kind="import")


def _sqldate(value: str) -> date:
    if len(value) != 8 or not value.isdigit():
        raise RowError(f"SQLDATE {value!r} is not a date (YYYYMMDD)")
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        raise RowError(f"SQLDATE {value!r} is not a date (YYYYMMDD)") from None


def _publisher(url: str | None) -> str | None:
    """The host of a source URL without 'www.'; a value that is no URL names the outlet."""
    if not url:
        return None
    if "://" not in url:
        return url
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if host and host.startswith("www."):
        host = host[4:]
    return host or None


def _event(fields: list[str], slots: dict[str, int], ctx: FileContext) -> dict[str, Any]:
    def get(name: str) -> str | None:
        i = slots.get(name)
        value = fields[i].strip() if i is not None else ""
        return value or None

    gid = get("GLOBALEVENTID")
    if not gid or not gid.isdigit():
        raise RowError(f"GLOBALEVENTID {gid!r} is not a number" if gid else "no GLOBALEVENTID")
    day = _sqldate(get("SQLDATE") or "")
    entry = cameo(get("EventCode"))
    quad = integer(get("QuadClass"), "QuadClass")
    if quad is not None and not 1 <= quad <= 4:
        raise RowError(f"QuadClass {quad} is outside 1..4")
    goldstein = number(get("GoldsteinScale"), "GoldsteinScale", -10.0, 10.0)
    latitude = number(get("ActionGeo_Lat"), "ActionGeo_Lat", -90.0, 90.0)
    longitude = number(get("ActionGeo_Long"), "ActionGeo_Long", -180.0, 180.0)
    actors = {}
    for side, n in (("source", 1), ("target", 2)):
        code = get(f"Actor{n}Code")
        country = country_from_cameo(get(f"Actor{n}CountryCode"), ctx)
        if country is None and code and not get(f"Actor{n}CountryCode"):
            country = country_from_cameo(code[:3], None)  # e.g. RUSGOV with no country field
        actors.update({f"{side}_code": code, f"{side}_country": country,
                       f"{side}_sector": get(f"Actor{n}Type1Code"),
                       f"{side}_name": get(f"Actor{n}Name")})
    url = get("SOURCEURL")
    event_id = f"gdelt:{gid}"
    row = new_row(ORIGIN)
    row.update(actors)
    row.update(
        event_id=event_id, origin_event_id=gid, doc_id=url or event_id, story_id=event_id,
        publisher=_publisher(url),
        date=day.isoformat(), date_precision="day", event_date=day,
        cameo_code=entry.code, cameo_root=entry.root,
        goldstein=goldstein if goldstein is not None else entry.goldstein,
        quad_class=quad if quad is not None else entry.quad_class,
        plover_type=entry.plover_type, plover_mode=entry.plover_mode,
        location_name=get("ActionGeo_FullName"),
        location_country=country_from_fips(get("ActionGeo_CountryCode"), ctx),
        latitude=latitude, longitude=longitude,
    )
    return row
