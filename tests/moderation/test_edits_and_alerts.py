"""Editing as a moderator asked (once, past the usual window, back to the
queue) and the moderators' queue alerts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.models import Comment
from moderation import alerts, content, reports, services
from moderation.models import ModerationAction, WordFilter
from notifications.models import Notification
from tests.factories import (
    CommentFactory,
    ConsultationFactory,
    DepartmentFactory,
    UserFactory,
    moderator,
)
from tests.hearings.factories import TestimonyFactory

pytestmark = pytest.mark.django_db


def _asked(item, mod=None):
    services.content_request_edit(
        moderator=mod or moderator(), item=item, reason="请删去电话号码"
    )
    return ModerationAction.objects.get(kind="request_edit", object_id=item.pk)


def test_author_asked_to_edit_an_old_comment_can_edit_it_once(client):
    comment = CommentFactory(body="我的电话是13800138000")
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - timedelta(days=3)
    )
    action = _asked(comment)
    client.force_login(comment.author)
    url = reverse("moderation:edit_as_asked", args=[action.pk])

    assert "请删去电话号码" in client.get(reverse("moderation:mine")).content.decode()
    assert client.get(url).status_code == 200
    response = client.post(url, {"body": "已删去电话号码的意见"})
    again = client.post(url, {"body": "第二次修改"})

    comment.refresh_from_db()
    assert response.status_code == 302
    assert again.status_code == 302
    assert comment.body == "已删去电话号码的意见"
    assert comment.status == Comment.Status.PENDING
    assert comment.edited_at is not None
    edited = ModerationAction.objects.get(kind="edited")
    assert edited.snapshot["body"] == "我的电话是13800138000"


def test_edited_item_goes_back_to_the_queue(client):
    item = TestimonyFactory()
    action = _asked(item)
    client.force_login(item.author)
    client.post(
        reverse("moderation:edit_as_asked", args=[action.pk]), {"body": "改好了"}
    )

    client.force_login(moderator())
    listed = client.get(reverse("moderation:queue")).context["items"]
    assert [(i.kind.key, i.pk) for i in listed] == [("testimony", item.pk)]


def test_someone_else_cannot_use_the_edit_request(client):
    comment = CommentFactory()
    action = _asked(comment)
    client.force_login(UserFactory())
    response = client.post(
        reverse("moderation:edit_as_asked", args=[action.pk]), {"body": "篡改"}
    )
    comment.refresh_from_db()
    assert response.status_code == 404
    assert comment.body != "篡改"


def test_edit_as_asked_still_screens_blocked_words(client):
    WordFilter.objects.create(pattern="违禁词", action="block")
    comment = CommentFactory()
    action = _asked(comment)
    client.force_login(comment.author)
    response = client.post(
        reverse("moderation:edit_as_asked", args=[action.pk]), {"body": "含违禁词"}
    )
    comment.refresh_from_db()
    assert response.status_code == 400
    assert "违禁词" not in comment.body


def _waiting(n, *, ago=None, department=None):
    consultation = ConsultationFactory(
        open=True, department=department or DepartmentFactory()
    )
    comments = []
    for _ in range(n):
        comment = CommentFactory(consultation=consultation, status="pending")
        if ago:
            Comment.objects.filter(pk=comment.pk).update(
                created_at=timezone.now() - ago
            )
        comments.append(comment)
    return consultation.department


def test_queue_past_its_size_alerts_its_moderators_once_per_period(settings):
    settings.MODERATION_QUEUE_ALERT_SIZE = 3
    settings.MODERATION_QUEUE_ALERT_MINUTES = 60
    department = _waiting(3)
    site_wide, ours, other = (
        moderator(),
        moderator(department),
        moderator(DepartmentFactory()),
    )

    alerts.queue_alerts_send()
    alerts.queue_alerts_send()

    alerted = Notification.objects.filter(kind=alerts.ALERT_KIND)
    assert sorted(n.user_id for n in alerted) == sorted([site_wide.pk, ours.pk])
    assert all("3" in n.detail for n in alerted)
    assert not alerted.filter(user=other).exists()


def test_a_small_young_queue_alerts_nobody(settings):
    settings.MODERATION_QUEUE_ALERT_SIZE = 50
    settings.MODERATION_QUEUE_ALERT_MINUTES = 60
    _waiting(2)
    moderator()
    assert alerts.queue_alerts_send() == 0


def test_an_item_waiting_too_long_alerts(settings):
    settings.MODERATION_QUEUE_ALERT_SIZE = 50
    settings.MODERATION_QUEUE_ALERT_MINUTES = 60
    _waiting(1, ago=timedelta(hours=2))
    mod = moderator()
    assert alerts.queue_alerts_send() == 1
    # A new period alerts again.
    later = timezone.now() + timedelta(hours=1)
    assert alerts.queue_alerts_send(now=later) == 1
    assert Notification.objects.filter(user=mod, kind=alerts.ALERT_KIND).count() == 2


def test_escalation_alerts_the_site_wide_moderators():
    department = DepartmentFactory()
    item = CommentFactory(consultation__department=department)
    reports.content_report(user=UserFactory(), item=item, reason="illegal")
    local = moderator(department)
    site_wide = moderator()

    services.content_escalate(moderator=local, item=item, reason="需要法务意见")

    notes = Notification.objects.filter(kind=alerts.ALERT_KIND)
    assert [n.user_id for n in notes] == [site_wide.pk]
    assert "需要法务意见" in notes[0].detail


def test_queue_page_shows_the_oldest_waiting_time(client):
    _waiting(1, ago=timedelta(hours=5))
    client.force_login(moderator())
    response = client.get(reverse("moderation:queue"))
    assert response.context["oldest"] < timezone.now() - timedelta(hours=4)
    assert "oldest-waiting" in response.content.decode()


def test_beat_task_is_scheduled(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "moderation.tasks.queue_alerts_send" in tasks
    assert "moderation.tasks.ratelimit_prune" in tasks


def test_visible_status_constant_matches_every_kind():
    for kind in content.KINDS.values():
        values = {c[0] for c in kind.model._meta.get_field("status").choices}
        assert {"visible", "pending", "hidden", "removed"} <= values
