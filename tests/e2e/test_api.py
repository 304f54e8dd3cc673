"""Open data in the browser, axe on each page: a visitor finds the open-data
page and the API documentation (Swagger UI from the vendored files, started
by a static script under the strict CSP, with no CSP violation); a resident
makes an API key, sees it once and revokes it."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_consultation_official import (
    assert_no_serious_violations,
    logged_in_context,
)
from tests.factories import TopicFactory, UserFactory

pytestmark = pytest.mark.e2e


@pytest.mark.django_db(transaction=True)
def test_visitor_reads_the_open_data_page_and_the_api_docs(browser, live_server):
    TopicFactory(slug="transport", name_zh="交通", name_en="Transport")
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.goto(f"{live_server.url}/data/")
    expect(page.get_by_role("heading", name="Open data", level=1)).to_be_visible()
    expect(
        page.get_by_role("heading", name="Consultations consultations")
    ).to_be_visible()
    assert_no_serious_violations(page)
    page.get_by_role("link", name="Interactive documentation").click()
    expect(page.get_by_role("heading", name="Public API documentation")).to_be_visible()
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Minyi")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    assert page.locator(".opblock-tag").count() >= 4
    assert_no_serious_violations(page)
    assert violations == []
    context.close()


@pytest.mark.django_db(transaction=True)
def test_resident_makes_and_revokes_an_api_key(browser, live_server):
    resident = UserFactory(display_name="Wang", preferred_language="en")
    page = logged_in_context(browser, live_server, resident).new_page()
    page.goto(f"{live_server.url}/data/keys/")
    assert_no_serious_violations(page)
    page.get_by_role("button", name="Make the key").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    assert_no_serious_violations(page)
    page.get_by_label("Name of the key").fill("Neighbourhood app")
    page.get_by_role("button", name="Make the key").click()
    expect(page.get_by_text("Your new key")).to_be_visible()
    key = page.locator("code.api-key").inner_text()
    assert len(key) > 30
    assert_no_serious_violations(page)
    page.goto(f"{live_server.url}/data/keys/")
    expect(page.get_by_text(key)).to_have_count(0)
    page.get_by_role("button", name="Revoke “Neighbourhood app”").click()
    expect(page.get_by_text("is revoked")).to_be_visible()
    expect(page.get_by_role("cell", name="Revoked")).to_be_visible()
    assert_no_serious_violations(page)
