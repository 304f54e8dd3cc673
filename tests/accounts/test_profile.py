"""The profile page: home area picked without JavaScript, language and care
mode remembered on the account and in the browser."""

import pytest
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from accounts.models import User
from tests.factories import AreaFactory, UserFactory, area_chain

PROFILE_URL = "/accounts/profile/"
MAX_QUERIES = 15


def profile_data(user: User, **overrides) -> dict:
    data = {
        "display_name": user.display_name,
        "preferred_language": user.preferred_language,
        "district": "",
        "street": "",
        "community": "",
    }
    if user.care_mode:
        data["care_mode"] = "on"
    data.update(overrides)
    return data


def other_district_with_street():
    district = AreaFactory(
        code="500106", name_zh="沙坪坝区", name_en="Shapingba", parent=area_chain()[0]
    )
    street = AreaFactory(
        code="500106001", name_zh="小龙坎街道", name_en="Xiaolongkan", parent=district
    )
    return district, street


def select_options(html: str, name: str) -> str:
    """The <option> markup of the <select> called ``name``."""
    start = html.index(f'name="{name}"')
    return html[start : html.index("</select>", start)]


@pytest.mark.django_db
def test_profile_requires_login(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(PROFILE_URL)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={PROFILE_URL}"


@pytest.mark.django_db
def test_profile_post_requires_login(client):
    response = client.post(PROFILE_URL, {"display_name": "x"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_profile_page_lists_districts_and_no_streets_yet(
    client, django_assert_max_num_queries
):
    _top, district, street, _community = area_chain()
    client.force_login(UserFactory())

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(PROFILE_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert district.name_zh in select_options(html, "district")
    assert street.name_zh not in select_options(html, "street")


@pytest.mark.django_db
def test_refresh_narrows_the_street_list_to_the_district_and_saves_nothing(
    client, django_assert_max_num_queries
):
    _top, district, street, community = area_chain()
    _other, other_street = other_district_with_street()
    user = UserFactory()
    client.force_login(user)

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.post(
            PROFILE_URL,
            profile_data(
                user, display_name="新名字", district=district.pk, refresh="1"
            ),
        )

    assert response.status_code == 200
    html = response.content.decode()
    streets = select_options(html, "street")
    assert street.name_zh in streets
    assert other_street.name_zh not in streets
    assert community.name_zh not in select_options(html, "community")
    assert 'class="error-summary"' not in html
    user.refresh_from_db()
    assert user.display_name != "新名字"
    assert user.home_area is None


@pytest.mark.django_db
def test_refresh_after_choosing_a_street_lists_its_communities(client):
    _top, district, street, community = area_chain()
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        PROFILE_URL,
        profile_data(user, district=district.pk, street=street.pk, refresh="1"),
    )

    html = response.content.decode()
    assert community.name_zh in select_options(html, "community")
    assert f'value="{street.pk}" selected' in select_options(html, "street")
    user.refresh_from_db()
    assert user.home_area is None


@pytest.mark.django_db
def test_refresh_after_changing_the_district_drops_the_old_street_quietly(client):
    _top, district, street, community = area_chain()
    other, other_street = other_district_with_street()
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        PROFILE_URL,
        profile_data(
            user,
            district=other.pk,
            street=street.pk,
            community=community.pk,
            refresh="1",
        ),
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert other_street.name_zh in select_options(html, "street")
    assert "selected" not in select_options(html, "street")
    assert community.name_zh not in select_options(html, "community")
    assert 'class="error-summary"' not in html


@pytest.mark.django_db
def test_saving_the_chosen_community_sets_the_home_area(
    client, django_assert_max_num_queries
):
    _top, district, street, community = area_chain()
    user = UserFactory()
    client.force_login(user)

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.post(
            PROFILE_URL,
            profile_data(
                user, district=district.pk, street=street.pk, community=community.pk
            ),
        )

    assert response.status_code == 302
    assert response["Location"] == PROFILE_URL
    user.refresh_from_db()
    assert user.home_area == community


@pytest.mark.django_db
def test_saved_home_area_is_preselected_on_the_profile_page(client):
    _top, district, street, community = area_chain()
    user = UserFactory(home_area=community)
    client.force_login(user)

    html = client.get(PROFILE_URL).content.decode()

    assert f'value="{district.pk}" selected' in select_options(html, "district")
    assert f'value="{street.pk}" selected' in select_options(html, "street")
    assert f'value="{community.pk}" selected' in select_options(html, "community")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_street_outside_the_chosen_district_is_refused_and_changes_nothing(
    client, language
):
    _top, district, street, community = area_chain()
    other, _other_street = other_district_with_street()
    user = UserFactory(display_name="原名")
    client.force_login(user)
    client.cookies["django_language"] = language

    response = client.post(
        PROFILE_URL,
        profile_data(
            user,
            preferred_language=language,
            display_name="新名字",
            district=other.pk,
            street=street.pk,
            community=community.pk,
        ),
    )

    assert response.status_code == 200
    with translation.override(language):
        message = gettext("This street is not in the chosen district.")
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert escape(message) in html
    user.refresh_from_db()
    assert user.display_name == "原名"
    assert user.home_area is None


@pytest.mark.django_db
def test_community_outside_the_chosen_street_is_refused(client):
    top, district, street, community = area_chain()
    other_street = AreaFactory(
        code="500103001", name_zh="七星岗街道", name_en="Qixinggang", parent=district
    )
    user = UserFactory()
    client.force_login(user)
    client.cookies["django_language"] = "en"

    response = client.post(
        PROFILE_URL,
        profile_data(
            user, district=district.pk, street=other_street.pk, community=community.pk
        ),
    )

    assert response.status_code == 200
    assert "This community is not in the chosen street." in response.content.decode()
    user.refresh_from_db()
    assert user.home_area is None


@pytest.mark.django_db
def test_unknown_area_id_is_refused_without_an_error_page(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        PROFILE_URL, profile_data(user, district="99999999", street="abc")
    )

    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()


@pytest.mark.django_db
def test_language_and_care_mode_are_saved_on_the_account_and_in_cookies(
    client, django_assert_max_num_queries
):
    user = UserFactory(preferred_language="zh-hans", care_mode=False)
    client.force_login(user)

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.post(
            PROFILE_URL, profile_data(user, preferred_language="en", care_mode="on")
        )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.preferred_language == "en"
    assert user.care_mode is True
    assert response.cookies["django_language"].value == "en"
    assert response.cookies["minyi_care"].value == "1"
    page = client.get(PROFILE_URL).content.decode()
    assert '<html lang="en">' in page
    assert 'class="care-mode"' in page
    assert "Your profile has been saved." in page


@pytest.mark.django_db
def test_profile_refuses_a_display_name_with_html(client):
    user = UserFactory(display_name="原名")
    client.force_login(user)

    response = client.post(PROFILE_URL, profile_data(user, display_name="<b>bold</b>"))

    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    user.refresh_from_db()
    assert user.display_name == "原名"
