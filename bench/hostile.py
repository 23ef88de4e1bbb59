"""Hostile inputs for ``cordiale ingest``: 29 kinds, each written beside a good document.

``generate(root)`` writes one case of every kind (or ``per_kind`` of each) under ``root``, each
in its own directory beside a good document, and returns what the ingest must do with them:
the failures ``cordiale errors`` must name (file, and line where there is one) and the content
hashes of the good documents that must be stored. Kinds are drawn from a seed, so a run can be
repeated exactly. Unreadable files (mode 000) are readable to root: when the generator runs as
root such a file is expected to be stored, and the case's note says so.

``bench/malformed.py`` runs thousands of these through the real command and checks the store;
``tests/test_malformed.py`` runs one of each.
"""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import json
import lzma
import os
import random
import sys
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from cordiale.records import content_hash, normalise_text  # noqa: E402

COUNTRIES = ["Norway", "Chile", "Kenya", "India", "Japan", "Peru", "Ghana", "Poland", "Vietnam",
             "Egypt", "Canada", "Morocco", "Mexico", "Finland", "Senegal", "Brazil", "Turkey"]
ACTIONS = ["met trade officials from", "signed a fisheries accord with", "criticised",
           "praised the foreign ministry of", "held talks with", "sent flood aid to"]
TOPICS = ["grain tariffs", "river water", "port fees", "visa rules", "power lines", "rail links"]
SUFFIXES = (".txt", ".html", ".jsonl", ".csv")
ABSURD_DATES = ("0000-00-00", "9999-12-31", "2021-02-30", "2021-13-01", "0001-01-01",
                "2021-00-10", "1492-10-12", "3021-06-01")
#: the reason a file that mode 000 should hide can be read anyway
ROOT_NOTE = "running as root: mode 000 does not stop reads, so the file is read and stored"


@dataclass
class Case:
    """One hostile input (a file, a link, a line) and what ``cordiale ingest`` must make of it.

    ``failures``: (origin, line) pairs ``cordiale errors`` must list; a line of None accepts
    any line of that file. ``good``: content hashes that must be stored. ``argv``: paths to
    name on the command line (a FIFO or an empty directory given by name), beside the root."""

    kind: str
    failures: list[tuple[str, int | None]] = field(default_factory=list)
    good: list[str] = field(default_factory=list)
    argv: list[str] = field(default_factory=list)
    note: str = ""


def origin(path: Path | str) -> str:
    """How the store names a path: bytes that are not UTF-8 as ``\\xff`` escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


class Gen:
    """Writes cases; every good text is different, so each has its own content hash."""

    def __init__(self, root: Path, seed: int, long_line: int, huge_field: int) -> None:
        self.root = root
        self.rng = random.Random(seed)
        self.long_line = long_line
        self.huge_field = huge_field
        self.serial = 0
        self.explicit = root / ".explicit"  # the walk skips hidden folders: named on argv only

    def text(self) -> str:
        self.serial += 1
        r = self.rng
        a, b = r.sample(COUNTRIES, 2)
        return (f"{a} {r.choice(ACTIONS)} {b} on Monday, officials said.\n\n"
                f"The talks covered {r.choice(TOPICS)} and plan number {self.serial} "
                f"({r.randrange(10**9)}) for the coming year.")

    def good_file(self, d: Path, case: Case) -> None:
        """A good document beside the hostile one, in the same batch."""
        text = self.text()
        (d / "good.txt").write_text(text, encoding="utf-8")
        case.good.append(digest(text))

    def jsonl_line(self, case: Case, **extra: object) -> str:
        text = self.text()
        case.good.append(digest(text))
        return json.dumps({"id": f"doc-{self.serial}", "text": text, **extra})


def digest(text: str) -> str:
    return content_hash(normalise_text(text))


def _where(path: Path, line: int | None = None) -> tuple[str, int | None]:
    return origin(path), line


# -- the kinds ---------------------------------------------------------------------------
def binary_junk(g: Gen, d: Path, case: Case) -> None:
    data = bytearray(g.rng.randbytes(g.rng.randint(16, 4096)))
    data[g.rng.randrange(len(data))] = 0
    path = d / f"junk{g.rng.choice(SUFFIXES)}"
    path.write_bytes(bytes(data))
    case.failures.append(_where(path))


def empty(g: Gen, d: Path, case: Case) -> None:
    path = d / f"empty{g.rng.choice(SUFFIXES)}"
    path.write_bytes(g.rng.choice([b"", b"  \n\t\r\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf \n"]))
    case.failures.append(_where(path))


def invalid_utf8(g: Gen, d: Path, case: Case) -> None:
    bad = g.rng.choice([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xc0\xaf", b"\xf8\x88\x80\x80"])
    text = g.text().encode()
    cut = g.rng.randrange(1, len(text))
    broken = text[:cut] + bad + text[cut:]
    if g.rng.random() < 0.5:
        path = d / f"latin{g.rng.choice(['.txt', '.csv'])}"
        path.write_bytes(broken if path.suffix == ".txt"
                         else b"id,text\nx," + broken.replace(b"\n", b" ") + b"\n")
        case.failures.append(_where(path))
    else:
        path = d / "mixed.jsonl"
        line = json.dumps({"text": "@@"}).encode().replace(b"@@", broken.replace(b"\n", b" "))
        path.write_bytes(b"\n".join([g.jsonl_line(case).encode(), line,
                                     g.jsonl_line(case).encode()]) + b"\n")
        case.failures.append(_where(path, 2))


def _as_file(g: Gen, stem: str, d: Path) -> tuple[Path, str]:
    suffix = g.rng.choice(SUFFIXES)
    text = g.text()
    body = {".txt": text, ".html": f"<html><body><article><p>{text}</p></article></body></html>",
            ".jsonl": json.dumps({"text": text}) + "\n",
            ".csv": f"id,text\na{g.serial}," + json.dumps(text.replace("\n", " ")) + "\n"}[suffix]
    return d / f"{stem}{suffix}", body


def utf16_bom(g: Gen, d: Path, case: Case) -> None:
    path, body = _as_file(g, "utf16", d)
    little = g.rng.random() < 0.5
    path.write_bytes(b"\xff\xfe" + body.encode("utf-16-le") if little
                     else b"\xfe\xff" + body.encode("utf-16-be"))
    case.failures.append(_where(path))


def utf16_no_bom(g: Gen, d: Path, case: Case) -> None:
    path, body = _as_file(g, "utf16", d)
    path.write_bytes(body.encode(g.rng.choice(["utf-16-le", "utf-16-be"])))
    case.failures.append(_where(path))


def nul_bytes(g: Gen, d: Path, case: Case) -> None:
    path, body = _as_file(g, "nul", d)
    if g.rng.random() < 0.5:  # deep inside, past the first 8 KiB
        body = body + ("\n" + " ".join(g.text() for _ in range(60))) * (path.suffix == ".txt")
    at = g.rng.randrange(1, len(body))
    path.write_text(body[:at] + "\x00" + body[at:], encoding="utf-8")
    case.failures.append(_where(path))


def escaped_nul(g: Gen, d: Path, case: Case) -> None:
    path = d / "escaped-nul.jsonl"
    bad = json.dumps({"text": g.text().replace(" ", " \x00 ", 1)})
    path.write_text("\n".join([g.jsonl_line(case), bad, g.jsonl_line(case)]) + "\n")
    case.failures.append(_where(path, 2))


def truncated_json(g: Gen, d: Path, case: Case) -> None:
    path = d / "cut.jsonl"
    whole = json.dumps({"id": "cut", "text": g.text(), "published": "2021-11-24"})
    cut = whole[: g.rng.randrange(1, len(whole))]
    lines = [g.jsonl_line(case), g.jsonl_line(case), cut]
    if g.rng.random() < 0.5:
        lines.append(g.jsonl_line(case))
    path.write_text("\n".join(lines), encoding="utf-8")  # no final newline: cut off
    case.failures.append(_where(path, 3))


def jsonl_wrong_types(g: Gen, d: Path, case: Case) -> None:
    t = g.text()
    bad = g.rng.choice([
        {"text": 42}, {"text": ["a", "b"]}, {"text": {"body": t}}, {"text": None}, {"text": True},
        {"id": {"x": 1}, "text": t}, {"id": [1], "text": t}, {"id": 1.5, "text": t},
        {"id": True, "text": t}, {"title": ["x"], "text": t}, {"title": 3, "text": t},
        {"url": {"href": "x"}, "text": t}, {"source": ["a"], "text": t},
        {"published": {"year": 2021}, "text": t}, {"published": [2021, 11, 24], "text": t},
        {"published": True, "text": t}, {"date": 2021.5, "text": t},
        [1, 2], "just a string", 42, None,
    ])
    path = d / "types.jsonl"
    path.write_text("\n".join([g.jsonl_line(case), json.dumps(bad), g.jsonl_line(case)]) + "\n")
    case.failures.append(_where(path, 2))


def json_deep(g: Gen, d: Path, case: Case) -> None:
    n = g.rng.randint(3_000, 100_000)
    deep = g.rng.choice(["[" * n + "]" * n, '{"a":' * n + "1" + "}" * n])
    path = d / "deep.jsonl"
    line = '{"text": ' + json.dumps(g.text()) + ', "extra": ' + deep + "}"
    path.write_text("\n".join([g.jsonl_line(case), line]) + "\n")
    case.failures.append(_where(path, 2))


def json_huge_number(g: Gen, d: Path, case: Case) -> None:
    digits = "9" * g.rng.randint(4_400, 50_000)
    path = d / "number.jsonl"
    line = '{"id": ' + digits + ', "text": ' + json.dumps(g.text()) + "}"
    path.write_text("\n".join([line, g.jsonl_line(case)]) + "\n")
    case.failures.append(_where(path, 1))


def json_nan(g: Gen, d: Path, case: Case) -> None:
    word = g.rng.choice(["NaN", "Infinity", "-Infinity"])
    path = d / "nan.jsonl"
    line = '{"text": ' + json.dumps(g.text()) + ', "score": ' + word + "}"
    path.write_text("\n".join([g.jsonl_line(case), line]) + "\n")
    case.failures.append(_where(path, 2))


def json_surrogate(g: Gen, d: Path, case: Case) -> None:
    lone = g.rng.choice(["\\ud800", "\\udfff", "\\udc80 x", "\\ud83d"])
    field_ = g.rng.choice(["text", "title", "source", "extra"])
    t = json.dumps(g.text())
    line = ('{"text": ' + t + ', "' + field_ + '": "a ' + lone + ' b"}') if field_ != "text" \
        else '{"text": ' + t[:-1] + " " + lone + '"}'
    pair = json.dumps({"text": g.text() + " \U0001f5de"}, ensure_ascii=True)  # a valid pair
    case.good.append(digest(json.loads(pair)["text"]))
    path = d / "surrogate.jsonl"
    path.write_text("\n".join([pair, line]) + "\n")
    case.failures.append(_where(path, 2))


def _csv(rows: Sequence[Sequence[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def csv_wrong_columns(g: Gen, d: Path, case: Case) -> None:
    path = d / "columns.csv"
    if g.rng.random() < 0.3:
        path.write_text(_csv([["id", "story"], [f"a{g.serial}", g.text()]]))
        case.failures.append(_where(path, 1))
        return
    rows: list[list[str]] = [["id", "text", "published"]]
    for _ in range(2):
        t = g.text()
        case.good.append(digest(t))
        rows.append([f"ok-{g.serial}", t, "2021-11-24"])  # ids unique across the batch
    rows.insert(2, g.rng.choice([["x", g.text(), "2021-11-24", "extra"], ["y"], ["z", g.text()]]))
    text = _csv(rows)
    path.write_text(text)
    # the bad row starts after the header and the first row (which may span lines)
    line = 2 + rows[1][1].count("\n") + 1
    case.failures.append(_where(path, line))


def csv_header_only(g: Gen, d: Path, case: Case) -> None:
    path = d / "header.csv"
    path.write_text(g.rng.choice(["id,text\n", "id,text,published\n", "text"]))
    case.failures.append(_where(path))


def csv_huge_field(g: Gen, d: Path, case: Case) -> None:
    path = d / "huge.csv"
    t = g.text()
    case.good.append(digest(t))
    huge = ("word " * (g.huge_field // 5 + 1))[: g.huge_field + g.rng.randrange(1000)]
    path.write_text(_csv([["id", "text"], [f"a{g.serial}", t], [f"b{g.serial}", huge]]))
    case.failures.append(_where(path, 2 + t.count("\n") + 1))


def html_nested(g: Gen, d: Path, case: Case) -> None:
    n = g.rng.randint(10_000, 12_000)
    tag = g.rng.choice(["div", "span", "section", "b"])
    page = (f"<html><head><title>Deep</title></head><body>{f'<{tag}>' * n}"
            f"<p>{g.text()}</p>{f'</{tag}>' * n}</body></html>")
    path = d / "deep.html"
    path.write_text(page)
    case.failures.append(_where(path))


def html_boilerplate(g: Gen, d: Path, case: Case) -> None:
    path = d / "menu.html"
    path.write_text("<html><head><script>var x = 1;</script><style>p{}</style></head><body>"
                    "<!-- no article --><script>document.title = 'x';</script></body></html>")
    case.failures.append(_where(path))


def long_line(g: Gen, d: Path, case: Case) -> None:
    size = g.long_line + g.rng.randrange(1000)
    if g.rng.random() < 0.5:
        path = d / "line.txt"
        with path.open("w") as out:
            write_words(out, size)
        case.failures.append(_where(path))
    else:
        path = d / "line.jsonl"
        with path.open("w") as out:
            out.write(g.jsonl_line(case) + '\n{"id": "long", "text": "')
            write_words(out, size)
            out.write('"}\n')
        case.failures.append(_where(path, 2))


def write_words(out: io.TextIOBase, size: int) -> None:
    chunk = "Kenya and Chile met again to talk about trade while nobody ended the line "
    block = chunk * (1_000_000 // len(chunk))
    while size > 0:
        out.write(block[:size])
        size -= len(block)


def compressed(g: Gen, d: Path, case: Case) -> None:
    path, body = _as_file(g, "packed", d)
    data = body.encode()
    codec = g.rng.choice(["gzip", "bz2", "xz", "zip"])
    if codec == "gzip":
        packed = gzip.compress(data)
    elif codec == "bz2":
        packed = bz2.compress(data)
    elif codec == "xz":
        packed = lzma.compress(data)
    else:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            z.writestr("story" + path.suffix, data)
        packed = buffer.getvalue()
    path.write_bytes(packed)
    case.failures.append(_where(path))


def symlink_loop(g: Gen, d: Path, case: Case) -> None:
    if g.rng.random() < 0.5:
        a = d / "loop.txt"
        a.symlink_to("loop.txt")
        case.failures.append(_where(a))
    else:
        a, b = d / "a.jsonl", d / "b.html"
        a.symlink_to("b.html")
        b.symlink_to("a.jsonl")
        case.failures += [_where(a), _where(b)]


def dangling_symlink(g: Gen, d: Path, case: Case) -> None:
    path = d / f"gone{g.rng.choice(SUFFIXES)}"
    path.symlink_to(g.rng.choice(["missing.txt", "/nonexistent/dir/story.txt"]))
    case.failures.append(_where(path))


def unreadable(g: Gen, d: Path, case: Case) -> None:
    path = d / "secret.txt"
    text = g.text()
    path.write_text(text)
    path.chmod(0)
    if os.access(path, os.R_OK):
        case.good.append(digest(text))
        case.note = ROOT_NOTE
    else:
        case.failures.append(_where(path))


ODD_NAMES = ["with space.txt", "new\nline.txt", "tab\there.jsonl", "ünïcødé 日本語 خبر.txt",
             "-leading-dash.txt", "--help.txt", "'quo\"te'.txt", "back\\slash.txt",
             "$(reboot).txt", "emoji 🗞.txt", "semi;colon|pipe.txt", " leading space.txt",
             "trailing space .txt", "x" * 200 + "y" * 50 + ".txt"]


def odd_names(g: Gen, d: Path, case: Case) -> None:
    name = g.rng.choice(ODD_NAMES)
    text = g.text()
    path = d / name
    path.write_text(json.dumps({"text": text}) if name.endswith(".jsonl") else text)
    case.good.append(digest(text))


def non_utf8_name(g: Gen, d: Path, case: Case) -> None:
    name = g.rng.choice([b"caf\xe9.txt", b"\xff\xfe news.txt", b"story-\x80\x81.jsonl"])
    text = g.text()
    path = os.path.join(os.fsencode(d), name)
    with open(path, "wb") as out:
        out.write((json.dumps({"text": text}) if name.endswith(b".jsonl") else text).encode())
    case.good.append(digest(text))


def absurd_dates(g: Gen, d: Path, case: Case) -> None:
    when = g.rng.choice(ABSURD_DATES)
    text = g.text()
    kind = g.rng.choice(["jsonl", "csv", "txt", "html"])
    # the text is stored, undated, and the date recorded; a page's title leads its text
    case.good.append(digest(f"News\n\n{text}" if kind == "html" else text))
    if kind == "jsonl":
        path = d / "dates.jsonl"
        path.write_text("\n".join([g.jsonl_line(case), json.dumps(
            {"id": f"d{g.serial}", "text": text, "published": when})]) + "\n")
        case.failures.append(_where(path, 2))
    elif kind == "csv":
        path = d / "dates.csv"
        path.write_text(_csv([["id", "text", "date"], [f"d{g.serial}", text, when]]))
        case.failures.append(_where(path, 2))
    elif kind == "txt":
        path = d / "dated.txt"
        path.write_text(f"Published: {when}\n{text}")
        case.failures.append(_where(path))
    else:  # in any of the tags a page states its date in
        path = d / "dated.html"
        head, body = g.rng.choice([
            (f'<meta property="article:published_time" content="{when}">', ""),
            (f'<meta property="og:published_time" content="{when}T08:00:00Z">', ""),
            (f'<meta name="{g.rng.choice(["date", "pubdate", "dc.date"])}" content="{when}">', ""),
            ('<script type="application/ld+json">{"@type": "NewsArticle", '
             f'"datePublished": "{when}T08:00:00+00:00"}}</script>', ""),
            ("", f'<time datetime="{when}"></time>'),
        ])
        path.write_text(f"<html><head>{head}<title>News</title></head><body><article>{body}"
                        f"<p>{text}</p></article></body></html>")
        case.failures.append(_where(path))


def dir_named_like_file(g: Gen, d: Path, case: Case) -> None:
    inner = d / f"archive{g.rng.choice(SUFFIXES)}"
    inner.mkdir()
    g.good_file(inner, case)
    (d / "empty.html").mkdir()  # a directory named like a page, with nothing in it
    named = g.explicit / f"feed-{g.serial}{g.rng.choice(SUFFIXES)}"
    named.mkdir(parents=True)
    case.argv.append(str(named))
    case.failures.append(_where(named))


def special_file(g: Gen, d: Path, case: Case) -> None:
    g.explicit.mkdir(exist_ok=True)
    for where in (d, g.explicit):
        path = where / f"special-{g.serial}-{where.name}{g.rng.choice(SUFFIXES)}"
        if g.rng.random() < 0.5:
            os.mkfifo(path)
        else:
            path.symlink_to(g.rng.choice(["/dev/zero", "/dev/null", "/dev/urandom"]))
        case.failures.append(_where(path))
        if where == g.explicit:
            case.argv.append(str(path))


def missing_path(g: Gen, d: Path, case: Case) -> None:
    path = g.explicit / f"no-such-{g.serial}{g.rng.choice(SUFFIXES)}"
    case.argv.append(str(path))
    case.failures.append(_where(path))


KINDS: dict[str, Callable[[Gen, Path, Case], None]] = {
    f.__name__.replace("_", "-"): f for f in (
        binary_junk, empty, invalid_utf8, utf16_bom, utf16_no_bom, nul_bytes, escaped_nul,
        truncated_json, jsonl_wrong_types, json_deep, json_huge_number, json_nan, json_surrogate,
        csv_wrong_columns, csv_header_only, csv_huge_field, html_nested, html_boilerplate,
        long_line, compressed, symlink_loop, dangling_symlink, unreadable, odd_names,
        non_utf8_name, absurd_dates, dir_named_like_file, special_file, missing_path)
}


def generate(root: Path, *, per_kind: int = 1, seed: int = 20211124, long_line: int = 1_100_000,
             huge_field: int = 1_100_000, kinds: Sequence[str] | None = None) -> list[Case]:
    """Write ``per_kind`` cases of each kind under ``root``, each beside a good document."""
    g = Gen(root, seed, long_line, huge_field)
    g.explicit.mkdir(parents=True, exist_ok=True)
    cases = []
    for name in kinds or KINDS:
        for i in range(per_kind):
            d = root / f"{name}-{i:04d}"
            d.mkdir(parents=True)
            case = Case(name)
            KINDS[name](g, d, case)
            g.good_file(d, case)
            cases.append(case)
    return cases
