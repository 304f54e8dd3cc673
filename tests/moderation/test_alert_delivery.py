"""A queue alert reaches the moderator on the site and by mail."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from consultations.models import Comment
from moderation import alerts
from tests.factories import CommentFactory, moderator

pytestmark = pytest.mark.django_db


def test_alert_is_listed_and_mailed(
    client, settings, django_capture_on_commit_callbacks
):
    settings.MODERATION_QUEUE_ALERT_MINUTES = 60
    comment = CommentFactory(status="pending")
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - timedelta(hours=3)
    )
    mod = moderator()

    with django_capture_on_commit_callbacks(execute=True):
        assert alerts.queue_alerts_send() == 1

    client.force_login(mod)
    page = client.get(reverse("notifications:list"), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert any(mod.email in m.to for m in mail.outbox)
