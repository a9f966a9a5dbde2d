"""Checks on the reference data in ontology/reference/people.ttl and organizations.ttl."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SKOS

REFERENCE = Path(__file__).resolve().parents[2] / "ontology" / "reference"
DK = Namespace("https://w3id.org/dipkg/ontology#")
COUNTRY = "https://w3id.org/dipkg/id/country/"
ORG = Namespace("https://w3id.org/dipkg/id/org/")
OFFICE = Namespace("https://w3id.org/dipkg/id/office/")
PERSON = Namespace("https://w3id.org/dipkg/id/person/")


def _office_types() -> set[str]:
    """The office types that offices.ttl defines: every post must name one of them."""
    graph = Graph().parse(REFERENCE / "offices.ttl", format="turtle")
    return {str(s)[len(str(OFFICE)) :] for s in graph.subjects(RDF.type, DK.OfficeType)}


OFFICE_TYPES = _office_types()


def _parse(name: str) -> Graph:
    graph = Graph()
    graph.parse(REFERENCE / name, format="turtle")
    return graph


IMPORTED = {"people-cameo.ttl"}
"""Written by `kg reference import-cameo` (checked in test_cameo.py), not curated by hand."""


@pytest.fixture(scope="module")
def people() -> Graph:
    """Every curated people file: people.ttl and people-<region>.ttl, merged (a person may get
    posts from several files)."""
    graph = Graph()
    for path in sorted(REFERENCE.glob("people*.ttl")):
        if path.name not in IMPORTED:
            graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def orgs() -> Graph:
    return _parse("organizations.ttl")


def _labels(graph: Graph, node: URIRef, predicate: URIRef = SKOS.prefLabel) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for value in graph.objects(node, predicate):
        assert isinstance(value, Literal)
        out.setdefault(value.language or "", []).append(str(value))
    return out


def _date(value: object) -> date:
    assert isinstance(value, Literal), value
    assert value.datatype is not None and str(value.datatype).endswith("#date"), value
    python = value.toPython()
    assert isinstance(python, date), value
    return python


@dataclass(frozen=True)
class Post:
    office: str
    title: str
    start: date
    end: date | None
    org: object


def _posts(graph: Graph, person: URIRef) -> list[Post]:
    posts = []
    for post in graph.objects(person, DK.heldPost):
        office = graph.value(post, DK.officeType)
        end = graph.value(post, DK.end)
        posts.append(
            Post(
                office=str(office).rsplit("/", 1)[-1] if office else "",
                title=str(graph.value(post, DK.titleEn) or ""),
                start=_date(graph.value(post, DK.start)),
                end=_date(end) if end is not None else None,
                org=graph.value(post, DK.organization),
            )
        )
    return posts


def _persons(graph: Graph) -> list[URIRef]:
    return [s for s in graph.subjects(RDF.type, DK.Person) if isinstance(s, URIRef)]


def test_files_parse_and_are_not_empty(people: Graph, orgs: Graph) -> None:
    assert len(_persons(people)) > 300
    assert len(list(orgs.subjects(RDF.type, DK.InternationalOrganization))) > 30


def test_every_person_has_labels_and_posts(people: Graph) -> None:
    for person in _persons(people):
        assert str(person).startswith(str(PERSON))
        labels = _labels(people, person)
        for lang in ("en", "ar"):
            assert len(labels.get(lang, [])) == 1, (person, lang, labels)
        assert len(labels.get("fr", [])) <= 1, person
        posts = list(people.objects(person, DK.heldPost))
        assert posts, person
        for post in posts:
            office = people.value(post, DK.officeType)
            assert office is not None and str(office).startswith(str(OFFICE)), (person, office)
            assert str(office)[len(str(OFFICE)) :] in OFFICE_TYPES, (person, office)
            assert str(people.value(post, DK.titleEn) or "").strip(), person
            start = _date(people.value(post, DK.start))
            end = people.value(post, DK.end)
            if end is not None:
                assert start <= _date(end), (person, start, end)


def test_countries_are_iso2_iris(people: Graph) -> None:
    pattern = re.compile(re.escape(COUNTRY) + r"[A-Z]{2}")
    for country in people.objects(None, DK.country):
        assert isinstance(country, URIRef) and pattern.fullmatch(str(country)), country


def test_post_organizations_exist(people: Graph, orgs: Graph) -> None:
    known = set(orgs.subjects(RDF.type, DK.InternationalOrganization))
    for org in people.objects(None, DK.organization):
        assert org in known, org


def test_every_org_has_labels(orgs: Graph) -> None:
    for org in orgs.subjects(RDF.type, DK.InternationalOrganization):
        assert isinstance(org, URIRef) and str(org).startswith(str(ORG))
        labels = _labels(orgs, org)
        for lang in ("en", "ar"):
            assert len(labels.get(lang, [])) == 1, (org, lang, labels)


def test_no_label_is_shared_by_two_people(people: Graph) -> None:
    seen: dict[tuple[str, str], URIRef] = {}
    for person in _persons(people):
        for predicate in (SKOS.prefLabel, SKOS.altLabel):
            for label in people.objects(person, predicate):
                assert isinstance(label, Literal)
                key = (str(label).casefold(), label.language or "")
                other = seen.setdefault(key, person)
                assert other == person, (key, other, person)


def _find(people: Graph, slug: str) -> list[Post]:
    person = PERSON[slug]
    assert (person, RDF.type, DK.Person) in people, slug
    return _posts(people, person)


def test_sisi_president_of_egypt(people: Graph) -> None:
    person = PERSON["abdel-fattah-el-sisi"]
    assert people.value(person, DK.country) == URIRef(COUNTRY + "EG")
    posts = [p for p in _find(people, "abdel-fattah-el-sisi") if p.office == "head-of-state"]
    assert [(p.start, p.end) for p in posts] == [(date(2014, 6, 8), None)]
    assert "السيسي" in _labels(people, person, SKOS.altLabel)["ar"]


def test_shoukry_foreign_minister(people: Graph) -> None:
    posts = [p for p in _find(people, "sameh-shoukry") if p.office == "foreign-minister"]
    assert len(posts) == 1
    assert posts[0].start.year == 2014
    assert posts[0].end is not None and posts[0].end.year == 2024
    alt = _labels(people, PERSON["sameh-shoukry"], SKOS.altLabel)
    assert "Shoukry" in alt["en"] and "شكري" in alt["ar"]


def test_blinken_secretary_of_state(people: Graph) -> None:
    posts = [p for p in _find(people, "antony-blinken") if p.office == "foreign-minister"]
    assert [(p.title, p.start, p.end) for p in posts] == [
        ("Secretary of State", date(2021, 1, 26), date(2025, 1, 20))
    ]


def test_international_posts_carry_an_organization(people: Graph) -> None:
    guterres = [p for p in _find(people, "antonio-guterres") if p.office == "secretary-general"]
    assert guterres and guterres[0].org == ORG["un"]
    assert people.value(PERSON["antonio-guterres"], DK.country) is None
    aboul_gheit = {p.office: p for p in _find(people, "ahmed-aboul-gheit")}
    assert aboul_gheit["secretary-general"].org == ORG["arab-league"]


def test_org_short_forms(orgs: Graph) -> None:
    def alt(slug: str, lang: str) -> list[str]:
        return _labels(orgs, ORG[slug], SKOS.altLabel).get(lang, [])

    assert "الجامعة العربية" in alt("arab-league", "ar")
    assert "مجلس التعاون الخليجي" in alt("gcc", "ar")
    assert "حلف الناتو" in alt("nato", "ar")
    abbreviations = {str(a) for a in orgs.objects(None, DK.abbreviation)}
    assert {"GCC", "UN", "EU", "NATO", "OIC", "AU"} <= abbreviations
