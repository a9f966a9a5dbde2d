"""Graph projections of the store as networkx graphs, shared by `kg viz`, the server, exports and
notebooks.

Plain functions over a store (networkx style). Each runs a few SPARQL queries and returns a graph
whose nodes carry `kind`, `label`, `labels` (en/ar/fr), `subtitle`, `tooltip` (plain text) and
`events` (the IRIs of their events, oldest first), and whose edges carry `weight` (number of
events), `label`, `tooltip` and `events`:

- `country_network` — countries linked by the events in which both took part;
- `actor_network` — people and organizations linked by the events they took part in together;
- `actor_event_network` — bipartite: actors (people, organizations, countries acting as parties)
  and their events (type, date, place, evidence quote, article urls and headlines);
- `topic_network` — topics linked to the countries that discussed them and to each other;
- `event_graph` — events with their participants, represented countries, places and topics;
- `ego_network` — the neighbourhood of one node of any of them.

Every projection takes the same filters: `since`/`until` (the event's date; undated events are
left out when either is given), `country` (ISO2: events in which someone represents that country),
`topic` (a topic id such as `counterterrorism`) and `type` (`meeting`, `visit` or `call`). They
are pushed into SPARQL and their values are bound by substitution, never written into the query
text. `graph.graph["events"]` maps each event IRI of the graph to a JSON-ready description (what
the details panel of the page shows). `write_network` exports GEXF or GraphML.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox

from kg.namespaces import COUNTRY, TOPIC

__all__ = [
    "EVENT_TYPES",
    "LANGS",
    "EventData",
    "Filters",
    "actor_event_network",
    "actor_network",
    "country_network",
    "ego_network",
    "event_graph",
    "exportable",
    "fetch_events",
    "parse_country",
    "parse_date",
    "parse_topic",
    "parse_type",
    "topic_network",
    "write_network",
]

LANGS = ("en", "ar", "fr")
EVENT_TYPES = ("meeting", "visit", "call")
EXPORT_FORMATS = ("gexf", "graphml")

_DK = "https://w3id.org/dipkg/ontology#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
_CLASS_OF_TYPE = {name: ox.NamedNode(_DK + name.capitalize()) for name in EVENT_TYPES}
_KIND_BY_TYPE = {
    _DK + "Person": "person",
    _DK + "Country": "country",
    _DK + "InternationalOrganization": "organization",
    _DK + "Organization": "organization",
    _DK + "City": "place",
    _DK + "Region": "place",
    _DK + "Venue": "place",
    _SKOS + "Concept": "topic",
}
_PLURAL = {"meeting": "meetings", "visit": "visits", "call": "calls"}
_ROLE_ORDER = {"host": 0, "guest": 1, "participant": 2, "attendee": 3}
MAX_QUOTE_CHARS = 280

# --- filters -------------------------------------------------------------------------------

_ISO2 = re.compile(r"^[A-Za-z]{2}$")
_TOPIC_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_WEB_URL = re.compile(r"^https?://[^\s\"'<>]+$", re.IGNORECASE)


def parse_date(value: date | str | None, name: str = "date") -> date | None:
    """A date, or None for no value; ValueError in plain words for anything else."""
    if value is None or isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{name} must be a date written YYYY-MM-DD, not {text!r}") from None


def parse_country(value: str | None) -> str | None:
    """An ISO2 code (upper case) from a code or a country IRI, or None."""
    if value is None:
        return None
    text = str(value).strip()
    if text.startswith(str(COUNTRY)):
        text = text[len(str(COUNTRY)) :]
    if not text:
        return None
    if not _ISO2.match(text):
        raise ValueError(f"country must be a two-letter ISO code such as EG, not {text!r}")
    return text.upper()


def parse_topic(value: str | None) -> str | None:
    """A topic id (e.g. `counterterrorism`) from an id or a topic IRI, or None."""
    if value is None:
        return None
    text = str(value).strip()
    if text.startswith(str(TOPIC)):
        text = text[len(str(TOPIC)) :]
    if not text:
        return None
    if not _TOPIC_ID.match(text.lower()):
        raise ValueError(f"topic must be a topic id such as counterterrorism, not {text!r}")
    return text.lower()


def parse_type(value: str | None) -> str | None:
    """meeting, visit or call, or None."""
    if value is None:
        return None
    text = str(value).strip().lower()
    if not text:
        return None
    if text not in EVENT_TYPES:
        raise ValueError(f"type must be meeting, visit or call, not {str(value).strip()!r}")
    return text


@dataclass(frozen=True)
class Filters:
    """Which events a projection is built from. Values are checked and normalised on creation
    (ValueError in plain words): dates are `date`s, `country` an upper-case ISO2 code, `topic` a
    topic id, `type` one of meeting, visit, call."""

    since: date | None = None
    until: date | None = None
    country: str | None = None
    topic: str | None = None
    type: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "since", parse_date(self.since, "since"))
        object.__setattr__(self, "until", parse_date(self.until, "until"))
        object.__setattr__(self, "country", parse_country(self.country))
        object.__setattr__(self, "topic", parse_topic(self.topic))
        object.__setattr__(self, "type", parse_type(self.type))
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"since ({self.since}) is after until ({self.until})")

    @classmethod
    def of(
        cls,
        since: date | str | None = None,
        until: date | str | None = None,
        country: str | None = None,
        topic: str | None = None,
        type: str | None = None,
    ) -> Filters:
        """Filters from dates or YYYY-MM-DD strings and the other values as text."""
        return cls(parse_date(since, "since"), parse_date(until, "until"), country, topic, type)

    def as_dict(self) -> dict[str, str]:
        """The filters that are set, as text (e.g. for `graph.graph["filters"]`)."""
        values = {
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "country": self.country,
            "topic": self.topic,
            "type": self.type,
        }
        return {k: v for k, v in values.items() if v}

    def matches(self, event: EventRecord) -> bool:
        """The same test in Python (for events already fetched)."""
        if self.type and event.type != self.type:
            return False
        if self.since and not (event.date and event.date >= self.since.isoformat()):
            return False
        if self.until and not (event.date and event.date <= self.until.isoformat()):
            return False
        if self.country and self.country not in event.party_codes:
            return False
        return not (self.topic and self.topic not in event.topic_ids)


# --- SPARQL --------------------------------------------------------------------------------

_PREFIXES = """PREFIX dk: <https://w3id.org/dipkg/ontology#>
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

# The selected events: one row per event with its class, earliest date and status ("…#Occurred"
# sorts before "…#Planned", so an event any article reports as held counts as held). The
# fragments below are fixed text chosen by which filters are set; the values themselves are
# substituted (?class, ?country, ?topic, ?since, ?until). Oxigraph substitutes only variables the
# SELECT projects, so each query projects the variables it substitutes, at every level. A country
# or topic is a join placed first (it starts from the few events that name it; GROUP BY removes
# the duplicates), not a FILTER EXISTS, which would probe every event.
_SELECTION = """
  {
    SELECT ?event ?class (MIN(?d) AS ?date) (MIN(STR(?st)) AS ?status) %(inner)s
    WHERE {
      %(inner_patterns)s
      GRAPH ?eg { ?event a ?class ; dk:status ?st . OPTIONAL { ?event dk:date ?d } }
      FILTER(?class IN (dk:Meeting, dk:Visit, dk:Call))
    }
    GROUP BY ?event ?class %(inner)s
  }
  %(outer_filters)s
"""
_COUNTRY_PATTERN = "GRAPH ?cg { ?cp dk:representing ?country . ?event dk:participation ?cp }"
_TOPIC_PATTERN = "GRAPH ?tg { ?event dk:topic ?topic }"
_SINCE_FILTER = "FILTER(?date >= ?since)"
_UNTIL_FILTER = "FILTER(?date <= ?until)"

_EVENTS_BODY = "OPTIONAL { GRAPH ?plg { ?event sem:hasPlace ?place } }"
_EVENTS_COLUMNS = "?event ?class ?date ?status ?place"

# LATERAL (SEP-0006, implemented by Oxigraph) evaluates a body once per selected event, with
# ?event bound: a filtered view reads only its own events' participants, topics and sources.
_PARTICIPANTS_BODY = """
  LATERAL { GRAPH ?pg {
    ?event dk:participation ?p . ?p dk:agent ?agent ; dk:role ?role .
    OPTIONAL { ?p dk:title ?title }
    OPTIONAL { ?p dk:representing ?rep }
    OPTIONAL { ?p dk:organization ?org }
    OPTIONAL { ?p dk:nameInText ?name }
  } }
"""
_PARTICIPANTS_COLUMNS = "?event ?p ?agent ?role ?title ?rep ?org ?name"

_TOPICS_BODY = "LATERAL { GRAPH ?tpg { ?event dk:topic ?t } }"
_TOPICS_COLUMNS = "?event ?t"

# Each article's graph holds the article, the event's link to it and its evidence from it.
_SOURCES_BODY = """
  LATERAL { GRAPH ?sg {
    ?event prov:wasDerivedFrom ?article .
    OPTIONAL { ?article schema:url ?url }
    OPTIONAL { ?article schema:headline ?headline }
    OPTIONAL { ?article schema:publisher ?publisher }
    OPTIONAL { ?article schema:datePublished ?published }
    OPTIONAL { ?event dk:evidence ?ev . ?ev oa:exact ?quote . OPTIONAL { ?ev oa:start ?start } }
  } }
"""
_SOURCES_COLUMNS = "?event ?article ?url ?headline ?publisher ?published ?quote ?start"


def _selection(filters: Filters) -> tuple[str, dict[ox.Variable, Any]]:
    """The selection fragment and the substitutions of its filter values."""
    substitutions: dict[ox.Variable, Any] = {}
    inner: list[str] = []
    patterns: list[str] = []
    outer_filters: list[str] = []
    if filters.type:
        substitutions[ox.Variable("class")] = _CLASS_OF_TYPE[filters.type]
    if filters.country:
        inner.append("?country")
        patterns.append(_COUNTRY_PATTERN)
        substitutions[ox.Variable("country")] = ox.NamedNode(str(COUNTRY) + filters.country)
    if filters.topic:
        inner.append("?topic")
        patterns.append(_TOPIC_PATTERN)
        substitutions[ox.Variable("topic")] = ox.NamedNode(str(TOPIC) + filters.topic)
    if filters.since:
        outer_filters.append(_SINCE_FILTER)
        substitutions[ox.Variable("since")] = ox.Literal(
            filters.since.isoformat(), datatype=_XSD_DATE
        )
    if filters.until:
        outer_filters.append(_UNTIL_FILTER)
        substitutions[ox.Variable("until")] = ox.Literal(
            filters.until.isoformat(), datatype=_XSD_DATE
        )
    text = _SELECTION % {
        "inner": " ".join(inner),
        "inner_patterns": "\n      ".join(patterns),
        "outer_filters": "\n  ".join(outer_filters),
    }
    return text, substitutions


def _params(substitutions: Mapping[ox.Variable, Any], columns: str = "") -> str:
    """The substituted variables to project (those not already among the columns)."""
    present = set(columns.split())
    return " ".join(f"?{v.value}" for v in substitutions if f"?{v.value}" not in present)


def _select(store: ox.Store, filters: Filters, columns: str, body: str) -> Iterable[Any]:
    selection, substitutions = _selection(filters)
    query = (
        f"{_PREFIXES}SELECT {columns} {_params(substitutions, columns)}\n"
        f"WHERE {{\n{selection}\n{body}\n}}"
    )
    return store.query(query, substitutions=substitutions)  # type: ignore[return-value]


def _v(term: Any) -> str | None:
    return None if term is None else str(term.value)


def _local(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


# --- the events, fetched once per projection ------------------------------------------------


@dataclass
class Participation:
    agent: str
    role: str
    title: str | None = None
    country: str | None = None
    """IRI of the country the participant represents."""
    org: str | None = None
    name: str | None = None
    """The name as written in the article."""


@dataclass
class Source:
    article: str
    url: str | None = None
    headline: str | None = None
    publisher: str | None = None
    published: str | None = None
    quotes: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class EventRecord:
    iri: str
    type: str
    status: str
    date: str | None
    places: list[str] = field(default_factory=list)
    participations: list[Participation] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)

    @property
    def parties(self) -> list[str]:
        """IRIs of the countries represented, in a stable order."""
        return sorted({p.country for p in self.participations if p.country})

    @property
    def party_codes(self) -> list[str]:
        prefix = str(COUNTRY)
        return [c[len(prefix) :] for c in self.parties if c.startswith(prefix)]

    @property
    def topic_ids(self) -> list[str]:
        prefix = str(TOPIC)
        return [t[len(prefix) :] if t.startswith(prefix) else t for t in self.topics]

    def agents(self) -> list[str]:
        seen: dict[str, None] = {}
        for p in self.participations:
            seen.setdefault(p.agent, None)
        return list(seen)

    def roles_of(self, agent: str) -> list[str]:
        return sorted({p.role for p in self.participations if p.agent == agent})

    def quote(self) -> str:
        for source in self.sources:
            if source.quotes:
                return source.quotes[0][1]
        return ""

    def sort_key(self) -> tuple[str, str]:
        return (self.date or "9999", self.iri)


@dataclass
class EventData:
    """The selected events with the labels and kinds of everything they name."""

    events: dict[str, EventRecord]
    labels: dict[str, dict[str, str]]
    kinds: dict[str, str]
    lang: str = "en"
    filters: Filters = field(default_factory=Filters)

    def ordered(self) -> list[EventRecord]:
        return sorted(self.events.values(), key=EventRecord.sort_key)

    def labels_of(self, iri: str, fallback: str | None = None) -> dict[str, str]:
        """A label per language; a language without one borrows another's."""
        known = self.labels.get(iri, {})
        best = (
            known.get(self.lang)
            or known.get("en")
            or next(iter(known.values()), None)
            or fallback
            or _local(iri)
        )
        return {lang: known.get(lang) or best for lang in LANGS}

    def label(self, iri: str, fallback: str | None = None) -> str:
        return self.labels_of(iri, fallback)[self.lang]

    def kind(self, iri: str, default: str = "person") -> str:
        return self.kinds.get(iri, default)

    def place_label(self, event: EventRecord) -> str:
        return " / ".join(self.label(p) for p in event.places)

    def event_labels(self, event: EventRecord) -> dict[str, str]:
        words = _TYPE_WORDS[event.type]
        labels = {}
        for lang in LANGS:
            # LRM: in right-to-left text an ISO date would otherwise read 27-09-2022
            day = ("\u200e" + event.date if lang == "ar" else event.date) if event.date else ""
            parts = [words[lang], day]
            place = " / ".join(self.labels_of(p)[lang] for p in event.places)
            labels[lang] = " · ".join(x for x in [*parts, place] if x)
        return labels


_TYPE_WORDS = {
    "meeting": {"en": "Meeting", "ar": "لقاء", "fr": "Rencontre"},
    "visit": {"en": "Visit", "ar": "زيارة", "fr": "Visite"},
    "call": {"en": "Call", "ar": "اتصال", "fr": "Appel"},
}


def fetch_events(store: ox.Store, filters: Filters | None = None, *, lang: str = "en") -> EventData:
    """Run the projection queries once: the selected events, their participants, topics,
    sources with evidence, and the labels (en/ar/fr) and classes of what they name."""
    filters = filters or Filters()
    if lang not in LANGS:
        raise ValueError(f"lang must be en, ar or fr, not {lang!r}")
    events: dict[str, EventRecord] = {}
    for row in _select(store, filters, _EVENTS_COLUMNS, _EVENTS_BODY):
        iri = _v(row["event"]) or ""
        event = events.get(iri)
        if event is None:
            status = _local(_v(row["status"]) or "").lower() or "occurred"
            event = events[iri] = EventRecord(
                iri, _local(_v(row["class"]) or "").lower(), status, _v(row["date"])
            )
        place = _v(row["place"])
        if place and place not in event.places:
            event.places.append(place)
    participations: dict[str, Participation] = {}
    for row in _select(store, filters, _PARTICIPANTS_COLUMNS, _PARTICIPANTS_BODY):
        event = events.get(_v(row["event"]) or "")
        node = _v(row["p"]) or ""
        if event is None or node in participations:
            continue
        participation = Participation(
            agent=_v(row["agent"]) or "",
            role=_local(_v(row["role"]) or "").lower(),
            title=_v(row["title"]),
            country=_v(row["rep"]),
            org=_v(row["org"]),
            name=_v(row["name"]),
        )
        participations[node] = participation
        event.participations.append(participation)
    for row in _select(store, filters, _TOPICS_COLUMNS, _TOPICS_BODY):
        event = events.get(_v(row["event"]) or "")
        topic = _v(row["t"]) or ""
        if event is not None and topic not in event.topics:
            event.topics.append(topic)
    sources: dict[tuple[str, str], Source] = {}
    for row in _select(store, filters, _SOURCES_COLUMNS, _SOURCES_BODY):
        event = events.get(_v(row["event"]) or "")
        if event is None:
            continue
        article = _v(row["article"]) or ""
        source = sources.get((event.iri, article))
        if source is None:
            source = sources[(event.iri, article)] = Source(
                article,
                url=_v(row["url"]),
                headline=_v(row["headline"]),
                publisher=_v(row["publisher"]),
                published=_v(row["published"]),
            )
            event.sources.append(source)
        quote = _v(row["quote"])
        if quote:
            start = int(_v(row["start"]) or 0)
            if (start, quote) not in source.quotes:
                source.quotes.append((start, quote))
    for event in events.values():
        event.participations.sort(key=lambda p: (_ROLE_ORDER.get(p.role, 9), p.agent))
        event.topics.sort()
        event.places.sort()
        for source in event.sources:
            source.quotes.sort()
        event.sources.sort(key=lambda s: (s.published or "", s.article))
    labels, kinds = _labels(store, events.values())
    return EventData(events, labels, kinds, lang, filters)


_PREF_LABEL = ox.NamedNode(_SKOS + "prefLabel")
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _labels(
    store: ox.Store, events: Iterable[EventRecord]
) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """Labels (en/ar/fr) and kinds of everything the events name: the agents, the countries
    and organizations they represent, places and topics. One index lookup per entity
    (`quads_for_pattern` with the subject bound, in every graph): never a scan of all labels,
    and no query text is built from the IRIs."""
    entities: dict[str, None] = {}
    for event in events:
        for p in event.participations:
            for iri in (p.agent, p.country, p.org):
                if iri:
                    entities.setdefault(iri, None)
        for iri in (*event.places, *event.topics):
            entities.setdefault(iri, None)
    labels: dict[str, dict[str, str]] = {}
    kinds: dict[str, str] = {}
    for iri in entities:
        node = ox.NamedNode(iri)
        for quad in store.quads_for_pattern(node, _PREF_LABEL, None, None):
            label = quad.object
            if isinstance(label, ox.Literal) and label.language in LANGS:
                labels.setdefault(iri, {}).setdefault(label.language, label.value)
        for quad in store.quads_for_pattern(node, _RDF_TYPE, None, None):
            kind = _KIND_BY_TYPE.get(str(getattr(quad.object, "value", "")))
            if kind and not (kind == "place" and iri in kinds):
                kinds[iri] = kind
    return labels, kinds


# --- descriptions (plain text) --------------------------------------------------------------


def _clip(text: str, limit: int = MAX_QUOTE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _breakdown(events: Iterable[EventRecord]) -> str:
    counts = Counter(e.type for e in events)
    return ", ".join(
        f"{counts[t]} {t if counts[t] == 1 else _PLURAL[t]}" for t in EVENT_TYPES if counts[t]
    )


def _dates(events: list[EventRecord]) -> str:
    dated = sorted(e.date for e in events if e.date)
    if not dated:
        return ""
    return f" · {dated[0]}" + (f" – {dated[-1]}" if dated[-1] != dated[0] else "")


def _latest(events: list[EventRecord]) -> EventRecord:
    dated = [e for e in events if e.date]
    return max(dated, key=EventRecord.sort_key) if dated else events[0]


def _event_line(data: EventData, event: EventRecord) -> str:
    parts = [event.type.capitalize(), event.date or "undated"]
    place = data.place_label(event)
    if place:
        parts.append(place)
    if event.status == "planned":
        parts.append("planned")
    return " · ".join(parts)


def _source_lines(event: EventRecord, limit: int = 2) -> list[str]:
    lines = []
    for source in event.sources[:limit]:
        url = source.url if source.url and _WEB_URL.match(source.url) else None
        head = source.headline or url or _local(source.article)
        meta = ", ".join(x for x in (source.publisher, source.published) if x)
        lines.append(f"source: {_clip(head, 160)}" + (f" — {meta}" if meta else ""))
        if url and url != head:
            lines.append(url)
    return lines


def _quote_lines(event: EventRecord) -> list[str]:
    quote = event.quote()
    return [f"«{_clip(quote)}»"] if quote else []


def _participants_line(data: EventData, event: EventRecord) -> str:
    parts = []
    for agent in event.agents():
        roles = "/".join(event.roles_of(agent))
        parts.append(f"{data.label(agent, _name_in_text(event, agent))} ({roles})")
    return " · ".join(parts)


def _name_in_text(event: EventRecord, agent: str) -> str | None:
    return next((p.name for p in event.participations if p.agent == agent and p.name), None)


def _summary(data: EventData, head: str, subtitle: str, events: list[EventRecord]) -> str:
    """Tooltip of a node or edge standing for several events (the page writes the same text
    when it filters events itself)."""
    count = len(events)
    lines = [head] + ([subtitle] if subtitle else [])
    lines.append(f"{count} event{'' if count == 1 else 's'} ({_breakdown(events)}){_dates(events)}")
    if events:
        latest = _latest(events)
        lines.append("latest: " + _event_line(data, latest))
        lines += _quote_lines(latest) + _source_lines(latest, 1)
    return "\n".join(lines)


def _event_tooltip(data: EventData, event: EventRecord) -> str:
    lines = [_event_line(data, event), _participants_line(data, event)]
    return "\n".join([x for x in lines if x] + _quote_lines(event) + _source_lines(event))


def _event_json(data: EventData, event: EventRecord) -> dict[str, Any]:
    """What the page needs of an event: for the details panel and for filtering in the page."""
    return {
        "id": event.iri,
        "type": event.type,
        "status": event.status,
        "date": event.date,
        "place": data.place_label(event),
        "parties": event.party_codes,
        "topics": event.topic_ids,
        "participants": [
            [data.label(agent, _name_in_text(event, agent)), "/".join(event.roles_of(agent))]
            for agent in event.agents()
        ],
        "sources": [
            {
                "url": s.url,
                "headline": s.headline,
                "publisher": s.publisher,
                "published": s.published,
                "quotes": [_clip(q) for _, q in s.quotes[:3]],
            }
            for s in event.sources
        ],
    }


# --- building the graphs --------------------------------------------------------------------


class _Builder:
    """Collects nodes and edges with their events, then writes the attributes."""

    def __init__(self, data: EventData, view: str, edge_labels: bool = False) -> None:
        self.data = data
        self.graph = nx.Graph(
            view=view, lang=data.lang, filters=data.filters.as_dict(), edge_labels=edge_labels
        )
        self.node_events: dict[str, dict[str, None]] = {}
        self.edge_events: dict[tuple[str, str], dict[str, None]] = {}

    def node(self, iri: str, kind: str, event: EventRecord, **attrs: Any) -> None:
        if iri not in self.graph:
            self.graph.add_node(iri, kind=kind, **attrs)
            self.node_events[iri] = {}
        self.node_events[iri].setdefault(event.iri, None)

    def edge(self, a: str, b: str, event: EventRecord, **attrs: Any) -> None:
        key = (b, a) if (b, a) in self.edge_events else (a, b)
        if key not in self.edge_events:
            self.graph.add_edge(a, b, **attrs)
            self.edge_events[key] = {}
        self.edge_events[key].setdefault(event.iri, None)

    def finish(self) -> nx.Graph:
        data, graph = self.data, self.graph
        for iri, attrs in graph.nodes(data=True):
            events = [data.events[e] for e in self.node_events[iri]]
            attrs["events"] = [e.iri for e in events]
            attrs["event_count"] = len(events)
            if attrs["kind"] == "event":
                continue  # described when added
            if attrs.pop("actor", False):
                attrs.update(_actor_attrs(data, iri, events))
            labels = data.labels_of(iri, attrs.pop("fallback", None))
            attrs["labels"] = labels
            attrs["label"] = labels[data.lang]
            attrs.setdefault("subtitle", attrs["kind"])
            attrs["tooltip"] = _summary(data, attrs["label"], attrs["subtitle"], events)
        for (a, b), seen in self.edge_events.items():
            attrs = graph.edges[a, b]
            events = [data.events[e] for e in seen]
            attrs["events"] = [e.iri for e in events]
            attrs["weight"] = len(events)
            attrs.setdefault("label", _breakdown(events))
            head = f"{graph.nodes[a]['label']} — {graph.nodes[b]['label']}"
            relation = attrs.get("relation")
            if attrs.get("role"):
                head += f" ({attrs['role']})"
            elif relation and relation != "co-participation":
                head += f" ({relation})"
            attrs["tooltip"] = _summary(data, head, "", events)
        used = {e for _, attrs in graph.nodes(data=True) for e in attrs["events"]}
        graph.graph["events"] = {
            e.iri: _event_json(data, e) for e in data.ordered() if e.iri in used
        }
        return graph


def _actor_attrs(data: EventData, agent: str, events: list[EventRecord]) -> dict[str, Any]:
    """What the participations of an actor say about it, over all its events: its titles
    (most frequent first), the country it represents and the organization it acts for most
    often, and the name the articles give it most often (when the reference data has none)."""
    mine = [p for event in events for p in event.participations if p.agent == agent]
    titles = [t for t, _ in Counter(p.title for p in mine if p.title).most_common()]
    country = _most_common(p.country for p in mine)
    org = _most_common(p.org for p in mine if p.org != agent)
    kind = data.kind(agent)
    parts = [*titles[:3]]
    if org:
        parts.append(data.label(org))
    if country and kind != "country":
        parts.append(data.label(country))
    return {
        "country": _local(country) if country else "",
        "title": "; ".join(titles),
        "subtitle": " · ".join(parts) if parts else kind,
        "fallback": _most_common(p.name for p in mine),
    }


def _most_common(values: Iterable[str | None]) -> str | None:
    counts = Counter(v for v in values if v)
    return min(counts, key=lambda v: (-counts[v], v)) if counts else None


def _add_event_node(builder: _Builder, event: EventRecord) -> None:
    data = builder.data
    labels = data.event_labels(event)
    builder.node(
        event.iri,
        "event",
        event,
        type=event.type,
        status=event.status,
        date=event.date or "",
        place=data.place_label(event),
        quote=_clip(event.quote()),
        urls=[s.url for s in event.sources if s.url],
        headlines=[s.headline for s in event.sources if s.headline],
        labels=labels,
        label=labels[data.lang],
        subtitle=f"{event.type} · {event.status}",
        tooltip=_event_tooltip(data, event),
        url=next((s.url for s in event.sources if s.url), ""),
    )


def _filters(
    since: date | str | None,
    until: date | str | None,
    country: str | None,
    topic: str | None,
    type: str | None,
) -> Filters:
    return Filters.of(since, until, country, topic, type)


def country_network(
    store: ox.Store,
    *,
    since: date | str | None = None,
    until: date | str | None = None,
    country: str | None = None,
    topic: str | None = None,
    type: str | None = None,
    lang: str = "en",
) -> nx.Graph:
    """Countries (nodes: every country represented in a selected event) linked when people
    representing both took part in the same events; weight = number of those events."""
    data = fetch_events(store, _filters(since, until, country, topic, type), lang=lang)
    builder = _Builder(data, "countries")
    for event in data.ordered():
        parties = event.parties
        for party in parties:
            builder.node(party, "country", event, iso2=_local(party))
        for a, b in combinations(parties, 2):
            builder.edge(a, b, event, relation="co-participation")
    return builder.finish()


ACTOR_KINDS = ("person", "organization")


def actor_network(
    store: ox.Store,
    *,
    since: date | str | None = None,
    until: date | str | None = None,
    country: str | None = None,
    topic: str | None = None,
    type: str | None = None,
    lang: str = "en",
) -> nx.Graph:
    """People and organizations (the agents of participations; countries acting as a party are
    left out) linked when they took part in the same events; weight = number of events."""
    data = fetch_events(store, _filters(since, until, country, topic, type), lang=lang)
    builder = _Builder(data, "actors")
    for event in data.ordered():
        actors = [a for a in event.agents() if data.kind(a) in ACTOR_KINDS]
        for actor in actors:
            builder.node(actor, data.kind(actor), event, actor=True)
        for a, b in combinations(actors, 2):
            builder.edge(a, b, event, relation="co-participation")
    return builder.finish()


def actor_event_network(
    store: ox.Store,
    *,
    since: date | str | None = None,
    until: date | str | None = None,
    country: str | None = None,
    topic: str | None = None,
    type: str | None = None,
    lang: str = "en",
) -> nx.Graph:
    """Bipartite: every selected event and every agent of its participations (people,
    organizations, and countries named as a party); an edge per participation, labelled by
    the role(s). Event nodes carry type, status, date, place, quote, urls and headlines."""
    data = fetch_events(store, _filters(since, until, country, topic, type), lang=lang)
    builder = _Builder(data, "events", edge_labels=True)
    for event in data.ordered():
        _add_event_node(builder, event)
        for agent in event.agents():
            builder.node(agent, data.kind(agent), event, actor=True)
            role = "/".join(event.roles_of(agent))
            builder.edge(event.iri, agent, event, label=role, role=role, relation="role")
    graph = builder.finish()
    for _, attrs in graph.nodes(data=True):
        attrs["bipartite"] = 0 if attrs["kind"] == "event" else 1
    return graph


def topic_network(
    store: ox.Store,
    *,
    since: date | str | None = None,
    until: date | str | None = None,
    country: str | None = None,
    topic: str | None = None,
    type: str | None = None,
    lang: str = "en",
    links: str = "both",
) -> nx.Graph:
    """Topics linked to the countries taking part in the events that discussed them
    (`links="countries"`), to the other topics of the same events (`links="topics"`), or both
    (default); weight = number of events."""
    if links not in ("both", "countries", "topics"):
        raise ValueError(f"links must be both, countries or topics, not {links!r}")
    data = fetch_events(store, _filters(since, until, country, topic, type), lang=lang)
    builder = _Builder(data, "topics")
    for event in data.ordered():
        topics = event.topics
        for t in topics:
            builder.node(t, "topic", event, topic=_local(t))
        if links in ("both", "countries") and topics:
            for party in event.parties:
                builder.node(party, "country", event, iso2=_local(party))
                for t in topics:
                    builder.edge(t, party, event, relation="discussed by")
        if links in ("both", "topics"):
            for a, b in combinations(topics, 2):
                builder.edge(a, b, event, relation="discussed with")
    return builder.finish()


def event_graph(
    store: ox.Store,
    *,
    lang: str = "en",
    since: date | str | None = None,
    until: date | str | None = None,
    country: str | None = None,
    topic: str | None = None,
    type: str | None = None,
) -> nx.Graph:
    """Events linked to their participants (edge label = role), the countries people represent,
    places and topics (the graph `kg viz` draws by default)."""
    data = fetch_events(store, _filters(since, until, country, topic, type), lang=lang)
    builder = _Builder(data, "event-graph", edge_labels=True)
    for event in data.ordered():
        _add_event_node(builder, event)
        for agent in event.agents():
            kind = data.kind(agent)
            builder.node(agent, kind, event, actor=True)
            role = "/".join(event.roles_of(agent))
            builder.edge(event.iri, agent, event, label=role, role=role, relation="role")
            if kind != "person":
                continue
            represented = {p.country for p in event.participations if p.agent == agent}
            for country in sorted(c for c in represented if c):
                if country != agent:
                    builder.node(country, "country", event, iso2=_local(country))
                    builder.edge(agent, country, event, label="represents", relation="represents")
        for place in event.places:
            kind = "country" if data.kind(place, "place") == "country" else "place"
            builder.node(place, kind, event)
            builder.edge(event.iri, place, event, label="place", relation="place")
        for t in event.topics:
            builder.node(t, "topic", event, topic=_local(t))
            builder.edge(event.iri, t, event, label="topic", relation="topic")
    return builder.finish()


# --- neighbourhoods and exports ------------------------------------------------------------


def ego_network(graph: nx.Graph, focus: str, depth: int = 1) -> nx.Graph:
    """The nodes within `depth` steps of `focus` and every edge between them, in the order of
    `graph`; `graph.graph["events"]` keeps the events these nodes name."""
    if focus not in graph:
        raise ValueError(f"{focus} is not a node of this graph")
    if isinstance(depth, bool) or not isinstance(depth, int) or depth < 0:
        raise ValueError(f"depth must be a whole number of steps (0 or more), not {depth!r}")
    keep = nx.single_source_shortest_path_length(graph, focus, cutoff=depth)
    ego = graph.__class__()
    ego.graph.update(graph.graph)
    ego.add_nodes_from((n, dict(attrs)) for n, attrs in graph.nodes(data=True) if n in keep)
    ego.add_edges_from(
        (a, b, dict(attrs)) for a, b, attrs in graph.edges(data=True) if a in keep and b in keep
    )
    ego.nodes[focus]["focus"] = True
    ego.graph["focus"] = focus
    ego.graph["depth"] = depth
    events = graph.graph.get("events")
    if isinstance(events, dict):
        used = {e for _, attrs in ego.nodes(data=True) for e in attrs.get("events", ())}
        ego.graph["events"] = {k: v for k, v in events.items() if k in used}
    return ego


def _safe_value(value: Any) -> str | int | float | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float | str):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return " | ".join(str(v) for v in value if v is not None)
    return str(value)


def _safe_attrs(attrs: Mapping[str, Any]) -> dict[str, str | int | float]:
    """Strings and numbers only: dicts become one attribute per key (labels → label_en …),
    lists are joined with " | ", None is left out."""
    out: dict[str, str | int | float] = {}
    for key, value in attrs.items():
        if isinstance(value, Mapping):
            for sub, item in value.items():
                safe = _safe_value(item)
                if safe is not None and not isinstance(item, Mapping):
                    out[f"{_singular(key)}_{sub}"] = safe
            continue
        safe = _safe_value(value)
        if safe is not None:
            out[key] = safe
    return out


def _singular(key: str) -> str:
    return key[:-1] if key.endswith("s") else key


def exportable(graph: nx.Graph) -> nx.Graph:
    """A copy whose node, edge and graph attributes are all strings or numbers (GEXF and
    GraphML take nothing else); the graph-level event table is left out."""
    safe = graph.__class__()
    safe.graph.update(
        {
            k: v
            for k, v in ((k, _safe_value(v)) for k, v in graph.graph.items() if k != "events")
            if v is not None and not isinstance(graph.graph[k], Mapping)
        }
    )
    safe.add_nodes_from((str(n), _safe_attrs(attrs)) for n, attrs in graph.nodes(data=True))
    safe.add_edges_from(
        (str(a), str(b), _safe_attrs(attrs)) for a, b, attrs in graph.edges(data=True)
    )
    return safe


def write_network(graph: nx.Graph, path: Path | str, fmt: str = "gexf") -> Path:
    """Write `graph` as GEXF or GraphML (through networkx) and return the path."""
    fmt = fmt.lower().strip()
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"the network format must be gexf or graphml, not {fmt!r}")
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    safe = exportable(graph)
    if fmt == "gexf":
        nx.write_gexf(safe, target)
    else:
        nx.write_graphml(safe, target)
    return target
