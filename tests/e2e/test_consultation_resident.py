"""Visitors and residents in a real browser: browse, filter and search the
consultations in Chinese and English; comment on article 3 of a draft,
reply, support someone else's comment, edit, and watch the article's count
change. axe checks every page."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from consultations import search
from consultations.models import Comment, Consultation
from notifications.models import Notification
from tests.factories import (
    PASSWORD,
    AreaFactory,
    CommentFactory,
    ConsultationFactory,
    DepartmentFactory,
    SectionFactory,
    TopicFactory,
    UserFactory,
    area_chain,
)

pytestmark = pytest.mark.e2e

SERIOUS = {"serious", "critical"}
ARTICLES = [
    "为了规范养老服务，保障老年人合法权益，制定本条例。",
    "本条例适用于本市行政区域内的养老服务及其监督管理。",
    "社区养老服务站应当每日开放不少于十小时。",
    "区县人民政府应当统筹建设社区食堂。",
]


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


def indexed(consultation: Consultation) -> Consultation:
    Consultation.objects.filter(pk=consultation.pk).update(
        search_vector=search.document_vector(
            (consultation.title, "A"), (consultation.summary, "B")
        )
    )
    return consultation


def elderly_care_draft(**kwargs) -> Consultation:
    """The elderly-care regulation, open, with a chapter and four articles."""
    consultation = indexed(
        ConsultationFactory(
            open=True,
            title="重庆市社区养老服务条例（征求意见稿）",
            summary="规范社区养老服务设施的建设、运营和监督。",
            **kwargs,
        )
    )
    SectionFactory(
        consultation=consultation,
        position=0,
        kind="chapter",
        number="第一章",
        heading="总则",
        body="",
        anchor="chapter-1",
    )
    for n, text in enumerate(ARTICLES, start=1):
        SectionFactory(
            consultation=consultation,
            position=n,
            number=f"第{'一二三四'[n - 1]}条",
            body=text,
            anchor=f"article-{n}",
        )
    return consultation


def log_in(page, live_server, email: str, next_url: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(f"{live_server.url}{next_url}")


def test_visitor_browses_filters_and_searches_in_chinese_and_english(live_server, page):
    top, district, street, _community = area_chain()
    other_district = AreaFactory(code="500106", name_zh="沙坪坝区", parent=top)
    elderly = TopicFactory(name_zh="养老服务", name_en="Elderly care")
    transport = TopicFactory(name_zh="公共交通", name_en="Public transport")
    care = elderly_care_draft(areas=[district], topics=[elderly])
    bus = indexed(
        ConsultationFactory(
            open=True,
            title="Bus route 871 changes in Yuzhong",
            summary="New stops and a later last bus for route 871.",
            areas=[street],
            topics=[transport],
            department=DepartmentFactory(name_en="Transport Bureau"),
        )
    )
    park = indexed(
        ConsultationFactory(
            closed=True, title="沙坪坝公园改造方案", areas=[other_district]
        )
    )

    page.goto(f"{live_server.url}/consultations/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Consultations")
    for consultation in (care, bus, park):
        expect(page.get_by_role("link", name=consultation.title)).to_be_visible()
    assert_no_serious_violations(page)

    page.get_by_role("combobox", name=re.compile(r"^Status")).select_option(
        label="Open for comment"
    )
    page.get_by_role("combobox", name=re.compile(r"^District or county")).select_option(
        label=district.name_en
    )
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("link", name=care.title)).to_be_visible()
    expect(page.get_by_role("link", name=bus.title)).to_be_visible()
    expect(page.get_by_role("link", name=park.title)).to_have_count(0)
    page.get_by_role("combobox", name=re.compile(r"^Street or township")).select_option(
        label=street.name_en
    )
    page.get_by_role("combobox", name=re.compile(r"^Topic")).select_option(
        label="Public transport"
    )
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("link", name=bus.title)).to_be_visible()
    expect(page.get_by_role("link", name=care.title)).to_have_count(0)
    assert_no_serious_violations(page)

    page.get_by_role("link", name="Clear all filters").click()
    page.get_by_role("searchbox", name=re.compile(r"^Search")).fill("养老")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"q=%E5%85%BB%E8%80%81"))
    result = page.get_by_role("link", name=care.title)
    expect(result).to_be_visible()
    expect(result.locator("mark").first).to_have_text("养老")
    expect(page.get_by_role("link", name=bus.title)).to_have_count(0)
    assert_no_serious_violations(page)

    page.get_by_role("searchbox", name=re.compile(r"^Search")).fill("last bus")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("link", name=bus.title)).to_be_visible()
    expect(page.get_by_role("link", name=care.title)).to_have_count(0)
    expect(page.locator("mark", has_text="bus").first).to_be_visible()
    assert_no_serious_violations(page)

    page.get_by_role("link", name="Clear all filters").click()
    page.get_by_role("link", name=care.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(care.title)
    expect(page.locator("#article-3")).to_contain_text(ARTICLES[2])
    expect(page.get_by_role("link", name="Log in to comment")).to_be_visible()
    assert_no_serious_violations(page)


def test_resident_comments_on_article_3_replies_supports_and_edits(live_server, page):
    consultation = elderly_care_draft()
    article_3 = consultation.sections.get(anchor="article-3")
    neighbour = CommentFactory(
        consultation=consultation,
        section=article_3,
        author=UserFactory(display_name="李阿姨"),
        body="十小时不够，希望早上七点就开门。",
    )
    resident = UserFactory(display_name="王大爷", preferred_language="en")
    detail = f"/consultations/{consultation.pk}/"

    log_in(page, live_server, resident.email, detail)
    expect(page.get_by_role("link", name="1 comment · 第三条")).to_be_visible()
    assert_no_serious_violations(page)

    page.get_by_role("link", name="Comment on this · 第三条").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("第三条")
    assert_no_serious_violations(page)

    page.get_by_role("button", name="Send comment").click()
    expect(page.get_by_role("alert")).to_contain_text("Please write your comment.")
    assert_no_serious_violations(page)

    page.get_by_label("Suggestion").check()
    page.get_by_label("Your comment").fill("建议周末也开放，并增加助餐服务。")
    page.get_by_role("button", name="Send comment").click()
    mine = Comment.objects.get(author=resident)
    expect(page).to_have_url(re.compile(rf"/sections/article-3/#comment-{mine.pk}$"))
    expect(page.get_by_role("status")).to_contain_text("Your comment is published")
    own = page.locator(f"#comment-{mine.pk}")
    expect(own).to_contain_text("建议周末也开放，并增加助餐服务。")
    expect(own).to_contain_text("Suggestion")
    assert_no_serious_violations(page)

    theirs = page.locator(f"#comment-{neighbour.pk}")
    support = theirs.get_by_role("button", name=re.compile("Support"))
    expect(support).to_have_attribute("aria-pressed", "false")
    support.click()
    support = page.locator(f"#comment-{neighbour.pk}").get_by_role(
        "button", name=re.compile("Support")
    )
    expect(support).to_have_attribute("aria-pressed", "true")
    expect(support).to_have_text(re.compile(r"Support\s+1"))
    assert_no_serious_violations(page)

    theirs = page.locator(f"#comment-{neighbour.pk}")
    theirs.get_by_text("Reply", exact=True).click()
    theirs.get_by_label("Your reply").fill("同意，早上七点开门更方便。")
    theirs.get_by_role("button", name="Send reply").click()
    reply = Comment.objects.get(parent=neighbour)
    expect(page).to_have_url(
        re.compile(rf"/comments/{neighbour.pk}/#comment-{reply.pk}$")
    )
    expect(page.locator(f"#comment-{reply.pk}")).to_contain_text("早上七点开门更方便")
    assert_no_serious_violations(page)
    assert Notification.objects.filter(user=neighbour.author, comment=reply).exists()

    page.goto(f"{live_server.url}/consultations/{consultation.pk}/comments/{mine.pk}/")
    page.locator(f"#comment-{mine.pk}").get_by_role("link", name="Edit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit your comment")
    assert_no_serious_violations(page)
    page.get_by_label("Your comment").fill("建议周末和节假日也开放，并增加助餐服务。")
    page.get_by_role("button", name="Save changes").click()
    own = page.locator(f"#comment-{mine.pk}")
    expect(own).to_contain_text("周末和节假日")
    expect(own).to_contain_text("(edited)")

    page.goto(f"{live_server.url}{detail}")
    expect(page.get_by_role("link", name="2 comments · 第三条")).to_be_visible()
    expect(page.get_by_role("link", name="0 comments · 第一条")).to_be_visible()
    assert_no_serious_violations(page)


def test_notifications_page_has_no_serious_accessibility_violations(live_server, page):
    resident = UserFactory(preferred_language="en")
    comment = CommentFactory(author=resident)
    Notification.objects.create(
        user=resident,
        kind=Notification.Kind.OFFICIAL_REPLY,
        key="official-reply:1",
        url=comment.get_absolute_url(),
        consultation=comment.consultation,
        comment=comment,
    )

    log_in(page, live_server, resident.email, "/notifications/")
    expect(
        page.get_by_role("link", name=re.compile(r"Notifications\s+1"))
    ).to_be_visible()
    assert_no_serious_violations(page)

    page.get_by_role("button", name=re.compile("An official reply")).click()
    expect(page).to_have_url(re.compile(rf"#comment-{comment.pk}$"))
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
