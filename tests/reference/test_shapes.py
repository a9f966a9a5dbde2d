"""The reference knowledge is valid against ontology/shapes.ttl (SHACL, run by pySHACL)."""

from __future__ import annotations

from rdflib import Graph

from kg.reference import load_graph, reference_files
from kg.validate import validate


def test_reference_data_fits_the_shapes():
    violations = validate(load_graph(reference_files()))
    assert not violations, "\n".join(str(v) for v in violations[:20])


def test_a_broken_country_and_post_are_reported_in_words():
    broken = Graph().parse(
        data="""
        @prefix dk: <https://w3id.org/dipkg/ontology#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <https://w3id.org/dipkg/id/country/ZZ> a dk:Country ;
            skos:prefLabel "Nowhere"@en ; dk:iso2 "zz" ; dk:iso3 "ZZZ" .
        <https://w3id.org/dipkg/id/person/x> a dk:Person ; skos:prefLabel "X"@en ;
            dk:heldPost [ dk:cameoCode "ZZZGOV" ;
                          dk:start "2020-01-01"^^xsd:date ; dk:end "2019-01-01"^^xsd:date ] .
        """,
        format="turtle",
    )
    messages = {v.message for v in validate(broken)}
    assert "a country needs one name in each of Arabic, English and French" in messages
    assert "a country needs one ISO 3166 alpha-2 code (two capital letters)" in messages
    assert "a country needs its Arabic nisba (masculine singular, without the article)" in messages
    assert "a post starts on one xsd:date, not after it ends" in messages
