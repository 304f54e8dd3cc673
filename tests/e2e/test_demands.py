"""Demand lists in a real browser, axe on every page: a resident raises a
suggestion (similar ones shown while typing) and others add "me too"; an
official merges two demands, assigns one and posts a response; the
residents whose inputs feed it are notified and see the response on their
comment or suggestion; a visitor filters the public list by a district and
a topic and opens the dashboard."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from axe_playwright_python.sync_playwright import Axe
from django.test import Client
from playwright.sync_api import expect

from accounts.models import User
from demands import services
from demands.models import Demand, Suggestion
from notifications.models import Notification
from tests.demands.factories import DemandFactory, source_for
from tests.factories import (
    PASSWORD,
    AreaFactory,
    CommentFactory,
    DepartmentFactory,
    TopicFactory,
    UserFactory,
    area_chain,
    enroll_totp,
    official,
)

pytestmark = pytest.mark.e2e

SERIOUS = {"serious", "critical"}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-US"}


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


def log_in(page, live_server, email: str, next_url: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(f"{live_server.url}{next_url}")


def log_in_with_totp(page, live_server, user: User, secret: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/?next=/console/demands/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    page.get_by_label(re.compile("code", re.IGNORECASE)).fill(code)
    page.get_by_role("button", name=re.compile("sign in|confirm", re.I)).click()
    expect(page).to_have_url(f"{live_server.url}/console/demands/")


def logged_in_page(browser, live_server, user: User):
    """A new page carrying the session of ``user`` (a resident)."""
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
    return context.new_page()


def test_resident_raises_a_suggestion_and_others_support_it(live_server, page, browser):
    _city, district, street, community = area_chain()
    transport = TopicFactory(name_zh="公共交通", name_en="Public transport")
    author = UserFactory(home_area=community, preferred_language="en")
    neighbour = UserFactory(home_area=community, preferred_language="en")
    earlier = services.suggestion_create(
        author=neighbour,
        title="解放碑增设公交站",
        body="步行街附近没有公交站。",
        area=street,
    )

    log_in(page, live_server, author.email, "/demands/")
    assert_no_serious_violations(page)
    page.get_by_role("link", name="Raise a suggestion").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Raise a suggestion")
    assert_no_serious_violations(page)
    page.get_by_label("Title").fill("公交站 台阶太高")
    # Similar suggestions in the district appear while typing.
    similar = page.get_by_role("complementary", name="Similar suggestions and demands")
    expect(similar.get_by_role("link", name=earlier.title)).to_be_visible()
    assert_no_serious_violations(page)
    page.get_by_label("Your suggestion").fill(
        "公交站台阶太高，轮椅上不去，希望改成无障碍站台。"
    )
    page.get_by_label("Topic").select_option(label="Public transport")
    page.get_by_role("button", name="Send my suggestion").click()

    suggestion = Suggestion.objects.get(author=author)
    expect(page).to_have_url(f"{live_server.url}{suggestion.get_absolute_url()}")
    expect(page.get_by_role("status")).to_contain_text("Your suggestion is published")
    assert suggestion.area == community
    assert suggestion.topic == transport
    assert_no_serious_violations(page)

    # Two other residents add "me too"; one tries twice.
    for supporter in (neighbour, UserFactory(preferred_language="en")):
        other = logged_in_page(browser, live_server, supporter)
        other.goto(f"{live_server.url}{suggestion.get_absolute_url()}")
        other.get_by_role("button", name=re.compile("^Me too")).click()
        expect(other.get_by_role("status")).to_contain_text("You added “me too”")
        assert_no_serious_violations(other)
        other.context.close()
    expect_count = page.goto(f"{live_server.url}{suggestion.get_absolute_url()}")
    assert expect_count.ok
    expect(page.locator(".support-count")).to_have_text("2 residents say “me too”")
    suggestion.refresh_from_db()
    assert suggestion.support_count == 2


def test_official_merges_assigns_and_responds_and_residents_see_it(
    live_server, page, browser
):
    _city, district, street, community = area_chain()
    department = DepartmentFactory(name_zh="渝中区交通局", name_en="Yuzhong Transport")
    officer = official(department, mfa=False)
    User.objects.filter(pk=officer.pk).update(preferred_language="en")
    secret = enroll_totp(officer)
    commenter = UserFactory(preferred_language="en")
    suggester = UserFactory(preferred_language="en")
    comment = CommentFactory(author=commenter, body="夜班公交太少，下班回不了家。")
    suggestion = services.suggestion_create(
        author=suggester, title="增加夜班公交", body="希望增加22点以后的公交班次。"
    )
    keep = DemandFactory(title="增加夜间公交班次", area=street, score=5)
    duplicate = DemandFactory(title="夜班车太少", area=street, score=3)
    source_for(comment, keep)
    source_for(suggestion, duplicate)

    log_in_with_totp(page, live_server, officer, secret)
    expect(page.get_by_role("heading", level=1)).to_have_text("Demands to triage")
    assert_no_serious_violations(page)

    # Merge the duplicate into the other demand.
    page.get_by_role("link", name="夜班车太少").click()
    assert_no_serious_violations(page)
    page.get_by_label("Merge into", exact=True).select_option(
        label=f"#{keep.pk} {keep.title}"
    )
    page.get_by_role("button", name="Merge", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("The demands are merged")
    expect(page.get_by_role("heading", level=1)).to_have_text(keep.title)
    duplicate.refresh_from_db()
    assert duplicate.status == Demand.Status.MERGED

    # Assign it to the department, then publish a response.
    page.get_by_label("Department", exact=True).select_option(label="Yuzhong Transport")
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("The demand is assigned")
    assert_no_serious_violations(page)
    page.get_by_label("Text residents will read").fill(
        "自下月起，871路末班车延长至23:30。"
    )
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Published")
    assert_no_serious_violations(page)
    keep.refresh_from_db()
    assert keep.department == department
    assert keep.status == Demand.Status.ASSIGNED
    assert keep.resident_count == 2

    # Both residents are told and see the response where they spoke.
    for resident, url in (
        (commenter, comment.get_absolute_url().split("#")[0]),
        (suggester, suggestion.get_absolute_url()),
    ):
        assert Notification.objects.filter(user=resident, kind="demand_update").exists()
        other = logged_in_page(browser, live_server, resident)
        other.goto(f"{live_server.url}/notifications/")
        expect(other.get_by_role("main")).to_contain_text(keep.title)
        assert_no_serious_violations(other)
        other.goto(f"{live_server.url}{url}")
        feeds = other.get_by_role("complementary", name="The demand this feeds")
        expect(feeds.get_by_role("link", name=keep.title)).to_be_visible()
        expect(feeds).to_contain_text("871路末班车延长至23:30")
        assert_no_serious_violations(other)
        other.context.close()


def test_visitor_filters_by_district_and_topic_and_opens_the_dashboard(
    live_server, page
):
    top, district, street, community = area_chain()
    other = AreaFactory(
        code="500106", name_zh="沙坪坝区", name_en="Shapingba", parent=top
    )
    transport = TopicFactory(name_zh="公共交通", name_en="Public transport")
    care = TopicFactory(name_zh="养老服务", name_en="Elderly care")
    department = DepartmentFactory(name_en="Transport Commission")
    bus = DemandFactory(
        title="社区接驳公交",
        area=community,
        topic=transport,
        score=8,
        department=department,
        status=Demand.Status.ASSIGNED,
    )
    canteen = DemandFactory(title="社区食堂", area=street, topic=care, score=6)
    park = DemandFactory(title="沙坪坝公交站", area=other, topic=transport, score=4)
    services.demand_set_status(
        by=official(department), demand=bus, status="resolved", text="已开通"
    )

    page.goto(f"{live_server.url}/demands/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Public service demands")
    for demand in (bus, canteen, park):
        expect(page.get_by_role("link", name=demand.title)).to_be_visible()
    expect(page.get_by_role("img", name="Number of demands per area")).to_be_visible()
    assert_no_serious_violations(page)

    page.get_by_role("combobox", name=re.compile(r"^District or county")).select_option(
        label="Yuzhong"
    )
    page.get_by_role("combobox", name=re.compile(r"^Topic")).select_option(
        label="Public transport"
    )
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("link", name=bus.title)).to_be_visible()
    expect(page.get_by_role("link", name=canteen.title)).to_have_count(0)
    expect(page.get_by_role("link", name=park.title)).to_have_count(0)
    expect(page.get_by_role("heading", name="1 demand")).to_be_visible()
    assert_no_serious_violations(page)

    page.get_by_role("link", name=bus.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(bus.title)
    expect(page.get_by_text("已开通")).to_be_visible()
    assert_no_serious_violations(page)

    page.goto(f"{live_server.url}/demands/")
    page.get_by_role("link", name="Accountability dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Accountability dashboard"
    )
    expect(page.get_by_role("img", name=re.compile("per month"))).to_be_visible()
    figures = page.get_by_role("region", name="Figures")
    expect(figures).to_contain_text("Response rate")
    assert_no_serious_violations(page)
    page.get_by_role("link", name="Transport Commission").click()
    expect(page.locator(".lead")).to_contain_text("Transport Commission")
    assert_no_serious_violations(page)


def test_official_runs_the_analysis_and_sees_its_progress(live_server, page):
    department = DepartmentFactory(name_en="Yuzhong Transport")
    officer = official(department, mfa=False)
    User.objects.filter(pk=officer.pk).update(preferred_language="en")
    secret = enroll_totp(officer)
    for n in range(6):
        CommentFactory(body=f"夜班公交太少，下班后回不了家，希望增加班次。{n}")
        CommentFactory(body=f"社区食堂的午餐时间太短，老人赶不上。{n}")

    log_in_with_totp(page, live_server, officer, secret)
    page.get_by_role("link", name="Text analysis").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Text analysis")
    assert_no_serious_violations(page)
    page.get_by_role("button", name="Run analysis").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Analysis run")
    progress = page.get_by_role("progressbar", name="Progress")
    expect(progress).to_be_visible()
    assert_no_serious_violations(page)
    # Tasks run eagerly in tests: the run is finished by the time the page
    # shows, or the page's polling brings the end.
    expect(page.get_by_text("Finished").first).to_be_visible(timeout=60_000)
    expect(progress).to_have_attribute("value", "100")
    page.get_by_role("link", name="See the demands").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demands to triage")
    assert Demand.objects.exists()
    assert_no_serious_violations(page)
