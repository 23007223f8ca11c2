"""Duplicate candidates: concerns of the same kind nearby and recent, ranked by text and distance.

A candidate is an open concern of the same category, or of a related one that people report the
same thing under (dog waste as cleanliness or as a dog owner's offence), within a radius and a time
window that depend on the category (a person in need moves on within hours, a scrap car stays for
weeks; default 150 m and 14 days), from any channel: desk, web, e-mail, Open311.

Candidates are ranked by a score from 0 to 1 that weighs three things a clerk looks at:

- how alike the texts are (`classify.similarity`: character n-gram TF-IDF cosine; a cosine of
  TEXT_SATURATION or more counts fully, since two people never describe a thing in the same words),
- how close the places are, relative to the category's radius,
- how close the times are, relative to the category's window,

with weights 0.4, 0.4 and 0.2, less RELATED_PENALTY when the categories are only related. Without
a text on either side the text counts half. A candidate scoring LIKELY or more is "probably the same
matter": the public form shows only those, the desk and the case page show all candidates and mark
them. The weights were set from these considerations before the evaluation set
(data/duplicates_eval.jsonl, see data/duplicates_eval.md) was measured; `duplicates_evaluate`
measures precision and recall on it.

A partner's number settles it: a concern that names the number under which the reporter already
reported it to a partner (`Concern.partner_reference`, e.g. maak-et.de's service_request_id) is the
same matter as a concern that names the same number, or whose forward the partner took under that
number (`Forward.partner_request_id`). Such a concern is the top candidate whatever its distance,
time or text (score 1), and is found even without a category or a point.

The lookup is one query: category (or the related categories, by a subquery), open status, time
window and a bounding box of the radius on lat/lon, newest first, at most SCAN_LIMIT rows; exact
distances and text similarities in Python on the few rows inside the radius. On PostgreSQL with
1,000,000 concerns it reads the window of the category from concern_category_time_idx (or the open
concerns from concern_unit_open_idx) and filters the box on the rows; a partial index on
(category, lat, lon) of the open concerns would read the box from the index alone
(bench/bench_dedup.py measures both).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.utils import timezone

from kontaktpunkt.classify.similarity import cosine, similarity_model
from kontaktpunkt.classify.taxonomy import taxonomy_load
from kontaktpunkt.intake.models import OPEN_STATUSES, Category, Concern, Field, Status

METRES_PER_DEGREE = 111_320.0
EARTH_RADIUS_M = 6_371_008.8
# At most this many rows of the categories, window and box are read (newest first) …
SCAN_LIMIT = 500
# … and of those inside the radius, the nearest this many are compared by text.
TEXT_LIMIT = 60

WEIGHT_TEXT = 0.4
WEIGHT_PLACE = 0.4
WEIGHT_TIME = 0.2
TEXT_SATURATION = 0.35
RELATED_PENALTY = 0.1
NO_TEXT = 0.5
LIKELY = 0.5

EVAL_PATH = Path(__file__).resolve().parent / "data" / "duplicates_eval.jsonl"
EVAL_TIME_ZONE = ZoneInfo("Europe/Berlin")


@dataclass(frozen=True)
class DuplicateRule:
    radius_m: float
    window: timedelta


DEFAULT_RULE = DuplicateRule(radius_m=150.0, window=timedelta(days=14))

# Per field, where the field's matters behave alike.
FIELD_RULES: dict[str, DuplicateRule] = {
    Field.SECURITY: DuplicateRule(radius_m=150.0, window=timedelta(days=3)),
    Field.SOCIAL: DuplicateRule(radius_m=250.0, window=timedelta(days=2)),
}

# Per category code, where a kind differs from its field.
CATEGORY_RULES: dict[str, DuplicateRule] = {
    "social-sleeping-rough": DuplicateRule(radius_m=150.0, window=timedelta(days=7)),
    "order-encampment": DuplicateRule(radius_m=150.0, window=timedelta(days=30)),
    "cleanliness-street-lighting": DuplicateRule(radius_m=60.0, window=timedelta(days=30)),
    "cleanliness-traffic-lights": DuplicateRule(radius_m=60.0, window=timedelta(days=14)),
    "cleanliness-road-damage": DuplicateRule(radius_m=50.0, window=timedelta(days=60)),
    "cleanliness-scrap-vehicles": DuplicateRule(radius_m=80.0, window=timedelta(days=60)),
    "cleanliness-scrap-bicycles": DuplicateRule(radius_m=80.0, window=timedelta(days=60)),
    "cleanliness-illegal-dumping": DuplicateRule(radius_m=100.0, window=timedelta(days=21)),
    "cleanliness-graffiti": DuplicateRule(radius_m=50.0, window=timedelta(days=30)),
}

# Kinds that people report under either name; a code is related to every member of its groups.
RELATED_CATEGORIES: tuple[frozenset[str], ...] = (
    frozenset({"cleanliness-dog-waste", "order-dog-fouling"}),
    frozenset({"order-public-drinking", "order-drinking-group"}),
    frozenset({"order-aggressive-begging", "social-begging-need"}),
    frozenset({"order-encampment", "social-sleeping-rough"}),
    frozenset({"cleanliness-playgrounds", "order-playground-misuse"}),
    frozenset(
        {
            "cleanliness-litter",
            "cleanliness-illegal-dumping",
            "cleanliness-litter-bins",
            "cleanliness-street-cleaning",
            "cleanliness-broken-glass",
        }
    ),
    frozenset({"cleanliness-illegal-dumping", "cleanliness-containers"}),
    frozenset({"social-sleeping-rough", "social-cold-weather", "social-person-in-need"}),
    frozenset({"social-person-in-need", "social-intoxicated", "social-mental-crisis"}),
    frozenset({"security-drug-scene", "security-drug-dealing"}),
    frozenset({"security-aggression", "security-fight", "security-harassment"}),
    frozenset({"security-dangerous-dog", "order-dogs-off-leash"}),
    frozenset({"order-noise", "order-car-posers", "security-night-disorder"}),
    frozenset({"security-vandalism", "cleanliness-graffiti"}),
    frozenset({"order-parking-footpath", "order-blocked-access"}),
    frozenset({"cleanliness-scrap-bicycles", "order-e-scooters"}),
    frozenset({"cleanliness-parks", "cleanliness-trees"}),
)


def rule_for(*, code: str, field: str) -> DuplicateRule:
    """The radius and time window of a category, by its code and field."""
    return CATEGORY_RULES.get(code) or FIELD_RULES.get(field) or DEFAULT_RULE


def duplicate_rule(category: Category) -> DuplicateRule:
    """The radius and time window in which a concern of `category` counts as a possible duplicate."""
    return rule_for(code=category.code, field=category.field)


def related_codes(code: str) -> set[str]:
    """The codes of categories that count as the same kind as `code` (itself included)."""
    related = {code}
    for group in RELATED_CATEGORIES:
        if code in group:
            related |= group
    return related


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


# --------------------------------------------------------------------------- scoring (pure)


@dataclass(frozen=True)
class Match:
    """How an earlier concern matches a new one, inside the new one's rule."""

    distance_m: float | None  # None when either has no point (only for a partner's number)
    gap: timedelta
    similarity: float | None  # None when either text is empty
    same_category: bool
    rule: DuplicateRule
    partner_reference: str = ""  # the partner's number both name: the same matter

    @property
    def score(self) -> float:
        return match_score(self)

    @property
    def likely(self) -> bool:
        return self.score >= LIKELY


def match_score(match: Match) -> float:
    """0 … 1: text, place and time weighed as the module says; 1 for the same partner's number."""
    if match.partner_reference:
        return 1.0
    text = NO_TEXT if match.similarity is None else min(1.0, match.similarity / TEXT_SATURATION)
    distance = match.rule.radius_m if match.distance_m is None else match.distance_m
    place = 1.0 - min(1.0, distance / match.rule.radius_m)
    when = 1.0 - min(1.0, abs(match.gap) / match.rule.window)
    score = WEIGHT_TEXT * text + WEIGHT_PLACE * place + WEIGHT_TIME * when
    return round(max(0.0, score - (0.0 if match.same_category else RELATED_PENALTY)), 4)


def texts_similarity(a: str, b: str) -> float | None:
    """The cosine of two texts, or None when either has no words."""
    model = similarity_model()
    first, second = model.vector(a), model.vector(b)
    return cosine(first, second) if first and second else None


@dataclass(frozen=True)
class Report:
    """A concern as the matching sees it (pure data: a stored concern or a new one)."""

    text: str
    code: str
    field: str
    lat: float
    lon: float
    at: datetime


def report_match(new: Report, earlier: Report) -> Match | None:
    """How `earlier` matches `new` under the new one's rule, or None outside it."""
    if earlier.code not in related_codes(new.code):
        return None
    rule = rule_for(code=new.code, field=new.field)
    distance = distance_m(new.lat, new.lon, earlier.lat, earlier.lon)
    gap = new.at - earlier.at
    if distance > rule.radius_m or abs(gap) > rule.window:
        return None
    return Match(
        distance_m=distance,
        gap=gap,
        similarity=texts_similarity(new.text, earlier.text),
        same_category=earlier.code == new.code,
        rule=rule,
    )


# --------------------------------------------------------------------------- the lookup


@dataclass(frozen=True)
class DuplicateCandidate:
    concern: Concern
    match: Match

    @property
    def distance_m(self) -> float:
        """Metres; infinite when either concern has no point."""
        return math.inf if self.match.distance_m is None else self.match.distance_m

    @property
    def same_partner_request(self) -> bool:
        return bool(self.match.partner_reference)

    @property
    def score(self) -> float:
        return self.match.score

    @property
    def likely(self) -> bool:
        return self.match.likely

    @property
    def distance_label(self) -> str:
        """Metres, rounded to 5 m (a point on a map is not more exact than that)."""
        if self.match.distance_m is None:
            return "\u2013"
        return f"{round(self.match.distance_m / 5) * 5} m"

    @property
    def score_percent(self) -> int:
        return round(self.score * 100)


@dataclass(frozen=True)
class DuplicateQuery:
    """A new (or the current) concern whose duplicates are looked for."""

    category: Category
    lat: float
    lon: float
    text: str = ""
    at: datetime | None = None  # default: now
    exclude_pk: int | None = None  # the concern itself, on its case page
    later_too: bool = False  # also concerns reported after `at` (the case page)
    partner_reference: str = ""  # the partner's number the reporter gave


def duplicate_candidates(
    *,
    category: Category,
    lat: float,
    lon: float,
    text: str = "",
    among: QuerySet[Concern] | None = None,
    now: datetime | None = None,
    limit: int = 5,
    likely_only: bool = False,
    partner_reference: str = "",
) -> list[DuplicateCandidate]:
    """Open concerns of the same kind within the category's radius and window, best first; those
    that name the same partner's number before all others.

    `among` restricts the search (pass the concerns the person may see); default: all concerns.
    """
    query = DuplicateQuery(
        category=category, lat=lat, lon=lon, text=text, at=now, partner_reference=partner_reference
    )
    return duplicate_candidates_for(query, among=among, limit=limit, likely_only=likely_only)


def duplicate_candidates_of(
    concern: Concern, *, among: QuerySet[Concern] | None = None, limit: int = 5
) -> list[DuplicateCandidate]:
    """Open concerns that may be the same matter as a recorded one, reported before or after it."""
    if concern.category is None or concern.lat is None or concern.lon is None:
        return partner_candidates(
            partner_reference=concern.partner_reference,
            category=concern.category,
            lat=concern.lat,
            lon=concern.lon,
            at=concern.reported_at,
            among=among,
            exclude_pk=concern.pk,
        )[:limit]
    query = DuplicateQuery(
        category=concern.category,
        lat=concern.lat,
        lon=concern.lon,
        text=concern.description,
        at=concern.reported_at,
        exclude_pk=concern.pk,
        later_too=True,
        partner_reference=concern.partner_reference,
    )
    return duplicate_candidates_for(query, among=among, limit=limit)


def partner_candidates(
    *,
    partner_reference: str,
    category: Category | None = None,
    lat: float | None = None,
    lon: float | None = None,
    at: datetime | None = None,
    among: QuerySet[Concern] | None = None,
    exclude_pk: int | None = None,
) -> list[DuplicateCandidate]:
    """Concerns (of any status but duplicate) that name the same partner's number, or whose
    forward the partner took under it; the earliest first."""
    if not partner_reference:
        return []
    forwarded = Concern.objects.filter(forwards__partner_request_id=partner_reference).values("pk")
    rows = (among if among is not None else Concern.objects.all()).filter(
        Q(partner_reference=partner_reference) | Q(pk__in=forwarded)
    )
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    rows = rows.exclude(status=Status.DUPLICATE).select_related("category")
    moment = at or timezone.now()
    rule = duplicate_rule(category) if category is not None else DEFAULT_RULE
    return [
        DuplicateCandidate(
            concern=concern,
            match=Match(
                distance_m=(
                    distance_m(lat, lon, concern.lat, concern.lon)
                    if lat is not None
                    and lon is not None
                    and concern.lat is not None
                    and concern.lon is not None
                    else None
                ),
                gap=moment - concern.reported_at,
                similarity=None,
                same_category=category is not None and concern.category_id == category.pk,
                rule=rule,
                partner_reference=partner_reference,
            ),
        )
        for concern in rows.order_by("reported_at", "id")[:SCAN_LIMIT]
    ]


def duplicate_candidates_for(
    query: DuplicateQuery,
    *,
    among: QuerySet[Concern] | None = None,
    limit: int = 5,
    likely_only: bool = False,
) -> list[DuplicateCandidate]:
    """The candidates of a query, best first (see duplicate_candidates)."""
    first = partner_candidates(
        partner_reference=query.partner_reference,
        category=query.category,
        lat=query.lat,
        lon=query.lon,
        at=query.at,
        among=among,
        exclude_pk=query.exclude_pk,
    )
    new = _report_of(query)
    rule = rule_for(code=new.code, field=new.field)
    inside = sorted(
        (
            (d, concern)
            for concern in _rows(query, rule, among=among)
            if (d := distance_m(new.lat, new.lon, concern.lat or 0.0, concern.lon or 0.0))
            <= rule.radius_m
        ),
        key=lambda pair: (pair[0], pair[1].pk),
    )[:TEXT_LIMIT]
    model = similarity_model()
    vector = model.vector(new.text)
    candidates = [
        DuplicateCandidate(
            concern=concern,
            match=Match(
                distance_m=d,
                gap=new.at - concern.reported_at,
                similarity=_similarity(vector, model.vector(concern.description)),
                same_category=concern.category_id == query.category.pk,
                rule=rule,
            ),
        )
        for d, concern in inside
    ]
    candidates.sort(key=lambda c: (-c.score, c.distance_m))
    if likely_only:
        candidates = [c for c in candidates if c.likely]
    known = {c.concern.pk for c in first}
    return [*first, *(c for c in candidates if c.concern.pk not in known)][:limit]


def _report_of(query: DuplicateQuery) -> Report:
    return Report(
        text=query.text,
        code=query.category.code,
        field=query.category.field,
        lat=query.lat,
        lon=query.lon,
        at=query.at or timezone.now(),
    )


def _rows(
    query: DuplicateQuery, rule: DuplicateRule, *, among: QuerySet[Concern] | None
) -> QuerySet[Concern]:
    """Open concerns of the related categories in the window and the radius's bounding box."""
    at = query.at or timezone.now()
    dlat = rule.radius_m / METRES_PER_DEGREE
    dlon = rule.radius_m / (METRES_PER_DEGREE * max(math.cos(math.radians(query.lat)), 0.01))
    codes = related_codes(query.category.code)
    rows = (among if among is not None else Concern.objects.all()).filter(
        status__in=OPEN_STATUSES,
        reported_at__gte=at - rule.window,
        reported_at__lte=at + rule.window if query.later_too else at,
        lat__range=(query.lat - dlat, query.lat + dlat),
        lon__range=(query.lon - dlon, query.lon + dlon),
    )
    if codes == {query.category.code}:
        rows = rows.filter(category=query.category)
    else:  # ids from a subquery: the planner can then walk the index per category
        rows = rows.filter(category_id__in=Category.objects.filter(code__in=codes).values("pk"))
    if query.exclude_pk is not None:
        rows = rows.exclude(pk=query.exclude_pk)
    return rows.select_related("category").order_by("-reported_at", "-id")[:SCAN_LIMIT]


def _similarity(a: Mapping[str, float], b: Mapping[str, float]) -> float | None:
    return cosine(a, b) if a and b else None


# --------------------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class EvalPair:
    id: str
    duplicate: bool
    kind: str
    first: Report  # reported earlier, stored
    second: Report  # the new one


@dataclass(frozen=True)
class EvalResult:
    pairs: int
    true_positives: int
    false_positives: int
    false_negatives: int
    predicted_by_kind: dict[str, tuple[int, int]]  # kind: (predicted duplicates, pairs)
    wrong: tuple[str, ...] = ()  # ids of the pairs judged wrongly

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        actual = self.true_positives + self.false_negatives
        return self.true_positives / actual if actual else 1.0


def eval_pairs_load(path: Path = EVAL_PATH) -> list[EvalPair]:
    """The labelled pairs of the evaluation set (provenance: data/duplicates_eval.md)."""
    fields = {c.code: c.field for c in taxonomy_load().categories}
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            pairs.append(
                EvalPair(
                    id=row["id"],
                    duplicate=bool(row["duplicate"]),
                    kind=row["kind"],
                    first=_eval_report(row["first"], fields),
                    second=_eval_report(row["second"], fields),
                )
            )
    return pairs


def _eval_report(row: Mapping[str, Any], fields: Mapping[str, str]) -> Report:
    return Report(
        text=row["text"],
        code=row["category"],
        field=fields[row["category"]],
        lat=float(row["lat"]),
        lon=float(row["lon"]),
        at=datetime.fromisoformat(row["at"]).replace(tzinfo=EVAL_TIME_ZONE),
    )


def pair_judged_duplicate(pair: EvalPair, *, threshold: float = LIKELY) -> bool:
    """Whether the lookup would offer the first report as likely the same as the second."""
    match = report_match(pair.second, pair.first)
    return match is not None and match.score >= threshold


def duplicates_evaluate(pairs: Sequence[EvalPair], *, threshold: float = LIKELY) -> EvalResult:
    """Precision and recall of "likely the same" on labelled pairs."""
    counts: Counter[str] = Counter()
    predicted_by_kind: dict[str, tuple[int, int]] = {}
    wrong = []
    for pair in pairs:
        judged = pair_judged_duplicate(pair, threshold=threshold)
        counts[_outcome(judged, pair.duplicate)] += 1
        hits, total = predicted_by_kind.get(pair.kind, (0, 0))
        predicted_by_kind[pair.kind] = (hits + judged, total + 1)
        if judged != pair.duplicate:
            wrong.append(pair.id)
    return EvalResult(
        pairs=len(pairs),
        true_positives=counts["tp"],
        false_positives=counts["fp"],
        false_negatives=counts["fn"],
        predicted_by_kind=predicted_by_kind,
        wrong=tuple(wrong),
    )


def _outcome(judged: bool, actual: bool) -> str:
    if judged:
        return "tp" if actual else "fp"
    return "fn" if actual else "tn"
