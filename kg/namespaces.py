"""The IRIs of the project's vocabulary and of its instance data, in one place."""

from __future__ import annotations

import os

from rdflib import Namespace

DK = Namespace("https://w3id.org/dipkg/ontology#")
"""The project's ontology (classes and properties)."""

BASE = os.environ.get("KG_BASE_IRI", "https://w3id.org/dipkg/id/")
"""Base IRI of instance data; set KG_BASE_IRI to mint IRIs under your own domain."""

COUNTRY = Namespace(BASE + "country/")
PLACE = Namespace(BASE + "place/")
ORG = Namespace(BASE + "org/")
OFFICE = Namespace(BASE + "office/")
PERSON = Namespace(BASE + "person/")
TOPIC = Namespace(BASE + "topic/")
EVENT = Namespace(BASE + "event/")
ARTICLE = Namespace(BASE + "article/")
AGENT = Namespace(BASE + "agent/")
GRAPH = Namespace(BASE + "graph/")
REFERENCE_GRAPH = BASE + "graph/reference"

SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
SCHEMA = Namespace("https://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
WD = Namespace("http://www.wikidata.org/entity/")
OA = Namespace("http://www.w3.org/ns/oa#")

PREFIXES = {
    "dk": DK,
    "country": COUNTRY,
    "place": PLACE,
    "org": ORG,
    "office": OFFICE,
    "person": PERSON,
    "topic": TOPIC,
    "event": EVENT,
    "article": ARTICLE,
    "sem": SEM,
    "schema": SCHEMA,
    "prov": PROV,
    "skos": SKOS,
    "wd": WD,
    "oa": OA,
}
