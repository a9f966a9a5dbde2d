"""Small typed records that the stages of the data flow hand to each other.

read → Article; analyse → Document (normalised text, sentences); match → Match;
extract → Mention, Event. The RDF layer reads Events; it never sees text processing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

EventType = Literal["meeting", "visit", "call"]
Status = Literal["occurred", "planned"]
Role = Literal["host", "guest", "participant", "attendee"]
ActorKind = Literal["person", "organization", "country"]


@dataclass(frozen=True)
class Article:
    """One news article as read from a file; `text` is kept exactly as published."""

    id: str
    text: str
    title: str = ""
    lang: str | None = None
    published: date | None = None
    url: str | None = None
    source: str | None = None
    origin: str = ""
    """Where it was read from (file path, zip member), for messages."""


@dataclass(frozen=True)
class Span:
    """A half-open character range [start, end) in the article's original text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Match:
    """A lexicon entry found in the text (offsets in the original text)."""

    start: int
    end: int
    kind: str
    """country, nisba, city, org, title, person, trigger, topic, date, cue."""
    key: str
    """What it refers to: an ISO2 code, a reference IRI, a trigger id, a topic id …"""
    data: tuple[tuple[str, str], ...] = ()
    """Extra attributes of the entry (e.g. ("country", "SA") for a country-specific title)."""

    def get(self, name: str, default: str | None = None) -> str | None:
        for k, v in self.data:
            if k == name:
                return v
        return default


@dataclass
class Actor:
    """A participant as found in the text: a person, an organization or a country."""

    kind: ActorKind
    start: int
    end: int
    name: str | None = None
    """The name as written in the article (None for an unnamed office holder)."""
    labels: dict[str, str] = field(default_factory=dict)
    """Names per language, from the reference data when the actor is known."""
    iri: str | None = None
    """Reference IRI when known (a person, organization or country of the reference data)."""
    title: str | None = None
    office: str | None = None
    country: str | None = None
    org: str | None = None
    wikidata: str | None = None
    offices: list[str] = field(default_factory=list)
    """Every office named in the text for this actor («ولي ولي العهد … وزير الدفاع»)."""
    tentative: bool = False
    """A one-word name after a title («الرئيس هادي»): kept only if coreference confirms it."""
    given_name_only: bool = False
    """One word after an honorific that takes a given name ("Sheikh Tamim"): it is the first
    word of the full name, not the last."""
    both_sides: bool = False
    """«الجانبين», "the two sides": the parties of the occasion told just before."""
    pronoun: bool = False
    """An honorific pronoun («سموه», «فخامته») standing for a person named elsewhere."""
    title_in_text: bool = False
    """The title was written next to the name (else it comes from the reference data)."""
    counterpart: bool = False
    """Named as the other side's counterpart: holds the same office as they do."""

    @property
    def label(self) -> str:
        return self.name or self.labels.get("en") or self.title or self.country or "?"


@dataclass(frozen=True)
class Place:
    label: str
    labels: dict[str, str]
    country: str | None
    iri: str | None = None
    wikidata: str | None = None


@dataclass
class Participant:
    actor: Actor
    role: Role


@dataclass
class Event:
    """One diplomatic occasion found in one article."""

    type: EventType
    status: Status
    participants: list[Participant]
    evidence: list[Span]
    date: date | None = None
    place: Place | None = None
    topics: list[str] = field(default_factory=list)
    concerns: list[str] = field(default_factory=list)
    confidence: float = 0.5
    trigger: str = ""
    """Id of the lexicon trigger that found it, for debugging and provenance."""
    destinations: list[Place] = field(default_factory=list)
    """For a visit: every country its clause names as visited (a tour is split by them)."""
    dated_by_period: bool = False
    """The text gives only a period ("last month", "in August 2017"): no day, and none to
    borrow from the events told around it."""
    earlier: bool = False
    """Told as an occasion before the one reported ("had already visited"): never merged
    with one that is not."""
    anaphoric: bool = False
    """Found by a form that refers back ("the call"): it joins an occasion of its type told
    before, if there is one."""


@dataclass
class Extraction:
    """What the extractor found in one article."""

    article: Article
    lang: str
    events: list[Event]
