"""ICEWS events: the Dataverse tab-separated layout and the snake_case CSV, told apart by header.

Both layouts carry the same twenty fields, so the header is normalised (``Event ID`` and
``event_id`` both become ``event_id``) and one mapping serves both; in the tab layout "NA"
means empty. Country names become ISO3 through the gazetteer, and an unknown name keeps its
event with the country left empty (the name is counted in the summary), because dropping events
would bias every dyad count. ICEWS lists several sectors per actor in no fixed order, so the
sector kept is the CAMEO role of the listed sector ranked first in ``data/icews_sectors.csv``
(a military unit of a government is MIL, a foreign ministry GOV), and the actor code is ISO3 +
that role, as cordiale codes its own actors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..records import Failure
from .common import (
    FileContext,
    RowError,
    cameo,
    country_from_name,
    delimited_rows,
    icews_sector,
    integer,
    iso_day,
    new_row,
    number,
    open_lines,
    organisation_code,
)

ORIGIN = "icews"
REQUIRED = ("event_id", "event_date", "cameo_code")
FIELDS = ("event_id", "event_date", "source_name", "source_sectors", "source_country",
          "event_text", "cameo_code", "intensity", "target_name", "target_sectors",
          "target_country", "story_id", "sentence_number", "publisher", "city", "district",
          "province", "country", "latitude", "longitude")


def _key(header: str) -> str:
    return re.sub(r"\W+", "_", header.strip().lower()).strip("_")


def read_icews(path: str, ctx: FileContext) -> Iterator[dict[str, Any] | Failure]:
    """Event rows of an ICEWS file (either layout), and a Failure for each bad row."""
    bad: set[int] = set()
    peek = open_lines(path, set())
    first = next(peek, "")
    peek.close()
    tab = "\t" in first  # the Dataverse layout; the snake_case one is comma-separated
    rows = delimited_rows(path, "\t" if tab else ",", quoted=not tab, bad=bad)
    line, header = next(rows, (1, []))
    index = {} if isinstance(header, str) else {_key(h): i for i, h in enumerate(header)}
    if not all(k in index for k in REQUIRED):
        yield Failure(path, "not an ICEWS file: the first line lacks the columns Event ID, "
                      "Event Date and CAMEO Code (or event_id, event_date, cameo_code)",
                      line=line, kind="import")
        return
    width = len(header)
    nulls = {"", "NA"} if tab else {""}
    slots = {name: index.get(name) for name in FIELDS}
    for line, fields in rows:
        if isinstance(fields, str):
            yield Failure(path, fields, line=line, kind="import")
            continue
        if len(fields) != width:
            yield Failure(path, f"expected {width} fields, found {len(fields)}", line=line,
                          kind="import")
            continue
        values = {name: (None if i is None or fields[i] in nulls else fields[i].strip())
                  for name, i in slots.items()}
        try:
            yield _event(values, ctx)
        except RowError as err:
            yield Failure(path, str(err), line=line, kind="import")


def _actor(name: str | None, sectors: str | None, country_name: str | None,
           ctx: FileContext) -> tuple[str | None, str | None, str | None]:
    """(code, country, sector) of an ICEWS actor, coded as cordiale codes its own actors."""
    country = country_from_name(country_name, ctx)
    sector = icews_sector(sectors)
    if country:
        return country + (sector or ""), country, sector
    org = organisation_code(name)
    if org:
        return org, None, sector
    return (sector if sector in ("IGO", "NGO") else None), None, sector


def _event(v: dict[str, str | None], ctx: FileContext) -> dict[str, Any]:
    event_id = v["event_id"]
    if not event_id:
        raise RowError("no Event ID")
    day = iso_day(v["event_date"], "Event Date")
    entry = cameo(v["cameo_code"])
    intensity = number(v["intensity"], "Intensity", -10.0, 10.0)
    sentence = integer(v["sentence_number"], "Sentence Number")
    latitude = number(v["latitude"], "Latitude", -90.0, 90.0)
    longitude = number(v["longitude"], "Longitude", -180.0, 180.0)
    source_code, source_country, source_sector = _actor(
        v["source_name"], v["source_sectors"], v["source_country"], ctx)
    target_code, target_country, target_sector = _actor(
        v["target_name"], v["target_sectors"], v["target_country"], ctx)
    story = f"icews:{v['story_id']}" if v["story_id"] else f"icews:{event_id}"
    row = new_row(ORIGIN)
    row.update(
        event_id=f"icews:{event_id}", origin_event_id=event_id, doc_id=story, story_id=story,
        sentence_index=sentence if sentence is not None else 0,
        date=day.isoformat(), date_precision="day", event_date=day,
        source_code=source_code, source_country=source_country, source_sector=source_sector,
        source_name=v["source_name"],
        target_code=target_code, target_country=target_country, target_sector=target_sector,
        target_name=v["target_name"],
        cameo_code=entry.code, cameo_root=entry.root,
        goldstein=intensity if intensity is not None else entry.goldstein,
        quad_class=entry.quad_class, plover_type=entry.plover_type,
        plover_mode=entry.plover_mode,
        publisher=v["publisher"],
        location_name=v["city"] or v["province"],
        location_country=country_from_name(v["country"], ctx),
        latitude=latitude, longitude=longitude,
    )
    return row
