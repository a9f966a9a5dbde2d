"""In-document coreference: mentions of one person share a name, title and country — same
reference entity, short and long names, honorific pronouns, unnamed office holders — and the
reference data confirms partial names and names office holders on the article's date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kg.records import Actor
from kg.reference import Entity, Reference, post_on

LATIN_ARTICLES = frozenset({"al", "el", "al'", "el'"})
_VOWELS = str.maketrans("", "", "aeiouy'")


def _latin_key(token: str) -> str:
    """One key for the transliterations of a name: Mohamed, Mohammed, Muhammad → mhmd;
    Shoukry, Shoukri, Shukri → shkr (first letter kept, vowels dropped, doubles collapsed)."""
    single = "".join(c for i, c in enumerate(token) if i == 0 or c != token[i - 1])
    return single[:1] + single[1:].translate(_VOWELS)


def _name_key(name: str | None) -> tuple[str, ...]:
    from kg.analyse import normalise

    if not name:
        return ()
    tokens = normalise(name).text.replace("-", " ").split()
    key = []
    for t in tokens:
        if t.isascii():
            if t not in LATIN_ARTICLES:
                key.append(_latin_key(t))
        else:
            key.append(t[2:] if t.startswith("ال") and len(t) > 4 else t)
    return tuple(key)


def _same_name(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """«شكري» and «سامح شكري» name one person; «طحنون بن زايد آل نهيان» and «عبدالله بن زايد
    آل نهيان» do not: the shorter name's words must all be in the longer one, which is at
    least as long, and they must share the last word."""
    if not short or not long or len(long) < len(short) or short[-1] != long[-1]:
        return False
    return set(short) <= set(long)


@dataclass(frozen=True)
class Context:
    """What coreference may consult beyond the article's own mentions."""

    reference: Reference | None = None
    when: date | None = None
    """The article's publication date: office holders are those in office then."""
    mentioned: frozenset[str] = frozenset()
    """Countries the article names, to choose among namesakes."""
    pronoun_reference: str = "first"
    given_names: frozenset[str] = frozenset()


def resolve_coreference(actors: list[Actor], context: Context | None = None) -> None:
    """Make mentions of one person share a name, title and country: same reference entity, same
    surname, an honorific pronoun for the person it stands for, or an unnamed office holder whose
    office and country match a named one (else the holder on the article's date)."""
    ctx = context or Context()
    reference, when = ctx.reference, ctx.when
    named = [a for a in actors if a.kind == "person" and (a.name or a.iri) and not a.tentative]
    for actor in actors:
        if actor.kind != "person":
            continue
        target = _antecedent(actor, actors, named, ctx.pronoun_reference, reference)
        if target is None and reference is not None and actor.name and not actor.iri:
            # a partial or differently spelt name ("Mohamed Shia al-Sudani", «شكري»)
            _link_by_name(actor, reference, when, ctx.mentioned, ctx.given_names)
        if target is None and actor.tentative:
            # a lone word that names no one else here is not a name after all: the office
            # holder is found by the office instead
            actor.name, actor.labels, actor.tentative = None, {}, False
            target = _antecedent(actor, actors, named, ctx.pronoun_reference, reference)
            if target is None and reference is not None:
                _link_office_holder(actor, reference, when)
        elif target is None and reference is not None and not actor.name and not actor.pronoun:
            _link_office_holder(actor, reference, when)
        if target is not None:
            _copy(actor, target)


def _antecedent(
    actor: Actor,
    actors: list[Actor],
    named: list[Actor],
    pronoun_reference: str = "first",
    reference: Reference | None = None,
) -> Actor | None:
    if actor.pronoun:
        before = [a for a in named if a.start < actor.start and a.country]
        if not before:
            return None
        if pronoun_reference == "salient":
            # the person the article has spoken of most so far; of equals, the latest
            counts: dict[str, int] = {}
            for a in before:
                counts[_person_key(a)] = counts.get(_person_key(a), 0) + 1
            return max(reversed(before), key=lambda a: counts[_person_key(a)])
        return before[-1] if pronoun_reference == "last" else before[0]
    if actor.iri:
        return next((a for a in named if a.iri == actor.iri and a is not actor and a.title), None)
    if actor.name:
        key = _name_key(actor.name)
        for other in named:
            if other is actor:
                continue
            okey = _name_key(other.name)
            if actor.given_name_only and not other.given_name_only:
                same = bool(okey) and okey[0] == key[0]  # "Sheikh Tamim": Tamim bin Hamad
            else:
                same = _same_name(key, okey)
            if same and (actor.country in (None, other.country) or other.country is None):
                return other
        return None
    if not actor.office and actor.country and actor.kind == "person":
        # «le prince saoudien»: the person of that country named last
        compatriots = [a for a in named if a.country == actor.country and a.start < actor.start]
        return compatriots[-1] if compatriots else None
    if actor.office:
        candidates = [
            a
            for a in named
            if (a.office == actor.office or actor.office in a.offices)
            and (a.country == actor.country or actor.country is None)
            and (a.org == actor.org or actor.org is None)
        ]
        before = [a for a in candidates if a.start < actor.start]
        if before:
            return before[-1]
        if actor.country is None:
            # «the Minister» after «UK Minister …» unnamed: at least the same country
            titled = [
                a
                for a in actors
                if a.start < actor.start
                and a.office == actor.office
                and a.country
                and a.kind == "person"
            ]
            if titled:
                return titled[-1]
        # a title told before the name («ولي العهد السعودي … الأمير محمد بن سلمان») only for
        # offices one person holds; a later «مستشار» is someone else
        single = reference is not None and reference.single_holder(actor.office)
        return candidates[0] if candidates and single else None
    return None


def _person_key(actor: Actor) -> str:
    key = _name_key(actor.name)
    return actor.iri or (key[-1] if key else "")


def _copy(actor: Actor, target: Actor) -> None:
    if not actor.name or len(_name_key(target.name)) > len(_name_key(actor.name)):
        actor.name = target.name
        actor.labels = dict(target.labels) or actor.labels
    actor.tentative = False
    actor.iri = actor.iri or target.iri
    actor.wikidata = actor.wikidata or target.wikidata
    actor.title = actor.title or target.title
    actor.office = actor.office or target.office
    actor.country = actor.country or target.country
    actor.org = actor.org or target.org
    if target.title is None:
        target.title, target.office = actor.title, actor.office
    if target.country is None:
        target.country = actor.country


def _in_post(entity: Entity, when: date | None, office: str | None) -> bool:
    for post in entity.posts:
        if office and post.office != office:
            continue
        if when is None or (post.start or date.min) <= when <= (post.end or date.max):
            return True
    return False


def _link_by_name(
    actor: Actor,
    reference: Reference,
    when: date | None,
    mentioned: frozenset[str] = frozenset(),
    given_names: frozenset[str] = frozenset(),
) -> None:
    """A partial name confirmed by the reference data: the one person, in office on the
    article's date (in the office named, if any), one of whose names contains it — of
    several, the one whose country the article names."""
    key = set(_name_key(actor.name))
    if not key or when is None:
        return
    if not actor.office and key <= given_names:
        return  # a given name alone («محمد») names no one in particular
    index = _name_index(reference)
    candidates = set.intersection(*(index.by_token.get(t, set()) for t in key))
    found = []
    for iri in sorted(candidates):
        entity = reference.entities[iri]
        if actor.office and actor.office not in {p.office for p in entity.posts}:
            continue
        if len(key) == 1 and not any(p.office for p in entity.posts):
            continue  # a lone word names only people whose office the reference knows
        if actor.country and entity.country and entity.country != actor.country:
            continue
        # with a title, any part of the name will do («President Sheikh Mohamed»); without one,
        # the surname must be there («Abbas»), or the given name after "Sheikh" and the like
        fits = any(
            key <= set(name)
            and (actor.office or name[-1] in key or (actor.given_name_only and name[0] in key))
            for name in index.names[iri]
        )
        if fits and _in_post(entity, when, actor.office):
            found.append(entity)
    if len(found) > 1:
        found = [e for e in found if e.country in mentioned]
    if len(found) == 1:
        entity = found[0]
        actor.iri, actor.labels, actor.wikidata = entity.iri, entity.pref_labels(), entity.wikidata
        actor.country = actor.country or entity.country
        post = post_on(entity, when)
        if post is not None:
            actor.title = actor.title or post.title_en or None
            actor.office = actor.office or post.office
        actor.tentative = False


@dataclass
class _NameIndex:
    names: dict[str, list[tuple[str, ...]]]
    """Each person's names as normalised tokens."""
    by_token: dict[str, set[str]]
    """The people whose names contain a token."""


_INDEXES: dict[int, _NameIndex] = {}


def _name_index(reference: Reference) -> _NameIndex:
    """Names of the reference people by token, built once per reference (names are normalised
    once, not for every partial name met in an article)."""
    index = _INDEXES.get(id(reference))
    if index is None:
        from kg.analyse import normalise_form

        names: dict[str, list[tuple[str, ...]]] = {}
        by_token: dict[str, set[str]] = {}
        for entity in reference.entities.values():
            if entity.kind != "person":
                continue
            keys = [
                _name_key(normalise_form(label))
                for labels in entity.labels.values()
                for label in labels
            ]
            names[entity.iri] = [k for k in keys if k]
            for k in keys:
                for token in k:
                    by_token.setdefault(token, set()).add(entity.iri)
        index = _INDEXES[id(reference)] = _NameIndex(names, by_token)
    return index


def _link_office_holder(actor: Actor, reference: Reference, when: date | None) -> None:
    """The one person the reference data knows in this office, for this country or
    organization, on the article's date."""
    office = actor.office
    if when is None or office is None or not reference.single_holder(office):
        return
    if not (actor.country or actor.org):
        return
    holders = [
        entity
        for entity in reference.holders(office)
        if any(
            p.office == actor.office
            and (p.start or date.min) <= when <= (p.end or date.max)
            and (
                (actor.org and p.org == actor.org)
                or (not actor.org and not p.org and entity.country == actor.country)
            )
            for p in entity.posts
        )
    ]
    if len(holders) != 1:
        return
    entity = holders[0]
    actor.iri = entity.iri
    actor.labels = entity.pref_labels()
    actor.wikidata = entity.wikidata
