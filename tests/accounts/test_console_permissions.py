"""Who reaches the console: the role matrix, and the predicates behind it."""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from accounts import rules as account_rules
from tests.factories import (
    DepartmentFactory,
    UserFactory,
    enroll_totp,
    moderator,
    official,
)

CONSOLE_URL = "/console/"
MAX_QUERIES = 15


def administrator(*, mfa: bool):
    user = UserFactory(is_staff=True, is_superuser=True)
    if mfa:
        enroll_totp(user)
    return user


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_log_in(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(CONSOLE_URL)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/console/"


@pytest.mark.django_db
def test_resident_is_refused_with_403(client, django_assert_max_num_queries):
    client.force_login(UserFactory())

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(CONSOLE_URL)

    assert response.status_code == 403
    assert "403.html" in [t.name for t in response.templates]


@pytest.mark.django_db
def test_official_without_mfa_is_sent_to_totp_enrolment(
    client, django_assert_max_num_queries
):
    client.force_login(official(mfa=False))

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(CONSOLE_URL)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_official_with_mfa_sees_their_department(client, django_assert_max_num_queries):
    department = DepartmentFactory(name_zh="渝中区民政局", name_en="Civil Affairs")
    other = DepartmentFactory(name_zh="交通局", name_en="Transport")
    client.force_login(official(department))

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(CONSOLE_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert department.name_zh in html
    assert other.name_zh not in html


@pytest.mark.django_db
def test_moderator_without_mfa_is_sent_to_totp_enrolment(
    client, django_assert_max_num_queries
):
    client.force_login(moderator(mfa=False))

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(CONSOLE_URL)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_department_moderator_with_mfa_sees_their_department(
    client, django_assert_max_num_queries
):
    department = DepartmentFactory(name_zh="沙坪坝区城管局", name_en="Urban Mgmt")
    client.force_login(moderator(department))

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(CONSOLE_URL)

    assert response.status_code == 200
    assert department.name_zh in response.content.decode()


@pytest.mark.django_db
def test_site_wide_moderator_with_mfa_sees_the_console(client):
    client.force_login(moderator(None))
    client.cookies["django_language"] = "en"

    response = client.get(CONSOLE_URL)

    assert response.status_code == 200
    assert "Site-wide moderator" in response.content.decode()


@pytest.mark.django_db
def test_administrator_without_mfa_is_sent_to_totp_enrolment(
    client, django_assert_max_num_queries
):
    client.force_login(administrator(mfa=False))

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(CONSOLE_URL)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_administrator_with_mfa_sees_the_console(client, django_assert_max_num_queries):
    client.force_login(administrator(mfa=True))

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(CONSOLE_URL)

    assert response.status_code == 200
    assert "accounts/console.html" in [t.name for t in response.templates]


@pytest.mark.django_db
def test_admin_site_also_requires_mfa_of_administrators(client):
    client.force_login(administrator(mfa=False))

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_console_link_shows_only_for_roles_that_need_it(client):
    client.force_login(UserFactory())
    assert 'href="/console/"' not in client.get("/").content.decode()

    client.force_login(official(mfa=False))
    assert 'href="/console/"' in client.get("/").content.decode()


def test_predicates_are_false_for_anonymous_visitors():
    anonymous = AnonymousUser()

    assert not account_rules.is_official(anonymous)
    assert not account_rules.is_moderator(anonymous)
    assert not account_rules.is_administrator(anonymous)
    assert not account_rules.has_mfa(anonymous)
    assert not account_rules.needs_mfa(anonymous)
    assert not anonymous.has_perm("accounts.access_console")
    assert not anonymous.has_perm("accounts.change_profile")


@pytest.mark.django_db
def test_predicates_of_a_resident():
    resident = UserFactory()

    assert not account_rules.is_official(resident)
    assert not account_rules.is_moderator(resident)
    assert not account_rules.is_administrator(resident)
    assert not account_rules.needs_mfa(resident)
    assert not resident.has_perm("accounts.see_console")
    assert not resident.has_perm("accounts.access_console")
    assert resident.has_perm("accounts.change_profile")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make_user", "predicate"),
    [
        (official, account_rules.is_official),
        (moderator, account_rules.is_moderator),
        (administrator, account_rules.is_administrator),
    ],
)
def test_each_role_needs_mfa_and_gets_the_console_only_with_it(make_user, predicate):
    without = make_user(mfa=False)
    with_mfa = make_user(mfa=True)

    # The rule set itself: User.has_perm() lets any superuser through, which
    # is why the MFA middleware, not the permission, stops an administrator.
    for user in (without, with_mfa):
        assert predicate(user)
        assert account_rules.needs_mfa(user)
        assert rules.has_perm("accounts.see_console", user)
    assert not account_rules.has_mfa(without)
    assert not rules.has_perm("accounts.access_console", without)
    assert account_rules.has_mfa(with_mfa)
    assert rules.has_perm("accounts.access_console", with_mfa)
