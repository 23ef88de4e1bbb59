"""Hostile input: one batch holding every kind of malformed input beside good documents, the
readers' answers to each kind, and a property test that no bytes make a reader raise.

The generator is ``bench/hostile.py`` and the runner ``bench/malformed.py`` (the benchmark runs
2,000+ of these; here one of each kind, with a 1.1 MB line instead of 50 MB)."""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import os
import signal
import sys
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cordiale.ingest import READERS, read_inputs
from cordiale.ingest.common import EARLIEST, LATEST, Defaults, check_bytes
from cordiale.records import Document, Failure

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import hostile
import malformed

from nobody import SKIP_UNLESS_ROOT, as_nobody, shared_folder

TEXT = "Kenya and Chile signed a fisheries accord on Monday, officials said."


def _items(path: Path | str, **kw) -> list[Document | Failure]:
    return list(read_inputs([path], **kw))


def _only_failure(path: Path | str, **kw) -> Failure:
    items = _items(path, **kw)
    assert len(items) == 1 and isinstance(items[0], Failure), items
    return items[0]


# -- the whole batch through the real command --------------------------------------------
@pytest.mark.model
def test_every_kind_of_hostile_input_is_named_and_good_documents_are_stored(tmp_path: Path
                                                                            ) -> None:
    root = tmp_path / "inputs"
    cases = hostile.generate(root, per_kind=1, long_line=1_100_000, huge_field=1_100_000)
    assert {c.kind for c in cases} == set(hostile.KINDS)
    db = tmp_path / "hostile.duckdb"
    try:
        run, result = malformed.run_cases(root, cases, db)
    finally:
        for secret in root.rglob("secret.txt"):
            secret.chmod(0o600)

    assert result.tracebacks == 0, run.stderr[-3000:]
    assert "Traceback" not in run.stdout + run.stderr
    assert run.returncode == 1, run.stderr[-2000:]
    assert result.missing == [], result.missing  # every bad input in `cordiale errors`
    assert result.recorded == result.bad_inputs >= 25
    assert result.lost == [] and result.stored == result.good  # every good document stored
    assert result.good >= len(cases)
    assert result.extra_docs == 0  # nothing hostile was taken for a document
    assert result.unexpected_errors == []
    # each failure is named on standard error as it happens, file (and line) first
    for where, line in (f for c in cases for f in c.failures):
        named = f"error: {where} line {line}:" if line is not None else f"error: {where}"
        assert named in run.stderr, named
    assert f"{result.bad_inputs} input(s) failed" in run.stderr
    if os.geteuid() == 0:  # say so: mode 000 hides nothing from root
        assert hostile.ROOT_NOTE in result.notes

    from cordiale.store import Store

    with Store(db, read_only=True) as store:
        _, rows = store.query("SELECT kind, count(*) FROM errors GROUP BY kind")
        _, dated = store.query("SELECT count(*) FROM documents WHERE published IS NOT NULL "
                               "AND (published < ? OR published > ?)", [EARLIEST, LATEST])
    kinds = dict(rows)
    absurd = [c for c in cases if c.kind == "absurd-dates" and c.failures]
    assert kinds.get("date", 0) == len(absurd)
    assert dated == [(0,)]


# -- paths that are not plain files ------------------------------------------------------
@pytest.fixture
def alarm() -> Iterator[None]:
    """Fail instead of hanging: reading a FIFO used to block until a writer came."""
    def hang(*_):
        raise TimeoutError("the reader blocked")

    old = signal.signal(signal.SIGALRM, hang)
    signal.alarm(20)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_refused_not_waited_on(tmp_path: Path, alarm: None) -> None:
    pipe = tmp_path / "feed.jsonl"
    os.mkfifo(pipe)
    assert "named pipe" in _only_failure(pipe).reason
    (tmp_path / "good.txt").write_text(TEXT)
    items = _items(tmp_path)  # in a directory walk too, beside a good file
    assert [type(i).__name__ for i in items] == ["Failure", "Document"]
    assert "named pipe" in items[0].reason


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_link_to_a_device_is_refused_not_read_forever(tmp_path: Path, alarm: None) -> None:
    link = tmp_path / "zero.txt"
    link.symlink_to("/dev/zero")
    assert "character device" in _only_failure(link).reason


def test_symbolic_link_loops_and_dangling_links_are_named(tmp_path: Path) -> None:
    (tmp_path / "a.txt").symlink_to("b.txt")
    (tmp_path / "b.txt").symlink_to("a.txt")
    (tmp_path / "gone.jsonl").symlink_to("missing.jsonl")
    (tmp_path / "real.txt").write_text(TEXT)
    (tmp_path / "ok.txt").symlink_to("real.txt")
    items = _items(tmp_path)
    failures = {Path(i.origin).name: i.reason for i in items if isinstance(i, Failure)}
    assert set(failures) == {"a.txt", "b.txt", "gone.jsonl"}
    assert "loop" in failures["a.txt"] and "loop" in failures["b.txt"]
    assert "dangling" in failures["gone.jsonl"] and "missing.jsonl" in failures["gone.jsonl"]
    assert sum(isinstance(i, Document) for i in items) == 2  # real.txt and the link to it
    assert "loop" in _only_failure(tmp_path / "a.txt").reason  # named on the command line


def test_a_file_name_that_is_not_utf8_is_stored_with_escapes(tmp_path: Path) -> None:
    name = os.path.join(os.fsencode(tmp_path), b"caf\xe9.txt")
    with open(name, "wb") as out:
        out.write(TEXT.encode())
    [doc] = _items(tmp_path)
    assert isinstance(doc, Document)
    assert doc.origin.endswith("caf\\xe9.txt")
    doc.origin.encode("utf-8")  # storable and printable


def test_an_unreadable_file_is_named_unless_running_as_root(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text(TEXT)
    path.chmod(0)
    try:
        items = _items(path)
        if os.access(path, os.R_OK):  # root: mode 000 does not stop reads
            assert isinstance(items[0], Document)
        else:
            assert "permission denied" in _only_failure(path).reason
    finally:
        path.chmod(0o600)


@SKIP_UNLESS_ROOT
def test_an_unreadable_file_is_named_for_a_user_who_cannot_read_it() -> None:
    """As root, mode 000 hides nothing, so the reader runs as 'nobody': the file it cannot
    read is named with the reason, the readable one beside it is a document."""
    with shared_folder("cordiale-perm-") as root:
        (root / "secret.txt").write_text(TEXT)
        (root / "secret.txt").chmod(0o600)  # root's own, unreadable to anyone else
        (root / "good.txt").write_text(TEXT)
        (root / "good.txt").chmod(0o644)
        answer = as_nobody(lambda: json.dumps(
            [[type(i).__name__, Path(i.origin).name, getattr(i, "reason", None)]
             for i in read_inputs([root])]))
    items = {name: (kind, reason) for kind, name, reason in json.loads(answer)}
    assert set(items) == {"good.txt", "secret.txt"}
    assert items["good.txt"][0] == "Document"
    kind, reason = items["secret.txt"]
    assert kind == "Failure" and "permission denied" in (reason or "")


def test_a_file_over_max_bytes_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text(TEXT * 100)
    assert "over the 1,000-byte limit" in _only_failure(path, max_bytes=1000).reason


def test_a_text_over_max_chars_is_refused_by_the_reader(tmp_path: Path) -> None:
    (tmp_path / "long.txt").write_text(TEXT * 50)
    (tmp_path / "long.jsonl").write_text(json.dumps({"text": TEXT * 50}) + "\n"
                                         + json.dumps({"text": TEXT}) + "\n")
    items = _items(tmp_path, max_chars=1000)
    assert [(type(i).__name__, getattr(i, "line", None)) for i in items] == [
        ("Failure", 1), ("Document", None), ("Failure", None)]
    assert all("over the 1,000 limit" in i.reason for i in items if isinstance(i, Failure))


# -- what bytes are --------------------------------------------------------------------
def _zip(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("story.txt", data)
    return buffer.getvalue()


@pytest.mark.parametrize(("pack", "named"), [
    (gzip.compress, "gzip"), (bz2.compress, "bzip2"), (lzma.compress, "xz"), (_zip, "zip"),
])
@pytest.mark.parametrize("suffix", [".txt", ".html", ".jsonl", ".csv"])
def test_compressed_data_under_a_text_name_is_called_compressed(
        tmp_path: Path, pack, named: str, suffix: str) -> None:
    path = tmp_path / f"story{suffix}"
    path.write_bytes(pack(json.dumps({"text": TEXT}).encode()))
    reason = _only_failure(path).reason
    assert named in reason and ("decompress" in reason or "extract" in reason), reason


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_called_utf16(encoding: str) -> None:
    reason = check_bytes(f"<html><p>{TEXT}</p></html>".encode(encoding))
    assert reason and "UTF-16" in reason and "iconv" in reason
    assert ("byte-order mark" in reason) and (("without" in reason) == (encoding != "utf-16"))


def test_a_nul_byte_anywhere_makes_a_binary_file() -> None:
    late = (TEXT + "\n") * 400 + "\x00" + TEXT
    assert len(late) > 8192
    assert "NUL byte at offset" in (check_bytes(late.encode()) or "")


# -- JSON lines and CSV rows ---------------------------------------------------------------
@pytest.mark.parametrize(("line", "reason"), [
    ('{"text": "K", "x": ' + "[" * 50_000 + "]" * 50_000 + "}", "nested too deeply"),
    ('{"id": ' + "7" * 5000 + ', "text": "Kenya met Chile."}', "5000 digits"),
    ('{"text": "Kenya met Chile.", "score": NaN}', "NaN is not JSON"),
    ('{"text": "Kenya met Chile.", "score": -Infinity}', "Infinity is not JSON"),
    ('{"text": "Kenya \\ud800 met Chile."}', "unpaired UTF-16 surrogate"),
    ('{"text": "Kenya met Chile.", "title": "a \\udc80"}', "unpaired UTF-16 surrogate"),
    ('{"text": "Kenya \\u0000 met Chile."}', "NUL character"),
    ('{"text": "Kenya met Chile.", "id": {"a": 1}}', "'id' is an object"),
    ('{"text": "Kenya met Chile.", "id": true}', "'id' is a boolean"),
    ('{"text": "Kenya met Chile.", "title": ["a"]}', "'title' is a list"),
    ('{"text": "Kenya met Chile.", "url": 7}', "'url' is a whole number"),
    ('{"text": "Kenya met Chile.", "published": {"y": 1}}', "'published' is an object"),
    ('{"text": 12}', "'text' is a whole number"),
    ('[1, 2]', "expected a JSON object, got a list"),
])
def test_a_hostile_json_line_fails_alone(tmp_path: Path, line: str, reason: str) -> None:
    path = tmp_path / "c.jsonl"
    good = json.dumps({"text": TEXT, "title": "Accord 🗞"}, ensure_ascii=True)  # a valid pair
    path.write_text(f"{good}\n{line}\n")
    items = _items(path)
    assert isinstance(items[0], Document) and items[0].title == "Accord 🗞"
    assert len(items) == 2 and isinstance(items[1], Failure), items
    assert items[1].line == 2 and reason in items[1].reason, items[1]


@pytest.mark.parametrize("when", ["0000-00-00", "2021-02-30", "9999-12-31", "1492-10-12",
                                  "20211332"])
@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".txt"])
def test_an_absurd_date_is_recorded_and_the_text_stored_undated(
        tmp_path: Path, when: str, suffix: str) -> None:
    path = tmp_path / f"d{suffix}"
    if suffix == ".jsonl":
        path.write_text(json.dumps({"text": TEXT, "published": when}) + "\n")
    elif suffix == ".csv":
        path.write_text(f'text,date\n"{TEXT}",{when}\n')
    else:
        path.write_text(f"Published: {when}\n\n{TEXT}")
    doc, failure = _items(path)
    assert isinstance(doc, Document) and doc.published is None and doc.text == TEXT
    assert isinstance(failure, Failure) and failure.kind == "date", failure
    assert when[:4] in failure.reason and "stored without a date" in failure.reason
    assert failure.line == (None if suffix == ".txt" else 2 if suffix == ".csv" else 1)


HTML_DATE_TAGS = [
    ('<meta property="article:published_time" content="{when}">', ""),
    ('<meta property="og:published_time" content="{when}T08:00:00Z">', ""),
    ('<meta name="dc.date" content="{when}">', ""),
    ('<meta name="pubdate" content="{when}">', ""),
    ('<script type="application/ld+json">{{"@type": "NewsArticle", '
     '"datePublished": "{when}T08:00:00+00:00"}}</script>', ""),
    ("", '<time datetime="{when}"></time>'),
]


def _page(when: str, tags: tuple[str, str], serial: int) -> bytes:
    head, body = (t.format(when=when) for t in tags)
    # trafilatura drops a text it has seen before in the same process: each page its own
    return (f"<html><head>{head}<title>Accord</title></head><body><article>{body}<p>{TEXT} "
            f"Page {serial}.</p></article></body></html>").encode()


@pytest.mark.parametrize("tags", HTML_DATE_TAGS)
@pytest.mark.parametrize("when", ["0000-00-00", "2021-02-30", "2021-13-01", "9999-12-31",
                                  "1492-10-12", "3021-06-01"])
def test_an_absurd_date_in_a_page_is_recorded_not_dropped(when: str, tags) -> None:
    # trafilatura's own check dropped these silently (or made 2021-02-30 into 2021-02-01)
    items = list(READERS[".html"](_page(when, tags, len(when) * 100 + HTML_DATE_TAGS.index(tags)
                                        + 7 * int(when[:4])), "page.html", Defaults()))
    assert len(items) == 2, items
    doc, failure = items
    assert isinstance(doc, Document) and doc.published is None and TEXT in doc.text
    assert isinstance(failure, Failure) and failure.kind == "date", failure
    assert failure.origin == "page.html" and failure.line is None
    assert when in failure.reason and "the document was stored without a date" in failure.reason


@pytest.mark.parametrize("tags", HTML_DATE_TAGS)
@pytest.mark.parametrize("when,stored", [("2021-11-24", date(2021, 11, 24)),
                                         ("1990-05-01", date(1990, 5, 1))])
def test_a_possible_date_in_a_page_is_read(when: str, stored: date, tags) -> None:
    # 1990 is before trafilatura's own window (1995 on) but inside the project's
    items = list(READERS[".html"](_page(when, tags, int(when[:4]) * 10
                                        + HTML_DATE_TAGS.index(tags)), "page.html", Defaults()))
    assert [type(i) for i in items] == [Document], items
    assert items[0].published == stored


def test_the_sample_page_keeps_its_date() -> None:
    sample = Path(__file__).resolve().parent.parent / "samples" / "news" / "one-page.html"
    [doc] = list(READERS[".html"](sample.read_bytes(), str(sample), Defaults()))
    assert isinstance(doc, Document) and doc.published == date(2023, 5, 8)


def test_a_plausible_date_is_kept() -> None:
    [doc] = list(READERS[".jsonl"](json.dumps({"text": TEXT, "published": "1850-03-01"}).encode(),
                                   "x.jsonl", Defaults()))
    assert isinstance(doc, Document) and doc.published == date(1850, 3, 1)


def test_a_long_csv_field_is_an_article_and_a_header_alone_is_named(tmp_path: Path) -> None:
    long_text = (TEXT + " ") * 3000  # 200 KB: over the csv module's own 128 KiB field limit
    (tmp_path / "long.csv").write_text(f'id,text\na,"{long_text}"\n')
    (tmp_path / "header.csv").write_text("id,text\n")
    header, article = _items(tmp_path)
    assert isinstance(article, Document) and len(article.text) > 131072
    assert isinstance(header, Failure) and "no rows" in header.reason


# -- the property: no bytes make a reader raise ------------------------------------------
def _check_item(item: object, origin: str) -> None:
    assert isinstance(item, Document | Failure), item
    if isinstance(item, Failure):
        assert item.reason.strip() and item.origin == origin
        return
    # what the store will be asked to hold: text, strings, JSON without NaN, a sane date
    assert item.text and "\x00" not in item.text
    for value in (item.doc_id, item.text, item.title, item.url, item.source, item.origin):
        assert value is None or isinstance(value, str)
        if value is not None:
            value.encode("utf-8")
    json.dumps(item.metadata, default=str, allow_nan=False).encode("utf-8")
    assert item.published is None or EARLIEST <= item.published <= LATEST


PROPERTY = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
    | st.text(st.characters(blacklist_categories=())),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                 max_size=3),
    max_leaves=8)
records = st.dictionaries(
    st.sampled_from(["id", "text", "title", "url", "source", "published", "date", "body",
                     "extra"]) | st.text(max_size=4), json_values, max_size=6)


def _encode(value: object) -> bytes:
    text = json.dumps(value, ensure_ascii=False)  # NaN comes out as NaN, as in the wild
    return text.encode("utf-8", "surrogatepass")


@PROPERTY
@given(data=st.binary(max_size=2048), suffix=st.sampled_from(sorted(READERS)))
def test_no_bytes_make_a_reader_raise(data: bytes, suffix: str) -> None:
    for item in READERS[suffix](data, "input" + suffix, Defaults(max_chars=10_000)):
        _check_item(item, "input" + suffix)


@PROPERTY
@given(text=st.text(st.characters(blacklist_categories=()), max_size=400),
       suffix=st.sampled_from(sorted(READERS)),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]))
def test_no_text_in_any_encoding_makes_a_reader_raise(text: str, suffix: str,
                                                      encoding: str) -> None:
    data = text.encode(encoding, "surrogatepass" if encoding.startswith("utf") else "replace")
    for item in READERS[suffix](data, "input" + suffix, Defaults()):
        _check_item(item, "input" + suffix)


@PROPERTY
@given(lines=st.lists(records | json_values, max_size=5), nan=st.booleans())
def test_no_json_lines_make_the_corpus_reader_raise(lines: list[object], nan: bool) -> None:
    data = b"\n".join(_encode(v) for v in lines)
    if nan:
        data += b'\n{"text": "Kenya met Chile.", "x": ' + b"NaN}"
    items = list(READERS[".jsonl"](data, "c.jsonl", Defaults()))
    for item in items:
        _check_item(item, "c.jsonl")
    if nan:
        assert isinstance(items[-1], Failure) and "NaN" in items[-1].reason


@PROPERTY
@given(rows=st.lists(st.lists(st.text(st.characters(blacklist_categories=("Cs",)),
                                      max_size=30), max_size=5), max_size=6),
       header=st.lists(st.sampled_from(["id", "text", "date", "title", "x", ""]), max_size=5))
def test_no_csv_makes_the_corpus_reader_raise(rows: list[list[str]], header: list[str]) -> None:
    import csv

    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    for item in READERS[".csv"](out.getvalue().encode(), "c.csv", Defaults()):
        _check_item(item, "c.csv")
