"""The queue's filters, oldest waiting time and bulk decisions."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from consultations.models import Comment
from moderation import services
from moderation.models import Flag, ModerationAction
from tests.factories import (
    CommentFactory,
    ConsultationFactory,
    DepartmentFactory,
    ReplyFactory,
    UserFactory,
    moderator,
)

pytestmark = pytest.mark.django_db
QUEUE = reverse("moderation:queue")


def _flag(comment, reason=Flag.Reason.SPAM, ago=None):
    flag = Flag.objects.create(
        content_type=ContentType.objects.get_for_model(Comment),
        object_id=comment.pk,
        reporter=UserFactory(),
        reason=reason,
    )
    if ago is not None:
        Flag.objects.filter(pk=flag.pk).update(created_at=timezone.now() - ago)
    return flag


def _listed(client, **params):
    return [c.pk for c in client.get(QUEUE, params).context["items"]]


def test_filter_by_consultation_and_department(client):
    mine, other = DepartmentFactory(), DepartmentFactory()
    a = CommentFactory(consultation=ConsultationFactory(open=True, department=mine))
    b = CommentFactory(consultation=ConsultationFactory(open=True, department=other))
    _flag(a)
    _flag(b)
    client.force_login(moderator())
    assert _listed(client, consultation=a.consultation_id) == [a.pk]
    assert _listed(client, department=other.pk) == [b.pk]


def test_filter_by_reason_and_content_type(client):
    comment = CommentFactory()
    reply = ReplyFactory(parent=CommentFactory())
    _flag(comment, reason=Flag.Reason.ABUSE)
    _flag(reply, reason=Flag.Reason.SPAM)
    client.force_login(moderator())
    assert _listed(client, reason="abuse") == [comment.pk]
    assert _listed(client, kind="reply") == [reply.pk]
    assert _listed(client, kind="comment") == [comment.pk]


def test_filter_by_age_and_oldest_waiting_shown(client, django_assert_max_num_queries):
    old, new = CommentFactory(), CommentFactory()
    _flag(old, ago=timedelta(days=2))
    _flag(new)
    client.force_login(moderator())
    assert _listed(client, age="24h") == [old.pk]
    with django_assert_max_num_queries(22):
        response = client.get(QUEUE)
    assert response.context["oldest"] < timezone.now() - timedelta(days=1)
    assert "oldest-waiting" in response.content.decode()


def test_a_bad_filter_value_shows_the_queue_unfiltered(client):
    _flag(CommentFactory())
    client.force_login(moderator())
    response = client.get(QUEUE, {"age": "forever", "consultation": "x"})
    assert response.status_code == 200


def test_escalated_items_are_marked_and_filterable(client):
    plain, hard = CommentFactory(), CommentFactory()
    _flag(plain)
    _flag(hard)
    mod = moderator()
    services.comment_escalate(moderator=mod, comment=hard, reason="需要法务意见")
    client.force_login(mod)
    assert _listed(client, escalated="on") == [hard.pk]


def test_bulk_hide_of_a_mass_campaign(client):
    campaign = [CommentFactory(body="复制粘贴的广告") for _ in range(3)]
    for comment in campaign:
        _flag(comment)
    client.force_login(moderator())
    response = client.post(
        reverse("moderation:decide_bulk"),
        {
            "comments": [c.pk for c in campaign],
            "decision": "hide",
            "reason": "刷屏 Mass campaign",
        },
    )
    assert response.status_code == 302
    assert Comment.objects.filter(status=Comment.Status.HIDDEN).count() == 3
    assert ModerationAction.objects.filter(kind="hide").count() == 3


def test_bulk_decision_outside_ones_departments_changes_nothing(client):
    ours = CommentFactory(
        consultation=ConsultationFactory(department=DepartmentFactory())
    )
    theirs = CommentFactory()
    client.force_login(moderator(ours.consultation.department))
    client.post(
        reverse("moderation:decide_bulk"),
        {"comments": [ours.pk, theirs.pk], "decision": "hide", "reason": "x"},
    )
    assert not Comment.objects.filter(status=Comment.Status.HIDDEN).exists()
    assert not ModerationAction.objects.exists()


def test_bulk_decision_without_a_selection_is_explained(client):
    client.force_login(moderator())
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("moderation:decide_bulk"), {"decision": "approve"}, follow=True
    )
    assert "Select at least one item" in response.content.decode()


def test_ask_to_edit_needs_a_message(client):
    comment = CommentFactory()
    client.force_login(moderator())
    client.post(
        reverse("moderation:decide", args=[comment.pk]),
        {"decision": "request_edit", "reason": ""},
    )
    assert not ModerationAction.objects.exists()
