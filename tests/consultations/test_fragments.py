"""Comment pages are put together from cached heads and each reader's own
actions: a change to a comment shows at once, and no reader gets another's
controls."""

import re

import pytest
from django.utils import timezone

from consultations.models import Comment, Section
from tests.factories import (
    CommentFactory,
    ConsultationFactory,
    ReplyFactory,
    SectionFactory,
    SupportFactory,
    UserFactory,
    official,
)


def page_of(consultation) -> str:
    return f"/consultations/{consultation.pk}/"


def article(html: str, comment) -> str:
    start = html.index(f'id="comment-{comment.pk}"')
    return html[start : html.index("</article>", start)]


@pytest.mark.django_db
def test_an_edit_shows_at_once_though_the_head_was_cached(client):
    comment = CommentFactory(consultation=ConsultationFactory(open=True))
    client.force_login(UserFactory())
    client.get(page_of(comment.consultation))
    Comment.objects.filter(pk=comment.pk).update(
        body="改过的意见", edited_at=timezone.now()
    )

    html = client.get(page_of(comment.consultation)).content.decode()

    assert "改过的意见" in article(html, comment)


@pytest.mark.django_db
def test_a_hidden_comments_text_shows_to_its_author_only(client):
    comment = CommentFactory(
        consultation=ConsultationFactory(open=True),
        status=Comment.Status.HIDDEN,
        hidden_reason="广告",
        body="我的原话",
    )
    client.force_login(UserFactory())
    other = client.get(page_of(comment.consultation)).content.decode()
    client.force_login(comment.author)

    own = client.get(page_of(comment.consultation)).content.decode()

    assert "我的原话" not in other
    assert "我的原话" in own
    assert "广告" in other


@pytest.mark.django_db
def test_each_reader_gets_their_own_support_state_and_links(client):
    consultation = ConsultationFactory(open=True)
    supported, other = CommentFactory.create_batch(2, consultation=consultation)
    reader = SupportFactory(comment=supported).user
    own = CommentFactory(consultation=consultation, author=reader)
    client.force_login(UserFactory())
    client.get(page_of(consultation))
    client.force_login(reader)

    html = client.get(page_of(consultation)).content.decode()

    assert 'aria-pressed="true"' in article(html, supported)
    assert 'aria-pressed="false"' in article(html, other)
    assert "support-button" not in article(html, own)
    assert f"comments/{own.pk}/edit/" in article(html, own)
    assert f"comments/{own.pk}/report/" not in article(html, own)
    assert f"comments/{other.pk}/report/" in article(html, other)
    assert f"comments/{other.pk}/edit/" not in html


@pytest.mark.django_db
def test_every_reply_box_has_its_own_key_and_the_readers_token(client):
    consultation = ConsultationFactory(open=True)
    first, second = CommentFactory.create_batch(2, consultation=consultation)
    ReplyFactory(parent=first)
    client.force_login(UserFactory())

    html = client.get(page_of(consultation)).content.decode()

    keys = re.findall(r'name="idempotency_key" value="([0-9a-f-]{36})"', html)
    assert len(keys) == len(set(keys)) == 3  # two reply boxes, the comment form
    assert "__" not in article(html, first) + article(html, second)
    token = client.cookies["csrftoken"].value
    assert token and 'name="csrfmiddlewaretoken" value="__' not in html


@pytest.mark.django_db
def test_a_visitor_gets_counts_not_buttons(client):
    comment = CommentFactory(
        consultation=ConsultationFactory(open=True), support_count=1
    )
    client.cookies["django_language"] = "en"

    html = client.get(page_of(comment.consultation)).content.decode()

    assert "1 support" in article(html, comment)
    assert "support-button" not in html
    assert "reply-box" not in html


@pytest.mark.django_db
def test_a_scheduled_consultations_page_shows_a_new_draft_text_at_once(client):
    consultation = ConsultationFactory(scheduled=True)
    section = SectionFactory(consultation=consultation, body="旧的条文")
    client.force_login(official(consultation.department))
    client.get(page_of(consultation))
    Section.objects.filter(pk=section.pk).update(body="新的条文")

    html = client.get(page_of(consultation)).content.decode()

    assert "新的条文" in html
