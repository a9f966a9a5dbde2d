"""Actors and places in a sentence: titles with their country and the name that goes with them
(«وزير الخارجية المصري سامح شكري», "Saudi Crown Prince Mohammed bin Salman", «Bernard Émié,
head of …»), known people, organizations, countries; cities and countries after a place
preposition become place mentions. Then in-document coreference of the actors."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from kg.extract.document import Document, Sentence, Word
from kg.lexicon import Lexicon
from kg.records import Actor, Match, Place
from kg.reference import post_on

ACTOR_KINDS = {"person", "org", "country", "title", "honorific", "nisba", "city"}


@dataclass
class PlaceMention:
    start: int
    end: int
    place: Place
    after_preposition: bool


@dataclass
class Unit:
    """A match, or a word that no lexicon entry covers (kind 'word')."""

    start: int
    end: int
    kind: str
    matches: list[Match] = field(default_factory=list)
    word: Word | None = None

    @property
    def match(self) -> Match:
        return self.matches[0]


@dataclass
class SentenceActors:
    actors: list[Actor]
    places: list[PlaceMention]
    units: list[Unit]


def units_of(sentence: Sentence, text: str = "") -> list[Unit]:
    """Matches and uncovered words of a sentence, in order (matches of one span grouped). A
    month name without a number before it («رمضان أحمد قاديروف») is a word, not a date."""
    units: list[Unit] = []
    for m in sentence.matches:
        if m.kind in ("month", "hijri_month") and not any(
            c.isdigit() for c in text[max(0, m.start - 5) : m.start]
        ):
            continue
        if (
            units
            and units[-1].kind != "word"
            and (units[-1].start, units[-1].end) == (m.start, m.end)
        ):
            units[-1].matches.append(m)
            continue
        units.append(Unit(m.start, m.end, m.kind, [m]))
    covered = [(u.start, u.end) for u in units]
    for w in sentence.words:
        if not any(w.start < e and s < w.end for s, e in covered):
            units.append(Unit(w.start, w.end, "word", word=w))
    units.sort(key=lambda u: (u.start, u.end))
    return units


def _word_norm(unit: Unit) -> str:
    """The matching form of a word unit ('' for a lexicon match)."""
    return unit.word.norm if unit.kind == "word" and unit.word is not None else ""


PORTFOLIO_WORDS = 4
"""How many words of a portfolio may stand between a title and the honorific of the name."""


class ActorFinder:
    """Groups the units of each sentence into actors and places."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.lexicon: Lexicon = doc.lexicon
        self.lang = doc.lang
        self.latin = doc.lang != "ar"
        self.language = doc.lexicon.language
        self._glued_conjunctions = self.language.glued_conjunctions

    # -- helpers over the text between units --------------------------------------------------

    def _gap(self, left: Unit | int, right: Unit | int) -> str:
        a = left.end if isinstance(left, Unit) else left
        b = right.start if isinstance(right, Unit) else right
        if b <= a:
            return ""
        return self.doc.gap(a, b)

    def _adjacent(self, left: Unit, right: Unit, links: frozenset[str] = frozenset()) -> bool:
        gap = self._gap(left, right)
        return gap == "" or gap in links

    def _proclitic_before(self, unit: Unit) -> str:
        """Letters glued before a match inside its word (Arabic proclitics)."""
        text = self.doc.text
        i = unit.start
        while i > 0 and text[i - 1].isalpha():
            i -= 1
        return self.doc.gap(i, unit.start) if i < unit.start else ""

    def _is_link_word(self, unit: Unit) -> bool:
        return (
            unit.kind == "word"
            and unit.word is not None
            and (unit.word.norm in self.language.title_links)
        )

    def _is_name_word(self, unit: Unit, after_honorific: bool = False) -> bool:
        if unit.kind != "word" or unit.word is None:
            return False
        norm = unit.word.norm
        stop = norm in self.language.name_stops and not (after_honorific and self.latin)
        if stop or any(c.isdigit() for c in norm):
            return False
        if self.latin:
            written = unit.word.text
            head, _, rest = written.partition("-")
            glued_particle = bool(rest) and head.lower() in self.language.name_particles
            return (
                written[:1].isupper()
                or norm in self.language.name_particles
                or (glued_particle and rest[:1].isupper())
            )
        return len(norm) > 1 or norm in self.language.name_particles

    # -- the phrase grammar -------------------------------------------------------------------

    def find(self, sentence: Sentence) -> SentenceActors:
        units = units_of(sentence, self.doc.text)
        actors: list[Actor] = []
        places: list[PlaceMention] = []
        used: set[int] = set()
        for i, unit in enumerate(units):
            if (
                i > 0
                and unit.kind in ("title", "person", "honorific")
                and (
                    _word_norm(units[i - 1]) in self.language.institution_nouns
                    and self._gap(units[i - 1], unit) == ""
                )
            ):
                used.add(i)  # «مركز الملك سلمان»: part of an institution's name
                if i + 1 < len(units) and units[i + 1].kind == "person":
                    used.add(i + 1)
        for i, unit in enumerate(units):
            if i in used:
                continue
            if unit.kind in ("title", "honorific", "counterpart") or (
                self.latin
                and unit.kind in ("nisba", "country", "org")
                and self._title_follows(units, i)
            ):
                actor, taken = self._title_phrase(units, i, used)
                if actor is not None:
                    actors.append(actor)
                    used.update(taken)
                    continue
        for i, unit in enumerate(units):
            if i in used:
                continue
            if unit.kind == "person":
                actor, taken = self._name_phrase(units, i, used)
                actors.append(actor)
                used.update(taken)
            elif unit.kind == "org":
                actors.append(self._org_actor(unit))
                used.add(i)
            elif unit.kind == "both_sides":
                actors.append(Actor(kind="person", start=unit.start, end=unit.end, both_sides=True))
                used.add(i)
            elif unit.kind == "pronoun":
                actors.append(Actor(kind="person", start=unit.start, end=unit.end, pronoun=True))
                used.add(i)
            elif unit.kind == "venue":
                place = self._venue_place(unit)
                if place is not None:
                    places.append(PlaceMention(unit.start, unit.end, place, True))
                used.add(i)
            elif (
                unit.kind == "nisba"
                and unit.match.get("plural")
                and i > 0
                and (_word_norm(units[i - 1]) == "the")
            ):  # "talks with the Saudis": the people stand for their country
                actors.append(self._country_actor(unit))
                used.add(i)
            elif unit.kind == "country" and self._adjective_reading(units, i):
                used.add(i)  # «السفارة السعودية»: the adjective, not the country
            elif unit.kind in ("city", "country"):
                after_prep = self._after_preposition(units, i)
                place = self._place(unit)
                if unit.kind == "city" or after_prep:
                    if place is not None:
                        places.append(PlaceMention(unit.start, unit.end, place, after_prep))
                elif not self._after_topic_preposition(units, i):
                    actors.append(self._country_actor(unit))
                used.add(i)
            elif (
                unit.kind == "nisba"
                and i > 0
                and _word_norm(units[i - 1]) in self.language.capital_words
            ):
                capital = self._capital(unit.match.key)
                if capital is not None:
                    places.append(PlaceMention(units[i - 1].start, unit.end, capital, True))
                used.add(i)
            elif (
                unit.kind == "nisba"
                and i + 1 < len(units)
                and _word_norm(units[i + 1]) in self.language.capital_words
            ):  # "the Kuwaiti capital"
                capital = self._capital(unit.match.key)
                if capital is not None:
                    places.append(PlaceMention(unit.start, units[i + 1].end, capital, True))
                used.update({i, i + 1})
        if self.latin:
            actors += self._capitalised_names(units, used)
        actors.sort(key=lambda a: a.start)
        self._share_listed_titles(actors)
        actors = self._merge_appositive_titles(actors)
        self._sides(sentence, actors)
        return SentenceActors(actors, places, units)

    def _sides(self, sentence: Sentence, actors: list[Actor]) -> None:
        """«ومن الجانب الفلسطيني حسين الشيخ …», "on the Saudi side": the people listed after a
        side marker and its nationality are of that country, up to the next marker."""
        cues = [m for m in sentence.matches if m.kind == "side"]
        if not cues:
            return
        sides: list[tuple[int, str]] = []
        for cue in cues:
            nisba = next(
                (
                    m
                    for m in sentence.matches
                    if m.kind in ("nisba", "country") and 0 <= m.start - cue.end <= 1
                ),
                None,
            )
            if nisba is not None:
                sides.append((nisba.end, nisba.key))
        for index, (start, country) in enumerate(sides):
            end = sides[index + 1][0] if index + 1 < len(sides) else sentence.end
            for actor in actors:
                if actor.kind == "person" and start <= actor.start < end and not actor.country:
                    actor.country = country

    def _share_listed_titles(self, actors: list[Actor]) -> None:
        """ "the foreign ministers of Egypt, Qatar and Jordan": countries listed after an
        unnamed title with a country take that title too."""
        joins = self.language.conjunctions | {",", "the", ", the"}
        for prev, actor in itertools.pairwise(actors):
            titled = bool(prev.office) and (
                prev.kind == "country" or (not prev.name and bool(prev.country))
            )
            if (
                actor.kind == "country"
                and not actor.office
                and titled
                and set(self.doc.gap(prev.end, actor.start).replace(",", " , ").split()) <= joins
            ):
                actor.office, actor.title = prev.office, prev.title

    def _merge_appositive_titles(self, actors: list[Actor]) -> list[Actor]:
        """«الأمير محمد بن سلمان، ولي ولي العهد، النائب الثاني لرئيس مجلس الوزراء وزير الدفاع»:
        titles without a name right after a named person describe that person."""
        merged: list[Actor] = []
        for actor in actors:
            prev = merged[-1] if merged else None
            if (
                prev is not None
                and prev.kind == "person"
                and (prev.name or prev.iri)
                and actor.kind == "person"
                and not actor.name
                and not actor.counterpart
                and (actor.country is None or prev.country in (None, actor.country))
                and self.doc.gap(prev.end, actor.start) in ("", ",")
            ):
                prev.end = actor.end
                prev.offices += actor.offices
                if not prev.title_in_text and actor.title:
                    prev.title, prev.office, prev.title_in_text = actor.title, actor.office, True
                prev.country = prev.country or actor.country
                prev.org = prev.org or actor.org
                continue
            merged.append(actor)
        return merged

    def _title_follows(self, units: list[Unit], i: int) -> bool:
        j = i + 1
        while (
            j < len(units)
            and units[j].kind in ("nisba", "country", "org")
            and self._adjacent(units[j - 1], units[j], self.language.title_links)
        ):
            j += 1
        return (
            j < len(units)
            and units[j].kind == "title"
            and self._adjacent(units[j - 1], units[j], self.language.title_links)
        )

    def _title_phrase(
        self, units: list[Unit], i: int, used: set[int]
    ) -> tuple[Actor | None, set[int]]:
        links = self.language.title_links
        taken = {i}
        title: Match | None = None
        country: str | None = None
        org: str | None = None
        counterpart = False
        offices: list[str] = []
        start = units[i].start
        end = units[i].end
        j = i
        last = units[i]
        while j < len(units) and j not in used:
            unit = units[j]
            if j > i and self._is_link_word(unit) and j + 1 < len(units):
                j += 1
                continue
            if (
                j > i
                and _word_norm(unit) in self.language.conjunctions
                and j + 1 < len(units)
                and units[j + 1].kind == "title"
            ):
                j += 1
                continue
            if j > i and not self._adjacent(last, unit, links):
                break
            if title is not None and country is None and unit.kind == "word":
                skip = self._words_before_nisba(units, j, used)
                if skip:  # «رئيس حزب القوات اللبنانية»: the body's name, then its nationality
                    taken.update(range(j, j + skip))
                    last = units[j + skip - 1]
                    j += skip
                    continue
            if unit.kind == "title":
                offices.append(unit.match.get("office") or "")
            if unit.kind == "title" and title is None:
                title = unit.match
                country = country or title.get("country")
            elif unit.kind == "title" and country is None:
                # a chain of titles of one person («ولي ولي العهد وزير الدفاع»); the first names
                # the post, a later one may name the country («سفير خادم الحرمين الشريفين»)
                country = country or unit.match.get("country")
            elif unit.kind == "counterpart" and j == i:
                counterpart = True
            elif unit.kind in ("nisba", "country") and country is None:
                sent_to = (
                    title is not None
                    and title.get("office") == "envoy"
                    and self._proclitic_before(unit) in self.language.destination_proclitics
                )
                if not sent_to:  # «مبعوث … للمملكة العربية السعودية»: where, not whose
                    country = unit.match.key
            elif (
                unit.kind == "city"
                and country is None
                and title is not None
                and self._gap(last, unit) in links | {""}
            ):
                country = self._city_country(unit)  # «ولي عهد أبوظبي»
            elif unit.kind == "org" and org is None:
                org = unit.match.key
            elif unit.kind == "honorific":
                pass
            else:
                break
            taken.add(j)
            end = unit.end
            last = unit
            j += 1
        while j > i + 1 and (
            self._is_link_word(units[j - 1])
            or _word_norm(units[j - 1]) in self.language.conjunctions
        ):
            j -= 1
        if title is not None and title.get("office") in ("ambassador", "charge-d-affaires"):
            j = self._skip_accreditation(units, j, used)
        while (
            j < len(units)
            and j not in used
            and units[j].kind == "honorific"
            and (self._gap(units[j - 1], units[j]) in ("", ","))
        ):
            taken.add(j)  # ranks and honorifics before the name («… الفريق أول ركن …»)
            j += 1
        # a name after the title phrase ("… سامح شكري", "…, Mohammed ben Salmane")
        if self._adjective_before_given_name(units, j, used):
            taken.add(j)
            j += 1
        if title is not None and not self._collect_name(units, j, used, forward=True):
            skipped = self._skip_to_honorific(units, j, used)  # "Minister for the Middle East Lord"
            taken.update(range(j, skipped))
            j = skipped
        after_honorific = j > 0 and units[j - 1].kind == "honorific"
        name_units = self._collect_name(
            units, j, used, forward=True, allow_single=True, after_honorific=after_honorific
        )
        if (
            not name_units
            and self.latin
            and j < len(units)
            and self._gap(units[j - 1], units[j]) == ","
        ):
            name_units = self._collect_name(units, j, used, forward=True)
        if not name_units and title is not None:
            # an appositive name before the title ("برنارد إيمييه رئيس جهاز …")
            k = i - 1
            if (
                k >= 0
                and k not in used
                and (
                    self._gap(units[k], units[i]) == ""
                    or (self.latin and self._gap(units[k], units[i]) == ",")
                )
            ):
                name_units = self._collect_name(units, k, used, forward=False)
        if (
            title is None
            and not name_units
            and not counterpart
            and not (units[i].kind == "honorific" and country)
        ):
            return None, set()  # an honorific with a nationality stays: «le prince saoudien»
        taken.update(name_units)
        tentative = (
            len(name_units) == 1
            and all(units[k].kind == "word" for k in name_units)
            and not self._after_honorific(units, min(name_units) - 1, "surname")
        )
        given_name_only = len(name_units) == 1 and self._after_honorific(
            units, min(name_units) - 1, "given"
        )
        if name_units and country is None:
            after = self._country_after(units, max(name_units) + 1, used)
            if after is not None:
                country = units[after].match.key
                taken.add(after)
                end = max(end, units[after].end)
        actor = Actor(
            kind="person",
            start=start,
            end=end,
            counterpart=counterpart,
            offices=[o for o in offices if o],
        )
        if name_units:
            first_index, last_index = min(name_units), max(name_units)
            actor.start = min(actor.start, units[first_index].start)
            actor.end = max(actor.end, units[last_index].end)
            self._set_name(actor, [units[k] for k in sorted(name_units)])
            actor.tentative = tentative
            actor.given_name_only = given_name_only
        if title is not None:
            actor.title = title.get("title_en")
            actor.office = title.get("office")
            actor.title_in_text = True
        if country:
            actor.country = country
        if org:
            actor.org = org
            actor.country = actor.country if country else None
        if actor.iri:
            self._fill_from_reference(actor)
        return actor, taken

    def _words_before_nisba(self, units: list[Unit], j: int, used: set[int]) -> int:
        """How many definite words («القوات») stand between a title and its nisba (0: none)."""
        if self.latin:
            return 0
        article = self.language.article
        k = j
        while k < len(units) and k - j < 2 and k not in used:
            if units[k].kind in ("nisba", "country"):
                return k - j if k > j else 0
            if not _word_norm(units[k]).startswith(article) or (
                k > j and self._gap(units[k - 1], units[k]) != ""
            ):
                return 0
            k += 1
        if k < len(units) and units[k].kind == "nisba" and self._gap(units[k - 1], units[k]) == "":
            return k - j
        return 0

    def _after_honorific(self, units: list[Unit], k: int, name_part: str) -> bool:
        """Unit k is an honorific that takes a surname ("Lord Ahmad", «M. Barrot») or a given
        name ("Sheikh Tamim", «الأمير محمد»)."""
        if k < 0 or units[k].kind != "honorific":
            return False
        language = self.language
        forms = (
            language.surname_honorifics
            if name_part == "surname"
            else language.given_name_honorifics
        )
        written = self.doc.text[units[k].start : units[k].end].casefold()
        return written in {h.casefold() for h in forms}

    def _skip_to_honorific(self, units: list[Unit], j: int, used: set[int]) -> int:
        """A title's portfolio may stand between it and an honorific that opens the name
        ("Minister for the Middle East Lord Ahmad", «وزير الثقافة والإعلام الدكتور …»)."""
        for k in range(j, min(j + PORTFOLIO_WORDS + 1, len(units))):
            if k in used or units[k].kind not in ("word", "honorific"):
                return j
            if units[k].kind == "honorific" and k + 1 < len(units):
                return k + 1 if self._is_name_word(units[k + 1], True) else j
        return j

    def _skip_accreditation(self, units: list[Unit], j: int, used: set[int]) -> int:
        """«سفير البيرو لدى المملكة إدوارد …»: the host country of an ambassador's post stands
        between the title and the name; step over it."""
        if j >= len(units) or _word_norm(units[j]) not in self.language.accreditation_words:
            return j
        k = j + 1
        if k < len(units) and k not in used and units[k].kind in ("country", "city", "word"):
            return k + 1
        return j

    def _country_after(self, units: list[Unit], j: int, used: set[int]) -> int | None:
        """Index of a country or nisba right after a name, through a link word ("of Jordan")."""
        links = self.language.title_links
        k = j
        while k < len(units) and self._is_link_word(units[k]):
            k += 1
        if k == j or k >= len(units) or k in used or units[k].kind not in ("country", "nisba"):
            return None
        gap = self._gap(units[j - 1], units[k])
        return k if gap in links else None

    def _collect_name(
        self,
        units: list[Unit],
        j: int,
        used: set[int],
        forward: bool,
        allow_single: bool = False,
        after_honorific: bool = False,
    ) -> set[int]:
        """Indexes of the units of a name starting at j (going forward or backward)."""
        picked: list[int] = []
        k = j
        limit = 6
        while 0 <= k < len(units) and k not in used and len(picked) < limit:
            unit = units[k]
            if picked:
                a, b = (units[picked[-1]], unit) if forward else (unit, units[picked[-1]])
                if self._gap(a, b) != "":
                    break
            if unit.kind == "person":
                picked.append(k)
                if forward:
                    picked += self._lineage_after(units, k + 1, used)
                    break
            elif self._is_name_word(unit, after_honorific and not picked):
                if picked and forward and self._conjunction_glued(unit):
                    break  # «حسن حكيموف والمندوب»: a new phrase starts
                picked.append(k)
            elif unit.kind == "honorific" and not forward:
                break
            else:
                break
            k = k + 1 if forward else k - 1
        particles = self.language.name_particles
        while (
            picked
            and units[picked[-1]].kind == "word"
            and units[picked[-1]].word is not None
            and (
                units[picked[-1]].word.norm in particles  # type: ignore[union-attr]
            )
        ):
            picked.pop()
        if not picked:
            return set()
        ordered = sorted(picked)
        person = next((k for k in ordered if units[k].kind == "person"), None)
        lineage = self.language.lineage_particles
        if person is not None and person > ordered[0] and _word_norm(units[person - 1]) in lineage:
            person = None  # an ancestor's name inside a longer name: keep it all
        if person is not None:
            glued = [k for k in ordered if k < person]
            if glued and not self._part_of_known_name(units[person], [units[k] for k in glued]):
                picked = [k for k in picked if k >= person]  # «الصديقة مايك بومبيو»
        if not self._plausible_name(
            [units[k] for k in sorted(picked)], allow_single, after_honorific
        ):
            return set()
        return set(picked)

    def _lineage_after(self, units: list[Unit], j: int, used: set[int]) -> list[int]:
        """«محمد بن سلمان» + «بن عبدالعزيز آل سعود»: particle-led parts that extend a name."""
        picked: list[int] = []
        k = j
        particles = self.language.name_particles
        while (
            k + 1 < len(units)
            and k not in used
            and _word_norm(units[k]) in particles
            and self._gap(units[k - 1], units[k]) == ""
            and self._gap(units[k], units[k + 1]) == ""
            and (self._is_name_word(units[k + 1]) or units[k + 1].kind == "person")
        ):
            picked += [k, k + 1]
            k += 2
        return picked

    def _adjective_before_given_name(self, units: list[Unit], j: int, used: set[int]) -> bool:
        """«وزير خارجية الولايات المتحدة الصديقة مايك بومبيو»: one qualifying word may stand
        between the title phrase and a name that starts with a given name."""
        given = self.language.given_names
        if self.latin or not given or j + 1 >= len(units) or j in used or j + 1 in used:
            return False
        first, second = units[j], units[j + 1]
        return (
            first.kind == "word"
            and _word_norm(first) not in given
            and _word_norm(first).startswith(self.language.article)
            and second.kind == "word"
            and _word_norm(second) in given
            and self._gap(first, second) == ""
        )

    def _conjunction_glued(self, unit: Unit) -> bool:
        """An Arabic word that starts with the conjunction و glued to another word."""
        norm = _word_norm(unit)
        if norm in self.language.given_names:
            return False  # «فيصل», «وليد»: names, not ف/و + a word
        return any(norm.startswith(c) and len(norm) >= 4 for c in self._glued_conjunctions)

    def _plausible_name(
        self, name: list[Unit], allow_single: bool = False, after_honorific: bool = False
    ) -> bool:
        """An unknown name must look like one: capitalised in Latin script; in Arabic two words
        or more with a given name among the first two, or any two words right after an
        honorific («الدكتور مساعد العيبان»); a known name passes."""
        if any(u.kind == "person" for u in name):
            return True
        first = name[0].word
        if first is None:
            return False
        if self.latin:
            return first.text[:1].isupper()
        if len(name) < 2:
            return allow_single  # tentative: coreference keeps it only if it names someone
        given = self.language.given_names
        if after_honorific and not first.norm.startswith(self._glued_conjunctions or ("\0",)):
            return True
        if given:
            second = name[1].word.norm if name[1].word is not None else ""
            # «رمضان أحمد قاديروف»: a given name may come second after a less common one
            return first.norm in given or second in given or f"{first.norm} {second}" in given
        particles = self.language.name_particles
        openings = (*self._glued_conjunctions, self.language.article or "\0")
        return first.norm in particles or not first.norm.startswith(openings)

    def _set_name(self, actor: Actor, name_units: list[Unit]) -> None:
        text = self.doc.text
        actor.name = text[name_units[0].start : name_units[-1].end].strip(" ,،.")
        person = next((u for u in name_units if u.kind == "person"), None)
        at = name_units.index(person) if person is not None else 0
        lineage = self.language.lineage_particles
        if person is not None and at > 0 and _word_norm(name_units[at - 1]) in lineage:
            person = None  # «… bint Bandar bin Sultan bin Abdulaziz»: an ancestor, not the person
        if person is not None:
            actor.iri = person.match.key
            self._fill_from_reference(actor)
        else:
            actor.labels = {self.lang: actor.name}

    def _name_phrase(self, units: list[Unit], i: int, used: set[int]) -> tuple[Actor, set[int]]:
        """A known person, with the unknown words glued before it («عبد الفتاح السيسي»)."""
        taken = {i}
        before = self._collect_name(units, i - 1, used, forward=False) if i > 0 else set()
        if before and self._part_of_known_name(units[i], [units[k] for k in before]):
            taken |= before
        ordered = sorted(taken)
        actor = Actor(kind="person", start=units[ordered[0]].start, end=units[ordered[-1]].end)
        self._set_name(actor, [units[k] for k in ordered])
        return actor, taken

    def _part_of_known_name(self, person: Unit, words: list[Unit]) -> bool:
        """Words before a known surname («عبد الفتاح» before «السيسي») belong to the name only
        when one of the person's names contains them."""
        entity = self.lexicon.reference.get(person.match.key)
        if entity is None:
            return False
        from kg.analyse import normalise_form

        known = {
            token
            for labels in entity.labels.values()
            for label in labels
            for token in normalise_form(label).replace("-", " ").split()
        }
        return all(w.word is not None and w.word.norm in known for w in words)

    def _fill_from_reference(self, actor: Actor) -> None:
        entity = self.lexicon.reference.get(actor.iri or "")
        if entity is None:
            return
        actor.labels = entity.pref_labels()
        actor.wikidata = entity.wikidata
        post = post_on(entity, self.doc.article.published)
        if actor.country is None:
            actor.country = entity.country
        if post is not None:
            if actor.title is None:
                actor.title = post.title_en or None
            if actor.office is None:
                actor.office = post.office
            if post.org and actor.org is None:
                actor.org = post.org
                if actor.country == entity.country:
                    actor.country = None  # an international official speaks for the organization

    def _org_actor(self, unit: Unit) -> Actor:
        entity = self.lexicon.reference.get(unit.match.key)
        actor = Actor(kind="organization", start=unit.start, end=unit.end, iri=unit.match.key)
        actor.name = self.doc.text[unit.start : unit.end]
        actor.org = unit.match.key
        if entity is not None:
            actor.labels = entity.pref_labels()
            actor.wikidata = entity.wikidata
        return actor

    def _venue_place(self, unit: Unit) -> Place | None:
        """A venue stands for its city («في قصر الشاطئ» → Abu Dhabi)."""
        reference = self.lexicon.reference
        venue = reference.get(unit.match.key)
        if venue is None:
            return None
        city = reference.get(venue.first("city") or "")
        entity = city or reference.countries.get(venue.country or "")
        if entity is None:
            return None
        return Place(
            entity.label("en"), entity.pref_labels(), venue.country, entity.iri, entity.wikidata
        )

    def _city_country(self, unit: Unit) -> str | None:
        for m in unit.matches:
            entity = self.lexicon.reference.get(m.key)
            if entity is not None and entity.country:
                return entity.country
        return None

    def _country_actor(self, unit: Unit) -> Actor:
        code = unit.match.key
        entity = self.lexicon.reference.countries.get(code)
        actor = Actor(kind="country", start=unit.start, end=unit.end, country=code)
        actor.name = self.doc.text[unit.start : unit.end]
        if entity is not None:
            actor.iri = entity.iri
            actor.labels = entity.pref_labels()
            actor.wikidata = entity.wikidata
        return actor

    def _after_preposition(self, units: list[Unit], i: int) -> bool:
        preps = self.language.place_prepositions
        if self._proclitic_before(units[i]) in preps:
            return True
        k = i - 1
        while k >= 0 and units[k].kind in ("city", "nisba", "honorific"):
            k -= 1
        if k < 0:
            return False
        prev = units[k]
        if prev.kind == "word" and prev.word is not None and prev.word.norm in preps:
            return self._gap(prev, units[i]) in ("", "(", '"', "the")
        return False

    def _capitalised_names(self, units: list[Unit], used: set[int]) -> list[Actor]:
        """ "Blinken met Abbas": capitalised words outside any other phrase may name someone
        the article names in full; they are tentative and kept only if coreference (or the
        reference data, by surname) confirms them."""
        actors: list[Actor] = []
        i = 0
        while i < len(units):
            word = units[i].word
            if (
                i in used
                or word is None
                or not word.text[:1].isupper()
                or not (self._is_name_word(units[i]))
            ):
                i += 1
                continue
            picked = self._collect_name(units, i, used, forward=True)
            if not picked:
                i += 1
                continue
            ordered = sorted(picked)
            actor = Actor(
                kind="person",
                start=units[ordered[0]].start,
                end=units[ordered[-1]].end,
                tentative=True,
            )
            self._set_name(actor, [units[k] for k in ordered])
            actor.tentative = actor.iri is None
            actors.append(actor)
            used.update(picked)
            i = ordered[-1] + 1
        return actors

    def _adjective_reading(self, units: list[Unit], i: int) -> bool:
        """A country name that is also a nisba («السعودية») reads as the adjective after a
        definite noun."""
        unit = units[i]
        if not any(m.kind == "nisba" for m in unit.matches) or i == 0:
            return False
        prev = units[i - 1]
        return (
            prev.kind == "word"
            and _word_norm(prev).startswith(self.language.article or "\0")
            and self._gap(prev, unit) == ""
        )

    def _after_topic_preposition(self, units: list[Unit], i: int) -> bool:
        """«بشأن العراق», "talks on Syria": the country is a subject, and so is a list after it."""
        k = i - 1
        while k >= 0 and (
            units[k].kind == "country" or _word_norm(units[k]) in self.language.conjunctions
        ):
            k -= 1
        return k >= 0 and _word_norm(units[k]) in self.language.topic_prepositions

    def _place(self, unit: Unit) -> Place | None:
        reference = self.lexicon.reference
        if unit.kind == "country":
            entity = reference.countries.get(unit.match.key)
            if entity is None:
                return None
            return Place(
                entity.label("en"),
                entity.pref_labels(),
                entity.country,
                entity.iri,
                entity.wikidata,
            )
        cities = [reference.get(m.key) for m in unit.matches if m.kind == "city"]
        entity = next((c for c in cities if c is not None), None)
        if entity is None:
            return None
        return Place(
            entity.label("en"), entity.pref_labels(), entity.country, entity.iri, entity.wikidata
        )

    def _capital(self, iso2: str) -> Place | None:
        reference = self.lexicon.reference
        country = reference.countries.get(iso2)
        if country is None:
            return None
        capital_iri = country.first("capital")
        entity = reference.get(capital_iri) if capital_iri else None
        if entity is None:
            return Place(country.label("en"), country.pref_labels(), iso2, country.iri)
        return Place(entity.label("en"), entity.pref_labels(), iso2, entity.iri, entity.wikidata)
