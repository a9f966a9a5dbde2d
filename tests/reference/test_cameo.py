"""The CAMEO dictionary importer, on a small dictionary written for these tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from kg.cameo import cameo_date, display_name, import_actors, parse_actors, parse_role
from kg.lexicon import load_reference
from kg.namespaces import COUNTRY, DK, ORG, PERSON

DICTIONARY = """\
# a comment line
EGYPT_  [EGY]
+EGYPTIAN_

ZAHRA_AL-MANSOURI_  # a minister invented for this test
+ZAHRA_MANSOURI_
+MANSOURI_
\t[EGYGOV 120805-160314]
\t[EGYELI >160315]
TOMAS_VILLANUEVA_DEL_RIO_ [ESPGOV 090121-130201] [IGOUNO >130202]
OLD_RULER_
\t[EGYGOV 19270101-19520726]
SOME_INSTITUTION_
\t[EGYMIL]
"""


def _actors():
    return list(parse_actors(DICTIONARY.splitlines()))


def test_dates_roles_and_names():
    assert cameo_date("140608") == date(2014, 6, 8)
    assert cameo_date("991231") == date(1999, 12, 31)
    assert cameo_date("19270101") == date(1927, 1, 1)
    assert cameo_date("2004017") is None  # malformed in the source: ignored, not guessed
    assert parse_role("EGYGOV", ">140608").start == date(2014, 6, 8)
    assert parse_role("EGYGOV", "<140608").end == date(2014, 6, 8)
    assert not parse_role("EGYMIL", "").dated
    assert display_name("ZAHRA_AL-MANSOURI_") == "Zahra al-Mansouri"
    assert display_name("TOMAS_VILLANUEVA_DEL_RIO_") == "Tomas Villanueva Del Rio"


def test_entries_with_aliases_and_roles():
    names = [a.name for a in _actors()]
    assert names == [
        "EGYPT_",
        "ZAHRA_AL-MANSOURI_",
        "TOMAS_VILLANUEVA_DEL_RIO_",
        "OLD_RULER_",
        "SOME_INSTITUTION_",
    ]
    zahra = _actors()[1]
    assert zahra.aliases == ["ZAHRA_MANSOURI_", "MANSOURI_"]
    assert [r.code for r in zahra.roles] == ["EGYGOV", "EGYELI"]
    tomas = _actors()[2]
    assert [(r.code, r.start) for r in tomas.roles] == [
        ("ESPGOV", date(2009, 1, 21)),
        ("IGOUNO", date(2013, 2, 2)),
    ]


def test_people_become_reference_rdf():
    graph, report = import_actors(_actors(), load_reference(), since=date(2010, 1, 1))
    zahra = URIRef(str(PERSON) + "zahra-al-mansouri")
    assert (zahra, DK.country, URIRef(str(COUNTRY) + "EG")) in graph
    labels = {str(v) for v in graph.objects(zahra, SKOS.altLabel)}
    assert labels == {"Zahra Mansouri"}  # a surname alone is not kept
    assert len(list(graph.objects(zahra, DK.heldPost))) == 2
    tomas = URIRef(str(PERSON) + "tomas-villanueva-del-rio")
    assert (tomas, DK.country, URIRef(str(COUNTRY) + "ES")) in graph
    orgs = set(graph.objects(None, DK.organization))
    assert orgs == {URIRef(str(ORG) + "un")}
    assert report.people == 2
    assert report.skipped["no dated role since 2010-01-01"] == 3  # country, old ruler, institution


def test_known_people_are_not_duplicated():
    known = "ABDEL_FATTAH_EL_SISI_\n\t[EGYGOV >140608]\n"
    graph, report = import_actors(parse_actors(known.splitlines()), load_reference())
    assert len(graph) == 0
    assert report.skipped["already in the reference data"] == 1


def test_the_command_writes_turtle_that_parses(tmp_path: Path):
    from typer.testing import CliRunner

    from kg.cli import app

    source = tmp_path / "mine.actors.txt"
    source.write_text(DICTIONARY, encoding="utf-8")
    target = tmp_path / "people-mine.ttl"
    result = CliRunner().invoke(
        app, ["reference", "import-cameo", str(source), "--out", str(target)]
    )
    assert result.exit_code == 0, result.output
    graph = Graph().parse(target, format="turtle")
    assert (URIRef(str(PERSON) + "old-ruler"), None, None) in graph  # no --since: all dated
    missing = CliRunner().invoke(app, ["reference", "import-cameo", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 1 and "no such file" in missing.output
