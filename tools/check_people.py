"""Check people files of ontology/reference/ before committing them.

    python tools/check_people.py [FILE ...]        (default: every people*.ttl)

Reads every people*.ttl of ontology/reference/ together (one person may get posts from several
files) and reports, in plain words: persons without exactly one English and Arabic prefLabel,
labels added to a person defined in another file, unknown countries or office types, missing or
reversed dates, duplicate posts, names shared by two people, and — for one-holder offices of
each country named in FILE — the stretches of 2010 until today that no holder covers.
Exit status 1 when there are errors (gaps are only reported).
"""

from __future__ import annotations

import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SKOS

REFERENCE = Path(__file__).resolve().parents[1] / "ontology" / "reference"
DK = Namespace("https://w3id.org/dipkg/ontology#")
COUNTRY = "https://w3id.org/dipkg/id/country/"
OFFICE = "https://w3id.org/dipkg/id/office/"
PERSON = "https://w3id.org/dipkg/id/person/"
SINCE = date(2010, 1, 1)
CHECKED_OFFICES = ("head-of-state", "head-of-government", "foreign-minister", "defence-minister")


def _date(value: object) -> date | None:
    if isinstance(value, Literal) and isinstance(value.toPython(), date):
        return value.toPython()
    return None


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] or sorted(REFERENCE.glob("people*.ttl"))
    every = sorted({*REFERENCE.glob("people*.ttl"), *files})
    graphs = {path: Graph().parse(path, format="turtle") for path in every}
    merged = Graph()
    for graph in graphs.values():
        merged += graph
    countries = set(Graph().parse(REFERENCE / "countries.ttl").subjects(RDF.type, DK.Country))
    offices_graph = Graph().parse(REFERENCE / "offices.ttl")
    office_types = set(offices_graph.subjects(RDF.type, DK.OfficeType))
    orgs = set(Graph().parse(REFERENCE / "organizations.ttl").subjects(RDF.type, None))
    errors: list[str] = []

    defined_in: dict[URIRef, list[Path]] = defaultdict(list)
    for path, graph in graphs.items():
        for person in graph.subjects(SKOS.prefLabel, None):
            if isinstance(person, URIRef) and path not in defined_in[person]:
                defined_in[person].append(path)
    for person, paths in defined_in.items():
        if len(paths) > 1:
            names = ", ".join(p.name for p in paths)
            errors.append(f"{person}: labelled in several files ({names}); add posts only")

    persons = [p for p in merged.subjects(RDF.type, DK.Person) if isinstance(p, URIRef)]
    names: dict[tuple[str, str], URIRef] = {}
    for person in persons:
        if not str(person).startswith(PERSON):
            errors.append(f"{person}: IRI must start with {PERSON}")
        labels: dict[str, list[str]] = defaultdict(list)
        for value in merged.objects(person, SKOS.prefLabel):
            labels[getattr(value, "language", None) or ""].append(str(value))
        for lang in ("en", "ar"):
            if len(labels[lang]) != 1:
                errors.append(f"{person}: needs one prefLabel @{lang}, has {labels[lang]}")
        if len(labels["fr"]) > 1:
            errors.append(f"{person}: several prefLabel @fr {labels['fr']}")
        every_label = [
            *merged.objects(person, SKOS.prefLabel),
            *merged.objects(person, SKOS.altLabel),
        ]
        for value in every_label:
            key = (getattr(value, "language", None) or "", str(value).casefold())
            other = names.setdefault(key, person)
            if other != person:
                errors.append(f"name {str(value)!r}@{key[0]} given to {other} and {person}")
        for country in merged.objects(person, DK.country):
            if country not in countries:
                errors.append(f"{person}: unknown country {country}")
        posts = list(merged.objects(person, DK.heldPost))
        if not posts:
            errors.append(f"{person}: no dk:heldPost")
        seen: set[tuple[str, date | None]] = set()
        for post in posts:
            office = merged.value(post, DK.officeType)
            start = _date(merged.value(post, DK.start))
            end_value = merged.value(post, DK.end)
            end = _date(end_value)
            if office not in office_types:
                errors.append(f"{person}: unknown office type {office}")
            if not str(merged.value(post, DK.titleEn) or "").strip():
                errors.append(f"{person}: post {office} without dk:titleEn")
            if start is None:
                errors.append(f"{person}: post {office} without an xsd:date dk:start")
            if end_value is not None and end is None:
                errors.append(f"{person}: post {office} with an end that is not an xsd:date")
            if start and end and end < start:
                errors.append(f"{person}: post {office} ends {end} before it starts {start}")
            org = merged.value(post, DK.organization)
            if org is not None and org not in orgs:
                errors.append(f"{person}: unknown organization {org}")
            key = (str(office), start)
            if key in seen:
                errors.append(f"{person}: post {office} from {start} given twice")
            seen.add(key)

    for line in errors:
        print("ERROR", line)
    _report_gaps(merged, graphs, files)
    print(f"{len(persons)} people, {len(errors)} errors")
    return 1 if errors else 0


def _report_gaps(merged: Graph, graphs: dict[Path, Graph], files: list[Path]) -> None:
    """For the countries of FILE: stretches since 2010 that no holder of an office covers."""
    named = {c for path in files for c in graphs[path].objects(None, DK.country)}
    tenures: dict[tuple[str, str], list[tuple[date, date]]] = defaultdict(list)
    today = date.today()
    for person in merged.subjects(RDF.type, DK.Person):
        country = merged.value(person, DK.country)
        if country not in named:
            continue
        for post in merged.objects(person, DK.heldPost):
            office = str(merged.value(post, DK.officeType) or "")[len(OFFICE) :]
            start = _date(merged.value(post, DK.start))
            end = _date(merged.value(post, DK.end)) or today
            national = merged.value(post, DK.organization) is None
            if office in CHECKED_OFFICES and start is not None and national:
                tenures[(str(country)[len(COUNTRY) :], office)].append((start, end))
    for code in sorted(str(c)[len(COUNTRY) :] for c in named):
        for office in CHECKED_OFFICES:
            spans = sorted(tenures.get((code, office), []))
            covered_to, gaps = SINCE, []
            for start, end in spans:
                if start > covered_to and (start - covered_to).days > 1:
                    gaps.append(f"{covered_to}..{start}")
                covered_to = max(covered_to, end)
            if (today - covered_to).days > 1:
                gaps.append(f"{covered_to}..")
            if gaps:
                print(f"GAP {code} {office}: {', '.join(gaps)}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
