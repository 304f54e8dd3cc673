import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from consultations.models import Comment
from moderation import appeals, services
from moderation.models import Flag, ModerationAction
from tests.factories import CommentFactory, UserFactory, moderator

pytestmark = pytest.mark.django_db
PAGE = reverse("moderation:transparency")


def test_transparency_page_is_public_and_empty_at_first(client):
    response = client.get(PAGE)
    assert response.status_code == 200
    assert response.context["rows"] == []


def test_counts_reports_hides_appeals_and_reversals_per_department(
    client, django_assert_max_num_queries
):
    comment = CommentFactory()
    for _ in range(2):
        Flag.objects.create(
            content_type=ContentType.objects.get_for_model(Comment),
            object_id=comment.pk,
            reporter=UserFactory(),
            reason=Flag.Reason.SPAM,
        )
    services.comment_hide(moderator=moderator(), comment=comment, reason="广告")
    action = ModerationAction.objects.get(kind="hide")
    appeal = appeals.appeal_file(user=comment.author, action=action, text="误判")
    appeals.appeal_decide(
        moderator=moderator(), appeal=appeal, uphold=True, reason="ok"
    )
    with django_assert_max_num_queries(10):
        response = client.get(PAGE)
    [row] = response.context["rows"]
    assert row.department == comment.consultation.department.name
    assert (row.reports, row.hides, row.appeals, row.reversals) == (2, 1, 1, 1)
