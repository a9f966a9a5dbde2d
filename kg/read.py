"""Read articles from files: .txt, .json, .jsonl, .zip archives of those, directories and globs.

Reading never raises on bad input: every problem becomes a `ReadProblem` naming the file (and
record) and saying what is wrong, so that a batch goes on with the good files.
"""

from __future__ import annotations

import glob
import hashlib
import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from kg.records import Article

SUPPORTED = (".txt", ".json", ".jsonl")


@dataclass(frozen=True)
class ReadProblem:
    """A file or record that could not be read, and why, in plain words."""

    origin: str
    message: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.message}"


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
        data = path.read_bytes()
    except OSError as err:
        yield ReadProblem(origin, f"cannot read: {err.strerror or err}")
        return
    yield from read_bytes(data, suffix, origin, published=published)


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
                data = archive.read(name)
            except (zipfile.BadZipFile, OSError, RuntimeError) as err:
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
        yield from _read_jsonl(text, origin, published)
    else:
        try:
            value = json.loads(text)
        except json.JSONDecodeError as err:
            yield ReadProblem(
                origin, f"invalid JSON at line {err.lineno}, column {err.colno}: {err.msg}"
            )
            return
        records = value if isinstance(value, list) else [value]
        for index, record in enumerate(records, start=1):
            where = origin if len(records) == 1 else f"{origin} [record {index}]"
            yield article_from_record(record, where, published)


def _decode(data: bytes, origin: str) -> str | ReadProblem:
    if b"\x00" in data[:8192]:
        return ReadProblem(origin, "binary file (contains NUL bytes); give UTF-8 text or JSON")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return ReadProblem(
            origin,
            f"not UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start}); "
            "convert it to UTF-8, e.g. iconv -f WINDOWS-1256 -t UTF-8",
        )


def _read_jsonl(text: str, origin: str, published: date | None) -> Iterator[Article | ReadProblem]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            yield ReadProblem(where, f"invalid JSON at column {err.colno}: {err.msg}")
            continue
        yield article_from_record(record, where, published)


def _article_from_text(text: str, origin: str, published: date | None) -> Article:
    return Article(id=content_id(text), text=text, published=published, origin=origin)


def article_from_record(
    record: Any, origin: str, published: date | None = None
) -> Article | ReadProblem:
    """An Article from one JSON object, accepting the field names of common corpora."""
    if not isinstance(record, dict):
        return ReadProblem(origin, f"expected a JSON object, found {type(record).__name__}")
    text = record.get("text", record.get("content"))
    if not isinstance(text, str):
        if text is None:
            return ReadProblem(origin, "the record has no 'text' (or 'content') field")
        return ReadProblem(origin, f"'text' must be a string, found {type(text).__name__}")
    if not text.strip():
        return ReadProblem(origin, "the article text is empty")
    fields: dict[str, str | None] = {}
    for name in ("id", "title", "url", "source", "lang"):
        value = record.get(name)
        if value is not None and not isinstance(value, (str, int)):
            return ReadProblem(origin, f"'{name}' must be a string, found {type(value).__name__}")
        fields[name] = str(value) if value is not None else None
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
