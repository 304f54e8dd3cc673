"""Hearing journeys in a real browser, axe on every page: a resident
registers to speak and gets a confirmation mail; the official approves and
orders speakers; during the live session a question posted in one browser
appears in another after moderation and upvotes reorder the list; the
official publishes the record and the resident is notified; the .ics file
parses with the right times."""

import re

import pytest
from django.core import mail
from icalendar import Calendar
from playwright.sync_api import expect

from hearings.models import Hearing, LiveQuestion, Registration
from notifications.models import Notification
from tests.e2e.test_consultation_official import (
    assert_no_serious_violations,
    logged_in_context,
    wait_for,
)
from tests.factories import UserFactory, moderator, official
from tests.hearings.factories import HearingFactory, QuestionFactory, speaker

pytestmark = pytest.mark.e2e


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-US"}


def english(user):
    user.preferred_language = "en"
    user.save()
    return user


@pytest.mark.django_db(transaction=True)
def test_resident_registers_to_speak_and_official_approves_and_orders(
    browser, live_server
):
    hearing = HearingFactory(title="Elderly care hearing")
    resident = english(UserFactory(display_name="Zhang"))
    other = speaker(hearing, user=english(UserFactory(display_name="Wang")))
    page = logged_in_context(browser, live_server, resident).new_page()
    page.goto(f"{live_server.url}/hearings/")
    assert_no_serious_violations(page)
    page.get_by_role("link", name="Elderly care hearing").click()
    assert_no_serious_violations(page)
    page.get_by_role("radio", name="Speak").check()
    page.get_by_label("Topic you want to speak about").fill("Community canteens")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("You are registered")).to_be_visible()
    assert_no_serious_violations(page)
    wait_for(lambda: any(resident.email in m.to for m in mail.outbox))
    mine = Registration.objects.get(user=resident)

    owner = english(official(hearing.consultation.department))
    console = logged_in_context(browser, live_server, owner).new_page()
    console.goto(f"{live_server.url}/console/hearings/{hearing.pk}/")
    assert_no_serious_violations(console)
    console.get_by_role("button", name="Approve Wang").click()
    console.get_by_role("button", name="Approve Zhang").click()
    expect(console.get_by_text("The speakers are updated.")).to_be_visible()
    console.get_by_role("button", name="Move up Zhang").click()
    assert_no_serious_violations(console)
    order = list(
        Registration.objects.filter(hearing=hearing, speaker="approved")
        .order_by("speaker_position")
        .values_list("pk", flat=True)
    )
    assert order == [mine.pk, other.pk]
    page.reload()
    speakers = page.get_by_role("region", name="Speakers").get_by_role("listitem")
    expect(speakers.first).to_contain_text("Zhang")


@pytest.mark.django_db(transaction=True)
def test_live_questions_appear_after_moderation_and_upvotes_reorder(
    browser, live_server
):
    hearing = HearingFactory(live=True, title="Live hearing")
    QuestionFactory(hearing=hearing, body="An earlier question?")
    asker = english(UserFactory())
    viewer = english(UserFactory())
    mod = english(moderator(hearing.consultation.department))
    url = f"{live_server.url}/hearings/{hearing.pk}/live/"

    one = logged_in_context(browser, live_server, asker).new_page()
    two = logged_in_context(browser, live_server, viewer).new_page()
    for page in (one, two):
        page.goto(url)
        assert_no_serious_violations(page)
    one.get_by_label("Your question").fill("When will canteens open?")
    one.get_by_role("button", name="Send the question").click()
    expect(one.get_by_text("appears once a moderator approves it")).to_be_visible()
    expect(two.locator(".comment-body", has_text="When will canteens")).to_have_count(0)

    moderating = logged_in_context(browser, live_server, mod).new_page()
    moderating.goto(f"{live_server.url}/console/hearings/")
    assert_no_serious_violations(moderating)
    pending = moderating.get_by_role("region", name="Pending items")
    pending.get_by_role("link", name="Moderate When will canteens open?").click()
    expect(moderating).to_have_url(re.compile(r"/live/#question-\d+$"))
    assert_no_serious_violations(moderating)
    moderating.get_by_text("Moderate When will canteens open?").click()
    moderating.get_by_role("button", name="Approve").first.click()
    expect(moderating.get_by_text("The question is updated.")).to_be_visible()

    # The second browser picks it up by polling, without a reload.
    open_list = two.locator("[data-list=open] > li")
    expect(two.locator(".comment-body", has_text="When will canteens")).to_be_visible(
        timeout=15000
    )
    expect(open_list.first).to_contain_text("An earlier question?")
    two.get_by_role("button", name=re.compile("Upvote When will canteens")).click()
    expect(two.locator("[data-list=open] > li").first).to_contain_text(
        "When will canteens open?"
    )
    expect(one.locator("[data-list=open] > li").first).to_contain_text(
        "When will canteens open?", timeout=15000
    )
    assert LiveQuestion.objects.get(body="When will canteens open?").upvote_count == 1
    assert_no_serious_violations(two)


@pytest.mark.django_db(transaction=True)
def test_official_publishes_the_record_and_the_resident_is_notified(
    browser, live_server
):
    hearing = HearingFactory(ended=True, title="Finished hearing")
    resident = english(UserFactory())
    speaker(hearing, user=resident, approved=True)
    owner = english(official(hearing.consultation.department))
    page = logged_in_context(browser, live_server, owner).new_page()
    page.goto(f"{live_server.url}/console/hearings/{hearing.pk}/")
    page.get_by_role("link", name="Publish the record").click()
    assert_no_serious_violations(page)
    page.get_by_label("Minutes").fill("Two residents spoke.")
    page.get_by_label("Recording link").fill("https://video.example/1")
    page.get_by_role("button", name="Publish the record").click()
    expect(
        page.get_by_role("heading", name=re.compile("Record of the hearing"))
    ).to_be_visible()
    assert_no_serious_violations(page)
    wait_for(
        lambda: Notification.objects.filter(
            user=resident, kind="hearing_record"
        ).exists()
    )
    assert Hearing.objects.get(pk=hearing.pk).status == "record_published"
    mine = logged_in_context(browser, live_server, resident).new_page()
    mine.goto(f"{live_server.url}/notifications/")
    expect(mine.get_by_text(re.compile("record of a public hearing"))).to_be_visible()
    assert_no_serious_violations(mine)


@pytest.mark.django_db(transaction=True)
def test_calendar_file_parses_with_the_right_times(page, live_server):
    hearing = HearingFactory(title="Calendar hearing")
    page.goto(f"{live_server.url}/hearings/{hearing.pk}/")
    link = page.get_by_role("link", name="Add to calendar (.ics)")
    response = page.request.get(live_server.url + link.get_attribute("href"))
    event = Calendar.from_ical(response.body()).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == hearing.starts_at.replace(microsecond=0)
    assert event.decoded("DTEND") == hearing.ends_at.replace(microsecond=0)
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
