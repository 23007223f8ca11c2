"""Writes of routing: decide the responsible unit, hand concerns to partners, bring their news back.

`concerns_route` is called by intake.concerns_submit (the one call from intake upwards, explicit,
inside its transaction) before the concerns are inserted; `routing_record` after, to keep the
decisions and enqueue the forwards in the same transaction. `concern_reroute` is called when a
concern's category changes.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import TextChoices
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from kontaktpunkt.accounts.models import Unit, User
from kontaktpunkt.core.jobs import PermanentJobError, job_enqueue
from kontaktpunkt.core.mail import mail_enqueue
from kontaktpunkt.intake.models import (
    OPEN_STATUSES,
    Concern,
    EventKind,
    ReporterContact,
    Status,
)
from kontaktpunkt.intake.services import concern_add_note, concern_log, concern_update
from kontaktpunkt.routing import client
from kontaktpunkt.routing.linking import forward_link
from kontaktpunkt.routing.models import (
    Forward,
    ForwardState,
    ForwardTarget,
    RoutingDecision,
    RoutingRule,
    TargetKind,
)
from kontaktpunkt.routing.notify import acknowledgements_enqueue
from kontaktpunkt.routing.rules import RuleData, Situation, rule_choose

log = logging.getLogger(__name__)
FORWARD_KIND = "routing.forward"


# ----------------------------------------------------------------------------- deciding


def rules_active() -> list[RuleData]:
    return [
        RuleData(
            id=rule.pk,
            name=rule.name,
            category_id=rule.category_id,
            field=rule.field,
            area_id=rule.area_id,
            zone_id=rule.zone_id,
            weekdays=frozenset(int(day) for day in rule.weekdays or ()),
            time_from=rule.time_from,
            time_until=rule.time_until,
            months=frozenset(int(month) for month in rule.months or ()),
            unit_id=rule.unit_id,
        )
        for rule in RoutingRule.objects.filter(active=True).order_by("order", "id")
    ]


def _situation(concern: Concern, zone_ids: Sequence[int]) -> Situation:
    category = concern.category
    return Situation(
        category_id=concern.category_id,
        field=category.field if category else "",
        area_ids=frozenset(a for a in (concern.district_id, concern.quarter_id) if a),
        zone_ids=frozenset(zone_ids),
        at=timezone.localtime(concern.reported_at),
    )


def concerns_route(
    concerns: Sequence[Concern], zone_ids: Sequence[Sequence[int]]
) -> list[RuleData | None]:
    """Set each (unsaved) concern's responsible unit by the rules; the rule that decided, or None
    (the category's default unit stays)."""
    rules = rules_active()
    chosen: list[RuleData | None] = []
    for concern, zones in zip(concerns, zone_ids, strict=True):
        rule = rule_choose(rules, _situation(concern, zones)) if concern.category_id else None
        chosen.append(rule)
    units = Unit.objects.select_related("service_schedule").in_bulk(
        {rule.unit_id for rule in chosen if rule is not None}
    )
    for concern, rule in zip(concerns, chosen, strict=True):
        if rule is not None:
            concern.responsible_unit = units[rule.unit_id]
    return chosen


def routing_record(
    concerns: Sequence[Concern], rules: Sequence[RuleData | None], *, at: datetime
) -> None:
    """Keep why each concern went where it went, and enqueue the forwards to partners."""
    RoutingDecision.objects.bulk_create(
        RoutingDecision(
            concern=concern,
            rule_id=rule.id if rule else None,
            unit_id=concern.responsible_unit_id,
            reason=_reason(concern, rule),
            at=at,
        )
        for concern, rule in zip(concerns, rules, strict=True)
    )
    forwards_enqueue(concerns)
    acknowledgements_enqueue(concerns)


def _reason(concern: Concern, rule: RuleData | None) -> str:
    if rule is not None:
        return _("Rule “%(rule)s”") % {"rule": rule.name}
    if concern.category_id is None:
        return _("No category yet")
    return _("Default unit of the category")


def concern_reroute(*, concern: Concern, by: User | None) -> Concern:
    """Apply the rules again (after a change of category or place) and forward if the unit changed."""
    zones = list(concern.zones.values_list("id", flat=True))
    probe = Concern(
        category=concern.category,
        district_id=concern.district_id,
        quarter_id=concern.quarter_id,
        reported_at=concern.reported_at,
    )
    (rule,) = concerns_route([probe], [zones])
    unit_id = (
        rule.unit_id if rule else (concern.category.default_unit_id if concern.category else None)
    )
    with transaction.atomic():
        RoutingDecision.objects.create(
            concern=concern, rule_id=rule.id if rule else None, unit_id=unit_id,
            reason=_reason(concern, rule),
        )  # fmt: skip
        if unit_id != concern.responsible_unit_id:
            unit = Unit.objects.filter(pk=unit_id).first() if unit_id else None
            concern = concern_update(concern=concern, changes={"responsible_unit": unit}, by=by)
            forwards_enqueue([concern])
    return concern


# ----------------------------------------------------------------------------- forwarding


def forwards_enqueue(concerns: Sequence[Concern]) -> list[Forward]:
    """A forward (and its outbox job) for each concern whose unit has an active target.

    A concern that carries the partner's number (the reporter reported it there already) and goes
    to an Open311 target is linked instead: its forward is recorded as sent under that number, with
    no request to the partner, and the poller brings the partner's status back as for any other.
    """
    unit_ids = {c.responsible_unit_id for c in concerns if c.responsible_unit_id}
    targets = {
        target.unit_id: target
        for target in ForwardTarget.objects.filter(unit_id__in=unit_ids, active=True)
    }
    routed = [
        (c, targets[c.responsible_unit_id])
        for c in concerns
        if c.responsible_unit_id is not None and c.responsible_unit_id in targets
    ]
    made = [
        forward_link(concern=c, target=target)
        for c, target in routed
        if c.partner_reference and target.kind == TargetKind.OPEN311
    ]
    wanted = [
        Forward(concern=c, target=target)
        for c, target in routed
        if not (c.partner_reference and target.kind == TargetKind.OPEN311)
    ]
    if not wanted:
        return [f for f in made if f is not None]
    Forward.objects.bulk_create(wanted, ignore_conflicts=True)
    created = list(
        Forward.objects.filter(concern__in=[f.concern for f in wanted], state=ForwardState.PENDING)
    )
    for forward in created:
        job_enqueue(
            kind=FORWARD_KIND,
            payload={"forward": forward.pk},
            idempotency_key=f"forward:{forward.pk}",
        )
    return created + [f for f in made if f is not None]


def forward_deliver(*, forward_id: int) -> str:
    """Send one forward (the outbox job). Safe to repeat: a sent forward is not sent again, and the
    peer is asked with the same Idempotency-Key every time."""
    forward = (
        Forward.objects.select_related("target__unit", "concern__category")
        .filter(pk=forward_id)
        .first()
    )
    if forward is None:
        raise PermanentJobError(f"forward {forward_id} does not exist")
    if forward.state != ForwardState.PENDING:
        return forward.state
    target = forward.target
    if target.kind == TargetKind.OPEN311:
        identifier = _post(forward)
        _mark_sent(forward, identifier)
    else:
        with transaction.atomic():
            _forward_mail(forward)
            _mark_sent(forward, "")
    return ForwardState.SENT


def _post(forward: Forward) -> str:
    concern, target = forward.concern, forward.target
    code = target.service_codes.get(concern.category.code if concern.category else "", "")
    fields = {
        "api_key": target.api_key,
        "service_code": code or target.default_service_code,
        "description": f"[{concern.reference}] {concern.description}".strip(),
    }
    if target.jurisdiction_id:
        fields["jurisdiction_id"] = target.jurisdiction_id
    if concern.lat is not None and concern.lon is not None:
        fields["lat"], fields["long"] = f"{concern.lat:.6f}", f"{concern.lon:.6f}"
    else:
        fields["address_string"] = concern.address
    try:
        return client.post_request(
            endpoint=target.endpoint,
            fields=fields,
            idempotency_key=forward.idempotency_key,
            timeout=settings.KP_FORWARD_TIMEOUT_S,
        )
    except client.PeerRefusedError as exc:
        Forward.objects.filter(pk=forward.pk).update(
            state=ForwardState.FAILED, last_error=str(exc)[:2000]
        )
        raise PermanentJobError(str(exc)) from exc


def _mark_sent(forward: Forward, identifier: str) -> None:
    now = timezone.now()
    with transaction.atomic():
        updated = Forward.objects.filter(pk=forward.pk, state=ForwardState.PENDING).update(
            state=ForwardState.SENT, partner_request_id=identifier, sent_at=now, last_error=""
        )
        if updated:
            text = _("Forwarded to %(unit)s") % {"unit": forward.target.unit}
            if identifier:
                text += " " + _("(their number %(id)s)") % {"id": identifier}
            concern_log(
                concern=forward.concern,
                kind=EventKind.FORWARDED,
                by=None,
                changes={"forward": [None, {"unit": str(forward.target.unit), "id": identifier}]},
                text=text,
            )


def _forward_mail(forward: Forward) -> None:
    concern = forward.concern
    subject = _("Concern %(reference)s for %(unit)s") % {
        "reference": concern.reference,
        "unit": forward.target.unit,
    }
    lines = [
        subject,
        "",
        _("Category: %(category)s") % {"category": concern.category or "-"},
        _("Place: %(address)s") % {"address": concern.address or "-"},
        _("Reported: %(at)s")
        % {"at": timezone.localtime(concern.reported_at).strftime("%d.%m.%Y %H:%M")},
        "",
        concern.description,
        "",
        _("Tell us how it goes — no account needed:"),
        partner_answer_url(forward),
        _("Or answer to this e-mail and keep the reference in the subject."),
    ]
    mail_enqueue(
        key=f"forward-{forward.pk}",
        to=[forward.target.email],
        subject=subject,
        text="\n".join(lines),
        reference=concern.reference,
    )


# ----------------------------------------------------------------------------- news from partners


def forwards_poll(*, limit: int = 100) -> int:
    """Ask the partners about their open requests; returns how many forwards changed."""
    open_forwards = list(
        Forward.objects.filter(state=ForwardState.SENT, target__kind=TargetKind.OPEN311)
        .exclude(partner_status="closed")
        .exclude(partner_request_id="")
        .select_related("target", "concern")
        .order_by("polled_at", "id")[:limit]
    )
    changed = 0
    by_target: dict[int, list[Forward]] = {}
    for forward in open_forwards:
        by_target.setdefault(forward.target_id, []).append(forward)
    for forwards in by_target.values():
        target = forwards[0].target
        try:
            known = client.get_requests(
                endpoint=target.endpoint,
                ids=[f.partner_request_id for f in forwards],
                jurisdiction_id=target.jurisdiction_id,
            )
        except (client.PeerUnavailableError, client.PeerRefusedError) as exc:
            log.warning("polling %s failed: %s", target, exc)
            continue
        for forward in forwards:
            news = known.get(forward.partner_request_id)
            changed += bool(news and forward_news(forward=forward, news=news))
        Forward.objects.filter(pk__in=[f.pk for f in forwards]).update(polled_at=timezone.now())
    return changed


def forward_news(*, forward: Forward, news: client.PeerRequest) -> bool:
    """Bring a partner's status and note onto our concern; False when nothing changed."""
    if (news.status, news.status_notes) == (forward.partner_status, forward.partner_status_notes):
        return False
    with transaction.atomic():
        Forward.objects.filter(pk=forward.pk).update(
            partner_status=news.status,
            partner_status_notes=news.status_notes,
            partner_updated_at=news.updated_at,
        )
        concern = forward.concern
        text = _("%(unit)s reports: %(status)s") % {
            "unit": forward.target.unit,
            "status": _("closed") if news.status == "closed" else _("open"),
        }
        concern_log(
            concern=concern,
            kind=EventKind.PARTNER_UPDATE,
            by=None,
            changes={"partner_status": [forward.partner_status or None, news.status]},
            text=f"{text}: {news.status_notes}" if news.status_notes else text,
        )
        if news.status_notes and news.status_notes != forward.partner_status_notes:
            concern_add_note(concern=concern, text=news.status_notes, public=True, by=None)
        concern.refresh_from_db()
        if news.status == "closed" and concern.status in OPEN_STATUSES:
            concern_update(concern=concern, changes={"status": Status.CLOSED}, by=None)
    return True


# ----------------------------------------------------------------------------- a partner's answer by link

ANSWER_SALT = "kontaktpunkt.routing.partner-answer"


class PartnerOutcome(TextChoices):
    IN_PROGRESS = "in_progress", _lazy("We are working on it")
    DONE = "done", _lazy("Done")
    NOT_OURS = "not_ours", _lazy("Not our responsibility")


def partner_answer_signature(forward: Forward) -> str:
    """The secret part of a forward's answer link: only who received the forward knows it."""
    return salted_hmac(ANSWER_SALT, str(forward.key), algorithm="sha256").hexdigest()[:40]


def partner_answer_url(forward: Forward) -> str:
    path = reverse("routing:partner_answer", args=[forward.key, partner_answer_signature(forward)])
    return settings.KP_BASE_URL.rstrip("/") + path


def forward_by_answer_link(*, key: uuid.UUID, signature: str) -> Forward | None:
    """The forward an answer link belongs to, or None for a link that is not ours."""
    forward = (
        Forward.objects.select_related("concern__category", "target__unit").filter(key=key).first()
    )
    if forward is None or not constant_time_compare(signature, partner_answer_signature(forward)):
        return None
    return forward


def forward_answer(*, forward: Forward, outcome: str, note: str) -> None:
    """A partner's answer through its link: progress and completion reach the concern (and, as a
    public reply, the reporter) as a status polled from an Open311 partner would; "not ours" stays
    internal, for the desk to route the concern anew."""
    if outcome == PartnerOutcome.NOT_OURS:
        with transaction.atomic():
            text = _("%(unit)s says the concern is not its responsibility") % {
                "unit": forward.target.unit
            }
            concern_log(
                concern=forward.concern,
                kind=EventKind.PARTNER_UPDATE,
                by=None,
                changes={"partner_status": [forward.partner_status or None, outcome]},
                text=f"{text}: {note}" if note else text,
            )
            Forward.objects.filter(pk=forward.pk).update(
                partner_status=outcome, partner_status_notes=note, partner_updated_at=timezone.now()
            )
        return
    status = "closed" if outcome == PartnerOutcome.DONE else "open"
    forward_news(
        forward=forward,
        news=client.PeerRequest(
            service_request_id=forward.partner_request_id,
            status=status,
            status_notes=note,
            updated_at=timezone.now(),
        ),
    )


def updates_unsubscribe(*, concern: Concern) -> int:
    """The reporter wants no more status mails about this concern; how many contacts changed."""
    return ReporterContact.objects.filter(concern=concern, wants_updates=True).update(
        wants_updates=False
    )
