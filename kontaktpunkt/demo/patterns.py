"""How often, when and through which channel concerns arrive in the demo world.

Generic patterns that hold for any German city of Krefeld's size; what is particular to one city (its
hotspots) lives in kontaktpunkt/demo/data/<tenant>.json. Category codes are the stable codes of the
taxonomy (kontaktpunkt/intake/data/taxonomy_de.json); an unknown code gets the defaults.
"""

from __future__ import annotations

# Share of all concerns per channel (Channel values).
CHANNEL_SHARES: dict[str, float] = {
    "web": 0.27,
    "open311": 0.20,
    "email": 0.14,
    "phone": 0.14,
    "walk_in": 0.10,
    "field": 0.15,
}

# Share of each field per channel: the city works' Open311 clients bring defects, the desk and
# the phone bring order, security and people in need.
FIELD_SHARES: dict[str, dict[str, float]] = {
    "web": {"cleanliness": 0.55, "order": 0.28, "security": 0.10, "social": 0.07},
    "open311": {"cleanliness": 0.92, "order": 0.06, "security": 0.01, "social": 0.01},
    "email": {"cleanliness": 0.35, "order": 0.38, "security": 0.17, "social": 0.10},
    "phone": {"cleanliness": 0.25, "order": 0.38, "security": 0.22, "social": 0.15},
    "walk_in": {"cleanliness": 0.30, "order": 0.30, "security": 0.18, "social": 0.22},
    "field": {"cleanliness": 0.30, "order": 0.45, "security": 0.17, "social": 0.08},
}
# At the mobile station, which stands at the scene's meeting point, the scene is the subject.
MOBILE_STATION_FIELD_SHARES = {"cleanliness": 0.12, "order": 0.30, "security": 0.28, "social": 0.30}

# Where walk-ins and phone calls are taken (by intake point kind).
WALK_IN_POINT_SHARES = {"contact_point": 0.75, "mobile_station": 0.18, "dialogue_day": 0.07}
PHONE_POINT_SHARES = {"contact_point": 0.55, "office": 0.45}

# Relative frequency of a category within its field.
CATEGORY_WEIGHTS: dict[str, float] = {
    "security-drug-scene": 6,
    "security-drug-dealing": 3,
    "security-aggression": 3,
    "security-fight": 1,
    "security-harassment": 2,
    "security-night-disorder": 3,
    "security-vandalism": 3,
    "security-fear-space": 1.5,
    "security-dangerous-dog": 1,
    "security-suspicious-object": 0.3,
    "order-public-drinking": 6,
    "order-drinking-group": 3,
    "order-aggressive-begging": 4,
    "order-noise": 7,
    "order-car-posers": 2,
    "order-encampment": 2,
    "order-youth-gathering": 3,
    "order-street-trading": 0.7,
    "order-posters": 1,
    "order-public-urination": 2,
    "order-pigeon-feeding": 0.7,
    "order-playground-misuse": 1.5,
    "order-dogs-off-leash": 3,
    "order-dog-fouling": 2,
    "order-parking-footpath": 8,
    "order-blocked-access": 2,
    "order-e-scooters": 2,
    "order-cycling-pedestrian-zone": 1.5,
    "order-bins-on-footpath": 1.5,
    "cleanliness-syringes": 3,
    "cleanliness-litter": 10,
    "cleanliness-broken-glass": 3,
    "cleanliness-graffiti": 3,
    "cleanliness-public-toilets": 0.7,
    "cleanliness-markings-signs": 2,
    "cleanliness-street-lighting": 6,
    "cleanliness-traffic-lights": 1,
    "cleanliness-street-cleaning": 3,
    "cleanliness-winter-service": 1.5,
    "cleanliness-road-damage": 6,
    "cleanliness-road-works": 1,
    "cleanliness-illegal-dumping": 12,
    "cleanliness-dog-waste": 4,
    "cleanliness-scrap-vehicles": 1.5,
    "cleanliness-scrap-bicycles": 2,
    "cleanliness-litter-bins": 5,
    "cleanliness-containers": 3,
    "cleanliness-trees": 3,
    "cleanliness-parks": 1.5,
    "cleanliness-playgrounds": 1,
    "cleanliness-drains": 2,
    "cleanliness-sports-grounds": 0.5,
    "social-person-in-need": 4,
    "social-sleeping-rough": 5,
    "social-cold-weather": 1.5,
    "social-intoxicated": 4,
    "social-addiction-advice": 0.7,
    "social-begging-need": 2,
    "social-minors-at-risk": 0.8,
    "social-hygiene-health": 1.5,
    "social-mental-crisis": 1.5,
}

# Categories of the order side that often need help as well (they then get needs_help).
ALSO_NEEDS_HELP: dict[str, float] = {
    "security-drug-scene": 0.3,
    "order-drinking-group": 0.25,
    "order-aggressive-begging": 0.2,
    "order-encampment": 0.5,
    "order-public-drinking": 0.1,
}

# Facility kinds around which a category is sampled outside the hotspots (default: where people live).
RESIDENTIAL_KINDS = ("kindergarten", "school", "playground", "youth_centre")
FACILITY_AFFINITY: dict[str, tuple[str, ...]] = {
    "cleanliness-playgrounds": ("playground",),
    "order-playground-misuse": ("playground",),
    "cleanliness-parks": ("park",),
    "cleanliness-sports-grounds": ("school", "youth_centre"),
    "order-youth-gathering": ("youth_centre", "school", "playground"),
    "order-public-drinking": ("school", "kindergarten", "playground", "youth_centre"),
}

# --------------------------------------------------------------------------- time patterns
# 24 hourly weights (local time), 7 weekday weights (Monday first), 12 monthly weights.

HOURS_DAY = (0.1, 0.05, 0.05, 0.05, 0.1, 0.3, 0.6, 1.0, 1.4, 1.6, 1.7, 1.7,
             1.6, 1.6, 1.6, 1.5, 1.4, 1.3, 1.1, 0.9, 0.7, 0.5, 0.3, 0.2)  # fmt: skip
HOURS_EVENING = (1.0, 0.8, 0.5, 0.3, 0.15, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7,
                 0.8, 0.9, 1.0, 1.1, 1.3, 1.5, 1.8, 2.0, 2.2, 2.2, 1.9, 1.4)  # fmt: skip
HOURS_NIGHT = (1.6, 1.4, 1.0, 0.6, 0.3, 0.1, 0.1, 0.2, 0.3, 0.3, 0.3, 0.3,
               0.3, 0.3, 0.3, 0.3, 0.4, 0.5, 0.7, 0.9, 1.2, 1.6, 1.9, 1.9)  # fmt: skip
# People visit a desk late in the morning and after work.
HOURS_DESK = (0, 0, 0, 0, 0, 0, 0, 0.3, 0.6, 0.8, 1.0, 1.2,
              1.1, 1.0, 1.0, 1.1, 1.3, 1.4, 1.3, 1.0, 0.6, 0.3, 0, 0)  # fmt: skip
# Citizens write when they are awake: multiplies the hour curve of web, e-mail and Open311.
HOURS_AWAKE = (0.35, 0.2, 0.1, 0.08, 0.08, 0.15, 0.5, 0.8, 1.0, 1.0, 1.0, 1.0,
               1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.9, 0.7, 0.5)  # fmt: skip

WEEK_DAY = (1.1, 1.05, 1.0, 1.0, 1.0, 0.8, 0.6)
WEEK_EVENING = (0.8, 0.8, 0.85, 0.95, 1.3, 1.6, 1.1)
WEEK_NIGHT = (0.7, 0.7, 0.8, 0.9, 1.4, 1.8, 1.2)
# Fewer visitors on Saturdays at the desk and on Sundays at the mobile station.
WEEK_DESK = (1.0, 1.0, 1.0, 1.0, 1.05, 0.8, 0.5)

SEASON_BASE = (0.8, 0.8, 0.9, 1.0, 1.1, 1.15, 1.2, 1.2, 1.1, 1.0, 0.9, 0.8)
SEASON_SUMMER = (0.5, 0.5, 0.7, 0.9, 1.3, 1.6, 1.8, 1.8, 1.4, 1.0, 0.6, 0.5)
SEASON_COLD = (2.5, 2.5, 1.8, 0.6, 0.2, 0.1, 0.1, 0.1, 0.3, 1.0, 2.0, 2.5)
SEASON_COLD_LIGHT = (1.6, 1.6, 1.3, 0.9, 0.7, 0.6, 0.6, 0.6, 0.8, 1.0, 1.4, 1.6)
SEASON_GROWTH = (0.3, 0.3, 0.7, 1.4, 1.8, 1.8, 1.6, 1.4, 1.2, 1.0, 0.6, 0.3)
SEASON_AUTUMN = (0.6, 0.5, 0.5, 0.5, 0.5, 0.5, 0.6, 0.6, 0.9, 2.5, 2.8, 1.4)

# profile -> (hours, weekdays, months); "snow" also only holds on the year's snow days.
PROFILES: dict[str, tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...]]] = {
    "day": (HOURS_DAY, WEEK_DAY, SEASON_BASE),
    "evening": (HOURS_EVENING, WEEK_EVENING, SEASON_SUMMER),
    "night": (HOURS_NIGHT, WEEK_NIGHT, SEASON_SUMMER),
    "summer": (HOURS_DAY, WEEK_DAY, SEASON_SUMMER),
    "cold": (HOURS_EVENING, WEEK_DAY, SEASON_COLD),
    "rough": (HOURS_DAY, WEEK_DAY, SEASON_COLD_LIGHT),
    "growth": (HOURS_DAY, WEEK_DAY, SEASON_GROWTH),
    "autumn": (HOURS_DAY, WEEK_DAY, SEASON_AUTUMN),
    "snow": (HOURS_DAY, WEEK_DAY, SEASON_BASE),
}
CATEGORY_PROFILES: dict[str, str] = {
    "order-public-drinking": "evening",
    "order-drinking-group": "evening",
    "order-youth-gathering": "evening",
    "order-car-posers": "evening",
    "order-playground-misuse": "evening",
    "security-harassment": "evening",
    "security-drug-dealing": "evening",
    "security-fear-space": "evening",
    "order-noise": "night",
    "order-public-urination": "night",
    "security-night-disorder": "night",
    "security-fight": "night",
    "social-cold-weather": "cold",
    "social-sleeping-rough": "rough",
    "social-hygiene-health": "rough",
    "cleanliness-winter-service": "snow",
    "cleanliness-trees": "growth",
    "cleanliness-parks": "growth",
    "cleanliness-sports-grounds": "growth",
    "order-dogs-off-leash": "growth",
    "cleanliness-street-cleaning": "autumn",
    "cleanliness-drains": "autumn",
    "cleanliness-litter": "summer",
    "cleanliness-broken-glass": "summer",
    "cleanliness-litter-bins": "summer",
    "cleanliness-public-toilets": "summer",
    "order-encampment": "summer",
    "order-e-scooters": "summer",
}
SNOW_DAYS_PER_YEAR = 10
