"""Events from triggers: each trigger's clause window gives its actors, roles, place, status and
date; then the diplomatic filter and the merging of mentions of one occasion."""

from __future__ import annotations

from dataclasses import dataclass, replace

from kg.extract.actors import PlaceMention, SentenceActors
from kg.extract.dates import DateMention, resolve
from kg.extract.document import Document, Sentence
from kg.records import Actor, Event, EventType, Match, Participant, Place, Role, Span
from kg.reference import Reference

MERGE_GAP_WORDS = 3
"""A trigger followed this closely by another, with no actor between, is one trigger
("received a phone call", «تلقى اتصالا»): the later one decides the type."""


@dataclass
class TriggerWindow:
    trigger: Match
    start: int
    end: int


def _purpose_clause(trigger: Match, sentence: Sentence, purpose: tuple[str, ...]) -> bool:
    """«لبحث» (in order to discuss): a trigger glued to a purpose proclitic states the aim of
    another event, not an event of its own."""
    if not purpose:
        return False
    word = next((w for w in sentence.words if w.start <= trigger.start < w.end), None)
    if word is None or word.start == trigger.start:
        return False
    from kg.analyse import normalise

    prefix = normalise(word.text[: trigger.start - word.start]).text
    return prefix in purpose


def _circumstance(
    trigger: Match, sentence: Sentence, words: frozenset[str], doc_suffixes: tuple[str, ...] = ()
) -> bool:
    """«لدى وصوله»: a trigger with a pronoun suffix after a word of time describes the
    circumstance of the clause it stands in; it is not a clause of its own."""
    if not words:
        return False
    before = [w for w in sentence.words if w.end <= trigger.start]
    word = next((w for w in sentence.words if w.start <= trigger.start < w.end), None)
    # a pronoun suffix as written (ه، ها، هم; not the taa marbuta of «زيارة»)
    written = doc_suffixes or ("\0",)
    suffixed = word is not None and word.text.endswith(written)
    return suffixed and bool(before) and before[-1].norm in words


def trigger_windows(
    sentence: Sentence,
    actors: SentenceActors,
    purpose: tuple[str, ...] = (),
    circumstance: frozenset[str] = frozenset(),
    suffixes: tuple[str, ...] = (),
) -> list[TriggerWindow]:
    """Each trigger's clause: from the previous trigger to the next one, within the sentence."""
    triggers = [
        m
        for m in sentence.matches
        if m.kind == "trigger"
        and not _purpose_clause(m, sentence, purpose)
        and not _circumstance(m, sentence, circumstance, suffixes)
    ]
    kept: list[Match] = []
    for m in triggers:
        if kept:
            prev = kept[-1]
            between = [w for w in sentence.words if prev.end <= w.start and w.end <= m.start]
            has_actor = any(prev.end <= a.start < m.start for a in actors.actors)
            if len(between) <= MERGE_GAP_WORDS and not has_actor:
                # the later trigger names the kind of event ("received a phone call"); of one
                # kind, the earlier verb governs the roles («تستضيف عمّان اجتماعاً»)
                same_type = prev.get("type") == m.get("type")
                governing = prev if same_type else m
                kept[-1] = Match(prev.start, m.end, m.kind, governing.key, governing.data)
                continue
        kept.append(m)
    windows: list[TriggerWindow] = []
    for i, m in enumerate(kept):
        start = kept[i - 1].end if i > 0 else sentence.start
        end = kept[i + 1].start if i + 1 < len(kept) else sentence.end
        if i > 0:
            start = _clause_boundary(sentence, start, m.start) or start
        if i + 1 < len(kept):
            end = _clause_boundary(sentence, m.end, end) or end
        windows.append(TriggerWindow(m, start, end))
    return windows


def _clause_boundary(sentence: Sentence, start: int, end: int) -> int | None:
    """Where a new clause opens between two triggers ("…, while X also met Y")."""
    return next(
        (m.start for m in sentence.matches if m.kind == "boundary" and start <= m.start < end),
        None,
    )


def build_event(
    doc: Document,
    sentence: Sentence,
    window: TriggerWindow,
    found: SentenceActors,
    dates: list[DateMention],
    date_owner: dict[int, int],
    window_index: int,
    planned: bool = False,
) -> Event | None:
    """The event a trigger states, before the diplomatic filter (None when it has no actor)."""
    trigger = window.trigger
    event_type = trigger.get("type") or "meeting"
    roles_pattern = trigger.get("roles") or "symmetric"
    status = trigger.get("status") or "occurred"
    start, end = _quotation(doc, sentence, trigger) or (window.start, window.end)
    start, end = max(start, window.start), min(end, window.end)
    end = _purpose_start(sentence, trigger, end)
    inside = [a for a in found.actors if start <= a.start and a.end <= end]
    if not inside:
        return None
    attendee_from = _attendee_start(sentence, window)
    attendees = [a for a in inside if attendee_from is not None and a.start >= attendee_from]
    told_before = next(
        (
            m
            for m in sentence.matches
            if m.kind == "attendee_after" and window.start <= m.start < window.end
        ),
        None,
    )
    if told_before is not None:  # "X and Y were among the attendees of the meeting"
        attendees += [
            a
            for a in inside
            if a.end <= told_before.start and a not in attendees and a.kind != "country"
        ]
    companion_from = _cue_end(sentence, window, "companion")
    companions = [
        a
        for a in inside
        if companion_from is not None and a.start >= companion_from and a not in attendees
    ]
    main = [a for a in inside if a not in attendees and a not in companions]
    places = [p for p in found.places if window.start <= p.start and p.end <= window.end]

    if event_type == "visit":
        # countries after a visit trigger are its destination, not actors
        for actor in list(main):
            if actor.kind == "country" and actor.start > trigger.start:
                main.remove(actor)
                places.append(_country_place(doc, actor))
        places.sort(key=lambda p: p.start)
    if any(a.kind == "person" and (a.country or a.org) for a in main):
        # people outrank bare country names (which are then topics of talk), but for the one
        # right after the trigger ("held talks with the Saudis")
        main = [a for a in main if a.kind != "country" or a.office or _right_after(doc, trigger, a)]
    elif any(a.kind == "organization" for a in main):
        # so do organizations, but for the subject ("Qatar is to attend a GCC summit")
        main = [
            a
            for a in main
            if a.kind != "country" or a.start < trigger.start or _right_after(doc, trigger, a)
        ]
    if event_type != "visit":
        main += _capitals_as_governments(doc, places, trigger)
        main.sort(key=lambda a: a.start)
    # an actor inside a merged trigger («تستضيف عمّان اجتماعاً») is its subject
    ahead = [a for a in main if a.start < trigger.end]
    modifiers = _organizations_naming(doc, ahead, trigger) if roles_pattern == "symmetric" else []
    before = _subject_before(doc, [a for a in ahead if a not in modifiers]) + modifiers
    after = [a for a in main if a.start >= trigger.end]
    if trigger.get("nominal") and after:
        before = []  # «زيارة الأمير محمد …»: the agent of a verbal noun follows it
    subject = before if before else after[:1]
    objects = [a for a in after if a not in subject]
    if trigger.get("object_pronoun") and not objects:
        # «… avec Emmanuel Macron, qui l'a accueilli»: "l'" is the person named before
        earlier = [
            a for a in found.actors if a.end <= (subject[0].start if subject else trigger.start)
        ]
        objects = earlier[-1:]

    participants: list[Participant] = []
    if roles_pattern in ("host-guest", "guest-host"):
        first: Role = "host" if roles_pattern == "host-guest" else "guest"
        second: Role = "guest" if roles_pattern == "host-guest" else "host"
        participants += [Participant(a, first) for a in subject]
        participants += [Participant(a, second) for a in objects]
    elif roles_pattern == "visit":
        participants += [Participant(a, "guest") for a in subject]
    elif roles_pattern == "hosts":
        # «كما كان في استقباله …»: the hosts of a guest named before
        participants += [Participant(a, "host") for a in subject + objects]
    else:
        participants += [Participant(a, "participant") for a in subject + objects]
    participants += [Participant(a, "attendee") for a in attendees]
    companion_role: Role = (
        "guest" if event_type == "visit" or roles_pattern == "guest-host" else ("attendee")
    )
    participants += [Participant(a, companion_role) for a in companions]
    _distribute_plural_title(participants)
    _give_counterparts_the_office(participants)

    if _negated(sentence, window) or _not_an_occasion(doc, sentence, window):
        return None
    if planned:
        status = "planned"

    reach = max([trigger.end] + [p.actor.end for p in participants if not p.actor.tentative])
    reach += PLACE_REACH
    place = _pick_place([p for p in places if p.start <= reach], trigger, event_type)
    destinations = _listed_destinations(doc, places, trigger) if event_type == "visit" else []
    own_dates = [d for i, d in enumerate(dates) if date_owner.get(i) == window_index]
    days = [d for d in own_dates if d.kind != "period"]
    when = resolve(days[0], doc.article.published, status == "planned") if days else None
    published = doc.article.published
    if when is None and trigger.get("ongoing"):
        when = published  # "is paying a visit to": under way on the day of publication
    if when is not None and published is not None and when > published:
        status = "planned"  # «يزور … غدا»: a date after publication is a plan

    spans = (
        [trigger.start, trigger.end]
        + [p.actor.start for p in participants]
        + [p.actor.end for p in participants]
    )
    if event_type == "visit" and place is not None:
        spans += [p.end for p in places if p.place is place and p.start > trigger.start]
    start, end = max(min(spans), window.start), min(max(spans), window.end)
    evidence = Span(start, end, doc.text[start:end])
    return Event(
        type=event_type,  # type: ignore[arg-type]
        status=status,  # type: ignore[arg-type]
        participants=participants,
        evidence=[evidence],
        date=when,
        place=place,
        trigger=trigger.key,
        destinations=destinations,
        anaphoric=bool(trigger.get("anaphoric")),
        earlier=bool(trigger.get("earlier")),
        dated_by_period=bool(own_dates) and not days,
    )


def _right_after(doc: Document, trigger: Match, actor: Actor) -> bool:
    """The actor follows the trigger with at most an article between them."""
    if actor.start < trigger.end:
        return False
    return doc.gap(trigger.end, actor.start) in {"", *doc.lexicon.language.articles}


def _organizations_naming(doc: Document, ahead: list[Actor], trigger: Match) -> list[Actor]:
    """Organizations that name the occasion right before its noun ("a GCC summit", "an Arab
    League meeting"): participants, but not the subject, which comes before them."""
    named: list[Actor] = []
    end = trigger.start
    for actor in reversed(ahead):
        if actor.kind != "organization" or doc.gap(actor.end, end).strip("() ") != "":
            break
        named.insert(0, actor)
        end = actor.start
    return named


def _subject_before(doc: Document, actors: list[Actor]) -> list[Actor]:
    """The subject before a trigger: the nearest actor and those coordinated with it
    («مصر والأردن», "X and Y"); actors further back belong to an earlier clause."""
    if not actors:
        return []
    sure = [a for a in actors if not a.tentative or a.office]
    actors = sure or actors  # a capitalised word is the subject only if nothing surer is
    conjunctions = doc.lexicon.language.conjunctions | {","}
    group = [actors[-1]]
    for actor in reversed(actors[:-1]):
        gap = doc.gap(actor.end, group[0].start)
        if gap not in conjunctions and gap != "":
            break
        group.insert(0, actor)
    return group


def _listed_destinations(doc: Document, places: list[PlaceMention], trigger: Match) -> list[Place]:
    """The countries a visit names in one list after its trigger ("starting in Oman, then
    Kuwait and concluding it in Saudi Arabia"): each next one joined by a comma or a
    conjunction within a few words."""
    after = sorted((p for p in places if p.start > trigger.start), key=lambda p: p.start)
    if not after:
        return []
    listed = [after[0]]
    joins = doc.lexicon.language.conjunctions | {","}
    for mention in after[1:]:
        gap = doc.gap(listed[-1].end, mention.start)
        words = gap.replace(",", " , ").split()
        if len(words) > 5 or not joins & set(words):
            break
        listed.append(mention)
    return [m.place for m in listed]


def split_tour(event: Event) -> list[Event]:
    """ "a tour starting in Oman, then Kuwait and Saudi Arabia": one visit per country visited."""
    if event.type != "visit" or event.place is None:
        return [event]
    countries: list[Place] = []
    for place in event.destinations:
        if place.country and all(place.country != p.country for p in countries):
            countries.append(place)
    if len(countries) < 2:
        return [event]
    tour = [event]
    for place in countries:
        if place.country == event.place.country:
            continue
        tour.append(
            Event(
                type=event.type,
                status=event.status,
                participants=list(event.participants),
                evidence=list(event.evidence),
                date=None,
                place=place,
                trigger=event.trigger,
            )
        )
    return tour


def split_separate_meetings(event: Event, trigger: Match) -> list[Event]:
    """ "held meetings with officials from Saudi Arabia and the UAE": a plural or "separately"
    trigger is one meeting per country met, each with the side that met them."""
    if not trigger.get("distributive") or event.type != "meeting":
        return [event]
    side = [p for p in event.participants if p.actor.start < trigger.start]
    met: dict[str, list[Participant]] = {}
    for p in event.participants:
        if p.actor.start > trigger.start and p.actor.country and p.role != "attendee":
            met.setdefault(p.actor.country, []).append(p)
    if not side or len(met) < 2:
        return [event]
    return [
        replace(event, participants=[*side, *others], evidence=list(event.evidence))
        for others in met.values()
    ]


def _capitals_as_governments(
    doc: Document, places: list[PlaceMention], trigger: Match
) -> list[Actor]:
    """«تستضيف عمّان اجتماعاً», "Washington hosted talks": a capital right next to the trigger,
    with no preposition, stands for its country's government."""
    reference = doc.lexicon.reference
    actors: list[Actor] = []
    for mention in list(places):
        if mention.after_preposition or mention.place.iri is None:
            continue
        next_to = (
            (mention.start >= trigger.end and doc.gap(trigger.end, mention.start) == "")
            or (mention.end <= trigger.start and doc.gap(mention.end, trigger.start) == "")
            or trigger.start <= mention.start < trigger.end
        )
        country = reference.countries.get(mention.place.country or "")
        if (
            not next_to
            or country is None
            or mention.place.iri not in country.extra.get("capital", [])
        ):
            continue
        places.remove(mention)
        actors.append(
            Actor(
                kind="country",
                start=mention.start,
                end=mention.end,
                name=doc.text[mention.start : mention.end],
                iri=country.iri,
                labels=country.pref_labels(),
                country=country.country,
                wikidata=country.wikidata,
            )
        )
        places.append(PlaceMention(mention.start, mention.end, mention.place, True))
    return actors


def _country_place(doc: Document, actor: Actor) -> PlaceMention:
    entity = doc.lexicon.reference.countries.get(actor.country or "")
    labels = entity.pref_labels() if entity else {}
    label = entity.label("en") if entity else (actor.name or "")
    place = Place(
        label,
        labels,
        actor.country,
        entity.iri if entity else None,
        entity.wikidata if entity else None,
    )
    return PlaceMention(actor.start, actor.end, place, True)


PLACE_REACH = 60
"""How far (in characters) after the trigger and its participants a place may still be the
event's: further on, a clause speaks of something else («… formé dans des universités en
France»)."""


def _pick_place(places: list[PlaceMention], trigger: Match, event_type: str) -> Place | None:
    """The most specific place stated in the clause: a city before a country; for a visit, the
    destination after the trigger first."""
    if not places:
        return None
    ordered = sorted(places, key=lambda p: (p.start < trigger.start, p.start))
    if event_type == "visit":  # the destination follows the trigger when it is stated there
        ordered = [p for p in ordered if p.start > trigger.start] or ordered
    cities = [p for p in ordered if p.place.iri and "/place/" in p.place.iri]
    pool = cities or ordered
    if event_type != "visit":
        with_prep = [p for p in pool if p.after_preposition]
        pool = with_prep or pool
    return pool[0].place


def supplement_event(doc: Document, sentence: Sentence, found: SentenceActors) -> Event | None:
    """A sentence without a trigger that lists attendees («حضر اللقاء …») or a visitor's
    companions («ويضم الوفد المرافق …»): an event mention that only adds people."""
    after = next((m for m in sentence.matches if m.kind == "attendee_after"), None)
    cue = next((m for m in sentence.matches if m.kind in ("attendee", "companion")), None)
    if cue is None and after is not None:
        people = [a for a in found.actors if a.end <= after.start and a.kind != "country"]
        if not people:
            return None
        start = min(a.start for a in people)
        return Event(
            type="meeting",
            status="occurred",
            participants=[Participant(a, "attendee") for a in people],
            evidence=[Span(start, after.end, doc.text[start : after.end])],
            trigger=SUPPLEMENT,
        )
    if cue is None:
        return None
    people = [a for a in found.actors if a.start >= cue.end]
    if not people:
        return None
    role: Role = "attendee" if cue.kind == "attendee" else "guest"
    event_type: EventType = "meeting" if cue.kind == "attendee" else "visit"
    end = max(a.end for a in people)
    return Event(
        type=event_type,
        status="occurred",
        participants=[Participant(a, role) for a in people],
        evidence=[Span(cue.start, end, doc.text[cue.start : end])],
        trigger=SUPPLEMENT,
    )


def _cue_end(sentence: Sentence, window: TriggerWindow, kind: str) -> int | None:
    """The end of the first cue of a kind in the clause (or right before its trigger)."""
    for m in sentence.matches:
        if m.kind == kind and window.start <= m.start < window.end:
            return m.end
    return None


def _attendee_start(sentence: Sentence, window: TriggerWindow) -> int | None:
    """Where attendees start: after a cue in the clause, or the whole clause when the cue
    governs the trigger itself («وحضر الاجتماع …», "attended the meeting")."""
    trigger = window.trigger
    for m in sentence.matches:
        if m.kind == "attendee" and m.end <= trigger.start:
            between = [w for w in sentence.words if m.end <= w.start and w.end <= trigger.start]
            if len(between) <= 1:
                return window.start
    for m in sentence.matches:
        if m.kind == "attendee" and window.start <= m.start < window.end:
            return m.end
    return None


QUOTES = {'"': '"', "“": "”", "«": "»"}


def _quotation(doc: Document, sentence: Sentence, trigger: Match) -> tuple[int, int] | None:
    """The quotation a trigger stands in ("“The committees have been meeting in Kuwait,” he
    said"): its people are those quoted, not the speaker."""
    text = doc.text
    opened: tuple[int, str] | None = None
    for i in range(sentence.start, sentence.end):
        char = text[i]
        if opened is None and char in QUOTES:
            opened = (i, QUOTES[char])
        elif opened is not None and char == opened[1]:
            if opened[0] < trigger.start and trigger.end <= i:
                return opened[0], i
            opened = None
    if opened is not None and opened[0] < trigger.start:
        return opened[0], sentence.end  # a quotation that runs on past the sentence
    return None


def _purpose_start(sentence: Sentence, trigger: Match, end: int) -> int:
    """Where a purpose clause after the trigger starts ("met in Cairo to discuss …"): what
    follows is what was discussed, not who met."""
    return min(
        [m.start for m in sentence.matches if m.kind == "purpose" and trigger.end <= m.start < end]
        + [end]
    )


def _not_an_occasion(doc: Document, sentence: Sentence, window: TriggerWindow) -> bool:
    """ "welcomed the proposal" (a reaction, not a reception) and "the meeting may have …"
    (a possibility): words right after the trigger tell; so does a conditional opening the
    sentence."""
    language = doc.lexicon.language
    if sentence.words and sentence.words[0].norm in language.conditional_openers:
        return True  # "Should the emir attend, it would be his first visit": a hypothesis
    after = [w.norm for w in sentence.words if w.start >= window.trigger.end][:3]
    if not after:
        return False
    roles = window.trigger.get("roles")
    objects = {after[0], " ".join(after[:2])} & language.abstract_objects
    if roles in ("host-guest", "guest-host") and objects:
        return True
    return bool(set(after[:3]) & language.modal_after)


NEGATION_REACH = 6
"""How many words before a trigger a negation still governs it."""
CANCELLATION_REACH = 8
"""How many words after a trigger a cancellation still governs it (its subject lies between)."""


def _negated(sentence: Sentence, window: TriggerWindow) -> bool:
    """A negation or modal cue shortly before the trigger, in its clause, denies it («لم يصدر ما
    يفيد بإجراء ديمبسي مباحثات»); so does a cancellation shortly after it ("talks with Qatar have
    been suspended")."""
    trigger = window.trigger
    words_before = [w for w in sentence.words if window.start <= w.start < trigger.start]
    words_before = words_before[-NEGATION_REACH:]
    words_after = [w for w in sentence.words if trigger.end <= w.start < window.end]
    words_after = words_after[:CANCELLATION_REACH]
    before = (words_before[0].start, trigger.start) if words_before else (0, 0)
    after = (trigger.end, words_after[-1].end) if words_after else (0, 0)
    return any(
        (m.kind == "negation" and before[0] <= m.start < before[1])
        or (m.kind == "negation_after" and after[0] <= m.start and m.end <= after[1])
        for m in sentence.matches
    )


def _distribute_plural_title(participants: list[Participant]) -> None:
    """«وزراء خارجية مصر والأردن وفرنسا»: an unnamed title without a country, next to country
    participants, is the title of each of them; it is not a participant by itself."""
    loose = [
        p
        for p in participants
        if p.actor.kind == "person"
        and not p.actor.name
        and not p.actor.country
        and not p.actor.org
        and p.actor.office
    ]
    countries = [p for p in participants if p.actor.kind == "country"]
    if not loose or not countries:
        return
    title = loose[0].actor
    for p in countries:
        p.actor.title = p.actor.title or title.title
        p.actor.office = p.actor.office or title.office
    for p in loose:
        participants.remove(p)


def _give_counterparts_the_office(participants: list[Participant]) -> None:
    """«بحث وزير الخارجية المغربي مع نظيره الإسباني»: the counterpart holds the same office."""
    model = next(
        (p.actor for p in participants if not p.actor.counterpart and p.actor.office), None
    )
    if model is None:
        return
    for p in participants:
        if p.actor.counterpart and not p.actor.office:
            p.actor.office, p.actor.title = model.office, model.title


def substitute_office_holders(event: Event, actors: list[Actor]) -> None:
    """A country taking part through an office (its foreign minister …) is that office holder
    when the article names them."""
    for p in event.participants:
        actor = p.actor
        if actor.kind != "country" or not actor.office:
            continue
        holder = next(
            (
                a
                for a in actors
                if a.kind == "person"
                and a.name
                and a.country == actor.country
                and a.office == actor.office
            ),
            None,
        )
        if holder is not None:
            p.actor = holder


def hosts_are_at_home(event: Event) -> None:
    """A host whose country the text does not state receives in the country of the place; an
    attendee whose country it does not state is of the host's side."""
    home = event.place.country if event.place is not None else None
    for p in event.participants:
        if p.role == "host" and not p.actor.country and not p.actor.org and home:
            p.actor.country = home
    host = next((p.actor for p in event.participants if p.role == "host" and p.actor.country), None)
    side = host.country if host is not None else home
    for p in event.participants:
        if p.role == "attendee" and not p.actor.country and not p.actor.org and side:
            p.actor.country = side
    if event.type == "visit":  # a visitor's companions come from the visitor's country
        lead = next((p.actor.country for p in event.participants if p.actor.country), None)
        for p in event.participants:
            if not p.actor.country and not p.actor.org and lead:
                p.actor.country = lead


def is_attendee_mention(event: Event) -> bool:
    """A mention that only adds people to an occasion told before: attendees («خلال اللقاء
    الذي حضره …»), more hosts («كما كان في استقباله …») or the visitor's companions
    («ويضم الوفد المرافق …»)."""
    roles = {p.role for p in event.participants}
    if not roles:
        return False
    if event.type == "meeting":
        return roles <= {"attendee"} or roles <= {"host"}
    return event.trigger == SUPPLEMENT and roles <= {"guest"}


SUPPLEMENT = "supplement"
"""Trigger id of events made from a sentence of attendees or companions without a trigger."""


def attach_attendee_mentions(events: list[Event]) -> list[Event]:
    """«وحضر اللقاء …»: a meeting mention with attendees only adds them to the diplomatic
    meeting before it; it is not an occasion of its own."""
    kept: list[Event] = []
    for event in events:
        previous = next(
            (e for e in reversed(kept) if e.type == event.type and not is_attendee_mention(e)),
            None,
        )
        if is_attendee_mention(event) and previous is not None:
            previous.participants += event.participants
            previous.evidence += event.evidence
            continue
        kept.append(event)
    return kept


def place_at_dateline(event: Event, dateline: Place) -> None:
    """An event without a stated place happened where the story was filed (its dateline),
    unless that is the visitor's own country or the event is a call."""
    if event.place is not None or event.type == "call":
        return
    if event.type == "visit":
        guests = {p.actor.country for p in event.participants if p.role == "guest"}
        if dateline.country in guests:
            return
    event.place = dateline


def receive_at_home(event: Event, reference: Reference) -> None:
    """A reception without a stated place takes place in the host's country."""
    if event.type != "meeting" or event.place is not None:
        return
    host = next((p.actor for p in event.participants if p.role == "host" and p.actor.country), None)
    entity = reference.countries.get(host.country or "") if host is not None else None
    if entity is not None:
        event.place = Place(
            entity.label("en"), entity.pref_labels(), entity.country, entity.iri, entity.wikidata
        )


def continue_the_day(events: list[Event]) -> None:
    """An event told after another with one of its people, and without its own place or date,
    happened at the same place and on the same day («وفي سياق آخر، اجتمع الأمير …»): the
    nearest such event before it gives them."""
    for index, event in enumerate(events):
        if event.type == "visit" or (event.place is not None and event.date is not None):
            continue
        mine = {_actor_key(p.actor) for p in event.participants if p.role != "attendee"}
        previous = next(
            (
                e
                for e in reversed(events[:index])
                if mine & {_actor_key(p.actor) for p in e.participants if p.role != "attendee"}
            ),
            None,
        )
        if previous is None:
            continue
        if event.place is None and previous.place is not None:
            event.place = previous.place
        if (
            event.date is None
            and not event.dated_by_period
            and previous.date is not None
            and event.status == previous.status
        ):
            event.date = previous.date


def expand_both_sides(events: list[Event], reference: Reference) -> list[Event]:
    """«مباحثات القاهرة بين الجانبين»: "the two sides" are the parties of the event before.
    After a meeting or call it is that same occasion told on (its evidence joins it); after a
    visit it is the talks between the visitor and the country visited."""
    kept: list[Event] = []
    previous: Event | None = None
    for event in events:
        sides = [p for p in event.participants if p.actor.both_sides]
        own = [p for p in event.participants if not p.actor.both_sides and p.role != "attendee"]
        if own:  # «استقبل … وتم التأكيد على الرؤية المشتركة للبلدين»: its own parties
            event.participants = [p for p in event.participants if not p.actor.both_sides]
            sides = []
        if sides and previous is not None and previous.type != "visit":
            previous.evidence += event.evidence
            previous.participants += [p for p in event.participants if p.role == "attendee"]
            continue
        kept.append(event)
        if sides and previous is not None:
            event.participants = [p for p in event.participants if not p.actor.both_sides]
            for p in previous.participants:
                if p.role != "attendee":
                    event.participants.append(Participant(p.actor, "participant"))
            if previous.type == "visit" and previous.place and previous.place.country:
                entity = reference.countries.get(previous.place.country)
                if entity is not None:
                    country = Actor(
                        kind="country",
                        start=sides[0].actor.start,
                        end=sides[0].actor.end,
                        name=entity.label("ar"),
                        iri=entity.iri,
                        labels=entity.pref_labels(),
                        country=entity.country,
                        wikidata=entity.wikidata,
                    )
                    event.participants.append(Participant(country, "participant"))
            if event.place is None:
                event.place = previous.place
        else:
            event.participants = [p for p in event.participants if not p.actor.both_sides]
        if not sides and is_diplomatic(event):
            previous = event
    return kept


def meet_where_guests_visit(events: list[Event]) -> None:
    """A guest received without a stated place is received where their visit goes."""
    visits = [e for e in events if e.type == "visit" and e.place is not None]
    for event in events:
        if event.type == "visit" or event.place is not None:
            continue
        guests = {_actor_key(p.actor) for p in event.participants if p.role == "guest"}
        for visit in visits:
            if guests & {_actor_key(p.actor) for p in visit.participants}:
                event.place = visit.place
                break


def date_visits_by_meetings(events: list[Event]) -> None:
    """A visit told without its day is dated by the visitor's meeting there, when the article
    dates exactly one ("began his visit with a meeting on Monday")."""
    for visit in events:
        if visit.type != "visit" or visit.date is not None or visit.place is None:
            continue
        if visit.earlier or visit.dated_by_period:
            continue
        guests = {_actor_key(p.actor) for p in visit.participants if p.role == "guest"}
        days = {
            meeting.date
            for meeting in events
            if meeting.type == "meeting"
            and meeting.date is not None
            and meeting.status == visit.status
            and meeting.place is not None
            and meeting.place.country == visit.place.country
            and guests & {_actor_key(p.actor) for p in meeting.participants}
        }
        if len(days) == 1:
            visit.date = days.pop()


def parties(event: Event) -> set[str]:
    """Countries of the participants, or the organization of one without a country."""
    result: set[str] = set()
    for p in event.participants:
        if p.actor.country:
            result.add(p.actor.country)
        elif p.actor.org:
            result.add(p.actor.org)
    return result


def is_diplomatic(event: Event) -> bool:
    """At least two parties (countries or organizations); a visit: a visitor abroad."""
    if event.type == "visit":
        guests = [p.actor for p in event.participants if p.role == "guest"]
        if not guests or event.place is None:
            return False
        destination = event.place.country
        return any(
            (g.country and destination and g.country != destination) or (g.org and not g.country)
            for g in guests
        )
    return len(parties(event)) >= 2


def _nobody(actor: Actor) -> bool:
    """A person the text neither names nor titles: nothing says who it is."""
    return actor.kind == "person" and not (actor.name or actor.iri or actor.office)


def dedupe_participants(event: Event) -> None:
    """One participant per actor (the first role wins, attendee never overrides); a country
    named beside a person who represents it is that person's side, not another participant;
    an unnamed office holder of unknown country adds nothing."""
    represented = {
        p.actor.country
        for p in event.participants
        if p.actor.kind in ("person", "organization")
        and p.actor.country
        and (p.actor.name or p.actor.iri)
    }
    event.participants = [
        p
        for p in event.participants
        if not (p.actor.kind == "country" and p.actor.country in represented)
        and not _nobody(p.actor)
        and not (
            p.actor.kind == "person"
            and not (p.actor.name or p.actor.iri)
            and not p.actor.country
            and not p.actor.org
        )
    ]
    seen: dict[str, Participant] = {}
    kept: list[Participant] = []
    for p in event.participants:
        if p.actor.pronoun and not (p.actor.name or p.actor.iri):
            continue  # an honorific pronoun that stands for no one named here
        key = _actor_key(p.actor)
        if key in seen:
            continue
        seen[key] = p
        kept.append(p)
    event.participants = kept


def _actor_key(actor: Actor) -> str:
    if actor.iri:
        return actor.iri
    if actor.name:
        return f"{actor.kind}:{actor.name}"
    return f"{actor.kind}:{actor.office}:{actor.country}:{actor.org}"


def merge_events(events: list[Event]) -> list[Event]:
    """Mentions of one occasion become one event: same type, same parties, compatible date and
    place (one of them unknown or both equal)."""
    merged: list[Event] = []
    for event in events:
        target = next((m for m in merged if _same_occasion(m, event)), None)
        if target is None:
            merged.append(event)
            continue
        roles = {_actor_key(p.actor): p for p in target.participants}
        for p in event.participants:
            known = roles.get(_actor_key(p.actor))
            if known is None:
                if not event.anaphoric:  # "the call" brings no one new
                    target.participants.append(p)
            elif known.role == "participant" and p.role in ("host", "guest"):
                known.role = p.role  # a reception says who hosted; talks do not
        target.evidence += event.evidence
        if target.date is None and event.date is not None:
            target.status = event.status  # the dated mention says whether it happened yet
        target.date = target.date or event.date
        target.place = target.place or event.place
        target.confidence = max(target.confidence, event.confidence)
    return merged


def fold_anaphors(events: list[Event]) -> list[Event]:
    """A mention that refers back ("the call on Friday", "the summit comes after …") and did not
    merge with its occasion is of the latest occasion of its type told before it: it lends that
    one its date and place, and its own people (often topics of talk) are dropped."""
    kept: list[Event] = []
    for event in events:
        told = [e for e in kept if e.type == event.type]
        told = [e for e in told if not e.earlier] or told
        if not event.anaphoric or not told or not _compatible(told[-1], event):
            kept.append(event)
            continue
        target = told[-1]
        target.evidence += event.evidence
        if target.date is None and event.date is not None:
            target.date, target.status = event.date, event.status
        target.place = target.place or event.place
    return kept


def _compatible(a: Event, b: Event) -> bool:
    """Neither date nor place of the two disagree."""
    same_date = a.date is None or b.date is None or a.date == b.date
    a_country, b_country = (
        (a.place.country if a.place else None),
        (b.place.country if b.place else None),
    )
    return same_date and (a_country is None or b_country is None or a_country == b_country)


def _same_people(a: Event, b: Event) -> bool:
    """Both events name the same persons or organizations as their parties."""

    def keys(event: Event) -> set[str]:
        return {
            _actor_key(p.actor)
            for p in event.participants
            if p.role != "attendee" and (p.actor.name or p.actor.iri)
        }

    return bool(keys(a)) and keys(a) == keys(b)


def _different_people(a: Event, b: Event) -> bool:
    """Both events name the persons of one country, and they are not the same persons."""

    def named(event: Event) -> dict[str, set[str]]:
        sides: dict[str, set[str]] = {}
        for p in event.participants:
            if (
                p.role != "attendee"
                and p.actor.kind == "person"
                and p.actor.country
                and (p.actor.name or p.actor.iri)
            ):
                sides.setdefault(p.actor.country, set()).add(_actor_key(p.actor))
        return sides

    sa, sb = named(a), named(b)
    return any(sa[c] and sb[c] and not sa[c] & sb[c] for c in set(sa) & set(sb))


def _same_occasion(a: Event, b: Event) -> bool:
    if a.type != b.type or a.earlier != b.earlier:
        return False
    if a.status != b.status and (
        (a.date is not None and b.date is not None) or not _same_people(a, b)
    ):
        return False  # a plan and a meeting held are one only when told of the same people
    if a.date and b.date and a.date != b.date:
        return False
    if a.place and b.place and a.place.country != b.place.country:
        return False
    pa, pb = parties(a), parties(b)
    if a.type == "visit":
        ga = {p.actor.country for p in a.participants if p.role == "guest"}
        gb = {p.actor.country for p in b.participants if p.role == "guest"}
        return bool(ga & gb)
    if _different_people(a, b):
        return False  # one side met by different persons: two meetings
    if pa == pb:
        return True
    # a bilateral part of expanded talks: one occasion only when day and place agree
    same_day_and_place = bool(
        a.date and a.date == b.date and a.place and b.place and a.place.iri == b.place.iri
    )
    return same_day_and_place and len(pa & pb) >= 2 and (pa <= pb or pb <= pa)


def confidence(event: Event) -> float:
    """A simple evidence-based score: named participants, place and date raise it."""
    score = 0.45
    score += 0.1 * min(
        2, sum(1 for p in event.participants if p.actor.name and p.actor.kind == "person")
    )
    score += 0.1 if event.place else 0.0
    score += 0.1 if event.date else 0.0
    score += 0.05 if all(p.actor.country or p.actor.org for p in event.participants) else 0.0
    return round(min(score, 0.95), 2)
