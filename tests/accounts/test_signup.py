"""Sign-up through allauth's page: one account, one outbox mail, and clear
messages in the visitor's language for every kind of bad input."""

import pytest
from django.core import mail
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from accounts.models import User
from notifications.models import OutboundEmail
from tests.factories import PASSWORD, UserFactory

SIGNUP_URL = "/accounts/signup/"
# Writing an account, its address, the outbox row and sending the mail.
SIGNUP_MAX_QUERIES = 20
INVALID_MAX_QUERIES = 5


def signup_data(**overrides) -> dict:
    data = {
        "email": "xiaoyu@example.com",
        "display_name": "张晓雨",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


def in_chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_valid_signup_creates_one_user_and_sends_the_verification_mail(
    client,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
    language,
):
    client.cookies["django_language"] = language
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        django_assert_max_num_queries(SIGNUP_MAX_QUERIES),
    ):
        response = client.post(SIGNUP_URL, signup_data())

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get()
    assert user.email == "xiaoyu@example.com"
    assert user.display_name == "张晓雨"
    assert user.preferred_language == language
    assert not user.emailaddress_set.get().verified
    assert len(callbacks) == 1
    outbox_row = OutboundEmail.objects.get()
    assert outbox_row.to == ["xiaoyu@example.com"]
    assert outbox_row.sent_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["xiaoyu@example.com"]
    assert "/accounts/confirm-email/" in mail.outbox[0].body


@pytest.mark.django_db
def test_signup_display_name_is_trimmed_and_spaces_collapsed(client):
    client.post(SIGNUP_URL, signup_data(display_name="  Wang   Lei  "))

    assert User.objects.get().display_name == "Wang Lei"


# Each bad input and the message it must give, in English and in Chinese.
# Django's and allauth's own catalogs supply the Chinese for theirs.
BAD_INPUT = {
    "malformed email": (
        {"email": "not-an-email"},
        {
            "en": "Enter a valid email address.",
            # An installed app's catalogue (here DRF's) wins over Django's
            # own for Django's messages.
            "zh-hans": "请输入合法的邮件地址。",
        },
    ),
    "email already taken": (
        {"email": "Taken@Example.com"},
        {
            "en": "A user is already registered with this email address.",
            "zh-hans": "此电子邮件地址已被其他用户注册。",
        },
    ),
    "weak password": (
        {"password1": "12345678", "password2": "12345678"},
        {"en": "This password is too common.", "zh-hans": "这个密码太常见了。"},
    ),
    "display name of 10,000 characters": (
        {"display_name": "名" * 10_000},
        {
            "en": "Ensure this value has at most 50 characters (it has 10000).",
            "zh-hans": "确保该变量包含不超过 50 字符 (目前字符数 10000)。",
        },
    ),
    "display name with HTML": (
        {"display_name": "<script>x</script>"},
        None,  # Minyi's own message: looked up in Minyi's catalog below.
    ),
}
HTML_NAME_MESSAGE = "A display name cannot contain < > & \" ' or ` characters."


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_signup_input_gives_a_message_in_the_chosen_language_and_creates_nothing(
    client,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
    case,
    language,
):
    UserFactory(email="taken@example.com")
    overrides, messages = BAD_INPUT[case]
    if messages is None:
        with translation.override(language):
            expected = gettext(HTML_NAME_MESSAGE)
    else:
        expected = messages[language]
    client.cookies["django_language"] = language

    with (
        django_capture_on_commit_callbacks(execute=True),
        django_assert_max_num_queries(INVALID_MAX_QUERIES),
    ):
        response = client.post(SIGNUP_URL, signup_data(**overrides))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert 'class="error-summary"' in html
    assert escape(expected) in html
    assert in_chinese(expected) == (language == "zh-hans")
    assert User.objects.count() == 1
    assert not OutboundEmail.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_signup_page_renders_with_bounded_queries(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        response = client.get(SIGNUP_URL)

    assert response.status_code == 200
    assert 'name="display_name"' in response.content.decode()
