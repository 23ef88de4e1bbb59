"""Lines of a news page that are not news: bylines, photo captions and credits, sign-up and
sharing prompts, sourcing and copyright lines, and the headings inside an article. Their
sentences yield no events.

The test is on the sentence's own text, by the forms such lines take on news sites (a credit
before a ``|``, a "FILE -" or "Photo:" lead, a call to subscribe), never by what a particular
page says. A sentence that only *starts* with a dateline ("KABUL (Reuters) - Taliban fighters
...") is news and is kept: the dateline is not the sentence.
"""

from __future__ import annotations

import re

#: "Name Surname, Agency | caption ...", "AFP / Getty Images | ...": a credit before a bar.
_CREDIT_BAR = re.compile(r"^\s*(?:[A-Z][\w.'’-]*\.?\s*(?:[,/&]|and)?\s*){1,7}\|")
#: Leads that mark a caption or a picture credit.
_CAPTION_LEAD = re.compile(
    r"^\s*(?:FILE(?: PHOTO)?\s*[-–—:]|\(?(?:photo|image|picture|video|caption|credit|"
    r"illustration|graphic)s?\s*(?:credit)?\s*[:|]|\[(?:photo|image|video)\b)",
    re.IGNORECASE)
#: In-this-photo captions: "In this photo taken on ..., X listens ...".
_PHOTO_CAPTION = re.compile(r"\b(?:in this|this) (?:\w+ )?(?:file )?(?:photo|image|picture)\b",
                            re.IGNORECASE)
#: Calls to the reader and page furniture.
_FURNITURE = re.compile(
    r"^\s*(?:sign up|subscribe|click here|read more|read also|related:|follow us|"
    r"share this|download our|get our|newsletter|advertisement|all rights reserved|"
    r"copyright|©|\(c\) \d{4}|reporting by|writing by|editing by|additional reporting)",
    re.IGNORECASE)


def noise_kind(sentence: str) -> str | None:
    """What kind of non-news line ``sentence`` is ("byline", "caption", "furniture"), or
    None when it is news."""
    if _FURNITURE.search(sentence):
        return "furniture"
    if _CAPTION_LEAD.search(sentence) or _PHOTO_CAPTION.search(sentence):
        return "caption"
    if _CREDIT_BAR.search(sentence):
        return "byline"
    return None


#: A line that ends like a sentence, or like a quotation or a list item that is one.
_SENTENCE_END = re.compile(r"[.!?;:…)\]\"'”’]\s*$")
HEADING_MAX_WORDS = 12


def is_heading(line: str) -> bool:
    """Whether a line inside an article is a heading ("What happens next", "Tensions at
    sea"): a short line that does not end as a sentence does. A list item ("- ...", "• ...")
    is not a heading; the first line of a document, its title, is not asked about."""
    stripped = line.strip()
    if not stripped or stripped[0] in "-•*–—·" or _SENTENCE_END.search(stripped):
        return False
    return len(stripped.split()) <= HEADING_MAX_WORDS
