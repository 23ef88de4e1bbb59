"""Accuracy gate: actor-country recall on the development gold sets may only rise.

The floors are the figures measured and recorded in docs/accuracy.md; raise them when the
resolver improves, never lower them.
"""

from __future__ import annotations

import pytest

from cordiale.evaluate import score_actors

pytestmark = [pytest.mark.model, pytest.mark.shared]

FLOORS = {
    "plover_gsr.dev.jsonl": 0.90,
    "petrarch2_validation.dev.jsonl": 0.80,
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_actor_country_recall_floor(shared, name):
    path = shared / "eval" / name
    if not path.exists():
        pytest.skip(f"{path} is absent")
    score = score_actors(path)
    assert score.gold_sides > 50
    assert score.recall >= FLOORS[name], score.misses[:20]
