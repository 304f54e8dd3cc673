"""Site-wide pages: home, language switch, care mode, error pages."""

import pytest
from django.test import Client
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from tests.factories import UserFactory

HOME_MAX_QUERIES = 10
EMPTY_STATES = [
    "No draft is open for comment right now. When a department opens a "
    "consultation it will appear here.",
    "No public hearing is scheduled yet. Hearings will be announced here with "
    "their date and how to register.",
    "No response has been published yet. When a consultation closes, the "
    "department publishes what it heard and what it decided here.",
]
# Strings of the foundation that must read in Chinese when Chinese is chosen.
FOUNDATION_STRINGS = [
    "Your city is listening",
    "Care mode",
    "Log in",
    "Sign up",
    "Page not found",
    "This form has expired",
    "Display name",
    "A display name cannot contain < > & \" ' or ` characters.",
    "This street is not in the chosen district.",
    *EMPTY_STATES,
]


def translated(text: str, language: str) -> str:
    with translation.override(language):
        return gettext(text)


def in_chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_home_page_in_the_language_of_the_cookie_shows_empty_states(
    client, django_assert_max_num_queries, language
):
    client.cookies["django_language"] = language

    with django_assert_max_num_queries(HOME_MAX_QUERIES):
        response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    for text in EMPTY_STATES:
        assert escape(translated(text, language)) in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept_language", "language"),
    [("zh-CN,zh;q=0.9", "zh-hans"), ("en-US,en;q=0.9", "en")],
)
def test_home_page_follows_the_browser_accept_language(
    client, django_assert_max_num_queries, accept_language, language
):
    with django_assert_max_num_queries(HOME_MAX_QUERIES):
        response = client.get("/", headers={"accept-language": accept_language})

    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert escape(translated(EMPTY_STATES[0], language)) in html


@pytest.mark.django_db
def test_home_page_defaults_to_simplified_chinese(client):
    html = client.get("/").content.decode()

    assert '<html lang="zh-hans">' in html


@pytest.mark.parametrize("text", FOUNDATION_STRINGS)
def test_foundation_strings_are_translated_into_chinese(text):
    assert in_chinese(translated(text, "zh-hans"))


@pytest.mark.django_db
def test_home_page_queries_do_not_grow_for_a_signed_in_resident(
    client, django_assert_max_num_queries
):
    client.force_login(UserFactory())

    with django_assert_max_num_queries(HOME_MAX_QUERIES):
        response = client.get("/")

    assert response.status_code == 200


@pytest.mark.django_db
def test_language_switch_sets_the_cookie_and_returns_to_next(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(5):
        response = client.post(
            "/i18n/language/", {"language": "en", "next": "/accounts/login/?x=1"}
        )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?x=1"
    assert response.cookies["django_language"].value == "en"
    assert '<html lang="en">' in client.get("/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "http://testserver.evil/x"],
)
def test_language_switch_refuses_an_off_site_next(client, next_url):
    response = client.post("/i18n/language/", {"language": "en", "next": next_url})

    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_language_switch_ignores_an_unknown_language(client):
    response = client.post("/i18n/language/", {"language": "xx", "next": "/"})

    assert response.status_code == 302
    assert "django_language" not in response.cookies


@pytest.mark.django_db
def test_language_switch_is_post_only(client):
    assert client.get("/i18n/language/?language=en").status_code == 405


@pytest.mark.django_db
def test_language_switch_saves_the_account_language_when_logged_in(client):
    user = UserFactory(preferred_language="zh-hans")
    client.force_login(user)

    client.post("/i18n/language/", {"language": "en", "next": "/"})

    user.refresh_from_db()
    assert user.preferred_language == "en"


@pytest.mark.django_db
def test_account_language_applies_in_a_browser_that_has_not_chosen(client):
    user = UserFactory(preferred_language="en")
    client.force_login(user)

    html = client.get("/", headers={"accept-language": "zh-CN"}).content.decode()

    assert '<html lang="en">' in html


@pytest.mark.django_db
def test_care_mode_is_remembered_per_browser(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        response = client.post("/preferences/care-mode/", {"care_mode": "1"})

    assert response.status_code == 302
    assert response.cookies["minyi_care"].value == "1"
    assert '<body class="care-mode">' in client.get("/").content.decode()
    assert '<body class="">' in Client().get("/").content.decode()

    client.post("/preferences/care-mode/", {"care_mode": "0"})
    assert '<body class="">' in client.get("/").content.decode()


@pytest.mark.django_db
def test_care_mode_is_remembered_per_account(client):
    user = UserFactory(care_mode=False)
    client.force_login(user)

    client.post("/preferences/care-mode/", {"care_mode": "1", "next": "/"})

    user.refresh_from_db()
    assert user.care_mode is True
    other_browser = Client()
    other_browser.force_login(user)
    assert '<body class="care-mode">' in other_browser.get("/").content.decode()


@pytest.mark.django_db
def test_care_mode_switch_returns_to_a_safe_next_only(client):
    response = client.post(
        "/preferences/care-mode/", {"care_mode": "1", "next": "/accounts/login/"}
    )
    assert response["Location"] == "/accounts/login/"

    response = client.post(
        "/preferences/care-mode/", {"care_mode": "1", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_unknown_page_shows_our_404_in_the_chosen_language(
    client, django_assert_max_num_queries, language
):
    client.cookies["django_language"] = language

    with django_assert_max_num_queries(5):
        response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert escape(translated("Page not found", language)) in html
    assert "404.html" in [t.name for t in response.templates]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_csrf_failure_shows_our_403_page(django_assert_max_num_queries, language):
    browser = Client(enforce_csrf_checks=True)
    browser.cookies["django_language"] = language

    with django_assert_max_num_queries(5):
        response = browser.post("/i18n/language/", {"language": "en"})

    assert response.status_code == 403
    html = response.content.decode()
    assert "403_csrf.html" in [t.name for t in response.templates]
    assert escape(translated("This form has expired", language)) in html
    assert "django_language" not in response.cookies


@pytest.mark.django_db
def test_pages_send_a_strict_content_security_policy(client):
    response = client.get("/")

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert response["X-Frame-Options"] == "DENY"
