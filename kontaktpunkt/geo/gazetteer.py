"""The project's own address search: streets, house numbers, named places and facilities of the tenant.

Everything comes from the tenant's geodata in the database, so the search needs no network and no
outside service:

- **streets** are derived from the facilities' addresses ("Königstraße 114"): each street knows the
  house numbers that occur with their coordinates; a number that is not known resolves to the street's
  representative point (the medoid of its known points) and is marked approximate;
- **facilities** (schools, kindergartens, playgrounds, …) are found by name;
- **named places** (facilities of kind `place`, e.g. Theaterplatz) are found by name.

Text is folded before matching: lower case, umlauts and ß spelt out (ä → ae, ß → ss), punctuation
dropped, and "str."/"str" at the end of a word read as "strasse", so "Königstr. 114", "koenigstrasse
114" and "Königstraße 114" are the same query. Matches are ranked: exact, then prefix of the whole
name, then prefix of a word inside it, then substring, then a near miss (one or two typos).

The index is built once per process from the database and kept like geo.selectors.place_index(): a cheap
fingerprint of the facility and area tables is compared on every call and the index is rebuilt when it
changed, at the latest after GAZETTEER_MAX_AGE_S seconds.

An external geocoder may be configured later: it would be asked only when this search finds nothing,
behind gazetteer_search(); nothing here depends on one.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db.models import Count, Max, Min
from django.utils.translation import gettext as _

from kontaktpunkt.core.process_cache import ProcessCache
from kontaktpunkt.geo.geometry import from_geojson, to_geojson
from kontaktpunkt.geo.models import Area, Facility, FacilityKind

GAZETTEER_MAX_AGE_S = 300.0
# Tolerance (degrees, about 10 m) of the simplified outlines drawn on the maps.
OUTLINE_TOLERANCE_DEG = 0.0001
METRES_PER_DEGREE = 111_320.0


class HitKind(StrEnum):
    ADDRESS = "address"  # a street with a known house number
    STREET = "street"  # a street (or an unknown number on it: the street's representative point)
    PLACE = "place"  # a named place such as a square
    FACILITY = "facility"  # a school, kindergarten, playground, office, …


_KIND_RANK = {HitKind.ADDRESS: 0, HitKind.PLACE: 1, HitKind.STREET: 2, HitKind.FACILITY: 3}


@dataclass(frozen=True)
class GazetteerHit:
    """One answer of the address search. `label` is what the address field shows and stores."""

    label: str
    lat: float
    lon: float
    kind: HitKind
    detail: str = ""
    approximate: bool = False
    score: float = 1.0  # 1.0 exact … 0.3 a near miss


@dataclass(frozen=True)
class GazetteerSource:
    """One facility as the gazetteer reads it."""

    kind: str
    name: str
    street: str
    postcode: str
    lat: float
    lon: float


# --------------------------------------------------------------------------- text


_LETTERS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss"})
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_STR_SUFFIX = re.compile(r"(?<=[a-z])str\b\.?|(?<=\s)str\b\.?|\bstr\.")
_HOUSE_NUMBER = re.compile(r"^(?P<street>.*?[^\d\s])\s*(?P<number>\d{1,4})\s*(?P<suffix>[a-z])?$")
_ADDRESS = re.compile(r"^(?P<street>.*?[^\d\s])\s+(?P<number>\d{1,4})\s*(?P<suffix>[a-zA-Z])?\b")


def fold(text: str) -> str:
    """Lower case, umlauts spelt out, accents and punctuation dropped, single spaces."""
    text = unicodedata.normalize("NFC", text).lower().translate(_LETTERS)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(_NOT_WORD.sub(" ", text).split())


def fold_address(text: str) -> str:
    """fold() that also reads "str." and a word ending in "str" as "strasse" ("Königstr." → …)."""
    text = unicodedata.normalize("NFC", text).lower().translate(_LETTERS)
    text = _STR_SUFFIX.sub("strasse", text)
    return fold(text)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance of `a` and `b` (a swap of neighbours counts one).

    Stops early: anything above `limit` comes back as limit + 1.
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


def typo_allowance(length: int) -> int:
    """How many typos a query of `length` letters may hold and still match."""
    return 0 if length < 4 else 1 if length < 8 else 2


@dataclass(frozen=True)
class FoldedName:
    """A name prepared for matching: its words and the words run together."""

    words: tuple[str, ...]
    compact: str
    word_starts: tuple[str, ...]  # compact forms from each word on

    @classmethod
    def of(cls, folded: str) -> FoldedName:
        words = tuple(folded.split())
        return cls(
            words=words,
            compact="".join(words),
            word_starts=tuple("".join(words[i:]) for i in range(len(words))),
        )


def match_score(query: FoldedName, name: FoldedName, *, near_misses: bool = True) -> float:
    """How well a folded query matches a folded name: 1.0 exact … 0.3 a near miss, 0 none.

    With near_misses=False only exact, prefix and substring matches count (fast).
    """
    q, target = query.compact, name.compact
    if not q or not target:
        return 0.0
    if q == target:
        return 1.0
    if target.startswith(q):
        return 0.9 - 0.1 * (1 - len(q) / len(target))
    for position, start in enumerate(name.word_starts[1:], start=1):
        if start.startswith(q):
            return 0.75 - 0.02 * min(position, 5)
    if len(q) >= 3 and q in target:
        return 0.55
    allowance = typo_allowance(len(q)) if near_misses else 0
    if allowance and target[0] == q[0]:
        whole = edit_distance(q, target, allowance)
        if whole <= allowance:
            return 0.5 - 0.1 * whole
    if allowance:
        # A typo in the first letter is rare; requiring it keeps the near-miss search fast.
        best = min(
            (
                edit_distance(q, start[: len(q) + extra], allowance)
                for start in name.word_starts
                if start[0] == q[0]
                for extra in (-1, 0, 1)
            ),
            default=allowance + 1,
        )
        if best <= allowance:
            return 0.4 - 0.05 * best
    return 0.0


# --------------------------------------------------------------------------- the index


@dataclass
class _Street:
    name: str
    folded: FoldedName
    numbers: dict[str, tuple[float, float]] = field(default_factory=dict)
    number_labels: dict[str, str] = field(default_factory=dict)
    points: list[tuple[float, float]] = field(default_factory=list)
    postcode: str = ""
    point: tuple[float, float] = (0.0, 0.0)


@dataclass(frozen=True)
class _Named:
    name: str
    label: str
    folded: FoldedName
    kind: HitKind
    facility_kind: str
    lat: float
    lon: float


def split_house_number(address: str) -> tuple[str, str]:
    """ "Burgstraße 7a" → ("Burgstraße", "7a"); "Gerberstraße 45 - 49" → ("Gerberstraße", "45");
    a street without a number → (street, "")."""
    text = " ".join(address.split())
    match = _ADDRESS.match(text)
    if not match:
        return text, ""
    return match.group("street").strip(" ,"), match.group("number") + (
        match.group("suffix") or ""
    ).lower()


def _medoid(points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """The point of `points` with the least summed distance to the others."""
    if len(points) <= 2:
        return points[0]
    return min(points, key=lambda p: sum(_distance_m(p, other) for other in points))


def _distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance in metres between two (lat, lon) points; equirectangular, fine within a city."""
    mean_lat = math.radians((a[0] + b[0]) / 2)
    dy = (a[0] - b[0]) * METRES_PER_DEGREE
    dx = (a[1] - b[1]) * METRES_PER_DEGREE * math.cos(mean_lat)
    return math.hypot(dx, dy)


class Gazetteer:
    """Streets, house numbers, named places and facilities of one city, ready for search."""

    def __init__(
        self,
        sources: Iterable[GazetteerSource],
        *,
        outline: Mapping[str, Any] | None = None,
        districts: Sequence[tuple[str, Mapping[str, Any]]] = (),
    ) -> None:
        self.outline = dict(outline) if outline is not None else None
        self.districts = [(name, dict(geometry)) for name, geometry in districts]
        streets: dict[str, _Street] = {}
        spellings: dict[str, Counter[str]] = {}
        named: list[_Named] = []
        for source in sources:
            named.append(_named(source))
            street_name, number = split_house_number(source.street)
            key = fold_address(street_name)
            if not key:
                continue
            street = streets.get(key)
            if street is None:
                street = streets[key] = _Street(name=street_name, folded=FoldedName.of(key))
                spellings[key] = Counter()
            spellings[key][street_name] += 1
            street.points.append((source.lat, source.lon))
            street.postcode = street.postcode or source.postcode
            if number and number not in street.numbers:
                street.numbers[number] = (source.lat, source.lon)
        for key, street in streets.items():
            street.name = spellings[key].most_common(1)[0][0]
            street.number_labels = {n: f"{street.name} {n}" for n in street.numbers}
            street.point = _medoid(street.points)
        self.streets = sorted(streets.values(), key=lambda s: s.name)
        self.named = sorted(named, key=lambda n: (n.label, n.lat, n.lon))

    def __len__(self) -> int:
        return len(self.streets) + len(self.named)

    def backdrop(self) -> dict[str, Any]:
        """What a map draws instead of (or over) tiles: city outline, districts, landmarks."""
        return {
            "city": self.outline,
            "districts": [{"name": n, "geometry": g} for n, g in self.districts],
            "landmarks": [
                [round(n.lat, 6), round(n.lon, 6), n.name, n.kind.value] for n in self.named
            ],
        }

    def search(self, query: str, limit: int) -> list[GazetteerHit]:
        """The best `limit` hits for `query`, best first."""
        folded = fold_address(query)
        if len(folded.replace(" ", "")) < 2 or limit <= 0:
            return []
        whole = FoldedName.of(folded)
        street_part, number = _query_number(folded)
        street_query = FoldedName.of(street_part) if street_part else whole
        hits: list[GazetteerHit] = []
        # Near misses (typos) are looked for only when nothing matches as typed.
        for near_misses in (False, True):
            for street in self.streets:
                score = match_score(street_query, street.folded, near_misses=near_misses)
                if score:
                    hits.extend(_street_hits(street, score, number))
            for entry in self.named:
                score = match_score(whole, entry.folded, near_misses=near_misses)
                if score:
                    hits.append(_named_hit(entry, score))
            if hits:
                break
        hits.sort(key=lambda h: (-h.score, _KIND_RANK[h.kind], len(h.label), h.label))
        return _distinct(hits, limit)

    def nearest(self, lat: float, lon: float, *, within_m: float) -> GazetteerHit | None:
        """The known address or named place nearest to a point, if one lies within `within_m`."""
        best: tuple[float, GazetteerHit] | None = None
        candidates: list[tuple[tuple[float, float], str, HitKind]] = [
            (point, street.number_labels[n], HitKind.ADDRESS)
            for street in self.streets
            for n, point in street.numbers.items()
        ]
        candidates += [((n.lat, n.lon), n.label, n.kind) for n in self.named]
        for point, label, kind in candidates:
            distance = _distance_m((lat, lon), point)
            if distance <= within_m and (best is None or distance < best[0]):
                best = (distance, GazetteerHit(label=label, lat=lat, lon=lon, kind=kind))
        return best[1] if best else None


def _query_number(folded: str) -> tuple[str, str]:
    match = _HOUSE_NUMBER.match(folded)
    if not match:
        return folded, ""
    return match.group("street").strip(), match.group("number") + (match.group("suffix") or "")


def _named(source: GazetteerSource) -> _Named:
    kind = HitKind.PLACE if source.kind == FacilityKind.PLACE else HitKind.FACILITY
    name = " ".join(source.name.split())
    address = " ".join(source.street.split())
    label = name if not address or fold(address) in fold(name) else f"{name}, {address}"
    return _Named(
        name=name,
        label=label,
        folded=FoldedName.of(fold_address(name)),
        kind=kind,
        facility_kind=source.kind,
        lat=source.lat,
        lon=source.lon,
    )


def _street_hits(street: _Street, score: float, number: str) -> list[GazetteerHit]:
    if not number:
        return [
            GazetteerHit(
                label=street.name,
                lat=street.point[0],
                lon=street.point[1],
                kind=HitKind.STREET,
                detail=_("street"),
                score=score,
            )
        ]
    hits = []
    if number in street.numbers:
        lat, lon = street.numbers[number]
        hits.append(
            GazetteerHit(
                label=street.number_labels[number],
                lat=lat,
                lon=lon,
                kind=HitKind.ADDRESS,
                score=min(1.0, score + 0.05),
            )
        )
    else:
        hits.append(
            GazetteerHit(
                label=f"{street.name} {number}",
                lat=street.point[0],
                lon=street.point[1],
                kind=HitKind.STREET,
                detail=_("house number not known: position of the street"),
                approximate=True,
                score=score - 0.05,
            )
        )
    for known in sorted(street.numbers):
        if known != number and known.startswith(number):
            lat, lon = street.numbers[known]
            label = street.number_labels[known]
            hits.append(
                GazetteerHit(label=label, lat=lat, lon=lon, kind=HitKind.ADDRESS, score=score - 0.1)
            )
    return hits


def _named_hit(entry: _Named, score: float) -> GazetteerHit:
    detail = str(FacilityKind(entry.facility_kind).label) if entry.kind == HitKind.FACILITY else ""
    return GazetteerHit(
        label=entry.label, lat=entry.lat, lon=entry.lon, kind=entry.kind, detail=detail, score=score
    )


def _distinct(hits: Sequence[GazetteerHit], limit: int) -> list[GazetteerHit]:
    """The first `limit` hits without repeats: the same label within 500 m counts once (a square
    and the street of the same name are one place)."""
    kept: list[tuple[str, GazetteerHit]] = []
    for hit in hits:
        label = fold(hit.label)
        if not any(
            label == other and _distance_m((k.lat, k.lon), (hit.lat, hit.lon)) < 500
            for other, k in kept
        ):
            kept.append((label, hit))
            if len(kept) == limit:
                break
    return [hit for _, hit in kept]


# --------------------------------------------------------------------------- from the database


def _fingerprint() -> tuple[tuple[int, int, int], ...]:
    parts = []
    areas = Area.objects.filter(level__in=[Area.Level.CITY, Area.Level.DISTRICT])
    for queryset in (Facility.objects.all(), areas):
        stats = queryset.aggregate(count=Count("id"), first=Min("id"), last=Max("id"))
        parts.append((int(stats["count"]), int(stats["first"] or 0), int(stats["last"] or 0)))
    return tuple(parts)


def outline_simplified(geometry: Mapping[str, Any]) -> dict[str, Any]:
    """A boundary simplified to about 10 m, small enough to send with every map page."""
    shape = from_geojson(geometry).simplify(OUTLINE_TOLERANCE_DEG, preserve_topology=True)
    return to_geojson(shape)


def gazetteer_build() -> Gazetteer:
    """A fresh gazetteer of the facilities (and the outlines of city and districts)."""
    rows = Facility.objects.order_by("id").values_list(
        "kind", "name", "street", "postcode", "lat", "lon"
    )
    areas = Area.objects.filter(level__in=[Area.Level.CITY, Area.Level.DISTRICT]).order_by("id")
    city = next((a for a in areas if a.level == Area.Level.CITY), None)
    return Gazetteer(
        (GazetteerSource(*row) for row in rows),
        outline=outline_simplified(city.geometry) if city else None,
        districts=[
            (a.name, outline_simplified(a.geometry))
            for a in sorted(areas, key=lambda a: a.name)
            if a.level == Area.Level.DISTRICT
        ],
    )


_cache: ProcessCache[Gazetteer] = ProcessCache(
    build=gazetteer_build, fingerprint=_fingerprint, max_age_s=GAZETTEER_MAX_AGE_S
)


def gazetteer() -> Gazetteer:
    """The process's gazetteer, rebuilt when the geography changed."""
    return _cache.get()


def gazetteer_invalidate() -> None:
    """Forget the gazetteer: the next call builds it anew."""
    _cache.invalidate()


def gazetteer_search(*, query: str, limit: int) -> list[GazetteerHit]:
    """Streets, addresses, named places and facilities matching `query`, best first."""
    return gazetteer().search(query, limit)


def gazetteer_nearest(*, lat: float, lon: float, within_m: float = 150.0) -> GazetteerHit | None:
    """The known address or place nearest to a point (for a pin set on the map)."""
    return gazetteer().nearest(lat, lon, within_m=within_m)


def map_backdrop() -> dict[str, Any]:
    """For maps without tiles: the simplified city boundary (None before the geodata is
    imported), the districts' outlines and the named places and facilities as landmarks."""
    return gazetteer().backdrop()
