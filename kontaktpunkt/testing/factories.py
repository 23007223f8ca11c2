"""factory_boy factories with German fake data, shared by the test suites."""

from __future__ import annotations

import secrets
from typing import Any

import factory
from django.utils import timezone

from kontaktpunkt.accounts.models import Membership, Role, Unit, User
from kontaktpunkt.intake.models import Category, Channel, Concern, Field, Priority, Status


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    display_name = factory.Faker("name", locale="de_DE")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "geheim-123")

    @factory.post_generation
    def save_password(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.LazyFunction(lambda: Unit.objects.get(slug="kod"))
    role = Role.KOD_OFFICER


class CategoryFactory(factory.django.DjangoModelFactory[Category]):
    class Meta:
        model = Category

    code = factory.Sequence(lambda n: f"test-category-{n}")
    name = factory.Sequence(lambda n: f"Testkategorie {n}")
    field = Field.ORDER
    default_unit = factory.LazyFunction(lambda: Unit.objects.get(slug="kod"))
    default_priority = Priority.NORMAL
    deadline_hours = 24
    open311_service_code = factory.Sequence(lambda n: f"test-{n}")


class ConcernFactory(factory.django.DjangoModelFactory[Concern]):
    class Meta:
        model = Concern

    reference = factory.Sequence(lambda n: f"KP-2099-{n:06d}")
    channel = Channel.WALK_IN
    description = factory.Faker("sentence", locale="de_DE")
    category = factory.SubFactory(CategoryFactory)
    responsible_unit = factory.LazyAttribute(
        lambda c: c.category.default_unit if c.category else None
    )
    status = Status.NEW
    public_token = factory.LazyFunction(lambda: secrets.token_urlsafe(24))
    reported_at = factory.LazyFunction(timezone.now)
