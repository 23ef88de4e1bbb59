"""UN General Assembly roll-call votes (Voeten's data, in the layout of the R ``unvotes`` package).

Three files, of which only the first is needed: votes (``rcid,country,country_code,vote``),
roll calls (``rcid,session,importantvote,date,unres,...,short,descr``) and issue tags
(``rcid,short_name,issue``). They go into ``unga_roll_calls`` and ``unga_votes``.

Choices, and why:

- **Python's csv reader, DuckDB's insert.** DuckDB's own ``read_csv`` parses faster, but it
  reports records, not lines, once a quoted field spans lines (roll-call descriptions do), and
  every malformed row must be reported with its line. The csv module gives the exact line a
  record starts on; 870k votes parse in about a second from a file read (and gunzipped) at
  once. Rows are validated in the same pass,
  with caches keyed on the raw strings (there are ~6k roll-call ids, ~200 countries and three
  vote words), and handed to the store as column arrays it unnests in one statement.
- **Countries become ISO alpha-3** through ``data/iso2.csv``. Historical states follow the
  project's successor rule (USSR → RUS, Yugoslavia → SRB, Czechoslovakia → CZE, West Germany
  → DEU, North Yemen → YEM) except where the two states sat in the Assembly at the same time,
  since a roll call holds one vote per code: East Germany is DDR, South Yemen YMD, Zanzibar
  XZN. Rows without a code (West Germany, North Yemen and Zanzibar in Voeten's data) are matched
  by name. An unknown code is a failure naming the file to extend, never a guess.
- **Votes are yes, no or abstain.** Those are the only values in the shared data; Voeten's
  numeric codes (1 yes, 2 abstain, 3 no) are read too. Absent (8) and not-a-member (9) rows
  are not votes: they are counted in the summary and not stored, so "both voted" in the
  analysis means both cast a vote. Any other value is a failure.
- **Idempotent.** Votes and roll calls are upserted on their keys (``rcid, country`` and
  ``rcid``) in one transaction, so a re-import changes nothing and a corrected file updates
  the rows it carries. A roll-call file without issue tags keeps the tags already stored.
- **Nothing is dropped in silence.** A malformed row (wrong field count, rcid that is not a
  whole number, unknown country, unknown vote, missing or bad date, a second vote by one
  country on one roll call, an issue tag for a roll call that exists nowhere) becomes a
  :class:`~cordiale.records.Failure` with file, line and reason, recorded in the store; the
  good rows are still written. A file that cannot be read at all (missing columns, not UTF-8,
  broken gzip) raises :class:`~cordiale.errors.InputError` and nothing is written.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import time
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..errors import DataFileError, InputError
from ..records import Failure

if TYPE_CHECKING:
    from ..store import Store

VOTES = ("yes", "no", "abstain")
_VOTE_WORDS = {
    "yes": "yes", "y": "yes", "1": "yes",
    "no": "no", "n": "no", "3": "no",
    "abstain": "abstain", "abstention": "abstain", "a": "abstain", "2": "abstain",
}
_NOT_VOTES = {"8", "9", "absent", "not a member", "non-member", "nonmember", "not voting"}
_MAX_RCID = 2**31 - 1


# -- country codes ------------------------------------------------------------------------

@dataclass(frozen=True)
class CountryCodes:
    """ISO alpha-2 (and, for rows without one, country name) → the alpha-3 code cordiale uses."""

    by_iso2: dict[str, str]
    by_name: dict[str, str]

    def resolve(self, iso2: str, name: str) -> str | None:
        """The alpha-3 code for a vote row; the name is used only when the row has no code."""
        iso2 = iso2.strip()
        if iso2:  # "NA" is Namibia here, not R's missing value: missing codes are empty
            return self.by_iso2.get(iso2.upper())
        return self.by_name.get(name.strip().casefold())


@lru_cache(maxsize=4)
def load_country_codes(path: str | None = None) -> CountryCodes:
    """Read ``data/iso2.csv`` (or ``path``): one row per code, ``#`` lines are its header."""
    if path is None:
        text = resources.files(__package__).joinpath("data", "iso2.csv").read_text("utf-8")
        origin = "importers/data/iso2.csv"
    else:
        text = Path(path).read_text("utf-8")
        origin = path
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    by_iso2: dict[str, str] = {}
    names: dict[str, str] = {}
    codeless: dict[str, str] = {}
    for row in csv.DictReader(lines):
        iso2, iso3, name = row["iso2"].strip(), row["iso3"].strip(), row["name"].strip()
        if len(iso3) != 3 or not iso3.isalpha() or not iso3.isupper():
            raise DataFileError(f"{origin}: {iso3!r} is not an alpha-3 code (row {row})")
        if iso2:
            if len(iso2) != 2 or iso2 in by_iso2:
                raise DataFileError(f"{origin}: {iso2!r} is not a new alpha-2 code (row {row})")
            by_iso2[iso2] = iso3
            names.setdefault(name.casefold(), iso3)
        elif name:
            codeless[name.casefold()] = iso3
        else:
            raise DataFileError(f"{origin}: a row needs an iso2 code or a name (row {row})")
    return CountryCodes(by_iso2, names | codeless)


# -- reading ------------------------------------------------------------------------------

def _read_text(path: Path) -> str:
    """The whole file as text, gunzipped when it starts with the gzip magic bytes.

    Reading it at once is twice as fast as streaming rows through ``gzip.open`` (the
    UNGA files are tens of megabytes unpacked), and a decoding error can name its line.
    """
    origin = str(path)
    try:
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as err:
        raise InputError(origin, f"cannot read the file ({err})") from err
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise InputError(origin, f"not UTF-8 ({err.reason} at byte {err.start}); save the "
                                 "file as UTF-8 and import it again", line) from err


def _records(path: Path, required: Sequence[str], one_of: Sequence[str] = ()
             ) -> tuple[dict[str, int], Iterator[tuple[int, list[str]]]]:
    """The header's column positions and an iterator of (line the record starts on, fields).

    Raises :class:`InputError` when the file cannot be read or lacks a needed column, and
    from the iterator when the CSV itself is broken (a NUL byte, say) at some line.
    """
    origin = str(path)
    reader = csv.reader(io.StringIO(_read_text(path), newline=""))
    try:
        header = next(reader, None)
    except csv.Error as err:
        raise InputError(origin, f"not a CSV header ({err})", 1) from err
    if header is None:
        raise InputError(origin, "the file is empty; expected a CSV header line")
    columns = {name.strip().lower(): i for i, name in enumerate(header)}
    missing = [c for c in required if c not in columns]
    if one_of and not any(c in columns for c in one_of):
        missing.append(" or ".join(one_of))
    if missing:
        raise InputError(origin, f"no column {', '.join(missing)} in the header "
                                 f"({', '.join(header)})", 1)

    def rows() -> Iterator[tuple[int, list[str]]]:
        end = reader.line_num
        try:
            for row in reader:
                start, end = end + 1, reader.line_num
                if row:  # a blank line is not a record
                    yield start, row
        except csv.Error as err:
            raise InputError(origin, f"cannot read past this line ({err}); nothing was "
                                     "imported", end + 1) from err

    return columns, rows()


def _rcid(raw: str) -> int | None:
    """A roll-call id: a whole positive number, written ``3`` or ``3.0``."""
    try:
        value = float(raw)
    except ValueError:
        return None
    if not math.isfinite(value) or value != int(value) or not 0 < value <= _MAX_RCID:
        return None
    return int(value)


@dataclass(frozen=True)
class VoteRows:
    """Parsed votes as parallel arrays: one vote of one country on one roll call a row."""

    rcid: np.ndarray          # int64
    country: np.ndarray       # ISO alpha-3 (object)
    country_name: np.ndarray  # as written in the file (object)
    vote: np.ndarray          # yes | no | abstain (object)
    line: np.ndarray          # the line of the file each row comes from (int64)

    def __len__(self) -> int:
        return int(self.rcid.shape[0])

    def columns(self) -> dict[str, np.ndarray]:
        return {"rcid": self.rcid, "country": self.country,
                "country_name": self.country_name, "vote": self.vote}


@dataclass(frozen=True)
class VoteFile:
    rows: VoteRows
    failures: tuple[Failure, ...]
    not_voting: int  # absent or not a member: valid rows that are not votes


def read_votes(path: str | Path, codes: CountryCodes | None = None) -> VoteFile:
    """Parse a votes file; malformed rows become failures, the rest become :class:`VoteRows`."""
    path = Path(path)
    origin = str(path)
    codes = codes or load_country_codes()
    columns, records = _records(path, ("rcid", "vote"), ("country_code", "country"))
    width = len(columns)
    i_rcid, i_vote = columns["rcid"], columns["vote"]
    i_code, i_name = columns.get("country_code"), columns.get("country")
    failures: list[Failure] = []
    rcid_of: dict[str, int | None] = {}
    vote_of: dict[str, int] = {}  # index into VOTES, -1 not a vote, -2 unknown
    country_of: dict[tuple[str, str], int] = {}  # index into countries, -1 unknown
    countries: list[str] = []
    names: list[str] = []
    name_index: dict[str, int] = {}
    lines: list[int] = []
    rcids: list[int] = []
    cidx: list[int] = []
    nidx: list[int] = []
    vidx: list[int] = []
    not_voting = 0
    country_pos: dict[str, int] = {}
    for line, row in records:
        if len(row) != width:
            failures.append(Failure(origin, f"expected {width} fields, found {len(row)}", line))
            continue
        raw = row[i_rcid]
        rcid = rcid_of.get(raw, -1)
        if rcid == -1:
            rcid = rcid_of[raw] = _rcid(raw.strip())
        if rcid is None:
            failures.append(Failure(origin, f"rcid {raw!r} is not a whole positive number",
                                    line))
            continue
        raw_vote = row[i_vote]
        v = vote_of.get(raw_vote)
        if v is None:
            word = raw_vote.strip().lower()
            word = word[:-2] if word.endswith(".0") else word
            if word in _VOTE_WORDS:
                v = VOTES.index(_VOTE_WORDS[word])
            else:
                v = -1 if word in _NOT_VOTES else -2
            vote_of[raw_vote] = v
        if v == -2:
            failures.append(Failure(origin, f"vote {raw_vote!r} is not yes, no or abstain "
                                            "(nor 8 absent / 9 not a member)", line))
            continue
        code = row[i_code] if i_code is not None else ""
        name = row[i_name] if i_name is not None else ""
        key = (code, name)
        c = country_of.get(key)
        if c is None:
            iso3 = codes.resolve(code, name)
            if iso3 is None:
                c = -1
            else:
                if iso3 not in country_pos:
                    country_pos[iso3] = len(countries)
                    countries.append(iso3)
                c = country_pos[iso3]
            country_of[key] = c
        if c < 0:
            what = f"country code {code!r}" if code.strip() else "a row without a country code"
            failures.append(Failure(origin, f"{what} ({name or 'no name'}) is not in "
                                            "importers/data/iso2.csv; add a row for it", line))
            continue
        if v == -1:
            not_voting += 1
            continue
        n = name_index.get(name)
        if n is None:
            n = name_index[name] = len(names)
            names.append(name)
        lines.append(line)
        rcids.append(rcid)
        cidx.append(c)
        nidx.append(n)
        vidx.append(v)
    rcid_a = np.array(rcids, dtype=np.int64)
    cidx_a = np.array(cidx, dtype=np.int64)
    line_a = np.array(lines, dtype=np.int64)
    keep = _first_of_each(rcid_a * max(len(countries), 1) + cidx_a)
    country_arr = np.array(countries, dtype=object)
    for i in np.flatnonzero(keep < 0):
        first = int(line_a[-keep[i] - 1])
        failures.append(Failure(
            origin, f"a second vote by {country_arr[cidx_a[i]]} on roll call {rcid_a[i]} "
                    f"(the first is on line {first}, which was kept)", int(line_a[i])))
    ok = keep >= 0
    rows = VoteRows(
        rcid=rcid_a[ok],
        country=country_arr[cidx_a[ok]] if len(countries) else np.array([], dtype=object),
        country_name=np.array(names, dtype=object)[np.array(nidx, dtype=np.int64)[ok]]
        if names else np.array([], dtype=object),
        vote=np.array(VOTES, dtype=object)[np.array(vidx, dtype=np.int64)[ok]],
        line=line_a[ok],
    )
    failures.sort(key=lambda f: f.line or 0)
    return VoteFile(rows, tuple(failures), not_voting)


def _first_of_each(keys: np.ndarray) -> np.ndarray:
    """For each row: ``i`` if it is the first with its key, else ``-(index of the first) - 1``."""
    out = np.arange(keys.shape[0], dtype=np.int64)
    if keys.shape[0] < 2:
        return out
    order = np.argsort(keys, kind="stable")
    sk = keys[order]
    starts = np.r_[True, sk[1:] != sk[:-1]]
    first = order[np.maximum.accumulate(np.where(starts, np.arange(sk.shape[0]), 0))]
    dup = ~starts
    out[order[dup]] = -first[dup] - 1
    return out


@dataclass(frozen=True)
class RollCallRows:
    rcid: list[int]
    session: list[int | None]
    date: list[date]
    important: list[bool | None]
    resolution: list[str | None]
    short: list[str | None]
    description: list[str | None]
    line: list[int]

    def __len__(self) -> int:
        return len(self.rcid)

    def columns(self) -> dict[str, list]:
        return {"rcid": self.rcid, "session": self.session, "date": self.date,
                "important": self.important, "resolution": self.resolution,
                "short": self.short, "description": self.description}


@dataclass(frozen=True)
class RollCallFile:
    rows: RollCallRows
    failures: tuple[Failure, ...]


_FLAGS = {"1": True, "1.0": True, "true": True, "yes": True,
          "0": False, "0.0": False, "false": False, "no": False, "": None, "na": None}


def read_roll_calls(path: str | Path) -> RollCallFile:
    """Parse a roll-call file: rcid and date are required, the rest may be empty."""
    path = Path(path)
    origin = str(path)
    columns, records = _records(path, ("rcid", "date"))
    width = len(columns)

    def field(row: list[str], name: str) -> str:
        i = columns.get(name)
        return row[i].strip() if i is not None else ""

    out: dict[str, list] = {k: [] for k in RollCallRows.__dataclass_fields__}
    failures: list[Failure] = []
    seen: dict[int, int] = {}
    for line, row in records:
        if len(row) != width:
            failures.append(Failure(origin, f"expected {width} fields, found {len(row)}", line))
            continue
        rcid = _rcid(field(row, "rcid"))
        if rcid is None:
            failures.append(Failure(origin, f"rcid {field(row, 'rcid')!r} is not a whole "
                                            "positive number", line))
            continue
        if rcid in seen:
            failures.append(Failure(origin, f"roll call {rcid} again (first on line "
                                            f"{seen[rcid]}, which was kept)", line))
            continue
        raw_date = field(row, "date")
        try:
            when = date.fromisoformat(raw_date[:10])
        except ValueError:
            failures.append(Failure(origin, f"date {raw_date!r} is not YYYY-MM-DD", line))
            continue
        raw_session = field(row, "session")
        session = _rcid(raw_session) if raw_session not in ("", "NA") else None
        if raw_session not in ("", "NA") and session is None:
            failures.append(Failure(origin, f"session {raw_session!r} is not a whole number",
                                    line))
            continue
        flag = field(row, "importantvote").lower()
        if flag not in _FLAGS:
            failures.append(Failure(origin, f"importantvote {flag!r} is not 0 or 1", line))
            continue
        seen[rcid] = line
        out["rcid"].append(rcid)
        out["session"].append(session)
        out["date"].append(when)
        out["important"].append(_FLAGS[flag])
        out["resolution"].append(field(row, "unres") or None)
        out["short"].append(field(row, "short") or None)
        out["description"].append(field(row, "descr") or field(row, "description") or None)
        out["line"].append(line)
    return RollCallFile(RollCallRows(**out), tuple(failures))


@dataclass(frozen=True)
class IssueFile:
    rcid: list[int]
    issue: list[str]
    line: list[int]
    failures: tuple[Failure, ...]

    def by_roll_call(self) -> dict[int, str]:
        """Each roll call's issue names, sorted, deduplicated and joined with ", "."""
        tags: dict[int, set[str]] = {}
        for rcid, issue in zip(self.rcid, self.issue, strict=True):
            tags.setdefault(rcid, set()).add(issue)
        return {rcid: ", ".join(sorted(names)) for rcid, names in tags.items()}


def read_issues(path: str | Path) -> IssueFile:
    """Parse an issue file (``rcid,short_name,issue``): one tag of one roll call a row."""
    path = Path(path)
    origin = str(path)
    columns, records = _records(path, ("rcid", "issue"))
    width = len(columns)
    rcids: list[int] = []
    issues: list[str] = []
    lines: list[int] = []
    failures: list[Failure] = []
    for line, row in records:
        if len(row) != width:
            failures.append(Failure(origin, f"expected {width} fields, found {len(row)}", line))
            continue
        raw = row[columns["rcid"]].strip()
        rcid = _rcid(raw)
        issue = row[columns["issue"]].strip()
        if rcid is None:
            failures.append(Failure(origin, f"rcid {raw!r} is not a whole positive number",
                                    line))
        elif not issue or "," in issue:
            failures.append(Failure(origin, f"issue {issue!r} is empty or holds a comma "
                                            "(tags are stored comma-separated)", line))
        else:
            rcids.append(rcid)
            issues.append(issue)
            lines.append(line)
    return IssueFile(rcids, issues, lines, tuple(failures))


# -- importing ----------------------------------------------------------------------------

@dataclass(frozen=True)
class UngaImport:
    """What an import did: rows written, rows that were not votes, and the failures."""

    votes: int
    roll_calls: int
    issues: int          # roll calls whose issue tags were written
    not_voting: int
    failures: tuple[Failure, ...]
    stored_votes: int    # in the database after the import
    undated_votes: int   # stored votes whose roll call (and so date) is not stored
    seconds: float

    def line(self) -> str:
        text = f"imported {self.votes:,} votes"
        if self.roll_calls:
            text += f", {self.roll_calls:,} roll calls"
        if self.issues:
            text += f", issue tags of {self.issues:,} roll calls"
        text += f" in {self.seconds:.1f}s; {self.stored_votes:,} votes stored"
        if self.not_voting:
            text += f"; {self.not_voting:,} absent or non-member rows are not votes"
        if self.failures:
            text += f"; {len(self.failures):,} rows failed"
        if self.undated_votes:
            text += (f"; {self.undated_votes:,} stored votes have no roll call yet "
                     "(import one with --roll-calls to date them)")
        return text


def import_unga(
    store: Store,
    votes: str | Path,
    *,
    roll_calls: str | Path | None = None,
    issues: str | Path | None = None,
    codes: CountryCodes | None = None,
) -> UngaImport:
    """Read the files, write their good rows in one transaction and record the failures.

    Every file is parsed before anything is written, so a file that cannot be read at all
    (:class:`InputError`) leaves the database as it was.
    """
    started = time.perf_counter()
    vote_file = read_votes(votes, codes)
    call_file = read_roll_calls(roll_calls) if roll_calls is not None else None
    issue_file = read_issues(issues) if issues is not None else None
    failures = list(vote_file.failures)
    if call_file is not None:
        failures += call_file.failures
    tags: dict[int, str] | None = None
    if issue_file is not None:
        failures += issue_file.failures
        in_file = set(call_file.rows.rcid) if call_file is not None else set()
        asked = sorted(set(issue_file.rcid) - in_file)
        known = in_file | store.unga_roll_call_ids(asked)
        keep = [i for i, rcid in enumerate(issue_file.rcid) if rcid in known]
        failures += [
            Failure(str(issues), f"roll call {issue_file.rcid[i]} is neither in the roll-call "
                                 "file nor stored; import it with --roll-calls",
                    issue_file.line[i])
            for i in range(len(issue_file.rcid)) if issue_file.rcid[i] not in known
        ]
        tags = IssueFile([issue_file.rcid[i] for i in keep], [issue_file.issue[i] for i in keep],
                         [issue_file.line[i] for i in keep], ()).by_roll_call()
    store.write_unga(
        votes=vote_file.rows.columns(),
        roll_calls=call_file.rows.columns() if call_file is not None else None,
        issues=tags,
    )
    store.record_failures(failures)
    counts = store.unga_counts()
    return UngaImport(
        votes=len(vote_file.rows),
        roll_calls=len(call_file.rows) if call_file is not None else 0,
        issues=len(tags or {}),
        not_voting=vote_file.not_voting,
        failures=tuple(failures),
        stored_votes=counts["votes"],
        undated_votes=counts["undated_votes"],
        seconds=time.perf_counter() - started,
    )
