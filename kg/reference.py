"""The reference knowledge (ontology/reference/*.ttl, ontology/topics.ttl) read into plain tables.

The extractor works from these tables (through the lexicon); the RDF layer loads the same files
into the store's reference graph, so every IRI the extractor emits is described there.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import OWL, SKOS

from kg.namespaces import DK, OFFICE, TOPIC
from kg.paths import ONTOLOGY_DIR, REFERENCE_DIR

Labels = dict[str, list[str]]
"""Labels per language: the preferred one first."""


@dataclass(frozen=True)
class Post:
    office: str
    title_en: str
    start: date | None
    end: date | None
    org: str | None = None


@dataclass
class Entity:
    iri: str
    kind: str
    """country, city, org, title, person, topic."""
    labels: Labels = field(default_factory=dict)
    country: str | None = None
    """ISO2 of the country it belongs to (a city's, a person's, a country-specific title's)."""
    wikidata: str | None = None
    extra: dict[str, list[str]] = field(default_factory=dict)
    """Kind-specific values: nisba, demonym, iso2, abbreviation, office, title_en, cue…"""
    posts: list[Post] = field(default_factory=list)

    def label(self, lang: str = "en") -> str:
        for code in (lang, "en", "ar", "fr"):
            if self.labels.get(code):
                return self.labels[code][0]
        return self.iri.rsplit("/", 1)[-1]

    def pref_labels(self) -> dict[str, str]:
        return {lang: values[0] for lang, values in self.labels.items() if values}

    def first(self, key: str) -> str | None:
        values = self.extra.get(key)
        return values[0] if values else None


@dataclass
class Reference:
    entities: dict[str, Entity]
    countries: dict[str, Entity]
    """By ISO2."""
    _holders: dict[str, list[Entity]] | None = field(default=None, init=False, repr=False)

    def get(self, iri: str) -> Entity | None:
        return self.entities.get(iri)

    def holders(self, office: str) -> list[Entity]:
        """People who held an office of this type at some time."""
        if self._holders is None:
            index: dict[str, dict[str, Entity]] = defaultdict(dict)
            for entity in self.entities.values():
                for post in entity.posts:
                    if post.office:
                        index[post.office].setdefault(entity.iri, entity)
            self._holders = {office: list(people.values()) for office, people in index.items()}
        return self._holders.get(office, []) if self._holders else []

    def single_holder(self, office: str | None) -> bool:
        """Whether one person at a time holds this office type (dk:singleHolder)."""
        entity = self.entities.get(str(OFFICE) + office) if office else None
        return entity is not None and bool(entity.extra.get("single_holder"))


def reference_files(directory: Path | None = None) -> list[Path]:
    """Every Turtle file of reference knowledge, topics included."""
    ref = directory or REFERENCE_DIR
    files = sorted(ref.glob("*.ttl"))
    topics = (directory.parent if directory else ONTOLOGY_DIR) / "topics.ttl"
    if topics.exists():
        files.append(topics)
    return files


def load_graph(files: list[Path]) -> Graph:
    graph = Graph()
    for path in files:
        graph.parse(path, format="turtle")
    return graph


_KINDS = {
    DK.Country: "country",
    DK.City: "city",
    DK.Place: "city",
    DK.Region: "city",
    DK.Venue: "venue",
    DK.InternationalOrganization: "org",
    DK.Organization: "org",
    DK.Title: "title",
    DK.OfficeType: "office",
    DK.Person: "person",
    SKOS.Concept: "topic",
}
_EXTRA = {
    DK.nisba: "nisba",
    DK.demonym: "demonym",
    DK.iso2: "iso2",
    DK.iso3: "iso3",
    DK.cameoCode: "cameo",
    DK.unmatched: "unmatched",
    DK.abbreviation: "abbreviation",
    DK.titleEn: "title_en",
    DK.cue: "cue",
    SKOS.notation: "notation",
}


def _as_date(value: object) -> date | None:
    if isinstance(value, Literal):
        python = value.toPython()
        if isinstance(python, date):
            return python
        try:
            return date.fromisoformat(str(value)[:10])
        except ValueError:
            return None
    return None


def build_reference(graph: Graph) -> Reference:
    """Tables of entities from the reference graph."""
    entities: dict[str, Entity] = {}
    for cls, kind in _KINDS.items():
        for subject in graph.subjects(RDF.type, cls):
            if isinstance(subject, URIRef):
                entities[str(subject)] = Entity(iri=str(subject), kind=kind)
    for iri, entity in entities.items():
        node = URIRef(iri)
        labels: dict[str, list[str]] = defaultdict(list)
        for predicate in (SKOS.prefLabel, SKOS.altLabel):
            for value in graph.objects(node, predicate):
                if isinstance(value, Literal):
                    lang = value.language or "und"
                    if str(value) not in labels[lang]:
                        labels[lang].append(str(value))
        entity.labels = dict(labels)
        for predicate, key in _EXTRA.items():
            for value in graph.objects(node, predicate):
                entity.extra.setdefault(key, []).append(str(value))
        if (node, DK.singleHolder, Literal(True)) in graph:
            entity.extra["single_holder"] = ["true"]
        for value in graph.objects(node, DK.impliesTopic):
            entity.extra.setdefault("topic", []).append(topic_id(str(value)))
        for value in graph.objects(node, DK.officeType):
            entity.extra.setdefault("office", []).append(str(value).rsplit("/", 1)[-1])
        for value in graph.objects(node, DK.city):
            entity.extra.setdefault("city", []).append(str(value))
        for value in graph.objects(node, DK.capital):
            entity.extra.setdefault("capital", []).append(str(value))
        country = graph.value(node, DK.country)
        if country is not None:
            entity.country = str(country).rsplit("/", 1)[-1]
        for same in graph.objects(node, OWL.sameAs):
            if "wikidata.org/entity/" in str(same):
                entity.wikidata = str(same).rsplit("/", 1)[-1]
        for post in graph.objects(node, DK.heldPost):
            office = graph.value(post, DK.officeType)
            org = graph.value(post, DK.organization)
            entity.posts.append(
                Post(
                    office=str(office).rsplit("/", 1)[-1] if office else "",
                    title_en=str(graph.value(post, DK.titleEn) or ""),
                    start=_as_date(graph.value(post, DK.start)),
                    end=_as_date(graph.value(post, DK.end)),
                    org=str(org) if org else None,
                )
            )
        if entity.kind == "country":
            entity.country = entity.first("iso2") or iri.rsplit("/", 1)[-1]
        if entity.kind == "topic" and not entity.first("notation"):
            entity.extra["notation"] = [iri.rsplit("/", 1)[-1]]
    countries = {e.country: e for e in entities.values() if e.kind == "country" and e.country}
    return Reference(entities=entities, countries=countries)


def post_on(entity: Entity, when: date | None) -> Post | None:
    """The post a person held on a date (the latest one when the date is unknown)."""
    if not entity.posts:
        return None
    posts = sorted(entity.posts, key=lambda p: p.start or date.min)
    if when is not None:
        valid = [p for p in posts if (p.start or date.min) <= when <= (p.end or date.max)]
        if valid:
            rank = {"head-of-state": 0, "head-of-government": 1, "crown-prince": 2}
            return min(valid, key=lambda p: rank.get(p.office, 5))
        earlier = [p for p in posts if (p.start or date.min) <= when]
        return earlier[-1] if earlier else posts[0]
    return posts[-1]


def organization_aliases(reference: Reference) -> dict[str, str]:
    """Every name and abbreviation of each international organization, mapped to its English
    name: the alias table the scorer uses to see that "GCC" is the Gulf Cooperation Council."""
    aliases: dict[str, str] = {}
    for entity in reference.entities.values():
        if entity.kind != "org":
            continue
        canonical = entity.label("en")
        for names in entity.labels.values():
            for name in names:
                aliases.setdefault(name, canonical)
        for abbreviation in entity.extra.get("abbreviation", []):
            aliases.setdefault(abbreviation, canonical)
    return aliases


def topic_id(iri: str) -> str:
    return iri[len(str(TOPIC)) :] if iri.startswith(str(TOPIC)) else iri.rsplit("/", 1)[-1]


COUNTED_OFFICES = ("head-of-state", "head-of-government", "foreign-minister", "defence-minister")


def reference_figures(
    reference: Reference, since: date = date(2010, 1, 1), until: date | None = None
) -> dict[str, dict[str, int]]:
    """Coverage of the reference knowledge by kind and language, for `kg reference stats`."""
    until = until or date.today()
    figures: dict[str, dict[str, int]] = {}
    for kind in ("country", "city", "org", "title", "person"):
        entities = [e for e in reference.entities.values() if e.kind == kind]
        row = {"total": len(entities)}
        for lang in ("ar", "en", "fr"):
            row[f"named in {lang}"] = sum(1 for e in entities if e.labels.get(lang))
        figures[kind] = row
    countries = [e for e in reference.entities.values() if e.kind == "country"]
    figures["country"].update(
        {
            "with Arabic nisba": sum(1 for e in countries if e.extra.get("nisba")),
            "with demonyms": sum(1 for e in countries if e.extra.get("demonym")),
            "with CAMEO code": sum(1 for e in countries if e.extra.get("cameo")),
        }
    )
    people = [e for e in reference.entities.values() if e.kind == "person"]
    in_period = [
        (e, p)
        for e in people
        for p in e.posts
        if (p.start or date.min) <= until and (p.end or date.max) >= since
    ]
    office_holders: dict[str, set[str]] = defaultdict(set)
    for entity, post in in_period:
        if post.office in COUNTED_OFFICES and entity.country and not post.org:
            office_holders[entity.country].add(post.office)
    figures["person"].update(
        {
            "posts": sum(len(e.posts) for e in people),
            "posts with an office type": sum(1 for e in people for p in e.posts if p.office),
            f"in a post since {since.year}": len({e.iri for e, _ in in_period}),
        }
    )
    figures["office holders"] = {
        f"countries with holders since {since.year}": len(office_holders),
        "countries with all four offices": sum(
            1 for offices in office_holders.values() if len(offices) == len(COUNTED_OFFICES)
        ),
        **{
            f"countries with a {office}": sum(1 for o in office_holders.values() if office in o)
            for office in COUNTED_OFFICES
        },
    }
    return figures
