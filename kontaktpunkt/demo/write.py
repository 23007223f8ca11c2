"""Write a planned demo world: concerns, timelines, reporter contacts and zone links, in bulk.

Concerns are written in time order in batches, each with one bulk insert per table; references come
from one reserved block per local calendar year (intake.services.concern_reference_block), so within
each year they rise with the time of report and each year's counter stays right. Texts and life
cycles are drawn here, from their own seeded sources.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Sequence
from datetime import timedelta
from itertools import groupby
from typing import Any

from kontaktpunkt.demo import patterns
from kontaktpunkt.demo.lifecycle import Draft, Lifecycle, lifecycle_plan
from kontaktpunkt.demo.names import NameSource
from kontaktpunkt.demo.places import split_address
from kontaktpunkt.demo.plan import Progress, Sketch, WorldPlan
from kontaktpunkt.demo.texts import PlaceRef, concern_text
from kontaktpunkt.intake.models import Concern, ConcernEvent, ReporterContact
from kontaktpunkt.intake.services import concern_reference_block

DEMO_TOKEN_PREFIX = "demo-"  # noqa: S105 - marks demo rows, not a secret
BATCH = 2000


def concerns_write(
    plan: WorldPlan, sketches: Sequence[Sketch], progress: Progress
) -> dict[str, int]:
    """Write the sketched concerns with texts, life cycles and contacts; returns row counts."""
    rng_life = random.Random(f"{plan.seed}-life")
    rng_text = random.Random(f"{plan.seed}-text")
    rng_contact = random.Random(f"{plan.seed}-contact")
    names = NameSource(seed=plan.seed)
    references = _references(plan, sketches)
    ids: list[int] = []
    counts = {"concerns": 0, "events": 0, "contacts": 0, "zones": 0, "duplicates": 0}
    duplicates: list[Concern] = []
    for first in range(0, len(sketches), BATCH):
        batch = sketches[first : first + BATCH]
        rows: list[tuple[Concern, Lifecycle, ReporterContact | None]] = []
        for offset, sketch in enumerate(batch):
            index = first + offset
            contact = _contact(rng_contact, names, sketch)
            draft = _draft(plan, sketch, contact, references)
            life = lifecycle_plan(rng_life, draft, staff=plan.staff, now=plan.now, tz=plan.tz)
            name = contact.name if contact is not None else ""
            description = concern_text(
                rng_text,
                category=sketch.category.code,
                channel=sketch.channel,
                place=sketch.place.ref if sketch.place else _address_only(sketch),
                hour=sketch.reported_at.astimezone(plan.tz).hour,
                reporter_name=name,
            )
            concern = _concern(plan, sketch, draft, life, references[index], description)
            rows.append((concern, life, contact))
        created = Concern.objects.bulk_create([row[0] for row in rows])
        if any(c.pk is None for c in created):
            by_ref = dict(
                Concern.objects.filter(reference__in=[c.reference for c in created]).values_list(
                    "reference", "id"
                )
            )
            for concern in created:
                concern.pk = by_ref[concern.reference]
        ids += [c.pk for c in created]
        events: list[ConcernEvent] = []
        contacts: list[ReporterContact] = []
        links: list[Any] = []
        through = Concern.zones.through
        for offset, (concern, life, contact) in enumerate(rows):
            sketch = batch[offset]
            original = sketch.duplicate_of if life.status == "duplicate" else None
            if original is not None:
                concern.duplicate_of_id = ids[original]
                duplicates.append(concern)
            for number, event in enumerate(life.events, start=1):
                changes = event.changes
                if event.kind == "merged" and original is not None:
                    target = {"id": ids[original], "label": references[original]}
                    changes = {"duplicate_of": [None, target], **changes}
                events.append(
                    ConcernEvent(
                        concern_id=concern.pk,
                        kind=event.kind,
                        at=event.at,
                        actor_id=event.actor.id if event.actor else None,
                        changes=changes,
                        text=event.text,
                        is_public=event.public,
                        version=number,
                    )
                )
            if contact is not None:
                contact.concern_id = concern.pk
                contacts.append(contact)
            links += [through(concern_id=concern.pk, zone_id=z) for z in sketch.zone_ids]
        ConcernEvent.objects.bulk_create(events, batch_size=BATCH)
        ReporterContact.objects.bulk_create(contacts, batch_size=BATCH)
        through.objects.bulk_create(links, batch_size=BATCH)
        counts["concerns"] += len(created)
        counts["events"] += len(events)
        counts["contacts"] += len(contacts)
        counts["zones"] += len(links)
        done = first + len(batch)
        progress.log(
            f"    Anliegen {100 * done // len(sketches):3d} % ({done}/{len(sketches)}, "
            f"{progress.elapsed():.1f} s)"
        )
    Concern.objects.bulk_update(duplicates, ["duplicate_of"], batch_size=BATCH)
    counts["duplicates"] = len(duplicates)
    return counts


def _references(plan: WorldPlan, sketches: Sequence[Sketch]) -> list[str]:
    """One reference per sketch (sorted by time): a reserved block for each local year."""
    years = [sketch.reported_at.astimezone(plan.tz).year for sketch in sketches]
    references: list[str] = []
    for year, group in groupby(years):
        references += concern_reference_block(year=year, count=sum(1 for _ in group))
    return references


def _draft(
    plan: WorldPlan, sketch: Sketch, contact: ReporterContact | None, references: Sequence[str]
) -> Draft:
    category = sketch.category
    rng = plan.rng
    priority = category.default_priority
    roll = rng.random()
    if roll < 0.12:
        priority = min(4, priority + 1)
    elif roll < 0.2:
        priority = max(1, priority - 1)
    needs_help = category.needs_help or (
        rng.random() < patterns.ALSO_NEEDS_HELP.get(category.code, 0.0)
    )
    return Draft(
        reported_at=sketch.reported_at,
        channel=sketch.channel,
        category_id=category.pk,
        category_code=category.code,
        category_label=plan.label(category),
        field=category.field,
        unit=plan.units[category.default_unit_id],
        deadline_hours=float(category.deadline_hours),
        priority=priority,
        needs_help=needs_help,
        public_category=category.is_public,
        address=sketch.place.address if sketch.place else _address_only(sketch).address,
        created_by=sketch.created_by,
        has_contact=contact is not None and contact.consent,
        wants_updates=contact is not None and contact.wants_updates,
        outside_city=sketch.outside_city,
        duplicate_of=sketch.duplicate_of,
        duplicate_reference=references[sketch.duplicate_of]
        if sketch.duplicate_of is not None
        else "",
    )


def _concern(
    plan: WorldPlan,
    sketch: Sketch,
    draft: Draft,
    life: Lifecycle,
    reference: str,
    description: str,
) -> Concern:
    delay = {
        "email": timedelta(minutes=plan.rng.randint(1, 10)),
        "open311": timedelta(seconds=5),
    }
    created_at = sketch.reported_at + delay.get(sketch.channel, timedelta())
    return Concern(
        reference=reference,
        channel=sketch.channel,
        intake_point=sketch.point,
        description=description,
        category=sketch.category,
        priority=draft.priority,
        status=life.status,
        responsible_unit_id=draft.unit.id,
        assignee_id=life.assignee.id if life.assignee else None,
        needs_help=draft.needs_help,
        lat=sketch.place.lat if sketch.place else None,
        lon=sketch.place.lon if sketch.place else None,
        address=draft.address,
        district_id=sketch.district_id,
        quarter_id=sketch.quarter_id,
        outside_city=sketch.outside_city,
        h3_cell=sketch.h3_cell,
        is_public=life.is_public,
        public_token=DEMO_TOKEN_PREFIX + secrets.token_urlsafe(24),
        reported_at=sketch.reported_at,
        created_at=created_at,
        updated_at=max(life.updated_at, created_at),
        due_at=life.due_at,
        resolved_at=life.resolved_at,
        closed_at=life.closed_at,
        created_by_id=sketch.created_by.id if sketch.created_by else None,
        version=life.version,
    )


def _address_only(sketch: Sketch) -> PlaceRef:
    """A place described only in words, for concerns given without a map point."""
    if sketch.point is not None and sketch.point.address:
        street, number = split_address(sketch.point.address.split(",")[0])
        return PlaceRef(street, number)
    return PlaceRef("Innenstadt")


_CONTACT_SHARES = {"web": 0.55, "open311": 0.45, "email": 1.0, "phone": 0.45, "walk_in": 0.35}


def _contact(rng: random.Random, names: NameSource, sketch: Sketch) -> ReporterContact | None:
    share = _CONTACT_SHARES.get(sketch.channel, 0.0)
    if rng.random() >= share:
        return None
    channel = sketch.channel
    full_name = names.full_name()
    name = full_name if channel != "open311" and rng.random() < 0.85 else ""
    email = (
        names.email(full_name)
        if channel in {"web", "email", "open311"} or rng.random() < 0.3
        else ""
    )
    phone = names.phone() if channel in {"phone", "walk_in"} or rng.random() < 0.2 else ""
    # Contact data is only kept with consent (the forms ask for it), so every stored contact has it.
    return ReporterContact(
        name=name,
        email=email,
        phone=phone,
        consent=True,
        consent_at=sketch.reported_at,
        wants_updates=bool(email or phone) and rng.random() < 0.65,
    )
