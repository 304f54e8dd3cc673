"""The Markdown subset for official and user text, always sanitised."""

import pytest
from django.template import Context, Template

from consultations.text import render_markdown


def render(source: str) -> str:
    return Template("{% load consultation_tags %}{{ text|markdown }}").render(
        Context({"text": source})
    )


def test_paragraphs_lists_and_emphasis_are_kept():
    html = render("第一段 **重点** 和 *强调*\n\n- 一\n- 二")

    assert "<p>第一段 <strong>重点</strong> 和 <em>强调</em></p>" in html
    assert "<ul>" in html
    assert "<li>一</li>" in html


def test_script_tags_are_removed_or_escaped():
    html = render('开头<script>alert("x")</script>结尾')

    assert "<script" not in html
    assert "开头" in html
    assert "结尾" in html


def test_inline_event_handlers_never_survive():
    html = render('<b onclick="evil()">粗体</b> <img src=x onerror="evil()">')

    assert "<b " not in html
    assert "<img" not in html


@pytest.mark.parametrize(
    "link",
    [
        "[点我](javascript:alert(1))",
        "[点我](JAVASCRIPT:alert(1))",
        "[点我](  javascript:alert(1))",
        "[点我](vbscript:msgbox(1))",
        "[点我](data:text/html;base64,PHNjcmlwdD4=)",
        "<javascript:alert(1)>",
    ],
)
def test_dangerous_links_are_not_links(link):
    html = render(link)

    assert "<a" not in html
    assert "href" not in html


def test_images_are_not_rendered():
    html = render("![图](https://example.com/tracker.png)")

    assert "<img" not in html
    assert "src=" not in html


def test_links_are_kept_with_nofollow():
    html = render("详见[政府网站](https://www.cq.gov.cn/)。")

    assert 'href="https://www.cq.gov.cn/"' in html
    assert 'rel="nofollow noopener noreferrer"' in html
    assert "政府网站</a>" in html


def test_mailto_links_are_kept():
    assert 'href="mailto:office@example.com"' in render(
        "[写信](mailto:office@example.com)"
    )


def test_top_level_headings_are_demoted():
    html = render("# 大标题\n\n## 小标题")

    assert "<h1>" not in html
    assert "<h2>" not in html
    assert html.count("<h3>") == 2


def test_empty_text_renders_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""
