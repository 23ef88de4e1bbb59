"""The event data files: the CAMEO/PLOVER table is complete, and every code the patterns use
exists in it."""

from __future__ import annotations

import pytest

from cordiale.actors.gazetteer import read_csv_rows
from cordiale.events.ontology import PLOVER_TYPES, load_ontology


def test_cameo_table_covers_all_twenty_roots_with_valid_fields():
    ontology = load_ontology()
    roots = {c.root for c in ontology.codes.values()}
    assert roots == {f"{i:02d}" for i in range(1, 21)}
    for c in ontology.codes.values():
        assert c.code.startswith(c.root)
        assert 1 <= c.quad_class <= 4
        assert -10 <= c.goldstein <= 10
        assert c.plover_type is None or c.plover_type in PLOVER_TYPES
    # statements have no PLOVER type; every other root maps to one
    assert all(c.plover_type for c in ontology.codes.values() if c.root != "01")


def test_quad_classes_follow_the_documented_root_mapping():
    expected = {**dict.fromkeys(range(1, 6), 1), **dict.fromkeys(range(6, 9), 2),
                **dict.fromkeys(range(9, 14), 3), **dict.fromkeys(range(14, 21), 4)}
    for c in load_ontology().codes.values():
        assert c.quad_class == expected[int(c.root)], c


@pytest.mark.parametrize(("name", "columns"), [
    ("verbs.csv", ("code",)),
    ("frames.csv", ("default_code",)),
    ("frame_codes.csv", ("code",)),
    ("nouns.csv", ("code",)),
    ("adjectives.csv", ("code", "negated_code")),
])
def test_pattern_codes_exist_in_the_ontology(name, columns):
    codes = load_ontology().codes
    rows = read_csv_rows("cordiale.events", name)
    assert rows
    bad = [(r, col) for r in rows for col in columns if r.get(col) and r[col] not in codes]
    assert not bad, bad[:5]
