"""A resident follows a district and asks for mail at once; an official
publishes a consultation there; the resident sees the notification and
gets the mail, stops that kind of mail from the link without logging in,
and gets no more of it. axe checks every page."""

import re
import time

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from consultations.models import Consultation
from consultations.services import lifecycle
from notifications.models import Notification
from tests.e2e.test_consultation_official import log_in_with_totp
from tests.factories import (
    ConsultationFactory,
    SectionFactory,
    UserFactory,
    area_chain,
    enroll_totp,
    official,
)

pytestmark = pytest.mark.e2e

SERIOUS = {"serious", "critical"}
UNSUBSCRIBE = re.compile(r"https?://[^\s]+/notifications/unsubscribe/[^/\s]+/")


def assert_no_serious_violations(page) -> None:
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in SERIOUS]
    report = "\n".join(
        f"{v['impact']}: {v['id']}: {v['help']}\n"
        + "\n".join(f"    {n['target']}: {n['html'][:200]}" for n in v["nodes"])
        for v in serious
    )
    assert not serious, f"axe found on {page.url}:\n{report}"


def context_of(browser, live_server, user: User):
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="en-US")
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )
    return context


def mails_to(user: User) -> list:
    return [m for m in mail.outbox if user.email in m.to]


def wait_for(predicate, timeout: float = 20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError("the condition did not come true in time")


def ready_draft(department, area, title) -> Consultation:
    opens = timezone.now() + timezone.timedelta(hours=1)
    consultation = ConsultationFactory(
        department=department,
        areas=[area],
        title=title,
        opens_at=opens,
        closes_at=opens + timezone.timedelta(days=30),
    )
    SectionFactory(consultation=consultation, position=1, body="第一条 内容。")
    return consultation


def test_resident_follows_a_district_is_told_by_mail_and_unsubscribes(
    live_server, browser, settings
):
    settings.SITE_URL = live_server.url
    _top, district, street, _community = area_chain()
    resident = UserFactory(display_name="李明", preferred_language="en")
    User.objects.filter(pk=resident.pk).update(preferred_language="en")
    author = official(mfa=False)
    User.objects.filter(pk=author.pk).update(preferred_language="en")
    secret = enroll_totp(author)
    department = author.departments.get()
    draft = ready_draft(department, street, "解放碑步行街改造方案征求意见")

    # The resident follows Yuzhong and wants such news by mail at once.
    resident_context = context_of(browser, live_server, resident)
    page = resident_context.new_page()
    page.goto(f"{live_server.url}/notifications/follows/")
    expect(page.get_by_role("heading", level=1)).to_have_text("What you follow")
    assert_no_serious_violations(page)
    page.get_by_label("District or county").select_option(label="Yuzhong")
    page.get_by_role("button", name="Follow", exact=True).click()
    expect(page.get_by_text("You now follow Yuzhong")).to_be_visible()
    page.get_by_label("A new consultation where you follow").select_option("immediate")
    page.get_by_role("button", name="Save choices").click()
    expect(page.get_by_text("Your notification choices are saved.")).to_be_visible()
    assert_no_serious_violations(page)

    # The official publishes a consultation for a street of Yuzhong.
    official_page = browser.new_context(locale="en-US").new_page()
    log_in_with_totp(official_page, live_server, author, secret)
    official_page.goto(f"{live_server.url}/console/consultations/{draft.pk}/preview/")
    official_page.get_by_role("button", name="Publish", exact=True).click()
    expect(official_page.get_by_role("status")).to_contain_text("Published")

    # The resident sees it on the site and gets the mail.
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("link", name=re.compile("Notifications 1"))).to_be_visible()
    page.get_by_role("link", name=re.compile("Notifications")).click()
    expect(
        page.get_by_role(
            "button",
            name="A new consultation where you follow: 解放碑步行街改造方案征求意见",
        )
    ).to_be_visible()
    assert_no_serious_violations(page)
    wait_for(lambda: len(mails_to(resident)) == 1)
    message = mails_to(resident)[0]
    assert "解放碑步行街改造方案征求意见" in message.subject
    assert message.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )

    # From the mail, without logging in: stop these mails.
    link = UNSUBSCRIBE.search(message.body).group(0)
    anonymous = browser.new_context(locale="en-US").new_page()
    anonymous.goto(link)
    expect(anonymous.get_by_role("heading", level=1)).to_have_text("Stop mails")
    assert_no_serious_violations(anonymous)
    anonymous.get_by_role("button", name="Stop these mails").click()
    expect(anonymous.get_by_role("status")).to_contain_text(
        "you will receive no more mail"
    )
    assert_no_serious_violations(anonymous)

    # Another consultation there: on the site, but no more mail.
    second = ready_draft(department, district, "渝中区社区食堂布点方案")
    lifecycle.consultation_publish(user=author, consultation=second)
    wait_for(
        lambda: (
            Notification.objects.filter(
                user=resident, kind=Notification.Kind.NEW_CONSULTATION
            ).count()
            == 2
        )
    )
    time.sleep(0.5)
    assert len(mails_to(resident)) == 1
