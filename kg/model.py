"""Events → RDF quads, one named graph per article, deterministic IRIs.

The model (ontology/dipkg.ttl): each event is one node of class dk:Meeting, dk:Visit or dk:Call
(sem:Event, schema:Event); each participant a dk:Participation node with the agent, role, title
and represented country; place, date, status, topics (SKOS concepts), concerns; provenance:
prov:wasDerivedFrom the article (schema:NewsArticle) and evidence spans as Web Annotation text
selectors. This module never parses text: it reads Extraction records.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator, Sequence

from pyoxigraph import Literal, NamedNode, Quad

from kg import __version__
from kg.analyse import normalise
from kg.namespaces import (
    AGENT,
    ARTICLE,
    COUNTRY,
    DK,
    EVENT,
    GRAPH,
    OA,
    OFFICE,
    PERSON,
    PROV,
    SCHEMA,
    SEM,
    SKOS,
    TOPIC,
)
from kg.records import Actor, Article, Event, Extraction

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD = "http://www.w3.org/2001/XMLSchema#"
EVENT_CLASSES = {"meeting": DK.Meeting, "visit": DK.Visit, "call": DK.Call}
ROLES = {"host": DK.Host, "guest": DK.Guest, "participant": DK.Participant, "attendee": DK.Attendee}
STATUSES = {"occurred": DK.Occurred, "planned": DK.Planned}


def n(iri: str) -> NamedNode:
    return NamedNode(str(iri))


def article_iri(article_id: str) -> str:
    return str(ARTICLE) + _safe(article_id)


def graph_iri(article_id: str) -> str:
    return str(GRAPH) + "article/" + _safe(article_id)


def _safe(text: str) -> str:
    """An IRI-safe segment that keeps ids readable: letters and digits of any script stay,
    anything else (spaces, '>', controls, bidi marks) is percent-encoded as UTF-8."""
    return re.sub(
        r"[^A-Za-z0-9._~-]",
        lambda m: (
            m.group()
            if m.group().isalnum()
            else "".join(f"%{byte:02X}" for byte in m.group().encode("utf-8", "surrogatepass"))
        ),
        text,
    )


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    value = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if value:
        return value
    return hashlib.sha256(normalise(text).text.encode()).hexdigest()[:12]


def actor_iri(actor: Actor) -> str:
    """The reference IRI when known; otherwise one minted from the normalised name and country,
    so that the same unknown person in two articles is one node."""
    if actor.iri:
        return actor.iri
    if actor.kind == "country" and actor.country:
        return str(COUNTRY) + actor.country
    country = (actor.country or "xx").lower()
    if actor.name:
        key = " ".join(normalise(actor.name).text.split())
        return str(PERSON) + f"x-{country}-{slug(key)}"
    return str(AGENT) + f"{country}-{actor.office or 'official'}"


def event_iri(article_id: str, event: Event) -> str:
    first = event.evidence[0] if event.evidence else None
    place = event.place.iri or event.place.label if event.place else ""
    sides = ",".join(sorted({p.actor.country or p.actor.org or "" for p in event.participants}))
    key = (
        f"{article_id}|{event.type}|{first.start if first else 0}|{first.end if first else 0}"
        f"|{place}|{sides}"
    )  # a tour told in one clause is one visit per place; separate meetings one per side
    return str(EVENT) + hashlib.sha256(key.encode()).hexdigest()[:20]


def _lit(value: str, lang: str | None = None) -> Literal:
    return Literal(value, language=lang) if lang else Literal(value)


def _typed(value: object, datatype: str) -> Literal:
    return Literal(str(value), datatype=NamedNode(XSD + datatype))


def article_quads(article: Article, lang: str, graph: NamedNode) -> Iterator[Quad]:
    a = n(article_iri(article.id))
    yield Quad(a, RDF_TYPE, n(SCHEMA.NewsArticle), graph)
    yield Quad(a, n(SCHEMA.identifier), _lit(article.id), graph)
    yield Quad(a, n(SCHEMA.inLanguage), _lit(lang), graph)
    if article.title:
        yield Quad(a, n(SCHEMA.headline), _lit(article.title, lang), graph)
    if article.published:
        yield Quad(a, n(SCHEMA.datePublished), _typed(article.published.isoformat(), "date"), graph)
    if article.url:
        yield Quad(a, n(SCHEMA.url), _typed(article.url, "anyURI"), graph)
    if article.source:
        yield Quad(a, n(SCHEMA.publisher), _lit(article.source), graph)


def actor_quads(actor: Actor, iri: NamedNode, lang: str, graph: NamedNode) -> Iterator[Quad]:
    """Descriptions of actors that the reference data does not hold."""
    if actor.iri or actor.kind == "country":
        return  # countries are all in the reference data
    kinds = {"person": DK.Person, "organization": DK.Organization}
    yield Quad(iri, RDF_TYPE, n(kinds[actor.kind]), graph)
    if actor.name:
        yield Quad(iri, n(SKOS.prefLabel), _lit(actor.name, lang), graph)
    elif actor.title:
        label = f"{actor.title} ({actor.country})" if actor.country else actor.title
        yield Quad(iri, n(SKOS.prefLabel), _lit(label, "en"), graph)
    if actor.country:
        yield Quad(iri, n(DK.country), n(str(COUNTRY) + actor.country), graph)


def event_modes(event: Event) -> list[str]:
    """Bilateral (two parties) or multilateral (three or more); virtual for a call."""
    parties = {
        p.actor.country or p.actor.org
        for p in event.participants
        if p.role != "attendee" and (p.actor.country or p.actor.org)
    }
    modes = [str(DK.Multilateral if len(parties) > 2 else DK.Bilateral)] if parties else []
    if event.type == "call":
        modes.append(str(DK.Virtual))
    return modes


def extraction_quads(
    extraction: Extraction, event_iris: Sequence[str] | None = None, run: str | None = None
) -> list[Quad]:
    """All quads of one article's named graph. `event_iris` are the occasions the events were
    resolved to across articles (kg.occasions; default: each event its own); `run` is the
    ingestion run (a prov:Activity) that wrote the graph."""
    article = extraction.article
    lang = extraction.lang
    graph = n(graph_iri(article.id))
    a = n(article_iri(article.id))
    quads = list(article_quads(article, lang, graph))
    if run:
        quads.append(Quad(graph, n(PROV.wasGeneratedBy), n(run), graph))
    mention = hashlib.sha256(article.id.encode()).hexdigest()[:12]
    described: set[str] = set()
    for index_in_article, event in enumerate(extraction.events):
        iri = event_iris[index_in_article] if event_iris else event_iri(article.id, event)
        e = n(iri)
        local = f"{iri}/{mention}"  # this article's nodes of a shared occasion
        quads += [
            Quad(e, RDF_TYPE, n(EVENT_CLASSES[event.type]), graph),
            Quad(e, n(DK.status), n(STATUSES[event.status]), graph),
            Quad(e, n(PROV.wasDerivedFrom), a, graph),
            Quad(e, n(DK.confidence), _typed(f"{event.confidence:.2f}", "decimal"), graph),
            Quad(e, n(DK.extractedBy), _lit(f"dipkg {__version__} ({event.trigger})"), graph),
        ]
        for mode in event_modes(event):
            quads.append(Quad(e, n(DK.mode), n(mode), graph))
        if event.date:
            quads.append(Quad(e, n(DK.date), _typed(event.date.isoformat(), "date"), graph))
        if event.place:
            place = event.place
            if place.iri:
                quads.append(Quad(e, n(SEM.hasPlace), n(place.iri), graph))
            else:
                pnode = n(local + "/place")
                quads.append(Quad(e, n(SEM.hasPlace), pnode, graph))
                quads.append(Quad(pnode, n(SKOS.prefLabel), _lit(place.label, lang), graph))
                if place.country:
                    quads.append(Quad(pnode, n(DK.country), n(str(COUNTRY) + place.country), graph))
        for topic in event.topics:
            quads.append(Quad(e, n(DK.topic), n(str(TOPIC) + topic), graph))
        for code in event.concerns:
            quads.append(Quad(e, n(DK.concerns), n(str(COUNTRY) + code), graph))
        for index, span in enumerate(event.evidence):
            ev = n(f"{local}/evidence/{index}")
            quads += [
                Quad(e, n(DK.evidence), ev, graph),
                Quad(ev, RDF_TYPE, n(OA.TextQuoteSelector), graph),
                Quad(ev, RDF_TYPE, n(OA.TextPositionSelector), graph),
                Quad(ev, n(OA.exact), _lit(span.text), graph),
                Quad(ev, n(OA.start), _typed(span.start, "integer"), graph),
                Quad(ev, n(OA.end), _typed(span.end, "integer"), graph),
                Quad(ev, n(OA.hasSource), a, graph),
            ]
        for index, participant in enumerate(event.participants):
            actor = participant.actor
            agent = n(actor_iri(actor))
            pn = n(f"{local}/participant/{index}")
            quads += [
                Quad(e, n(DK.participation), pn, graph),
                Quad(e, n(SEM.hasActor), agent, graph),
                Quad(pn, RDF_TYPE, n(DK.Participation), graph),
                Quad(pn, n(DK.agent), agent, graph),
                Quad(pn, n(DK.role), n(ROLES[participant.role]), graph),
            ]
            if actor.title:
                quads.append(Quad(pn, n(DK.title), _lit(actor.title, "en"), graph))
            if actor.office:
                quads.append(Quad(pn, n(DK.office), n(str(OFFICE) + actor.office), graph))
            if actor.country:
                quads.append(Quad(pn, n(DK.representing), n(str(COUNTRY) + actor.country), graph))
            if actor.org:
                quads.append(Quad(pn, n(DK.organization), n(actor.org), graph))
            if actor.name:
                quads.append(Quad(pn, n(DK.nameInText), _lit(actor.name, lang), graph))
            if agent.value not in described:
                described.add(agent.value)
                quads += list(actor_quads(actor, agent, lang, graph))
    return quads
