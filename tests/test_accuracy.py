"""Accuracy gate: the figures measured on the development gold sets may only rise.

The floors are the figures recorded in docs/accuracy.md (default settings, event scope
"main"), rounded down; raise them when the coder improves, never lower them. The issue's
targets are higher still (type recall 0.80, dyad+type 0.65, precision 0.75, relevance F1
0.80); docs/accuracy.md says how far off each one is.
"""

from __future__ import annotations

import pytest

from cordiale.evaluate import score_file

pytestmark = [pytest.mark.model, pytest.mark.shared]

ACTOR_FLOORS = {
    "plover_gsr.dev.jsonl": 0.96,
    "petrarch2_validation.dev.jsonl": 0.94,
}
EVENT_FLOORS = {
    # plover_gsr precision was lowered once (0.76 → 0.74) when the PETRARCH-2 dictionaries
    # came in, and is back above the old floor since (docs/accuracy.md, both halves).
    # Actors no dictionary knows (issue 8, second session) traded one plover_gsr event and two
    # confli_news events (precision 0.77 → 0.76, 0.43 → 0.41, relevance 0.82 → 0.81) for
    # plv_news, the real news closest to what users feed in (type 0.710 → 0.724 and up on
    # both halves); docs/accuracy.md has the halves
    "plover_gsr.dev.jsonl": {"type_recall": 0.84, "dyad_type_recall": 0.74,
                             "event_precision": 0.77, "relevance_f1": 0.97},
    "cameo_examples.dev.jsonl": {"type_recall": 0.86, "event_precision": 0.88,
                                 "relevance_f1": 0.97},
    "confli_news.dev.jsonl": {"relevance_f1": 0.83, "event_precision": 0.42},
    "petrarch2_validation.dev.jsonl": {"type_recall": 0.57, "dyad_type_recall": 0.51,
                                       "event_precision": 0.51, "relevance_f1": 0.88},
    "plv_news.dev.jsonl": {"type_recall": 0.72, "span_dyad_type_recall": 0.53,
                           "event_precision": 0.78, "relevance_f1": 0.94},
}


@pytest.fixture(scope="module")
def scores(shared):
    out = {}
    for name in sorted(set(ACTOR_FLOORS) | set(EVENT_FLOORS)):
        path = shared / "eval" / name
        if path.exists():
            out[name] = score_file(path)
    if not out:
        pytest.skip("no gold files in ../shared/eval")
    return out


@pytest.mark.parametrize("name", sorted(ACTOR_FLOORS))
def test_actor_country_recall_floor(scores, name):
    if name not in scores:
        pytest.skip(f"{name} is absent")
    actors = scores[name].actors
    assert actors.gold_sides > 50
    assert actors.recall >= ACTOR_FLOORS[name], actors.misses[:20]


@pytest.mark.parametrize("name", sorted(EVENT_FLOORS))
def test_event_metric_floors(scores, name):
    if name not in scores:
        pytest.skip(f"{name} is absent")
    got = scores[name].events.row()
    for metric, floor in EVENT_FLOORS[name].items():
        assert got[metric] is not None and got[metric] >= floor, (metric, got)
