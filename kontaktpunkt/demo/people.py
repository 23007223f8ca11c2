"""The people of the demo world: one login per role (printed), and further staff who cannot sign in."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from kontaktpunkt.accounts.models import Role, Unit, User
from kontaktpunkt.accounts.services import membership_grant, user_create
from kontaktpunkt.demo.names import NameSource

DEMO_PASSWORD = "demo-kontaktpunkt-2026"  # noqa: S105 - printed on purpose: demo data only


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    role: Role
    unit_slug: str
    is_staff: bool = False
    is_superuser: bool = False


# One login per role; these are printed. Further staff (below) cannot sign in.
DEMO_LOGINS: tuple[DemoUser, ...] = (
    DemoUser("demo-schalter", "Petra Hoffmann", Role.DESK_CLERK, "desk"),
    DemoUser("demo-kod", "Jan Krämer", Role.KOD_OFFICER, "kod"),
    DemoUser("demo-kod-leitung", "Melanie Wolff", Role.KOD_LEAD, "kod"),
    DemoUser("demo-streetwork", "Timo Brandt", Role.STREETWORKER, "streetwork"),
    DemoUser("demo-stadtbetrieb", "Stefan Lenz", Role.PARTNER, "city-works"),
    DemoUser("demo-analyse", "Claudia Scholz", Role.ANALYST, "leadership"),
    DemoUser("demo-admin", "Markus Vogel", Role.ADMIN, "administration", True, True),
    DemoUser("demo-datenschutz", "Heike Peters", Role.DPO, "administration"),
)
# (username prefix, role, unit, how many more)
DEMO_STAFF: tuple[tuple[str, Role, str, int], ...] = (
    ("demo-schalter", Role.DESK_CLERK, "desk", 2),
    ("demo-kod", Role.KOD_OFFICER, "kod", 11),
    ("demo-kod-leitung", Role.KOD_LEAD, "kod", 1),
    ("demo-streetwork", Role.STREETWORKER, "streetwork", 3),
)


def demo_people_ensure() -> list[tuple[DemoUser, User]]:
    """The demo people by username, created when missing; logins get the demo password."""
    password = make_password(DEMO_PASSWORD)
    names = NameSource(seed=7)
    specs = list(DEMO_LOGINS)
    for prefix, role, unit_slug, count in DEMO_STAFF:
        specs += [
            DemoUser(f"{prefix}-{i:02d}", names.full_name(), role, unit_slug)
            for i in range(2, count + 2)
        ]
    logins = {spec.username for spec in DEMO_LOGINS}
    existing = {
        u.username: u for u in User.objects.filter(username__in=[s.username for s in specs])
    }
    units = {u.slug: u for u in Unit.objects.all()}
    people: list[tuple[DemoUser, User]] = []
    for spec in specs:
        user = existing.get(spec.username)
        if user is None:
            user = user_create(
                username=spec.username,
                password=None,
                display_name=spec.display_name,
                memberships=[(spec.unit_slug, spec.role)],
                is_staff=spec.is_staff,
                is_superuser=spec.is_superuser,
            )
        else:
            membership_grant(user=user, unit=units[spec.unit_slug], role=spec.role)
        if spec.username in logins:
            user.password = password
            user.save(update_fields=["password"])
        people.append((spec, user))
    return people
