"""Analysis helpers for notebooks: SPARQL results as DataFrames, time series, networks, display.

The notebooks in `notebooks/` are meant to stay short and to read only public APIs, so the few
steps an analyst repeats live here as plain functions over a store (or a networkx graph):

- `load_articles` — ingest files into a (temporary) store by running the `kg ingest` command, so
  notebooks get exactly what the command line gives (occasion merging, provenance, run records);
- `query_frame` — a named query (ontology/queries/*.rq) or any SELECT as a typed DataFrame;
- `events_frame`, `events_over_time`, `top_dyads`, `counterparts` — tables of events;
- `network`, `centrality`, `communities`, `ego`, `snapshots`, `position_over_time` — network
  analysis over the projections of `kg.graphs`;
- `plot_over_time`, `plot_ranking` — the two plots the notebooks draw most, always titled and
  labelled;
- `show` — the interactive page of `kg.viz` inline in Jupyter and VS Code;
- `find_project_root`, `sample_files`, `stop_notebook` — notebook plumbing.

pandas is needed here (the `notebooks` extra); matplotlib only by the plotting helpers and
IPython only by `show` and `stop_notebook`, imported when they are called, so that importing this
module never pulls a plotting stack into scripts.

Dates. Most news articles date only some events (a reception "yesterday" is dated, a meeting
"recently" is not). The time-based functions therefore place an undated event on the day its first
article was published (`undated="published"`, the default: news reports events within a day or
two) or leave it out (`undated="drop"`). `events_frame` keeps both dates and says which one was
used (`when`, `dated`).
"""

from __future__ import annotations

import atexit
import difflib
import html
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import networkx as nx
import pandas as pd
import pyoxigraph as ox

from kg.graphs import EVENT_TYPES, Filters, fetch_events, parse_date
from kg.namespaces import COUNTRY, REFERENCE_GRAPH
from kg.queries import bind, named_queries
from kg.store import open_store

if TYPE_CHECKING:
    from IPython.display import HTML
    from matplotlib.axes import Axes

__all__ = [
    "IngestError",
    "IngestReport",
    "centrality",
    "communities",
    "counterparts",
    "ego",
    "events_frame",
    "events_over_time",
    "find_project_root",
    "load_articles",
    "network",
    "plot_over_time",
    "plot_ranking",
    "position_over_time",
    "query_frame",
    "resolve_node",
    "sample_files",
    "show",
    "snapshots",
    "stop_notebook",
    "top_dyads",
]

Undated = Literal["published", "drop"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {
    _XSD + name
    for name in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
}
_FLOAT_TYPES = {_XSD + "decimal", _XSD + "double", _XSD + "float"}
_DATE_TYPES = {_XSD + "date", _XSD + "dateTime", _XSD + "dateTimeStamp"}
_BOOLEAN = _XSD + "boolean"
_ZONED = re.compile(r"T.*(?:Z|[+-]\d\d:\d\d)$")


# --- finding things ---------------------------------------------------------------------------


def find_project_root(start: Path | str | None = None) -> Path:
    """The project folder (the one with dipkg's pyproject.toml), searched from `start` (default:
    the working directory) upwards, else where the installed package lives.

    Notebooks are executed from `notebooks/` by Jupyter and from the repository root by some
    runners; both find the same root, so `ROOT / "examples"` works either way."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if _is_project(folder):
            return folder
    from kg.paths import ROOT

    if _is_project(ROOT):
        return ROOT
    raise FileNotFoundError(f"no dipkg project folder at or above {here}")


def _is_project(folder: Path) -> bool:
    pyproject = folder / "pyproject.toml"
    try:
        return pyproject.is_file() and 'name = "dipkg"' in pyproject.read_text(encoding="utf-8")
    except OSError:
        return False


def sample_files(paths: Iterable[Path | str], limit: int | None) -> list[Path]:
    """At most `limit` of the files, spread evenly over their sorted order (first and last
    included), so that a subset of a daily corpus still spans its whole period. `limit` None or
    below 1 keeps every file."""
    files = sorted(Path(p) for p in paths)
    if limit is None or limit < 1 or limit >= len(files):
        return files
    if limit == 1:
        return [files[0]]
    step = (len(files) - 1) / (limit - 1)
    return [files[round(i * step)] for i in range(limit)]


# --- ingestion --------------------------------------------------------------------------------


class IngestError(RuntimeError):
    """`kg ingest` failed as a whole (not merely skipped some files); the message has its
    error output."""


@dataclass
class IngestReport:
    """What `load_articles` did: the store, its figures afterwards, and the command's output."""

    store_dir: Path
    articles: int
    """Articles in the store after the ingestion."""
    events: int
    """Distinct events in the store after the ingestion."""
    skipped: list[str] = field(default_factory=list)
    """The `skipped FILE: why` lines (bad files or records are reported, never fatal)."""
    output: str = ""
    """What `kg ingest` printed on stdout (its summary)."""
    returncode: int = 0

    def open(self, *, read_only: bool = True) -> ox.Store:
        """The store. Read-only by default: a read-only store does not lock the directory, so
        `kg serve` or another `load_articles` into the same store can run beside the notebook
        (a read-only store sees the data as of its opening)."""
        return open_store(self.store_dir, read_only=read_only)

    def __str__(self) -> str:
        text = f"{self.articles} articles, {self.events} events in {self.store_dir}"
        return text + (f" ({len(self.skipped)} inputs skipped)" if self.skipped else "")


_INGEST_MAIN = "from kg.cli import app; app(prog_name='kg')"
_TERMINAL_VARIABLES = {
    "FORCE_COLOR",
    "CLICOLOR_FORCE",
    "CLICOLOR",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "MPLBACKEND",
}
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def load_articles(
    paths: Iterable[Path | str],
    store_dir: Path | str | None = None,
    *,
    published: date | str | None = None,
    timeout: float | None = None,
) -> IngestReport:
    """Ingest files, folders, globs or zips into a store by running `kg ingest` in a child
    process with this interpreter, and return what it did.

    Why the command and not the functions behind it: ingestion (reading, extraction, occasion
    merging across articles, run records) is the command's job and is changed there; running it
    keeps notebooks identical to the command line, and the child process releases the store's
    write lock when it ends, so the notebook can open the store right away. `store_dir` None makes
    a fresh temporary store, deleted when this Python process (the notebook's kernel) exits:
    a store of a few days of news takes hundreds of megabytes; give `store_dir` to keep one.
    Inputs that cannot be read are listed in `skipped` (as the command reports them) and do not
    raise; IngestError is raised when the command fails as a whole (e.g. the store is locked by
    another process)."""
    if store_dir is not None:
        target = Path(store_dir)
    else:
        scratch = tempfile.mkdtemp(prefix="dipkg-notebook-")
        atexit.register(shutil.rmtree, scratch, ignore_errors=True)
        target = Path(scratch) / "kg-data"
    args = [sys.executable, "-c", _INGEST_MAIN, "ingest", *map(str, paths), "--store", str(target)]
    day = parse_date(published, "published")
    if day is not None:
        args += ["--published", day.isoformat()]
    # Plain output: a Jupyter kernel sets FORCE_COLOR and CLICOLOR_FORCE, which would make the
    # command draw its progress bar and colour codes into the captured text.
    env = {k: v for k, v in os.environ.items() if k not in _TERMINAL_VARIABLES}
    env.update(COLUMNS="200", LINES="50", NO_COLOR="1", TTY_COMPATIBLE="0")
    done = subprocess.run(
        args, capture_output=True, text=True, encoding="utf-8", env=env, timeout=timeout
    )
    lines = _ANSI.sub("", done.stderr).splitlines()
    skipped = [line.strip() for line in lines if line.strip().startswith("skipped")]
    crashed = "Traceback (most recent call last)" in done.stderr  # also exits with status 1
    failed = crashed or done.returncode not in (0, 1) or (done.returncode == 1 and not skipped)
    if failed or not target.is_dir():
        errors = "\n".join(line for line in lines if line.strip())
        raise IngestError(f"kg ingest failed (exit status {done.returncode}):\n{errors}")
    store = open_store(target, read_only=True)
    articles = _count(store, "?a a <https://schema.org/NewsArticle>", "?a")
    events = _count(
        store,
        "?e a ?c FILTER(?c IN (<https://w3id.org/dipkg/ontology#Meeting>,"
        " <https://w3id.org/dipkg/ontology#Visit>, <https://w3id.org/dipkg/ontology#Call>))",
        "?e",
    )
    del store
    output = _ANSI.sub("", done.stdout).strip()
    return IngestReport(target, articles, events, skipped, output, done.returncode)


def _count(store: ox.Store, pattern: str, variable: str) -> int:
    query = f"SELECT (COUNT(DISTINCT {variable}) AS ?n) WHERE {{ GRAPH ?g {{ {pattern} }} }}"
    result = store.query(query)
    for row in result:  # type: ignore[union-attr]
        return int(row[0].value)
    return 0


# --- SPARQL results as DataFrames -------------------------------------------------------------


def query_frame(store: ox.Store, name: str, /, **params: object) -> pd.DataFrame:
    """The results of a named query (`kg queries` lists them) or of any SELECT query text, as a
    DataFrame with one column per projected variable, in the query's order.

    Parameters of a named query are bound by `kg.queries.bind` (as SPARQL values, never pasted
    into the text) and may be given as text, dates or integers; for a query text, strings become
    plain literals, dates xsd:date, integers xsd:integer, and pyoxigraph terms are used as they
    are. Columns are typed from the RDF datatypes, so that pandas can compute and plot them:
    integers (counts) as int (Int64 when some are unbound), decimals as float, xsd:date and
    xsd:dateTime as datetime64 (NaT when unbound), booleans as bool, everything else (IRIs,
    labels) as text."""
    queries = named_queries()
    if name in queries:
        query = queries[name]
        text = query.text
        substitutions = bind(query, {key: _param_text(value) for key, value in params.items()})
    elif _looks_like_sparql(name):
        text = name
        substitutions = {ox.Variable(key): _term(value) for key, value in params.items()}
    else:
        close = difflib.get_close_matches(name, list(queries), n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise KeyError(f"no named query {name!r}{hint}; known: {', '.join(queries)}")
    result = store.query(text, use_default_graph_as_union=False, substitutions=substitutions)
    if not isinstance(result, ox.QuerySolutions):
        raise ValueError("query_frame takes SELECT queries (ASK and CONSTRUCT give no table)")
    columns = [variable.value for variable in result.variables]
    rows = [[solution[column] for column in columns] for solution in result]
    data = {column: _typed_column([row[i] for row in rows]) for i, column in enumerate(columns)}
    return pd.DataFrame(data, columns=columns, index=pd.RangeIndex(len(rows)))


def _looks_like_sparql(text: str) -> bool:
    words = text.upper().split()
    return any(word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE") for word in words)


def _param_text(value: object) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, ox.NamedNode | ox.Literal):
        return value.value
    return str(value)


def _term(value: object) -> Any:
    if isinstance(value, ox.NamedNode | ox.Literal | ox.BlankNode):
        return value
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(_BOOLEAN))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(_XSD + "integer"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(_XSD + "double"))
    if isinstance(value, datetime):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(_XSD + "dateTime"))
    if isinstance(value, date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(_XSD + "date"))
    return ox.Literal(str(value))


def _datatype(term: Any) -> str:
    if isinstance(term, ox.Literal):
        return str(term.datatype.value)
    return "iri" if isinstance(term, ox.NamedNode) else "other"


def _typed_column(terms: Sequence[Any]) -> pd.Series:
    """A column from RDF terms, typed by their datatypes (all the same kind, else text)."""
    present = [t for t in terms if t is not None]
    kinds = {_datatype(t) for t in present}
    missing = len(present) < len(terms)
    if present and kinds <= _INTEGER_TYPES:
        values = [None if t is None else int(t.value) for t in terms]
        return pd.Series(values, dtype="Int64" if missing else "int64")
    if present and kinds <= _INTEGER_TYPES | _FLOAT_TYPES:
        return pd.Series([math.nan if t is None else float(t.value) for t in terms], dtype=float)
    if present and kinds <= _DATE_TYPES:
        raw = pd.Series([None if t is None else t.value for t in terms], dtype=object)
        # one column, one time zone: when any value has an offset, all are read as UTC
        zoned = any(_ZONED.search(str(t.value)) for t in present)
        return pd.to_datetime(raw, errors="coerce", format="ISO8601", utc=zoned)
    if present and kinds == {_BOOLEAN}:
        values = [None if t is None else t.value in ("true", "1") for t in terms]
        return pd.Series(values, dtype="boolean" if missing else bool)
    text = [None if t is None else _term_text(t) for t in terms]
    return pd.Series(text, dtype=object)


def _term_text(term: Any) -> str:
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term.value)


# --- events -----------------------------------------------------------------------------------

EVENT_COLUMNS = [
    "event",
    "type",
    "status",
    "date",
    "published",
    "when",
    "dated",
    "place",
    "countries",
    "country_names",
    "topics",
    "participants",
    "articles",
]


def events_frame(
    store: ox.Store,
    *,
    country: str | None = None,
    topic: str | None = None,
    type: str | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """One row per event (kg.graphs.fetch_events, the data behind every graph view), oldest first:
    `event` (IRI), `type`, `status`, `date` (the event's own date, NaT when the articles give
    none), `published` (the first publication of its articles), `when` (the date, else the
    publication day), `dated` (whether `when` is the event's own date), `place`, `countries`
    (ISO2 codes of the countries represented), `country_names`, `topics` (labels),
    `participants` (labels) and `articles` (number of reporting articles).

    Optional filters as in kg.graphs: `country` (ISO2), `topic` (id), `type`. Dates are not
    filtered here, since the graph filters drop undated events; the time functions below filter
    on `when` instead."""
    data = fetch_events(store, _filters(country=country, topic=topic, type=type), lang=lang)
    rows: list[dict[str, Any]] = []
    for event in data.ordered():
        published = [_day(s.published) for s in event.sources if s.published]
        first = min((d for d in published if d is not None), default=None)
        own = _day(event.date)
        rows.append(
            {
                "event": event.iri,
                "type": event.type,
                "status": event.status,
                "date": own,
                "published": first,
                "when": own or first,
                "dated": own is not None,
                "place": data.place_label(event),
                "countries": event.party_codes,
                "country_names": [data.label(c) for c in event.parties],
                "topics": [data.label(t) for t in event.topics],
                "participants": [
                    data.label(agent, _name_in_text(event.participations, agent))
                    for agent in event.agents()
                ],
                "articles": len(event.sources),
            }
        )
    frame = pd.DataFrame(rows, columns=EVENT_COLUMNS)
    for column in ("date", "published", "when"):
        frame[column] = pd.to_datetime(frame[column])
    frame["dated"] = frame["dated"].astype(bool)
    frame["articles"] = frame["articles"].astype("int64")
    return frame


def _name_in_text(participations: Iterable[Any], agent: str) -> str | None:
    return next((p.name for p in participations if p.agent == agent and p.name), None)


def _day(text: str | None) -> datetime | None:
    """The day of an ISO date or dateTime literal, None when there is none or it is garbled."""
    if not text:
        return None
    try:
        return datetime.combine(date.fromisoformat(str(text)[:10]), datetime.min.time())
    except ValueError:
        return None


def _filters(**values: Any) -> Filters:
    return Filters.of(**values)


def _in_window(when: pd.Series, since: date | str | None, until: date | str | None) -> pd.Series:
    keep = when.notna()
    start, end = parse_date(since, "since"), parse_date(until, "until")
    if start is not None:
        keep &= when >= pd.Timestamp(start)
    if end is not None:
        keep &= when <= pd.Timestamp(end)
    return keep


_BY_COLUMN = {
    "type": "type",
    "status": "status",
    "topic": "topics",
    "country": "country_names",
    "place": "place",
}


def events_over_time(
    store: ox.Store,
    freq: str = "W",
    by: str | None = "type",
    *,
    since: date | str | None = None,
    until: date | str | None = None,
    undated: Undated = "published",
    country: str | None = None,
    topic: str | None = None,
    type: str | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """Events per period (pandas frequency: "D", "W", "M", "Q", "Y"), one column per value of
    `by` ("type", "status", "topic", "country", "place", or None for a single `events` column).

    The index holds the first day of each period, every period from the first to the last event
    (empty ones as 0), so plots show quiet weeks too. An event discussing two topics (or with two
    countries) counts once in each of their columns; columns are ordered by their totals (ties
    alphabetically). Undated events are placed on their first publication day
    (`undated="published"`) or left out (`"drop"`); `frame.attrs["left_out"]` says how many
    events had no usable day or fell outside `since`/`until`."""
    if by is not None and by not in _BY_COLUMN:
        raise ValueError(f"by must be one of {', '.join(_BY_COLUMN)} or None, not {by!r}")
    _check_undated(undated)
    events = events_frame(store, country=country, topic=topic, type=type, lang=lang)
    when = events["when"] if undated == "published" else events["date"]
    keep = _in_window(when, since, until)
    selected = events.loc[keep].assign(period=when[keep].dt.to_period(freq))
    if by is None:
        selected = selected.assign(group="events")
    else:
        selected = selected.assign(group=selected[_BY_COLUMN[by]]).explode("group")
        selected = selected[selected["group"].notna() & (selected["group"] != "")]
    if selected.empty:
        frame = pd.DataFrame(index=pd.DatetimeIndex([], name="period"), dtype="int64")
    else:
        counts = pd.crosstab(selected["period"], selected["group"])
        found = pd.PeriodIndex(counts.index)
        periods = pd.period_range(found.min(), found.max(), freq=found.freq)
        counts = counts.reindex(periods, fill_value=0)
        order = counts.sum().sort_values(ascending=False, kind="stable").index
        frame = counts[order].astype("int64")
        frame.index = pd.DatetimeIndex(periods.to_timestamp(how="start"), name="period")
        frame.columns = pd.Index([str(c) for c in frame.columns], name=by or "events")
    frame.attrs["left_out"] = int((~keep).sum())
    frame.attrs["freq"] = freq
    return frame


def top_dyads(
    store: ox.Store,
    n: int = 20,
    *,
    view: str = "countries",
    since: date | str | None = None,
    until: date | str | None = None,
    undated: Undated = "published",
    country: str | None = None,
    topic: str | None = None,
    type: str | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """The `n` pairs (of countries, or of people and organizations with `view="actors"`) that
    took part in the most events together: the heaviest edges of the network view, so the
    figures agree with the graphs. Columns: `a`, `b` (labels, in alphabetical order), `events`,
    `meetings`, `visits`, `calls`, `first` and `last` (event dates), and the IRIs
    `a_iri`, `b_iri`. Ties are ordered by label; `since`/`until` as in `network`."""
    graph = network(
        store,
        view,
        since=since,
        until=until,
        undated=undated,
        country=country,
        topic=topic,
        type=type,
        lang=lang,
    )
    table: Mapping[str, Any] = graph.graph.get("events", {})
    rows = []
    for u, v, attrs in graph.edges(data=True):
        (a, a_iri), (b, b_iri) = sorted(
            ((_label(graph, u), str(u)), (_label(graph, v), str(v))), key=lambda x: x[0].casefold()
        )
        events = [table.get(e, {}) for e in attrs.get("events", ())]
        types = Counter(e.get("type") for e in events)
        dates = sorted(d for d in (_day(e.get("date")) for e in events) if d is not None)
        rows.append(
            {
                "a": a,
                "b": b,
                "events": int(attrs.get("weight", len(events))),
                "meetings": types["meeting"],
                "visits": types["visit"],
                "calls": types["call"],
                "first": dates[0] if dates else None,
                "last": dates[-1] if dates else None,
                "a_iri": a_iri,
                "b_iri": b_iri,
            }
        )
    columns = ["a", "b", "events", "meetings", "visits", "calls", "first", "last", "a_iri", "b_iri"]
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("first", "last"):
        frame[column] = pd.to_datetime(frame[column])
    for column in ("events", "meetings", "visits", "calls"):
        frame[column] = frame[column].astype("int64")
    frame = frame.sort_values(["events", "a", "b"], ascending=[False, True, True], kind="stable")
    return frame.head(n).reset_index(drop=True)


def counterparts(
    store: ox.Store,
    country: str,
    n: int | None = 20,
    *,
    kinds: Sequence[str] = ("person",),
    since: date | str | None = None,
    until: date | str | None = None,
    undated: Undated = "published",
    type: str | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """Whom a country's officials met: the participants of events in which someone represents
    `country` (ISO2) who represent another country (or none), by number of such events.

    `kinds` chooses people and/or organizations ("person", "organization"). Columns: `name`,
    `represents` (the country they represent most often), `title` (their most frequent title in
    these events), `known` (whether the reference data holds them: leaders and ministers are
    known, officials the articles name in passing mostly are not), `events`, `meetings`,
    `visits`, `calls`, `first`, `last` (by `when`, see events_frame) and `iri`."""
    code = _iso2(country)
    data = fetch_events(store, _filters(country=code, type=type), lang=lang)
    home = str(COUNTRY) + code
    start, end = parse_date(since, "since"), parse_date(until, "until")
    found: dict[str, dict[str, Any]] = {}
    for event in data.ordered():
        when = _day(event.date)
        if when is None and undated == "published":
            when = min(
                (d for d in (_day(s.published) for s in event.sources) if d is not None),
                default=None,
            )
        if (start or end) and not _within(when, start, end):
            continue
        seen: set[str] = set()
        for p in event.participations:
            if p.country == home or p.agent in seen or data.kind(p.agent) not in kinds:
                continue
            seen.add(p.agent)
            entry = found.setdefault(
                p.agent,
                {"titles": Counter(), "countries": Counter(), "types": Counter(), "days": []},
            )
            if p.title:
                entry["titles"][p.title] += 1
            if p.country:
                entry["countries"][p.country] += 1
            entry["types"][event.type] += 1
            entry.setdefault("name", data.label(p.agent, p.name))
            if when is not None:
                entry["days"].append(when)
    rows = []
    for iri, entry in found.items():
        countries: Counter[str] = entry["countries"]
        titles: Counter[str] = entry["titles"]
        types: Counter[str] = entry["types"]
        days = sorted(entry["days"])
        rows.append(
            {
                "name": entry["name"],
                "represents": data.label(_top(countries)) if countries else "",
                "title": _top(titles) if titles else "",
                "known": _in_reference(store, iri),
                "events": sum(types.values()),
                "meetings": types["meeting"],
                "visits": types["visit"],
                "calls": types["call"],
                "first": days[0] if days else None,
                "last": days[-1] if days else None,
                "iri": iri,
            }
        )
    columns = [
        "name",
        "represents",
        "title",
        "known",
        "events",
        "meetings",
        "visits",
        "calls",
        "first",
        "last",
        "iri",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("first", "last"):
        frame[column] = pd.to_datetime(frame[column])
    for column in ("events", "meetings", "visits", "calls"):
        frame[column] = frame[column].astype("int64")
    frame["known"] = frame["known"].astype(bool)
    frame = frame.sort_values(["events", "name"], ascending=[False, True], kind="stable")
    frame = frame.reset_index(drop=True)
    return frame if n is None else frame.head(n)


def _in_reference(store: ox.Store, iri: str) -> bool:
    label = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    found = store.quads_for_pattern(ox.NamedNode(iri), label, None, ox.NamedNode(REFERENCE_GRAPH))
    return next(iter(found), None) is not None


def _top(counts: Counter[str]) -> str:
    """The most frequent value, ties broken alphabetically (stable across runs)."""
    return min(counts, key=lambda value: (-counts[value], value))


def _iso2(country: str) -> str:
    from kg.graphs import parse_country

    code = parse_country(country)
    if code is None:
        raise ValueError("country must be a two-letter ISO code such as SA")
    return code


# --- networks ---------------------------------------------------------------------------------


def network(
    store: ox.Store,
    view: str = "countries",
    *,
    since: date | str | None = None,
    until: date | str | None = None,
    undated: Undated = "published",
    country: str | None = None,
    topic: str | None = None,
    type: str | None = None,
    lang: str = "en",
) -> nx.Graph:
    """A projection of kg.graphs by its view name (countries, actors, events, topics), the graph
    `kg viz --view` draws.

    `since`/`until` select events by their day as everywhere in this module: the event's own
    date, else its first publication day (`undated="published"`). kg.graphs' date filters leave
    undated events out, which in news is most of them; `undated="drop"` gives the same graph as
    kg.graphs. The other filters are passed on to kg.graphs."""
    from kg.views import VIEWS

    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(VIEWS)}, not {view!r}")
    _check_undated(undated)
    build = VIEWS[view]
    full = build(store, country=country, topic=topic, type=type, lang=lang)
    start, end = parse_date(since, "since"), parse_date(until, "until")
    if start is None and end is None:
        return full
    if start and end and start > end:
        raise ValueError(f"since ({start}) is after until ({end})")
    table: Mapping[str, Mapping[str, Any]] = full.graph.get("events", {})
    keep = {iri for iri, event in table.items() if _within(_event_day(event, undated), start, end)}
    span = f"from {start or 'the start'} to {end or 'the end'}"
    graph = _restrict(full, keep, span)
    window = {
        "since": start.isoformat() if start else None,
        "until": end.isoformat() if end else None,
    }
    graph.graph["filters"] = {
        **full.graph.get("filters", {}),
        **{k: v for k, v in window.items() if v},
    }
    return graph


def _check_undated(undated: str) -> None:
    if undated not in ("published", "drop"):
        raise ValueError(f"undated must be 'published' or 'drop', not {undated!r}")


def _within(day: datetime | None, start: date | None, end: date | None) -> bool:
    if day is None:
        return False
    return not ((start and day.date() < start) or (end and day.date() > end))


def _label(graph: nx.Graph, node: Any) -> str:
    return str(graph.nodes[node].get("label") or node)


def centrality(graph: nx.Graph, *, weight: str | None = "weight") -> pd.DataFrame:
    """Degree, betweenness and eigenvector centrality per node, with its label and kind, most
    connected first (index: the node IRIs).

    - `degree` — neighbours; `strength` — events on its edges (sum of weights);
      `degree_centrality` — neighbours / (nodes − 1);
    - `betweenness` — share of shortest paths through the node (counted in hops: edge weights
      count events, a closeness, not a distance), normalised;
    - `eigenvector` — weighted, so ties with busy partners count more. networkx's power
      iteration (pure Python, no numpy) is used; when it does not converge (it can on some
      graphs) it is retried with more iterations and a looser tolerance, and if that fails the
      column is NaN and `frame.attrs["eigenvector"]` says why instead of raising. On a graph
      with several components the values concentrate in the strongest component (the others
      are near 0): compare eigenvector values within a component."""
    columns = [
        "label",
        "kind",
        "degree",
        "strength",
        "degree_centrality",
        "betweenness",
        "eigenvector",
    ]
    if graph.number_of_nodes() == 0:
        empty = pd.DataFrame(columns=columns, index=pd.Index([], name="node"))
        empty.attrs["eigenvector"] = "empty graph"
        return empty
    simple = graph if not graph.is_directed() else graph.to_undirected()
    degree_centrality = nx.degree_centrality(simple)
    betweenness = nx.betweenness_centrality(simple, normalized=True)
    eigenvector, note = _eigenvector(simple, weight)
    rows = []
    for node in simple.nodes:
        rows.append(
            {
                "node": str(node),
                "label": _label(simple, node),
                "kind": str(simple.nodes[node].get("kind", "")),
                "degree": int(simple.degree(node)),
                "strength": float(simple.degree(node, weight=weight)) if weight else 0.0,
                "degree_centrality": float(degree_centrality[node]),
                "betweenness": float(betweenness[node]),
                "eigenvector": float(eigenvector.get(node, math.nan)),
            }
        )
    frame = pd.DataFrame(rows).set_index("node")[columns]
    if weight and (frame["strength"] % 1 == 0).all():
        frame["strength"] = frame["strength"].astype("int64")
    frame = frame.sort_values(
        ["degree", "strength", "label"], ascending=[False, False, True], kind="stable"
    )
    frame.attrs["eigenvector"] = note
    return frame


def _eigenvector(graph: nx.Graph, weight: str | None) -> tuple[dict[Any, float], str]:
    """Eigenvector centrality by power iteration, tolerant of slow convergence."""
    if graph.number_of_edges() == 0:
        return {node: 0.0 for node in graph}, "no edges: eigenvector centrality is 0"
    attempts = ((1000, 1e-06), (10_000, 1e-04))
    for max_iter, tol in attempts:
        try:
            values = nx.eigenvector_centrality(graph, max_iter=max_iter, tol=tol, weight=weight)
        except nx.PowerIterationFailedConvergence:
            continue
        except (ZeroDivisionError, nx.NetworkXException) as error:
            return {}, f"not computed: {error}"
        note = "converged" if tol == attempts[0][1] else f"converged with tolerance {tol}"
        return {node: float(v) for node, v in values.items()}, note
    return {}, f"did not converge within {attempts[-1][0]} iterations"


def communities(
    graph: nx.Graph,
    seed: int | None = 0,
    *,
    weight: str | None = "weight",
    resolution: float = 1.0,
) -> pd.DataFrame:
    """Louvain communities (networkx.community.louvain_communities, weighted by events): one row
    per node with `label`, `kind`, `community` (0 for the largest, then by size and label) and
    `size`. The seed makes runs repeatable (Louvain visits nodes in random order);
    `frame.attrs["modularity"]` tells how clear-cut the partition is (above ~0.3: real
    groups)."""
    columns = ["label", "kind", "community", "size"]
    if graph.number_of_nodes() == 0:
        empty = pd.DataFrame(columns=columns, index=pd.Index([], name="node"))
        empty.attrs["modularity"] = math.nan
        return empty
    found = nx.community.louvain_communities(graph, weight=weight, resolution=resolution, seed=seed)
    groups = sorted(
        (sorted(group, key=lambda n: _label(graph, n).casefold()) for group in found),
        key=lambda group: (-len(group), _label(graph, group[0]).casefold()),
    )
    rows = []
    for number, group in enumerate(groups):
        for node in group:
            rows.append(
                {
                    "node": str(node),
                    "label": _label(graph, node),
                    "kind": str(graph.nodes[node].get("kind", "")),
                    "community": number,
                    "size": len(group),
                }
            )
    frame = pd.DataFrame(rows).set_index("node")[columns]
    frame["community"] = frame["community"].astype("int64")
    frame["size"] = frame["size"].astype("int64")
    try:
        modularity = nx.community.modularity(graph, [set(g) for g in groups], weight=weight)
    except ZeroDivisionError:  # no edges
        modularity = math.nan
    frame.attrs["modularity"] = float(modularity)
    return frame


def resolve_node(graph: nx.Graph, focus: str) -> str:
    """The node `focus` names: its IRI, an ISO2 code (country views), or a label in any
    language (case-insensitive). ValueError with the closest labels when nothing or several
    nodes match."""
    if focus in graph:
        return focus
    text = focus.strip()
    if len(text) == 2 and text.isalpha() and str(COUNTRY) + text.upper() in graph:
        return str(COUNTRY) + text.upper()
    wanted = text.casefold()
    matches = []
    labels: dict[str, Any] = {}
    for node, attrs in graph.nodes(data=True):
        names = {str(attrs.get("label", ""))}
        names.update(str(v) for v in (attrs.get("labels") or {}).values())
        for name in names:
            labels.setdefault(name, node)
        if wanted in {name.casefold() for name in names if name}:
            matches.append(node)
    if len(matches) == 1:
        return str(matches[0])
    if matches:
        listed = ", ".join(f"{_label(graph, m)} <{m}>" for m in matches[:5])
        raise ValueError(f"{focus!r} names several nodes: {listed}; give the IRI")
    close = difflib.get_close_matches(text, [name for name in labels if name], n=5, cutoff=0.5)
    hint = f"; closest: {', '.join(close)}" if close else ""
    raise ValueError(f"{focus!r} is not a node of this graph{hint}")


def _auto_view(focus: str) -> str:
    text = focus.strip()
    if text.startswith(str(COUNTRY)) or (len(text) == 2 and text.isalpha() and text.isupper()):
        return "countries"
    return "actors"


def _network_with(
    store: ox.Store, focus: str, view: str | None, **filters: Any
) -> tuple[nx.Graph, str]:
    """The view graph and the node `focus` names in it; without a view, the actors view, else
    the countries view (e.g. for "Egypt", since the actors view leaves countries out)."""
    views = [view] if view else [_auto_view(focus), "countries", "actors"]
    error: ValueError | None = None
    for name in dict.fromkeys(views):
        graph = network(store, name, **filters)
        try:
            return graph, resolve_node(graph, focus)
        except ValueError as problem:
            error = error or problem
    assert error is not None
    raise error


def ego(
    store: ox.Store,
    focus: str,
    depth: int = 1,
    *,
    view: str | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    undated: Undated = "published",
    country: str | None = None,
    topic: str | None = None,
    type: str | None = None,
    lang: str = "en",
) -> nx.Graph:
    """The ego network of `focus` (an IRI, an ISO2 code or a label): every node within `depth`
    steps of it and the edges between them (kg.graphs.ego_network), in the given view or, by
    default, in the actors view for people and organizations and the countries view for
    countries. The filters narrow the events first, as in `network`."""
    graph, node = _network_with(
        store,
        focus,
        view,
        since=since,
        until=until,
        undated=undated,
        country=country,
        topic=topic,
        type=type,
        lang=lang,
    )
    from kg.graphs import ego_network

    return ego_network(graph, node, depth)


def _event_day(event: Mapping[str, Any], undated: Undated) -> datetime | None:
    own = _day(event.get("date"))
    if own is not None or undated == "drop":
        return own
    sources = event.get("sources") or ()
    days = [d for d in (_day(s.get("published")) for s in sources) if d is not None]
    return min(days, default=None)


def snapshots(
    store: ox.Store,
    freq: str = "M",
    view: str = "countries",
    *,
    since: date | str | None = None,
    until: date | str | None = None,
    undated: Undated = "published",
    country: str | None = None,
    topic: str | None = None,
    type: str | None = None,
    lang: str = "en",
) -> dict[pd.Period, nx.Graph]:
    """The network of each period (pandas frequency), oldest first, every period from the first
    to the last event (a quiet period gives an empty graph, so series stay continuous).

    The view is built once and split by the day of each event (see `undated`): a period's graph
    has the nodes and edges with events in that period, `weight` and `events` counting those
    only, and `graph.graph["period"]`. Comparing snapshots shows who gains or loses partners."""
    _check_undated(undated)
    full = network(store, view, country=country, topic=topic, type=type, lang=lang)
    table: Mapping[str, Mapping[str, Any]] = full.graph.get("events", {})
    start, end = parse_date(since, "since"), parse_date(until, "until")
    period_of: dict[str, pd.Period] = {}
    for iri, event in table.items():
        day = _event_day(event, undated)
        if _within(day, start, end):
            period_of[iri] = pd.Period(day, freq=freq)
    if not period_of:
        return {}
    members: dict[pd.Period, set[str]] = {}
    for iri, period in period_of.items():
        members.setdefault(period, set()).add(iri)
    periods = pd.period_range(min(period_of.values()), max(period_of.values()), freq=freq)
    result = {}
    for period in periods:
        graph = _restrict(full, members.get(period, set()), f"in {period}")
        graph.graph["period"] = str(period)
        result[period] = graph
    return result


def _restrict(full: nx.Graph, keep: set[str], span: str) -> nx.Graph:
    """The part of `full` made by the events in `keep`: the nodes and edges with such events,
    their `events`, `event_count` and `weight` counting those only, tooltips saying `span`."""
    table: Mapping[str, Any] = full.graph.get("events", {})
    graph = full.__class__()
    graph.graph.update({k: v for k, v in full.graph.items() if k != "events"})
    used: set[str] = set()
    for node, attrs in full.nodes(data=True):
        events = [e for e in attrs.get("events", ()) if e in keep]
        if events:
            label = _label(full, node)
            graph.add_node(
                node,
                **{
                    **attrs,
                    "events": events,
                    "event_count": len(events),
                    "tooltip": f"{label}\n{_breakdown(table, events)} {span}",
                },
            )
            used.update(events)
    for a, b, attrs in full.edges(data=True):
        events = [e for e in attrs.get("events", ()) if e in keep]
        if events:
            head = f"{_label(full, a)} — {_label(full, b)}"
            breakdown = _breakdown(table, events)
            extra = {"label": breakdown} if "label" in attrs and not attrs.get("role") else {}
            graph.add_edge(
                a,
                b,
                **{
                    **attrs,
                    **extra,
                    "events": events,
                    "weight": len(events),
                    "tooltip": f"{head}\n{breakdown} {span}",
                },
            )
    graph.graph["events"] = {k: v for k, v in table.items() if k in used}
    return graph


def _breakdown(table: Mapping[str, Any], events: Sequence[str]) -> str:
    counts = Counter(str(table.get(e, {}).get("type", "event")) for e in events)
    plural = {"meeting": "meetings", "visit": "visits", "call": "calls", "event": "events"}
    order = [*EVENT_TYPES, "event"]
    return ", ".join(
        f"{counts[t]} {t if counts[t] == 1 else plural[t]}" for t in order if counts[t]
    )


def position_over_time(
    store: ox.Store,
    actor: str,
    freq: str = "M",
    *,
    view: str | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    undated: Undated = "published",
    country: str | None = None,
    topic: str | None = None,
    type: str | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """How an actor's place in the network changes: one row per period (index: its first day)
    with `present`, `nodes` (size of that period's network), `degree`, `strength`,
    `betweenness`, `eigenvector` and `rank` (by degree, then strength; 1 = most connected, NA
    when absent).

    `actor` is an IRI, an ISO2 code or a label, looked up as in `ego` (countries view for a
    country, actors view for people and organizations, unless `view` is given)."""
    full, node = _network_with(
        store, actor, view, country=country, topic=topic, type=type, lang=lang
    )
    chosen = str(full.graph.get("view", view or "countries"))
    periods = snapshots(
        store,
        freq,
        chosen,
        since=since,
        until=until,
        undated=undated,
        country=country,
        topic=topic,
        type=type,
        lang=lang,
    )
    rows = []
    for period, graph in periods.items():
        row: dict[str, Any] = {
            "period": period.to_timestamp(how="start"),
            "present": node in graph,
            "nodes": graph.number_of_nodes(),
            "degree": 0,
            "strength": 0,
            "betweenness": 0.0,
            "eigenvector": 0.0,
            "rank": pd.NA,
        }
        if node in graph:
            measures = centrality(graph)
            mine = measures.loc[node]
            key = (int(mine["degree"]), int(mine["strength"]))
            ahead = sum(
                1
                for d, s in zip(measures["degree"], measures["strength"], strict=True)
                if (int(d), int(s)) > key
            )
            row.update(
                degree=key[0],
                strength=key[1],
                betweenness=float(mine["betweenness"]),
                eigenvector=float(mine["eigenvector"]),
                rank=ahead + 1,
            )
        rows.append(row)
    columns = [
        "period",
        "present",
        "nodes",
        "degree",
        "strength",
        "betweenness",
        "eigenvector",
        "rank",
    ]
    frame = pd.DataFrame(rows, columns=columns).set_index("period")
    frame.index = pd.DatetimeIndex(frame.index, name="period")
    frame = frame.astype(
        {
            "present": bool,
            "nodes": "int64",
            "degree": "int64",
            "strength": "int64",
            "betweenness": float,
            "eigenvector": float,
            "rank": "Int64",
        }
    )
    frame.attrs.update(actor=node, label=_label(full, node), view=chosen, freq=freq)
    return frame


# --- plots ------------------------------------------------------------------------------------


def plot_over_time(
    frame: pd.DataFrame,
    *,
    title: str,
    ylabel: str = "events",
    xlabel: str = "period",
    limit: int = 8,
    ax: Axes | None = None,
) -> Axes:
    """Stacked bars of a time series from `events_over_time` (one colour per column) on a date
    axis, with a title, labelled axes and the legend beside the plot. Bars are as wide as the
    period, so quiet periods show as gaps. Beyond `limit` columns (ordered by their totals, as
    events_over_time gives them) the rest are summed as "other", so colours stay distinct.
    Returns the matplotlib Axes."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    if ax is None:
        _, ax = plt.subplots(figsize=(10, 4))
    shown = frame
    if len(frame.columns) > limit > 0:
        shown = frame.iloc[:, :limit].copy()
        shown["other"] = frame.iloc[:, limit:].sum(axis=1)
    index = pd.DatetimeIndex(shown.index)
    days = pd.Series(index).diff().dt.days.median() if len(index) > 1 else 1.0
    width = float(days) * 0.8
    bottom = pd.Series(0.0, index=index)
    colours = plt.get_cmap("tab10" if len(shown.columns) <= 10 else "tab20")
    for number, column in enumerate(shown.columns):
        values = shown[column].astype(float).to_numpy()
        ax.bar(
            index,
            values,
            width=width,
            bottom=bottom.to_numpy(),
            label=str(column),
            align="edge",
            color=colours(number % colours.N),
        )
        bottom = bottom + values
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if _integral(shown.to_numpy().ravel()):
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if len(shown.columns) > 1:
        ax.legend(
            title=frame.columns.name, fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1)
        )
    ax.figure.autofmt_xdate()
    return ax


def plot_ranking(
    values: pd.Series,
    *,
    title: str,
    xlabel: str,
    ylabel: str = "",
    limit: int = 15,
    ax: Axes | None = None,
) -> Axes:
    """Horizontal bars of the `limit` largest values (labels = the index), largest on top, with
    a title and labelled axes. Returns the matplotlib Axes."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    top = values.sort_values(ascending=False, kind="stable").head(limit)
    if ax is None:
        _, ax = plt.subplots(figsize=(8, max(2.5, 0.35 * len(top) + 1)))
    labels = [str(label) for label in top.index][::-1]
    ax.barh(labels, top.astype(float).to_numpy()[::-1])
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel or str(values.index.name or ""))
    if _integral(top.to_numpy()):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return ax


def _integral(values: Iterable[Any]) -> bool:
    """Whether every value is a whole number (counts get whole-number ticks)."""
    try:
        return all(float(v).is_integer() for v in values)
    except (TypeError, ValueError):
        return False


# --- display ----------------------------------------------------------------------------------


def show(
    graph_or_page: nx.Graph | str | Path | Any,
    *,
    height: int = 780,
    title: str | None = None,
) -> HTML:
    """An IPython HTML object that renders the interactive page inline, in Jupyter, JupyterLab
    and VS Code alike.

    `graph_or_page` is a networkx graph (rendered by kg.viz), a pyvis network of kg.viz, an
    HTML page (text) or the path of one (e.g. written by `kg viz`). pyvis' own notebook output
    loads the page from a file path or a CDN and comes out blank in some frontends; here the
    self-contained page is put into an `<iframe srcdoc>` (escaped, so its text cannot break out
    of the attribute) with `sandbox="allow-scripts allow-popups"`: its scripts run in an opaque
    origin, apart from the notebook, and links to articles open in new tabs. The page's own
    filter form changes its address and so has no effect inside a notebook: filter with the
    Python functions instead."""
    from IPython.display import HTML

    page = _page_of(graph_or_page, title)
    # wrapped in a <div>: a bare <iframe> makes IPython warn and suggest IFrame (a URL)
    frame = (
        '<div class="dipkg-graph">'
        f'<iframe srcdoc="{html.escape(page, quote=True)}" '
        'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox" '
        f'title="{html.escape(title or "graph")}" loading="eager" '
        f'style="width: 100%; height: {int(height)}px; border: 1px solid #ddd;"></iframe></div>'
    )
    return HTML(frame)


def _page_of(value: Any, title: str | None) -> str:
    from kg.viz import DEFAULT_TITLE, KGNetwork, render_graph

    if isinstance(value, nx.Graph):
        return render_graph(value, title=title or _graph_title(value) or DEFAULT_TITLE)
    if isinstance(value, KGNetwork):
        return value.generate_html()
    if isinstance(value, Path):
        return value.read_text(encoding="utf-8")
    if isinstance(value, str):
        if value.lstrip()[:1] == "<":
            return value
        return Path(value).read_text(encoding="utf-8")
    raise TypeError(f"show takes a networkx graph, a KGNetwork, or an HTML page; not {value!r}")


def _graph_title(graph: nx.Graph) -> str:
    view = str(graph.graph.get("view", ""))
    names = {
        "countries": "Countries",
        "actors": "People and organizations",
        "events": "Actors and events",
        "topics": "Topics",
    }
    parts = [names.get(view, view)] if view else []
    focus = graph.graph.get("focus")
    if focus is not None and focus in graph:
        parts.append(f"around {_label(graph, focus)}")
    if graph.graph.get("period"):
        parts.append(str(graph.graph["period"]))
    return " · ".join(parts)


def stop_notebook(message: str) -> None:
    """Print `message` and turn every later cell of this notebook session into a no-op, so a
    notebook that lacks its data stops cleanly (no error, every cell "runs") instead of
    failing on the first cell that needs it. Outside IPython it raises SystemExit(message)."""
    print(message)
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with pyvis
        raise SystemExit(message) from None
    shell = get_ipython()
    if shell is None:
        raise SystemExit(message)
    note = f"# skipped: {' '.join(message.split())}\n"

    def skip(lines: list[str]) -> list[str]:
        return [note, "pass\n"]

    transformers: list[Callable[[list[str]], list[str]]] = shell.input_transformers_post
    transformers.append(skip)
