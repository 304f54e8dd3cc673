"""The officials' console for consultations, through the test client: the
creation steps, running a consultation, figures, the outcome editor and
exports; bad input gives a clear message and changes nothing."""

import io
from datetime import UTC, datetime, timedelta

import docx
import openpyxl
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from consultations.models import (
    Attachment,
    ClosingExtension,
    Comment,
    Consultation,
    ExportJob,
    Outcome,
    OutcomeItem,
)
from consultations.services import lifecycle
from notifications.models import Notification
from tests.factories import (
    AreaFactory,
    CommentFactory,
    ConsultationFactory,
    DepartmentFactory,
    OutcomeFactory,
    OutcomeItemFactory,
    SectionFactory,
    SupportFactory,
    TopicFactory,
    UserFactory,
    area_chain,
    city,
    district,
    official,
)

MAX_QUERIES = 30
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def url(name: str, *args) -> str:
    return reverse(f"consultations_console:{name}", args=args)


def logged_in(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def text(response) -> str:
    return response.content.decode()


def docx_upload(paragraphs, name="draft.docx") -> SimpleUploadedFile:
    document = docx.Document()
    for style, line in paragraphs:
        if style == "heading":
            document.add_heading(line, level=1)
        else:
            document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(
        name,
        buffer.getvalue(),
        content_type=(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        ),
    )


# The list and the console home ----------------------------------------------------


@pytest.mark.django_db
def test_console_home_lists_the_departments_consultations_by_status(
    client, django_assert_max_num_queries
):
    department = DepartmentFactory()
    user = official(department)
    draft = ConsultationFactory(department=department, title="养老服务条例草案")
    open_one = ConsultationFactory(department=department, open=True, title="公交线路")
    other = ConsultationFactory(title="别的部门的草案")
    logged_in(client, user)

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get("/console/")

    html = text(response)
    assert response.status_code == 200
    assert draft.title in html
    assert open_one.title in html
    assert other.title not in html
    assert html.index("Draft") < html.index("Open for comment")
    assert url("overview", draft.pk) in html
    assert url("basics", draft.pk) in html
    assert url("figures", open_one.pk) in html


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 30])
def test_console_home_queries_do_not_grow_with_consultations(
    client, django_assert_max_num_queries, count
):
    department = DepartmentFactory()
    for n in range(count):
        ConsultationFactory(department=department, open=n % 2 == 0)
    logged_in(client, official(department))

    with django_assert_max_num_queries(15):
        response = client.get("/console/")

    assert response.status_code == 200


@pytest.mark.django_db
def test_console_list_page_shows_every_state(client, django_assert_max_num_queries):
    department = DepartmentFactory()
    for state in ("scheduled", "closed", "responded", "archived"):
        ConsultationFactory(department=department, **{state: True})
    logged_in(client, official(department))

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url("index"))

    html = text(response)
    for label in ("Scheduled", "Closed, awaiting response", "Responded", "Archived"):
        assert label in html


# Step 1: basics --------------------------------------------------------------------


@pytest.mark.django_db
def test_official_creates_a_draft_for_their_department(
    client, django_assert_max_num_queries
):
    department = DepartmentFactory()
    topic = TopicFactory()
    user = official(department)
    logged_in(client, user)
    assert client.get(url("create")).status_code == 200

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.post(
            url("create"),
            {
                "title": "重庆市养老服务条例（草案）",
                "summary": "征求对养老服务条例草案的意见。",
                "body": "请**认真**阅读。",
                "department": department.pk,
                "topics": [topic.pk],
                "moderation": "pre",
            },
        )

    consultation = Consultation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("scope", consultation.pk)
    assert consultation.department == department
    assert consultation.created_by == user
    assert consultation.moderation == "pre"
    assert list(consultation.topics.all()) == [topic]
    assert consultation.status == Consultation.Status.DRAFT


@pytest.mark.django_db
def test_forged_department_id_is_refused_and_nothing_is_created(client):
    mine = DepartmentFactory()
    theirs = DepartmentFactory()
    logged_in(client, official(mine))

    response = client.post(
        url("create"),
        {
            "title": "伪造",
            "summary": "伪造部门",
            "department": theirs.pk,
            "moderation": "post",
        },
    )

    assert response.status_code == 400
    assert "You can only create consultations for your own department." in text(
        response
    )
    assert not Consultation.objects.exists()


@pytest.mark.django_db
def test_create_form_offers_only_the_officials_departments(client):
    mine = DepartmentFactory(name_en="Civil Affairs Bureau")
    DepartmentFactory(name_en="Transport Commission")
    logged_in(client, official(mine))

    html = text(client.get(url("create")))

    assert "Civil Affairs Bureau" in html
    assert "Transport Commission" not in html


@pytest.mark.django_db
def test_empty_title_keeps_the_typed_summary(client):
    department = DepartmentFactory()
    logged_in(client, official(department))

    response = client.post(
        url("create"),
        {"title": "", "summary": "保留我写的摘要", "department": department.pk},
    )

    assert response.status_code == 400
    assert "error-summary" in text(response)
    assert "保留我写的摘要" in text(response)
    assert not Consultation.objects.exists()


@pytest.mark.django_db
def test_basics_of_a_draft_are_edited_and_the_department_stays(
    client, django_assert_max_num_queries
):
    department = DepartmentFactory()
    consultation = ConsultationFactory(department=department)
    logged_in(client, official(department))
    with django_assert_max_num_queries(MAX_QUERIES):
        page = client.get(url("basics", consultation.pk))
    assert 'aria-current="step"' in text(page)

    response = client.post(
        url("basics", consultation.pk),
        {
            "title": "新标题",
            "summary": "新摘要",
            "department": DepartmentFactory().pk,
            "moderation": "post",
        },
    )

    consultation.refresh_from_db()
    assert response.status_code == 302
    assert consultation.title == "新标题"
    assert consultation.department == department


# Step 2: scope -----------------------------------------------------------------------


@pytest.mark.django_db
def test_scope_saves_districts_and_streets(client, django_assert_max_num_queries):
    _city, yuzhong, street, _community = area_chain()
    other = district(name_en="Jiangbei")
    consultation = ConsultationFactory(department=DepartmentFactory(area=_city))
    logged_in(client, official(consultation.department))

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.post(
            url("scope", consultation.pk), {"areas": [other.pk, street.pk]}
        )

    assert response.status_code == 302
    assert response["Location"] == url("schedule", consultation.pk)
    assert set(consultation.areas.all()) == {other, street}
    assert yuzhong not in consultation.areas.all()


@pytest.mark.django_db
def test_show_streets_lists_a_districts_streets_without_saving(
    client, django_assert_max_num_queries
):
    top, yuzhong, street, _community = area_chain()
    consultation = ConsultationFactory(department=DepartmentFactory(area=top))
    logged_in(client, official(consultation.department))

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.post(
            url("scope", consultation.pk),
            {"areas": [yuzhong.pk], "expand": yuzhong.pk, "show_streets": "1"},
        )

    html = text(response)
    assert response.status_code == 200
    assert f'value="{street.pk}"' in html
    assert f'id="area-{yuzhong.pk}" checked' in html
    assert not consultation.areas.exists()


@pytest.mark.django_db
def test_area_outside_the_jurisdiction_is_refused_and_scope_unchanged(client):
    top, yuzhong, street, _community = area_chain()
    jiangbei = district(name_zh="江北区", name_en="Jiangbei")
    consultation = ConsultationFactory(
        department=DepartmentFactory(area=yuzhong), areas=[street]
    )
    logged_in(client, official(consultation.department))

    response = client.post(url("scope", consultation.pk), {"areas": [jiangbei.pk]})

    assert response.status_code == 400
    assert "Jiangbei is outside your department&#x27;s jurisdiction." in text(response)
    assert list(consultation.areas.all()) == [street]


@pytest.mark.django_db
def test_scope_without_any_area_is_refused(client):
    consultation = ConsultationFactory()
    logged_in(client, official(consultation.department))

    response = client.post(url("scope", consultation.pk), {})

    assert response.status_code == 400
    assert "Choose at least one area." in text(response)


# Step 3: schedule ------------------------------------------------------------------


@pytest.mark.django_db
def test_schedule_reads_times_as_beijing_time(client, django_assert_max_num_queries):
    consultation = ConsultationFactory()
    logged_in(client, official(consultation.department))

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.post(
            url("schedule", consultation.pk),
            {"opens_at": "2031-05-01T09:00", "closes_at": "2031-06-01T18:30"},
        )

    consultation.refresh_from_db()
    assert response.status_code == 302
    assert consultation.opens_at == datetime(2031, 5, 1, 1, 0, tzinfo=UTC)
    assert consultation.closes_at == datetime(2031, 6, 1, 10, 30, tzinfo=UTC)
    page = text(client.get(url("schedule", consultation.pk)))
    assert 'value="2031-05-01T09:00"' in page


@pytest.mark.django_db
def test_closing_before_opening_is_refused_and_nothing_changes(client):
    consultation = ConsultationFactory()
    logged_in(client, official(consultation.department))

    response = client.post(
        url("schedule", consultation.pk),
        {"opens_at": "2031-05-01T09:00", "closes_at": "2031-04-01T09:00"},
    )

    consultation.refresh_from_db()
    assert response.status_code == 400
    assert "The closing time must be after the opening time." in text(response)
    assert consultation.opens_at is None


@pytest.mark.django_db
def test_a_scheduled_consultation_cannot_be_moved_into_the_past(client):
    consultation = ConsultationFactory(scheduled=True)
    before = consultation.opens_at
    logged_in(client, official(consultation.department))

    response = client.post(
        url("schedule", consultation.pk),
        {"opens_at": "2001-05-01T09:00", "closes_at": "2031-04-01T09:00"},
    )

    consultation.refresh_from_db()
    assert response.status_code == 400
    assert "A scheduled consultation cannot open in the past." in text(response)
    assert consultation.opens_at == before


# Step 4: document and attachments --------------------------------------------------


@pytest.mark.django_db
def test_pasted_markdown_becomes_sections_shown_back(
    client, django_assert_max_num_queries
):
    consultation = ConsultationFactory()
    logged_in(client, official(consultation.department))

    response = client.post(
        url("document", consultation.pk),
        {"markdown": "# 第一章 总则\n\n第一条 为了规范养老服务。\n\n第二条 适用范围。"},
    )
    with django_assert_max_num_queries(MAX_QUERIES):
        page = client.get(url("document", consultation.pk))

    assert response.status_code == 302
    assert [s.anchor for s in consultation.sections.all()] == [
        "chapter-1",
        "article-1",
        "article-2",
    ]
    assert "3 sections" in text(page)
    assert "为了规范养老服务。" in text(page)


@pytest.mark.django_db
def test_uploaded_docx_becomes_sections(client):
    consultation = ConsultationFactory()
    logged_in(client, official(consultation.department))
    upload = docx_upload(
        [
            ("heading", "第一章 总则"),
            ("text", "第一条 为了规范养老服务，制定本条例。"),
            ("text", "第二条 本条例适用于本市行政区域。"),
        ]
    )

    response = client.post(url("document", consultation.pk), {"docx": upload})

    assert response.status_code == 302
    assert [s.number for s in consultation.sections.all()] == [
        "第一章",
        "第一条",
        "第二条",
    ]


@pytest.mark.django_db
def test_broken_docx_is_refused_and_the_document_is_unchanged(client):
    consultation = ConsultationFactory()
    section = SectionFactory(consultation=consultation)
    logged_in(client, official(consultation.department))
    broken = SimpleUploadedFile("draft.docx", b"PK\x03\x04 not really a zip")

    response = client.post(url("document", consultation.pk), {"docx": broken})

    assert response.status_code == 400
    assert "The document could not be read." in text(response)
    assert list(consultation.sections.all()) == [section]


@pytest.mark.django_db
def test_empty_document_form_asks_for_text_or_a_file(client):
    consultation = ConsultationFactory()
    logged_in(client, official(consultation.department))

    response = client.post(url("document", consultation.pk), {"markdown": "  "})

    assert response.status_code == 400
    assert "Paste the text of the draft or upload a .docx file." in text(response)


@pytest.mark.django_db
def test_pdf_attachment_is_added_and_removed(client):
    consultation = ConsultationFactory()
    logged_in(client, official(consultation.department))

    response = client.post(
        url("attachment_add", consultation.pk),
        {"title": "起草说明", "upload": SimpleUploadedFile("说明.pdf", PDF)},
    )
    attachment = Attachment.objects.get()
    removed = client.post(url("attachment_delete", consultation.pk, attachment.pk))

    assert response.status_code == 302
    assert attachment.size == len(PDF)
    assert removed.status_code == 302
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_non_pdf_renamed_pdf_is_refused(client):
    consultation = ConsultationFactory()
    logged_in(client, official(consultation.department))

    response = client.post(
        url("attachment_add", consultation.pk),
        {"title": "假的", "upload": SimpleUploadedFile("fake.pdf", b"MZ\x90\x00exe")},
    )

    assert response.status_code == 400
    assert "This file is not a PDF file." in text(response)
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_oversized_pdf_is_refused(client, monkeypatch):
    monkeypatch.setattr(lifecycle, "MAX_ATTACHMENT_BYTES", len(PDF) - 1)
    consultation = ConsultationFactory()
    logged_in(client, official(consultation.department))

    response = client.post(
        url("attachment_add", consultation.pk),
        {"title": "太大", "upload": SimpleUploadedFile("big.pdf", PDF)},
    )

    assert response.status_code == 400
    assert "The file can be at most" in text(response)
    assert not Attachment.objects.exists()


# Step 5: preview, publish, back to draft ------------------------------------------


@pytest.mark.django_db
def test_preview_shows_the_consultation_and_what_is_missing(
    client, django_assert_max_num_queries
):
    consultation = ConsultationFactory(body="**欢迎**提出意见")
    SectionFactory(consultation=consultation, body="第一条的内容")
    logged_in(client, official(consultation.department))

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url("preview", consultation.pk))

    html = text(response)
    assert response.status_code == 200
    assert "<strong>欢迎</strong>" in html
    assert "第一条的内容" in html
    assert "Set when the consultation opens and closes." in html
    assert "Choose the areas the consultation concerns." in html


@pytest.mark.django_db
def test_publishing_with_a_future_opening_schedules_it(client):
    consultation = ConsultationFactory(
        opens_at=timezone.now() + timedelta(days=2),
        closes_at=timezone.now() + timedelta(days=30),
        areas=[city()],
    )
    logged_in(client, official(consultation.department))

    response = client.post(url("publish", consultation.pk), {"publish": "1"})

    consultation.refresh_from_db()
    assert response.status_code == 302
    assert consultation.status == Consultation.Status.SCHEDULED
    follow = client.get(response["Location"])
    assert "Published: it opens for comment on" in text(follow)


@pytest.mark.django_db
def test_publishing_with_a_past_opening_opens_it_now(client):
    consultation = ConsultationFactory(
        opens_at=timezone.now() - timedelta(hours=1),
        closes_at=timezone.now() + timedelta(days=30),
        areas=[city()],
    )
    logged_in(client, official(consultation.department))

    client.post(url("publish", consultation.pk), {"publish": "1"})

    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.OPEN


@pytest.mark.django_db
def test_publishing_an_incomplete_draft_lists_the_problems(client):
    consultation = ConsultationFactory()
    logged_in(client, official(consultation.department))

    response = client.post(url("publish", consultation.pk), {"publish": "1"})

    consultation.refresh_from_db()
    assert response.status_code == 400
    assert "It cannot be published yet" in text(response)
    assert consultation.published_at is None


@pytest.mark.django_db
def test_save_as_draft_keeps_it_a_draft(client):
    consultation = ConsultationFactory(
        opens_at=timezone.now() + timedelta(days=2),
        closes_at=timezone.now() + timedelta(days=30),
        areas=[city()],
    )
    logged_in(client, official(consultation.department))

    response = client.post(url("publish", consultation.pk), {"save_draft": "1"})

    consultation.refresh_from_db()
    assert response.status_code == 302
    assert consultation.status == Consultation.Status.DRAFT


@pytest.mark.django_db
def test_scheduled_consultation_goes_back_to_draft(client):
    consultation = ConsultationFactory(scheduled=True)
    logged_in(client, official(consultation.department))

    response = client.post(url("unpublish", consultation.pk))

    consultation.refresh_from_db()
    assert response.status_code == 302
    assert consultation.status == Consultation.Status.DRAFT


@pytest.mark.django_db
def test_open_consultation_cannot_go_back_to_draft(client):
    consultation = ConsultationFactory(open=True)
    logged_in(client, official(consultation.department))

    response = client.post(url("unpublish", consultation.pk), follow=True)

    consultation.refresh_from_db()
    assert "Only a scheduled consultation can go back." in text(response)
    assert consultation.status == Consultation.Status.OPEN


@pytest.mark.django_db
def test_open_consultation_cannot_be_edited(client):
    consultation = ConsultationFactory(open=True, title="原标题")
    logged_in(client, official(consultation.department))

    response = client.post(
        url("basics", consultation.pk),
        {"title": "改了", "summary": "改了", "moderation": "post"},
        follow=True,
    )

    consultation.refresh_from_db()
    assert "This consultation can no longer be edited." in text(response)
    assert consultation.title == "原标题"


# Running it ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_overview_page_offers_the_actions_of_each_state(
    client, django_assert_max_num_queries
):
    department = DepartmentFactory()
    logged_in(client, official(department))
    expected = {
        "scheduled": "Back to draft",
        "open": "Extend the closing time",
        "closed": "Write the outcome",
        "responded": "Archive",
    }
    for state, action in expected.items():
        consultation = ConsultationFactory(department=department, **{state: True})
        with django_assert_max_num_queries(MAX_QUERIES):
            response = client.get(url("overview", consultation.pk))
        assert action in text(response)


@pytest.mark.django_db
def test_extension_moves_the_closing_time_and_records_the_reason(
    client, django_assert_max_num_queries
):
    consultation = ConsultationFactory(open=True)
    logged_in(client, official(consultation.department))
    assert client.get(url("extend", consultation.pk)).status_code == 200

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.post(
            url("extend", consultation.pk),
            {"closes_at": "2040-01-10T18:00", "reason": "应居民要求延长。"},
        )

    consultation.refresh_from_db()
    extension = ClosingExtension.objects.get()
    assert response.status_code == 302
    assert consultation.closes_at == datetime(2040, 1, 10, 10, 0, tzinfo=UTC)
    assert extension.reason == "应居民要求延长。"


@pytest.mark.django_db
def test_extension_that_is_not_later_is_refused(client):
    consultation = ConsultationFactory(open=True)
    before = consultation.closes_at
    logged_in(client, official(consultation.department))

    response = client.post(
        url("extend", consultation.pk),
        {"closes_at": "2001-01-10T18:00", "reason": "提前"},
    )

    consultation.refresh_from_db()
    assert response.status_code == 400
    assert "The new closing time must be later than the current one." in text(response)
    assert consultation.closes_at == before
    assert not ClosingExtension.objects.exists()


@pytest.mark.django_db
def test_extension_without_a_reason_is_refused(client):
    consultation = ConsultationFactory(open=True)
    logged_in(client, official(consultation.department))

    response = client.post(
        url("extend", consultation.pk),
        {"closes_at": "2040-01-10T18:00", "reason": "   "},
    )

    assert response.status_code == 400
    assert "error-summary" in text(response)
    assert not ClosingExtension.objects.exists()


@pytest.mark.django_db
def test_closed_consultation_cannot_be_extended(client):
    consultation = ConsultationFactory(closed=True)
    logged_in(client, official(consultation.department))

    response = client.get(url("extend", consultation.pk), follow=True)

    assert "Only an open consultation can be extended." in text(response)


@pytest.mark.django_db
def test_responded_consultation_is_archived(client):
    consultation = ConsultationFactory(responded=True)
    logged_in(client, official(consultation.department))

    response = client.post(url("archive", consultation.pk))

    consultation.refresh_from_db()
    assert response.status_code == 302
    assert consultation.status == Consultation.Status.ARCHIVED


@pytest.mark.django_db
def test_closed_consultation_cannot_be_archived_before_its_outcome(client):
    consultation = ConsultationFactory(closed=True)
    logged_in(client, official(consultation.department))

    response = client.post(url("archive", consultation.pk), follow=True)

    consultation.refresh_from_db()
    assert "Only a consultation with a published response" in text(response)
    assert consultation.archived_at is None


@pytest.mark.django_db
def test_figures_count_comments_by_district_and_stance(
    client, django_assert_max_num_queries
):
    yuzhong = AreaFactory(code="500103", name_en="Yuzhong", parent=city())
    consultation = ConsultationFactory(open=True)
    first = CommentFactory(
        consultation=consultation, stance="support", author_district=yuzhong
    )
    CommentFactory(consultation=consultation, stance="oppose", author_district=yuzhong)
    CommentFactory(consultation=consultation, stance="oppose")
    SupportFactory(comment=first)
    logged_in(client, official(consultation.department))

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url("figures", consultation.pk))

    html = text(response)
    assert response.status_code == 200
    assert "Yuzhong" in html
    assert "Area not given" in html
    assert "<meter" in html
    numbers = response.context["figures"]
    assert numbers["comments"] == 3
    assert numbers["supports"] == 1
    assert numbers["participants"] == 4
    stances = {row["label"]: row["n"] for row in response.context["stances"]}
    assert stances["Oppose"] == 2
    assert stances["Support"] == 1


# The outcome --------------------------------------------------------------------


@pytest.mark.django_db
def test_outcome_is_written_item_by_item_and_published(
    client, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    consultation = ConsultationFactory(closed=True)
    article = SectionFactory(consultation=consultation, number="第三条")
    resident = UserFactory()
    popular = CommentFactory(
        consultation=consultation, section=article, author=resident, support_count=9
    )
    CommentFactory(consultation=consultation, section=article, support_count=1)
    logged_in(client, official(consultation.department))

    with django_assert_max_num_queries(MAX_QUERIES):
        page = client.get(url("outcome", consultation.pk))
    assert page.status_code == 200
    client.post(url("outcome", consultation.pk), {"summary": "共收到意见两条。"})
    with django_assert_max_num_queries(MAX_QUERIES):
        item_page = client.get(
            url("item_add", consultation.pk), {"section": article.pk}
        )
    assert item_page.context["candidates"][0] == popular
    client.post(
        url("item_add", consultation.pk),
        {
            "theme": "服务时间",
            "section": article.pk,
            "what_was_said": "居民希望延长服务时间。",
            "decision": "adopted",
            "reason": "已修改第三条。",
            "comments": [popular.pk],
        },
    )
    with django_assert_max_num_queries(MAX_QUERIES):
        confirm = client.get(url("outcome_publish", consultation.pk))
    assert "Yes, publish the outcome" in text(confirm)
    with django_capture_on_commit_callbacks(execute=True):
        published = client.post(url("outcome_publish", consultation.pk))

    popular.refresh_from_db()
    assert published.status_code == 302
    assert Outcome.objects.get().published_at is not None
    assert popular.outcome_item.decision == OutcomeItem.Decision.ADOPTED
    assert Notification.objects.filter(user=resident, kind="outcome").exists()
    assert any(resident.email in message.to for message in mail.outbox)
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.RESPONDED


@pytest.mark.django_db
def test_showing_a_sections_comments_keeps_the_typed_item(client):
    consultation = ConsultationFactory(closed=True)
    article = SectionFactory(consultation=consultation)
    on_article = CommentFactory(consultation=consultation, section=article)
    elsewhere = CommentFactory(consultation=consultation)
    logged_in(client, official(consultation.department))

    response = client.post(
        url("item_add", consultation.pk),
        {"theme": "我写的主题", "section": article.pk, "show_comments": "1"},
    )

    assert response.status_code == 200
    assert "我写的主题" in text(response)
    assert "error-summary" not in text(response)
    assert response.context["candidates"] == [on_article]
    assert elsewhere not in response.context["candidates"]
    assert not OutcomeItem.objects.exists()


@pytest.mark.django_db
def test_outcome_item_cannot_link_another_consultations_comment(client):
    consultation = ConsultationFactory(closed=True)
    foreign = CommentFactory()
    logged_in(client, official(consultation.department))

    response = client.post(
        url("item_add", consultation.pk),
        {
            "theme": "主题",
            "what_was_said": "说了什么",
            "decision": "noted",
            "reason": "理由",
            "comments": [foreign.pk],
        },
    )

    assert response.status_code == 400
    assert "A comment belongs to another consultation." in text(response)
    assert not OutcomeItem.objects.exists()


@pytest.mark.django_db
def test_outcome_item_is_edited_and_removed(client):
    outcome = OutcomeFactory(summary="摘要")
    consultation = outcome.consultation
    item = OutcomeItemFactory(outcome=outcome, theme="旧主题")
    logged_in(client, official(consultation.department))
    assert client.get(url("item_edit", consultation.pk, item.pk)).status_code == 200

    client.post(
        url("item_edit", consultation.pk, item.pk),
        {
            "theme": "新主题",
            "what_was_said": "说了什么",
            "decision": "partial",
            "reason": "理由",
        },
    )
    item.refresh_from_db()
    assert item.theme == "新主题"
    assert item.decision == "partial"

    client.post(url("item_delete", consultation.pk, item.pk))
    assert not OutcomeItem.objects.exists()


@pytest.mark.django_db
def test_outcome_without_items_cannot_be_published(client):
    outcome = OutcomeFactory(summary="只有摘要")
    logged_in(client, official(outcome.consultation.department))

    response = client.post(url("outcome_publish", outcome.consultation.pk))

    outcome.refresh_from_db()
    assert response.status_code == 400
    assert "Add at least one item saying what was decided and why." in text(response)
    assert outcome.published_at is None


@pytest.mark.django_db
def test_outcome_cannot_be_published_while_open(client):
    consultation = ConsultationFactory(open=True)
    OutcomeItemFactory(outcome=OutcomeFactory(consultation=consultation))
    logged_in(client, official(consultation.department))

    response = client.post(url("outcome_publish", consultation.pk), follow=True)

    assert "only after the consultation closes" in text(response)
    assert Outcome.objects.get().published_at is None


@pytest.mark.django_db
def test_published_outcome_is_read_only(client, django_assert_max_num_queries):
    consultation = ConsultationFactory(responded=True)
    outcome = consultation.outcome
    item = OutcomeItemFactory(outcome=outcome, theme="已发布")
    logged_in(client, official(consultation.department))

    with django_assert_max_num_queries(MAX_QUERIES):
        page = client.get(url("outcome", consultation.pk))
    changed = client.post(url("outcome", consultation.pk), {"summary": "改写"})
    edit = client.post(
        url("item_edit", consultation.pk, item.pk),
        {"theme": "改", "what_was_said": "改", "decision": "noted", "reason": "改"},
        follow=True,
    )

    outcome.refresh_from_db()
    item.refresh_from_db()
    assert "A published outcome cannot be changed." in text(page)
    assert "<textarea" not in text(page)
    assert changed.status_code == 200
    assert outcome.summary != "改写"
    assert "This outcome is already published." in text(edit)
    assert item.theme == "已发布"


# Exports --------------------------------------------------------------------------


@pytest.mark.django_db
def test_csv_export_is_built_and_downloaded(
    client, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    consultation = ConsultationFactory(open=True)
    CommentFactory(consultation=consultation, body="=1+1 公式注入")
    CommentFactory(consultation=consultation, body="普通意见")
    logged_in(client, official(consultation.department))

    with (
        django_capture_on_commit_callbacks(execute=True),
        django_assert_max_num_queries(MAX_QUERIES),
    ):
        response = client.post(
            url("export_request", consultation.pk), {"format": "csv"}
        )
    job = ExportJob.objects.get()
    with django_assert_max_num_queries(MAX_QUERIES):
        page = client.get(response["Location"])
    status = client.get(url("export_status", consultation.pk, job.pk)).json()
    download = client.get(url("export_download", consultation.pk, job.pk))

    assert response["Location"] == url("export", consultation.pk, job.pk)
    assert "<progress" in text(page)
    assert "100%" in text(page)
    assert status["state"] == "done"
    assert status["percent"] == 100
    assert status["download_url"] == url("export_download", consultation.pk, job.pk)
    assert download["Content-Disposition"].startswith("attachment;")
    body = b"".join(download.streaming_content).decode("utf-8-sig")
    assert "普通意见" in body
    assert "'=1+1 公式注入" in body


@pytest.mark.django_db
def test_xlsx_export_holds_every_comment(client, django_capture_on_commit_callbacks):
    consultation = ConsultationFactory(closed=True)
    CommentFactory(consultation=consultation, body="第一条意见")
    CommentFactory(consultation=consultation, body="第二条意见")
    logged_in(client, official(consultation.department))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("export_request", consultation.pk), {"format": "xlsx"})
    job = ExportJob.objects.get()
    download = client.get(url("export_download", consultation.pk, job.pk))

    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert len(rows) == 3
    assert {rows[1][4], rows[2][4]} == {"第一条意见", "第二条意见"}


@pytest.mark.django_db
def test_unknown_export_format_is_refused(client):
    consultation = ConsultationFactory(open=True)
    logged_in(client, official(consultation.department))

    response = client.post(
        url("export_request", consultation.pk), {"format": "exe"}, follow=True
    )

    assert "Choose CSV or XLSX." in text(response)
    assert not ExportJob.objects.exists()


@pytest.mark.django_db
def test_export_not_ready_shows_a_refresh_link_and_no_download(client):
    consultation = ConsultationFactory(open=True)
    user = official(consultation.department)
    job = ExportJob.objects.create(
        consultation=consultation, requested_by=user, format="csv", total=10, done=4
    )
    logged_in(client, user)

    page = client.get(url("export", consultation.pk, job.pk))
    download = client.get(url("export_download", consultation.pk, job.pk))

    assert 'value="40"' in text(page)
    assert "Refresh to see the progress" in text(page)
    assert "export-progress.js" in text(page)
    assert download.status_code == 404


@pytest.mark.django_db
def test_official_replies_are_exported_with_their_department(
    client, django_capture_on_commit_callbacks
):
    consultation = ConsultationFactory(open=True)
    parent = CommentFactory(consultation=consultation)
    Comment.objects.create(
        consultation=consultation,
        parent=parent,
        author=official(consultation.department),
        official_department=consultation.department,
        body="官方答复",
        idempotency_key="00000000-0000-0000-0000-000000000001",
    )
    logged_in(client, official(consultation.department))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("export_request", consultation.pk), {"format": "csv"})
    job = ExportJob.objects.get()
    body = b"".join(
        client.get(url("export_download", consultation.pk, job.pk)).streaming_content
    ).decode("utf-8-sig")

    assert "官方答复" in body
    department = consultation.department
    assert department.name_en in body or department.name_zh in body
