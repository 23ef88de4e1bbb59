"""ICEWS and GDELT files read by DuckDB's own CSV reader and mapped to events in SQL.

The file's layout (header, delimiter, GDELT version) is read from its first lines in Python;
then ``read_csv`` with explicit VARCHAR columns (gzip by DuckDB, rows of the wrong width or
not UTF-8 kept aside by ``store_rejects``) loads it into a staging database. Everything the
row readers compute per field (dates, CAMEO codes, numbers, country names, sectors) is a
function of that field alone, so it is computed once per *distinct* value with the row
readers' own functions and joined back in SQL: the rules live in one place, and a file of
325,691 events costs some 35,000 Python calls instead of millions. A row failing any check
is handed to the row reader's ``_event`` to get the very reason it would have given.

The staging database is in memory; for each batch the store's file is attached to it
(``Store.attach``) and the batch's rows move in one statement (``Store.write_imported_rows``),
so the store's lock is held only while a batch commits. Line numbers: DuckDB numbers rejected
lines itself; for rows that fail a check the physical line is recovered from the rejected and
blank lines before it (a quoted CSV field spanning lines would shift it; ICEWS and GDELT have
none). Anything unusual about a file (no header on line 1, a layout not found in its first
lines, a read error such as a truncated gzip) sends that file to the row reader, which reports
it exactly as before.
"""

from __future__ import annotations

import bisect
import csv
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb

from ..records import Failure
from . import gdelt, icews
from .common import (
    IMPORT_COLUMNS,
    FileContext,
    RowError,
    cameo,
    country_from_cameo,
    country_from_fips,
    country_from_name,
    icews_sector,
    integer,
    iso_day,
    number,
    open_lines,
    organisation_code,
)

FORMATS = ("icews", "gdelt")

# what str.strip() strips; trimming by a set of characters is slow in DuckDB, so a field that
# starts and ends with printable ASCII (nearly all) is kept as it is without calling trim
_WS = "'" + "".join(chr(i) for i in range(0x110000) if chr(i).isspace()) + "'"
_PEEK = 1000  # lines looked at for a GDELT layout before handing the file to the row reader


class Unsupported(Exception):
    """This file goes through the row reader instead."""


@dataclass
class Staged:
    """A file read into the staging database: table ``rows_<n>`` with an ordinal, a validity
    flag and the import columns."""

    table: str
    rows: int = 0            # rows read, failures included (the summary's "rows read")
    valid: int = 0
    failures: list[Failure] = field(default_factory=list)
    unmapped: Counter[str] = field(default_factory=Counter)


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _gzipped(path: str) -> bool:
    with open(path, "rb") as raw:
        return raw.read(2) == b"\x1f\x8b"


def _read_csv(path: str, width: int, *, delim: str, quoted: bool, skip: int,
              rejects: str) -> str:
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
    quote = "quote = '\"', escape = '\"'" if quoted else "quote = '', escape = ''"
    return (f"read_csv({_lit(path)}, columns = {columns}, delim = {_lit(delim)}, {quote}, "
            f"header = false, skip = {skip}, auto_detect = false, "
            f"compression = '{'gzip' if _gzipped(path) else 'none'}', "
            f"store_rejects = true, rejects_table = '{rejects}_errors', "
            f"rejects_scan = '{rejects}_scans', rejects_limit = 0, parallel = true)")


def _table(con: duckdb.DuckDBPyConnection, name: str, columns: dict[str, tuple[str, list]]
           ) -> None:
    """A lookup table from typed column lists (one row per distinct key)."""
    first = next(iter(columns.values()))[1]
    if not first:
        cols = ", ".join(f"NULL::{k} AS {n}" for n, (k, _) in columns.items())
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {cols} LIMIT 0")
        return
    cols = ", ".join(f"UNNEST(?::{k}[]) AS {n}" for n, (k, _) in columns.items())
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {cols}",
                [v for _, v in columns.values()])


def _distinct(con: duckdb.DuckDBPyConnection, table: str, exprs: Iterable[str]) -> list[str]:
    union = " UNION ALL ".join(f"SELECT {e} AS k FROM {table} WHERE {e} IS NOT NULL"
                               for e in exprs)
    return [k for (k,) in con.execute(f"SELECT DISTINCT k FROM ({union})").fetchall()]


def _lookup(con: duckdb.DuckDBPyConnection, name: str, keys: list[str],
            fn: Callable[[str], Any], out: dict[str, str]) -> None:
    """Table ``name`` (k, ok, *out): ``fn`` of each key, ok False where it raised RowError.

    ``fn`` returns a tuple with one value per ``out`` column (name -> SQL type)."""
    values: dict[str, list[Any]] = {n: [] for n in out}
    oks: list[bool] = []
    for key in keys:
        try:
            got = fn(key)
            oks.append(True)
        except RowError:
            got = (None,) * len(out)
            oks.append(False)
        for n, v in zip(out, got, strict=True):
            values[n].append(v)
    columns: dict[str, tuple[str, list[Any]]] = {"k": ("VARCHAR", keys),
                                                 "ok": ("BOOLEAN", oks)}
    columns.update({n: (kind, values[n]) for n, kind in out.items()})
    _table(con, name, columns)


def _number_lookup(con: duckdb.DuckDBPyConnection, table: str, column: str, what: str,
                   low: float | None = None, high: float | None = None) -> str:
    name = f"lk_{column}_{table}"
    _lookup(con, name, _distinct(con, table, [column]),
            lambda k: (number(k, what, low, high),), {"v": "DOUBLE"})
    return name


def _int32(value: str) -> tuple[int | None]:
    out = integer(value, "Sentence Number")
    if out is not None and not -2**31 <= out < 2**31:
        raise RowError(f"Sentence Number {value!r} is too large")
    return (out,)


def _quad(value: str) -> tuple[int | None]:
    quad = integer(value, "QuadClass")
    if quad is not None and not 1 <= quad <= 4:
        raise RowError(f"QuadClass {quad} is outside 1..4")
    return (quad,)


def _cameo_row(value: str) -> tuple[Any, ...]:
    e = cameo(value)
    return e.code, e.root, e.goldstein, e.quad_class, e.plover_type, e.plover_mode


_CAMEO_OUT = {"code": "VARCHAR", "root": "VARCHAR", "goldstein": "DOUBLE",
              "quad": "INTEGER", "plover_type": "VARCHAR", "plover_mode": "VARCHAR"}


# -- layouts ----------------------------------------------------------------------------------
def _icews_layout(path: str) -> tuple[str, list[str]]:
    """(delimiter, header fields) of an ICEWS file whose line 1 is a usable header."""
    bad: set[int] = set()
    lines = open_lines(path, bad)
    first = next(lines, "")
    lines.close()
    if bad or not first.strip():
        raise Unsupported
    tab = "\t" in first
    header = next(csv.reader([first], delimiter="\t" if tab else ",",
                             quoting=csv.QUOTE_NONE if tab else csv.QUOTE_MINIMAL))
    index = {icews._key(h) for h in header}
    if not all(k in index for k in icews.REQUIRED):
        raise Unsupported  # the row reader names what is missing
    return ("\t" if tab else ","), header


def _gdelt_layout(path: str) -> tuple[int, int, list[Failure]]:
    """(line of the first row of a known width, that width, failures on the lines before)."""
    bad: set[int] = set()
    failures: list[Failure] = []
    lines = open_lines(path, bad)
    try:
        for line, text in enumerate(lines, start=1):
            if line > _PEEK or line in bad:
                break
            fields = next(csv.reader([text], delimiter="\t", quoting=csv.QUOTE_NONE), [])
            if not fields or (len(fields) == 1 and not fields[0].strip()):
                continue
            if fields[0] == "GLOBALEVENTID":
                continue
            if len(fields) in gdelt.LAYOUTS:
                return line, len(fields), failures
            failures.append(Failure(path, f"expected 57 or 58 (GDELT 1.0) or 61 (GDELT 2.0) "
                                          f"tab-separated fields, found {len(fields)}",
                                    line=line, kind="import"))
    finally:
        lines.close()
    raise Unsupported


# -- staging ----------------------------------------------------------------------------------
def stage(con: duckdb.DuckDBPyConnection, path: str, fmt: str, n: int) -> Staged:
    """Read one file into table ``rows_<n>`` of the (in-memory) staging connection ``con``.

    Raises :class:`Unsupported` when the row reader should take the file instead.
    """
    raw, out = f"raw_{n}", f"rows_{n}"
    pre: list[Failure] = []
    try:
        if fmt == "icews":
            delim, header = _icews_layout(path)
            width, skip = len(header), 1
        else:
            start, width, pre = _gdelt_layout(path)
            delim, skip, header = "\t", start - 1, []
    except (OSError, EOFError, UnicodeError) as err:
        raise Unsupported from err
    quoted = delim == ","
    source = _read_csv(path, width, delim=delim, quoted=quoted, skip=skip, rejects=raw)
    try:  # a read error (a truncated gzip, a line too long) sends the file to the row reader
        if fmt == "icews":
            _map_icews(con, source, out, header, tab=not quoted)
        else:
            _map_gdelt(con, source, out, width)
        # one line can be rejected once per missing column: keep one error a line, bad
        # encoding first (the row reader names that before the width)
        rejected = con.execute(
            f"SELECT line, arg_min(error_type, (error_type <> 'INVALID ENCODING', column_idx)),"
            f" arg_min(csv_line, (error_type <> 'INVALID ENCODING', column_idx)),"
            f" arg_min(error_message, (error_type <> 'INVALID ENCODING', column_idx))"
            f" FROM {raw}_errors GROUP BY line ORDER BY line").fetchall()
    except duckdb.Error as err:
        raise Unsupported from err
    staged = Staged(out)
    reject_lines: list[int] = []
    for line, kind, text, message in rejected:
        text = (text or "").strip("\r\n")
        reject_lines.append(int(line))
        if not text.strip():
            continue  # a line of spaces: blank, as the row reader treats it
        staged.failures.append(Failure(path, _reject_reason(fmt, kind, text, message, width,
                                                             delim),
                                       line=int(line), kind="import"))
    # an id seen earlier in the file counts as already present, as it would in the store
    con.execute(f"""ALTER TABLE {out} ADD COLUMN first BOOLEAN DEFAULT true""")
    con.execute(f"""UPDATE {out} SET first = false FROM (
        SELECT ordinal FROM {out} WHERE valid
        QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY ordinal) > 1) d
        WHERE {out}.ordinal = d.ordinal""")
    total, valid = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE valid) FROM {out}").fetchone() or (0, 0)
    staged.rows = int(total) + len(staged.failures) + len(pre)
    staged.valid = int(valid)
    staged.unmapped = Counter({name: int(n) for name, n in con.execute(
        f"SELECT name, n FROM unmapped_{out}").fetchall()})
    if valid < total:
        staged.failures += _row_failures(con, path, fmt, raw, out, width, skip, reject_lines,
                                         delim)
    staged.failures = sorted(pre + staged.failures, key=lambda f: f.line or 0)
    con.execute(f"DROP TABLE v_{out}")
    return staged


def _reject_reason(fmt: str, kind: str, text: str, message: str, width: int,
                   delim: str) -> str:
    if kind == "INVALID ENCODING":
        return "not UTF-8 text"
    if kind in ("MISSING COLUMNS", "TOO MANY COLUMNS"):
        found = len(text.split("\t") if delim == "\t" else next(csv.reader([text]), []))
        if fmt == "icews":
            return f"expected {width} fields, found {found}"
        version = gdelt.LAYOUTS[width][0]
        return (f"expected {width} fields like the file's first row (GDELT {version}), "
                f"found {found}")
    what = "tab-separated" if delim == "\t" else "CSV"
    return f"not readable as {what} ({message.splitlines()[0] if message else kind})"


def _value(column: str, nulls: Sequence[str]) -> str:
    """A raw field as the row readers see it: NULL when empty (or a null marker), stripped."""
    test = " OR ".join([f"{column} IS NULL", *(f"{column} = {_lit(v)}" for v in nulls)])
    return (f"CASE WHEN {test} THEN NULL WHEN {column}[1] BETWEEN '!' AND '~' AND "
            f"{column}[-1] BETWEEN '!' AND '~' THEN {column} ELSE trim({column}, {_WS}) END")


def _numbered(con: duckdb.DuckDBPyConnection, v: str, values: str, source: str) -> None:
    """Table ``v``: ``values`` of each row ``source`` yields, with its ordinal in the file
    (rows keep the file's order: DuckDB preserves insertion order)."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE {v} AS SELECT {values} FROM {source}")
    con.execute(f"ALTER TABLE {v} ADD COLUMN ordinal BIGINT")
    con.execute(f"UPDATE {v} SET ordinal = rowid")


def _map_icews(con: duckdb.DuckDBPyConnection, source: str, out: str, header: list[str], *,
               tab: bool) -> None:
    index = {icews._key(h): i for i, h in enumerate(header)}  # the last of a repeated name
    nulls = ("", "NA") if tab else ("",)
    vals = ", ".join(
        (_value(f"c{index[name]}", nulls) if name in index else "NULL::VARCHAR") + f" AS {name}"
        for name in icews.FIELDS)
    v = f"v_{out}"
    _numbered(con, v, vals, source)
    dates = f"lk_date_{out}"
    _lookup(con, dates, _distinct(con, v, ["event_date"]),
            lambda k: (iso_day(k, "Event Date"),), {"day": "DATE"})
    codes = f"lk_cameo_{out}"
    _lookup(con, codes, _distinct(con, v, ["cameo_code"]), _cameo_row, _CAMEO_OUT)
    intensity = _number_lookup(con, v, "intensity", "Intensity", -10.0, 10.0)
    lat = _number_lookup(con, v, "latitude", "Latitude", -90.0, 90.0)
    lon = _number_lookup(con, v, "longitude", "Longitude", -180.0, 180.0)
    sentence = f"lk_sentence_{out}"
    _lookup(con, sentence, _distinct(con, v, ["sentence_number"]), _int32, {"v": "INTEGER"})
    quiet = FileContext("")  # unmapped names are counted in SQL, over the valid rows only
    countries = f"lk_country_{out}"
    _lookup(con, countries, _distinct(con, v, ["source_country", "target_country", "country"]),
            lambda k: (country_from_name(k, quiet),), {"iso": "VARCHAR"})
    sectors = f"lk_sector_{out}"
    _lookup(con, sectors, _distinct(con, v, ["source_sectors", "target_sectors"]),
            lambda k: (icews_sector(k),), {"code": "VARCHAR"})
    orgs = f"lk_org_{out}"
    _lookup(con, orgs, _distinct(con, v, ["source_name", "target_name"]),
            lambda k: (organisation_code(k),), {"code": "VARCHAR"})

    def actor(side: str) -> str:
        c, s, o = f"{side}_c", f"{side}_s", f"{side}_o"
        return f"""
            CASE WHEN {c}.iso IS NOT NULL THEN {c}.iso || coalesce({s}.code, '')
                 WHEN {o}.code IS NOT NULL THEN {o}.code
                 WHEN {s}.code IN ('IGO', 'NGO') THEN {s}.code END AS {side}_code,
            {c}.iso AS {side}_country, {s}.code AS {side}_sector,
            x.{side}_name AS {side}_name"""

    story = "'icews:' || CASE WHEN x.story_id IS NOT NULL AND x.story_id <> '' " \
            "THEN x.story_id ELSE x.event_id END"
    valid = """x.event_id IS NOT NULL AND x.event_id <> '' AND coalesce(d.ok, false)
               AND coalesce(k.ok, false) AND (x.intensity IS NULL OR i.ok)
               AND (x.sentence_number IS NULL OR sn.ok) AND (x.latitude IS NULL OR la.ok)
               AND (x.longitude IS NULL OR lo.ok)"""
    columns = {
        "event_id": "'icews:' || x.event_id", "origin_event_id": "x.event_id",
        "doc_id": story, "story_id": story,
        "sentence_index": "coalesce(sn.v, 0)",
        "date": "strftime(d.day, '%Y-%m-%d')", "date_precision": "'day'",
        "event_date": "d.day",
        "cameo_code": "k.code", "cameo_root": "k.root",
        "goldstein": "coalesce(i.v, k.goldstein)", "quad_class": "k.quad",
        "plover_type": "k.plover_type", "plover_mode": "k.plover_mode",
        "publisher": "x.publisher",
        "location_name": "CASE WHEN x.city IS NOT NULL AND x.city <> '' THEN x.city "
                         "ELSE x.province END",
        "location_country": "lc.iso", "latitude": "la.v", "longitude": "lo.v",
    }
    con.execute(f"""
        CREATE OR REPLACE TABLE {out} AS
        SELECT x.ordinal, {valid} AS valid, {actor('source')}, {actor('target')},
               {_rest(columns, 'icews', {'source_code', 'source_country', 'source_sector',
                                         'source_name', 'target_code', 'target_country',
                                         'target_sector', 'target_name'})}
        FROM {v} x
        LEFT JOIN {dates} d ON d.k = x.event_date
        LEFT JOIN {codes} k ON k.k = x.cameo_code
        LEFT JOIN {intensity} i ON i.k = x.intensity
        LEFT JOIN {sentence} sn ON sn.k = x.sentence_number
        LEFT JOIN {lat} la ON la.k = x.latitude
        LEFT JOIN {lon} lo ON lo.k = x.longitude
        LEFT JOIN {countries} source_c ON source_c.k = x.source_country
        LEFT JOIN {countries} target_c ON target_c.k = x.target_country
        LEFT JOIN {countries} lc ON lc.k = x.country
        LEFT JOIN {sectors} source_s ON source_s.k = x.source_sectors
        LEFT JOIN {sectors} target_s ON target_s.k = x.target_sectors
        LEFT JOIN {orgs} source_o ON source_o.k = x.source_name
        LEFT JOIN {orgs} target_o ON target_o.k = x.target_name
        ORDER BY x.ordinal""")
    # the names an unmapped count is kept for, per valid row
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE unmapped_{out} AS
        SELECT name, count(*) AS n FROM (
            SELECT x.source_country AS name FROM {v} x JOIN {out} o USING (ordinal)
              WHERE o.valid
            UNION ALL SELECT x.target_country FROM {v} x JOIN {out} o USING (ordinal)
              WHERE o.valid
            UNION ALL SELECT x.country FROM {v} x JOIN {out} o USING (ordinal) WHERE o.valid)
        JOIN {countries} c ON c.k = name
        WHERE c.iso IS NULL AND name <> '' GROUP BY name""")


def _rest(columns: dict[str, str], origin: str, done: set[str]) -> str:
    """The remaining import columns: given expressions, the defaults of ``new_row``, NULL."""
    defaults = {"negated": "false", "hypothetical": "false", "reciprocal": "false",
                "modality": "'asserted'", "confidence": "1.0::DOUBLE",
                "coder": _lit(origin), "origin": _lit(origin)}
    from ..store import EVENT_TYPES

    kinds = dict(EVENT_TYPES) | {"event_date": "DATE", "story_id": "VARCHAR",
                                 "publisher": "VARCHAR", "origin_event_id": "VARCHAR",
                                 "origin": "VARCHAR"}
    out = []
    for name in IMPORT_COLUMNS:
        if name in done:
            continue
        expr = columns.get(name) or defaults.get(name) or "NULL"
        out.append(f"CAST({expr} AS {kinds[name]}) AS {name}")
    return ", ".join(out)


_GDELT_USED = ["GLOBALEVENTID", "SQLDATE", "EventCode", "QuadClass", "GoldsteinScale",
               "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FullName",
               "ActionGeo_CountryCode", "SOURCEURL",
               *(f"Actor{n}{c}" for n in (1, 2)
                 for c in ("Code", "Name", "CountryCode", "Type1Code"))]


def _map_gdelt(con: duckdb.DuckDBPyConnection, source: str, out: str, width: int) -> None:
    slots = {name: i for i, name in enumerate(gdelt.LAYOUTS[width][1])}

    def get(name: str) -> str:
        i = slots.get(name)
        return "NULL::VARCHAR" if i is None else f"nullif({_value(f'c{i}', ())}, '')"

    v = f"v_{out}"
    _numbered(con, v, ", ".join(f"{get(w)} AS {w}" for w in _GDELT_USED), source)
    dates = f"lk_date_{out}"
    _lookup(con, dates, _distinct(con, v, ["SQLDATE"]),
            lambda k: (gdelt._sqldate(k),), {"day": "DATE"})
    codes = f"lk_cameo_{out}"
    _lookup(con, codes, _distinct(con, v, ["EventCode"]), _cameo_row, _CAMEO_OUT)
    quad = f"lk_quad_{out}"
    _lookup(con, quad, _distinct(con, v, ["QuadClass"]), _quad, {"v": "INTEGER"})
    gold = _number_lookup(con, v, "GoldsteinScale", "GoldsteinScale", -10.0, 10.0)
    lat = _number_lookup(con, v, "ActionGeo_Lat", "ActionGeo_Lat", -90.0, 90.0)
    lon = _number_lookup(con, v, "ActionGeo_Long", "ActionGeo_Long", -180.0, 180.0)
    cc = f"lk_cc_{out}"
    _lookup(con, cc, _distinct(con, v, ["Actor1CountryCode", "Actor2CountryCode",
                                        "left(Actor1Code, 3)", "left(Actor2Code, 3)"]),
            lambda k: (country_from_cameo(k, None), _unknown_cameo(k)),
            {"iso": "VARCHAR", "unknown": "BOOLEAN"})
    fips = f"lk_fips_{out}"
    _lookup(con, fips, _distinct(con, v, ["ActionGeo_CountryCode"]),
            lambda k: (country_from_fips(k, FileContext("")), _unknown_fips(k)),
            {"iso": "VARCHAR", "unknown": "BOOLEAN"})
    hosts = f"lk_host_{out}"
    _lookup(con, hosts, _distinct(con, v, ["SOURCEURL"]),
            lambda k: (gdelt._publisher(k),), {"host": "VARCHAR"})

    def actor(side: str, n: int) -> str:
        return f"""
            x.Actor{n}Code AS {side}_code,
            CASE WHEN x.Actor{n}CountryCode IS NOT NULL THEN {side}_cc.iso
                 WHEN x.Actor{n}Code IS NOT NULL THEN {side}_cf.iso END AS {side}_country,
            x.Actor{n}Type1Code AS {side}_sector, x.Actor{n}Name AS {side}_name"""

    event_id = "'gdelt:' || x.GLOBALEVENTID"
    valid = """coalesce(regexp_full_match(x.GLOBALEVENTID, '[0-9]+'), false)
               AND coalesce(d.ok, false) AND coalesce(k.ok, false)
               AND (x.QuadClass IS NULL OR q.ok) AND (x.GoldsteinScale IS NULL OR g.ok)
               AND (x.ActionGeo_Lat IS NULL OR la.ok) AND (x.ActionGeo_Long IS NULL OR lo.ok)"""
    columns = {
        "event_id": event_id, "origin_event_id": "x.GLOBALEVENTID",
        "doc_id": f"coalesce(x.SOURCEURL, {event_id})", "story_id": event_id,
        "publisher": "h.host", "sentence_index": "0",
        "date": "strftime(d.day, '%Y-%m-%d')", "date_precision": "'day'",
        "event_date": "d.day", "cameo_code": "k.code", "cameo_root": "k.root",
        "goldstein": "coalesce(g.v, k.goldstein)", "quad_class": "coalesce(q.v, k.quad)",
        "plover_type": "k.plover_type", "plover_mode": "k.plover_mode",
        "location_name": "x.ActionGeo_FullName", "location_country": "f.iso",
        "latitude": "la.v", "longitude": "lo.v",
    }
    done = {f"{s}_{c}" for s in ("source", "target") for c in ("code", "country", "sector",
                                                                 "name")}
    con.execute(f"""
        CREATE OR REPLACE TABLE {out} AS
        SELECT x.ordinal, {valid} AS valid, {actor('source', 1)}, {actor('target', 2)},
               {_rest(columns, 'gdelt', done)}
        FROM {v} x
        LEFT JOIN {dates} d ON d.k = x.SQLDATE
        LEFT JOIN {codes} k ON k.k = x.EventCode
        LEFT JOIN {quad} q ON q.k = x.QuadClass
        LEFT JOIN {gold} g ON g.k = x.GoldsteinScale
        LEFT JOIN {lat} la ON la.k = x.ActionGeo_Lat
        LEFT JOIN {lon} lo ON lo.k = x.ActionGeo_Long
        LEFT JOIN {cc} source_cc ON source_cc.k = x.Actor1CountryCode
        LEFT JOIN {cc} target_cc ON target_cc.k = x.Actor2CountryCode
        LEFT JOIN {cc} source_cf ON source_cf.k = left(x.Actor1Code, 3)
        LEFT JOIN {cc} target_cf ON target_cf.k = left(x.Actor2Code, 3)
        LEFT JOIN {fips} f ON f.k = x.ActionGeo_CountryCode
        LEFT JOIN {hosts} h ON h.k = x.SOURCEURL
        ORDER BY x.ordinal""")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE unmapped_{out} AS
        SELECT name, count(*) AS n FROM (
            SELECT 'CAMEO ' || x.Actor1CountryCode AS name FROM {v} x
              JOIN {out} o USING (ordinal) JOIN {cc} c ON c.k = x.Actor1CountryCode
              WHERE o.valid AND c.unknown
            UNION ALL SELECT 'CAMEO ' || x.Actor2CountryCode FROM {v} x
              JOIN {out} o USING (ordinal) JOIN {cc} c ON c.k = x.Actor2CountryCode
              WHERE o.valid AND c.unknown
            UNION ALL SELECT 'FIPS ' || x.ActionGeo_CountryCode FROM {v} x
              JOIN {out} o USING (ordinal) JOIN {fips} f ON f.k = x.ActionGeo_CountryCode
              WHERE o.valid AND f.unknown)
        GROUP BY name""")


def _unknown_cameo(code: str) -> bool:
    ctx = FileContext("")
    country_from_cameo(code, ctx)
    return bool(ctx.unmapped)


def _unknown_fips(code: str) -> bool:
    ctx = FileContext("")
    country_from_fips(code, ctx)
    return bool(ctx.unmapped)


def _row_failures(con: duckdb.DuckDBPyConnection, path: str, fmt: str, raw: str, out: str,
                  width: int, skip: int, reject_lines: list[int], delim: str) -> list[Failure]:
    """The failing rows, with the row reader's reason and their physical line."""
    names = list(icews.FIELDS) if fmt == "icews" else _GDELT_USED
    bad = con.execute(
        f"SELECT o.ordinal, {', '.join(f'x.{n}' for n in names)} FROM {out} o "
        f"JOIN v_{out} x ON x.ordinal = o.ordinal WHERE NOT o.valid ORDER BY o.ordinal"
    ).fetchall()
    excluded = sorted(set(range(1, skip + 1)) | set(_blank_lines(con, path, delim, raw))
                      | set(reject_lines))
    thresholds = [e - i for i, e in enumerate(excluded, start=1)]
    failures = []
    quiet = FileContext("")
    slots = {name: i for i, name in enumerate(gdelt.LAYOUTS[width][1])} if fmt == "gdelt" \
        else {}
    for ordinal, *values in bad:
        q = int(ordinal) + 1
        line = q + bisect.bisect_left(thresholds, q)
        try:
            if fmt == "icews":  # the values as the row reader makes them (null, stripped)
                icews._event(dict(zip(names, values, strict=True)), quiet)
            else:
                fields = [""] * width
                for name, value in zip(names, values, strict=True):
                    fields[slots[name]] = value or ""
                gdelt._event(fields, slots, quiet)
            reason = "not importable"  # the SQL checks and the row reader disagree
        except RowError as err:
            reason = str(err)
        failures.append(Failure(path, reason, line=line, kind="import"))
    return failures


def _blank_lines(con: duckdb.DuckDBPyConnection, path: str, delim: str, raw: str) -> list[int]:
    """Physical numbers of the empty lines, which ``read_csv`` skips without a word."""
    source = _read_csv(path, 1, delim="\x1f" if delim != "\x1f" else "\x1e", quoted=False,
                       skip=0, rejects=f"{raw}_lines")
    con.execute(f"CREATE OR REPLACE TEMP TABLE {raw}_lines AS SELECT c0 FROM {source}")
    empty = [int(r) for (r,) in con.execute(
        f"SELECT rowid FROM {raw}_lines WHERE c0 IS NULL ORDER BY rowid").fetchall()]
    rejected = sorted(int(r) for (r,) in con.execute(
        f"SELECT DISTINCT line FROM {raw}_lines_errors").fetchall())
    thresholds = [e - i for i, e in enumerate(rejected, start=1)]
    return [j + 1 + bisect.bisect_left(thresholds, j + 1) for j in empty]
