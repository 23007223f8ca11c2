"""German texts for the demo world: concerns as citizens write them, staff notes, replies.

Pure functions; all randomness comes from the `random.Random` passed in, so a seed gives the same
texts every time. A concern text is one of the category's templates (kontaktpunkt/demo/phrases_de.py)
with its slots filled, framed by the channel (a citizen's e-mail, a clerk's note of a phone call, an
officer's patrol note) and varied in tone: polite, neutral, angry, terse, dialect from the Lower
Rhine ("dat", "wat", "is"), now and then all in capitals, with typos or without punctuation.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from kontaktpunkt.demo import frames_de as frames
from kontaktpunkt.demo.phrases_de import HEADLINES, PHRASES, CategoryPhrases

_QUOTE_OPEN, _QUOTE_CLOSE, _DASH = "\u201e", "\u201c", "\u2013"  # German quotes, en dash
CITIZEN_CHANNELS = frozenset({"web", "email", "open311"})
STAFF_CHANNELS = frozenset({"walk_in", "phone"})


@dataclass(frozen=True)
class PlaceRef:
    """Where something is: a street with an optional house number, or a named place.

    `phrases` are ready-made phrases for a named place ("am Theaterplatz", "vorm Hauptbahnhof").
    """

    street: str
    number: str = ""
    phrases: tuple[str, ...] = ()

    @property
    def address(self) -> str:
        return f"{self.street} {self.number}".strip()


# --------------------------------------------------------------------------- places

_FEMININE = ("straße", "strasse", "gasse", "allee", "chaussee", "promenade")
_MASCULINE_OR_NEUTER = (
    "weg", "wall", "ring", "platz", "markt", "damm", "pfad", "steg", "graben", "berg",
    "hof", "feld", "park", "garten", "kamp", "deich", "bruch", "busch", "rath",
)  # fmt: skip
_PREPOSITION_NAMES = ("am ", "an ", "auf ", "im ", "in ", "zum ", "zur ", "vor ", "hinter ")


def place_phrase(rng: random.Random, place: PlaceRef) -> str:
    """A phrase that says where, to be used inside a sentence: "in der Königstraße"."""
    if place.phrases and rng.random() < 0.75:
        return rng.choice(place.phrases)
    street, number = place.street, place.number
    lower = street.lower()
    options: list[str] = []
    if number:
        options += [
            f"vor {street} {number}",
            f"in Höhe {street} {number}",
            f"bei {street} {number}",
            f"vor dem Haus {street} {number}",
        ]
    else:
        options += [f"im Bereich {street}", f"in Höhe {street}"]
    if lower.startswith(_PREPOSITION_NAMES):
        options += [street, f"{street} {number}".strip()]
    elif lower.endswith(_FEMININE):
        options += [f"in der {street}", f"auf der {street}", f"an der {street}"]
    elif lower.endswith(_MASCULINE_OR_NEUTER):
        options += [f"am {street}", f"auf dem {street}"]
    return rng.choice(options)


# --------------------------------------------------------------------------- slots

_TIME_BY_PART = {
    "night": ("jetzt mitten in der Nacht", "seit Mitternacht", "gerade eben", "heute Nacht"),
    "morning": ("heute Morgen", "seit heute früh", "gerade eben", "heute Nacht", "letzte Nacht"),
    "day": ("gerade", "heute Mittag", "seit heute Vormittag", "im Moment", "eben"),
    "evening": ("heute Abend", "gerade eben", "seit etwa einer Stunde", "jetzt gerade", "eben"),
}
_TIME_ANY = ("jeden Tag", "ständig", "regelmäßig", "fast täglich")
_SINCE = (
    "seit Tagen", "seit zwei Wochen", "seit gestern", "seit Wochen", "seit letzter Woche",
    "seit über einem Monat", "schon länger", "seit dem Wochenende", "seit Ewigkeiten",
)  # fmt: skip
_COUNTS = (
    "zwei", "drei", "vier", "fünf", "sechs", "ca. 10", "mindestens acht", "ein paar", "mehrere",
    "bestimmt zwölf", "3", "4", "5", "7", "etwa 15", "zig",
)  # fmt: skip


def _part_of_day(hour: int) -> str:
    if hour < 5 or hour >= 22:
        return "night"
    if hour < 11:
        return "morning"
    if hour < 17:
        return "day"
    return "evening"


def _time_phrase(rng: random.Random, hour: int) -> str:
    if rng.random() < 0.2:
        return rng.choice(_TIME_ANY)
    return rng.choice(_TIME_BY_PART[_part_of_day(hour)])


# --------------------------------------------------------------------------- tone

_UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}


def _sentence_case(text: str) -> str:
    """Capital letter at the start and after a full stop, question or exclamation mark."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return re.sub(r"([.!?]\s+)([a-zäöü])", lambda m: m.group(1) + m.group(2).upper(), text)


def _dialect(rng: random.Random, text: str) -> str:
    for pattern, replacement in frames.DIALECT:
        if rng.random() < 0.8:
            text = re.sub(pattern, replacement, text)
    if rng.random() < 0.5:
        text = text.replace("Watt", "Wat") if rng.random() < 0.5 else text.replace("wat ", "watt ")
    return text


def _typo(rng: random.Random, word: str) -> str:
    letters = [i for i, ch in enumerate(word) if ch.isalpha()]
    if len(letters) < 4:
        return word
    op = rng.randrange(6)
    i = rng.choice(letters[1:-1])
    if op == 0:  # swap two neighbours
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if op == 1:  # a letter dropped
        return word[:i] + word[i + 1 :]
    if op == 2:  # a letter doubled
        return word[:i] + word[i] + word[i:]
    if op == 3:  # no umlauts on this keyboard
        return "".join(_UMLAUTS.get(ch, ch) for ch in word)
    if op == 4:  # nouns in lower case
        return word.lower()
    return word[:i] + rng.choice("aeinrst") + word[i + 1 :]  # a wrong key


def _with_typos(rng: random.Random, text: str, count: int) -> str:
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    for i in rng.sample(candidates, min(count, len(candidates))):
        words[i] = _typo(rng, words[i])
    return " ".join(words)


def _without_punctuation(text: str) -> str:
    text = re.sub(r"[.,;:](?=\s|$)", "", text)
    return re.sub(r"!{2,}", "!", text)


# --------------------------------------------------------------------------- concerns


def phrases_for(category: str) -> CategoryPhrases:
    try:
        return PHRASES[category]
    except KeyError:
        raise KeyError(f"No demo phrases for category {category!r}") from None


def _fill(
    rng: random.Random, template: str, phrases: CategoryPhrases, where: str, hour: int
) -> str:
    text = template.format(
        place=where,
        time=_time_phrase(rng, hour),
        since=rng.choice(_SINCE),
        count=rng.choice(_COUNTS),
        detail=rng.choice(phrases.details),
    )
    return _sentence_case(re.sub(r"\s+", " ", text))


def _citizen_text(
    rng: random.Random,
    phrases: CategoryPhrases,
    where: str,
    *,
    channel: str,
    hour: int,
    reporter_name: str,
    headline: str,
) -> str:
    template = rng.choice(phrases.templates)
    core = _fill(rng, template, phrases, where, hour)
    if "{detail}" not in template and rng.random() < 0.25:
        core = f"{core} {rng.choice(phrases.details)}"
    tones = ("polite", "neutral", "angry", "terse", "dialect")
    weights = (3, 3, 2, 3, 1) if channel == "open311" else (4, 3, 2, 1, 1)
    tone = rng.choices(tones, weights)[0]
    parts: list[str] = []
    email = channel == "email"
    if email or (tone == "polite" and rng.random() < 0.5):
        parts.append(rng.choice(frames.GREETINGS))
    if tone == "terse":
        core = f"{headline} {where}" + rng.choice((".", "!", "", f" {_DASH} bitte prüfen.", "!!"))
    elif tone == "dialect":
        core = rng.choice(frames.DIALECT_OPENERS) + _dialect(rng, core)
    parts.append(core)
    if tone == "polite":
        parts.append(rng.choice(frames.POLITE_CLOSINGS))
    elif tone == "angry":
        parts += rng.sample(frames.ANGRY_EXTRAS, rng.randint(1, 2))
    elif tone == "dialect" and rng.random() < 0.7:
        parts.append(rng.choice(frames.DIALECT_CLOSERS))
    text = " ".join(parts)
    if email:
        text = text.replace(parts[0] + " ", parts[0] + "\n\n", 1)
        if rng.random() < 0.8:
            text += (
                "\n\n"
                + rng.choice(frames.SIGN_OFFS)
                + ("\n" + reporter_name if reporter_name else "")
            )
    if tone == "angry":
        if rng.random() < 0.25:
            text = text.upper()
        elif rng.random() < 0.4:
            text = text.replace(". ", "!! ").rstrip(".") + "!"
    mobile = channel in {"web", "open311"}
    if rng.random() < (0.2 if mobile else 0.1):
        text = _with_typos(rng, text, rng.randint(1, 3))
    if rng.random() < (0.15 if mobile else 0.05):
        text = _without_punctuation(text)
    if mobile and rng.random() < 0.04:
        text = text.lower()
    return text


def _staff_text(
    rng: random.Random,
    phrases: CategoryPhrases,
    where: str,
    *,
    channel: str,
    hour: int,
    headline: str,
) -> str:
    who = rng.choice(frames.WALK_IN_WHO if channel == "walk_in" else frames.PHONE_WHO)
    detail = rng.choice(phrases.details)
    shape = rng.randrange(4)
    if shape == 0:
        text = f"{who} {phrases.noun} {where}. {detail}"
    elif shape == 1:
        text = f"{who} {phrases.noun} {where}, {_time_phrase(rng, hour)}. {detail}"
    elif shape == 2:
        quoted = _fill(rng, rng.choice(phrases.templates), phrases, where, hour)
        text = f"{who.rstrip(':')}: {_QUOTE_OPEN}{quoted}{_QUOTE_CLOSE}"
    else:
        source = "Vorsprache" if channel == "walk_in" else "Anruf"
        text = f"{headline} {where} ({source}). {detail}"
    text = _sentence_case(text + rng.choice(frames.STAFF_TAILS))
    if rng.random() < 0.15:  # typed in a hurry
        text = _with_typos(rng, text, 1)
    return text


def _field_text(
    rng: random.Random, phrases: CategoryPhrases, where: str, *, category: str, headline: str
) -> str:
    opener = rng.choice(frames.FIELD_OPENERS)
    detail = rng.choice(phrases.details) if rng.random() < 0.4 else ""
    group = frames.ACTION_GROUPS.get(category, category.split("-", 1)[0])
    action = rng.choice(frames.ACTIONS.get(group, frames.ACTIONS["order"]))
    text = " ".join(part for part in (opener, f"{headline} {where}.", detail, action) if part)
    return _sentence_case(text)


def concern_text(
    rng: random.Random,
    *,
    category: str,
    channel: str,
    place: PlaceRef,
    hour: int = 12,
    reporter_name: str = "",
) -> str:
    """A concern's description in German, as it would arrive by `channel` (a Channel value).

    `category` is a taxonomy code ("cleanliness-syringes"); its field is the part before the first
    hyphen. `hour` (0-23) is the local hour of the report and sets phrases such as "heute Abend".
    """
    phrases = phrases_for(category)
    headline = rng.choice(HEADLINES[category])
    where = place_phrase(rng, place)
    if channel in STAFF_CHANNELS:
        return _staff_text(rng, phrases, where, channel=channel, hour=hour, headline=headline)
    if channel == "field":
        return _field_text(rng, phrases, where, category=category, headline=headline)
    return _citizen_text(
        rng,
        phrases,
        where,
        channel=channel,
        hour=hour,
        reporter_name=reporter_name,
        headline=headline,
    )


# --------------------------------------------------------------------------- timeline texts


def note_text(rng: random.Random, *, field: str) -> str:
    """An internal note on a concern of `field` (security, order, cleanliness, social)."""
    return rng.choice(frames.NOTES.get(field, frames.NOTES["order"]))


def reject_reason(rng: random.Random) -> str:
    return rng.choice(frames.REJECT_REASONS)


def reply_text(
    rng: random.Random, *, kind: str, unit: str = "", reason: str = "", reference: str = ""
) -> str:
    """A public reply: kind is received, forwarded, in_progress, resolved, rejected or duplicate."""
    return rng.choice(frames.REPLIES[kind]).format(unit=unit, reason=reason, reference=reference)


def partner_update_text(rng: random.Random, *, unit_slug: str) -> str:
    """What a partner (city works, street cleaning, police, drug help) reports back."""
    return rng.choice(frames.PARTNER_UPDATES.get(unit_slug, ("Erledigt.", "Bearbeitet.")))
