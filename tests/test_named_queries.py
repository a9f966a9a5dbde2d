"""Every named query of ontology/queries/ gives exactly the expected rows on a small hand-written
graph (tests/fixtures/queries.trig; its header lists the events)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Variable

from kg.queries import NamedQuery, ParameterError, Table, bind, named_queries, run_select

FIXTURE = Path(__file__).parent / "fixtures" / "queries.trig"
ID = "https://w3id.org/dipkg/id/"
EVENT = ID + "event/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PERSON = ID + "person/"
COUNTRY = ID + "country/"
ARTICLE = ID + "article/"

SISI = PERSON + "abdel-fattah-el-sisi"
SHOUKRY = PERSON + "sameh-shoukry"
COLONNA = PERSON + "catherine-colonna"
SAFADI = PERSON + "ayman-safadi"
MACRON = PERSON + "emmanuel-macron"
EG, FR, JO, SA = (COUNTRY + code for code in ("EG", "FR", "JO", "SA"))

QUERIES = named_queries()
TESTED: set[str] = set()


def covers(*names: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a test as the one for these named queries (see test_every_query_has_a_test)."""

    def mark(test: Callable[..., Any]) -> Callable[..., Any]:
        TESTED.update(names)
        return test

    return mark


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    store.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    return store


def select(store: ox.Store, name: str, **params: str) -> Table:
    query = QUERIES[name]
    table = run_select(store, query.text, bind(query, params))
    assert isinstance(table, Table)
    return table


def rows(table: Table, **lists: str) -> list[tuple[str | None, ...]]:
    """The rows as tuples; the cells of the columns named in `lists` (GROUP_CONCAT, whose order
    SPARQL leaves open) are split on the given separator and put back together sorted."""
    index = {table.columns.index(column): separator for column, separator in lists.items()}
    result = []
    for row in table.rows:
        cells = list(row)
        for i, separator in index.items():
            cell = cells[i]
            if cell is not None:
                cells[i] = separator.join(sorted(cell.split(separator)))
        result.append(tuple(cells))
    return result


# ---- the queries, one test each


@covers("events")
def test_events(store: ox.Store):
    table = select(store, "events")
    assert table.columns == ["date", "type", "status", "place", "participants"]
    assert rows(table, participants=" · ") == [
        ("2023-07-01", "Visit", "Planned", "Cairo", "Emmanuel Macron (Guest)"),
        (
            "2023-06-19",
            "Meeting",
            "Occurred",
            "Cairo",
            "Abdel Fattah el-Sisi (Host) · Ayman Safadi (Guest) · Karim Haddad (Attendee)"
            " · Sameh Shoukry (Attendee)",
        ),
        (
            "2023-06-15",
            "Meeting",
            "Occurred",
            "Riyadh",
            "Arab League (Participant) · Ayman Safadi (Participant) · Faisal bin Farhan (Host)"
            " · Karim Haddad (Attendee) · Sameh Shoukry (Participant)",
        ),
        ("2023-06-14", "Visit", "Occurred", "Riyadh", "Ayman Safadi (Guest)"),
        (
            "2023-05-10",
            "Call",
            "Occurred",
            "",
            "Ayman Safadi (Participant) · Sameh Shoukry (Participant)",
        ),
        (
            "2023-05-10",
            "Meeting",
            "Occurred",
            "Cairo",
            "Abdel Fattah el-Sisi (Host) · Catherine Colonna (Guest) · Sameh Shoukry (Attendee)",
        ),
        ("2023-05-10", "Visit", "Occurred", "Cairo", "Catherine Colonna (Guest)"),
        (
            "2022-11-07",
            "Meeting",
            "Occurred",
            "Charm el-Cheikh",  # a place the reference data lacks, labelled in the article
            "Abdel Fattah el-Sisi (Participant) · Catherine Colonna (Participant)",
        ),
        (None, "Meeting", "Planned", "", "Egypt (Participant) · France (Participant)"),
        (None, "Visit", "Occurred", "Egypt", "Catherine Colonna (Guest) · Minister (FR) (Guest)"),
    ]


@covers("country-dyads")
def test_country_dyads(store: ox.Store):
    table = select(store, "country-dyads")
    assert table.columns == ["country1", "country2", "events"]
    assert rows(table) == [
        ("Egypt", "France", "3"),  # e1 (two articles), e9, e10
        ("Egypt", "Jordan", "3"),  # the call e3 counts too
        ("Egypt", "Saudi Arabia", "1"),
        ("Jordan", "Saudi Arabia", "1"),
    ]


@covers("active-actors")
def test_active_actors(store: ox.Store):
    table = select(store, "active-actors")
    assert table.columns == ["actor", "events", "roles"]
    assert rows(table, roles=", ") == [
        ("Ayman Safadi", "4", "Guest, Participant"),
        ("Catherine Colonna", "4", "Guest, Participant"),
        ("Sameh Shoukry", "4", "Attendee, Participant"),
        ("Abdel Fattah el-Sisi", "3", "Host, Participant"),
        ("Karim Haddad", "2", "Attendee"),
        ("Arab League", "1", "Participant"),
        ("Emmanuel Macron", "1", "Guest"),
        ("Faisal bin Farhan", "1", "Host"),
        ("Minister (FR)", "1", "Guest"),
    ]


@covers("topics")
def test_topics(store: ox.Store):
    table = select(store, "topics")
    assert table.columns == ["topic", "events"]
    assert rows(table) == [
        ("Bilateral relations", "3"),
        ("Economy, trade and investment", "3"),
        ("Middle East peace process", "2"),
    ]


@covers("actor-events")
def test_actor_events(store: ox.Store):
    table = select(store, "actor-events", actor=SHOUKRY)
    assert table.columns == [
        *("date", "type", "status", "role", "place", "others", "event", "actor"),
    ]
    assert rows(table, others=" · ") == [
        (
            "2023-06-19",
            "Meeting",
            "Occurred",
            "Attendee",
            "Cairo",
            "Abdel Fattah el-Sisi (Host) · Ayman Safadi (Guest) · Karim Haddad (Attendee)",
            EVENT + "e8",
            SHOUKRY,
        ),
        (
            "2023-06-15",
            "Meeting",
            "Occurred",
            "Participant",
            "Riyadh",
            "Arab League (Participant) · Ayman Safadi (Participant) · Faisal bin Farhan (Host)"
            " · Karim Haddad (Attendee)",
            EVENT + "e4",
            SHOUKRY,
        ),
        (
            "2023-05-10",
            "Meeting",
            "Occurred",
            "Attendee",
            "Cairo",
            "Abdel Fattah el-Sisi (Host) · Catherine Colonna (Guest)",
            EVENT + "e1",
            SHOUKRY,
        ),
        (
            "2023-05-10",
            "Call",
            "Occurred",
            "Participant",
            None,
            "Ayman Safadi (Participant)",
            EVENT + "e3",
            SHOUKRY,
        ),
    ]
    # a shared event once; a place only the article names; undated events last; no one else
    assert rows(select(store, "actor-events", actor=COLONNA), others=" · ") == [
        (
            "2023-05-10",
            "Meeting",
            "Occurred",
            "Guest",
            "Cairo",
            "Abdel Fattah el-Sisi (Host) · Sameh Shoukry (Attendee)",
            EVENT + "e1",
            COLONNA,
        ),
        ("2023-05-10", "Visit", "Occurred", "Guest", "Cairo", None, EVENT + "e2", COLONNA),
        (
            "2022-11-07",
            "Meeting",
            "Occurred",
            "Participant",
            "Charm el-Cheikh",
            "Abdel Fattah el-Sisi (Participant)",
            EVENT + "e10",
            COLONNA,
        ),
        (
            None,
            "Visit",
            "Occurred",
            "Guest",
            "Egypt",
            "Minister (FR) (Guest)",
            EVENT + "e7",
            COLONNA,
        ),
    ]
    # a country can be an actor
    assert rows(select(store, "actor-events", actor=EG)) == [
        (None, "Meeting", "Planned", "Participant", None, "France (Participant)", EVENT + "e9", EG),
    ]


@covers("country-meetings")
def test_country_meetings(store: ox.Store):
    table = select(store, "country-meetings", country1=FR, country2=EG)
    assert table.columns == [
        *("date", "status", "place", "participants", "event"),
        *("country1", "country2", "since", "until"),
    ]
    assert rows(table, participants=" · ") == [
        (
            "2023-05-10",
            "Occurred",
            "Cairo",
            "Abdel Fattah el-Sisi (Host) · Catherine Colonna (Guest) · Sameh Shoukry (Attendee)",
            EVENT + "e1",
            FR,
            EG,
            None,
            None,
        ),
        (
            "2022-11-07",
            "Occurred",
            "Charm el-Cheikh",
            "Abdel Fattah el-Sisi (Participant) · Catherine Colonna (Participant)",
            EVENT + "e10",
            FR,
            EG,
            None,
            None,
        ),
        (
            None,
            "Planned",
            None,
            "Egypt (Participant) · France (Participant)",
            EVENT + "e9",
            FR,
            EG,
            None,
            None,
        ),
    ]

    def events(**params: str) -> list[str | None]:
        table = select(store, "country-meetings", **params)
        return [row[table.columns.index("event")] for row in table.rows]

    # a date range leaves undated meetings out
    assert events(country1=FR, country2=EG, since="2023-01-01") == [EVENT + "e1"]
    assert events(country1=FR, country2=EG, until="2022-12-31") == [EVENT + "e10"]
    assert events(country1=EG, country2=FR, since="2022-11-07", until="2023-05-10") == [
        EVENT + "e1",
        EVENT + "e10",
    ]
    # meetings only: the call e3 between Egypt and Jordan is not one
    assert events(country1=EG, country2=JO) == [EVENT + "e8", EVENT + "e4"]
    assert events(country1=EG, country2=JO, since="2023-06-01", until="2023-06-18") == [
        EVENT + "e4"
    ]
    assert events(country1=FR, country2=JO) == []


@covers("country-visits")
def test_country_visits(store: ox.Store):
    table = select(store, "country-visits", country=EG)
    assert table.columns == [
        *("date", "status", "place", "visitors", "from", "event", "country", "since", "until"),
    ]
    assert rows(table, visitors=" · ") == [
        (
            "2023-07-01",
            "Planned",
            "Cairo",
            "Emmanuel Macron",
            "France",
            EVENT + "e6",
            EG,
            None,
            None,
        ),
        (
            "2023-05-10",
            "Occurred",
            "Cairo",
            "Catherine Colonna",
            "France",
            EVENT + "e2",
            EG,
            None,
            None,
        ),
        # the place is the country itself
        (
            None,
            "Occurred",
            "Egypt",
            "Catherine Colonna · Minister (FR)",
            "France",
            EVENT + "e7",
            EG,
            None,
            None,
        ),
    ]
    assert rows(
        select(store, "country-visits", country=EG, since="2023-05-10", until="2023-06-30")
    ) == [
        (
            "2023-05-10",
            "Occurred",
            "Cairo",
            "Catherine Colonna",
            "France",
            EVENT + "e2",
            EG,
            "2023-05-10",
            "2023-06-30",
        ),
    ]
    assert rows(select(store, "country-visits", country=EG, since="2023-07-02")) == []
    assert rows(select(store, "country-visits", country=SA)) == [
        (
            "2023-06-14",
            "Occurred",
            "Riyadh",
            "Ayman Safadi",
            "Jordan",
            EVENT + "e5",
            SA,
            None,
            None,
        ),
    ]
    assert rows(select(store, "country-visits", country=JO)) == []


@covers("event-participants")
def test_event_participants(store: ox.Store):
    table = select(store, "event-participants", event=EVENT + "e1")
    assert table.columns == [
        *("participant", "role", "title", "country", "organization", "articles", "agent", "event"),
    ]
    e1 = EVENT + "e1"
    assert rows(table) == [  # e1 is reported by two articles; Shoukry is named in one
        ("Abdel Fattah el-Sisi", "Host", "President", "Egypt", None, "2", SISI, e1),
        ("Catherine Colonna", "Guest", "Foreign Minister", "France", None, "2", COLONNA, e1),
        ("Sameh Shoukry", "Attendee", "Foreign Minister", "Egypt", None, "1", SHOUKRY, e1),
    ]
    e4 = EVENT + "e4"
    assert rows(select(store, "event-participants", event=e4)) == [
        (
            "Faisal bin Farhan",
            "Host",
            "Foreign Minister",
            "Saudi Arabia",
            None,
            "1",
            PERSON + "faisal-bin-farhan-al-saud",
            e4,
        ),
        ("Arab League", "Participant", None, None, "Arab League", "1", ID + "org/arab-league", e4),
        ("Ayman Safadi", "Participant", "Foreign Minister", "Jordan", None, "1", SAFADI, e4),
        ("Sameh Shoukry", "Participant", "Foreign Minister", "Egypt", None, "1", SHOUKRY, e4),
        # not in the reference data: its English name comes from another article
        (
            "Karim Haddad",
            "Attendee",
            "Ambassador",
            "Jordan",
            None,
            "1",
            PERSON + "x-jo-karim-haddad",
            e4,
        ),
    ]


@covers("topics-by-month")
def test_topics_by_month(store: ox.Store):
    table = select(store, "topics-by-month")
    assert table.columns == ["month", "topic", "events"]
    assert rows(table) == [  # the undated e9 (economy) does not count
        ("2023-05", "Bilateral relations", "2"),  # e1 (two articles) and e2
        ("2023-05", "Economy, trade and investment", "1"),
        ("2023-05", "Middle East peace process", "1"),
        ("2023-06", "Bilateral relations", "1"),
        ("2023-06", "Middle East peace process", "1"),
        ("2023-07", "Economy, trade and investment", "1"),
    ]


@covers("actor-timeline")
def test_actor_timeline(store: ox.Store):
    table = select(store, "actor-timeline", actor=COLONNA)
    assert table.columns == [
        *("year", "events", "meetings", "visits", "calls", "asHost", "first", "last", "actor"),
    ]
    assert rows(table) == [
        ("2022", "1", "1", "0", "0", "0", "2022-11-07", "2022-11-07", COLONNA),
        ("2023", "2", "1", "1", "0", "0", "2023-05-10", "2023-05-10", COLONNA),
        ("undated", "1", "0", "1", "0", "0", None, None, COLONNA),
    ]
    assert rows(select(store, "actor-timeline", actor=SHOUKRY)) == [
        ("2023", "4", "3", "0", "1", "0", "2023-05-10", "2023-06-19", SHOUKRY),
    ]
    assert rows(select(store, "actor-timeline", actor=SISI)) == [
        ("2022", "1", "1", "0", "0", "0", "2022-11-07", "2022-11-07", SISI),
        ("2023", "2", "2", "0", "0", "2", "2023-05-10", "2023-06-19", SISI),
    ]


@covers("multilateral-meetings")
def test_multilateral_meetings(store: ox.Store):
    table = select(store, "multilateral-meetings")
    assert table.columns == ["date", "status", "place", "partyCount", "parties", "event"]
    assert rows(table, parties=", ") == [  # the Jordanian attendee adds no party
        (
            "2023-06-15",
            "Occurred",
            "Riyadh",
            "4",
            "Arab League, Egypt, Jordan, Saudi Arabia",
            EVENT + "e4",
        ),
    ]


@covers("event-evidence")
def test_event_evidence(store: ox.Store):
    table = select(store, "event-evidence", event=EVENT + "e1")
    assert table.columns == [
        *("published", "publisher", "headline", "quote", "start", "end", "url", "article", "event"),
    ]
    assert rows(table) == [
        (
            "2023-05-10",
            "Al-Ahram",
            "الرئيس السيسي يستقبل وزيرة الخارجية الفرنسية",
            "استقبل الرئيس عبد الفتاح السيسي وزيرة الخارجية الفرنسية كاترين كولونا",
            "0",
            "69",
            "https://ahram.example/0510",
            ARTICLE + "ahram-0510",
            EVENT + "e1",
        ),
        (
            "2023-05-11",
            "Le Monde",
            "Catherine Colonna au Caire",
            "Catherine Colonna a été reçue par le président Abdel Fattah al-Sissi",
            "12",
            "80",
            "https://lemonde.example/0511",
            ARTICLE + "lemonde-0511",
            EVENT + "e1",
        ),
    ]
    quotes = select(store, "event-evidence", event=EVENT + "e8")
    assert [(row[3], row[4], row[5]) for row in quotes.rows] == [
        (
            "President Abdel Fattah el-Sisi received Jordanian Foreign Minister Ayman Safadi",
            "0",
            "79",
        ),
        ("in the presence of Sameh Shoukry and Ambassador Karim Haddad", "150", "210"),
    ]


@covers("sources")
def test_sources(store: ox.Store):
    table = select(store, "sources")
    assert table.columns == ["publisher", "articles", "events", "languages", "first", "last"]
    assert rows(table, languages=", ") == [
        ("Al-Ahram", "3", "6", "ar, en", "2023-05-10", "2023-06-20"),
        ("Le Monde", "2", "5", "fr", "2023-05-11", "2023-06-17"),  # e1 counts for both
    ]


@covers("unknown-people")
def test_unknown_people(store: ox.Store):
    table = select(store, "unknown-people")
    assert table.columns == ["person", "name", "country", "titles", "events", "articles"]
    assert rows(table) == [
        (PERSON + "x-jo-karim-haddad", "Karim Haddad", "Jordan", "Ambassador", "2", "2"),
        (ID + "agent/fr-minister", "Minister (FR)", "France", "Minister", "1", "1"),
    ]


@covers("actor-pair-meetings")
def test_actor_pair_meetings(store: ox.Store):
    table = select(store, "actor-pair-meetings", actor1=SISI, actor2=COLONNA)
    assert table.columns == [
        *("meetings", "undated", "first", "firstPlace", "firstEvents"),
        *("last", "lastPlace", "lastEvents", "actor1", "actor2"),
    ]
    assert rows(table) == [
        (
            "2",
            "0",
            "2022-11-07",
            "Charm el-Cheikh",
            EVENT + "e10",
            "2023-05-10",
            "Cairo",
            EVENT + "e1",
            SISI,
            COLONNA,
        ),
    ]
    # meetings only: their call e3 does not count
    assert rows(select(store, "actor-pair-meetings", actor1=SAFADI, actor2=SHOUKRY)) == [
        (
            "2",
            "0",
            "2023-06-15",
            "Riyadh",
            EVENT + "e4",
            "2023-06-19",
            "Cairo",
            EVENT + "e8",
            SAFADI,
            SHOUKRY,
        ),
    ]
    assert rows(select(store, "actor-pair-meetings", actor1=EG, actor2=FR)) == [
        ("1", "1", None, None, None, None, None, None, EG, FR),
    ]
    assert rows(select(store, "actor-pair-meetings", actor1=MACRON, actor2=SAFADI)) == []


@covers("actor-pair-meetings")
def test_actor_pair_meetings_with_an_undated_one_keeps_one_row():
    """An undated meeting counts, but the first and last are the dated ones (MIN and MAX of a
    group holding an unbound date are unbound in SPARQL: the query must not fall back to every
    date)."""
    mixed = ox.Store()
    mixed.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    graph = ox.NamedNode(ARTICLE + "test-undated")
    event, part1, part2 = (ox.NamedNode(EVENT + name) for name in ("u1", "u1/p1", "u1/p2"))
    dk = "https://w3id.org/dipkg/ontology#"
    mixed.extend(
        ox.Quad(s, ox.NamedNode(dk + p) if p != "type" else ox.NamedNode(RDF_TYPE), o, graph)
        for s, p, o in (
            (event, "type", ox.NamedNode(dk + "Meeting")),
            (event, "participation", part1),
            (event, "participation", part2),
            (part1, "agent", ox.NamedNode(SISI)),
            (part2, "agent", ox.NamedNode(COLONNA)),
        )
    )
    (row,) = rows(select(mixed, "actor-pair-meetings", actor1=SISI, actor2=COLONNA))
    assert row[:3] == ("3", "1", "2022-11-07") and row[5] == "2023-05-10"


# ---- every query


def test_there_are_enough_named_queries():
    assert len(QUERIES) >= 12


def test_every_query_has_a_test():
    untested = sorted(set(QUERIES) - TESTED)
    assert not untested, f"named queries without a test in {Path(__file__).name}: {untested}"


SAMPLE_VALUES = {
    "iri": "https://example.org/x",
    "date": "2000-01-01",
    "string": "x",
    "integer": "1",
}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_is_well_formed(name: str, store: ox.Store):
    query = QUERIES[name]
    lines = query.text.splitlines()
    assert any(line.startswith("# title: ") for line in lines), "no '# title:' line"
    assert query.description, "no '# description:' line"
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name), "file names are kebab-case"
    # it parses (and runs) without parameters and with every parameter given: Oxigraph refuses to
    # substitute a variable that is not projected
    run_select(ox.Store(), query.text)
    values = {p.name: SAMPLE_VALUES[p.kind] for p in query.parameters}
    run_select(store, query.text, bind(query, values))
    # each parameter is used, and a variable that nothing in the query binds is a parameter
    declared = {p.name for p in query.parameters}
    used = used_variables(query)
    assert declared <= used, f"parameters the query does not use: {declared - used}"
    free = used - _bound(prepareQuery(query.text).algebra)
    assert free <= declared, f"variables nothing binds, not declared as parameters: {free}"
    # BOUND(?since) is always false for a parameter: Oxigraph decides it before substituting
    for parameter in declared:
        assert not re.search(rf"BOUND\s*\(\s*\?{parameter}\s*\)", code(query), re.I), (
            f"BOUND(?{parameter}) does not see the parameter; test COALESCE(?{parameter}, '') = ''"
        )


def code(query: NamedQuery) -> str:
    """The text of the query without its comments."""
    return re.sub(r'<[^>]*>|"[^"]*"|#.*', lambda m: "" if m[0][0] == "#" else m[0], query.text)


def used_variables(query: NamedQuery) -> set[str]:
    return set(re.findall(r"[?$]([A-Za-z_][A-Za-z0-9_]*)", code(query)))


def _bound(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, CompValue):
        if node.name == "BGP":
            found |= {str(t) for triple in node.triples for t in triple if isinstance(t, Variable)}
        elif node.name == "Graph" and isinstance(node.term, Variable):
            found.add(str(node.term))
        elif node.name == "Extend" and not _is_group_key(node):
            found.add(str(node.var))
        elif node.name == "values":
            found |= {str(v) for row in node.res for v in row}
        for value in node.values():
            found |= _bound(value)
    elif isinstance(node, list | tuple):
        for item in node:
            found |= _bound(item)
    return found


def _is_group_key(extend: CompValue) -> bool:
    """rdflib projects a plain variable of an aggregate query as SAMPLE(?x) AS ?x: that binds
    nothing new."""
    if not isinstance(extend.expr, Variable) or not str(extend.expr).startswith("__agg_"):
        return False
    below = extend.p
    while isinstance(below, CompValue) and below.name != "AggregateJoin":
        below = below.p
    if not isinstance(below, CompValue):
        return False
    for aggregate in below.A:
        if aggregate.res == extend.expr:
            return aggregate.name == "Aggregate_Sample" and aggregate.vars == extend.var
    return False


def test_parameters_are_checked():
    actor_events = QUERIES["actor-events"]
    with pytest.raises(ParameterError):
        bind(actor_events, {"actor": "sameh-shoukry"})  # not an IRI
    with pytest.raises(ParameterError):
        bind(actor_events, {"person": SHOUKRY})  # no such parameter
    country_visits = QUERIES["country-visits"]
    with pytest.raises(ParameterError):
        bind(country_visits, {"country": EG, "since": "10/05/2023"})  # not a date
    with pytest.raises(ParameterError):
        bind(country_visits, {"country": EG, "until": "2023-02-30"})
    assert set(bind(country_visits, {"country": EG, "since": "2023-05-10"})) == {
        ox.Variable("country"),
        ox.Variable("since"),
    }
