"""ICEWS and GDELT files read by DuckDB's own CSV reader and mapped to events in SQL.

The file's layout (header, delimiter, GDELT version) is read from its first lines in Python;
then ``read_csv`` with explicit VARCHAR columns (gzip by DuckDB, rows of the wrong width or
not UTF-8 kept aside by ``store_rejects``) loads it into a staging database. Everything the
row readers compute per field (dates, CAMEO codes, numbers, country names, sectors) is a
function of that field alone, so it is computed once per *distinct* value with the row
readers' own functions and joined back in SQL: the rules live in one place, and a file of
325,691 events costs a few thousand Python calls instead of millions. Two rules are joins on
the row readers' own tables instead, because their distinct values run to tens of thousands:
an organisation's code (an exact match of the name on ``organisation_forms``) and an ICEWS
sector list's role (the lists split in SQL, each distinct listed name ranked by
``sector_ranks`` in Python, the lowest rank kept). A row failing any check is handed to the
row reader's ``_event`` to get the very reason it would have given.

The staging database is in memory; for each batch the store's file is attached to it
(``Store.attach``) and the batch's rows move in one statement (``Store.write_imported_rows``),
so the store's lock is held only while a batch commits. The mapped rows are never
materialised: that statement reads the staged fields through the lookups' joins (copying 45
mapped columns into a table, sorted back into file order, cost as much as the insert). One
scan gathers every lookup's keys, counts rows missing a required field and ids that repeat;
when it and the lookups show that no row can fail and no id repeats (the usual file), the
validity test, the failure pass and the first-of-each-id window are skipped altogether.

Line numbers: DuckDB numbers rejected lines itself; for rows that fail a check the physical
line is recovered from the rejected and blank lines before it (a quoted CSV field spanning
lines would shift it; ICEWS and GDELT have none). Anything unusual about a file (no header on
line 1, a layout not found in its first lines, a read error such as a truncated gzip) sends
that file to the row reader, which reports it exactly as before.
"""

from __future__ import annotations

import bisect
import csv
from collections import Counter
from collections.abc import Callable, Sequence
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
    integer,
    iso_day,
    number,
    open_lines,
    organisation_forms,
    sector_ranks,
)

FORMATS = ("icews", "gdelt")

# what str.strip() strips (every character whose isspace() is true; a test checks the list:
# computing it here took 0.1 s of every start-up); trimming by a set of characters is slow in
# DuckDB, so a field that starts and ends with printable ASCII (nearly all) is kept as it is
# without calling trim
WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003"
              "\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_WS = "'" + WHITESPACE + "'"
#: Where staged tables live: the staging connection's own in-memory database, named in full
#: because the store attached to that connection becomes the default while a batch moves
STAGING = "memory.main"
_PEEK = 1000  # lines looked at for a GDELT layout before handing the file to the row reader


class Unsupported(Exception):
    """This file goes through the row reader instead."""


@dataclass
class Staged:
    """A file read into the staging database, and how its rows become events.

    ``table`` holds the file's cleaned fields and an ordinal (0, 1, … in file order);
    ``source`` joins every lookup to it (``x`` is the row), ``columns`` are the import
    columns over that join and ``test`` is what a row must pass to be imported."""

    table: str
    source: str = ""
    columns: str = ""
    test: str = "true"
    all_valid: bool = True  # no row can fail ``test``: known from the lookups, not a scan
    repeated: str | None = None  # ordinals of valid rows whose id a valid row before has
    rows: int = 0            # rows read, failures included (the summary's "rows read")
    valid: int = 0
    failures: list[Failure] = field(default_factory=list)
    unmapped: Counter[str] = field(default_factory=Counter)

    def select(self, start: int, end: int) -> str:
        """The events of the rows with ordinals in [start, end) to store: valid rows, and of
        those with the same id only the first (an id seen earlier in the file counts as
        already present, as it would in the store)."""
        where = [f"x.ordinal >= {start}", f"x.ordinal < {end}"]
        if not self.all_valid:
            where.append(f"({self.test})")
        if self.repeated:
            where.append(f"x.ordinal NOT IN (SELECT ordinal FROM {self.repeated})")
        return (f"SELECT {', '.join(IMPORT_COLUMNS)} FROM (SELECT {self.columns} "
                f"FROM {self.source} WHERE {' AND '.join(where)})")

    def sizes(self, con: duckdb.DuckDBPyConnection, batch_size: int) -> dict[int, int]:
        """Valid rows per batch (ordinal // batch_size), repeated ids included."""
        if self.all_valid:
            return {k: min(batch_size, self.valid - k * batch_size)
                    for k in range(-(-self.valid // batch_size))}
        return {int(k): int(n) for k, n in con.execute(
            f"SELECT x.ordinal // {batch_size}, count(*) FROM {self.source} "
            f"WHERE {self.test} GROUP BY 1").fetchall()}


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
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT {cols} LIMIT 0")
        return
    cols = ", ".join(f"UNNEST(?::{k}[]) AS {n}" for n, (k, _) in columns.items())
    con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT {cols}",
                [v for _, v in columns.values()])


def _scan(con: duckdb.DuckDBPyConnection, table: str, groups: dict[str, list[str]], *,
          missing: str, ident: str) -> tuple[dict[str, list[str]], int, int, int]:
    """One pass over the staged rows: the distinct non-null values of each group of
    expressions (the keys of a lookup), the row count, the rows where ``missing`` holds (a
    required field absent) and how many ids repeat."""
    lists = []
    for exprs in groups.values():
        parts = [f"coalesce(list(DISTINCT {e}) FILTER (WHERE {e} IS NOT NULL), [])"
                 for e in exprs]
        lists.append(parts[0] if len(parts) == 1 else f"list_distinct({' || '.join(parts)})")
    row = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE {missing}), "
        f"count(x.{ident}) - count(DISTINCT x.{ident}), {', '.join(lists)} FROM {table} x"
    ).fetchone()
    assert row is not None
    total, absent, repeats, *keys = row
    return dict(zip(groups, keys, strict=True)), int(total), int(absent), int(repeats)


def _lookup(con: duckdb.DuckDBPyConnection, name: str, keys: list[str],
            fn: Callable[[str], Any], out: dict[str, str]) -> bool:
    """Table ``name`` (k, ok, *out): ``fn`` of each key, ok False where it raised RowError;
    True if no key failed.

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
    return all(oks)


def _int32(value: str | None) -> tuple[int | None]:
    out = integer(value, "Sentence Number")
    if out is not None and not -2**31 <= out < 2**31:
        raise RowError(f"Sentence Number {value!r} is too large")
    return (out,)


def _quad(value: str | None) -> tuple[int | None]:
    quad = integer(value, "QuadClass")
    if quad is not None and not 1 <= quad <= 4:
        raise RowError(f"QuadClass {quad} is outside 1..4")
    return (quad,)


def _cameo_row(value: str | None) -> tuple[Any, ...]:
    e = cameo(value)
    return e.code, e.root, e.goldstein, e.quad_class, e.plover_type, e.plover_mode


_CAMEO_OUT = {"code": "VARCHAR", "root": "VARCHAR", "goldstein": "DOUBLE",
              "quad": "INTEGER", "plover_type": "VARCHAR", "plover_mode": "VARCHAR"}


def _number(what: str, low: float, high: float
            ) -> Callable[[str | None], tuple[float | None]]:
    return lambda k: (number(k, what, low, high),)


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
@dataclass
class _Mapping:
    """What a format's mapper gives ``stage``: the join, the columns, the validity test,
    and where unmapped country names are counted."""

    source: str
    columns: str
    test: str
    all_valid: bool
    ident: str  # the column holding the file's event id
    repeats: int  # ids in the file minus distinct ids: 0 unless some id repeats
    # (label prefix, column, lookup table, the lookup's name of a key, condition on the
    # lookup naming an unmapped key); the lookup is ``u``
    unmapped: list[tuple[str, str, str, str, str]]
    raw: frozenset[str] = frozenset()  # columns staged as read (their lookups clean them)
    nulls: tuple[str, ...] = ()  # what a raw column holds for empty


def stage(con: duckdb.DuckDBPyConnection, path: str, fmt: str, n: int) -> Staged:
    """Read one file into table ``v_<n>`` of the (in-memory) staging connection ``con``.

    Raises :class:`Unsupported` when the row reader should take the file instead.
    """
    raw, v = f"raw_{n}", f"{STAGING}.v_{n}"
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
            mapping = _map_icews(con, source, v, n, header, tab=not quoted)
        else:
            mapping = _map_gdelt(con, source, v, n, width)
        # one line can be rejected once per missing column: keep one error a line, bad
        # encoding first (the row reader names that before the width)
        rejected = con.execute(
            f"SELECT line, arg_min(error_type, (error_type <> 'INVALID ENCODING', column_idx)),"
            f" arg_min(csv_line, (error_type <> 'INVALID ENCODING', column_idx)),"
            f" arg_min(error_message, (error_type <> 'INVALID ENCODING', column_idx))"
            f" FROM {raw}_errors GROUP BY line ORDER BY line").fetchall()
    except duckdb.Error as err:
        raise Unsupported from err
    staged = Staged(v, mapping.source, mapping.columns, mapping.test, mapping.all_valid)
    reject_lines: list[int] = []
    for line, kind, text, message in rejected:
        text = (text or "").strip("\r\n")
        reject_lines.append(int(line))
        if not text.strip():
            continue  # a line of spaces: blank, as the row reader treats it
        staged.failures.append(Failure(path, _reject_reason(fmt, kind, text, message, width,
                                                             delim),
                                       line=int(line), kind="import"))
    total = _count(con, f"SELECT count(*) FROM {v}")
    valid = total if staged.all_valid else _count(
        con, f"SELECT count(*) FROM {staged.source} WHERE {staged.test}")
    where = "true" if staged.all_valid else staged.test
    from_ = v + " x" if staged.all_valid else staged.source
    if mapping.repeats:
        staged.repeated = f"{STAGING}.repeated_{n}"
        con.execute(f"""CREATE OR REPLACE TABLE {staged.repeated} AS
            SELECT x.ordinal FROM {from_} WHERE {where}
            QUALIFY row_number() OVER (PARTITION BY x.{mapping.ident} ORDER BY x.ordinal) > 1""")
    staged.rows = total + len(staged.failures) + len(pre)
    staged.valid = valid
    staged.unmapped = _unmapped(con, mapping, from_, where)
    if not staged.all_valid:
        staged.failures += _row_failures(con, staged, mapping, path, fmt, raw, width, skip,
                                         reject_lines, delim)
    staged.failures = sorted(pre + staged.failures, key=lambda f: f.line or 0)
    return staged


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0


def _unmapped(con: duckdb.DuckDBPyConnection, mapping: _Mapping, from_: str, where: str
              ) -> Counter[str]:
    """Unmapped names counted over the valid rows, as the row reader counts them."""
    parts = []
    for label, column, table, name, flagged in mapping.unmapped:
        if _count(con, f"SELECT count(*) FROM {table} u WHERE {flagged}"):
            parts.append(f"SELECT {label} || {name} AS name FROM {from_} "
                         f"JOIN {table} u ON u.k = x.{column} WHERE {where} AND {flagged}")
    if not parts:
        return Counter()
    return Counter({name: int(n) for name, n in con.execute(
        f"SELECT name, count(*) FROM ({' UNION ALL '.join(parts)}) GROUP BY name"
    ).fetchall()})


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
    con.execute(f"CREATE OR REPLACE TABLE {v} AS SELECT {values} FROM {source}")
    con.execute(f"ALTER TABLE {v} ADD COLUMN ordinal BIGINT")
    con.execute(f"UPDATE {v} SET ordinal = rowid")


#: ICEWS fields no event column is made from: not staged (the row reader ignores them too)
_ICEWS_UNUSED = frozenset({"event_text", "district"})
#: ICEWS fields only ever looked up: staged as read and cleaned (null marker, strip) once per
#: distinct value in Python, which costs less than cleaning every row in SQL
_ICEWS_LOOKED_UP = frozenset({
    "event_date", "cameo_code", "intensity", "sentence_number", "latitude", "longitude",
    "source_country", "target_country", "country", "source_sectors", "target_sectors"})


def _map_icews(con: duckdb.DuckDBPyConnection, source: str, v: str, n: int,
               header: list[str], *, tab: bool) -> _Mapping:
    index = {icews._key(h): i for i, h in enumerate(header)}  # the last of a repeated name
    nulls = ("", "NA") if tab else ("",)

    def staged(name: str) -> str:
        if name not in index:
            return "NULL::VARCHAR"
        return f"c{index[name]}" if name in _ICEWS_LOOKED_UP else _value(f"c{index[name]}",
                                                                          nulls)

    def cl(value: str) -> str | None:  # a looked-up field as the row reader sees it
        return None if value in nulls else value.strip()

    _numbered(con, v, ", ".join(f"{staged(name)} AS {name}" for name in icews.FIELDS
                                if name not in _ICEWS_UNUSED), source)
    keys, _, absent, repeats = _scan(con, v, {
        "date": ["event_date"], "cameo": ["cameo_code"], "intensity": ["intensity"],
        "sentence": ["sentence_number"], "latitude": ["latitude"], "longitude": ["longitude"],
        "country": ["source_country", "target_country", "country"]},
        missing="x.event_id IS NULL OR x.event_id = '' OR x.event_date IS NULL "
                "OR x.cameo_code IS NULL", ident="event_id")
    lk = {name: f"{STAGING}.lk_{name}_{n}" for name in keys}
    lat, lon = _number("Latitude", -90.0, 90.0), _number("Longitude", -180.0, 180.0)
    intensity = _number("Intensity", -10.0, 10.0)
    checked = [
        _lookup(con, lk["date"], keys["date"], lambda k: (iso_day(cl(k), "Event Date"),),
                {"day": "DATE"}),
        _lookup(con, lk["cameo"], keys["cameo"], lambda k: _cameo_row(cl(k)), _CAMEO_OUT),
        _lookup(con, lk["intensity"], keys["intensity"], lambda k: intensity(cl(k)),
                {"v": "DOUBLE"}),
        _lookup(con, lk["sentence"], keys["sentence"], lambda k: _int32(cl(k)),
                {"v": "INTEGER"}),
        _lookup(con, lk["latitude"], keys["latitude"], lambda k: lat(cl(k)), {"v": "DOUBLE"}),
        _lookup(con, lk["longitude"], keys["longitude"], lambda k: lon(cl(k)),
                {"v": "DOUBLE"}),
    ]
    quiet = FileContext("")  # unmapped names are counted in SQL, over the valid rows only
    _lookup(con, lk["country"], keys["country"],
            lambda k: (country_from_name(cl(k), quiet), cl(k)),
            {"iso": "VARCHAR", "name": "VARCHAR"})
    # icews_sector of each distinct list of sectors, in SQL: the lists split, each distinct
    # listed name ranked in Python (a few hundred, stripped as the row reader strips them),
    # the lowest rank kept; a Python call per list cost 0.2 s for the 34,000 of a six-month file
    lk["sector"] = f"{STAGING}.lk_sector_{n}"
    parts = f"{lk['sector']}_parts"
    con.execute(f"""
        CREATE OR REPLACE TABLE {parts} AS
        SELECT k, unnest(string_split(k, ',')) AS part FROM (
            SELECT source_sectors AS k FROM {v} UNION SELECT target_sectors FROM {v})
        WHERE k IS NOT NULL AND k NOT IN ({', '.join(map(_lit, nulls))})""")
    ranks = sector_ranks()
    named = [p for (p,) in con.execute(f"SELECT DISTINCT part FROM {parts}").fetchall()
             if p.strip() in ranks]
    _table(con, f"{lk['sector']}_ranks", {
        "part": ("VARCHAR", named), "rank": ("INTEGER", [ranks[p.strip()][0] for p in named]),
        "code": ("VARCHAR", [ranks[p.strip()][1] for p in named])})
    con.execute(f"""
        CREATE OR REPLACE TABLE {lk['sector']} AS
        SELECT s.k, arg_min(r.code, r.rank) AS code FROM {parts} s
        LEFT JOIN {lk['sector']}_ranks r ON r.part = s.part GROUP BY s.k""")
    # organisation_code is an exact match on the name: a join on every form, not a call
    # per distinct name (a six-month file has some 30,000)
    orgs = f"{STAGING}.lk_org_{n}"
    forms = organisation_forms()
    _table(con, orgs, {"k": ("VARCHAR", list(forms)), "code": ("VARCHAR", list(forms.values()))})

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
    test = """x.event_id IS NOT NULL AND x.event_id <> '' AND coalesce(d.ok, false)
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
    done = {f"{s}_{c}" for s in ("source", "target") for c in ("code", "country", "sector",
                                                                 "name")}
    joined = f"""{v} x
        LEFT JOIN {lk['date']} d ON d.k = x.event_date
        LEFT JOIN {lk['cameo']} k ON k.k = x.cameo_code
        LEFT JOIN {lk['intensity']} i ON i.k = x.intensity
        LEFT JOIN {lk['sentence']} sn ON sn.k = x.sentence_number
        LEFT JOIN {lk['latitude']} la ON la.k = x.latitude
        LEFT JOIN {lk['longitude']} lo ON lo.k = x.longitude
        LEFT JOIN {lk['country']} source_c ON source_c.k = x.source_country
        LEFT JOIN {lk['country']} target_c ON target_c.k = x.target_country
        LEFT JOIN {lk['country']} lc ON lc.k = x.country
        LEFT JOIN {lk['sector']} source_s ON source_s.k = x.source_sectors
        LEFT JOIN {lk['sector']} target_s ON target_s.k = x.target_sectors
        LEFT JOIN {orgs} source_o ON source_o.k = x.source_name
        LEFT JOIN {orgs} target_o ON target_o.k = x.target_name"""
    # the names an unmapped count is kept for, per valid row
    unknown = "u.iso IS NULL AND u.name <> ''"
    return _Mapping(
        joined, f"{actor('source')}, {actor('target')}, {_rest(columns, 'icews', done)}",
        test, absent == 0 and all(checked), "event_id", repeats,
        [("''", col, lk["country"], "u.name", unknown)
         for col in ("source_country", "target_country", "country")],
        _ICEWS_LOOKED_UP, nulls)


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


def _map_gdelt(con: duckdb.DuckDBPyConnection, source: str, v: str, n: int, width: int
               ) -> _Mapping:
    slots = {name: i for i, name in enumerate(gdelt.LAYOUTS[width][1])}

    def get(name: str) -> str:
        i = slots.get(name)
        return "NULL::VARCHAR" if i is None else f"nullif({_value(f'c{i}', ())}, '')"

    _numbered(con, v, ", ".join(f"{get(w)} AS {w}" for w in _GDELT_USED), source)
    well_formed = "coalesce(regexp_full_match(x.GLOBALEVENTID, '[0-9]+'), false)"
    keys, _, absent, repeats = _scan(con, v, {
        "date": ["SQLDATE"], "cameo": ["EventCode"], "quad": ["QuadClass"],
        "gold": ["GoldsteinScale"], "lat": ["ActionGeo_Lat"], "lon": ["ActionGeo_Long"],
        "cc": ["Actor1CountryCode", "Actor2CountryCode", "left(Actor1Code, 3)",
               "left(Actor2Code, 3)"],
        "fips": ["ActionGeo_CountryCode"], "host": ["SOURCEURL"]},
        missing=f"NOT {well_formed} OR x.SQLDATE IS NULL OR x.EventCode IS NULL",
        ident="GLOBALEVENTID")
    lk = {name: f"{STAGING}.lk_{name}_{n}" for name in keys}
    checked = [
        _lookup(con, lk["date"], keys["date"], lambda k: (gdelt._sqldate(k),),
                {"day": "DATE"}),
        _lookup(con, lk["cameo"], keys["cameo"], _cameo_row, _CAMEO_OUT),
        _lookup(con, lk["quad"], keys["quad"], _quad, {"v": "INTEGER"}),
        _lookup(con, lk["gold"], keys["gold"], _number("GoldsteinScale", -10.0, 10.0),
                {"v": "DOUBLE"}),
        _lookup(con, lk["lat"], keys["lat"], _number("ActionGeo_Lat", -90.0, 90.0),
                {"v": "DOUBLE"}),
        _lookup(con, lk["lon"], keys["lon"], _number("ActionGeo_Long", -180.0, 180.0),
                {"v": "DOUBLE"}),
    ]
    _lookup(con, lk["cc"], keys["cc"],
            lambda k: (country_from_cameo(k, None), _unknown_cameo(k)),
            {"iso": "VARCHAR", "unknown": "BOOLEAN"})
    _lookup(con, lk["fips"], keys["fips"],
            lambda k: (country_from_fips(k, FileContext("")), _unknown_fips(k)),
            {"iso": "VARCHAR", "unknown": "BOOLEAN"})
    _lookup(con, lk["host"], keys["host"], lambda k: (gdelt._publisher(k),),
            {"host": "VARCHAR"})

    def actor(side: str, n: int) -> str:
        return f"""
            x.Actor{n}Code AS {side}_code,
            CASE WHEN x.Actor{n}CountryCode IS NOT NULL THEN {side}_cc.iso
                 WHEN x.Actor{n}Code IS NOT NULL THEN {side}_cf.iso END AS {side}_country,
            x.Actor{n}Type1Code AS {side}_sector, x.Actor{n}Name AS {side}_name"""

    event_id = "'gdelt:' || x.GLOBALEVENTID"
    test = f"""{well_formed}
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
    joined = f"""{v} x
        LEFT JOIN {lk['date']} d ON d.k = x.SQLDATE
        LEFT JOIN {lk['cameo']} k ON k.k = x.EventCode
        LEFT JOIN {lk['quad']} q ON q.k = x.QuadClass
        LEFT JOIN {lk['gold']} g ON g.k = x.GoldsteinScale
        LEFT JOIN {lk['lat']} la ON la.k = x.ActionGeo_Lat
        LEFT JOIN {lk['lon']} lo ON lo.k = x.ActionGeo_Long
        LEFT JOIN {lk['cc']} source_cc ON source_cc.k = x.Actor1CountryCode
        LEFT JOIN {lk['cc']} target_cc ON target_cc.k = x.Actor2CountryCode
        LEFT JOIN {lk['cc']} source_cf ON source_cf.k = left(x.Actor1Code, 3)
        LEFT JOIN {lk['cc']} target_cf ON target_cf.k = left(x.Actor2Code, 3)
        LEFT JOIN {lk['fips']} f ON f.k = x.ActionGeo_CountryCode
        LEFT JOIN {lk['host']} h ON h.k = x.SOURCEURL"""
    return _Mapping(
        joined, f"{actor('source', 1)}, {actor('target', 2)}, {_rest(columns, 'gdelt', done)}",
        test, absent == 0 and all(checked), "GLOBALEVENTID", repeats,
        [("'CAMEO '", "Actor1CountryCode", lk["cc"], "u.k", "u.unknown"),
         ("'CAMEO '", "Actor2CountryCode", lk["cc"], "u.k", "u.unknown"),
         ("'FIPS '", "ActionGeo_CountryCode", lk["fips"], "u.k", "u.unknown")])


def _unknown_cameo(code: str) -> bool:
    ctx = FileContext("")
    country_from_cameo(code, ctx)
    return bool(ctx.unmapped)


def _unknown_fips(code: str) -> bool:
    ctx = FileContext("")
    country_from_fips(code, ctx)
    return bool(ctx.unmapped)


def _row_failures(con: duckdb.DuckDBPyConnection, staged: Staged, mapping: _Mapping,
                  path: str, fmt: str, raw: str, width: int, skip: int,
                  reject_lines: list[int], delim: str) -> list[Failure]:
    """The failing rows, with the row reader's reason and their physical line."""
    names = [f for f in icews.FIELDS if f not in _ICEWS_UNUSED] if fmt == "icews" \
        else _GDELT_USED
    bad = con.execute(
        f"SELECT x.ordinal, {', '.join(f'x.{n}' for n in names)} FROM {staged.source} "
        f"WHERE NOT ({staged.test}) ORDER BY x.ordinal").fetchall()
    excluded = sorted(set(range(1, skip + 1)) | set(_blank_lines(con, path, delim, raw))
                      | set(reject_lines))
    thresholds = [e - i for i, e in enumerate(excluded, start=1)]
    failures = []
    quiet = FileContext("")
    slots = {name: i for i, name in enumerate(gdelt.LAYOUTS[width][1])} if fmt == "gdelt" \
        else {}
    cleaned = [n in mapping.raw for n in names]
    for ordinal, *values in bad:
        values = [(None if v is None or v in mapping.nulls else v.strip()) if c else v
                  for v, c in zip(values, cleaned, strict=True)]
        q = int(ordinal) + 1
        line = q + bisect.bisect_left(thresholds, q)
        try:
            if fmt == "icews":  # the values as the row reader makes them (null, stripped)
                icews._event(dict.fromkeys(icews.FIELDS) | dict(zip(names, values, strict=True)),
                             quiet)
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
