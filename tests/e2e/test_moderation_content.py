"""Moderating testimony and asking an author to edit, in a real browser
with axe on every page: a resident reports written testimony; a moderator
hides it from the queue with a reason; visitors see the reason and its
author the text. A moderator asks a comment's author to edit; the author
edits it once from their decisions page, days after posting, and it goes
back to the queue."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from consultations.models import Comment
from hearings.models import Testimony
from moderation import reports
from tests.e2e.test_consultation_official import (
    assert_no_serious_violations,
    logged_in_context,
)
from tests.e2e.test_moderation import english
from tests.factories import CommentFactory, ConsultationFactory, UserFactory, moderator
from tests.hearings.factories import HearingFactory, TestimonyFactory

pytestmark = pytest.mark.e2e


@pytest.mark.django_db(transaction=True)
def test_testimony_reported_hidden_with_reason_and_shown_to_its_author(
    browser, live_server
):
    hearing = HearingFactory(title="Canteen hearing")
    author = english(UserFactory(display_name="Wang"))
    item = TestimonyFactory(hearing=hearing, author=author, body="Call me any time.")
    detail = f"{live_server.url}{hearing.get_absolute_url()}"

    reporter = logged_in_context(
        browser, live_server, english(UserFactory())
    ).new_page()
    reporter.goto(detail)
    reporter.locator(f"#testimony-{item.pk}").get_by_role("link", name="Report").click()
    assert_no_serious_violations(reporter)
    reporter.get_by_label("Personal information").check()
    reporter.get_by_role("button", name="Send the report").click()
    expect(reporter.get_by_text("A moderator will look at it")).to_be_visible()

    queue = logged_in_context(browser, live_server, english(moderator())).new_page()
    queue.goto(f"{live_server.url}/moderation/?kind=testimony")
    assert_no_serious_violations(queue)
    entry = queue.locator(f"#queue-testimony-{item.pk}")
    expect(entry).to_contain_text("Personal information")
    entry.get_by_label("Hide with a public reason").check()
    entry.get_by_label("Reason (public when hiding)").fill("Contains a phone number")
    entry.get_by_role(
        "button", name=f"Apply decision to Written testimony {item.pk}"
    ).click()
    expect(queue.get_by_text("The item is hidden with your reason.")).to_be_visible()
    assert Testimony.objects.get(pk=item.pk).status == "hidden"

    visitor = browser.new_context(locale="en-US").new_page()
    visitor.goto(detail)
    assert_no_serious_violations(visitor)
    expect(
        visitor.get_by_text("Hidden by a moderator: Contains a phone number")
    ).to_be_visible()
    expect(visitor.get_by_text("Call me any time.")).to_have_count(0)

    own = logged_in_context(browser, live_server, author).new_page()
    own.goto(detail)
    expect(own.get_by_text("Call me any time.")).to_be_visible()
    assert_no_serious_violations(own)


@pytest.mark.django_db(transaction=True)
def test_author_asked_to_edit_edits_once_and_it_returns_to_the_queue(
    browser, live_server
):
    author = english(UserFactory(display_name="Zhao"))
    comment = CommentFactory(
        consultation=ConsultationFactory(open=True),
        author=author,
        body="The manager of the canteen is an idiot.",
    )
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - timedelta(days=2)
    )
    reports.content_report(user=UserFactory(), item=comment, reason="abuse")
    mod = english(moderator())
    queue = logged_in_context(browser, live_server, mod).new_page()
    queue.goto(f"{live_server.url}/moderation/")
    entry = queue.locator(f"#queue-comment-{comment.pk}")
    entry.get_by_label("Ask the author to edit").check()
    entry.get_by_label("Reason (public when hiding)").fill("Please remove the insult.")
    entry.get_by_role("button", name=f"Apply decision to Comment {comment.pk}").click()
    expect(queue.get_by_text("The author is asked to edit it.")).to_be_visible()

    own = logged_in_context(browser, live_server, author).new_page()
    own.goto(f"{live_server.url}/moderation/mine/")
    assert_no_serious_violations(own)
    expect(own.get_by_text("Please remove the insult.")).to_be_visible()
    own.get_by_role("link", name="Edit it as asked").click()
    assert_no_serious_violations(own)
    own.get_by_label("Your new text").fill("The canteen's opening hours are too short.")
    own.get_by_role("button", name="Save the new text").click()
    expect(own.get_by_text("Your text is changed")).to_be_visible()
    expect(own.get_by_role("link", name="Edit it as asked")).to_have_count(0)

    comment.refresh_from_db()
    assert comment.body == "The canteen's opening hours are too short."
    assert comment.status == Comment.Status.PENDING
    queue.goto(f"{live_server.url}/moderation/")
    expect(queue.locator(f"#queue-comment-{comment.pk}")).to_contain_text(
        "opening hours are too short"
    )
    assert_no_serious_violations(queue)
