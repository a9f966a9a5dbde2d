from datetime import date

from kg.model import actor_iri, event_iri, extraction_quads, graph_iri
from kg.namespaces import DK
from kg.records import Actor, Article, Event, Extraction, Participant, Place, Span


def _extraction():
    article = Article(id="a/1", text="x" * 50, lang="ar", published=date(2021, 3, 11))
    people = [
        Participant(
            Actor(
                "person",
                0,
                5,
                name="عبد الفتاح السيسي",
                iri="https://w3id.org/dipkg/id/person/sisi",
                title="President",
                country="EG",
            ),
            "host",
        ),
        Participant(
            Actor(
                "person",
                6,
                10,
                name="برنارد إيمييه",
                title="Head of foreign intelligence",
                country="FR",
            ),
            "guest",
        ),
        Participant(Actor("person", 11, 15, name="عباس كامل", country="EG"), "attendee"),
    ]
    event = Event(
        "meeting",
        "occurred",
        people,
        [Span(0, 15, "x" * 15)],
        date=date(2021, 3, 10),
        place=Place("Cairo", {"en": "Cairo"}, "EG", "https://w3id.org/dipkg/id/place/eg-cairo"),
        topics=["intelligence"],
        concerns=["LY"],
        confidence=0.8,
    )
    return Extraction(article, "ar", [event])


def test_one_event_node_with_a_participation_per_participant():
    quads = extraction_quads(_extraction())
    events = {
        q.subject.value
        for q in quads
        if q.predicate.value.endswith("type") and q.object.value == str(DK.Meeting)
    }
    assert len(events) == 1
    participations = [q for q in quads if q.predicate.value == str(DK.participation)]
    assert len(participations) == 3
    roles = {q.object.value.rsplit("#", 1)[-1] for q in quads if q.predicate.value == str(DK.role)}
    assert roles == {"Host", "Guest", "Attendee"}


def test_all_quads_in_the_article_graph_and_iris_deterministic():
    first = extraction_quads(_extraction())
    second = extraction_quads(_extraction())
    assert first == second
    assert {q.graph_name.value for q in first} == {graph_iri("a/1")}
    assert "%2F" in graph_iri("a/1")


def test_unknown_person_iri_from_name_and_country():
    a = Actor("person", 0, 1, name="برنارد  إيمييه", country="FR")
    b = Actor("person", 5, 9, name="برنارد إيمييه", country="FR")
    assert actor_iri(a) == actor_iri(b)
    assert actor_iri(Actor("person", 0, 1, name="برنارد إيمييه", country="BE")) != actor_iri(a)


def test_event_iri_depends_on_article_and_evidence():
    event = _extraction().events[0]
    assert event_iri("a/1", event) == event_iri("a/1", event)
    assert event_iri("a/2", event) != event_iri("a/1", event)


def test_meetings_told_in_one_clause_with_different_sides_get_different_iris():
    from dataclasses import replace

    event = _extraction().events[0]
    other_side = Participant(Actor("country", 20, 25, name="Jordan", country="JO"), "participant")
    split = replace(event, participants=[event.participants[0], other_side])
    assert event_iri("a/1", split) != event_iri("a/1", event)


def test_an_unknown_person_is_one_node_across_spellings_and_articles():
    from kg.extract import extract

    first = "استقبل الرئيس المصري في القاهرة أمس السفير الكيني أحمد إبراهيم موسى."
    second = "التقى وزير الخارجية المصري في القاهرة اليوم السفير الكيني احمد ابراهيم موسى."
    iris = set()
    for number, text in enumerate((first, second)):
        article = Article(id=f"a/{number}", text=text, lang="ar", published=date(2024, 5, 2))
        (event,) = extract(article).events
        kenyan = next(p.actor for p in event.participants if p.actor.country == "KE")
        iris.add(actor_iri(kenyan))
    assert len(iris) == 1 and next(iter(iris)).startswith("https://w3id.org/dipkg/id/person/x-ke-")
