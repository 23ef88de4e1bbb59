"""Resolve date expressions in a news sentence against the article's publication date.

``find_dates(text, published)`` returns non-overlapping :class:`DateRef` s, sorted by offset.
Each carries an ISO value at its precision ("2021-11-23", "2021-W47", "2021-11", "2021",
"2010s"), whether it was computed from the publication date (``relative``) and whether it lies
in the past rather than in the news (``historical``: its last day is more than 365 days before
publication, so "in 2020" read on 2021-11-24 is *not* historical, "in 2019" is).

Conventions (news usage, kept deliberately simple):

* Weekdays ("Tuesday", "on Tuesday night", "this Tuesday") are the most recent such day on or
  before publication; "last"/"this past" Tuesday is strictly before it, "next"/"coming" strictly
  after. A future cue earlier in the same clause ("will", "scheduled", "due to", "plans to"...,
  with no "said"/"was" after it) turns a bare weekday, day-month or month to the future side:
  the first occurrence on or after publication.
* A day and month without a year ("Nov. 23", "23 November") take the occurrence nearest the
  publication date (ties to the past); a stated weekday ("Tuesday, November 23") picks the year
  in which the weekday fits. A bare month ("in November", "mid-November") is the nearest such
  month (ties to the past); "last November" is strictly before the publication month, "next"
  strictly after.
* Numeric dates: "2021-11-23"; slashes are month-first (US news convention) unless the first
  number exceeds 12: "11/23/2021" and "05/06/2021" (May 6) are month-first, "23/11/2021" is
  day-first.
* "this/last/next week" are ISO weeks; "this weekend" is the ISO week of the Saturday of the
  publication week, "last weekend" the one before, "next weekend" the coming one (the one after
  this one when published on a weekend). "last night" is the day before publication.
  "the last month", "the past year", "recently", "in recent days" are durations: no date
  (but "the past weekend" is last weekend). Named days ("Bloody Sunday", "Super Tuesday")
  are not weekdays.
* A bare four-digit year (1800-2100) counts only in a date context: after "in", "since",
  "during", "until"... ("strong": always), after "of", "by", "from", "the", "its"... ("weak":
  unless a plural noun follows, as in "by 2000 votes"), "early/mid/late 2020", "(2003)", or as
  the second end of a range ("from 2011 to 2015"). Quantities, model numbers (S-400), money,
  times ("10:30", "2000 GMT") are never dates. "the 1990s", "'90s", "2020s-era" are decades.
* With ``published=None`` only absolute expressions (carrying their own year) are returned,
  and none is historical.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class DateRef:
    start: int  # character offsets of the expression within the text passed in
    end: int
    text: str
    value: str  # ISO form at its precision
    precision: str  # "day" | "week" | "month" | "year" | "decade"
    historical: bool  # the date ends more than 365 days before publication
    relative: bool  # computed from the publication date


_Value = tuple[str, str, date]  # value, precision, last day covered
_Result = tuple[str, str, date, bool]  # ... plus relative
_Handler = Callable[[re.Match[str], str, date | None], _Result | None]

_MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December"]
_MONTH_NUM = {name[:3].lower(): i for i, name in enumerate(_MONTH_NAMES, 1)}
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_NUM_WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
              "eleven", "twelve"]
_NUMBERS = {w: i for i, w in enumerate(_NUM_WORDS, 1)} | {"a": 1, "an": 1}

_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MON_FULL = "(?:" + "|".join(_MONTH_NAMES) + ")"
_MON = rf"(?:{_MON_FULL}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)(?![a-z])"
_WD_PREFIX = rf"(?:(?P<wd>{_WD}),?\s+)?"
_YEAR = r"(?:1[89]\d\d|20\d\d|2100)"
_EARLY = r"(?:(?P<q>(?i:early|mid|late))[-\s]+)"

_STRONG = {"in", "since", "during", "until", "till", "circa", "year", "summer", "winter",
           "spring", "autumn", "fall", "throughout", "fiscal", "ca"}
_WEAK = {"of", "by", "from", "the", "a", "an", "its", "his", "her", "their", "this", "that",
         "between", "around", "before", "after", "for", "our", "whose"}
_EVENT_PLURALS = {"elections", "games", "olympics", "talks", "protests", "riots", "attacks",
                  "accords", "negotiations", "floods", "polls", "midterms", "hearings",
                  "sanctions", "clashes", "bombings", "uprisings", "reforms", "agreements"}
_QUANTITY_WORDS = {"people", "men", "women", "children", "police", "personnel", "staff", "feet",
                   "million", "billion", "thousand", "hundred", "percent", "per", "km", "kg"}
_FUTURE = re.compile(r"(?i)(?:\b(?:will|shall|scheduled|due\s+to|set\s+to|expected\s+to|plans?"
                     r"\s+to|planned|is\s+to|are\s+to|upcoming)\b|'ll\b)")
_PAST = re.compile(r"(?i)\b(?:said|says|told|announced|added|stated|reported|confirmed|was|were"
                   r"|had|did)\b")


def _mkdate(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _day(d: date) -> _Value:
    return d.isoformat(), "day", d


def _week(d: date) -> _Value:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}", "week", d + timedelta(days=6 - d.weekday())


def _month(y: int, m: int, shift: int = 0) -> _Value:
    y, m0 = divmod(y * 12 + m - 1 + shift, 12)
    nxt = date(y + 1, 1, 1) if m0 == 11 else date(y, m0 + 2, 1)
    return f"{y:04d}-{m0 + 1:02d}", "month", nxt - timedelta(days=1)


def _year(y: int) -> _Value:
    return f"{y:04d}", "year", date(y, 12, 31)


def _decade(y: int) -> _Value:
    d = y - y % 10
    return f"{d}s", "decade", date(d + 9, 12, 31)


def _before(text: str, pos: int, width: int = 40) -> str:
    return text[max(0, pos - width) : pos]


def _future(text: str, pos: int) -> bool:
    """A future cue earlier in the same clause, not followed by a past/reporting verb."""
    window = re.split(r"[.!?;\n]", text[max(0, pos - 80):pos])[-1]
    cues = list(_FUTURE.finditer(window))
    return bool(cues) and not _PAST.search(window, cues[-1].end())


def _nearest(cands: list[date], pub: date, text: str, pos: int) -> date | None:
    if _future(text, pos):
        cands = [c for c in cands if c >= pub]
    if not cands:
        return None
    return min(cands, key=lambda c: (abs((c - pub).days), c > pub))


def _h_iso(m: re.Match[str], text: str, pub: date | None) -> _Result | None:
    d = _mkdate(int(m["y"]), int(m["m"]), int(m["d"]))
    return (*_day(d), False) if d else None


def _h_slash(m: re.Match[str], text: str, pub: date | None) -> _Result | None:
    a, b = int(m["a"]), int(m["b"])
    day, mon = (a, b) if a > 12 else (b, a)
    d = _mkdate(int(m["y"]), mon, day)
    return (*_day(d), False) if d else None


def _h_daymonth(m: re.Match[str], text: str, pub: date | None) -> _Result | None:
    mon, day = _MONTH_NUM[m["mon"][:3].lower()], int(m["d"])
    if m["y"]:
        d = _mkdate(int(m["y"]), mon, day)
        return (*_day(d), False) if d else None
    if pub is None:
        return None
    cands = [c for y in (pub.year - 1, pub.year, pub.year + 1) if (c := _mkdate(y, mon, day))]
    if m["wd"]:
        wd = _WEEKDAYS.index(m["wd"].lower())
        cands = [c for c in cands if c.weekday() == wd] or cands
    best = _nearest(cands, pub, text, m.start("x"))
    return (*_day(best), True) if best else None


def _h_monthyear(m: re.Match[str], text: str, pub: date | None) -> _Result | None:
    return (*_month(int(m["y"]), _MONTH_NUM[m["mon"][:3].lower()]), False)


def _h_month(m: re.Match[str], text: str, pub: date | None) -> _Result | None:
    name, mod, ctx = m["mon"], (m["mod"] or "").lower(), (m["ctx"] or "").lower()
    if not mod and name in ("May", "March") and ctx not in _STRONG | {"from", "before", "after"}:
        return None  # Theresa May, "March" as a verb
    if not mod and not ctx and re.match(r"\s+[A-Z]", text[m.end("x"):]):
        return None  # April Ryan, June Carter
    if pub is None:
        return None
    diffs = [(y - pub.year) * 12 + _MONTH_NUM[name[:3].lower()] - pub.month
             for y in (pub.year - 1, pub.year, pub.year + 1)]
    if mod == "last":
        k = max(x for x in diffs if x < 0)
    elif mod == "next":
        k = min(x for x in diffs if x > 0)
    elif mod == "this":
        k = diffs[1]
    else:
        k = min(x for x in diffs if x >= 0) if _future(text, m.start("x")) else min(
            diffs, key=lambda x: (abs(x), x > 0))
    return (*_month(pub.year, pub.month, k), True)


_HOLIDAY = r"\b(?:Bloody|Black|Good|Super|Ash|Holy|Easter|Palm|Maundy|Cyber)\s+$"


def _h_weekday(m: re.Match[str], text: str, pub: date | None) -> _Result | None:
    if pub is None or (not m["mod"] and re.search(_HOLIDAY, _before(text, m.start("x")))):
        return None
    wd = _WEEKDAYS.index(m["wd"].lower())
    mod = " ".join((m["mod"] or "").lower().split())
    back, fwd = (pub.weekday() - wd) % 7, (wd - pub.weekday()) % 7
    if mod in ("last", "past", "this past"):
        delta = -(back or 7)
    elif mod in ("next", "coming"):
        delta = fwd or 7
    else:
        delta = fwd if _future(text, m.start("x")) else -back
    return (*_day(pub + timedelta(days=delta)), True)


_DAY_WORDS = {"today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0,
              "this evening": 0, "yesterday": -1, "last night": -1, "tomorrow": 1,
              "the day before yesterday": -2, "the day after tomorrow": 2}


def _h_dayword(m: re.Match[str], text: str, pub: date | None) -> _Result | None:
    if pub is None or re.search(r"USA\s+$", _before(text, m.start("x"))):
        return None  # USA Today is a newspaper
    return (*_day(pub + timedelta(days=_DAY_WORDS[" ".join(m["x"].lower().split())])), True)


def _h_period(m: re.Match[str], text: str, pub: date | None) -> _Result | None:
    mod, unit = m["mod"].lower().split()[-1], m["unit"].lower()
    if pub is None or (m["the"] and unit != "weekend"):
        return None  # "the last month", "in the next year": durations, not dates
    step = {"this": 0, "last": -1, "past": -1, "next": 1}[mod]
    if unit == "week":
        return (*_week(pub + timedelta(weeks=step)), True)
    if unit == "weekend":
        sat = pub + timedelta(days=5 - pub.weekday())
        if step == 1 and pub.weekday() < 5:
            step = 0  # on a weekday, "next weekend" is the coming one
        return (*_week(sat + timedelta(weeks=step)), True)
    if unit == "month":
        return (*_month(pub.year, pub.month, step), True)
    return (*_year(pub.year + step), True)


def _h_ago(m: re.Match[str], text: str, pub: date | None) -> _Result | None:
    if pub is None:
        return None
    n = int(m["n"]) if m["n"].isdigit() else _NUMBERS[m["n"].lower()]
    unit = m["unit"].lower().rstrip("s")
    if unit in ("year", "decade") and pub.year - n * (10 if unit == "decade" else 1) < 1:
        return None
    if unit == "day":
        res = _day(pub - timedelta(days=n))
    elif unit == "week":
        res = _week(pub - timedelta(weeks=n))
    elif unit == "month":
        res = _month(pub.year, pub.month, -n)
    elif unit == "year":
        res = _year(pub.year - n)
    else:
        res = _decade(pub.year - 10 * n)
    return (*res, True)


def _h_decade(m: re.Match[str], text: str, pub: date | None) -> _Result | None:
    if m["y"]:
        return (*_decade(int(m["y"])), False)
    yy = int(m["yy"])
    return (*_decade(yy + (2000 if yy <= 30 else 1900)), False)


def _year_context(text: str, start: int, end: int, depth: int = 0) -> bool:
    base = max(0, start - 60)
    before, after = text[base:start], text[end : end + 60]
    if before.endswith("(") and after.startswith(")"):
        return True
    rng = re.search(rf"(?<![\d\w])({_YEAR})(?:\s*[-–]\s*|\s+(?:to|and|through|or|until)\s+)$",
                    before)
    if rng and depth < 3 and _year_context(text, base + rng.start(1), base + rng.end(1), depth + 1):
        return True
    prev = re.search(r"(?<![\w-])([A-Za-z]+)\.?\s+$", before)
    word = prev.group(1).lower() if prev else ""
    if word in _STRONG:
        return True
    if word not in _WEAK:
        return False
    nxt = re.match(r"\s+([A-Za-z]+)\b", after)
    noun = nxt.group(1) if nxt else ""
    plural = noun.islower() and noun.endswith("s") and not noun.endswith("ss")
    return not ((plural and noun not in _EVENT_PLURALS) or noun.lower() in _QUANTITY_WORDS)


def _h_year(m: re.Match[str], text: str, pub: date | None) -> _Result | None:
    if m["q"] or _year_context(text, m.start("y"), m.end("y")):
        return (*_year(int(m["y"])), False)
    return None


_NOT_BEFORE = r"(?<![\w$€£¥.,:/])(?<![A-Za-z]-)"
_PATTERNS: list[tuple[str, _Handler]] = [
    (r"(?<![\w-])(?P<x>(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2}))(?![\w-])", _h_iso),
    (r"(?<![\w/.])(?P<x>(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}))(?![\w/])", _h_slash),
    (rf"(?P<x>{_WD_PREFIX}(?P<mon>{_MON})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?"
     rf"(?:,?\s+(?P<y>{_YEAR}))?)(?![\w:])", _h_daymonth),
    (rf"(?P<x>{_WD_PREFIX}(?<![\w,.:/])(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?"
     rf"(?P<mon>{_MON})(?:,?\s+(?P<y>{_YEAR}))?)(?!\w)", _h_daymonth),
    (rf"(?P<x>{_EARLY}?(?P<mon>{_MON}),?\s+(?P<y>{_YEAR}))(?![\w:])", _h_monthyear),
    (r"(?:(?<!\w)(?P<ctx>(?i:in|on|since|by|until|till|from|during|of|before|after|through"
     r"|throughout|between|and|or))\s+)?(?P<x>(?:(?P<mod>(?i:last|this|next|early|mid|late))"
     rf"[-\s]+)?(?P<mon>{_MON_FULL}))(?!\w|\s+\d{{1,2}}(?:st|nd|rd|th)?\b)", _h_month),
    (r"(?<!\w)(?P<x>(?:(?P<mod>(?i:this\s+past|last|past|this|next|coming))\s+)?"
     rf"(?P<wd>{_WD})(?:\s+(?i:night|morning|afternoon|evening))?)(?!\w)", _h_weekday),
    (r"(?<!\w)(?P<x>(?i:the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|today"
     r"|tonight|yesterday|tomorrow|this\s+(?:morning|afternoon|evening)|last\s+night))(?!\w)",
     _h_dayword),
    (r"(?:(?<!\w)(?P<the>(?i:the))\s+)?(?<!\w)(?P<x>(?P<mod>(?i:earlier\s+this|later\s+this"
     r"|this\s+past|past|this|last|next))\s+(?P<unit>(?i:weekend|week|month|year)))(?!\w)",
     _h_period),
    (r"(?<![\w.,])(?P<x>(?P<n>\d{1,3}|(?i:an?|one|two|three|four|five|six|seven|eight|nine|ten"
     r"|eleven|twelve))\s+(?P<unit>(?i:days?|weeks?|months?|years?|decades?))\s+(?i:ago))(?!\w)",
     _h_ago),
    (rf"(?P<x>(?:{_EARLY}|{_NOT_BEFORE})(?:(?P<y>1[5-9]\d0|20\d0)|'(?P<yy>\d0))s)(?!\w)",
     _h_decade),
    (rf"(?P<x>(?:{_EARLY}|{_NOT_BEFORE})(?P<y>{_YEAR}))(?![\w%]|[.,]\d|-\d{{1,2}}(?!\d)|/\d"
     r"|\s*(?i:percent|per\s*cent|GMT|UTC|hrs|hours|[ap]\.?m\.?(?!\w)))", _h_year),
]
_COMPILED = [(re.compile(p), h) for p, h in _PATTERNS]


def find_dates(text: str, published: date | None) -> list[DateRef]:
    """All date expressions in ``text``, resolved against ``published``, sorted by start."""
    cands: list[DateRef] = []
    for rx, handler in _COMPILED:
        for m in rx.finditer(text):
            res = handler(m, text, published)
            if res is None:
                continue
            value, precision, last, relative = res
            s, e = m.span("x")
            hist = published is not None and (published - last).days > 365
            cands.append(DateRef(s, e, text[s:e], value, precision, hist, relative))
    chosen: list[DateRef] = []  # kept sorted by start; longest candidates claim text first
    starts: list[int] = []
    for ref in sorted(cands, key=lambda r: (r.start - r.end, r.start)):
        i = bisect.bisect_left(starts, ref.start)
        if (i == 0 or chosen[i - 1].end <= ref.start) and (
            i == len(chosen) or ref.end <= chosen[i].start
        ):
            chosen.insert(i, ref)
            starts.insert(i, ref.start)
    return chosen
