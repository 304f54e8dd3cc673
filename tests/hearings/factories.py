"""Hearing factories, called explicitly in each test."""

import uuid
from datetime import timedelta

import factory
from django.db.models import F
from django.utils import timezone

from hearings.models import (
    AgendaItem,
    Hearing,
    LiveQuestion,
    Registration,
    Testimony,
)
from tests.factories import ConsultationFactory, UserFactory


def _ahead(**delta):
    return factory.LazyFunction(lambda: timezone.now() + timedelta(**delta))


class HearingFactory(factory.django.DjangoModelFactory):
    """A scheduled hearing in three days of an open consultation;
    ``live=True`` or ``ended=True`` give the other states by the clock."""

    class Meta:
        model = Hearing

    consultation = factory.SubFactory(ConsultationFactory, open=True)
    title = factory.Sequence(lambda n: f"听证会{n}")
    description = "就草案听取市民意见。"
    starts_at = _ahead(days=3)
    ends_at = _ahead(days=3, hours=2)
    venue = "市政府第一会议室"
    registration_deadline = _ahead(days=2)
    testimony_deadline = _ahead(days=4)
    capacity = 10
    speaker_slots = 3
    speaker_minutes = 5

    class Params:
        live = factory.Trait(
            starts_at=_ahead(minutes=-30),
            ends_at=_ahead(hours=1),
            registration_deadline=_ahead(hours=-1),
        )
        ended = factory.Trait(
            starts_at=_ahead(hours=-3),
            ends_at=_ahead(hours=-1),
            registration_deadline=_ahead(hours=-4),
            testimony_deadline=_ahead(days=1),
        )


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    hearing = factory.SubFactory(HearingFactory)
    position = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"议程{n}")
    presenter = "主持人"
    planned_minutes = 10


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A place held to attend (counted on the hearing)."""

    class Meta:
        model = Registration

    hearing = factory.SubFactory(HearingFactory)
    user = factory.SubFactory(UserFactory)
    kind = Registration.Kind.ATTEND
    status = Registration.Status.REGISTERED

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        registration = super()._create(model_class, *args, **kwargs)
        if registration.status == Registration.Status.REGISTERED:
            Hearing.objects.filter(pk=registration.hearing_id).update(
                registered_count=F("registered_count") + 1
            )
            registration.hearing.refresh_from_db()
        return registration


def speaker(hearing: Hearing, *, approved: bool = False, **kwargs) -> Registration:
    return RegistrationFactory(
        hearing=hearing,
        kind=Registration.Kind.SPEAK,
        topic=kwargs.pop("topic", "社区养老服务"),
        speaker=Registration.Speaker.APPROVED
        if approved
        else Registration.Speaker.REQUESTED,
        **kwargs,
    )


class QuestionFactory(factory.django.DjangoModelFactory):
    """A visible live question."""

    class Meta:
        model = LiveQuestion

    hearing = factory.SubFactory(HearingFactory, live=True)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"第{n}个问题？")
    status = LiveQuestion.Status.VISIBLE
    idempotency_key = factory.LazyFunction(uuid.uuid4)


class TestimonyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Testimony

    hearing = factory.SubFactory(HearingFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"书面意见{n}。")
    status = LiveQuestion.Status.VISIBLE
