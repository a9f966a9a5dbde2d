"""Score extracted events against gold annotations.

The rules are those of the "Scoring" section of the annotation guidelines
(``shared/gold/GUIDELINES.md``), so that ``kg eval`` figures mean the same thing everywhere:

* events of the same type are paired greedily, best first, by their *parties* (the
  participants' countries, or the organization of a participant without a country);
* participants are paired end to end inside paired events, by name for named persons and by
  country or organization for everybody else;
* role, status, place and date are accuracies over paired events (participants, for roles)
  where the gold gives a value; topics and concerns are precision/recall/F1 over paired events.

Gold articles are the dicts of the gold JSONL files; predictions follow the "events export"
contract: ``{"id": ARTICLE_ID, "events": [EVENT, ...]}`` per line.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

Event = dict[str, Any]
Party = tuple[str, str]  # ("country", "EG") or ("org", "arab league")

EVENT_TYPES = ("meeting", "visit", "call")

ORG_ALIASES: dict[str, str] = {
    "UN": "United Nations",
    "EU": "European Union",
    "GCC": "Gulf Cooperation Council",
    "Cooperation Council for the Arab States of the Gulf": "Gulf Cooperation Council",
    "League of Arab States": "Arab League",
    "OIC": "Organisation of Islamic Cooperation",
    "Organization of Islamic Cooperation": "Organisation of Islamic Cooperation",
    "MWL": "Muslim World League",
    "AU": "African Union",
    "NATO": "North Atlantic Treaty Organization",
    "IAEA": "International Atomic Energy Agency",
    "OPEC": "Organization of the Petroleum Exporting Countries",
}
"""An example alias table for ``org_aliases`` (alias -> canonical name). Not used by default."""


# --------------------------------------------------------------------------- results


@dataclass
class PRF:
    """Counts of a comparison; precision, recall and F1 derive from them so results can be
    summed. A measure with no gold item and no prediction is ``empty`` (reported as "–")."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int = 0, fp: int = 0, fn: int = 0) -> None:
        """Accumulate counts (called once per compared item or per article)."""
        self.tp += tp
        self.fp += fp
        self.fn += fn

    def merge(self, other: PRF) -> None:
        """Add another result's counts, to sum articles into a corpus score."""
        self.add(other.tp, other.fp, other.fn)

    @property
    def empty(self) -> bool:
        """True when there was nothing to find and nothing was predicted."""
        return self.tp == self.fp == self.fn == 0

    @property
    def precision(self) -> float:
        """tp / (tp + fp); 0.0 when nothing was predicted (check ``empty`` before reading)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        """tp / (tp + fn); 0.0 when there was nothing to find."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, float | int | None]:
        """Counts and ratios, for JSON output; ratios are None for an empty measure."""
        ratios = {"precision": self.precision, "recall": self.recall, "f1": self.f1}
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            **{k: None if self.empty else round(v, 4) for k, v in ratios.items()},
        }


@dataclass
class Accuracy:
    """Correct out of total; ``value`` is None when the gold never gave a value to judge."""

    correct: int = 0
    total: int = 0

    def record(self, ok: bool) -> None:
        """Count one judged item."""
        self.total += 1
        self.correct += int(ok)

    def merge(self, other: Accuracy) -> None:
        """Add another result's counts."""
        self.correct += other.correct
        self.total += other.total

    @property
    def value(self) -> float | None:
        """correct / total, or None when there was nothing to judge."""
        return self.correct / self.total if self.total else None

    def to_dict(self) -> dict[str, float | int | None]:
        """Counts and ratio, for JSON output."""
        value = self.value
        return {
            "correct": self.correct,
            "total": self.total,
            "accuracy": None if value is None else round(value, 4),
        }


def _type_prfs() -> dict[str, PRF]:
    return {t: PRF() for t in EVENT_TYPES}


@dataclass
class Scores:
    """All measures for a set of articles; per-article scores ``merge`` into corpus scores."""

    articles: int = 0
    events: PRF = field(default_factory=PRF)
    events_by_type: dict[str, PRF] = field(default_factory=_type_prfs)
    participants: PRF = field(default_factory=PRF)
    role: Accuracy = field(default_factory=Accuracy)
    status: Accuracy = field(default_factory=Accuracy)
    place_country: Accuracy = field(default_factory=Accuracy)
    place_city: Accuracy = field(default_factory=Accuracy)
    date: Accuracy = field(default_factory=Accuracy)
    topics: PRF = field(default_factory=PRF)
    concerns: PRF = field(default_factory=PRF)
    empty_articles: int = 0
    false_events_on_empty: int = 0

    @property
    def false_events_per_10_empty(self) -> float | None:
        """Predicted events per 10 articles whose gold has no event (None without such articles)."""
        if not self.empty_articles:
            return None
        return 10 * self.false_events_on_empty / self.empty_articles

    def merge(self, other: Scores) -> None:
        """Add another set of articles' counts into this one."""
        self.articles += other.articles
        for name in ("events", "participants", "topics", "concerns"):
            getattr(self, name).merge(getattr(other, name))
        for name in ("role", "status", "place_country", "place_city", "date"):
            getattr(self, name).merge(getattr(other, name))
        for etype, prf in other.events_by_type.items():
            self.events_by_type.setdefault(etype, PRF()).merge(prf)
        self.empty_articles += other.empty_articles
        self.false_events_on_empty += other.false_events_on_empty

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view with counts and ratios of every measure."""
        per10 = self.false_events_per_10_empty
        return {
            "articles": self.articles,
            "events": self.events.to_dict(),
            "events_by_type": {t: prf.to_dict() for t, prf in self.events_by_type.items()},
            "participants": self.participants.to_dict(),
            "role": self.role.to_dict(),
            "status": self.status.to_dict(),
            "place_country": self.place_country.to_dict(),
            "place_city": self.place_city.to_dict(),
            "date": self.date.to_dict(),
            "topics": self.topics.to_dict(),
            "concerns": self.concerns.to_dict(),
            "empty_articles": self.empty_articles,
            "false_events_on_empty": self.false_events_on_empty,
            "false_events_per_10_empty": None if per10 is None else round(per10, 4),
        }


# --------------------------------------------------------------------------- names

_AR_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_AR_LETTERS = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ی": "ي", "ک": "ك"}
)
_ARABIC_CHAR = re.compile("[\u0600-\u06ff]")
_LETTER_RUN = re.compile(r"[^\W\d_]+")

PARTICLES = frozenset(
    {
        "al",
        "el",
        "ad",
        "bin",
        "ben",
        "ibn",
        "bint",
        "de",
        "du",
        "des",
        "la",
        "le",
        "van",
        "von",
        "der",
        "of",
        "the",
        "بن",
        "بنت",
        "ابن",
    }
)
"""Name particles ignored when counting token overlap (they would make unrelated names share
half their tokens); they stay in ``normalise_name`` output and in containment checks."""


def _is_arabic(text: str) -> bool:
    return bool(_ARABIC_CHAR.search(text))


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise_name(text: str, lang: str) -> list[str]:
    """Tokens of a name, normalised so that spelling variants of one name compare equal.

    Arabic (``lang == "ar"`` or Arabic script): diacritics and tatweel removed, hamza forms of
    alef unified, ى → ي, ة → ه, a leading ال stripped from each token. Latin: casefolded,
    accents stripped, split on anything that is not a letter ("el-Sisi" → ["el", "sisi"]).
    """
    if not text:
        return []
    arabic = lang == "ar" or _is_arabic(text)
    if arabic:
        text = _AR_DIACRITICS.sub("", text).translate(_AR_LETTERS)
    text = _strip_accents(text.casefold())
    tokens = _LETTER_RUN.findall(text)
    if arabic:
        tokens = [_strip_article(tok) for tok in tokens]
    return tokens


def _strip_article(token: str) -> str:
    """Drop the Arabic article ال unless under three letters would remain (e.g. الله)."""
    if token.startswith("ال") and len(token) >= 5:
        return token[2:]
    return token


def name_similarity(a: str, b: str, lang: str = "en") -> float:
    """How well two names of one script match: 0.0 (no match) or a score in [0.5, 1.0].

    Token overlap is counted relative to the shorter name and ignores particles; a name whose
    letters are contained in the other's (spacing variants such as "Abdelfattah") also matches.
    """
    ta, tb = normalise_name(a, lang), normalise_name(b, lang)
    if not ta or not tb:
        return 0.0
    ca = {t for t in ta if t not in PARTICLES} or set(ta)
    cb = {t for t in tb if t not in PARTICLES} or set(tb)
    overlap = len(ca & cb) / min(len(ca), len(cb))
    if overlap >= 0.5:
        return overlap
    ja, jb = "".join(ta), "".join(tb)
    short, long = sorted((ja, jb), key=len)
    if len(short) >= 4 and short in long:
        return 0.5
    return 0.0


def names_match(a: str, b: str, lang: str = "en") -> bool:
    """True when two names of one script denote the same entity by the guidelines' rule."""
    return name_similarity(a, b, lang) > 0.0


class OrgMatcher:
    """Compares organization names: normalised equality, aliases, or one inside the other."""

    def __init__(self, aliases: Mapping[str, str] | None = None) -> None:
        self._aliases = {self._norm(k): self._norm(v) for k, v in (aliases or {}).items()}

    @staticmethod
    def _norm(name: str) -> str:
        return " ".join(normalise_name(name, "en"))

    def canonical(self, name: str) -> str:
        """The normalised name, mapped through the alias table."""
        norm = self._norm(name)
        return self._aliases.get(norm, norm)

    def same(self, a: str | None, b: str | None) -> bool:
        """True when both names are given and denote the same organization."""
        if not a or not b:
            return False
        ca, cb = self.canonical(a), self.canonical(b)
        if not ca or not cb:
            return False
        return ca == cb or f" {ca} " in f" {cb} " or f" {cb} " in f" {ca} "


# --------------------------------------------------------------------------- field access


def _upper(code: Any) -> str | None:
    return code.strip().upper() if isinstance(code, str) and code.strip() else None


def _gold_orgs(p: Mapping[str, Any]) -> list[str]:
    """Organization names of a gold participant (its org, or its own name if it is one)."""
    names = [p.get("org_en")]
    if p.get("kind") == "organization":
        names.append(p.get("name_en"))
    return [n for n in names if isinstance(n, str) and n]


def _pred_orgs(p: Mapping[str, Any]) -> list[str]:
    """Organization names of a predicted participant (its org, or its labels if it is one)."""
    names = [p.get("org")]
    if p.get("kind") == "organization":
        names.append(p.get("label"))
        names.extend((p.get("labels") or {}).values())
    return [n for n in names if isinstance(n, str) and n and not _is_arabic(n)]


def _party(country: Any, orgs: list[str], matcher: OrgMatcher) -> Party | None:
    code = _upper(country)
    if code:
        return ("country", code)
    if orgs:
        return ("org", matcher.canonical(orgs[0]))
    return None


def _gold_party(p: Mapping[str, Any], matcher: OrgMatcher) -> Party | None:
    return _party(p.get("country"), _gold_orgs(p), matcher)


def _pred_party(p: Mapping[str, Any], matcher: OrgMatcher) -> Party | None:
    return _party(p.get("country"), _pred_orgs(p), matcher)


def _participants(event: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [p for p in event.get("participants") or [] if isinstance(p, dict)]


def _parties(
    event: Mapping[str, Any],
    party_of: Callable[[Mapping[str, Any], OrgMatcher], Party | None],
    matcher: OrgMatcher,
    role: str | None = None,
) -> set[Party]:
    """The event's parties, optionally only those of participants in one role."""
    found = set()
    for p in _participants(event):
        if role is not None and p.get("role") != role:
            continue
        party = party_of(p, matcher)
        if party is not None:
            found.add(party)
    return found


def _shared_parties(gold: set[Party], pred: set[Party], matcher: OrgMatcher) -> int:
    """Parties in common: countries by code, organizations one-to-one by ``OrgMatcher``."""
    shared = len({x for k, x in gold if k == "country"} & {x for k, x in pred if k == "country"})
    free = [x for k, x in pred if k == "org"]
    for _, g in sorted(p for p in gold if p[0] == "org"):
        hit = next((x for x in free if matcher.same(g, x)), None)
        if hit is not None:
            free.remove(hit)
            shared += 1
    return shared


# --------------------------------------------------------------------------- participants


def _gold_names(p: Mapping[str, Any]) -> dict[str, str]:
    """The gold person's names by script ("ar" for Arabic, "latin" for the English name)."""
    names = {}
    if p.get("name_ar"):
        names["ar"] = str(p["name_ar"])
    if p.get("name_en"):
        names["latin"] = str(p["name_en"])
    return names


def _pred_names(p: Mapping[str, Any], lang: str) -> dict[str, list[str]]:
    """The predicted participant's names by script: ``labels[ar]``; ``labels[en]`` (and
    ``labels[fr]``, first for French articles); ``label`` fills a script with no labels."""
    labels = p.get("labels") or {}
    latin_langs = ("fr", "en") if lang == "fr" else ("en", "fr")
    names: dict[str, list[str]] = {
        "ar": [labels["ar"]] if labels.get("ar") else [],
        "latin": [labels[k] for k in latin_langs if labels.get(k)],
    }
    label = p.get("label")
    if isinstance(label, str) and label:
        script = "ar" if _is_arabic(label) else "latin"
        if not names[script]:
            names[script].append(label)
    return names


def _person_name_score(gold: Mapping[str, Any], pred: Mapping[str, Any], lang: str) -> float:
    """Best same-script name similarity between a named gold person and a predicted person."""
    if pred.get("kind") != "person":
        return 0.0
    pred_names = _pred_names(pred, lang)
    best = 0.0
    for script, gold_name in _gold_names(gold).items():
        script_lang = "ar" if script == "ar" else "en"
        for name in pred_names[script]:
            best = max(best, name_similarity(gold_name, name, script_lang))
    return best


def _is_named_person(p: Mapping[str, Any]) -> bool:
    return p.get("kind") == "person" and bool(_gold_names(p))


def _same_side(gold: Mapping[str, Any], pred: Mapping[str, Any], matcher: OrgMatcher) -> bool:
    """Gold participant without a usable name ↔ predicted one: same country or organization."""
    country = _upper(gold.get("country"))
    if country and country == _upper(pred.get("country")):
        return True
    return any(matcher.same(g, p) for g in _gold_orgs(gold) for p in _pred_orgs(pred))


def _greedy(candidates: Sequence[tuple[tuple[float, ...], int, int]]) -> list[tuple[int, int]]:
    """One-to-one pairs, best key first; ties go to the earlier gold, then predicted item."""
    ranked = sorted(candidates, key=lambda c: (tuple(-k for k in c[0]), c[1], c[2]))
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs = []
    for _, gi, pi in ranked:
        if gi not in used_gold and pi not in used_pred:
            used_gold.add(gi)
            used_pred.add(pi)
            pairs.append((gi, pi))
    return sorted(pairs)


def pair_participants(
    gold: Sequence[Mapping[str, Any]],
    pred: Sequence[Mapping[str, Any]],
    lang: str,
    matcher: OrgMatcher | None = None,
) -> list[tuple[int, int]]:
    """Pair the participants of two paired events (indices into ``gold`` and ``pred``).

    Named gold persons go first and pair only by name; the other gold participants then pair
    by country or organization with the predicted participants left over, preferring the same
    kind and role.
    """
    matcher = matcher or OrgMatcher()
    named = [
        ((score,), gi, pi)
        for gi, g in enumerate(gold)
        if _is_named_person(g)
        for pi, p in enumerate(pred)
        if (score := _person_name_score(g, p, lang)) > 0
    ]
    pairs = _greedy(named)
    taken = {pi for _, pi in pairs}
    rest = [
        ((float(g.get("kind") == p.get("kind")), float(g.get("role") == p.get("role"))), gi, pi)
        for gi, g in enumerate(gold)
        if not _is_named_person(g)
        for pi, p in enumerate(pred)
        if pi not in taken and _same_side(g, p, matcher)
    ]
    return sorted(pairs + _greedy(rest))


# --------------------------------------------------------------------------- events


def _jaccard(shared: int, a: int, b: int) -> float:
    union = a + b - shared
    return shared / union if union else 0.0


def _destination(event: Mapping[str, Any]) -> str | None:
    place = event.get("place")
    return _upper(place.get("country")) if isinstance(place, dict) else None


def _evidence_text(evidence: Any) -> str:
    """Gold evidence is a string; predicted evidence a list of spans with ``text``."""
    if isinstance(evidence, str):
        return evidence
    if isinstance(evidence, list):
        parts = [e.get("text", "") if isinstance(e, dict) else str(e) for e in evidence]
        return " ".join(p for p in parts if p)
    return ""


def _evidence_overlap(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> float:
    """Token Jaccard of the evidence passages (gold has no offsets to compare spans)."""
    g = set(normalise_name(_evidence_text(gold.get("evidence")), ""))
    p = set(normalise_name(_evidence_text(pred.get("evidence")), ""))
    return len(g & p) / len(g | p) if g | p else 0.0


def _name_overlap(gold: Mapping[str, Any], pred: Mapping[str, Any], lang: str) -> float:
    """Share of the gold event's named persons that some predicted person matches by name."""
    named = [g for g in _participants(gold) if _is_named_person(g)]
    if not named:
        return 0.0
    preds = _participants(pred)
    hits = sum(1 for g in named if any(_person_name_score(g, p, lang) > 0 for p in preds))
    return hits / len(named)


def pair_key(
    gold: Mapping[str, Any],
    pred: Mapping[str, Any],
    lang: str,
    matcher: OrgMatcher | None = None,
) -> tuple[float, float, float] | None:
    """Whether two events may pair, and how well: (party Jaccard, name overlap, evidence
    overlap), or None when the guidelines' conditions for a pair are not met."""
    matcher = matcher or OrgMatcher()
    etype = gold.get("type")
    if etype != pred.get("type"):
        return None
    g_parties = _parties(gold, _gold_party, matcher)
    p_parties = _parties(pred, _pred_party, matcher)
    shared = _shared_parties(g_parties, p_parties, matcher)
    jaccard = _jaccard(shared, len(g_parties), len(p_parties))
    if etype == "visit":
        g_guests = _parties(gold, _gold_party, matcher, role="guest")
        p_guests = _parties(pred, _pred_party, matcher, role="guest")
        destination = _destination(gold)
        if not _shared_parties(g_guests, p_guests, matcher):
            return None
        if destination is None or destination != _destination(pred):
            return None
    else:
        needed = min(2, len(g_parties))
        if needed == 0 or shared < needed or jaccard < 0.5:
            return None
    return (jaccard, _name_overlap(gold, pred, lang), _evidence_overlap(gold, pred))


def pair_events(
    gold: Sequence[Mapping[str, Any]],
    pred: Sequence[Mapping[str, Any]],
    lang: str,
    matcher: OrgMatcher | None = None,
) -> list[tuple[int, int]]:
    """Pair an article's gold and predicted events greedily, best ``pair_key`` first."""
    matcher = matcher or OrgMatcher()
    candidates = [
        (key, gi, pi)
        for gi, g in enumerate(gold)
        for pi, p in enumerate(pred)
        if (key := pair_key(g, p, lang, matcher)) is not None
    ]
    return _greedy(candidates)


# --------------------------------------------------------------------------- attributes


def _city_correct(gold_place: Mapping[str, Any], pred_place: Any) -> bool:
    """Compare gold city_en with labels[en] and city_ar with labels[ar]; every comparison that
    both sides allow must match (``label`` stands in when the prediction has neither)."""
    if not isinstance(pred_place, dict):
        return False
    labels = dict(pred_place.get("labels") or {})
    label = pred_place.get("label")
    if not labels.get("en") and not labels.get("ar") and isinstance(label, str) and label:
        labels["ar" if _is_arabic(label) else "en"] = label
    checks = [
        names_match(str(gold_place[gkey]), str(labels[lang]), lang)
        for gkey, lang in (("city_en", "en"), ("city_ar", "ar"))
        if gold_place.get(gkey) and labels.get(lang)
    ]
    return bool(checks) and all(checks)


def _score_attributes(gold: Mapping[str, Any], pred: Mapping[str, Any], scores: Scores) -> None:
    """Status, place and date accuracies of one paired event, where the gold gives a value."""
    if gold.get("status"):
        scores.status.record(pred.get("status") == gold["status"])
    place = gold.get("place")
    if isinstance(place, dict):
        if _upper(place.get("country")):
            scores.place_country.record(_destination(pred) == _upper(place.get("country")))
        if place.get("city_en") or place.get("city_ar"):
            scores.place_city.record(_city_correct(place, pred.get("place")))
    if gold.get("date"):
        scores.date.record(pred.get("date") == gold["date"])


def _score_sets(gold: Iterable[Any], pred: Iterable[Any], prf: PRF, upper: bool = False) -> None:
    """Set precision/recall counts of topics or concerns of one paired event."""
    norm = _upper if upper else (lambda x: x if isinstance(x, str) and x else None)
    g = {v for v in map(norm, gold) if v}
    p = {v for v in map(norm, pred) if v}
    prf.add(tp=len(g & p), fp=len(p - g), fn=len(g - p))


def _score_pair(
    gold: Mapping[str, Any],
    pred: Mapping[str, Any],
    lang: str,
    matcher: OrgMatcher,
    scores: Scores,
) -> None:
    """Participants, roles, attributes and topic/concern sets of one paired event."""
    g_parts, p_parts = _participants(gold), _participants(pred)
    pairs = pair_participants(g_parts, p_parts, lang, matcher)
    scores.participants.add(
        tp=len(pairs), fp=len(p_parts) - len(pairs), fn=len(g_parts) - len(pairs)
    )
    for gi, pi in pairs:
        if g_parts[gi].get("role"):
            scores.role.record(p_parts[pi].get("role") == g_parts[gi]["role"])
    _score_attributes(gold, pred, scores)
    _score_sets(gold.get("topics") or [], pred.get("topics") or [], scores.topics)
    _score_sets(gold.get("concerns") or [], pred.get("concerns") or [], scores.concerns, True)


def score_article(
    article: Mapping[str, Any],
    predicted: Sequence[Mapping[str, Any]],
    matcher: OrgMatcher | None = None,
) -> Scores:
    """Scores of one gold article against its predicted events."""
    matcher = matcher or OrgMatcher()
    lang = str(article.get("lang") or "")
    gold_events = [e for e in article.get("events") or [] if isinstance(e, dict)]
    pred_events = [e for e in predicted if isinstance(e, dict)]
    scores = Scores(articles=1)
    pairs = pair_events(gold_events, pred_events, lang, matcher)
    paired_gold = {gi for gi, _ in pairs}
    paired_pred = {pi for _, pi in pairs}

    for gi, pi in pairs:
        scores.events.add(tp=1)
        scores.events_by_type.setdefault(str(gold_events[gi].get("type")), PRF()).add(tp=1)
        _score_pair(gold_events[gi], pred_events[pi], lang, matcher, scores)
    for gi, event in enumerate(gold_events):
        if gi not in paired_gold:
            scores.events.add(fn=1)
            scores.events_by_type.setdefault(str(event.get("type")), PRF()).add(fn=1)
            scores.participants.add(fn=len(_participants(event)))
    for pi, event in enumerate(pred_events):
        if pi not in paired_pred:
            scores.events.add(fp=1)
            scores.events_by_type.setdefault(str(event.get("type")), PRF()).add(fp=1)
            scores.participants.add(fp=len(_participants(event)))

    if not gold_events:
        scores.empty_articles = 1
        scores.false_events_on_empty = len(pred_events)
    return scores


def score(
    gold: Sequence[Mapping[str, Any]],
    predicted: Mapping[str, Sequence[Mapping[str, Any]]],
    org_aliases: Mapping[str, str] | None = None,
) -> Scores:
    """Score predictions (article id -> events) against gold articles.

    A gold article missing from ``predicted`` counts as predicted with no events; predicted
    articles absent from the gold are ignored. ``org_aliases`` maps alias -> canonical name.
    """
    matcher = OrgMatcher(org_aliases)
    total = Scores()
    for article in gold:
        total.merge(score_article(article, predicted.get(str(article.get("id")), []), matcher))
    return total


def score_by_lang(
    gold: Sequence[Mapping[str, Any]],
    predicted: Mapping[str, Sequence[Mapping[str, Any]]],
    org_aliases: Mapping[str, str] | None = None,
) -> dict[str, Scores]:
    """Scores per article language, plus "all" (first) over every article."""
    langs = sorted({str(a.get("lang") or "") for a in gold})
    result = {"all": score(gold, predicted, org_aliases)}
    for lang in langs:
        subset = [a for a in gold if str(a.get("lang") or "") == lang]
        result[lang or "?"] = score(subset, predicted, org_aliases)
    return result


# --------------------------------------------------------------------------- report


def _fmt_prf(prf: PRF) -> str:
    if prf.empty:
        return "–"
    return f"P {prf.precision:.2f}  R {prf.recall:.2f}  F1 {prf.f1:.2f}"


def _fmt_acc(acc: Accuracy) -> str:
    value = acc.value
    return "–" if value is None else f"{value:.2f} ({acc.correct}/{acc.total})"


def _report_rows(s: Scores) -> list[tuple[str, str]]:
    """The (measure, cell) rows of one column of the report."""
    per10 = s.false_events_per_10_empty
    rows = [("articles", str(s.articles)), ("events", _fmt_prf(s.events))]
    rows += [(f"  {t}", _fmt_prf(prf)) for t, prf in s.events_by_type.items()]
    rows += [
        ("participants", _fmt_prf(s.participants)),
        ("role accuracy", _fmt_acc(s.role)),
        ("status accuracy", _fmt_acc(s.status)),
        ("place country accuracy", _fmt_acc(s.place_country)),
        ("place city accuracy", _fmt_acc(s.place_city)),
        ("date accuracy", _fmt_acc(s.date)),
        ("topics", _fmt_prf(s.topics)),
        ("concerns", _fmt_prf(s.concerns)),
        ("articles without gold events", str(s.empty_articles)),
        (
            "false events there (per 10)",
            f"{s.false_events_on_empty} ({'–' if per10 is None else f'{per10:.1f}'})",
        ),
    ]
    return rows


def format_report(scores: Scores, by_lang: Mapping[str, Scores] | None = None) -> Table:
    """A rich table with one column for all articles and one per language if ``by_lang``."""
    columns = [("all", scores)]
    columns += [(lang, s) for lang, s in (by_lang or {}).items() if lang != "all"]
    table = Table(title="Extraction scores against gold")
    table.add_column("measure")
    for name, _ in columns:
        table.add_column(name, justify="right")
    cells = [_report_rows(s) for _, s in columns]
    for i, (measure, _) in enumerate(cells[0]):
        table.add_row(measure, *(col[i][1] for col in cells))
    return table


def render_report(scores: Scores, by_lang: Mapping[str, Scores] | None = None) -> str:
    """The report table as plain text, for logs and files."""
    out = StringIO()
    Console(file=out, width=160, no_color=True).print(format_report(scores, by_lang))
    return out.getvalue()


# --------------------------------------------------------------------------- files


def _read_jsonl(path: str | Path) -> Iterable[tuple[int, dict[str, Any]]]:
    """(line number, object) of each non-blank line; ValueError naming the line otherwise."""
    with Path(path).open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}, line {lineno}: invalid JSON: {exc.msg}") from exc
            if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
                raise ValueError(f"{path}, line {lineno}: expected an object with a string 'id'")
            if not isinstance(obj.get("events", []), list):
                raise ValueError(f"{path}, line {lineno}: 'events' must be a list")
            yield lineno, obj


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    """Gold articles from a JSONL file."""
    return [obj for _, obj in _read_jsonl(path)]


def load_predictions(path: str | Path) -> dict[str, list[dict[str, Any]]]:
    """Predicted events by article id from an events-export JSONL file."""
    result: dict[str, list[dict[str, Any]]] = {}
    for lineno, obj in _read_jsonl(path):
        if obj["id"] in result:
            raise ValueError(f"{path}, line {lineno}: duplicate article id {obj['id']!r}")
        result[obj["id"]] = list(obj.get("events") or [])
    return result


# --------------------------------------------------------------------------- gold → predicted


def _labels(name_ar: Any, name_en: Any, lang: str) -> dict[str, str]:
    labels = {}
    if name_ar:
        labels["ar"] = str(name_ar)
    if name_en:
        labels["en"] = str(name_en)
        if lang == "fr":
            labels["fr"] = str(name_en)
    return labels


def _label(labels: Mapping[str, str], lang: str, fallback: str) -> str:
    return labels.get(lang) or labels.get("en") or labels.get("ar") or fallback


def _gold_participant_to_predicted(p: Mapping[str, Any], lang: str) -> dict[str, Any]:
    labels = _labels(p.get("name_ar"), p.get("name_en"), lang)
    fallback = p.get("title_en") or p.get("country") or p.get("org_en") or ""
    return {
        "kind": p.get("kind"),
        "label": _label(labels, lang, str(fallback)),
        "labels": labels,
        "title": p.get("title_en"),
        "country": p.get("country"),
        "org": p.get("org_en"),
        "role": p.get("role"),
        "wikidata": None,
    }


def _gold_place_to_predicted(place: Any, lang: str) -> dict[str, Any] | None:
    if not isinstance(place, dict):
        return None
    labels = _labels(place.get("city_ar"), place.get("city_en"), lang)
    return {
        "label": _label(labels, lang, str(place.get("country") or "")),
        "labels": labels,
        "country": place.get("country"),
    }


def _gold_evidence_to_predicted(evidence: Any, text: str | None) -> list[dict[str, Any]]:
    passage = _evidence_text(evidence)
    if not passage:
        return []
    start = text.find(passage) if text else -1
    start = max(start, 0)
    return [{"start": start, "end": start + len(passage), "text": passage}]


def gold_to_predicted(
    event: Mapping[str, Any],
    lang: str,
    event_id: str | None = None,
    text: str | None = None,
) -> dict[str, Any]:
    """A gold event in the events-export format, e.g. to check a pipeline or the scorer.

    ``text`` (the article) lets evidence offsets be located; ``event_id`` defaults to a stable
    IRI derived from the event's content.
    """
    if event_id is None:
        digest = hashlib.sha1(json.dumps(event, sort_keys=True, ensure_ascii=False).encode())
        event_id = f"urn:gold:event:{digest.hexdigest()[:16]}"
    return {
        "id": event_id,
        "type": event.get("type"),
        "status": event.get("status"),
        "date": event.get("date"),
        "place": _gold_place_to_predicted(event.get("place"), lang),
        "participants": [_gold_participant_to_predicted(p, lang) for p in _participants(event)],
        "topics": list(event.get("topics") or []),
        "concerns": list(event.get("concerns") or []),
        "evidence": _gold_evidence_to_predicted(event.get("evidence"), text),
        "confidence": 1.0,
    }


def gold_to_predictions(gold: Sequence[Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Every gold article's events in the predicted format, keyed by article id."""
    result = {}
    for article in gold:
        lang = str(article.get("lang") or "")
        text = article.get("text")
        result[str(article.get("id"))] = [
            gold_to_predicted(e, lang, f"urn:gold:{article.get('id')}:{i}", text)
            for i, e in enumerate(article.get("events") or [])
        ]
    return result
