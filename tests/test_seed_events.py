"""The events an analyst would list from the seed article (../shared/seed, published
2021-11-24), coded with the default settings — and nothing asserted from Putin's joke or the
1904 Entente Cordiale as a 2021 event."""

from __future__ import annotations

from datetime import date

import pytest

from cordiale.config import load_settings
from cordiale.ingest.common import Defaults, make_document
from cordiale.pipeline import process_documents
from cordiale.records import Document, ProcessedDocument

pytestmark = [pytest.mark.model, pytest.mark.shared]


@pytest.fixture(scope="module")
def coded(shared):
    path = shared / "seed" / "china-russia-entente.txt"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    doc = make_document(path.read_text("utf-8"), str(path), Defaults(date(2021, 11, 24)),
                        doc_id="seed")
    assert isinstance(doc, Document)
    [result] = list(process_documents([doc], load_settings(event_scope="main")))
    assert isinstance(result, ProcessedDocument)
    asserted = [e for e in result.events if not e.hypothetical and not e.negated]
    return doc.text, result.events, asserted


def _find(events, source, target, roots):
    return [e for e in events if e.source_country == source and e.target_country == target
            and e.cameo_root in roots]


@pytest.mark.parametrize(("what", "source", "target", "roots"), [
    ("China and Russia sign the military road map", "CHN", "RUS", {"05"}),
    ("... in both directions", "RUS", "CHN", {"05"}),
    ("shared intent to intensify exercises and patrols", "RUS", "CHN", {"03"}),
    ("the Shoigu-Wei video call", "RUS", "CHN", {"04"}),
    ("US bomber flights near Russia", "USA", "RUS", {"15"}),
    ("US bomber flights near China", "USA", "CHN", {"15"}),
    ("Russia's concern about the flights", "RUS", "USA", {"01", "11"}),
    ("Russia sells S-400s to Turkey", "RUS", "TUR", {"06", "07"}),
    ("Russia sells S-400s to India", "RUS", "IND", {"06", "07"}),
    ("Russia hosts Abbas", "RUS", "PSE", {"04"}),
    ("US displeasure at China's port projects", "USA", "CHN", {"11", "12"}),
    ("US pressure on the UAE", "USA", "ARE", {"10", "16", "17"}),
    ("the Philippines complain about China", "PHL", "CHN", {"11"}),
    ("China warns the US", "CHN", "USA", {"13"}),
    ("Russia upset at US actions near Crimea", "RUS", "USA", {"11"}),
])
def test_analyst_event_is_coded(coded, what, source, target, roots):
    _, _, asserted = coded
    assert _find(asserted, source, target, roots), what


def test_nothing_asserted_from_the_joke(coded):
    text, events, _ = coded
    start = text.index("Putin’s concept")
    end = text.index("defend his family.") + len("defend his family.")
    inside = [e for e in events if start <= e.char_start < end]
    assert all(e.hypothetical for e in inside), [(e.trigger_text, e.modality) for e in inside]


def test_entente_cordiale_is_not_a_2021_event(coded):
    _, events, _ = coded
    entente = [e for e in events if "1904" in e.sentence]
    for e in entente:
        assert e.hypothetical or (e.date or "").startswith("1904"), e


def test_events_carry_their_evidence(coded):
    text, events, _ = coded
    assert events
    for e in events:
        assert text[e.char_start:e.char_end] == e.trigger_text
        if e.source_start is not None:
            assert text[e.source_start:e.source_end] == e.source_text
        assert e.sentence and e.coder and 0 < e.confidence <= 1
    signing = _find(events, "CHN", "RUS", {"05"})[0]
    assert signing.date == "2021-11-23" and signing.date_precision == "day"
