"""Events other apps send through notify(): a restored comment, a demand
update (with its title when there is no consultation)."""

import pytest
from django.core import mail

from demands.models import Demand
from moderation import services as moderation_services
from notifications import services
from notifications.models import Notification
from tests.factories import CommentFactory, UserFactory, moderator

pytestmark = pytest.mark.django_db


def test_the_author_is_told_when_a_moderator_restores_a_hidden_comment(
    django_capture_on_commit_callbacks,
):
    author = UserFactory(preferred_language="en")
    comment = CommentFactory(author=author)
    mod = moderator()
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.content_hide(moderator=mod, item=comment, reason="离题")
        moderation_services.content_approve(moderator=mod, item=comment)
    kinds = list(
        Notification.objects.filter(user=author)
        .order_by("pk")
        .values_list("kind", flat=True)
    )
    assert kinds == [
        Notification.Kind.CONTENT_HIDDEN,
        Notification.Kind.CONTENT_RESTORED,
    ]
    assert "A moderator restored your comment" in mail.outbox[-1].subject


def test_a_demand_update_names_the_demand_in_the_list_and_the_mail(
    client, django_capture_on_commit_callbacks
):
    resident = UserFactory(preferred_language="en")
    demand = Demand.objects.create(title="社区食堂")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            users=[resident, resident, None],
            kind=Notification.Kind.DEMAND_UPDATE,
            key="demand_update:1",
            url="/demands/1/",
            demand=demand,
        )
    notification = Notification.objects.get(user=resident)
    assert notification.detail == "社区食堂" and notification.demand == demand
    assert "社区食堂" in mail.outbox[0].subject
    assert "what you said feeds this demand" in mail.outbox[0].body
    client.force_login(resident)
    page = client.get("/notifications/", HTTP_ACCEPT_LANGUAGE="en")
    assert "A demand you contributed to was updated: 社区食堂" in page.content.decode()
