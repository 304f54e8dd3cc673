"""Automatic rules: the filters on new comments and hiding after reports."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from consultations.models import Comment
from consultations.services import comments
from moderation.models import Flag, ModerationAction, WordFilter
from tests.factories import (
    CommentFactory,
    ConsultationFactory,
    ReplyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
VALID_ID = "11010519491231002X"


def post(body, user=None, consultation=None):
    return comments.comment_post(
        user=user or UserFactory(),
        consultation=consultation or ConsultationFactory(open=True),
        body=body,
        idempotency_key=uuid.uuid4(),
    )[0]


def report(comment, user=None):
    return comments.comment_report(
        user=user or UserFactory(), comment=comment, reason=Flag.Reason.ABUSE
    )


def test_a_clean_comment_is_published_at_once():
    assert post("建议延长图书馆开放时间。").status == Comment.Status.VISIBLE


def test_a_phone_number_holds_the_comment_and_tells_the_author_why():
    with translation.override("en"):
        comment = post("有问题打我电话 13812345678")
    assert comment.status == Comment.Status.PENDING
    assert "phone" in comment.hidden_reason
    action = ModerationAction.objects.get()
    assert action.kind == ModerationAction.Kind.HOLD
    assert action.actor is None


def test_an_id_card_number_with_its_checksum_holds_the_comment():
    assert post(f"身份证 {VALID_ID}").status == Comment.Status.PENDING


def test_an_email_address_holds_the_comment():
    assert post("联系 li@example.cn").status == Comment.Status.PENDING


def test_a_blocked_word_refuses_the_comment_and_stores_nothing():
    WordFilter.objects.create(pattern="傻瓜", action=WordFilter.Action.BLOCK)
    with pytest.raises(ValidationError) as caught:
        post("你們都是傻瓜")  # traditional, matched through the simplified form
    assert "傻瓜" in str(caught.value)
    assert not Comment.objects.exists()


def test_a_held_word_in_full_width_letters_holds_the_comment():
    WordFilter.objects.create(pattern="casino", action=WordFilter.Action.HOLD)
    assert post("ＣＡＳＩＮＯ 优惠").status == Comment.Status.PENDING


def test_an_allow_listed_phrase_is_not_caught():
    WordFilter.objects.create(pattern="傻", action=WordFilter.Action.BLOCK)
    WordFilter.objects.create(pattern="傻瓜相机", action=WordFilter.Action.ALLOW)
    assert post("社区活动可以借傻瓜相机").status == Comment.Status.VISIBLE


def test_a_link_from_a_new_account_is_held(settings):
    settings.MODERATION_NEW_ACCOUNT_DAYS = 7
    user = UserFactory(date_joined=timezone.now() - timedelta(days=2))
    assert post("详见 https://example.org/a", user=user).status == (
        Comment.Status.PENDING
    )


def test_a_link_from_an_established_account_is_published(settings):
    settings.MODERATION_NEW_ACCOUNT_DAYS = 7
    user = UserFactory(date_joined=timezone.now() - timedelta(days=30))
    assert post("详见 https://example.org/a", user=user).status == (
        Comment.Status.VISIBLE
    )


def test_a_held_reply_does_not_count_on_its_parent():
    parent = CommentFactory(consultation=ConsultationFactory(open=True))
    reply = comments.comment_reply(
        user=UserFactory(),
        parent=parent,
        body="加我 13912345678",
        idempotency_key=uuid.uuid4(),
    )[0]
    parent.refresh_from_db()
    assert reply.status == Comment.Status.PENDING
    assert parent.reply_count == 0


def test_two_reports_leave_the_comment_visible():
    comment = CommentFactory(consultation=ConsultationFactory(open=True))
    report(comment)
    report(comment)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.VISIBLE


def test_the_third_distinct_report_hides_the_comment_pending_review():
    comment = CommentFactory(consultation=ConsultationFactory(open=True))
    for _ in range(3):
        report(comment)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert comment.hidden_reason
    action = ModerationAction.objects.get(kind=ModerationAction.Kind.AUTO_HIDE)
    assert action.actor is None
    assert action.snapshot["status"] == Comment.Status.VISIBLE


def test_the_same_resident_reporting_twice_counts_once():
    comment = CommentFactory(consultation=ConsultationFactory(open=True))
    same = UserFactory()
    report(comment, same)
    report(comment, same)
    report(comment)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.VISIBLE


def test_the_threshold_is_a_setting(settings):
    settings.MODERATION_AUTO_HIDE_REPORTS = 1
    comment = CommentFactory(consultation=ConsultationFactory(open=True))
    report(comment)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_an_auto_hidden_reply_leaves_its_parents_count(settings):
    settings.MODERATION_AUTO_HIDE_REPORTS = 1
    parent = CommentFactory(consultation=ConsultationFactory(open=True), reply_count=1)
    reply = ReplyFactory(parent=parent)
    report(reply)
    parent.refresh_from_db()
    assert parent.reply_count == 0
