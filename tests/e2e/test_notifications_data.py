"""A resident's own pages in a real browser, axe on each: my participation,
my data (asks for the export), where I am signed in, and deleting the
account with the password."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.accounts.personal_records import everything_of
from tests.e2e.test_notifications import assert_no_serious_violations
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.e2e


def test_resident_reviews_participation_asks_for_data_and_deletes_account(
    live_server, page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    resident = UserFactory(display_name="王芳", preferred_language="en")
    User.objects.filter(pk=resident.pk).update(preferred_language="en")
    everything_of(resident, "我的意见")

    page.goto(f"{live_server.url}/accounts/login/?next=/accounts/participation/")
    page.get_by_label("Email").fill(resident.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My participation")
    expect(page.get_by_role("heading", name="Comments and replies")).to_be_visible()
    assert_no_serious_violations(page)

    page.goto(f"{live_server.url}/accounts/data/")
    assert_no_serious_violations(page)
    page.get_by_role("button", name="Prepare my data").click()
    expect(page.get_by_text("Your data is being prepared")).to_be_visible()

    page.get_by_role("link", name="Where you are signed in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Where you are signed in")
    expect(page.get_by_text("This browser").last).to_be_visible()
    assert_no_serious_violations(page)

    page.goto(f"{live_server.url}/notifications/follows/")
    assert_no_serious_violations(page)

    page.goto(f"{live_server.url}/accounts/delete/")
    assert_no_serious_violations(page)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_no_serious_violations(page)
    page.get_by_label("Remove everything I said in public").check()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("I understand that my account cannot be restored.").check()
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Your account is deleted")).to_be_visible()
    assert not User.objects.get(pk=resident.pk).is_active

    page.goto(f"{live_server.url}/notifications/unsubscribe/not-a-token/")
    expect(page.get_by_text("This unsubscribe link is not valid")).to_be_visible()
    assert_no_serious_violations(page)
