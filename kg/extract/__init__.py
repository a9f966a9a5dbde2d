"""Extraction: from an article to its diplomatic events.

The pipeline is a list of small steps over one Document, each a plain function:
make_document → actors per sentence → events per trigger → coreference → diplomatic filter →
merge → topics and concerns. Everything it knows about words and the world comes from the
lexicon (ontology/), never from code.
"""

from __future__ import annotations

from kg.analyse import SUPPORTED_LANGS, article_language
from kg.extract.actors import ActorFinder
from kg.extract.coreference import Context, resolve_coreference
from kg.extract.dates import date_mentions
from kg.extract.document import Document, dateline_end, dateline_place, make_document
from kg.extract.events import (
    TriggerWindow,
    attach_attendee_mentions,
    build_event,
    confidence,
    continue_the_day,
    date_visits_by_meetings,
    dedupe_participants,
    expand_both_sides,
    fold_anaphors,
    hosts_are_at_home,
    is_attendee_mention,
    is_diplomatic,
    meet_where_guests_visit,
    merge_events,
    place_at_dateline,
    receive_at_home,
    split_separate_meetings,
    split_tour,
    substitute_office_holders,
    supplement_event,
    trigger_windows,
)
from kg.extract.topics import assign_topics
from kg.lexicon import load_lexicon
from kg.records import Actor, Article, Event, Extraction


class UnsupportedLanguage(ValueError):
    """The article is in a language the project has no data for."""


def extract(article: Article) -> Extraction:
    """The diplomatic events of one article."""
    lang = article_language(article)
    if lang not in SUPPORTED_LANGS:
        raise UnsupportedLanguage(
            f"language {lang!r} is not supported (supported: {', '.join(SUPPORTED_LANGS)})"
        )
    doc = make_document(article, lang, load_lexicon(lang))
    return Extraction(article=article, lang=lang, events=find_events(doc))


def find_events(doc: Document) -> list[Event]:
    finder = ActorFinder(doc)
    filed = dateline_end(doc)
    all_actors: list[Actor] = []
    candidates: list[tuple[int, Event]] = []
    country_mentions: list[tuple[int, str]] = []
    for s_index, sentence in enumerate(doc.sentences):
        found = finder.find(sentence)
        all_actors += found.actors
        for m in sentence.matches:
            if m.kind in ("country", "nisba"):
                country_mentions.append((m.start, m.key))
        language = doc.lexicon.language
        windows = trigger_windows(
            sentence,
            found,
            language.purpose_proclitics,
            language.circumstance_words,
            language.suffixes_written,
        )
        if any(m.kind == "exclusion" for m in sentence.matches):
            continue
        if not windows:
            supplement = supplement_event(doc, sentence, found)
            if supplement is not None:
                candidates.append((s_index, supplement))
            continue
        dates = date_mentions(sentence, doc.text, doc.article.published)
        dates.sort(key=lambda d: d.start < filed)  # the story's own dates before the dateline's
        owner = {i: _containing(windows, d.start) for i, d in enumerate(dates)}
        planned = {
            _nearest(windows, m.start, m.end) for m in sentence.matches if m.kind == "planned"
        }
        in_sentence: list[Event] = []
        for w_index, window in enumerate(windows):
            event = build_event(
                doc, sentence, window, found, dates, owner, w_index, w_index in planned
            )
            if event is None:
                continue
            if event.place is None and in_sentence and in_sentence[-1].type == "visit":
                event.place = in_sentence[-1].place
            if in_sentence and in_sentence[-1].type == "visit" and event.type == "meeting":
                _visitor_meets(event, in_sentence[-1], window.trigger.start)
            for one in (
                t for m in split_separate_meetings(event, window.trigger) for t in split_tour(m)
            ):
                in_sentence.append(one)
                candidates.append((s_index, one))
        _visits_go_to_their_host(in_sentence, doc)
    language = doc.lexicon.language
    context = Context(
        reference=doc.lexicon.reference,
        when=doc.article.published,
        mentioned=frozenset(code for _, code in country_mentions),
        pronoun_reference=language.pronoun_reference,
        given_names=language.given_names,
    )
    resolve_coreference(all_actors, context)
    doc.actors = all_actors
    dateline = dateline_place(doc)
    if dateline is not None:
        for _, event in candidates:
            place_at_dateline(event, dateline)
    expanded = expand_both_sides([e for _, e in candidates], doc.lexicon.reference)
    candidates = [(s, e) for s, e in candidates if any(e is x for x in expanded)]
    meet_where_guests_visit([e for _, e in candidates])
    kept: list[tuple[int, Event]] = []
    for s_index, event in candidates:
        substitute_office_holders(event, all_actors)
        hosts_are_at_home(event)
        dedupe_participants(event)
        if (
            is_diplomatic(event)
            or is_attendee_mention(event)
            or _unplaced_visit(event)
            or event.anaphoric
        ):
            kept.append((s_index, event))
    attached = attach_attendee_mentions([e for _, e in kept])
    kept = [
        (s, e)
        for s, e in kept
        if any(e is a for a in attached) and (is_diplomatic(e) or _unplaced_visit(e) or e.anaphoric)
    ]
    for _, event in kept:
        hosts_are_at_home(event)  # attendees added by later mentions join the host's side
        dedupe_participants(event)
    continue_the_day([e for _, e in kept])
    for _, event in kept:
        receive_at_home(event, doc.lexicon.reference)
    events = [e for e in fold_anaphors(merge_events([e for _, e in kept])) if is_diplomatic(e)]
    date_visits_by_meetings(events)
    sentence_of = {}
    for i, event in enumerate(events):
        sentence_of[i] = next(s for s, e in kept if e is event)
    assign_topics(doc, events, sentence_of, country_mentions)
    for event in events:
        event.confidence = confidence(event)
    return events


def _visitor_meets(meeting: Event, visit: Event, trigger_start: int) -> None:
    """ "began his visit with a meeting with the Prime Minister": a meeting whose clause names no
    one before it is the visitor's."""
    if any(p.actor.start < trigger_start for p in meeting.participants):
        return
    from kg.records import Participant

    guests = [p.actor for p in visit.participants if p.role == "guest"]
    meeting.participants[:0] = [Participant(g, "participant") for g in guests]


def _unplaced_visit(event: Event) -> bool:
    """A visit told without its destination («ووصل بمعية سموه …») may join one told with it."""
    return event.type == "visit" and event.place is None


def _containing(windows: list[TriggerWindow], offset: int) -> int:
    """Index of the trigger whose clause contains an offset (dates belong to their clause)."""
    for index, window in enumerate(windows):
        if window.start <= offset < window.end:
            return index
    return _nearest(windows, offset, offset + 1)


def _visits_go_to_their_host(events: list[Event], doc: Document) -> None:
    """«استقبل X … Y الذي يزور البلاد»: a visit without a stated destination goes to the country
    of the host who receives the visitor in the same sentence."""
    from kg.records import Place

    for visit in (e for e in events if e.type == "visit" and e.place is None):
        guests = {p.actor.country for p in visit.participants if p.role == "guest"}
        for meeting in (e for e in events if e.type == "meeting"):
            hosts = [p.actor for p in meeting.participants if p.role == "host" and p.actor.country]
            if hosts and hosts[0].country not in guests:
                if meeting.place and meeting.place.country == hosts[0].country:
                    visit.place = meeting.place
                else:
                    entity = doc.lexicon.reference.countries.get(hosts[0].country or "")
                    if entity is not None:
                        visit.place = Place(
                            entity.label("en"),
                            entity.pref_labels(),
                            entity.country,
                            entity.iri,
                            entity.wikidata,
                        )
                break


def _nearest(windows: list[TriggerWindow], start: int, end: int) -> int:
    """Index of the trigger nearest to a span (dates and cues attach to it)."""
    return min(range(len(windows)), key=lambda w: _distance(windows[w].trigger, start, end))


def _distance(trigger: object, start: int, end: int) -> int:
    from kg.records import Match

    assert isinstance(trigger, Match)
    if end <= trigger.start:
        return trigger.start - end
    if start >= trigger.end:
        return start - trigger.end
    return 0
