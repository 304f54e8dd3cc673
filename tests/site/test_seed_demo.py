"""`seed_demo` loads the demo city idempotently; `totp_code` prints a code
that allauth accepts."""

import io
import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management import CommandError, call_command

from accounts import demo as account_demo
from accounts.models import Membership, ModeratorRole, User
from civic import demo as civic_demo
from civic.models import Area, Department, Topic

SEEDED_MODELS = [
    Area,
    Department,
    Topic,
    User,
    Membership,
    ModeratorRole,
    Authenticator,
    EmailAddress,
]


def snapshot() -> dict:
    """Every row of every seeded model, as plain values."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in SEEDED_MODELS
    }


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def seed_directory_and_accounts() -> None:
    """The part of the demo these tests look at, without the slower rest."""
    civic_demo.seed()
    account_demo.seed()


@pytest.mark.django_db
def test_seed_demo_twice_changes_nothing_the_second_time():
    output = seed()
    first = snapshot()

    seed()

    assert "official@minyi.example" in output
    assert User.objects.filter(email="official@minyi.example").exists()
    second = snapshot()
    for model in SEEDED_MODELS:
        name = model.__name__
        assert len(second[name]) == len(first[name]), name
        assert second[name] == first[name], name


@pytest.mark.django_db
def test_seed_demo_loads_the_38_districts_and_counties_of_chongqing():
    civic_demo.seed()

    city = Area.objects.get(level=Area.Level.CITY)
    districts = Area.objects.filter(level=Area.Level.DISTRICT)
    assert city.name_zh == "重庆市"
    assert districts.count() == 38
    assert set(districts.values_list("parent", flat=True)) == {city.pk}
    assert districts.filter(code="500103", name_zh="渝中区").exists()
    assert districts.filter(code="500243").exists()
    assert all(d.path == f"500000/{d.code}/" for d in districts)


@pytest.mark.django_db
def test_seed_demo_accounts_have_the_roles_and_officials_have_totp():
    seed_directory_and_accounts()

    for email in ("official@minyi.example", "transport@minyi.example"):
        user = User.objects.get(email=email)
        assert user.memberships.exists()
        assert Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).exists()
    moderator = User.objects.get(email="moderator@minyi.example")
    assert moderator.moderator_roles.filter(department=None).exists()
    assert moderator.authenticator_set.filter(type=Authenticator.Type.TOTP).exists()
    admin = User.objects.get(email="admin@minyi.example")
    assert admin.is_superuser
    assert admin.authenticator_set.filter(type=Authenticator.Type.TOTP).exists()
    resident = User.objects.get(email="resident@minyi.example")
    assert not resident.authenticator_set.exists()
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == (
        User.objects.count()
    )


@pytest.mark.django_db
def test_seed_demo_accounts_only_changes_nothing():
    out = io.StringIO()
    call_command("seed_demo", "--accounts-only", stdout=out)

    assert "official@minyi.example" in out.getvalue()
    assert not User.objects.exists()
    assert not Area.objects.exists()


@pytest.mark.django_db
def test_totp_code_prints_a_code_that_allauth_accepts():
    seed_directory_and_accounts()
    out = io.StringIO()

    call_command("totp_code", "Official@minyi.example", stdout=out)

    code = out.getvalue().strip()
    assert re.fullmatch(r"\d{6}", code)
    authenticator = Authenticator.objects.get(
        user__email="official@minyi.example", type=Authenticator.Type.TOTP
    )
    assert TOTP(authenticator).validate_code(code)


@pytest.mark.django_db
def test_totp_code_refuses_an_account_without_totp():
    seed_directory_and_accounts()

    with pytest.raises(CommandError, match="no TOTP authenticator"):
        call_command("totp_code", "resident@minyi.example", stdout=io.StringIO())
