"""Date expressions resolved against the publication date (cordiale.events.dates)."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import pytest

from cordiale.events.dates import DateRef, find_dates

WED = date(2021, 11, 24)  # a Wednesday, ISO week 2021-W47
MON_JAN = date(2022, 1, 3)  # a Monday, ISO week 2022-W01
SUN_JAN = date(2022, 1, 2)  # a Sunday, still ISO week 2021-W52


def vals(text: str, pub: date | None = WED) -> list[tuple[str, str, str]]:
    return [(r.text, r.value, r.precision) for r in find_dates(text, pub)]


def one(text: str, pub: date | None = WED) -> DateRef:
    refs = find_dates(text, pub)
    assert len(refs) == 1, refs
    return refs[0]


# (sentence, publication date, expected (text, value, precision) triples)
CASES: list[tuple[str, date | None, list[tuple[str, str, str]]]] = [
    # weekdays: most recent on or before publication
    ("Militants shelled the town on Tuesday.", WED, [("Tuesday", "2021-11-23", "day")]),
    ("Talks broke down on Tuesday night.", WED, [("Tuesday night", "2021-11-23", "day")]),
    ("Tuesday morning brought fresh strikes.", WED, [("Tuesday morning", "2021-11-23", "day")]),
    ("The envoy left on Wednesday.", WED, [("Wednesday", "2021-11-24", "day")]),
    ("Rebels seized the airport on Thursday.", WED, [("Thursday", "2021-11-18", "day")]),
    ("The ministry replied last Tuesday.", WED, [("last Tuesday", "2021-11-23", "day")]),
    ("Troops pulled back last Wednesday.", WED, [("last Wednesday", "2021-11-17", "day")]),
    ("Voters queued this Monday.", WED, [("this Monday", "2021-11-22", "day")]),
    ("Ministers meet next Tuesday.", WED, [("next Tuesday", "2021-11-30", "day")]),
    ("The summit opens next Wednesday.", WED, [("next Wednesday", "2021-12-01", "day")]),
    ("The council will vote on Friday.", WED, [("Friday", "2021-11-26", "day")]),
    ("The council, which will vote soon, said on Friday it was ready.", WED,
     [("Friday", "2021-11-19", "day")]),
    ("Police fired tear gas on Friday.", MON_JAN, [("Friday", "2021-12-31", "day")]),
    # deictic days
    ("The port reopened today.", WED, [("today", "2021-11-24", "day")]),
    ("Crowds gathered this morning and again tonight.", WED,
     [("this morning", "2021-11-24", "day"), ("tonight", "2021-11-24", "day")]),
    ("The border closed yesterday.", WED, [("yesterday", "2021-11-23", "day")]),
    ("Envoys arrive tomorrow.", WED, [("tomorrow", "2021-11-25", "day")]),
    ("The cable was cut the day before yesterday.", WED,
     [("the day before yesterday", "2021-11-22", "day")]),
    ("Sirens sounded last night.", WED, [("last night", "2021-11-23", "day")]),
    ("USA Today reported the raid.", WED, []),
    # weeks, weekends, months, years relative to publication
    ("Shipping resumed this week.", WED, [("this week", "2021-W47", "week")]),
    ("Exports fell last week.", WED, [("last week", "2021-W46", "week")]),
    ("The vote is next week.", WED, [("next week", "2021-W48", "week")]),
    ("Exports fell last week.", MON_JAN, [("last week", "2021-W52", "week")]),
    ("Exports fell this week.", SUN_JAN, [("this week", "2021-W52", "week")]),
    ("Clashes erupted last weekend.", WED, [("last weekend", "2021-W46", "week")]),
    ("Clashes erupted over the past weekend.", WED, [("past weekend", "2021-W46", "week")]),
    ("Marchers recalled Bloody Sunday and Super Tuesday.", WED, []),
    ("Output fell over the past week.", WED, []),
    ("Rallies are planned next weekend.", WED, [("next weekend", "2021-W47", "week")]),
    ("Rallies are planned next weekend.", SUN_JAN, [("next weekend", "2022-W01", "week")]),
    ("Prices rose last month.", WED, [("last month", "2021-10", "month")]),
    ("Prices rose last month.", MON_JAN, [("last month", "2021-12", "month")]),
    ("Aid arrives next month.", WED, [("next month", "2021-12", "month")]),
    ("The deal collapsed earlier this month.", WED, [("earlier this month", "2021-11", "month")]),
    ("A census follows later this year.", WED, [("later this year", "2021", "year")]),
    ("Inflation peaked last year.", WED, [("last year", "2020", "year")]),
    ("Elections are due next year.", MON_JAN, [("next year", "2023", "year")]),
    # vague durations: no date
    ("Pilots flew 30 such missions in the last month alone.", WED, []),
    ("Fighting has intensified in recent days and, recently, at night.", WED, []),
    ("Output will double over the next year.", WED, []),
    # N units ago
    ("The ceasefire began two weeks ago.", WED, [("two weeks ago", "2021-W45", "week")]),
    ("The mine exploded 3 days ago.", WED, [("3 days ago", "2021-11-21", "day")]),
    ("A year ago the pact was signed.", WED, [("A year ago", "2020", "year")]),
    ("Six months ago the talks stalled.", WED, [("Six months ago", "2021-05", "month")]),
    ("The dam was built three decades ago.", WED, [("three decades ago", "1990s", "decade")]),
    ("It happened a few days ago.", WED, []),
    # explicit day-month(-year)
    ("Talks resumed on November 23.", WED, [("November 23", "2021-11-23", "day")]),
    ("Talks resumed on 23 November.", WED, [("23 November", "2021-11-23", "day")]),
    ("Talks resumed on Nov. 23.", WED, [("Nov. 23", "2021-11-23", "day")]),
    ("Talks resumed on 23 Nov and 22nd of July.", WED,
     [("23 Nov", "2021-11-23", "day"), ("22nd of July", "2021-07-22", "day")]),
    ("The accord was initialled on 22 July.", WED, [("22 July", "2021-07-22", "day")]),
    ("The envoy arrived on Tuesday, November 23, 2021, in Kyiv.", WED,
     [("Tuesday, November 23, 2021", "2021-11-23", "day")]),
    ("Signed on 23 November 2019 in Paris.", WED, [("23 November 2019", "2019-11-23", "day")]),
    ("Logged as 2021-11-23 in the file.", None, [("2021-11-23", "2021-11-23", "day")]),
    ("Dated 23/11/2021.", WED, [("23/11/2021", "2021-11-23", "day")]),
    ("Dated 11/23/2021.", WED, [("11/23/2021", "2021-11-23", "day")]),
    ("Dated 05/06/2021 (month first).", WED, [("05/06/2021", "2021-05-06", "day")]),
    ("Observers return January 5.", date(2021, 12, 28), [("January 5", "2022-01-05", "day")]),
    ("The strike began December 20.", date(2022, 1, 3), [("December 20", "2021-12-20", "day")]),
    ("Leaders will meet on December 1.", WED, [("December 1", "2021-12-01", "day")]),
    ("The blast on Friday, December 31 shook the city.", MON_JAN,
     [("Friday, December 31", "2021-12-31", "day")]),
    # months
    ("Prices spiked in November.", WED, [("November", "2021-11", "month")]),
    ("Prices spiked in December.", date(2022, 1, 10), [("December", "2021-12", "month")]),
    ("Prices spiked in May.", WED, [("May", "2021-05", "month")]),
    ("Theresa May said the plan would hold.", WED, []),
    ("Voters rejected it last November.", WED, [("last November", "2020-11", "month")]),
    ("The mission ends next March.", WED, [("next March", "2022-03", "month")]),
    ("Fighting flared in mid-October and late September.", WED,
     [("mid-October", "2021-10", "month"), ("late September", "2021-09", "month")]),
    ("The mandate lapsed in November 2019.", WED, [("November 2019", "2019-11", "month")]),
    ("The mandate lapsed in early Feb. 2020.", WED, [("early Feb. 2020", "2020-02", "month")]),
    # years and decades
    ("The base was expanded in 2016.", WED, [("2016", "2016", "year")]),
    ("The border treaty signed in 1904 still holds.", WED, [("1904", "1904", "year")]),
    ("Sanctions were imposed in early 2020.", WED, [("early 2020", "2020", "year")]),
    ("Fighting has raged since 2011.", WED, [("2011", "2011", "year")]),
    ("The 2003 invasion reshaped the region.", WED, [("2003", "2003", "year")]),
    ("The inquiry (2003) was never published.", WED, [("2003", "2003", "year")]),
    ("He served from 2011 to 2015.", WED, [("2011", "2011", "year"), ("2015", "2015", "year")]),
    ("Net zero is promised by 2050.", WED, [("2050", "2050", "year")]),
    ("The 2020 elections were contested.", WED, [("2020", "2020", "year")]),
    ("Militias ruled the region in the 1990s.", WED, [("1990s", "1990s", "decade")]),
    ("A relic of the '80s and a 2020s-era missile.", WED,
     [("'80s", "1980s", "decade"), ("2020s", "2020s", "decade")]),
    # not dates
    ("The air force has 10 strategic bombers.", WED, []),
    ("Moscow delivered S-400s and F-35 parts.", WED, []),
    ("Some 2,000 troops and 1904 soldiers were deployed.", WED, []),
    ("The bill passed by 2000 votes.", WED, []),
    ("The raid began at 10:30 and ended at 2100 GMT.", WED, []),
    ("The fine was $2019 and 2019% of nothing.", WED, []),
]


@pytest.mark.parametrize(("text", "pub", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_cases(text: str, pub: date | None, expected: list[tuple[str, str, str]]) -> None:
    assert vals(text, pub) == expected


def test_offsets_match_text() -> None:
    text = "On Tuesday, Nov. 23, envoys met; in 1904 a treaty was signed."
    for ref in find_dates(text, WED):
        assert text[ref.start:ref.end] == ref.text


@pytest.mark.parametrize(
    ("text", "historical"),
    [
        ("signed in 1904", True),
        ("expanded in 2016", True),
        ("imposed in 2019", True),
        # historical = the expression's last day is more than 365 days before publication;
        # 2020 ends 2020-12-31, 328 days before 2021-11-24: still news, not history
        ("imposed in early 2020", False),
        ("lapsed in November 2020", False),  # ends 2020-11-30, 359 days before
        ("lapsed in October 2020", True),  # ends 2020-10-31, 389 days before
        ("on 24 November 2020", False),  # exactly 365 days before: not *more* than 365
        ("on 23 November 2020", True),  # 366 days before
        ("a year ago", False),
        ("two years ago", True),
        ("on Tuesday", False),
        ("by 2050", False),
        ("in the 1990s", True),
        ("in the 2010s", True),  # ends 2019-12-31
        ("in the 2020s", False),
    ],
)
def test_historical_flag(text: str, historical: bool) -> None:
    assert one(text).historical is historical


def test_relative_flag() -> None:
    refs = find_dates("On Tuesday, after talks on 23 November 2021 and in 2016.", WED)
    assert [(r.text, r.relative) for r in refs] == [
        ("Tuesday", True), ("23 November 2021", False), ("2016", False)]


def test_published_none_keeps_only_absolute_dates() -> None:
    text = ("On Tuesday, last month, in November and on 23 Nov, the accord of 23 November 2019 "
            "(revised in 2016, and in the 1990s, and 11/23/2021) was cited yesterday.")
    assert vals(text, None) == [
        ("23 November 2019", "2019-11-23", "day"),
        ("2016", "2016", "year"),
        ("1990s", "1990s", "decade"),
        ("11/23/2021", "2021-11-23", "day"),
    ]
    assert not any(r.historical or r.relative for r in find_dates(text, None))


def test_sorted_and_non_overlapping() -> None:
    text = "Yesterday, Tuesday, November 23, 2021, and in 2016 and last week."
    refs = find_dates(text, WED)
    assert [r.text for r in refs] == [
        "Yesterday", "Tuesday, November 23, 2021", "2016", "last week"]
    assert all(a.end <= b.start for a, b in pairwise(refs))


def test_invalid_dates_are_dropped() -> None:
    assert vals("Dated 31/02/2021 and 2021-13-01 and February 30.") == []
