"""One event per real-world occasion across articles.

Several articles report the same meeting, visit or call. Each article's extraction is kept in its
own named graph (what that article says), but mentions of one occasion share one event IRI, so the
event has every article as a source (`prov:wasDerivedFrom`) and every article's evidence.

The rule (MERGE_WINDOW_DAYS = 2): two event mentions are one occasion when they have
- the same type (meeting, visit, call) and status (occurred, planned);
- the same principal parties: the countries (or organizations) of their hosts, guests and
  participants — attendees do not count;
- the same place country, when both give one (a call has none);
- not two different sets of named people: when both mentions name their principal persons, they
  share at least one (the envoy's visit and the relief coordinator's are two visits);
- dates that are equal; or one date and the other mention's article published on that day or
  within the window after it; or no dates and publications within the window of each other.

Mentions are resolved in the order they are ingested: a new mention joins the first known occasion
it fits, else founds one. Re-ingesting an article finds its own earlier mentions, so it never
duplicates.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import pyoxigraph as ox

from kg.namespaces import COUNTRY, PERSON
from kg.records import Event
from kg.remote import RemoteStore

MERGE_WINDOW_DAYS = 2


@dataclass(frozen=True)
class Mention:
    """What identifies the occasion an event mention speaks of."""

    iri: str
    type: str
    status: str
    parties: frozenset[str]
    country: str | None
    date: dt.date | None
    published: dt.date | None
    people: frozenset[str] = frozenset()
    """IRIs of the named persons among the principal participants."""


def parties_of(event: Event) -> frozenset[str]:
    return frozenset(
        p.actor.country or p.actor.org or ""
        for p in event.participants
        if p.role != "attendee" and (p.actor.country or p.actor.org)
    )


def people_of(event: Event) -> frozenset[str]:
    from kg.model import actor_iri

    return frozenset(
        actor_iri(p.actor)
        for p in event.participants
        if p.role != "attendee" and p.actor.kind == "person" and (p.actor.name or p.actor.iri)
    )


def mention_of(event: Event, iri: str, published: date | None) -> Mention:
    return Mention(
        iri=iri,
        type=event.type,
        status=event.status,
        parties=parties_of(event),
        country=event.place.country if event.place else None,
        date=event.date,
        published=published,
        people=people_of(event),
    )


def _days(a: date | None, b: date | None) -> int | None:
    return None if a is None or b is None else (b - a).days


def same_occasion(a: Mention, b: Mention) -> bool:
    """The merge rule of this module's docstring."""
    if (a.type, a.status, a.parties) != (b.type, b.status, b.parties) or len(a.parties) < 1:
        return False
    if a.country and b.country and a.country != b.country:
        return False
    if a.people and b.people and not a.people & b.people:
        return False
    if a.date and b.date:
        return a.date == b.date
    if a.date or b.date:
        dated, undated = (a, b) if a.date else (b, a)
        after = _days(dated.date, undated.published)
        return after is not None and 0 <= after <= MERGE_WINDOW_DAYS
    apart = _days(a.published, b.published)
    return apart is not None and abs(apart) <= MERGE_WINDOW_DAYS


class OccasionIndex:
    """The occasions known so far, looked up by type and parties."""

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, frozenset[str]], list[Mention]] = defaultdict(list)

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_key.values())

    def add(self, mention: Mention) -> None:
        self._by_key[(mention.type, mention.parties)].append(mention)

    def resolve(self, mention: Mention) -> str:
        """The IRI of the occasion the mention speaks of (its own IRI when it is new)."""
        for known in self._by_key.get((mention.type, mention.parties), []):
            if same_occasion(known, mention):
                return known.iri
        self.add(mention)
        return mention.iri


_KNOWN = """
PREFIX dk: <https://w3id.org/dipkg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
SELECT ?event ?class ?status ?date ?published ?placeCountry
       (GROUP_CONCAT(DISTINCT STR(?party); separator=" ") AS ?parties)
       (GROUP_CONCAT(DISTINCT IF(STRSTARTS(STR(?agent), "PERSON_PREFIX"), STR(?agent), "");
                     separator=" ") AS ?people)
WHERE {
  GRAPH ?g {
    ?event a ?class ; dk:status ?status ; prov:wasDerivedFrom ?article ; dk:participation ?p .
    FILTER(?class IN (dk:Meeting, dk:Visit, dk:Call))
    ?p dk:role ?role ; dk:agent ?agent .
    FILTER(?role != dk:Attendee)
    { ?p dk:representing ?party }
    UNION { ?p dk:organization ?party FILTER NOT EXISTS { ?p dk:representing ?c } }
    OPTIONAL { ?event dk:date ?date }
    OPTIONAL { ?article schema:datePublished ?published }
    OPTIONAL { ?event sem:hasPlace ?place . OPTIONAL { ?place dk:country ?pc } }
  }
  OPTIONAL { GRAPH ?r { ?place dk:country ?rc } }
  BIND(COALESCE(?pc, ?rc, IF(STRSTARTS(STR(?place), "COUNTRY_PREFIX"), ?place, ?unbound))
       AS ?placeCountry)
}
GROUP BY ?event ?class ?status ?date ?published ?placeCountry ?g
"""

TYPES = {"Meeting": "meeting", "Visit": "visit", "Call": "call"}
STATUS = {"Occurred": "occurred", "Planned": "planned"}


def index_from_store(store: ox.Store | RemoteStore) -> OccasionIndex:
    """The occasions already in a store (one query), to resolve new mentions against."""
    index = OccasionIndex()
    query = _KNOWN.replace("COUNTRY_PREFIX", str(COUNTRY)).replace("PERSON_PREFIX", str(PERSON))
    solutions = store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    for row in solutions:
        parties = frozenset(_code(p) for p in str(row["parties"].value).split())
        place = row["placeCountry"]
        index.add(
            Mention(
                iri=str(row["event"].value),
                type=TYPES.get(str(row["class"].value).rsplit("#", 1)[-1], ""),
                status=STATUS.get(str(row["status"].value).rsplit("#", 1)[-1], ""),
                parties=parties,
                country=_code(str(place.value)) if place is not None else None,
                date=_date(row["date"]),
                published=_date(row["published"]),
                people=frozenset(str(row["people"].value).split()),
            )
        )
    return index


def _code(iri: str) -> str:
    """A country IRI's ISO2 code; an organization stays an IRI (as in parties_of)."""
    prefix = str(COUNTRY)
    return iri[len(prefix) :] if iri.startswith(prefix) else iri


def _date(term: object) -> date | None:
    if term is None:
        return None
    try:
        return date.fromisoformat(str(getattr(term, "value", ""))[:10])
    except ValueError:
        return None
