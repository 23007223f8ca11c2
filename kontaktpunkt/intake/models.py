"""Concerns (Anliegen) and what they are filed under: categories, channels and intake points."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kontaktpunkt.accounts.models import Unit
from kontaktpunkt.core.models import Schedule
from kontaktpunkt.geo.models import Area, Zone


class Field(models.TextChoices):
    SECURITY = "security", _("security")
    ORDER = "order", _("order")
    CLEANLINESS = "cleanliness", _("cleanliness")
    SOCIAL = "social", _("social")


class Priority(models.IntegerChoices):
    LOW = 1, _("low")
    NORMAL = 2, _("normal")
    HIGH = 3, _("high")
    URGENT = 4, _("urgent")


class Category(models.Model):
    """A subcategory of one of the four fields, e.g. order / public drinking or cleanliness / syringes."""

    code = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=150)
    field = models.CharField(_("field"), max_length=20, choices=Field.choices)
    group = models.CharField(
        _("group"), max_length=100, blank=True, help_text=_("e.g. streets, waste, green spaces")
    )
    description = models.TextField(_("description"), blank=True)
    synonyms = models.TextField(
        _("synonyms"), blank=True, help_text=_("Further words people use, comma-separated.")
    )
    default_unit = models.ForeignKey(
        Unit, verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="+"
    )
    default_priority = models.PositiveSmallIntegerField(
        _("default priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    deadline_hours = models.PositiveIntegerField(_("deadline in business hours"), default=40)
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Offered to citizens and shown on the public map.")
    )
    needs_help = models.BooleanField(_("needs help by default"), default=False)
    open311_service_code = models.CharField(_("Open311 service code"), max_length=60, unique=True)
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["field", "sort_order", "name"]

    def __str__(self) -> str:
        return f"{self.get_field_display()} / {self.name}"


class AttributeType(models.TextChoices):
    """The six datatypes of Open311 service-definition attributes."""

    STRING = "string", _("text (one line)")
    NUMBER = "number", _("number")
    DATETIME = "datetime", _("date and time")
    TEXT = "text", _("text (several lines)")
    SINGLEVALUELIST = "singlevaluelist", _("one of a list")
    MULTIVALUELIST = "multivaluelist", _("several of a list")


class CategoryAttribute(models.Model):
    """An extra question of a category (an Open311 attribute)."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="attributes")
    code = models.SlugField(_("key"), max_length=60)
    datatype = models.CharField(_("datatype"), max_length=20, choices=AttributeType.choices)
    question = models.CharField(_("question"), max_length=300)
    description = models.CharField(_("help text"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=False)
    values = models.JSONField(
        _("values"), default=list, blank=True, help_text=_('List of {"key": ..., "name": ...}.')
    )
    order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("extra question")
        verbose_name_plural = _("extra questions")
        ordering = ["category", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "code"], name="attribute_unique_code_per_category"
            )
        ]

    def __str__(self) -> str:
        return self.question


class IntakePointKind(models.TextChoices):
    CONTACT_POINT = "contact_point", _("contact point (walk-in office)")
    MOBILE_STATION = "mobile_station", _("mobile station")
    DIALOGUE_DAY = "dialogue_day", _("dialogue day")
    OFFICE = "office", _("office (phone and e-mail)")


class IntakePoint(models.Model):
    """Where concerns are taken in person or by phone, open by its schedule."""

    slug = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=IntakePointKind.choices)
    address = models.CharField(_("address"), max_length=300, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    schedule = models.ForeignKey(
        Schedule, verbose_name=_("opening schedule"), on_delete=models.PROTECT, related_name="+"
    )
    units = models.ManyToManyField(
        Unit, verbose_name=_("staffed by"), blank=True, related_name="intake_points"
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("intake point")
        verbose_name_plural = _("intake points")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    WALK_IN = "walk_in", _("in person")
    PHONE = "phone", _("phone")
    EMAIL = "email", _("e-mail")
    WEB = "web", _("web form")
    OPEN311 = "open311", _("Open311")
    FIELD = "field", _("field (own observation)")


class Status(models.TextChoices):
    NEW = "new", _("new")
    TRIAGED = "triaged", _("triaged")
    ASSIGNED = "assigned", _("assigned")
    IN_PROGRESS = "in_progress", _("in progress")
    WAITING_PARTNER = "waiting_partner", _("waiting for partner")
    RESOLVED = "resolved", _("resolved")
    CLOSED = "closed", _("closed")
    REJECTED = "rejected", _("rejected")
    DUPLICATE = "duplicate", _("duplicate")


OPEN_STATUSES = frozenset(
    {Status.NEW, Status.TRIAGED, Status.ASSIGNED, Status.IN_PROGRESS, Status.WAITING_PARTNER}
)


class ReferenceCounter(models.Model):
    """The last number handed out for a prefix and year (KP-2026-000123)."""

    prefix = models.CharField(max_length=10)
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="reference_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last_number}"


class Concern(models.Model):
    """A citizen's concern (Anliegen) or an officer's own observation, from intake to closure."""

    reference = models.CharField(_("reference"), max_length=30, unique=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    intake_point = models.ForeignKey(
        IntakePoint,
        verbose_name=_("intake point"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="concerns",
    )
    description = models.TextField(_("description"))
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="concerns",
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    responsible_unit = models.ForeignKey(
        Unit,
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="concerns",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_concerns",
    )
    needs_help = models.BooleanField(
        _("needs help"), default=False, help_text=_("Streetwork should look at it.")
    )

    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    address = models.CharField(_("address or place"), max_length=300, blank=True)
    district = models.ForeignKey(
        Area,
        verbose_name=_("district"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    quarter = models.ForeignKey(
        Area,
        verbose_name=_("quarter"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    zones = models.ManyToManyField(
        Zone, verbose_name=_("zones"), blank=True, related_name="concerns"
    )
    outside_city = models.BooleanField(_("outside the city"), default=False)
    h3_cell = models.CharField(_("H3 cell"), max_length=16, blank=True, db_index=True)

    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    partner_reference = models.CharField(
        _("partner's reference"),
        max_length=100,
        blank=True,
        help_text=_(
            "The number under which the reporter already reported this to a partner (e.g. "
            "maak-et.de): the forward links to that request instead of sending it again."
        ),
    )
    is_public = models.BooleanField(_("released for the public map"), default=False)
    public_token = models.CharField(_("status-page secret"), max_length=64, unique=True)

    reported_at = models.DateTimeField(_("reported"), default=timezone.now)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    extra = models.JSONField(
        _("further details"),
        default=dict,
        blank=True,
        help_text=_("Answers to the category's extra questions and channel details, e.g. Open311."),
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        ordering = ["-reported_at", "-id"]
        indexes = [
            models.Index(
                fields=["responsible_unit", "status", "-reported_at", "-id"],
                name="concern_queue_idx",
            ),
            models.Index(fields=["-reported_at", "-id"], name="concern_recent_idx"),
            models.Index(fields=["intake_point", "reported_at"], name="concern_intake_day_idx"),
            models.Index(fields=["category", "reported_at"], name="concern_category_time_idx"),
            models.Index(fields=["district", "reported_at"], name="concern_district_time_idx"),
            models.Index(fields=["assignee", "status"], name="concern_assignee_idx"),
            # Queues (cases/queries.py): a unit's concerns newest or oldest first, all of them or
            # the open ones, and by category (category filter, counts per field).
            models.Index(
                fields=["responsible_unit", "-reported_at", "-id"], name="concern_unit_recent_idx"
            ),
            models.Index(
                fields=["responsible_unit", "-reported_at", "-id"],
                name="concern_unit_open_idx",
                condition=models.Q(status__in=sorted(OPEN_STATUSES)),
            ),
            models.Index(
                fields=["responsible_unit", "category", "-reported_at", "-id"],
                name="concern_unit_category_idx",
            ),
            # Duplicate lookup (intake/duplicates.py): open concerns of a category in a box.
            models.Index(
                fields=["category", "lat", "lon"],
                name="concern_open_place_idx",
                condition=models.Q(status__in=sorted(OPEN_STATUSES)),
            ),
            # Duplicates by the partner's number (intake/duplicates.py): the few that carry one.
            models.Index(
                fields=["partner_reference"],
                name="concern_partner_ref_idx",
                condition=~models.Q(partner_reference=""),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ReporterContact(models.Model):
    """How to reach the person who reported; personal data, kept apart so it can be erased on its own."""

    concern = models.OneToOneField(Concern, on_delete=models.CASCADE, related_name="reporter")
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    consent = models.BooleanField(_("consents to be contacted"), default=False)
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    wants_updates = models.BooleanField(_("wants status updates"), default=False)

    class Meta:
        verbose_name = _("reporter contact")
        verbose_name_plural = _("reporter contacts")

    def __str__(self) -> str:
        return self.name or self.email or self.phone or "-"


class EventKind(models.TextChoices):
    CREATED = "created", _("recorded")
    CHANGED = "changed", _("changed")
    STATUS = "status", _("status changed")
    ASSIGNED = "assigned", _("assigned")
    NOTE = "note", _("internal note")
    REPLY = "reply", _("public reply")
    MERGED = "merged", _("merged")
    FORWARDED = "forwarded", _("forwarded")
    PARTNER_UPDATE = "partner_update", _("partner update")
    ESCALATED = "escalated", _("escalated")


class ConcernEvent(models.Model):
    """One entry of a concern's timeline: who did what when, with the values before and after."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changes = models.JSONField(
        _("changes"), default=dict, blank=True, help_text=_('{"field": [before, after]}')
    )
    text = models.TextField(_("text"), blank=True)
    is_public = models.BooleanField(_("public"), default=False)
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("The concern's version after this event.")
    )

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        ordering = ["concern", "at", "id"]
        indexes = [models.Index(fields=["concern", "at"], name="event_concern_time_idx")]

    def __str__(self) -> str:
        return f"{self.concern_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"
