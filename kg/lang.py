"""Per-language data (triggers, clitics, cue words, date words), read from ontology/lang/*.toml.

Adding a language adds a TOML file, not code.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from kg.paths import ONTOLOGY_DIR


@dataclass(frozen=True)
class Trigger:
    id: str
    type: str
    roles: str
    """host-guest, guest-host, symmetric or visit."""
    forms: tuple[str, ...]
    planned_forms: tuple[str, ...] = ()
    ongoing_forms: tuple[str, ...] = ()
    """Forms of an event under way: dated the day of publication."""
    distributive_forms: tuple[str, ...] = ()
    """Forms of several meetings, one per side met ("held meetings with", "met separately")."""
    earlier_forms: tuple[str, ...] = ()
    """Forms of an occasion before the one reported ("had already visited"): never the same."""
    anaphoric_forms: tuple[str, ...] = ()
    """Forms that speak of an occasion already told ("the call", «la rencontre»): they lend it
    their date and place, and stand alone only when nothing of their type was told before."""
    nominal: frozenset[str] = frozenset()
    object_pronoun: bool = False
    """The object is a clitic pronoun ("l'a accueilli"): the guest is named before."""
    """Forms that are verbal nouns: their agent is the genitive after them."""


@dataclass(frozen=True)
class LanguageData:
    lang: str
    proclitics: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()
    article: str = ""
    nisba_suffixes: tuple[str, ...] = ("",)
    demonym_plurals: tuple[str, ...] = ()
    title_plural_endings: tuple[tuple[str, str], ...] = ()
    title_heads_before: frozenset[str] = frozenset()
    name_stops: frozenset[str] = frozenset()
    name_particles: frozenset[str] = frozenset()
    lineage_particles: frozenset[str] = frozenset()
    glued_conjunctions: tuple[str, ...] = ()
    suffixes_written: tuple[str, ...] = ()
    """Suffixes, as written, of a trigger that is a circumstance («لدى وصوله»): ه, not the taa
    marbuta that normalises to it."""
    articles: frozenset[str] = frozenset()
    given_names: frozenset[str] = frozenset()
    joinable_prefixes: tuple[str, ...] = ()
    """Name prefixes written joined to the next word or apart («عبد الله» / «عبدالله»)."""
    """Given names in matching form (ontology/lang/LANG-given-names.txt), to trust unknown names."""
    conjunctions: frozenset[str] = frozenset()
    purpose_proclitics: tuple[str, ...] = ()
    circumstance_words: frozenset[str] = frozenset()
    honorifics: tuple[str, ...] = ()
    given_name_honorifics: tuple[str, ...] = ()
    """Honorifics followed by a given name ("Sheikh Tamim", «الأمير محمد»)."""
    surname_honorifics: tuple[str, ...] = ()
    """Honorifics that name a person with one word ("Lord Ahmad", «M. Barrot»): the word is a
    name even when nothing else in the article spells it out."""
    counterpart_words: tuple[str, ...] = ()
    honorific_pronouns: tuple[str, ...] = ()
    both_sides_words: tuple[str, ...] = ()
    attendee_cues: tuple[str, ...] = ()
    attendee_cues_after: tuple[str, ...] = ()
    pronoun_reference: str = "first"
    companion_cues: tuple[str, ...] = ()
    place_prepositions: frozenset[str] = frozenset()
    topic_prepositions: frozenset[str] = frozenset()
    capital_words: frozenset[str] = frozenset()
    title_links: frozenset[str] = frozenset()
    accreditation_words: frozenset[str] = frozenset()
    destination_proclitics: frozenset[str] = frozenset()
    planned_cues: tuple[str, ...] = ()
    negation_cues: tuple[str, ...] = ()
    clause_boundaries: tuple[str, ...] = ()
    side_cues: tuple[str, ...] = ()
    """Markers of a side in a list of people, before a nationality («من الجانب السعودي»)."""
    conditional_openers: frozenset[str] = frozenset()
    """First words that make a sentence a hypothesis ("Should", "If")."""
    purpose_cues: tuple[str, ...] = ()
    setting_cues: tuple[str, ...] = ()
    """Words that name the occasion's setting after its people ("on the sidelines of the UN
    General Assembly"): the organization there hosts the setting, it is not a party."""
    """Words that open a purpose clause after a trigger ("to discuss"): what follows was
    discussed, it did not take part."""
    """Words that open a new clause between two triggers ("while"): each keeps its own people."""
    negation_cues_after: tuple[str, ...] = ()
    """Cues that deny the trigger before them ("talks … have been suspended")."""
    boilerplate: tuple[str, ...] = ()
    exclusion_cues: tuple[str, ...] = ()
    ignore_phrases: tuple[str, ...] = ()
    abstract_objects: frozenset[str] = frozenset()
    modal_after: frozenset[str] = frozenset()
    institution_nouns: frozenset[str] = frozenset()
    abbreviations: frozenset[str] = frozenset()
    relative_days: dict[str, int] = field(default_factory=dict)
    periods: tuple[str, ...] = ()
    """Expressions of a period without a day ("last month"): the event has no date to borrow."""
    weekdays: dict[str, int] = field(default_factory=dict)
    months: dict[str, int] = field(default_factory=dict)
    hijri_months: dict[str, int] = field(default_factory=dict)
    triggers: tuple[Trigger, ...] = ()


def languages() -> list[str]:
    """The languages that have a data file."""
    return sorted(p.stem for p in (ONTOLOGY_DIR / "lang").glob("*.toml"))


def _given_names(path: Path) -> frozenset[str]:
    from kg.analyse import normalise_form

    if not path.exists():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(
        normalise_form(line) for line in lines if line.strip() and not line.startswith("#")
    )


@cache
def load_language(lang: str, directory: Path | None = None) -> LanguageData:
    """The data of one language; raises KeyError for a language without a data file."""
    path = (directory or ONTOLOGY_DIR / "lang") / f"{lang}.toml"
    if not path.exists():
        raise KeyError(lang)
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    from kg.analyse import normalise_form

    def forms(key: str) -> tuple[str, ...]:
        return tuple(raw.get(key, ()))

    def normalised_set(key: str) -> frozenset[str]:
        return frozenset(normalise_form(x) for x in raw.get(key, ()))

    return LanguageData(
        lang=raw.get("lang", lang),
        proclitics=tuple(normalise_form(x) for x in raw.get("proclitics", ())),
        suffixes=tuple(normalise_form(x) for x in raw.get("suffixes", ())),
        article=normalise_form(raw.get("article", "")),
        nisba_suffixes=tuple(raw.get("nisba_suffixes", [""])),
        demonym_plurals=tuple(raw.get("demonym_plurals", ())),
        title_plural_endings=tuple((a, b) for a, b in raw.get("title_plural_endings", ())),
        title_heads_before=frozenset(raw.get("title_heads_before", ())),
        name_stops=normalised_set("name_stops"),
        name_particles=normalised_set("name_particles"),
        lineage_particles=normalised_set("lineage_particles"),
        glued_conjunctions=tuple(normalise_form(x) for x in raw.get("glued_conjunctions", ())),
        suffixes_written=tuple(raw.get("circumstance_suffixes", ())),
        articles=normalised_set("articles"),
        given_names=_given_names(path.with_name(f"{lang}-given-names.txt")),
        joinable_prefixes=forms("joinable_prefixes"),
        conjunctions=normalised_set("conjunctions"),
        circumstance_words=normalised_set("circumstance_words"),
        purpose_proclitics=tuple(normalise_form(x) for x in raw.get("purpose_proclitics", ())),
        honorifics=forms("honorifics"),
        surname_honorifics=forms("surname_honorifics"),
        given_name_honorifics=forms("given_name_honorifics"),
        counterpart_words=forms("counterpart_words"),
        honorific_pronouns=forms("honorific_pronouns"),
        both_sides_words=forms("both_sides_words"),
        attendee_cues=forms("attendee_cues"),
        attendee_cues_after=forms("attendee_cues_after"),
        pronoun_reference=raw.get("pronoun_reference", "first"),
        companion_cues=forms("companion_cues"),
        place_prepositions=normalised_set("place_prepositions"),
        topic_prepositions=normalised_set("topic_prepositions"),
        capital_words=normalised_set("capital_words"),
        title_links=normalised_set("title_links"),
        accreditation_words=normalised_set("accreditation_words"),
        destination_proclitics=normalised_set("destination_proclitics"),
        planned_cues=forms("planned_cues"),
        negation_cues=forms("negation_cues"),
        clause_boundaries=forms("clause_boundaries"),
        side_cues=forms("side_cues"),
        conditional_openers=normalised_set("conditional_openers"),
        purpose_cues=forms("purpose_cues"),
        setting_cues=forms("setting_cues"),
        negation_cues_after=forms("negation_cues_after"),
        boilerplate=forms("boilerplate"),
        exclusion_cues=forms("exclusion_cues"),
        ignore_phrases=forms("ignore_phrases"),
        abstract_objects=normalised_set("abstract_objects"),
        modal_after=normalised_set("modal_after"),
        institution_nouns=normalised_set("institution_nouns"),
        abbreviations=normalised_set("abbreviations"),
        relative_days=dict(raw.get("relative_days", {})),
        periods=forms("periods"),
        weekdays=dict(raw.get("weekdays", {})),
        months=dict(raw.get("months", {})),
        hijri_months=dict(raw.get("hijri_months", {})),
        triggers=tuple(
            Trigger(
                id=t["id"],
                type=t["type"],
                roles=t["roles"],
                forms=tuple(t.get("forms", ())),
                planned_forms=tuple(t.get("planned_forms", ())),
                ongoing_forms=tuple(t.get("ongoing_forms", ())),
                anaphoric_forms=tuple(t.get("anaphoric_forms", ())),
                earlier_forms=tuple(t.get("earlier_forms", ())),
                distributive_forms=tuple(t.get("distributive_forms", ())),
                nominal=frozenset(t.get("nominal", ())),
                object_pronoun=bool(t.get("object_pronoun", False)),
            )
            for t in raw.get("trigger", ())
        ),
    )
