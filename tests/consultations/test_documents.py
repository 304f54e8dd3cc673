"""Draft documents: Markdown or .docx in, ordered sections with stable
anchors out."""

import io
import zipfile

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from docx.enum.style import WD_STYLE_TYPE
from openpyxl import Workbook

from consultations import documents
from consultations.models import Consultation, Section
from consultations.services import lifecycle
from tests.factories import (
    CommentFactory,
    ConsultationFactory,
    SectionFactory,
    consultation_in,
    official,
)

pytestmark = pytest.mark.usefixtures("english")

NUMERALS = "一二三四五六七八九十"
ARTICLES = [f"第{n}条" for n in [*NUMERALS, "十一", "十二"]]


def kinds_numbers_anchors(sections) -> list[tuple[str, str, str]]:
    return [(s.kind, s.number, s.anchor) for s in sections]


# Pure parsing (no database) -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("第一条", 1),
        ("第三条", 3),
        ("第十条", 10),
        ("第十二条", 12),
        ("第二十三条", 23),
        ("第一百零五条", 105),
        ("第二章", 2),
        ("Article 7", 7),
        ("第甲条", None),
    ],
)
def test_chinese_numbers(text, number):
    assert documents.chinese_number(text) == number


def test_markdown_gives_chapters_articles_and_a_preamble():
    text = """为了规范养老服务，制定本条例。

# 第一章 总则

第一条 为了发展养老服务事业，制定本条例。

第二条 本条例适用于本市行政区域内的养老服务。
本条所称养老服务包括居家、社区和机构养老服务。

## 第二章 居家养老

第三条 街道应当设置社区食堂。
"""
    parsed = documents.parse_blocks(documents.blocks_from_markdown(text))

    assert [(p.kind, p.number, p.heading) for p in parsed] == [
        ("preamble", "", ""),
        ("chapter", "第一章", "总则"),
        ("article", "第一条", ""),
        ("article", "第二条", ""),
        ("chapter", "第二章", "居家养老"),
        ("article", "第三条", ""),
    ]
    assert parsed[3].body.startswith("本条例适用于")
    assert "居家、社区和机构养老服务" in parsed[3].body
    assert documents.anchors_for(parsed) == [
        "preamble-1",
        "chapter-1",
        "article-1",
        "article-2",
        "chapter-2",
        "article-3",
    ]


def test_english_articles_are_recognised():
    parsed = documents.parse_blocks(
        documents.blocks_from_markdown("Article 1. Scope\n\nArticle 2 Terms")
    )

    assert [p.number for p in parsed] == ["Article 1.", "Article 2"]
    assert documents.anchors_for(parsed) == ["article-1", "article-2"]


def test_repeated_numbers_get_distinct_anchors():
    parsed = documents.parse_blocks(
        documents.blocks_from_markdown("第一条 甲\n\n第一条 乙")
    )

    assert documents.anchors_for(parsed) == ["article-1", "article-1-b"]


def test_unnumbered_heading_is_a_chapter_with_its_text():
    parsed = documents.parse_blocks(documents.blocks_from_markdown("# 附则\n\n正文"))

    assert [(p.kind, p.heading) for p in parsed] == [
        ("chapter", "附则"),
        ("paragraph", ""),
    ]


def test_too_many_sections_is_a_document_error():
    text = "\n\n".join(f"第{i}条 内容" for i in range(documents.MAX_SECTIONS + 2))

    with pytest.raises(documents.DocumentError):
        documents.parse_blocks(documents.blocks_from_markdown(text))


# Through the service ---------------------------------------------------------------


def regulation_docx(*, heading_style="Heading 1") -> bytes:
    """A draft regulation as Word writes it: Heading styles for chapters and
    第一条..第十二条 paragraphs."""
    document = docx.Document()
    if heading_style not in [s.name for s in document.styles]:
        document.styles.add_style(heading_style, WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("重庆市养老服务条例（征求意见稿）")
    for position, number in enumerate(ARTICLES):
        if position == 0:
            document.add_paragraph("第一章 总则", style=heading_style)
        if position == 6:
            document.add_paragraph("居家社区养老服务", style=heading_style)
        document.add_paragraph(f"{number} 这是{number}的内容。")
        if number == "第三条":
            document.add_paragraph("本条第二款的内容。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name="草案.docx"):
    return SimpleUploadedFile(name, content)


def owner_and_draft():
    consultation = ConsultationFactory()
    return official(consultation.department, mfa=False), consultation


@pytest.mark.django_db
def test_docx_gives_the_right_kinds_numbers_and_anchors():
    user, consultation = owner_and_draft()

    lifecycle.document_replace(
        user=user, consultation=consultation, docx_file=upload(regulation_docx())
    )

    sections = list(consultation.sections.order_by("position"))
    got = kinds_numbers_anchors(sections)
    assert got[:3] == [
        ("preamble", "", "preamble-1"),
        ("chapter", "第一章", "chapter-1"),
        ("article", "第一条", "article-1"),
    ]
    articles = [row for row in got if row[0] == "article"]
    assert [number for _kind, number, _anchor in articles] == ARTICLES
    assert [anchor for *_rest, anchor in articles] == [
        f"article-{n}" for n in range(1, 13)
    ]
    chapters = [s for s in sections if s.kind == Section.Kind.CHAPTER]
    assert [(c.heading, c.anchor) for c in chapters] == [
        ("总则", "chapter-1"),
        ("居家社区养老服务", "chapter-2"),
    ]
    third = next(s for s in sections if s.anchor == "article-3")
    assert third.body == "这是第三条的内容。\n\n本条第二款的内容。"
    assert third.is_commentable
    assert not chapters[0].is_commentable


@pytest.mark.django_db
def test_docx_with_chinese_heading_style_names():
    user, consultation = owner_and_draft()

    lifecycle.document_replace(
        user=user,
        consultation=consultation,
        docx_file=upload(regulation_docx(heading_style="标题 1")),
    )

    kinds = list(consultation.sections.values_list("kind", flat=True))
    assert kinds.count("chapter") == 2
    assert kinds.count("article") == 12


@pytest.mark.django_db
def test_markdown_through_the_service_replaces_the_old_document():
    user, consultation = owner_and_draft()
    SectionFactory(consultation=consultation, anchor="old-anchor")

    sections = lifecycle.document_replace(
        user=user,
        consultation=consultation,
        markdown="# 第一章 总则\n\n第一条 甲\n\n第二条 乙\n\n第三条 丙",
    )

    assert [s.anchor for s in sections] == [
        "chapter-1",
        "article-1",
        "article-2",
        "article-3",
    ]
    assert not consultation.sections.filter(anchor="old-anchor").exists()


@pytest.mark.django_db
def test_document_is_searchable_after_replacing():
    user, consultation = owner_and_draft()

    lifecycle.document_replace(
        user=user, consultation=consultation, docx_file=upload(regulation_docx())
    )

    hit = Consultation.objects.filter(
        pk=consultation.pk, search_vector__isnull=False
    ).exists()
    assert hit


def _zip_that_is_not_word() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "不是Word文件")
    return buffer.getvalue()


def _zip_with_broken_xml() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types><unclosed")
    return buffer.getvalue()


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [
        b"plain text pretending to be a docx",
        b"%PDF-1.4\n%%EOF\n",
        b"",
        regulation_docx()[:300],
        _zip_that_is_not_word(),
        _zip_with_broken_xml(),
        _xlsx(),
    ],
    ids=[
        "text",
        "pdf",
        "empty file",
        "truncated docx",
        "other zip",
        "broken xml",
        "xlsx",
    ],
)
def test_non_docx_upload_is_a_clear_validation_error(content):
    user, consultation = owner_and_draft()
    kept = SectionFactory(consultation=consultation)

    with pytest.raises(ValidationError) as error:
        lifecycle.document_replace(
            user=user, consultation=consultation, docx_file=upload(content)
        )

    assert "Upload a Word .docx file" in " ".join(error.value.messages)
    assert list(consultation.sections.all()) == [kept]


@pytest.mark.django_db
def test_empty_document_is_refused():
    user, consultation = owner_and_draft()

    with pytest.raises(ValidationError, match="empty"):
        lifecycle.document_replace(
            user=user, consultation=consultation, markdown=" \n\n "
        )


@pytest.mark.django_db
def test_document_of_an_open_consultation_cannot_be_replaced():
    consultation = consultation_in("open")
    commented = SectionFactory(consultation=consultation)
    CommentFactory(consultation=consultation, section=commented)

    with pytest.raises(PermissionDenied):
        lifecycle.document_replace(
            user=official(consultation.department, mfa=False),
            consultation=consultation,
            markdown="第一条 新内容",
        )

    assert consultation.sections.get() == commented
    assert commented.comments.count() == 1
