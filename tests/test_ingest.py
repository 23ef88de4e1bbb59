"""The ingest pipeline through its Python API: counts, near-duplicates, idempotent re-runs."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cordiale.config import Settings
from cordiale.pipeline import ingest
from cordiale.records import content_hash
from cordiale.store import Store
from cordiale.text import dedup

pytestmark = pytest.mark.model

SETTINGS = Settings()  # defaults only: no cordiale.toml or CORDIALE_* from the caller

# A long story (about 170 words) and a wire copy of it with one sentence reworded.
LONG_STORY = (
    "The foreign ministers of Chile and Argentina met in Santiago on Monday to review a "
    "treaty on the shared glaciers of the southern Andes. Officials from both governments "
    "said the talks were calm and practical, and that the two delegations had brought maps "
    "drawn up by their own survey offices over the past two years. The Chilean minister told "
    "reporters that the treaty would protect fresh water for farming towns on both sides of "
    "the mountains. Her Argentine counterpart said that scientists from the two countries "
    "would share data from weather stations placed high on the ice fields. Environmental "
    "groups welcomed the meeting but asked for the full text of the agreement to be "
    "published before it goes to the two national parliaments for approval. A second round "
    "of talks is planned for Buenos Aires in the spring, when the survey teams are expected "
    "to present a joint report on how fast the glaciers are shrinking. Local mayors in the "
    "border valleys said they hoped the agreement would also improve the mountain roads."
)
CHANGED_FROM = "A second round of talks is planned for Buenos Aires in the spring"
CHANGED_TO = "Another meeting will take place in Buenos Aires next spring"
NEAR_COPY = LONG_STORY.replace(CHANGED_FROM, CHANGED_TO)

OTHER_STORIES = [
    "Kenya's president opened a new rail terminal in Mombasa on Friday. Officials said "
    "the line would cut the time needed to move containers inland by half.",
    "The Indian navy held a joint exercise with French warships in the Arabian Sea this week, "
    "according to a statement from the defence ministry in New Delhi.",
    "Protesters gathered outside the parliament in Lima on Thursday to demand early "
    "elections, and police closed several streets near the main square.",
]


@pytest.fixture
def corpus(write_jsonl) -> Path:
    records = [{"id": "glacier", "text": LONG_STORY, "published": "2021-11-22",
                "title": "Andes glacier treaty talks"}]
    records += [{"id": f"story-{i}", "text": t, "published": "2021-11-23"}
                for i, t in enumerate(OTHER_STORIES)]
    records.append({"id": "glacier-wire", "text": NEAR_COPY, "published": "2021-11-24"})
    return write_jsonl(records)


def _counts(db: Path) -> dict[str, int]:
    with Store(db, read_only=True) as store:
        return store.counts()


def test_near_copy_is_similar_enough() -> None:
    # precondition of the fixture, so a failure below is not a fixture problem
    assert CHANGED_FROM in LONG_STORY and NEAR_COPY != LONG_STORY
    sim = dedup.similarity(dedup.signature(LONG_STORY), dedup.signature(NEAR_COPY))
    assert sim > 0.85
    assert len(LONG_STORY.split()) >= 150


def test_ingest_counts_duplicates_and_rerun(corpus: Path, db_path: Path) -> None:
    summary = ingest([corpus], db=str(db_path), settings=SETTINGS, progress=False)
    assert (summary.new, summary.present, summary.duplicates, summary.failed) == (5, 0, 1, 0)
    assert summary.failures == []
    assert summary.sentences > 0 and summary.words > 200
    assert summary.line().startswith("documents: 5 new, 0 already present, 1 near-duplicates, "
                                     "0 failed;")

    with Store(db_path, read_only=True) as store:
        _, rows = store.query("SELECT doc_id, cluster_id, published FROM documents ORDER BY doc_id")
        clusters = {doc_id: cluster for doc_id, cluster, _ in rows}
        assert set(clusters) == {"glacier", "glacier-wire", "story-0", "story-1", "story-2"}
        assert clusters["glacier-wire"] == "glacier"
        assert all(clusters[d] == d for d in clusters if d != "glacier-wire")
        _, links = store.query("SELECT doc_id, cluster_id, similarity FROM duplicate_links")
        assert [(d, c) for d, c, _ in links] == [("glacier-wire", "glacier")]
        assert links[0][2] >= SETTINGS.near_duplicate_threshold
        # each stored document has its sentences, each sentence's offsets slice the text
        _, bad = store.query(
            "SELECT s.doc_id, s.sentence_index FROM sentences s JOIN documents d USING (doc_id) "
            "WHERE substr(d.text, s.char_start + 1, s.char_end - s.char_start) <> s.text")
        assert bad == []
        counts = store.counts()
    assert counts["documents"] == 5
    assert counts["sentences"] == summary.sentences

    again = ingest([corpus], db=str(db_path), settings=SETTINGS, progress=False)
    assert (again.new, again.present, again.duplicates, again.failed) == (0, 5, 0, 0)
    assert again.sentences == 0
    assert _counts(db_path) == counts


def test_near_duplicate_found_in_a_later_run(write_jsonl, db_path: Path) -> None:
    # the original is stored in one run; the copy arrives later and is linked through the
    # stored signatures (not an in-memory index)
    first = write_jsonl([{"id": "orig", "text": LONG_STORY}], name="first.jsonl")
    second = write_jsonl([{"id": "copy", "text": NEAR_COPY},
                          {"id": "other", "text": OTHER_STORIES[0]}], name="second.jsonl")
    assert ingest([first], db=str(db_path), settings=SETTINGS, progress=False).new == 1
    summary = ingest([second], db=str(db_path), settings=SETTINGS, progress=False)
    assert (summary.new, summary.duplicates) == (2, 1)
    with Store(db_path, read_only=True) as store:
        assert store.cluster_of("copy") == "orig"
        assert store.cluster_of("other") == "other"


def test_bad_inputs_mixed_with_good(tmp_path: Path, write_jsonl, db_path: Path) -> None:
    good_txt = tmp_path / "kenya.txt"
    good_txt.write_text("Rail terminal opens\n\n" + OTHER_STORIES[0], encoding="utf-8")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    lines = write_jsonl([
        {"id": "navy", "text": OTHER_STORIES[1]},
        '{"id": "broken", "text": ',
        {"id": "lima", "text": OTHER_STORIES[2]},
    ], name="wire.jsonl")
    missing = tmp_path / "not-there.jsonl"

    seen = []
    summary = ingest([good_txt, binary, lines, missing], db=str(db_path), settings=SETTINGS,
                     progress=False, on_failure=seen.append)
    assert summary.new == 3
    assert summary.failed == 3
    assert len(seen) == 3 and seen == summary.failures
    assert {(f.origin, f.line) for f in seen} == {
        (str(binary), None), (str(lines), 2), (str(missing), None)}

    with Store(db_path, read_only=True) as store:
        _, docs = store.query("SELECT doc_id FROM documents ORDER BY doc_id")
        assert len(docs) == 3
        assert {"navy", "lima"} <= {d for (d,) in docs}
        columns, errors = store.errors()
    recorded = {(r[0], r[1]): dict(zip(columns, r, strict=True)) for r in errors}
    assert set(recorded) == {(str(binary), None), (str(lines), 2), (str(missing), None)}
    assert "binary file" in recorded[(str(binary), None)]["reason"]
    assert "not JSON" in recorded[(str(lines), 2)]["reason"]
    assert "no such file" in recorded[(str(missing), None)]["reason"]
    assert all(r["times"] == 1 for r in recorded.values())

    # the same failures on a re-run are counted, not duplicated; a new id clash is a failure
    clash = write_jsonl([{"id": "navy", "text": "A different report under a reused id."}],
                        name="clash.jsonl")
    again = ingest([good_txt, binary, lines, missing, clash], db=str(db_path),
                   settings=SETTINGS, progress=False)
    assert (again.new, again.present, again.failed) == (0, 3, 4)
    conflict = [f for f in again.failures if f.kind == "conflict"]
    assert len(conflict) == 1 and "navy" in conflict[0].reason
    with Store(db_path, read_only=True) as store:
        columns, errors = store.errors()
        assert store.counts()["documents"] == 3
    times = {(r[0], r[1]): r[-1] for r in errors}
    assert times[(str(binary), None)] == 2
    assert times[(str(lines), 2)] == 2
    assert times[(f"{clash}:1", None)] == 1


def test_failures_recorded_even_when_nothing_is_new(tmp_path: Path, db_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    summary = ingest([empty], db=str(db_path), settings=SETTINGS, progress=False)
    assert (summary.new, summary.failed) == (0, 1)
    with Store(db_path, read_only=True) as store:
        _, errors = store.errors()
    assert [(r[0], r[3]) for r in errors] == [(str(empty), "empty file")]


# -- property: re-ingesting is idempotent ----------------------------------------------------

POOL = [
    "The mayor of Lyon opened a new tram line on Monday.",
    "Farmers in Punjab said the late rains had damaged the wheat harvest.",
    "A ferry carrying two hundred passengers reached Piraeus safely after the storm.",
    "Brazil's central bank kept interest rates unchanged for a third month.",
    "Rescue teams searched the collapsed mine near Zonguldak through the night.",
    "The Estonian defence minister visited troops stationed near the eastern border.",
    "Students in Dhaka marched to demand safer roads after a bus crash.",
    "the mayor of lyon  opened a new tram line on monday.",  # same hash as the first
    "Officials in Nairobi announced a plan to plant a million trees.",
]


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data(),
       picks=st.lists(st.sampled_from(POOL), min_size=1, max_size=10))
def test_reingest_is_idempotent(data, picks: list[str]) -> None:
    second_order = data.draw(st.permutations(picks), label="second order")
    distinct = {content_hash(t) for t in picks}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        db = str(root / "prop.duckdb")

        def run(texts: list[str], name: str):
            path = root / name
            path.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), "utf-8")
            return ingest([path], db=db, settings=SETTINGS, progress=False)

        first = run(picks, "first.jsonl")
        assert first.new == len(distinct)
        assert first.present == len(picks) - len(distinct)
        assert first.failed == 0
        counts = _counts(Path(db))
        assert counts["documents"] == len(distinct)

        second = run(list(second_order), "second.jsonl")
        assert second.new == 0
        assert second.present == len(picks)
        assert _counts(Path(db)) == counts
        with Store(db, read_only=True) as store:
            _, rows = store.query("SELECT content_hash FROM documents")
        assert {h for (h,) in rows} == distinct


def test_text_over_max_doc_chars_is_a_failure(write_jsonl, db_path: Path) -> None:
    path = write_jsonl([{"id": "short-1", "text": OTHER_STORIES[0]},
                        {"id": "long", "text": LONG_STORY},
                        {"id": "short-2", "text": OTHER_STORIES[1]}])
    small = SETTINGS.with_(max_doc_chars=400)
    summary = ingest([path], db=str(db_path), settings=small, progress=False)
    assert (summary.new, summary.failed) == (2, 1)
    [failure] = summary.failures
    # refused by the reader, before the text is normalised and hashed, with its line
    assert failure.kind == "input"
    assert (failure.origin, failure.line) == (str(path), 2)
    assert "over the 400 limit" in failure.reason
    with Store(db_path, read_only=True) as store:
        _, docs = store.query("SELECT doc_id FROM documents ORDER BY doc_id")
        _, errors = store.query("SELECT origin, line, kind FROM errors")
    assert [d for (d,) in docs] == ["short-1", "short-2"]
    assert errors == [(str(path), 2, "input")]
