"""Checks on the generated country and city reference data (ontology/reference/countries.ttl and
places.ttl, built by tools/build_countries.py)."""

from __future__ import annotations

import importlib.util
import re
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, SKOS

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "ontology" / "reference"
COUNTRIES_TTL = REFERENCE / "countries.ttl"
PLACES_TTL = REFERENCE / "places.ttl"
BUILD_SCRIPT = ROOT / "tools" / "build_countries.py"

DK = Namespace("https://w3id.org/dipkg/ontology#")
COUNTRY = Namespace("https://w3id.org/dipkg/id/country/")
PLACE = Namespace("https://w3id.org/dipkg/id/place/")
WD = Namespace("http://www.wikidata.org/entity/")

LANGS = ("ar", "en", "fr")


@pytest.fixture(scope="module")
def countries() -> Graph:
    graph = Graph()
    graph.parse(COUNTRIES_TTL, format="turtle")
    return graph


@pytest.fixture(scope="module")
def places() -> Graph:
    graph = Graph()
    graph.parse(PLACES_TTL, format="turtle")
    return graph


def country_nodes(graph: Graph) -> list[URIRef]:
    return sorted(s for s in graph.subjects(RDF.type, DK.Country) if isinstance(s, URIRef))


def city_nodes(graph: Graph) -> list[URIRef]:
    return sorted(s for s in graph.subjects(RDF.type, DK.City) if isinstance(s, URIRef))


def values(graph: Graph, node: URIRef, predicate: URIRef, lang: str | None = None) -> set[str]:
    return {
        str(o)
        for o in graph.objects(node, predicate)
        if isinstance(o, Literal) and (lang is None or o.language == lang)
    }


def gw_codes(graph: Graph, node: URIRef) -> set[int]:
    return {int(str(v)) for v in graph.objects(node, DK.gwCode)}


def test_countries_parse_and_count(countries: Graph) -> None:
    assert len(country_nodes(countries)) >= 198


def test_required_territories_present(countries: Graph) -> None:
    for iso2 in ("PS", "VA", "XK", "TW", "EH", "SS", "EG", "SA", "US", "FR"):
        assert (COUNTRY[iso2], RDF.type, DK.Country) in countries, iso2


def test_every_country_has_one_pref_label_per_language(countries: Graph) -> None:
    for node in country_nodes(countries):
        for lang in LANGS:
            labels = values(countries, node, SKOS.prefLabel, lang)
            assert len(labels) == 1, (node, lang, labels)
            assert next(iter(labels)).strip(), (node, lang)


def test_every_country_has_iso_codes(countries: Graph) -> None:
    iso2s, iso3s = set(), set()
    for node in country_nodes(countries):
        iso2 = values(countries, node, DK.iso2)
        iso3 = values(countries, node, DK.iso3)
        assert len(iso2) == 1 and len(iso3) == 1, node
        (code2,), (code3,) = iso2, iso3
        assert re.fullmatch(r"[A-Z]{2}", code2) and re.fullmatch(r"[A-Z]{3}", code3), node
        assert str(node) == str(COUNTRY[code2]), "IRI must be country:<ISO2>"
        iso2s.add(code2)
        iso3s.add(code3)
    assert len(iso2s) == len(iso3s) == len(country_nodes(countries))


def test_codes_are_well_formed(countries: Graph) -> None:
    for node in country_nodes(countries):
        cameo = values(countries, node, DK.cameoCode)
        assert len(cameo) == 1 and re.fullmatch(r"[A-Z]{3}", next(iter(cameo))), node
        for gw in countries.objects(node, DK.gwCode):
            assert isinstance(gw, Literal) and isinstance(gw.toPython(), int), (node, gw)
        for same in countries.objects(node, OWL.sameAs):
            assert re.fullmatch(re.escape(str(WD)) + r"Q[1-9][0-9]*", str(same)), (node, same)


def test_every_capital_exists_and_points_back(countries: Graph, places: Graph) -> None:
    for node in country_nodes(countries):
        capitals = list(countries.objects(node, DK.capital))
        assert len(capitals) == 1, node
        capital = capitals[0]
        assert isinstance(capital, URIRef)
        assert (capital, RDF.type, DK.City) in places, capital
        assert list(places.objects(capital, DK.country)) == [node], capital


def test_every_city_is_well_formed(countries: Graph, places: Graph) -> None:
    cities = city_nodes(places)
    assert len(cities) >= 198
    for city in cities:
        owners = list(places.objects(city, DK.country))
        assert len(owners) == 1, city
        owner = owners[0]
        assert (owner, RDF.type, DK.Country) in countries, (city, owner)
        iso2 = str(owner).rsplit("/", 1)[-1]
        assert re.fullmatch(
            re.escape(str(PLACE)) + iso2.lower() + r"-[a-z0-9]+(-[a-z0-9]+)*", str(city)
        )
        for lang in LANGS:
            assert len(values(places, city, SKOS.prefLabel, lang)) == 1, (city, lang)


def test_labels_carry_languages(countries: Graph, places: Graph) -> None:
    for graph in (countries, places):
        for predicate in (SKOS.prefLabel, SKOS.altLabel, DK.demonym, DK.nisba):
            for _, _, label in graph.triples((None, predicate, None)):
                assert isinstance(label, Literal) and label.language in LANGS, label
                assert str(label) == str(label).strip() and str(label), label
    for _, _, nisba in countries.triples((None, DK.nisba, None)):
        assert isinstance(nisba, Literal) and nisba.language == "ar"
        assert not str(nisba).startswith("ال"), nisba


def test_spot_check_egypt(countries: Graph) -> None:
    eg = COUNTRY.EG
    assert values(countries, eg, SKOS.prefLabel, "ar") == {"مصر"}
    assert "مصري" in values(countries, eg, DK.nisba, "ar")
    assert values(countries, eg, DK.iso3) == {"EGY"}
    assert values(countries, eg, DK.cameoCode) == {"EGY"}
    assert gw_codes(countries, eg) == {651}
    assert (eg, OWL.sameAs, WD.Q79) in countries


def test_spot_check_united_states(countries: Graph) -> None:
    nisbas = values(countries, COUNTRY.US, DK.nisba, "ar")
    assert {"أمريكي", "أميركي"} <= nisbas
    assert "American" in values(countries, COUNTRY.US, DK.demonym, "en")


def test_spot_check_saudi_arabia(countries: Graph) -> None:
    demonyms = values(countries, COUNTRY.SA, DK.demonym, "fr")
    assert {"saoudien", "saoudienne", "saoudiens", "saoudiennes"} <= demonyms
    assert "السعودية" in values(countries, COUNTRY.SA, SKOS.altLabel, "ar")
    assert "سعودي" in values(countries, COUNTRY.SA, DK.nisba, "ar")


def test_spot_check_france_capital(countries: Graph, places: Graph) -> None:
    (capital,) = countries.objects(COUNTRY.FR, DK.capital)
    assert isinstance(capital, URIRef)
    assert capital == PLACE["fr-paris"]
    assert values(places, capital, SKOS.prefLabel, "en") == {"Paris"}
    assert values(places, capital, SKOS.prefLabel, "ar") == {"باريس"}
    assert values(places, capital, SKOS.prefLabel, "fr") == {"Paris"}


def test_special_codes(countries: Graph) -> None:
    assert values(countries, COUNTRY.XK, DK.cameoCode) == {"KSV"}
    assert values(countries, COUNTRY.TL, DK.cameoCode) == {"TMP"}
    assert gw_codes(countries, COUNTRY.DE) == {260}
    assert gw_codes(countries, COUNTRY.YE) == {678}


def test_no_bare_ambiguous_labels(countries: Graph, places: Graph) -> None:
    """Forms shared by two entities are kept out (see the comments in tools/country_extras.tsv)."""
    for graph in (countries, places):
        for predicate in (SKOS.prefLabel, SKOS.altLabel):
            labels = {str(o) for o in graph.objects(None, predicate)}
            assert not labels & {"Congo", "الكونغو", "Korea", "كوريا", "عمان"}
    # a nisba that is a common word («مالي»: financial) is data, but never matched in text
    assert "مالي" in values(countries, COUNTRY.ML, DK.unmatched)


def test_every_country_has_three_names_and_a_nisba(countries: Graph) -> None:
    for country in countries.subjects(RDF.type, DK.Country):
        names = {o.language for o in countries.objects(country, SKOS.prefLabel)}
        assert {"ar", "en", "fr"} <= names, country
        assert values(countries, country, DK.nisba), country


def test_unmatched_forms_are_not_in_the_lexicon() -> None:
    from kg.analyse import normalise
    from kg.lexicon import load_lexicon

    lexicon = load_lexicon("ar")
    text = "قدمت الحكومة دعما ماليا ومالي للبنك"
    matches = lexicon.match_with_text(normalise(text), text)
    assert not [m for m in matches if m.kind == "nisba" and m.key == "ML"]
    text = "وصل الرئيس المالي إلى نيامي"  # the adjective alone stays ambiguous: not matched either
    assert not [m for m in lexicon.match_with_text(normalise(text), text) if m.key == "ML"]


def _installed(package: str) -> str | None:
    try:
        return version(package)
    except PackageNotFoundError:
        return None


def test_generated_files_are_up_to_date() -> None:
    """The .ttl files match a fresh build, when the same babel/pycountry versions are installed
    (CLDR names change between releases, so another version is not a failure)."""
    built_with = next(
        line
        for line in COUNTRIES_TTL.read_text(encoding="utf-8").splitlines()
        if "Built with:" in line
    )
    for package in ("babel", "pycountry"):
        installed = _installed(package)
        if installed is None or f"{package} {installed}" not in built_with:
            pytest.skip(f"{package} {installed} differs from the build ({built_with})")
    spec = importlib.util.spec_from_file_location("build_countries", BUILD_SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    try:
        spec.loader.exec_module(module)
        outputs = module.build()
    finally:
        del sys.modules[spec.name]
    for path, text in outputs.items():
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.name} is stale: run {BUILD_SCRIPT.name}"
        )
