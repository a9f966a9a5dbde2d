"""One compiled lexicon per language: every name, title, cue and trigger of the reference data and
the language data in an Aho-Corasick automaton over normalised text.

Matches respect word boundaries; Arabic proclitics (و ف ب ل ك, لل for ال) may stand before an
entry and pronoun suffixes after a trigger. Overlapping matches are resolved longest-first.
The compiled lexicon is cached on disk, keyed by the content of the data files.
"""

from __future__ import annotations

import hashlib
import pickle
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

import ahocorasick

from kg import __version__
from kg.analyse import Normalised, normalise_form
from kg.lang import LanguageData, load_language
from kg.paths import CACHE_DIR, ONTOLOGY_DIR
from kg.records import Match
from kg.reference import Entity, Reference, build_reference, load_graph, reference_files

Payload = tuple[str, str, tuple[tuple[str, str], ...]]
"""(kind, key, data) of one lexicon entry."""

LATIN_LANGS = ("en", "fr")


@dataclass
class Lexicon:
    lang: str
    language: LanguageData
    reference: Reference
    main: ahocorasick.Automaton
    topics: ahocorasick.Automaton

    def match(self, norm: Normalised) -> list[Match]:
        """Entity, trigger and cue matches (no overlaps), in text order."""
        return _resolve(self._candidates(self.main, norm, original=None))

    def match_with_text(self, norm: Normalised, original: str) -> list[Match]:
        """As `match`, checking case-sensitive entries (acronyms) against the original text."""
        return _resolve(self._candidates(self.main, norm, original))

    def match_topics(self, norm: Normalised) -> list[Match]:
        """Topic cues; they may overlap entities and each other (each counts once)."""
        return list(self._candidates(self.topics, norm, original=None))

    def _candidates(
        self, automaton: ahocorasick.Automaton, norm: Normalised, original: str | None
    ) -> Iterator[Match]:
        text = norm.text
        if len(automaton) == 0:
            return
        for end_index, (surface, payloads) in automaton.iter(text):
            start = end_index - len(surface) + 1
            end = end_index + 1
            for kind, key, data in payloads:
                stop = self._right_boundary(text, end, kind)
                if stop is None or not self._left_boundary(text, start):
                    continue
                if kind == "trigger" and self._inside_given_name(text, start, stop):
                    continue  # «فيصل» is a name, not ف + «يصل»
                span = norm.to_original(start, end)
                if original is not None and ("case", "exact") in data:
                    written = dict(data).get("written", "")
                    if original[span[0] : span[1]] != written:
                        continue
                yield Match(span[0], span[1], kind, key, data)

    def _inside_given_name(self, text: str, start: int, stop: int) -> bool:
        names = self.language.given_names
        if not names or start == 0 or not _is_word_char(text[start - 1]):
            return False
        word_start = start
        while word_start > 0 and _is_word_char(text[word_start - 1]):
            word_start -= 1
        return word_start < start and text[word_start:stop] in names

    def _left_boundary(self, text: str, start: int) -> bool:
        if start == 0 or not _is_word_char(text[start - 1]):
            return True
        if not self.language.proclitics:
            return False
        word_start = start
        while word_start > 0 and _is_word_char(text[word_start - 1]):
            word_start -= 1
        return text[word_start:start] in self.language.proclitics

    def _right_boundary(self, text: str, end: int, kind: str) -> int | None:
        if end >= len(text) or not _is_word_char(text[end]):
            return end
        if kind == "trigger":
            for suffix in self.language.suffixes:
                stop = end + len(suffix)
                if text.startswith(suffix, end) and (
                    stop >= len(text) or not _is_word_char(text[stop])
                ):
                    return stop
        return None


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


_PRIORITY = {"person": 0, "title": 1, "org": 2, "country": 3, "city": 3, "nisba": 4}


def _resolve(candidates: Iterable[Match]) -> list[Match]:
    """Keep the longest matches; matches of the same span are all kept (ambiguous entries)."""
    ordered = sorted(
        candidates, key=lambda m: (-(m.end - m.start), m.start, _PRIORITY.get(m.kind, 9))
    )
    taken: list[tuple[int, int]] = []
    kept: list[Match] = []
    for m in ordered:
        same = any(m.start == s and m.end == e for s, e in taken)
        if same or not any(m.start < e and s < m.end for s, e in taken):
            kept.append(m)
            if not same:
                taken.append((m.start, m.end))
    return sorted(kept, key=lambda m: (m.start, m.end))


# ---------------------------------------------------------------------------------------------
# Building


def _entries(reference: Reference, language: LanguageData) -> Iterator[tuple[str, Payload, str]]:
    """(surface form as written, payload, layer) for every entry of one language."""
    lang = language.lang
    label_langs = (lang,) if lang not in LATIN_LANGS else LATIN_LANGS
    for entity in reference.entities.values():
        kind = entity.kind
        if kind == "office":
            continue  # office types are named in text through their titles
        if kind == "topic":
            for cue in entity.extra.get("cue", []):
                yield cue, ("topic", entity.first("notation") or "", ()), "topics"
            continue
        data: list[tuple[str, str]] = []
        if entity.country:
            data.append(("country", entity.country))
        if kind == "title":
            data += [
                ("office", entity.first("office") or ""),
                ("title_en", entity.first("title_en") or ""),
            ]
        key = entity.country if kind == "country" and entity.country else entity.iri
        names: list[str] = []
        # names are shared by the Latin-script languages; titles are words of one language
        # ("Premier" is a title in English, an ordinal in French)
        for code in (lang,) if kind == "title" else label_langs:
            names += entity.labels.get(code, [])
        if kind == "org":
            names += entity.extra.get("abbreviation", [])
        unmatched = set(entity.extra.get("unmatched", []))
        for name in (n for n in names if n not in unmatched):
            for form in _spellings(name, language.joinable_prefixes):
                yield form, (kind, key or "", tuple(data)), "main"
            if kind == "title":
                plural = _plural_title(name, language)
                if plural:
                    yield plural, (kind, key or "", tuple(data)), "main"
        if kind == "country" and entity.country:
            for form in _demonyms(entity, language):
                yield form, ("nisba", entity.country, ()), "main"
                for plural in language.demonym_plurals:
                    if not form.endswith(("s", "ese", "sh")):
                        yield form + plural, ("nisba", entity.country, (("plural", "1"),)), "main"
    for trigger in language.triggers:
        base: tuple[tuple[str, str], ...] = (("type", trigger.type), ("roles", trigger.roles))
        if trigger.object_pronoun:
            base = (*base, ("object_pronoun", "1"))
        for form in trigger.forms:
            extra = (("nominal", "1"),) if form in trigger.nominal else ()
            yield form, ("trigger", trigger.id, (*base, ("status", "occurred"), *extra)), "main"
        for form in trigger.ongoing_forms:
            yield (
                form,
                ("trigger", trigger.id, (*base, ("status", "occurred"), ("ongoing", "1"))),
                "main",
            )
        for form in trigger.planned_forms:
            yield form, ("trigger", trigger.id, (*base, ("status", "planned"))), "main"
        for form in trigger.distributive_forms:
            distributive = (*base, ("status", "occurred"), ("distributive", "1"))
            yield form, ("trigger", trigger.id, distributive), "main"
        for form in trigger.earlier_forms:
            yield (
                form,
                ("trigger", trigger.id, (*base, ("status", "occurred"), ("earlier", "1"))),
                "main",
            )
        for form in trigger.anaphoric_forms:
            anaphor = (*base, ("status", "occurred"), ("nominal", "1"), ("anaphoric", "1"))
            yield form, ("trigger", trigger.id, anaphor), "main"
    for word, days in language.relative_days.items():
        yield word, ("reldate", str(days), ()), "main"
    for word in language.periods:
        yield word, ("period", word, ()), "main"
    for word, day in language.weekdays.items():
        yield word, ("weekday", str(day), ()), "main"
    for word, month in language.months.items():
        yield word, ("month", str(month), ()), "main"
    for word, month in language.hijri_months.items():
        yield word, ("hijri_month", str(month), ()), "main"
    for kind, words in (
        ("attendee", language.attendee_cues),
        ("attendee_after", language.attendee_cues_after),
        ("companion", language.companion_cues),
        ("counterpart", language.counterpart_words),
        ("pronoun", language.honorific_pronouns),
        ("both_sides", language.both_sides_words),
        ("planned", language.planned_cues),
        ("negation", language.negation_cues),
        ("boundary", language.clause_boundaries),
        ("side", language.side_cues),
        ("purpose", language.purpose_cues),
        ("purpose", language.setting_cues),
        ("negation_after", language.negation_cues_after),
        ("boilerplate", language.boilerplate),
        ("exclusion", language.exclusion_cues),
        ("ignore", language.ignore_phrases),
        ("honorific", language.honorifics),
    ):
        for word in words:
            yield word, (kind, word, ()), "main"


def _demonyms(entity: Entity, language: LanguageData) -> Iterator[str]:
    """Arabic inflects the nisba (dk:nisba) by the endings of its language data; other
    languages list their demonyms (dk:demonym) in full."""
    if language.nisba_suffixes != ("",):
        unmatched = set(entity.extra.get("unmatched", []))
        for nisba in (n for n in entity.extra.get("nisba", []) if n not in unmatched):
            for suffix in language.nisba_suffixes:
                form = nisba + suffix
                yield form
                if language.article:
                    yield language.article + form
    else:
        yield from entity.extra.get("demonym", [])


def _spellings(name: str, prefixes: tuple[str, ...]) -> list[str]:
    """A name as written, and with each joinable prefix joined to or split from the next word
    («عبد الله» / «عبدالله», «أبو ظبي» / «أبوظبي»)."""
    forms = [name]
    for prefix in prefixes:
        joined = re.sub(rf"(?<!\S){prefix} (?=\S)", prefix, name)
        split = re.sub(rf"(?<!\S){prefix}(?=ال)", prefix + " ", name)
        forms += [f for f in (joined, split) if f not in forms]
    return forms


def _plural_title(title: str, language: LanguageData) -> str | None:
    """ "Foreign Minister" → "Foreign Ministers", "Secretary of State" → "Secretaries of State":
    the head noun (before a preposition, else last) takes the language's plural ending."""
    if not language.title_plural_endings:
        return None
    words = title.split()
    head = next(
        (i - 1 for i, w in enumerate(words) if i and w.lower() in language.title_heads_before),
        len(words) - 1,
    )
    word = words[head]
    if not word[-1:].isalpha() or word.endswith("s"):
        return None
    for ending, plural in language.title_plural_endings:
        if word.endswith(ending):
            words[head] = word[: len(word) - len(ending)] + plural
            return " ".join(words)
    return None


def _is_acronym(written: str) -> bool:
    letters = [c for c in written if c.isalpha()]
    return 1 < len(letters) <= 5 and all(c.isupper() for c in letters) and written.isascii()


def _compile(
    reference: Reference, language: LanguageData, lang_tagged: dict[str, set[str]]
) -> tuple[ahocorasick.Automaton, ahocorasick.Automaton]:
    layers: dict[str, dict[str, list[Payload]]] = {"main": {}, "topics": {}}
    honorifics = {normalise_form(h) for h in language.honorifics}
    written_forms: dict[tuple[str, str, str], set[str]] = {}
    for written, payload, layer in _entries(reference, language):
        if layer == "topics" and written not in lang_tagged.get(language.lang, set()):
            continue
        surface = normalise_form(written)
        if not surface:
            continue
        kind, key, data = payload
        if _is_acronym(written) and layer == "main":
            data = (*data, ("case", "exact"), ("written", written))
        forms = [surface]
        article = language.article
        if (
            article
            and kind == "title"
            and not surface.startswith(article)
            and article + surface not in honorifics
        ):
            forms.append(article + surface)  # «مستشار» → «المستشار», not «الأمير» (honorific)
        if article:
            forms += [
                "ل" + form[1:]  # ل + ال → لل
                for form in list(forms)
                if form.startswith(article) and len(form) > 3
            ]
        for form in forms:
            bucket = layers[layer].setdefault(form, [])
            if (kind, key, data) not in bucket:
                bucket.append((kind, key, data))
            written_forms.setdefault((form, kind, key), set()).add(" ".join(written.split()))
    for surface, bucket in layers["main"].items():
        if len({(kind, key) for kind, key, _ in bucket}) > 1:
            # an ambiguous form («عمان»: Oman, Amman): keep how each reading is written, so
            # that diacritics in the text («عمّان») can choose
            layers["main"][surface] = [
                (
                    kind,
                    key,
                    (*data, ("written", "|".join(sorted(written_forms[surface, kind, key])))),
                )
                for kind, key, data in bucket
            ]
    automata = []
    for layer in ("main", "topics"):
        automaton = ahocorasick.Automaton()
        for surface, payloads in layers[layer].items():
            automaton.add_word(surface, (surface, payloads))
        if len(automaton):
            automaton.make_automaton()
        automata.append(automaton)
    return automata[0], automata[1]


def _fingerprint() -> str:
    digest = hashlib.sha256(__version__.encode())
    for path in [*reference_files(), *sorted((ONTOLOGY_DIR / "lang").glob("*.toml"))]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    code = ONTOLOGY_DIR.parent / "kg" / "lexicon.py"
    if code.exists():
        digest.update(code.read_bytes())
    return digest.hexdigest()[:20]


@cache
def load_reference() -> Reference:
    """The reference tables, from the on-disk cache when the data files have not changed."""
    path = CACHE_DIR / f"reference-{_fingerprint()}.pickle"
    if path.exists():
        try:
            with path.open("rb") as handle:
                cached = pickle.load(handle)
            if isinstance(cached, Reference):
                return cached
        except Exception:  # a damaged cache is rebuilt, never fatal
            pass
    reference = build_reference(load_graph(reference_files()))
    _write_cache(path, reference)
    return reference


def _write_cache(path: object, value: object) -> None:
    from pathlib import Path

    assert isinstance(path, Path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
        prefix = path.name.rsplit("-", 1)[0] + "-"
        for old in path.parent.glob(prefix + "*.pickle"):
            if old != path:  # caches of data files that have changed since
                old.unlink(missing_ok=True)
    except OSError:
        pass  # no writable cache: work without one


@cache
def load_lexicon(lang: str) -> Lexicon:
    """The compiled lexicon of one language (KeyError when the language has no data)."""
    language = load_language(lang)
    reference = load_reference()
    path = CACHE_DIR / f"lexicon-{lang}-{_fingerprint()}.pickle"
    automata = None
    if path.exists():
        try:
            with path.open("rb") as handle:
                automata = pickle.load(handle)
        except Exception:
            automata = None
    if automata is None:
        automata = _compile(reference, language, _topic_cues_by_lang())
        _write_cache(path, automata)
    main, topics = automata
    return Lexicon(lang, language, reference, main, topics)


@cache
def _topic_cues_by_lang() -> dict[str, set[str]]:
    """Which topic cue belongs to which language (read from the language tags in topics.ttl)."""
    from rdflib import Literal

    from kg.namespaces import DK

    graph = load_graph([p for p in reference_files() if p.name == "topics.ttl"])
    result: dict[str, set[str]] = {}
    for value in graph.objects(None, DK.cue):
        if isinstance(value, Literal) and value.language:
            result.setdefault(value.language, set()).add(str(value))
    return result
