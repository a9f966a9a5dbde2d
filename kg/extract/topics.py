"""Topics and concerns of events: topic cues and countries discussed in the passage that reports
each event (from its sentence up to the sentence of the next event)."""

from __future__ import annotations

from kg.extract.document import Document
from kg.records import Event


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
    for index, event in enumerate(events):
        first = sentence_of[index]
        later = [s for s in starts if s > first]
        # the passage: from the first sentence (or the previous event's) to the next event's
        passage_start = bounds[first] if first != starts[0] else bounds[0]
        passage_end = bounds[later[0]] if later else doc.body_end
        topics: list[str] = []
        for m in doc.topic_matches:
            if passage_start <= m.start < passage_end and m.key not in topics:
                topics.append(m.key)
        event.topics = topics
        own: set[str] = set()
        for other_index, other in enumerate(events):
            if sentence_of[other_index] == first:
                own |= {p.actor.country for p in other.participants if p.actor.country}
                if other.place and other.place.country:
                    own.add(other.place.country)
        concerns: list[str] = []
        for offset, code in country_mentions:
            if passage_start <= offset < passage_end and code not in own and code not in concerns:
                concerns.append(code)
        event.concerns = concerns
