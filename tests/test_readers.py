"""Readers: files, directories and stdin into Documents, and bad input into Failures."""

from __future__ import annotations

import io
import json
import sys
from datetime import date
from pathlib import Path

import pytest

from cordiale.ingest import read_inputs
from cordiale.records import Document, Failure, content_hash

# Own-written, news-like text used across the tests below.
HARBOUR = (
    "Negotiators from two coastal states met again on Tuesday to settle a long quarrel "
    "over fishing rights in their shared bay, officials said."
)
MINISTERS = (
    "The foreign ministers described the morning session as frank and useful, and agreed "
    "to publish a joint statement once the technical teams finish their maps."
)
UNIONS = (
    "Fishermen on both shores have waited three seasons for a deal, and several harbour "
    "unions said they would watch the outcome closely before the winter catch begins."
)
RAILWAY = (
    "Engineers reopened the mountain railway on Friday after a landslide had blocked the "
    "line for nine days, the transport ministry said."
)


def read(*paths, **kwargs) -> list[Document | Failure]:
    return list(read_inputs([str(p) for p in paths], **kwargs))


def docs_of(items) -> list[Document]:
    return [i for i in items if isinstance(i, Document)]


def failures_of(items) -> list[Failure]:
    return [i for i in items if isinstance(i, Failure)]


def only_failure(items) -> Failure:
    fails = failures_of(items)
    assert len(fails) == 1, items
    return fails[0]


# -- plain text ---------------------------------------------------------------------------


def test_txt_headline_and_published_line(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text(
        f"Harbour talks resume\nPublished: 2021-11-24\n\n{HARBOUR}\n\n{MINISTERS}\n",
        encoding="utf-8",
    )
    [doc] = read(path)
    assert isinstance(doc, Document)
    assert doc.title == "Harbour talks resume"
    assert doc.published == date(2021, 11, 24)
    assert "Published" not in doc.text
    assert "2021-11-24" not in doc.text
    assert HARBOUR in doc.text and MINISTERS in doc.text
    assert doc.origin == str(path)


def test_txt_published_default_used_only_when_file_has_none(tmp_path: Path) -> None:
    dated = tmp_path / "a.txt"
    dated.write_text(f"Date: 2020-03-01\n{HARBOUR}\n", encoding="utf-8")
    undated = tmp_path / "b.txt"
    undated.write_text(f"{RAILWAY}\n", encoding="utf-8")
    a, b = read(dated, undated, published=date(2021, 11, 24), source="Coastal Herald")
    assert a.published == date(2020, 3, 1)
    assert b.published == date(2021, 11, 24)
    assert a.source == b.source == "Coastal Herald"


# -- HTML -----------------------------------------------------------------------------------

BOILERPLATE_PAGE = f"""<!DOCTYPE html>
<html><head><title>Harbour talks resume in the bay</title></head>
<body>
<nav class="main-menu"><ul>
  <li><a href="/">Home</a></li><li><a href="/world">World desk</a></li>
  <li><a href="/sport">Sport pages</a></li><li><a href="/weather">Weather outlook</a></li>
</ul></nav>
<div class="cookie-banner" id="cookie-consent">
  <p>We use cookies to improve your experience and to show you relevant offers.</p>
  <button>Accept all</button>
</div>
<article>
  <h1>Harbour talks resume in the bay</h1>
  <p>{HARBOUR}</p>
  <p>{MINISTERS}</p>
  <p>{UNIONS}</p>
</article>
<aside class="related-posts"><h3>Related Posts</h3><ul>
  <li><a href="/a">Ferry strike enters a second week</a></li>
  <li><a href="/b">Lighthouse restored after the storm</a></li>
</ul></aside>
<div id="respond" class="comment-respond"><h3>Leave a Reply</h3>
  <form><textarea name="comment"></textarea><input type="submit" value="Post Comment"></form>
</div>
<footer><p>Coastal Herald. All rights reserved. Privacy policy and terms of use.</p></footer>
</body></html>
"""


def test_html_keeps_article_and_drops_boilerplate(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(BOILERPLATE_PAGE, encoding="utf-8")
    [doc] = read(path)
    assert isinstance(doc, Document), doc
    for paragraph in (HARBOUR, MINISTERS, UNIONS):
        assert paragraph in doc.text
    for junk in ("We use cookies", "Related Posts", "Leave a Reply", "Post Comment",
                 "Ferry strike", "All rights reserved", "Sport pages", "Weather outlook"):
        assert junk not in doc.text, junk
    assert doc.title == "Harbour talks resume in the bay"


def test_html_headline_not_repeated_in_text(tmp_path: Path) -> None:
    # The page's <h1> is part of the extracted text; prepending the title again doubles it
    # (and gives the NLP a duplicate first sentence).
    path = tmp_path / "page.html"
    path.write_text(BOILERPLATE_PAGE, encoding="utf-8")
    [doc] = read(path)
    assert doc.text.count("Harbour talks resume in the bay") == 1, doc.text[:200]


def test_html_copyright_year_is_not_a_publication_date(tmp_path: Path) -> None:
    # A page that gives no date must get the --published default, not a date guessed from
    # the copyright line of its footer.
    page = BOILERPLATE_PAGE.replace("Coastal Herald. All rights",
                                    "Copyright 2019 Coastal Herald. All rights")
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    [doc] = read(path, published=date(2021, 11, 24))
    assert doc.published == date(2021, 11, 24)


def test_html_with_only_navigation_is_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "menu.html"
    path.write_text(
        "<html><head><title>Menu</title></head><body><nav><ul>"
        "<li><a href='/'>Home</a></li><li><a href='/world'>World</a></li>"
        "<li><a href='/sport'>Sport</a></li></ul></nav></body></html>",
        encoding="utf-8",
    )
    failure = only_failure(read(path))
    assert failure.origin == str(path)
    assert "no main text" in failure.reason


# -- JSON Lines -------------------------------------------------------------------------------


def test_jsonl_fields_metadata_and_date_alias(write_jsonl) -> None:
    path = write_jsonl([
        {"id": "harbour-1", "url": "https://example.org/harbour", "title": "Harbour talks",
         "published": "2021-11-24", "source": "Coastal Herald", "text": HARBOUR,
         "section": "World"},
        {"id": "rail-1", "date": "2021-11-20T08:15:00Z", "text": RAILWAY},
    ])
    first, second = read(path)
    assert isinstance(first, Document) and isinstance(second, Document)
    assert first.doc_id == "harbour-1"
    assert first.url == "https://example.org/harbour"
    assert first.title == "Harbour talks"
    assert first.published == date(2021, 11, 24)
    assert first.source == "Coastal Herald"
    assert first.text == HARBOUR
    assert first.metadata == {"section": "World"}
    assert first.origin == f"{path}:1"
    assert second.doc_id == "rail-1"
    assert second.published == date(2021, 11, 20)
    assert second.metadata == {}
    assert second.origin == f"{path}:2"


def test_jsonl_bad_lines_are_failures_with_line_numbers(write_jsonl) -> None:
    path = write_jsonl([
        {"id": "a", "text": HARBOUR},
        '{"id": "b", "text": "unterminated',
        {"id": "c", "text": MINISTERS},
        "[1, 2, 3]",
        {"id": "e", "title": "No body here"},
        {"id": "f", "text": UNIONS},
    ])
    items = read(path)
    assert [d.doc_id for d in docs_of(items)] == ["a", "c", "f"]
    fails = failures_of(items)
    assert [(f.origin, f.line) for f in fails] == [(str(path), 2), (str(path), 4), (str(path), 5)]
    assert "not JSON" in fails[0].reason
    assert "expected a JSON object" in fails[1].reason and "list" in fails[1].reason
    assert "no 'text' field" in fails[2].reason
    # the order of the stream follows the file
    assert [getattr(i, "doc_id", None) or i.line for i in items] == ["a", 2, "c", 4, 5, "f"]


def test_jsonl_blank_lines_do_not_shift_line_numbers(write_jsonl) -> None:
    path = write_jsonl([{"id": "a", "text": HARBOUR}, "", "", "{oops}"])
    failure = only_failure(read(path))
    assert failure.line == 4


# -- CSV ------------------------------------------------------------------------------------


def test_csv_quoted_commas_and_newlines(tmp_path: Path) -> None:
    path = tmp_path / "wire.csv"
    path.write_text(
        "id,title,published,text\n"
        'w1,"Talks, resumed",2021-11-24,"First line, with a comma.\nSecond line of the story."\n'
        f'w2,Railway,2021-11-23,"{RAILWAY}"\n',
        encoding="utf-8",
    )
    items = read(path)
    assert not failures_of(items), items
    first, second = items
    assert first.doc_id == "w1"
    assert first.title == "Talks, resumed"
    assert first.published == date(2021, 11, 24)
    assert first.text == "First line, with a comma.\nSecond line of the story."
    assert second.doc_id == "w2" and second.text == RAILWAY


def test_csv_row_with_wrong_field_count(tmp_path: Path) -> None:
    path = tmp_path / "wire.csv"
    path.write_text(
        "id,title,text\n"
        f"w1,Harbour,{HARBOUR.replace(',', '')}\n"
        "w2,only two fields\n"
        "w3,Railway,story,extra field\n"
        f"w4,Unions,{UNIONS.replace(',', '')}\n",
        encoding="utf-8",
    )
    items = read(path)
    assert [d.doc_id for d in docs_of(items)] == ["w1", "w4"]
    fails = failures_of(items)
    assert [f.line for f in fails] == [3, 4]
    assert all("wrong number of fields" in f.reason for f in fails)


def test_csv_without_text_column(tmp_path: Path) -> None:
    path = tmp_path / "wire.csv"
    path.write_text("id,title,summary\nw1,Harbour,Talks resumed\n", encoding="utf-8")
    failure = only_failure(read(path))
    assert "no 'text' column" in failure.reason
    assert "summary" in failure.reason  # names the columns it did find
    assert failure.line == 1


# -- directories and stdin ------------------------------------------------------------------


def test_directory_is_read_recursively_skipping_hidden(tmp_path: Path) -> None:
    root = tmp_path / "news"
    (root / "2021" / "november").mkdir(parents=True)
    (root / ".cache").mkdir()
    (root / "a.txt").write_text(HARBOUR, encoding="utf-8")
    (root / "2021" / "november" / "b.txt").write_text(RAILWAY, encoding="utf-8")
    (root / "2021" / "c.jsonl").write_text(json.dumps({"id": "c", "text": UNIONS}) + "\n",
                                           encoding="utf-8")
    (root / ".draft.txt").write_text(MINISTERS, encoding="utf-8")
    (root / ".cache" / "d.txt").write_text(MINISTERS, encoding="utf-8")
    (root / "notes.pdf").write_bytes(b"%PDF-1.4 not read")  # unknown kinds in a dir are skipped
    items = read(root)
    assert not failures_of(items), items
    texts = sorted(d.text for d in items)
    assert texts == sorted([HARBOUR, RAILWAY, UNIONS])
    assert all(MINISTERS not in d.text for d in items)


def test_empty_directory_is_a_failure(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    failure = only_failure(read(tmp_path / "empty"))
    assert "no readable files" in failure.reason


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def test_stdin_plain_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin(f"Rail line reopens\n\n{RAILWAY}\n".encode()))
    [doc] = read("-")
    assert isinstance(doc, Document)
    assert doc.origin == "<stdin>"
    assert doc.title == "Rail line reopens"
    assert RAILWAY in doc.text


def test_stdin_jsonl(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (json.dumps({"id": "s1", "text": HARBOUR}) + "\n"
            + json.dumps({"id": "s2", "text": RAILWAY}) + "\n").encode()
    monkeypatch.setattr(sys, "stdin", _Stdin(data))
    items = read("-")
    assert [d.doc_id for d in items] == ["s1", "s2"]


def test_stdin_jsonl_with_byte_order_mark(monkeypatch: pytest.MonkeyPatch) -> None:
    # .jsonl files with a UTF-8 BOM are read as JSON Lines; stdin should sniff them the same way
    data = b"\xef\xbb\xbf" + json.dumps({"id": "s1", "text": HARBOUR}).encode() + b"\n"
    monkeypatch.setattr(sys, "stdin", _Stdin(data))
    [doc] = read("-")
    assert doc.doc_id == "s1"
    assert doc.text == HARBOUR


def test_stdin_over_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin(RAILWAY.encode()))
    failure = only_failure(read("-", max_bytes=20))
    assert failure.origin == "<stdin>"
    assert "limit" in failure.reason


# -- bad files: each a Failure, the good files around it still read ---------------------------


def _good(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("binary.txt", b"GIF89a\x00\x01\x02\x00\x00binary payload", "binary file"),
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"   \n\n\t \n", "empty file"),
        ("latin1.txt", "Caf\u00e9 talks in Montr\u00e9al".encode("latin-1"),
         "not valid UTF-8 (byte 0xe9 at offset 3)"),
        ("empty.jsonl", b"", "empty file"),
        ("binary.csv", b"id,text\n1,\x00\x00\n", "binary file"),
        ("latin1.csv", "id,text\n1,Caf\u00e9\n".encode("latin-1"), "not valid UTF-8"),
        ("scan.pdf", b"%PDF-1.4\n", "unsupported file type '.pdf'"),
        ("README", b"no extension at all", "unsupported file type '(none)'"),
    ],
)
def test_bad_file_is_a_failure_between_good_ones(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    before = _good(tmp_path, "before.txt", HARBOUR)
    bad = tmp_path / name
    bad.write_bytes(content)
    after = _good(tmp_path, "after.txt", RAILWAY)
    items = read(before, bad, after)
    assert len(items) == 3
    assert isinstance(items[0], Document) and items[0].text == HARBOUR
    assert isinstance(items[2], Document) and items[2].text == RAILWAY
    failure = items[1]
    assert isinstance(failure, Failure)
    assert failure.origin == str(bad)
    assert expected in failure.reason
    assert str(bad) in str(failure)


def test_file_over_size_limit(tmp_path: Path) -> None:
    small = _good(tmp_path, "small.txt", "Short note on the harbour.")
    big = _good(tmp_path, "big.txt", HARBOUR * 5)
    items = read(small, big, max_bytes=200)
    assert docs_of(items)[0].text == "Short note on the harbour."
    failure = only_failure(items)
    assert failure.origin == str(big)
    assert "over the 200-byte limit" in failure.reason


def test_missing_path(tmp_path: Path) -> None:
    good = _good(tmp_path, "good.txt", HARBOUR)
    missing = tmp_path / "nowhere" / "story.txt"
    items = read(missing, good)
    failure = only_failure(items)
    assert failure.origin == str(missing)
    assert "no such file or directory" in failure.reason
    assert docs_of(items)[0].text == HARBOUR


# -- ids and content hashes -----------------------------------------------------------------


def test_doc_id_is_given_id_else_hash_prefix(write_jsonl) -> None:
    path = write_jsonl([{"id": "given-7", "text": HARBOUR}, {"text": RAILWAY},
                        {"id": 42, "text": UNIONS}])
    given, hashed, numeric = read(path)
    assert given.doc_id == "given-7"
    assert hashed.doc_id == content_hash(RAILWAY)[:16] == hashed.content_hash[:16]
    assert len(hashed.doc_id) == 16 and all(c in "0123456789abcdef" for c in hashed.doc_id)
    assert numeric.doc_id == "42"


def test_txt_doc_id_is_hash_prefix(tmp_path: Path) -> None:
    [doc] = read(_good(tmp_path, "a.txt", HARBOUR))
    assert doc.doc_id == doc.content_hash[:16]
    assert doc.content_hash == content_hash(doc.text)


def test_whitespace_differences_give_the_same_hash(tmp_path: Path, write_jsonl) -> None:
    spaced = HARBOUR.replace(" ", "   ").replace(", ", ",\n\t")
    path = write_jsonl([{"id": "x", "text": HARBOUR}, {"id": "y", "text": "  " + spaced + "\n\n"}])
    x, y = read(path)
    txt = read(_good(tmp_path, "z.txt", "\r\n" + HARBOUR.replace(" ", "  ") + "\r\n"))[0]
    assert x.content_hash == y.content_hash == txt.content_hash
    other = read(_good(tmp_path, "w.txt", HARBOUR.replace("Tuesday", "Monday")))[0]
    assert other.content_hash != x.content_hash


def test_csv_line_numbers_with_multiline_rows(tmp_path: Path) -> None:
    path = tmp_path / "wire.csv"
    path.write_text(
        'id,text\n'                              # line 1
        'w1,"first line of w1\nsecond line"\n'   # lines 2-3
        'w2\n'                                   # line 4: too few fields
        'w3,"a\nb\nc",extra\n',                  # lines 5-7: too many fields
        encoding="utf-8",
    )
    items = read(path)
    # a row that follows a multi-line row is still counted right
    assert failures_of(items)[0].line == 4
    # and a multi-line row is named by the line it starts on, as a reader would look for it
    assert docs_of(items)[0].origin == f"{path}:2"
    assert [f.line for f in failures_of(items)] == [4, 5]
