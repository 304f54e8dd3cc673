import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from consultations.models import Comment
from moderation import appeals, sanctions, services
from moderation.models import Appeal, ModerationAction, Sanction
from notifications.models import Notification
from tests.factories import CommentFactory, DepartmentFactory, UserFactory, moderator

pytestmark = pytest.mark.django_db


def _hidden(comment=None, mod=None):
    comment = comment or CommentFactory()
    mod = mod or moderator()
    services.comment_hide(moderator=mod, comment=comment, reason="广告")
    return comment, ModerationAction.objects.get(kind="hide", object_id=comment.pk)


def test_author_appeals_a_hide_once():
    comment, action = _hidden()
    appeals.appeal_file(user=comment.author, action=action, text="这不是广告")
    with pytest.raises(ValidationError):
        appeals.appeal_file(user=comment.author, action=action, text="再说一次")
    assert Appeal.objects.count() == 1
    assert ModerationAction.objects.filter(kind="appeal").count() == 1


def test_only_the_author_can_appeal():
    _comment, action = _hidden()
    with pytest.raises(PermissionDenied):
        appeals.appeal_file(user=UserFactory(), action=action, text="x")


def test_the_moderator_who_hid_it_cannot_decide_the_appeal():
    mod = moderator()
    comment, action = _hidden(mod=mod)
    appeal = appeals.appeal_file(user=comment.author, action=action, text="误判")
    with pytest.raises(PermissionDenied):
        appeals.appeal_decide(moderator=mod, appeal=appeal, uphold=True, reason="ok")
    assert Appeal.objects.get().status == Appeal.Status.OPEN


def test_another_moderator_upholding_restores_the_comment_and_tells_the_author():
    comment, action = _hidden()
    appeal = appeals.appeal_file(user=comment.author, action=action, text="误判")
    appeals.appeal_decide(
        moderator=moderator(), appeal=appeal, uphold=True, reason="确实不是广告"
    )
    comment.refresh_from_db()
    assert comment.status == Comment.Status.VISIBLE
    assert Appeal.objects.get().status == Appeal.Status.UPHELD
    assert ModerationAction.objects.filter(kind="appeal_upheld").exists()
    assert Notification.objects.filter(
        user=comment.author, kind=Notification.Kind.APPEAL_DECIDED
    ).exists()


def test_rejecting_keeps_the_comment_hidden():
    comment, action = _hidden()
    appeal = appeals.appeal_file(user=comment.author, action=action, text="误判")
    appeals.appeal_decide(
        moderator=moderator(), appeal=appeal, uphold=False, reason="是广告"
    )
    comment.refresh_from_db()
    assert comment.status == Comment.Status.HIDDEN


def test_an_appeal_is_decided_once():
    comment, action = _hidden()
    appeal = appeals.appeal_file(user=comment.author, action=action, text="误判")
    appeals.appeal_decide(
        moderator=moderator(), appeal=appeal, uphold=False, reason="x"
    )
    with pytest.raises(ValidationError):
        appeals.appeal_decide(
            moderator=moderator(), appeal=appeal, uphold=True, reason="y"
        )


def test_upholding_a_sanction_appeal_lifts_it():
    person = UserFactory()
    sanctions.sanction_impose(
        moderator=moderator(), user=person, kind="mute", reason="x", days=5
    )
    action = ModerationAction.objects.get(kind="mute")
    appeal = appeals.appeal_file(user=person, action=action, text="我没有")
    appeals.appeal_decide(
        moderator=moderator(), appeal=appeal, uphold=True, reason="误会"
    )
    assert not Sanction.objects.active().filter(user=person).exists()


def test_department_moderator_cannot_decide_a_sanction_appeal():
    person = UserFactory()
    sanctions.sanction_impose(
        moderator=moderator(), user=person, kind="warn", reason="x"
    )
    appeal = appeals.appeal_file(
        user=person, action=ModerationAction.objects.get(), text="y"
    )
    with pytest.raises(PermissionDenied):
        appeals.appeal_decide(
            moderator=moderator(DepartmentFactory()),
            appeal=appeal,
            uphold=True,
            reason="z",
        )


def test_author_appeals_through_their_page(client, django_assert_max_num_queries):
    comment, action = _hidden()
    client.force_login(comment.author)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("moderation:mine"))
    assert "广告" in page.content.decode()
    response = client.post(
        reverse("moderation:appeal_file", args=[action.pk]), {"text": "误判"}
    )
    assert response.status_code == 302
    assert Appeal.objects.filter(appellant=comment.author).exists()


def test_someone_else_cannot_appeal_through_the_page(client):
    _comment, action = _hidden()
    client.force_login(UserFactory())
    response = client.post(
        reverse("moderation:appeal_file", args=[action.pk]), {"text": "x"}
    )
    assert response.status_code == 404


def test_appeal_queue_hides_appeals_against_ones_own_decisions(
    client, django_assert_max_num_queries
):
    mod, other = moderator(), moderator()
    comment, action = _hidden(mod=mod)
    appeals.appeal_file(user=comment.author, action=action, text="误判")
    client.force_login(mod)
    assert list(client.get(reverse("moderation:appeals")).context["appeals"]) == []
    client.force_login(other)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("moderation:appeals"))
    assert len(response.context["appeals"]) == 1


def test_appeal_queue_is_refused_to_residents(client):
    client.force_login(UserFactory())
    assert client.get(reverse("moderation:appeals")).status_code == 403
