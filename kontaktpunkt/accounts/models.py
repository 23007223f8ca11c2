"""People, the units they work in, and the roles they hold there."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from kontaktpunkt.core.models import Schedule


class UnitKind(models.TextChoices):
    ORDER_SERVICE = "order_service", _("municipal order service")
    STREETWORK = "streetwork", _("streetwork")
    DESK = "desk", _("contact-point desk")
    LEADERSHIP = "leadership", _("leadership and reporting")
    ADMINISTRATION = "administration", _("administration")
    CITY_WORKS = "city_works", _("city works")
    STREET_CLEANING = "street_cleaning", _("street cleaning")
    POLICE = "police", _("police")
    DRUG_HELP = "drug_help", _("drug-help centre")
    WELFARE = "welfare", _("welfare association")


PARTNER_KINDS = frozenset(
    {
        UnitKind.CITY_WORKS,
        UnitKind.STREET_CLEANING,
        UnitKind.POLICE,
        UnitKind.DRUG_HELP,
        UnitKind.WELFARE,
    }
)


class Unit(models.Model):
    """An organisational unit (Organisationseinheit): one of the city's own, or an outside partner."""

    slug = models.SlugField(_("key"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=30)
    kind = models.CharField(_("kind"), max_length=30, choices=UnitKind.choices)
    is_partner = models.BooleanField(_("outside partner"), default=False)
    address = models.CharField(_("address"), max_length=300, blank=True)
    service_schedule = models.ForeignKey(
        Schedule,
        verbose_name=_("service hours"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Deadlines of this unit are counted in these hours."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["is_partner", "name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class ContactChannelKind(models.TextChoices):
    EMAIL = "email", _("e-mail")
    PHONE = "phone", _("phone")
    OPEN311 = "open311", _("Open311 endpoint")
    PORTAL = "portal", _("web portal")
    LOGIN = "login", _("restricted login in Kontaktpunkt")


class ContactChannel(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="contact_channels")
    kind = models.CharField(_("kind"), max_length=20, choices=ContactChannelKind.choices)
    value = models.CharField(_("address or number"), max_length=300)
    label = models.CharField(_("label"), max_length=100, blank=True)
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        verbose_name = _("contact channel")
        verbose_name_plural = _("contact channels")
        ordering = ["unit", "-is_primary", "kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class Role(models.TextChoices):
    DESK_CLERK = "desk_clerk", _("desk clerk")
    KOD_OFFICER = "kod_officer", _("order service officer")
    KOD_LEAD = "kod_lead", _("order service lead / dispatcher")
    STREETWORKER = "streetworker", _("streetworker")
    PARTNER = "partner", _("partner")
    ANALYST = "analyst", _("analyst / leadership")
    ADMIN = "admin", _("administrator")
    DPO = "dpo", _("data-protection officer")


class User(AbstractUser):
    """A person who signs in. What they may do follows from their memberships (see permissions.py)."""

    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username


class Membership(models.Model):
    """A person holds a role in a unit. A person may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"], name="membership_unique_role_per_unit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()} ({self.unit})"
