"""Import actor dictionaries in the Phoenix/CAMEO (PETRARCH) format into the reference model.

A dictionary is a list of entries: a name line (words joined by `_`), `+` lines that are aliases
of it, and `[CODE start-end]` role lines, on the name line or indented below it. A code is a CAMEO
country (or IGO) code followed by role codes (`EGYGOV`, `IGOUNO`); dates are `yymmdd` or
`yyyymmdd`, `>date` = from, `<date` = until. `#` starts a comment.

Each entry with at least one dated role becomes a dk:Person with its names as English labels and
each role as a dk:heldPost carrying the CAMEO code and dates (and dk:country / dk:organization when
the reference data knows the code). Entries without dated roles (countries, institutions,
generic agents) are not people and are skipped, as are people the reference data already has.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rdflib import RDF, XSD, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from kg.namespaces import COUNTRY, DK, PERSON
from kg.reference import Reference

SOURCE = "Phoenix/CAMEO actor dictionaries"
PIVOT = 30
"""Two-digit years up to this are 20yy, later ones 19yy (the dictionaries end in 2014)."""

_ROLE = re.compile(r"\[\s*([A-Z~][A-Z0-9~]*)\s*([^\]]*)\]")
_LOWER_WORDS = {"bin", "bint", "ibn", "al", "el", "de", "da", "du", "van", "von", "der", "of"}


@dataclass(frozen=True)
class CameoRole:
    code: str
    start: date | None = None
    end: date | None = None

    @property
    def dated(self) -> bool:
        return self.start is not None or self.end is not None


@dataclass
class CameoActor:
    name: str
    aliases: list[str] = field(default_factory=list)
    roles: list[CameoRole] = field(default_factory=list)
    line: int = 0


@dataclass
class ImportReport:
    """What an import did, for the command's summary."""

    entries: int = 0
    people: int = 0
    posts: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    unknown_codes: Counter[str] = field(default_factory=Counter)


def cameo_date(text: str) -> date | None:
    """`140608` → 2014-06-08, `19270101` → 1927-01-01; anything else → None."""
    digits = text.strip()
    try:
        if len(digits) == 8:
            return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        if len(digits) == 6:
            year = int(digits[:2])
            year += 2000 if year <= PIVOT else 1900
            return date(year, int(digits[2:4]), int(digits[4:]))
    except ValueError:
        return None
    return None


def parse_role(code: str, dates: str) -> CameoRole:
    """`EGYGOV` with `>140608`, `<991231`, `090121-130201` or nothing."""
    dates = dates.strip()
    if dates.startswith(">"):
        return CameoRole(code, start=cameo_date(dates[1:]))
    if dates.startswith("<"):
        return CameoRole(code, end=cameo_date(dates[1:]))
    if "-" in dates:
        start, _, end = dates.partition("-")
        return CameoRole(code, start=cameo_date(start), end=cameo_date(end))
    return CameoRole(code)


def parse_actors(lines: Iterable[str]) -> Iterator[CameoActor]:
    """The entries of a dictionary, in order."""
    current: CameoActor | None = None
    for number, line in enumerate(lines, 1):
        text = line.split("#", 1)[0].rstrip()
        if not text.strip() or text.lstrip().startswith("!"):
            continue  # blank, comment, or a PETRARCH macro (!PERSON! = …)
        roles = [parse_role(code, dates) for code, dates in _ROLE.findall(text)]
        words = _ROLE.sub(" ", text).strip()
        if text[0] in " \t" or (not words and roles):
            if current is not None:
                current.roles += roles
        elif words.startswith("+"):
            if current is not None:
                current.aliases.append(words[1:].strip())
                current.roles += roles
        else:
            if current is not None:
                yield current
            current = CameoActor(name=words, roles=roles, line=number)
    if current is not None:
        yield current


def display_name(token: str) -> str:
    """`ABDEL_FATTAH_EL-SISI_` → `Abdel Fattah el-Sisi`."""
    words = [w for w in token.replace("_", " ").split() if w]
    out = []
    for index, word in enumerate(words):
        parts = [p.capitalize() if p.isupper() or p.islower() else p for p in word.split("-")]
        if index > 0 and parts[0].lower() in _LOWER_WORDS:
            parts[0] = parts[0].lower()
        out.append("-".join(parts))
    return " ".join(out)


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def _name_key(name: str) -> str:
    """ "Abdel Fattah El-Sisi" and "Abdel Fattah el Sisi" are one name."""
    return " ".join(_slug(name).split("-"))


def _known_names(reference: Reference) -> set[tuple[str, str | None]]:
    return {
        (_name_key(name), entity.country)
        for entity in reference.entities.values()
        if entity.kind == "person"
        for name in entity.labels.get("en", [])
    }


def _non_person_words(reference: Reference) -> set[str]:
    """English names of countries, cities, organizations and titles and the demonyms: a CAMEO
    entry named with one of them ("IRAQ_", "PALESTINIAN_AUTHORITY_") is not a person."""
    words: set[str] = set()
    for entity in reference.entities.values():
        if entity.kind in ("country", "city", "org", "title"):
            words.update(n.casefold() for n in entity.labels.get("en", []))
            words.update(n.casefold() for n in entity.extra.get("demonym", []))
    return words


def _names_a_place_or_body(name: str, words: set[str]) -> bool:
    return name.casefold() in words or any(w.casefold() in words for w in name.split())


def import_actors(
    actors: Iterable[CameoActor], reference: Reference, since: date | None = None
) -> tuple[Graph, ImportReport]:
    """The RDF of the people among the entries, and what was done."""
    report = ImportReport()
    countries = {
        code: iso2
        for iso2, entity in reference.countries.items()
        for code in entity.extra.get("cameo", [])
    }
    orgs = {
        code: entity.iri
        for entity in reference.entities.values()
        if entity.kind == "org"
        for code in entity.extra.get("cameo", [])
    }
    known = _known_names(reference)
    places = _non_person_words(reference)
    people: list[tuple[CameoActor, list[CameoRole], str | None]] = []
    for actor in actors:
        report.entries += 1
        roles = [r for r in actor.roles if r.dated]
        if since is not None:
            roles = [r for r in roles if (r.end or date.max) >= since]
        if not roles:
            report.skipped["no dated role" + (f" since {since}" if since else "")] += 1
            continue
        country = _country_of(roles, countries, report)
        names = [display_name(n) for n in [actor.name, *actor.aliases]]
        if " " not in names[0] or _names_a_place_or_body(names[0], places):
            report.skipped["not a person's name (one word, or a country, body or title)"] += 1
            continue
        if any((_name_key(n), country) in known for n in names):
            report.skipped["already in the reference data"] += 1
            continue
        people.append((actor, roles, country))

    alias_owners = Counter(
        _name_key(display_name(a)) for actor, _, _ in people for a in {actor.name, *actor.aliases}
    )
    graph = Graph()
    taken: set[str] = {iri for iri in reference.entities}
    for actor, roles, country in people:
        name = display_name(actor.name)
        iri = _new_iri(name, country, taken)
        node = URIRef(iri)
        graph.add((node, RDF.type, DK.Person))
        graph.add((node, SKOS.prefLabel, Literal(name, lang="en")))
        for alias in dict.fromkeys(display_name(a) for a in actor.aliases):
            single = " " not in alias
            if alias != name and not single and alias_owners[_name_key(alias)] == 1:
                graph.add((node, SKOS.altLabel, Literal(alias, lang="en")))
        if country:
            graph.add((node, DK.country, URIRef(str(COUNTRY) + country)))
        graph.add((node, DCTERMS.source, Literal(SOURCE)))
        for role in roles:
            post = BNode()
            graph.add((node, DK.heldPost, post))
            graph.add((post, DK.cameoCode, Literal(role.code)))
            org = _organization(role.code, orgs)
            if org:
                graph.add((post, DK.organization, URIRef(org)))
            if role.start:
                graph.add((post, DK.start, Literal(role.start.isoformat(), datatype=XSD.date)))
            if role.end:
                graph.add((post, DK.end, Literal(role.end.isoformat(), datatype=XSD.date)))
            report.posts += 1
        report.people += 1
    return graph, report


def _organization(code: str, orgs: dict[str, str]) -> str | None:
    """The organization whose CAMEO code is the longest prefix of a role code
    (IGOUNODEVWBKEDU → the World Bank's IGOUNODEVWBK)."""
    for length in range(len(code), 2, -1):
        if code[:length] in orgs:
            return orgs[code[:length]]
    return None


def _country_of(
    roles: list[CameoRole], countries: dict[str, str], report: ImportReport
) -> str | None:
    """The country of the latest dated national role."""
    latest = sorted(roles, key=lambda r: r.start or r.end or date.min, reverse=True)
    for role in latest:
        code = role.code[:3]
        if code in countries:
            return countries[code]
        if code not in ("IGO", "NGO", "MNC"):
            report.unknown_codes[code] += 1
    return None


def _new_iri(name: str, country: str | None, taken: set[str]) -> str:
    """person:<name>, or person:<name>-<country>[-n] for namesakes."""
    base = str(PERSON) + (_slug(name) or "unnamed")
    iri, number = base, 1
    while iri in taken:
        number += 1
        iri = f"{base}-{country.lower()}" if country and number == 2 else f"{base}-{number}"
    taken.add(iri)
    return iri


def read_dictionaries(paths: Iterable[Path]) -> Iterator[CameoActor]:
    for path in paths:
        with path.open(encoding="utf-8", errors="replace") as lines:
            yield from parse_actors(lines)


def write_turtle(graph: Graph, path: Path, header: str) -> None:
    """The graph as Turtle under a comment header (source, licence, how it was made)."""
    from kg.namespaces import PREFIXES

    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    body = graph.serialize(format="turtle")
    comment = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(comment + "\n" + body, encoding="utf-8")
