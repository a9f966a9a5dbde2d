"""Topics and concerns of events: topic cues and countries discussed in the passage that reports
each event (from its sentence up to the sentence of the next event)."""

from __future__ import annotations

from kg.extract.document import Document
from kg.records import Event

WEAK_CUE_HITS = 1
"""A one-word cue («الاقتصاد», "crisis") names a topic only when cues of it occur this often in
the passage; a phrase («التعاون الأمني») names it at once."""


def _cued_topics(doc: Document, start: int, end: int) -> list[str]:
    hits: dict[str, int] = {}
    strong: set[str] = set()
    titles = [(a.start, a.end) for a in doc.actors]
    for m in doc.topic_matches:
        if any(s <= m.start and m.end <= e for s, e in titles):
            continue  # «وزير الثقافة», «رئيس الاستخبارات»: a title, not a subject of talks
        if start <= m.start < end:
            hits[m.key] = hits.get(m.key, 0) + 1
            if " " in doc.text[m.start : m.end].strip():
                strong.add(m.key)
    return [t for t, n in hits.items() if t in strong or n >= WEAK_CUE_HITS]


def _implied_topics(doc: Document, event: Event) -> list[str]:
    """Topics implied by the offices of the principal participants (defence ministers talk
    defence), from dk:impliesTopic in the reference data."""
    from kg.namespaces import OFFICE

    found: list[str] = []
    for p in event.participants:
        if p.role == "attendee":
            continue
        for office in {*p.actor.offices, p.actor.office or ""} - {""}:
            entity = doc.lexicon.reference.get(str(OFFICE) + office)
            for topic in entity.extra.get("topic", []) if entity else []:
                if topic not in found:
                    found.append(topic)
    return found


def _flashback_trail(
    events: list[Event], sentence_of: dict[int, int], bounds: list[int]
) -> int | None:
    """Where the text after the last event starts, when that event is a flashback (dated before
    the lead event): articles come back to their lead after the background, so the trailing
    text is the lead's, not the flashback's."""
    lead = events[0]
    last = max(range(len(events)), key=lambda i: (sentence_of[i], i))
    if last == 0 or sentence_of[last] == sentence_of[0]:
        return None
    flashback = events[last].date
    if lead.date is None or flashback is None or flashback >= lead.date:
        return None
    return bounds[sentence_of[last] + 1]


def assign_topics(
    doc: Document,
    events: list[Event],
    sentence_of: dict[int, int],
    country_mentions: list[tuple[int, str]],
) -> None:
    """Fill `topics` and `concerns` of each event from its passage.

    `sentence_of` maps an event index to the index of its sentence; `country_mentions` are
    (offset, ISO2) of countries named anywhere in the body (names and nisba adjectives)."""
    if not events:
        return
    starts = sorted(set(sentence_of.values()))
    bounds = [s.start for s in doc.sentences] + [doc.body_end]
    trail = _flashback_trail(events, sentence_of, bounds)
    for index, event in enumerate(events):
        first = sentence_of[index]
        later = [s for s in starts if s > first]
        # the passage: from the first sentence (or the previous event's) to the next event's
        passage_start = bounds[first] if first != starts[0] else bounds[0]
        passage_end = bounds[later[0]] if later else doc.body_end
        if trail is not None and passage_end == doc.body_end:
            passage_end = trail  # a flashback's passage ends with it: the rest is the lead's
        topics = _cued_topics(doc, passage_start, passage_end)
        if trail is not None and index == 0:
            topics += [t for t in _cued_topics(doc, trail, doc.body_end) if t not in topics]
        for topic in _implied_topics(doc, event):
            if topic not in topics:
                topics.append(topic)
        event.topics = topics
        own: set[str] = set()
        for other_index, other in enumerate(events):
            if sentence_of[other_index] == first:
                own |= {p.actor.country for p in other.participants if p.actor.country}
                if other.place and other.place.country:
                    own.add(other.place.country)
        concerns: list[str] = []
        ranges = [(passage_start, passage_end)]
        if trail is not None and index == 0:
            ranges.append((trail, doc.body_end))
        for offset, code in country_mentions:
            inside = any(a <= offset < b for a, b in ranges)
            if inside and code not in own and code not in concerns:
                concerns.append(code)
        event.concerns = concerns
