"""Surveys in a real browser: an official builds a survey with every
question type and a condition, previews and publishes it; a resident
answers on a phone-sized screen, goes back, is stopped by a required
field, resumes and gets a receipt; a visitor answers an anonymous survey;
a condition hides a page; the official reads the results by district and
exports CSV and XLSX. axe checks every page."""

import csv
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client
from django.utils import timezone, translation
from openpyxl import load_workbook
from playwright.sync_api import expect

from surveys.models import Question, Response, Survey
from tests.factories import AreaFactory, DepartmentFactory, area_chain, official
from tests.surveys.factories import every_kind_survey, resident, respond

pytestmark = pytest.mark.e2e

SERIOUS = {"serious", "critical"}
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-US", "accept_downloads": True}


def assert_accessible(page) -> None:
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in SERIOUS]
    report = "\n".join(
        f"{v['impact']}: {v['id']}: {v['help']} "
        + " | ".join(str(node["target"]) for node in v["nodes"])
        for v in serious
    )
    assert not serious, f"axe found on {page.url}:\n{report}"


def sign_in(page, live_server, user) -> None:
    """Carry ``user``'s session into the browser (officials have TOTP
    enrolled; the sign-in form itself is tested with the accounts)."""
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )


def fits_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"


# The official builds ------------------------------------------------------------

QUESTIONS = [
    ("single", "您是否独居？", ["是", "否"]),
    ("multiple", "您需要哪些服务？", ["助餐", "助浴", "其他"]),
    ("rating", "您对社区服务满意吗？", None),
    ("ranking", "请给设施排序", ["食堂", "医疗站", "活动室"]),
    ("matrix", "请评价以下方面", ["满意", "一般", "不满意"]),
    ("short_text", "您的称呼", None),
    ("long_text", "其他建议", None),
    ("number", "您的年龄", None),
    ("date", "您何时搬入本社区？", None),
    ("area", "您住在哪里？", None),
]


def add_question(page, kind, text, options, page_number=1):
    with translation.override("en"):
        label = str(Question.Kind(kind).label)
    page.get_by_label(f"Type of the new question on page {page_number}").select_option(
        kind
    )
    page.get_by_role("button", name=f"Add a question to page {page_number}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(label)
    page.get_by_label("Question (Chinese)").fill(text)
    for index, option in enumerate(options or [], start=1):
        group = page.get_by_role("group", name=f"Options {index}", exact=True)
        group.get_by_label("Option (Chinese)").fill(option)
        if option == "其他":
            group.get_by_label("Other, please specify").check()
    if kind == "matrix":
        for index, row in enumerate(["环境", "态度"], start=1):
            page.get_by_role("group", name=f"Rows {index}", exact=True).get_by_label(
                "Option (Chinese)"
            ).fill(row)
    if kind == "number":
        page.get_by_label("Smallest number").fill("0")
        page.get_by_label("Largest number").fill("120")
    if kind == "rating":
        page.get_by_label("Scale").select_option("0")
    return label


def test_official_builds_every_question_type_with_a_condition_previews_and_publishes(
    live_server, page
):
    department = DepartmentFactory()
    area_chain()
    user = official(department)
    sign_in(page, live_server, user)
    page.goto(f"{live_server.url}/console/surveys/")
    assert_accessible(page)
    page.get_by_role("link", name="New survey").click()
    assert_accessible(page)
    page.get_by_label("Title (Chinese)").fill("社区养老需求调查")
    page.get_by_label("Title (English)").fill("Community elderly-care needs")
    page.get_by_label("Department").select_option(str(department.pk))
    page.get_by_label("Anonymous: anyone, no account").check()
    now = timezone.localtime()
    page.get_by_label("Opens").fill(
        (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_label("Closes").fill(
        (now + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Community elderly-care needs"
    )
    assert_accessible(page)

    for index, (kind, text, options) in enumerate(QUESTIONS):
        add_question(page, kind, text, options)
        if index == 0:
            assert_accessible(page)
        page.get_by_role("button", name="Save the question").click()
        expect(page.get_by_text("The question has been saved.")).to_be_visible()
    assert_accessible(page)

    # A second page shown only to people who live alone.
    page.get_by_role("button", name="Add a page").click()
    add_question(page, "short_text", "谁最常来看望您？", None, page_number=2)
    page.get_by_role("button", name="Save the question").click()
    page.get_by_role("link", name="Edit page 2 and its condition").click()
    assert_accessible(page)
    page.get_by_label("Show only when the answer to").select_option(
        label="您是否独居？"
    )
    page.get_by_label(re.compile(r"^Condition")).select_option("equals")
    page.get_by_label(re.compile(r"^Option\b")).select_option(label="您是否独居？: 是")
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_text("Answer only if your answer to “您是否独居？” equals “是”.")
    ).to_be_visible()

    page.get_by_role("link", name="Preview").click()
    expect(page.get_by_text("Nothing you enter here is stored")).to_be_visible()
    for _kind, text, _options in QUESTIONS:
        expect(page.get_by_text(text, exact=True).first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Next page").click()
    expect(page.get_by_text("谁最常来看望您？")).to_be_visible()
    page.go_back()
    page.go_back()

    page.get_by_role("button", name="Publish the survey").click()
    expect(page.get_by_text("The survey is published.")).to_be_visible()
    survey = Survey.objects.get()
    assert survey.published_at is not None
    assert survey.questions.count() == len(QUESTIONS) + 1
    assert survey.pages.get(position=1).condition_question.text_zh == "您是否独居？"


# The resident answers ---------------------------------------------------------------


def test_resident_answers_on_a_phone_goes_back_resumes_and_gets_a_receipt(
    live_server, page
):
    built = every_kind_survey()
    user = resident(preferred_language="en")
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, user)
    survey = built["survey"]
    page.goto(f"{live_server.url}{survey.get_absolute_url()}")
    assert_accessible(page)
    fits_the_screen(page)
    page.get_by_role("link", name="Start the survey").click()
    expect(page.get_by_text("Page 1 of 2")).to_be_visible()
    assert_accessible(page)
    fits_the_screen(page)

    # Required question left blank: a message on the field and on top.
    page.get_by_role("button", name="Next").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("This question needs an answer.")
    assert_accessible(page)
    summary.get_by_role("link").click()
    page.get_by_label("是").check()
    page.get_by_label("助餐").check()
    page.get_by_role("button", name="Next", exact=True).click()

    expect(page.get_by_text("Page 2 of 3")).to_be_visible()
    assert_accessible(page)
    fits_the_screen(page)
    page.get_by_label("7", exact=True).check()
    ranking = built["q"]["ranking"]
    for rank, text in enumerate(["医疗", "食堂", "文娱"], start=1):
        page.get_by_label(text).select_option(str(rank))
    page.get_by_role("button", name="Back").click()
    expect(page.get_by_label("是")).to_be_checked()

    # Leave, come back later: the survey resumes where it was left.
    page.goto(f"{live_server.url}/surveys/")
    page.goto(f"{live_server.url}{survey.get_absolute_url()}")
    page.get_by_role("link", name="Continue where you left off").click()
    expect(page.get_by_label("是")).to_be_checked()
    page.get_by_role("button", name="Next", exact=True).click()
    expect(page.get_by_label("7", exact=True)).to_be_checked()
    expect(page.get_by_label("医疗")).to_have_value("1")
    page.get_by_role("button", name="Next", exact=True).click()

    expect(page.get_by_text("Page 3 of 3")).to_be_visible()
    page.get_by_label(built["q"]["short_text"].text_en).fill("希望多开社区食堂")
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you: your answers are stored"
    )
    assert_accessible(page)
    fits_the_screen(page)
    stored = Response.objects.get()
    expect(page.get_by_text(stored.receipt_code)).to_be_visible()
    assert stored.user == user
    assert stored.answers.get(question=ranking, rank=1).choice.text_zh == "医疗"


def test_condition_hides_a_page(live_server, page):
    built = every_kind_survey()
    sign_in(page, live_server, resident(preferred_language="en"))
    page.goto(f"{live_server.url}/surveys/{built['survey'].pk}/answer/")
    page.get_by_label("否").check()
    page.get_by_role("button", name="Next", exact=True).click()
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    page.get_by_label("5", exact=True).check()
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thank you")
    assert built["q"]["short_text"].pk not in Response.objects.get().seen


def test_anonymous_visitor_answers_an_anonymous_survey(live_server, page):
    built = every_kind_survey(mode=Survey.Mode.ANONYMOUS)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/surveys/")
    assert_accessible(page)
    page.get_by_role("link", name=built["survey"].title_en).click()
    page.get_by_role("link", name="Start the survey").click()
    page.get_by_label("否").check()
    page.get_by_role("button", name="Next", exact=True).click()
    page.get_by_label("3", exact=True).check()
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_text("Your answers are anonymous.")).to_be_visible()
    assert_accessible(page)
    assert Response.objects.get().user_id is None
    page.goto(f"{live_server.url}/surveys/{built['survey'].pk}/answer/")
    expect(
        page.get_by_text("This browser has already answered this survey.")
    ).to_be_visible()


# The official reads the results -------------------------------------------------------


def test_official_sees_results_filters_by_district_and_exports(live_server, page):
    city, yuzhong, _street, _community = area_chain()
    other = AreaFactory(
        code="500106", name_zh="沙坪坝区", name_en="Shapingba", parent=city
    )
    built = every_kind_survey()
    survey, q = built["survey"], built["q"]
    no = q["single"].choices.get(text_zh="否")
    for district, choice, rating in [
        (yuzhong, built["yes"], 9),
        (yuzhong, no, 7),
        (other, no, 3),
    ]:
        respond(
            survey,
            {
                q["single"]: {q["single"].field_name: [str(choice.pk)]},
                q["area"]: {f"{q['area'].field_name}_district": [str(district.pk)]},
                q["rating"]: {q["rating"].field_name: [str(rating)]},
            },
            user=resident(),
        )
    user = official(survey.department)
    sign_in(page, live_server, user)
    page.goto(f"{live_server.url}/console/surveys/{survey.pk}/results/")
    expect(page.get_by_text("Responses: 3")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("District", exact=True).select_option(label="Yuzhong")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("Responses: 2")).to_be_visible()
    single = page.get_by_role("region", name=re.compile(q["single"].text_en))
    expect(single.get_by_role("row", name="是 1 50.0%")).to_be_visible()
    assert_accessible(page)

    for format in ("CSV", "XLSX"):
        page.goto(f"{live_server.url}/console/surveys/{survey.pk}/results/")
        page.get_by_role("button", name=re.compile(f"Export as .*{format}")).click()
        link = page.get_by_role("link", name="Download the file")
        expect(link).to_be_visible(timeout=20_000)
        assert_accessible(page)
        with page.expect_download() as info:
            link.click()
        content = Path(info.value.path()).read_bytes()
        if format == "CSV":
            rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
            header = rows[0]
            ratings = sorted(int(r[header.index("Q5")]) for r in rows[2:])
        else:
            sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
            rows = list(sheet.iter_rows(values_only=True))
            header = list(rows[0])
            ratings = sorted(r[header.index("Q5")] for r in rows[1:])
        assert ratings == [3, 7, 9]
