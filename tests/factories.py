"""factory_boy factories, called explicitly in each test."""

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from accounts.models import Membership, ModeratorRole, User
from civic.models import Area, Department, Topic

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
