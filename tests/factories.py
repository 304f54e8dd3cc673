"""factory_boy factories, called explicitly in each test."""

import uuid
from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone

from accounts.models import Membership, ModeratorRole, User
from civic.models import Area, Department, Topic
from consultations.models import (
    Comment,
    Consultation,
    Outcome,
    OutcomeItem,
    Section,
    Support,
)

PASSWORD = "Correct-horse-battery-9"


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"5001{n:02d}")
    name_zh = factory.Sequence(lambda n: f"测试区{n}")
    name_en = factory.Sequence(lambda n: f"Test District {n}")
    level = factory.LazyAttribute(lambda o: (o.parent.level + 1) if o.parent else 1)
    parent = None


def city() -> Area:
    return AreaFactory(code="500000", name_zh="重庆市", name_en="Chongqing", level=1)


def district(**kwargs) -> Area:
    return AreaFactory(parent=city(), **kwargs)


def area_chain() -> tuple[Area, Area, Area, Area]:
    """A city, a district, a street and a community under each other."""
    top = city()
    dist = AreaFactory(code="500103", name_zh="渝中区", name_en="Yuzhong", parent=top)
    street = AreaFactory(
        code="500103002", name_zh="解放碑街道", name_en="Jiefangbei", parent=dist
    )
    community = AreaFactory(
        code="500103002001", name_zh="民族路社区", name_en="Minzulu", parent=street
    )
    return top, dist, street, community


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name_zh = factory.Sequence(lambda n: f"主题{n}")
    name_en = factory.Sequence(lambda n: f"Topic {n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    slug = factory.Sequence(lambda n: f"department-{n}")
    name_zh = factory.Sequence(lambda n: f"测试局{n}")
    name_en = factory.Sequence(lambda n: f"Test Bureau {n}")
    area = factory.LazyFunction(city)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    display_name = factory.Sequence(lambda n: f"居民{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        obj.save()
        if create and extracted is not False:
            EmailAddress.objects.create(
                user=obj, email=obj.email, verified=True, primary=True
            )


def official(department: Department | None = None, *, mfa: bool = True) -> User:
    user = UserFactory()
    Membership.objects.create(user=user, department=department or DepartmentFactory())
    if mfa:
        enroll_totp(user)
    return user


def moderator(department: Department | None = None, *, mfa: bool = True) -> User:
    user = UserFactory()
    ModeratorRole.objects.create(user=user, department=department)
    if mfa:
        enroll_totp(user)
    return user


def enroll_totp(user: User) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


# Consultations ----------------------------------------------------------------


def _ago(**delta):
    return factory.LazyFunction(lambda: timezone.now() - timedelta(**delta))


def _ahead(**delta):
    return factory.LazyFunction(lambda: timezone.now() + timedelta(**delta))


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome

    consultation = factory.SubFactory(
        "tests.factories.ConsultationFactory", closed=True
    )
    summary = "我们收到了大量意见，并据此修改了草案。"
    published_at = None


class OutcomeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutcomeItem

    outcome = factory.SubFactory(OutcomeFactory)
    position = factory.Sequence(lambda n: n)
    theme = factory.Sequence(lambda n: f"主题意见{n}")
    what_was_said = "多位居民建议延长服务时间。"
    decision = OutcomeItem.Decision.ADOPTED
    reason = "已在修改稿中采纳。"


class ConsultationFactory(factory.django.DjangoModelFactory):
    """A draft by default; ``scheduled=True``, ``open=True``, ``closed=True``,
    ``responded=True`` or ``archived=True`` give the other states (or call
    ``consultation_in(state)``). ``areas=[...]``/``topics=[...]`` set those."""

    class Meta:
        model = Consultation
        skip_postgeneration_save = True

    department = factory.SubFactory(DepartmentFactory)
    title = factory.Sequence(lambda n: f"征求意见稿{n}")
    summary = "一份公开征求意见的草案。"
    body = ""
    opens_at = None
    closes_at = None
    published_at = None
    archived_at = None

    class Params:
        scheduled = factory.Trait(
            published_at=_ago(hours=1),
            opens_at=_ahead(days=1),
            closes_at=_ahead(days=31),
        )
        open = factory.Trait(
            published_at=_ago(days=2), opens_at=_ago(days=1), closes_at=_ahead(days=29)
        )
        closed = factory.Trait(
            published_at=_ago(days=32), opens_at=_ago(days=31), closes_at=_ago(days=1)
        )
        responded = factory.Trait(
            closed=True,
            outcome=factory.RelatedFactory(
                OutcomeFactory,
                factory_related_name="consultation",
                published_at=_ago(hours=1),
            ),
        )
        archived = factory.Trait(responded=True, archived_at=_ago(minutes=1))

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.areas.set(extracted)

    @factory.post_generation
    def topics(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.topics.set(extracted)


STATES = ("draft", "scheduled", "open", "closed", "responded", "archived")


def consultation_in(state: str, **kwargs) -> Consultation:
    """A consultation in ``state`` (one of ``STATES``)."""
    if state not in STATES:
        raise ValueError(state)
    if state != "draft":
        kwargs[state] = True
    return ConsultationFactory(**kwargs)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    consultation = factory.SubFactory(ConsultationFactory)
    position = factory.Sequence(lambda n: n)
    kind = Section.Kind.ARTICLE
    number = factory.Sequence(lambda n: f"第{n}条")
    heading = ""
    body = factory.Sequence(lambda n: f"第{n}条的条文内容。")
    anchor = factory.Sequence(lambda n: f"article-{n}")


class CommentFactory(factory.django.DjangoModelFactory):
    """A visible top-level comment on an open consultation."""

    class Meta:
        model = Comment

    consultation = factory.SubFactory(ConsultationFactory, open=True)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"这是第{n}条意见。")
    stance = Comment.Stance.SUGGESTION
    status = Comment.Status.VISIBLE
    idempotency_key = factory.LazyFunction(uuid.uuid4)


class ReplyFactory(CommentFactory):
    """A visible reply to ``parent`` (its consultation and section)."""

    parent = factory.SubFactory(CommentFactory)
    consultation = factory.SelfAttribute("parent.consultation")
    section = factory.SelfAttribute("parent.section")
    stance = ""


class SupportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Support

    comment = factory.SubFactory(CommentFactory)
    user = factory.SubFactory(UserFactory)
