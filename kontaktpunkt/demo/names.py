"""German fake names, e-mail addresses and phone numbers for demo reporters and staff.

Uses Faker("de_DE"), seeded, when it is installed, and a small built-in list otherwise, so that the
demo also runs where only the runtime dependencies are installed. E-mail addresses always use the
reserved example domains (RFC 2606): the demo never writes to a real mailbox.
"""

from __future__ import annotations

import random
import unicodedata
from typing import Any

_FIRST = (
    "Anna", "Lena", "Maria", "Sabine", "Petra", "Monika", "Julia", "Sarah", "Laura", "Katharina",
    "Ursula", "Heike", "Aylin", "Fatma", "Elif", "Natalia", "Thomas", "Michael", "Andreas", "Stefan",
    "Peter", "Klaus", "Jürgen", "Lukas", "Jonas", "Felix", "Mehmet", "Ahmet", "Dirk", "Frank",
    "Wolfgang", "Tobias", "Sven", "Kevin", "Marco", "Dieter", "Ingrid", "Gisela", "Paul", "Leon",
)  # fmt: skip
_LAST = (
    "Müller", "Schmitz", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
    "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Braun",
    "Hofmann", "Zimmermann", "Hartmann", "Krüger", "Lange", "Werner", "Krause", "Lehmann", "Köhler",
    "Jansen", "Peters", "van den Berg", "Heinen", "Kremers", "Yilmaz", "Kaya", "Demir", "Nowak",
    "Kowalski", "Hermes", "Tervooren", "Janssen",
)  # fmt: skip
_DOMAINS = ("example.org", "example.net", "example.com")


def _ascii(text: str) -> str:
    text = text.lower().replace("ß", "ss").replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in text if ch.isalnum() or ch in ".-")


class NameSource:
    """Seeded source of German names; the same seed gives the same sequence."""

    def __init__(self, *, seed: int) -> None:
        self.rng = random.Random(f"{seed}-names")
        self.faker: Any = None
        try:
            from faker import Faker
        except ImportError:  # pragma: no cover - Faker is a development dependency
            return
        self.faker = Faker("de_DE")
        self.faker.seed_instance(seed)

    def full_name(self) -> str:
        if self.faker is not None:
            return str(self.faker.first_name()) + " " + str(self.faker.last_name())
        return f"{self.rng.choice(_FIRST)} {self.rng.choice(_LAST)}"

    def email(self, full_name: str) -> str:
        parts = [_ascii(p) for p in full_name.split()]
        parts = [p for p in parts if p]
        style = self.rng.randrange(4)
        if style == 0 and len(parts) >= 2:
            local = f"{parts[0]}.{parts[-1]}"
        elif style == 1 and len(parts) >= 2:
            local = f"{parts[0][0]}.{parts[-1]}"
        elif style == 2:
            local = f"{parts[-1] if parts else 'buerger'}{self.rng.randint(1, 99)}"
        else:
            local = f"{parts[0] if parts else 'info'}.{self.rng.randint(1960, 2005)}"
        return f"{local}@{self.rng.choice(_DOMAINS)}"

    def phone(self) -> str:
        if self.faker is not None and self.rng.random() < 0.5:
            return str(self.faker.phone_number())
        prefix = f"01{self.rng.choice('567')}{self.rng.randint(0, 9)}"
        return f"{prefix} {self.rng.randint(1000000, 9999999)}"
