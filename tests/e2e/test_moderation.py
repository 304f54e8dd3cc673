"""The moderation journey in a real browser, axe on every page: three
residents report a comment and it is hidden pending review; a moderator
hides it with a reason; its author sees why and appeals; another moderator
restores it; the audit log shows every step and the public transparency
report counts them."""

import pytest
from playwright.sync_api import expect

from consultations.models import Comment
from tests.e2e.test_consultation_official import (
    assert_no_serious_violations,
    logged_in_context,
)
from tests.factories import CommentFactory, ConsultationFactory, UserFactory, moderator

pytestmark = pytest.mark.e2e


def english(user, name=None):
    user.preferred_language = "en"
    user.display_name = name or user.display_name
    user.save()
    return user


@pytest.mark.django_db(transaction=True)
def test_reports_hide_review_appeal_restore_audit_and_transparency(
    browser, live_server
):
    consultation = ConsultationFactory(open=True, title="Community canteens")
    author = english(UserFactory(display_name="Li"))
    comment = CommentFactory(
        consultation=consultation, author=author, body="Canteens should open at 6."
    )
    thread = f"{live_server.url}{comment.get_absolute_url()}"

    for n in range(3):
        page = logged_in_context(
            browser, live_server, english(UserFactory(display_name=f"R{n}"))
        ).new_page()
        page.goto(thread)
        if n == 0:
            assert_no_serious_violations(page)
        page.locator(f"#comment-{comment.pk}").get_by_role(
            "link", name="Report"
        ).click()
        if n == 0:
            assert_no_serious_violations(page)
        page.get_by_label("Abuse or harassment").check()
        page.get_by_role("button", name="Send the report").click()
        page.context.close()
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING

    first = english(moderator(), "Mod A")
    queue = logged_in_context(browser, live_server, first).new_page()
    queue.goto(f"{live_server.url}/moderation/")
    assert_no_serious_violations(queue)
    item = queue.locator(f"#queue-comment-{comment.pk}")
    expect(item).to_contain_text("3 reports")
    item.get_by_label("Hide with a public reason").check()
    item.get_by_label("Reason (public when hiding)").fill("Personal attack")
    item.get_by_role("button", name=f"Apply decision to Comment {comment.pk}").click()
    expect(queue.get_by_text("The item is hidden with your reason.")).to_be_visible()
    assert_no_serious_violations(queue)

    own = logged_in_context(browser, live_server, author).new_page()
    own.goto(thread)
    expect(own.get_by_text("Hidden by a moderator: Personal attack")).to_be_visible()
    assert_no_serious_violations(own)
    own.goto(f"{live_server.url}/moderation/mine/")
    assert_no_serious_violations(own)
    own.get_by_label("Why the decision is wrong").fill("It criticises a policy.")
    own.get_by_role("button", name="Appeal this decision").click()
    expect(own.get_by_text("Your appeal is sent.")).to_be_visible()

    second = english(moderator(), "Mod B")
    appeals = logged_in_context(browser, live_server, second).new_page()
    appeals.goto(f"{live_server.url}/moderation/appeals/")
    assert_no_serious_violations(appeals)
    appeals.get_by_label("Uphold: reverse the decision").check()
    appeals.get_by_label("Reason (sent to the author)").fill("Fair criticism.")
    appeals.get_by_role("button", name="Decide appeal").click()
    expect(appeals.get_by_text("The appeal is decided")).to_be_visible()
    comment.refresh_from_db()
    assert comment.status == Comment.Status.VISIBLE

    queue.goto(f"{live_server.url}/moderation/audit/?comment={comment.pk}")
    assert_no_serious_violations(queue)
    rows = queue.locator("table.audit-log tbody tr")
    expect(rows).to_have_count(4)
    for step in (
        "Appeal upheld: decision reversed",
        "Appealed by the author",
        "Hidden by a moderator",
        "Hidden pending review after reports",
    ):
        expect(queue.locator("table.audit-log")).to_contain_text(step)

    visitor = browser.new_context(locale="en-US").new_page()
    visitor.goto(f"{live_server.url}/moderation/transparency/")
    assert_no_serious_violations(visitor)
    row = visitor.locator("table.transparency tbody tr").first
    expect(row.locator("td")).to_have_text(
        [
            consultation.department.name_en or consultation.department.name_zh,
            "3",
            "1",
            "1",
            "1",
            "1",
        ]
    )
