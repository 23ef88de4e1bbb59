"""Discards: text that is not political news (sport, entertainment, history pages).

The phrases are the Phoenix discard list (``data/phoenix_discards.csv``, built by
``tools/build_phoenix_actors.py``). A *story* phrase found anywhere in a document discards
the whole document; a *sentence* phrase discards the sentence it is in. Matching ignores case
and holds on word boundaries at both ends (a plural "s"/"es" may follow); the words of a
phrase may be separated by any whitespace. Phoenix reads phrases without a final ``_`` as
stems, but in news text stems over-reach ("champion" would find "championed", "group a" any
group that acts), so every phrase is matched as whole words.

Left out of the list, by kind rather than by phrase:

- bare years and relative times ("1990", "years ago", "weeks later"): they marked the
  background of old wire chronologies, but a news sentence that reports an event names a year
  as often as not;
- named wars and empires ("world war ii", "british empire"): political news cites them as
  background to present acts ("the first deployment since the Second World War");
- epidemics, disasters and accidents ("ebola", "typhoon", "landslide", "road accident"):
  governments act on them (aid, appeals, quarantines), which is political news;
- elections and polls ("presidential debate", "poll published"), for the same reason.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .gazetteer import read_rows

ALL = -1  # returned in the set of discarded sentences when the whole story goes


@dataclass(frozen=True)
class Discards:
    story: re.Pattern[str] | None
    sentence: re.Pattern[str] | None

    def story_phrase(self, text: str) -> str | None:
        """The story phrase ``text`` contains, if any."""
        m = self.story.search(text) if self.story else None
        return m.group(0) if m else None

    def sentence_phrase(self, text: str) -> str | None:
        m = self.sentence.search(text) if self.sentence else None
        return m.group(0) if m else None

    def discarded(self, text: str, sentence_starts: Sequence[int]) -> set[int]:
        """Indices of the sentences of ``text`` (given by their start offsets, ascending)
        whose events are discarded: every index when a story phrase occurs."""
        if self.story_phrase(text):
            return {ALL, *range(len(sentence_starts))}
        out: set[int] = set()
        if self.sentence is None or not sentence_starts:
            return out
        from bisect import bisect_right

        for m in self.sentence.finditer(text):
            out.add(max(0, bisect_right(sentence_starts, m.start()) - 1))
        return out


_TIME = re.compile(r"^\d+$|\b(ago|later)$")


_LEFT_OUT_WORDS = frozenset({
    "war", "wars", "empire",
    "ebola", "flu", "influenza", "fever", "virus", "h5n1", "polio", "cholera", "epidemic",
    "chickungunga", "bacteria", "tsunami", "typhoon", "storm", "depression", "landslide",
    "mudslide", "flood", "blizzard", "accident", "capsized", "ravine", "pollution", "dust",
    "presidential", "poll", "vote"})


def usable(phrase: str) -> bool:
    """Whether a discard phrase is used (see the module's note on what is left out)."""
    return bool(phrase.strip()) and not _TIME.search(phrase) \
        and not _LEFT_OUT_WORDS.intersection(phrase.split())


def _pattern(rows: list[dict[str, str]]) -> re.Pattern[str] | None:
    parts = []
    # longest first, so that a phrase is not cut short by a shorter one it begins with
    for row in sorted(rows, key=lambda r: -len(r["phrase"])):
        if not usable(row["phrase"]):
            continue
        parts.append(r"\s+".join(re.escape(w) for w in row["phrase"].split()))
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?:e?s)?(?!\w)", re.IGNORECASE)


def build_discards(directory: Path | None = None) -> Discards:
    rows = read_rows("phoenix_discards.csv", directory)
    return Discards(_pattern([r for r in rows if r["scope"] == "story"]),
                    _pattern([r for r in rows if r["scope"] == "sentence"]))


@lru_cache(maxsize=1)
def default_discards() -> Discards:
    return build_discards()
