"""Posting comments, replies, questions, reports, testimony and survey
answers is rate-limited per account and per address: over the limit, a
clear "try again in N seconds" and nothing stored."""

import uuid

import pytest
from django.urls import reverse

from consultations.models import Comment
from hearings.models import LiveQuestion, Testimony
from moderation.models import Flag
from surveys.models import Response, Survey
from tests.factories import CommentFactory, ConsultationFactory, UserFactory
from tests.hearings.factories import HearingFactory, QuestionFactory
from tests.surveys.factories import every_kind_survey
from tests.surveys.test_answer_views import _answer_through

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _refused(response) -> None:
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many" in html
    assert "try again in" in html


def test_replies_are_limited(client, settings):
    settings.RATE_LIMITS = "reply=1/60"
    parent = CommentFactory(consultation=ConsultationFactory(open=True))
    client.force_login(UserFactory(preferred_language="en"))
    url = reverse(
        "consultations:comment_reply", args=[parent.consultation_id, parent.pk]
    )

    client.post(url, {"body": "一", "idempotency_key": str(uuid.uuid4())}, **EN)
    response = client.post(
        url, {"body": "二", "idempotency_key": str(uuid.uuid4())}, **EN
    )

    _refused(response)
    assert Comment.objects.filter(parent=parent).count() == 1


def test_comments_are_limited_per_address_across_accounts(client, settings):
    settings.RATE_LIMITS = "comment=10/60,comment:ip=1/60"
    consultation = ConsultationFactory(open=True)
    url = reverse("consultations:comment_create", args=[consultation.pk])
    for body in ("第一条", "第二条"):
        client.force_login(UserFactory(preferred_language="en"))
        response = client.post(
            url, {"body": body, "idempotency_key": str(uuid.uuid4())}, **EN
        )
    _refused(response)
    assert Comment.objects.count() == 1


def test_live_questions_are_limited(client, settings):
    settings.RATE_LIMITS = "question=1/60"
    hearing = HearingFactory(live=True)
    client.force_login(UserFactory(preferred_language="en"))
    url = reverse("hearings:question_post", args=[hearing.pk])
    client.post(url, {"body": "问题一？", "idempotency_key": str(uuid.uuid4())}, **EN)
    response = client.post(
        url, {"body": "问题二？", "idempotency_key": str(uuid.uuid4())}, **EN
    )
    _refused(response)
    assert LiveQuestion.objects.count() == 1


def test_testimony_is_limited(client, settings):
    settings.RATE_LIMITS = "testimony=1/3600"
    hearing = HearingFactory()
    client.force_login(UserFactory(preferred_language="en"))
    url = reverse("hearings:testimony", args=[hearing.pk])
    client.post(url, {"body": "意见一"}, **EN)
    response = client.post(url, {"body": "意见二"}, **EN)
    _refused(response)
    assert Testimony.objects.count() == 1


def test_reports_are_limited(client, settings):
    settings.RATE_LIMITS = "report=1/3600"
    first, second = QuestionFactory(), QuestionFactory()
    client.force_login(UserFactory(preferred_language="en"))
    client.post(
        reverse("moderation:report", args=["question", first.pk]),
        {"reason": "spam"},
        **EN,
    )
    response = client.post(
        reverse("moderation:report", args=["question", second.pk]),
        {"reason": "spam"},
        **EN,
    )
    _refused(response)
    assert Flag.objects.count() == 1


def test_comment_reports_are_limited(client, settings):
    settings.RATE_LIMITS = "report=1/3600"
    consultation = ConsultationFactory(open=True)
    first, second = CommentFactory.create_batch(2, consultation=consultation)
    client.force_login(UserFactory(preferred_language="en"))
    for comment in (first, second):
        response = client.post(
            reverse("consultations:comment_report", args=[consultation.pk, comment.pk]),
            {"reason": "spam"},
            **EN,
        )
    _refused(response)
    assert Flag.objects.count() == 1


def test_anonymous_survey_answers_are_limited_per_address(client, settings):
    settings.RATE_LIMITS = "survey_answer:ip=1/60"
    built = every_kind_survey(mode=Survey.Mode.ANONYMOUS)
    assert _answer_through(client, built).status_code == 200
    client.cookies.clear()
    response = _answer_through(client, built)
    assert response.status_code == 429
    assert Response.objects.count() == 1
