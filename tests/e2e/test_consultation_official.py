"""An official's journey in a real browser: log in with TOTP, create a
consultation from a .docx step by step, schedule it, reply officially,
export the comments, publish the outcome; the resident is notified and
sees the decision on their comment. axe checks every page."""

import io
import re
import time
import uuid
from datetime import timedelta

import docx
import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from consultations.models import Comment, Consultation, ExportJob
from consultations.services import comments as comment_services
from notifications.models import Notification
from tests.factories import (
    PASSWORD,
    ConsultationFactory,
    DepartmentFactory,
    TopicFactory,
    UserFactory,
    area_chain,
    enroll_totp,
    official,
)

pytestmark = pytest.mark.e2e

SERIOUS = {"serious", "critical"}
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
ARTICLES = [
    "第一条 为了规范养老服务，保障老年人合法权益，制定本条例。",
    "第二条 本条例适用于本市行政区域内的养老服务及其监督管理。",
    "第三条 社区养老服务站应当每日开放不少于十小时。",
    "第四条 区县人民政府应当统筹建设社区食堂。",
    "第五条 本条例自公布之日起施行。",
]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-US", "accept_downloads": True}


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


def draft_docx(path) -> str:
    document = docx.Document()
    document.add_heading("重庆市养老服务条例（草案）", level=0)
    document.add_paragraph("为广泛听取社会各界意见，现将草案全文公布。")
    document.add_heading("第一章 总则", level=1)
    for article in ARTICLES[:2]:
        document.add_paragraph(article)
    document.add_heading("第二章 社区养老服务", level=1)
    for article in ARTICLES[2:]:
        document.add_paragraph(article)
    buffer = io.BytesIO()
    document.save(buffer)
    target = path / "养老服务条例草案.docx"
    target.write_bytes(buffer.getvalue())
    return str(target)


def log_in_with_totp(page, live_server, user: User, secret: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/?next=/console/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    page.get_by_label(re.compile("code", re.IGNORECASE)).fill(code)
    page.get_by_role("button", name=re.compile("sign in|confirm", re.I)).click()
    expect(page).to_have_url(f"{live_server.url}/console/")


def logged_in_context(browser, live_server, user: User):
    """A browser context carrying the session of ``user`` (a resident: no
    second factor to enter)."""
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


def wait_for(predicate, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError("the condition did not come true in time")


def mails_to(user: User) -> int:
    return sum(user.email in message.to for message in mail.outbox)


def create_from_docx(page, department, topic, tmp_path) -> Consultation:
    page.get_by_role("link", name="New consultation").click()
    expect(page.locator('[aria-current="step"]')).to_contain_text("Basics")
    assert_no_serious_violations(page)
    page.get_by_label("Title").fill("重庆市养老服务条例（草案）征求意见")
    page.get_by_label("Summary").fill("市民政局就养老服务条例草案公开征求意见。")
    page.get_by_label("Introduction").fill("请就**社区养老服务**提出意见。")
    page.get_by_label("Department").select_option(str(department.pk))
    page.get_by_label(topic.name_en).check()
    page.get_by_label("Comments appear at once and may be removed later").check()
    page.get_by_role("button", name="Save and continue").click()

    expect(page.locator('[aria-current="step"]')).to_contain_text("Scope")
    assert_no_serious_violations(page)
    page.get_by_label("Show the streets of").select_option(label="Yuzhong")
    page.get_by_role("button", name="Show streets").click()
    page.get_by_label("Yuzhong", exact=True).check()
    page.get_by_label("Jiefangbei").check()
    assert_no_serious_violations(page)
    page.get_by_role("button", name="Save and continue").click()

    expect(page.locator('[aria-current="step"]')).to_contain_text("Schedule")
    assert_no_serious_violations(page)
    opens = timezone.localtime() + timedelta(days=3)
    page.get_by_label("Opens").fill(opens.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Closes").fill(
        (opens + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_role("button", name="Save and continue").click()

    expect(page.locator('[aria-current="step"]')).to_contain_text("Document")
    page.get_by_label("Or upload a Word document (.docx)").set_input_files(
        draft_docx(tmp_path)
    )
    page.get_by_role("button", name="Read the document").click()
    expect(page.get_by_role("status")).to_contain_text("9 sections")
    expect(page.get_by_text("社区养老服务站应当每日开放不少于十小时。")).to_be_visible()
    page.get_by_label("Attachment title").fill("起草说明")
    page.get_by_label("PDF file").set_input_files(
        {"name": "说明.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Attach the PDF").click()
    expect(page.get_by_role("status")).to_contain_text("The attachment has been added")
    assert_no_serious_violations(page)
    page.get_by_role("link", name="Continue to the preview").click()

    expect(page.locator('[aria-current="step"]')).to_contain_text("Preview")
    expect(
        page.get_by_text("Nothing: the consultation is ready to publish.")
    ).to_be_visible()
    assert_no_serious_violations(page)
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(
        "Published: it opens for comment"
    )
    assert_no_serious_violations(page)
    return Consultation.objects.get(title="重庆市养老服务条例（草案）征求意见")


def test_official_runs_a_consultation_from_docx_to_published_outcome(
    live_server, page, browser, tmp_path
):
    _city, yuzhong, jiefangbei, community = area_chain()
    department = DepartmentFactory(name_en="Civil Affairs Bureau", area=_city)
    topic = TopicFactory(name_en="Elderly care")
    user = official(department, mfa=False)
    User.objects.filter(pk=user.pk).update(preferred_language="en")
    secret = enroll_totp(user)
    resident = UserFactory(
        display_name="王阿姨", home_area=community, preferred_language="en"
    )

    # Create and schedule.
    log_in_with_totp(page, live_server, user, secret)
    assert_no_serious_violations(page)
    consultation = create_from_docx(page, department, topic, tmp_path)
    assert consultation.status == Consultation.Status.SCHEDULED
    assert set(consultation.areas.all()) == {yuzhong, jiefangbei}
    assert consultation.attachments.count() == 1
    article_3 = consultation.sections.get(number="第三条")

    # Time passes: it opens, and a resident comments on article 3.
    now = timezone.now()
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_at=now - timedelta(hours=2), closes_at=now + timedelta(days=30)
    )
    consultation.refresh_from_db()
    comment, _created = comment_services.comment_post(
        user=resident,
        consultation=consultation,
        body="建议服务站周末也开放，并延长到晚上八点。",
        idempotency_key=uuid.uuid4(),
        stance="suggestion",
        section=article_3,
    )

    # An official reply from the public page.
    page.goto(f"{live_server.url}{consultation.get_absolute_url()}")
    thread = page.locator(f"#comment-{comment.pk}")
    thread.get_by_text("Reply", exact=True).click()
    thread.get_by_label("Your reply").fill("感谢建议，我们将研究周末开放。")
    expect(thread.get_by_label(re.compile("Reply officially for"))).to_be_checked()
    thread.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Official reply · Civil Affairs Bureau")).to_be_visible()
    assert_no_serious_violations(page)
    reply = Comment.objects.get(parent=comment)
    assert reply.official_department == department
    assert Notification.objects.filter(user=resident, kind="official_reply").exists()

    # Figures, then an export of the comments (built eagerly here).
    page.goto(f"{live_server.url}/console/consultations/{consultation.pk}/")
    page.get_by_role("link", name="Figures").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Figures")
    assert_no_serious_violations(page)
    page.get_by_role("link", name="Overview").click()
    page.get_by_label("CSV").check()
    page.get_by_role("button", name="Prepare the export").click()
    expect(page.get_by_role("link", name="Download the file")).to_be_visible()
    expect(page.locator("progress")).to_have_attribute("value", "100")
    assert_no_serious_violations(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the file").click()
    exported = download_info.value.path().read_bytes().decode("utf-8-sig")
    assert "建议服务站周末也开放" in exported
    assert "感谢建议" in exported

    # It closes; the official writes and publishes the outcome.
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    page.goto(f"{live_server.url}/console/consultations/{consultation.pk}/")
    page.get_by_role("link", name="Write the outcome").click()
    assert_no_serious_violations(page)
    page.get_by_label("Summary of what you heard and decided").fill(
        "共收到意见一条，我们据此修改了第三条。"
    )
    page.get_by_role("button", name="Save the summary").click()
    page.get_by_role("link", name="Add an item").click()
    page.get_by_label("Theme").fill("服务站开放时间")
    page.get_by_label("Section").select_option(label=str(article_3))
    page.get_by_role("button", name="Show the comments of this section").click()
    page.get_by_label(re.compile("建议服务站周末也开放")).check()
    page.get_by_label("What residents said").fill("居民希望周末开放并延长开放时间。")
    page.get_by_label("Adopted", exact=True).check()
    page.get_by_label("Reason").fill("已将第三条修改为每日开放十二小时，含周末。")
    assert_no_serious_violations(page)
    page.get_by_role("button", name="Save the item").click()
    expect(page.get_by_role("status")).to_contain_text("The item has been saved")
    page.get_by_role("link", name="Review and publish").click()
    mails_before = mails_to(resident)
    assert_no_serious_violations(page)
    page.get_by_role("button", name="Yes, publish the outcome").click()
    expect(page.get_by_text("A published outcome cannot be changed.")).to_be_visible()
    assert_no_serious_violations(page)

    # The resident is told, and sees the decision on their comment.
    wait_for(
        lambda: Notification.objects.filter(user=resident, kind="outcome").exists()
    )
    wait_for(lambda: mails_to(resident) > mails_before)
    resident_context = logged_in_context(browser, live_server, resident)
    resident_page = resident_context.new_page()
    resident_page.goto(f"{live_server.url}{consultation.get_absolute_url()}")
    expect(
        resident_page.locator(f"#comment-{comment.pk}").get_by_text(
            "Answered in the outcome: 服务站开放时间 (Adopted)"
        )
    ).to_be_visible()
    assert_no_serious_violations(resident_page)
    resident_context.close()


@pytest.mark.real_worker
def test_export_is_built_by_the_real_worker_and_downloaded(
    celery_worker, live_server, page
):
    consultation = ConsultationFactory(open=True)
    user = official(consultation.department)
    User.objects.filter(pk=user.pk).update(preferred_language="en")
    for n in range(3):
        Comment.objects.create(
            consultation=consultation,
            author=UserFactory(),
            body=f"第{n}条意见",
            stance="support",
            idempotency_key=uuid.uuid4(),
        )
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

    page.goto(f"{live_server.url}/console/consultations/{consultation.pk}/")
    page.get_by_label("Excel (XLSX)").check()
    page.get_by_role("button", name="Prepare the export").click()
    expect(page.locator("progress")).to_be_visible()
    assert_no_serious_violations(page)

    # The page polls the status and shows the link when the worker is done.
    expect(page.get_by_role("link", name="Download the file")).to_be_visible(
        timeout=30_000
    )
    assert ExportJob.objects.get().state == ExportJob.State.DONE
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the file").click()
    assert download_info.value.suggested_filename.endswith(".xlsx")
