"""The foundation's journeys in a real browser: sign-up to switching
language, officials and their second factor, and axe on every page."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from accounts.models import User
from tests.factories import (
    PASSWORD,
    DepartmentFactory,
    UserFactory,
    enroll_totp,
    official,
)

pytestmark = pytest.mark.e2e

CONFIRMATION_LINK = re.compile(r"https?://\S+/accounts/confirm-email/[^\s/]+/")
SERIOUS = {"serious", "critical"}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-US"}


def in_chinese(text: str) -> str:
    with translation.override("zh-hans"):
        return gettext(text)


def current_totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def wait_for_mail(to: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in mail.outbox:
            if to in message.to:
                return message.body
        time.sleep(0.1)
    raise AssertionError(f"no mail reached {to} within {timeout} s")


def log_in(page, live_server, email: str, next_url: str = "") -> None:
    query = f"?next={next_url}" if next_url else ""
    page.goto(f"{live_server.url}/accounts/login/{query}")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


@pytest.mark.real_worker
def test_resident_signs_up_confirms_logs_in_and_switches_language(
    celery_worker, live_server, page
):
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Email").fill("xiaoyu@example.com")
    page.get_by_label("Display name").fill("张晓雨")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))

    body = wait_for_mail("xiaoyu@example.com")
    link = CONFIRMATION_LINK.search(body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))

    log_in(page, live_server, "xiaoyu@example.com")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("link", name="张晓雨")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("button", name="中文").click()

    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        in_chinese("Your city is listening")
    )
    expect(page.get_by_role("button", name="English")).to_be_visible()
    assert User.objects.get(email="xiaoyu@example.com").preferred_language == (
        "zh-hans"
    )


def english_speaking(user: User) -> User:
    User.objects.filter(pk=user.pk).update(preferred_language="en")
    return user


def test_official_without_mfa_is_sent_to_totp_enrolment(live_server, page):
    user = english_speaking(official(mfa=False))

    log_in(page, live_server, user.email)
    expect(page).to_have_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/console/")

    expect(page).to_have_url(f"{live_server.url}/accounts/2fa/totp/activate/")
    expect(page.get_by_role("status")).to_contain_text(
        "must protect their account with an authenticator app"
    )
    expect(page.get_by_label("Authenticator code")).to_be_visible()


def test_official_with_totp_enters_a_code_and_reaches_the_console(live_server, page):
    department = DepartmentFactory(name_zh="渝中区民政局", name_en="Civil Affairs")
    user = english_speaking(official(department, mfa=False))
    secret = enroll_totp(user)

    log_in(page, live_server, user.email, next_url="/console/")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.get_by_label(re.compile("code", re.IGNORECASE)).fill(current_totp_code(secret))
    page.get_by_role("button", name=re.compile("sign in|confirm", re.I)).click()

    expect(page).to_have_url(f"{live_server.url}/console/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Console")
    expect(page.get_by_text("Civil Affairs")).to_be_visible()


# Accessibility ---------------------------------------------------------------


def assert_no_serious_violations(page) -> None:
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in SERIOUS]
    report = "\n".join(
        f"{v['impact']}: {v['id']}: {v['help']}\n"
        + "\n".join(
            f"    {node['target']}: {node['html'][:200]}" for node in v["nodes"]
        )
        for v in serious
    )
    assert not serious, f"axe found on {page.url}:\n{report}"


def turn_on_care_mode(page, live_server) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name="Care mode").click()
    expect(page.locator("body")).to_have_class("care-mode")


def open_csrf_failure_page(page, live_server) -> None:
    """Send the log-in form after its CSRF cookie has gone."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.context.clear_cookies(name="csrftoken")
    page.get_by_label("Email").fill("someone@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("This form has expired")


PAGES = ["home", "sign-up", "log-in", "profile", "404", "csrf-failure"]


@pytest.mark.parametrize("care_mode", [False, True], ids=["standard", "care-mode"])
@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_serious_accessibility_violations(
    live_server, page, name, care_mode
):
    if care_mode:
        turn_on_care_mode(page, live_server)
    if name == "home":
        page.goto(f"{live_server.url}/")
    elif name == "sign-up":
        page.goto(f"{live_server.url}/accounts/signup/")
    elif name == "log-in":
        page.goto(f"{live_server.url}/accounts/login/")
    elif name == "profile":
        log_in(
            page,
            live_server,
            UserFactory(preferred_language="en").email,
            next_url="/accounts/profile/",
        )
        expect(page).to_have_url(f"{live_server.url}/accounts/profile/")
    elif name == "404":
        response = page.goto(f"{live_server.url}/no-such-page/")
        assert response.status == 404
    elif name == "csrf-failure":
        open_csrf_failure_page(page, live_server)

    expect(page.locator("body")).to_have_class("care-mode" if care_mode else "")
    assert_no_serious_violations(page)


@pytest.mark.parametrize("care_mode", [False, True], ids=["standard", "care-mode"])
def test_home_page_at_360_px_has_no_serious_accessibility_violations(
    live_server, page, care_mode
):
    page.set_viewport_size({"width": 360, "height": 740})
    if care_mode:
        turn_on_care_mode(page, live_server)
    page.goto(f"{live_server.url}/")

    assert_no_serious_violations(page)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 360, "the page scrolls sideways at 360 px"


@pytest.mark.parametrize("name", ["sign-up", "profile"])
def test_invalid_form_has_no_serious_accessibility_violations(live_server, page, name):
    if name == "sign-up":
        page.goto(f"{live_server.url}/accounts/signup/")
        page.get_by_label("Email").fill("not-an-email")
        page.get_by_role("button", name="Sign Up").click()
    else:
        log_in(
            page,
            live_server,
            UserFactory(preferred_language="en").email,
            next_url="/accounts/profile/",
        )
        page.get_by_label("Display name").fill("<b>")
        page.get_by_role("button", name="Save profile").click()

    expect(page.get_by_role("alert")).to_be_visible()
    assert_no_serious_violations(page)
