"""Read articles from files: .txt, .json, .jsonl, .zip archives of those, directories and globs.

Reading never raises on bad input: every problem becomes a `ReadProblem` naming the file (and
record) and saying what is wrong, so that a batch goes on with the good files. JSON Lines are
streamed line by line (a file of any length is read in flat memory); files in Windows-1256 or
Latin-1 are recognised and decoded; HTML is reduced to its text (scripts and styles dropped);
articles longer than `MAX_ARTICLE_CHARS` are refused rather than ground through.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from kg.records import Article

SUPPORTED = (".txt", ".json", ".jsonl")
MAX_ARTICLE_CHARS = int(os.environ.get("KG_MAX_ARTICLE_CHARS", 2_000_000))
"""Longer texts are not news articles (a book, a dump): refused with a message, not extracted."""
MAX_DOCUMENT_BYTES = 512 * 2**20
"""A .json or .txt file is parsed whole; above this, JSON Lines (streamed) is the way."""
MAX_ID_CHARS = 512
_SNIFF = 8192
JSON_TYPES = {
    "dict": "object",
    "list": "array",
    "str": "string",
    "int": "number",
    "float": "number",
    "bool": "boolean",
    "NoneType": "null",
}


@dataclass(frozen=True)
class ReadProblem:
    """A file or record that could not be read, and why, in plain words."""

    origin: str
    message: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.message}"

    @property
    def reason(self) -> str:
        """The message without its particulars (positions, values), to count problems by."""
        return re.split(r"[:(;]| at | found ", self.message, maxsplit=1)[0].strip()


def read_paths(
    paths: Iterable[str | Path], *, published: date | None = None
) -> Iterator[Article | ReadProblem]:
    """Articles from every path (file, directory, glob), in a stable order."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and _readable_name(p.name))
            if not files:
                yield ReadProblem(str(path), "no .txt, .json, .jsonl or .zip files in this folder")
            for file in files:
                yield from read_file(file, published=published)
        elif path.exists():
            yield from read_file(path, published=published)
        elif any(ch in str(raw) for ch in "*?["):
            matches = sorted(glob.glob(str(raw), recursive=True))
            if not matches:
                yield ReadProblem(str(raw), "no files match this pattern")
            yield from read_paths(matches, published=published)
        else:
            yield ReadProblem(str(raw), "no such file or directory")


def _readable_name(name: str) -> bool:
    return name.lower().endswith((*SUPPORTED, ".zip")) and not name.startswith(".")


def read_file(path: Path, *, published: date | None = None) -> Iterator[Article | ReadProblem]:
    """Articles in one file; a .zip is opened and its members read in order."""
    origin = str(path)
    suffix = path.suffix.lower()
    if suffix == ".zip":
        yield from _read_zip(path, published)
        return
    if suffix not in SUPPORTED:
        yield ReadProblem(
            origin,
            f"unsupported file type {suffix or '(none)'}; give .txt, .json, .jsonl or .zip files",
        )
        return
    try:
        size = path.stat().st_size
        if suffix == ".jsonl":
            with path.open("rb") as stream:
                yield from read_jsonl_stream(stream, origin, published)
            return
        if size > MAX_DOCUMENT_BYTES:
            yield _too_large(origin, size)
            return
        data = path.read_bytes()
    except OSError as err:
        yield ReadProblem(origin, f"cannot read: {err.strerror or err}")
        return
    yield from read_bytes(data, suffix, origin, published=published)


def _too_large(origin: str, size: int) -> ReadProblem:
    return ReadProblem(
        origin,
        f"the file is {size / 2**20:,.0f} MiB, too large to parse as one document; "
        "give the articles as JSON Lines (.jsonl), which is read line by line",
    )


def _read_zip(path: Path, published: date | None) -> Iterator[Article | ReadProblem]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as err:
        yield ReadProblem(str(path), f"not a readable zip archive ({err})")
        return
    with archive:
        names = sorted(
            n
            for n in archive.namelist()
            if not n.endswith("/") and _readable_name(Path(n).name) and not n.startswith("__MACOSX")
        )
        if not names:
            yield ReadProblem(str(path), "the archive holds no .txt, .json or .jsonl files")
        for name in names:
            origin = f"{path}!{name}"
            suffix = Path(name).suffix.lower()
            if suffix == ".zip":
                yield ReadProblem(origin, "nested zip archives are not read; unpack it first")
                continue
            try:
                if suffix == ".jsonl":
                    with archive.open(name) as stream:
                        yield from read_jsonl_stream(stream, origin, published)
                    continue
                size = archive.getinfo(name).file_size
                if size > MAX_DOCUMENT_BYTES:
                    yield _too_large(origin, size)
                    continue
                data = archive.read(name)
            except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as err:
                yield ReadProblem(origin, f"cannot extract from the archive ({err})")
                continue
            yield from read_bytes(data, suffix, origin, published=published)


def read_bytes(
    data: bytes, suffix: str, origin: str, *, published: date | None = None
) -> Iterator[Article | ReadProblem]:
    """Articles in the content of one file of the given type."""
    text = _decode(data, origin)
    if isinstance(text, ReadProblem):
        yield text
        return
    if not text.strip():
        yield ReadProblem(origin, "the file is empty")
        return
    if suffix == ".txt":
        yield _article_from_text(text, origin, published)
    elif suffix == ".jsonl":
        for number, line in enumerate(text.splitlines(), start=1):
            yield from _jsonl_record(line, f"{origin}:{number}", published)
    else:
        try:
            value = json.loads(text)
        except json.JSONDecodeError as err:
            yield ReadProblem(
                origin, f"invalid JSON at line {err.lineno}, column {err.colno}: {err.msg}"
            )
            return
        records = value if isinstance(value, list) else [value]
        if not records:
            yield ReadProblem(origin, "the JSON array holds no articles")
        for index, record in enumerate(records, start=1):
            where = origin if len(records) == 1 else f"{origin} [record {index}]"
            yield article_from_record(record, where, published)


def _decode(data: bytes, origin: str) -> str | ReadProblem:
    """UTF-8 (with or without BOM) or UTF-16 with a BOM; failing that, Windows-1256 when it
    reads as Arabic, Latin-1/Windows-1252 when it reads as mostly-ASCII Latin text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return ReadProblem(origin, "starts with a UTF-16 byte order mark but is not UTF-16")
    if b"\x00" in data[:_SNIFF]:
        return ReadProblem(origin, "binary file (contains NUL bytes); give UTF-8 text or JSON")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        failure = err
    legacy = _legacy_decode(data)
    if legacy is not None:
        return legacy
    return ReadProblem(
        origin,
        f"not UTF-8 (byte 0x{data[failure.start]:02x} at offset {failure.start}), nor text in "
        "Windows-1256 or Latin-1; convert it to UTF-8 (e.g. iconv -f ENCODING -t UTF-8)",
    )


_ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u00FF\u0152\u0153\u0178]")
_HIGH_LATIN = re.compile(r"[\u00C0-\u00FF\u0152\u0153\u0178]")


def _legacy_decode(data: bytes) -> str | None:
    """The text of a legacy single-byte file, when the encoding is unmistakable: Arabic letters
    make at least 60% of the letters read as Windows-1256, or the text is Latin with accented
    letters at most a fifth of its letters read as Windows-1252 (a superset of Latin-1's
    printable characters). Anything else (Cyrillic, Greek, …) is left to the user."""
    arabic = data.decode("cp1256", errors="replace")
    letters = len(re.findall(r"[^\W\d_]", arabic))
    if letters and len(_ARABIC_LETTER.findall(arabic)) >= 0.6 * letters and "\ufffd" not in arabic:
        return arabic
    try:
        latin = data.decode("cp1252")
    except UnicodeDecodeError:
        latin = data.decode("latin-1")
    if any(0x80 <= ord(ch) < 0xA0 for ch in latin):  # C1 controls: not Latin-1 text
        return None
    letters = len(_LATIN_LETTER.findall(latin))
    if letters and len(_HIGH_LATIN.findall(latin)) <= 0.2 * letters:
        return latin
    return None


def read_jsonl_stream(
    stream: Iterable[bytes], origin: str, published: date | None = None
) -> Iterator[Article | ReadProblem]:
    """Articles of a JSON Lines stream, one line in memory at a time."""
    seen = False
    for number, raw in enumerate(stream, start=1):
        if number == 1 and b"\x00" in raw[:_SNIFF]:
            yield ReadProblem(origin, "binary file (contains NUL bytes); give UTF-8 JSON Lines")
            return
        where = f"{origin}:{number}"
        line = _decode(raw, where)
        if isinstance(line, ReadProblem):
            yield line
            continue
        if line.strip():
            seen = True
            yield from _jsonl_record(line, where, published)
    if not seen:
        yield ReadProblem(origin, "the file is empty")


def _jsonl_record(line: str, where: str, published: date | None) -> Iterator[Article | ReadProblem]:
    if not line.strip():
        return
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        yield ReadProblem(where, f"invalid JSON at column {err.colno}: {err.msg}")
        return
    except RecursionError:
        yield ReadProblem(where, "JSON nested too deeply")
        return
    yield article_from_record(record, where, published)


def _article_from_text(text: str, origin: str, published: date | None) -> Article | ReadProblem:
    text = html_to_text(text)
    if not text.strip():
        return ReadProblem(origin, "the file holds no text (markup only)")
    if len(text) > MAX_ARTICLE_CHARS:
        return _too_long(origin, len(text))
    return Article(id=content_id(text), text=text, published=published, origin=origin)


def _too_long(origin: str, length: int) -> ReadProblem:
    return ReadProblem(
        origin,
        f"the article is {length:,} characters long, more than the {MAX_ARTICLE_CHARS:,} an "
        "article may have (set KG_MAX_ARTICLE_CHARS to raise the limit); split it into articles",
    )


def article_from_record(
    record: Any, origin: str, published: date | None = None
) -> Article | ReadProblem:
    """An Article from one JSON object, accepting the field names of common corpora."""
    if not isinstance(record, dict):
        return ReadProblem(origin, f"expected a JSON object, found {_json_type(record)}")
    text = record.get("text", record.get("content"))
    if not isinstance(text, str):
        if text is None:
            return ReadProblem(origin, "the record has no 'text' (or 'content') field")
        return ReadProblem(origin, f"'text' must be a string, found {_json_type(text)}")
    text = html_to_text(_unpaired(text))
    if not text.strip():
        return ReadProblem(origin, "the article text is empty")
    if len(text) > MAX_ARTICLE_CHARS:
        return _too_long(origin, len(text))
    fields: dict[str, str | None] = {}
    for name in ("id", "title", "url", "source", "lang"):
        value = record.get(name)
        if value is not None and (not isinstance(value, str | int) or isinstance(value, bool)):
            return ReadProblem(origin, f"'{name}' must be a string, found {_json_type(value)}")
        fields[name] = _unpaired(str(value)) if value is not None else None
    if fields["id"] is not None and not 0 < len(fields["id"].strip()) <= MAX_ID_CHARS:
        return ReadProblem(origin, f"'id' must have 1 to {MAX_ID_CHARS} characters")
    if fields["title"]:
        fields["title"] = html_to_text(fields["title"])
    raw_date = record.get("published", record.get("date", record.get("date_extracted")))
    when = parse_date(raw_date) if raw_date is not None else published
    if raw_date is not None and when is None:
        return ReadProblem(origin, f"unreadable publication date {raw_date!r}; use YYYY-MM-DD")
    url = fields["url"]
    article_id = fields["id"] or (url_id(url) if url else content_id(text))
    return Article(
        id=article_id,
        text=text,
        title=fields["title"] or "",
        lang=(fields["lang"] or None),
        published=when,
        url=url,
        source=fields["source"],
        origin=origin,
    )


_SURROGATE = re.compile("[\ud800-\udfff]")


def _unpaired(text: str) -> str:
    """JSON may escape lone UTF-16 surrogates ("\\ud800"), which no UTF-8 text can hold: they
    become U+FFFD, as a decoder would make them."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def _json_type(value: Any) -> str:
    return JSON_TYPES.get(type(value).__name__, type(value).__name__)


_MARKUP = re.compile(
    r"<(?:!doctype|html|head|body|script|style|p|div|br|span|a|b|i|em|strong|h[1-6]|ul|ol|li|"
    r"table|tr|td|img|meta|title|article|section|iframe|noscript|svg|figure)\b[^>]*>",
    re.IGNORECASE,
)


class _TextOfHTML(HTMLParser):
    """The visible text of an HTML document: scripts, styles and the like dropped, block
    elements ending lines, character references resolved."""

    HIDDEN = frozenset({"script", "style", "noscript", "template", "head", "svg", "iframe"})
    BLOCKS = frozenset(
        {
            "p",
            "div",
            "br",
            "li",
            "tr",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "article",
            "section",
            "blockquote",
            "figure",
            "figcaption",
            "table",
            "ul",
            "ol",
            "title",
        }
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def html_to_text(text: str) -> str:
    """Text unchanged, or, when it carries HTML markup, the markup's visible text."""
    if "<" not in text or not _MARKUP.search(text):
        return text
    parser = _TextOfHTML()
    parser.feed(text)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def parse_date(value: Any) -> date | None:
    """A date from 'YYYY-MM-DD', 'YYYY-MM-DD HH:MM:SS' or an ISO timestamp."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        return None


def content_id(text: str) -> str:
    """A stable id for an article without one: the hash of its normalised text."""
    digest = hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()
    return "a-" + digest[:16]


def url_id(url: str) -> str:
    digest = hashlib.sha256(url.strip().encode("utf-8")).hexdigest()
    return "u-" + digest[:16]
