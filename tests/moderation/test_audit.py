import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from consultations.models import Comment
from moderation import services
from moderation.models import ModerationAction
from notifications.models import Notification
from tests.factories import (
    CommentFactory,
    DepartmentFactory,
    ReplyFactory,
    UserFactory,
    moderator,
)


@pytest.mark.django_db
def test_hiding_writes_who_what_why_and_the_comment_as_it_was():
    comment = CommentFactory(body="原文 original text")
    mod = moderator()
    services.comment_hide(moderator=mod, comment=comment, reason="广告 Advert")
    action = ModerationAction.objects.get()
    assert action.kind == ModerationAction.Kind.HIDE
    assert action.actor == mod
    assert action.subject == comment.author
    assert action.content == comment
    assert action.department_id == comment.consultation.department_id
    assert action.reason == "广告 Advert"
    assert action.snapshot["body"] == "原文 original text"
    assert action.snapshot["status"] == Comment.Status.VISIBLE


@pytest.mark.django_db
def test_hiding_tells_the_author():
    comment = CommentFactory()
    services.comment_hide(moderator=moderator(), comment=comment, reason="Spam")
    notification = Notification.objects.get(user=comment.author)
    assert notification.kind == Notification.Kind.CONTENT_HIDDEN


@pytest.mark.django_db
def test_approving_writes_an_approve_entry():
    comment = CommentFactory(status=Comment.Status.PENDING)
    services.comment_approve(moderator=moderator(), comment=comment)
    action = ModerationAction.objects.get()
    assert action.kind == ModerationAction.Kind.APPROVE
    assert action.snapshot["status"] == Comment.Status.PENDING


@pytest.mark.django_db
def test_asking_to_edit_keeps_the_comment_and_notifies_the_author():
    comment = CommentFactory()
    services.comment_request_edit(
        moderator=moderator(), comment=comment, reason="请删去电话号码"
    )
    comment.refresh_from_db()
    assert comment.status == Comment.Status.VISIBLE
    assert ModerationAction.objects.get().kind == ModerationAction.Kind.REQUEST_EDIT
    assert Notification.objects.get(user=comment.author).kind == (
        Notification.Kind.EDIT_REQUESTED
    )


@pytest.mark.django_db
def test_bulk_decision_hides_every_selected_comment():
    parent = CommentFactory()
    replies = [ReplyFactory(parent=parent) for _ in range(3)]
    count = services.comments_decide(
        moderator=moderator(),
        comment_ids=[r.pk for r in replies],
        decision="hide",
        reason="刷屏 Mass campaign",
    )
    assert count == 3
    assert set(
        Comment.objects.filter(parent=parent).values_list("status", flat=True)
    ) == {Comment.Status.HIDDEN}
    assert ModerationAction.objects.filter(kind="hide").count() == 3


def _refused(statement):
    with pytest.raises(DatabaseError) as caught, transaction.atomic():
        statement()
    assert "append-only" in str(caught.value)


@pytest.mark.django_db
def test_database_refuses_to_update_an_audit_row_even_through_the_orm():
    services.comment_hide(moderator=moderator(), comment=CommentFactory(), reason="x")
    action = ModerationAction.objects.get()
    _refused(lambda: ModerationAction.objects.filter(pk=action.pk).update(reason="y"))
    action.reason = "rewritten"
    _refused(action.save)
    assert ModerationAction.objects.get().reason == "x"


@pytest.mark.django_db
def test_database_refuses_to_delete_an_audit_row_even_through_the_orm():
    services.comment_hide(moderator=moderator(), comment=CommentFactory(), reason="x")
    _refused(lambda: ModerationAction.objects.all().delete())
    _refused(ModerationAction.objects.get().delete)

    def raw_delete():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM moderation_moderationaction")

    _refused(raw_delete)
    assert ModerationAction.objects.count() == 1


AUDIT = "/moderation/audit/"


@pytest.mark.django_db
def test_audit_log_page_is_refused_to_residents(client):
    client.force_login(UserFactory())
    assert client.get(AUDIT).status_code == 403


@pytest.mark.django_db
def test_audit_log_is_searchable(client, django_assert_max_num_queries):
    mod = moderator()
    services.comment_hide(moderator=mod, comment=CommentFactory(), reason="广告 ad")
    services.comment_hide(moderator=mod, comment=CommentFactory(), reason="辱骂 abuse")
    client.force_login(mod)
    with django_assert_max_num_queries(15):
        response = client.get(AUDIT, {"q": "辱骂"})
    assert response.status_code == 200
    assert [e.reason for e in response.context["page"]] == ["辱骂 abuse"]


@pytest.mark.django_db
def test_department_moderator_reads_only_their_departments_entries(client):
    services.comment_hide(moderator=moderator(), comment=CommentFactory(), reason="x")
    client.force_login(moderator(DepartmentFactory()))
    assert list(client.get(AUDIT).context["page"]) == []


@pytest.mark.django_db
def test_audit_log_exports_as_csv(client):
    mod = moderator()
    comment = CommentFactory(body="导出的原文")
    services.comment_hide(moderator=mod, comment=comment, reason="广告")
    client.force_login(mod)
    response = client.get(AUDIT, {"format": "csv"})
    assert response["Content-Disposition"].startswith("attachment")
    body = b"".join(response.streaming_content).decode()
    assert "导出的原文" in body
    assert "hide" in body
