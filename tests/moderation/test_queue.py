import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from consultations.models import Comment, Consultation
from moderation import selectors
from moderation.models import Flag
from notifications.models import Notification
from tests.factories import (
    CommentFactory,
    ConsultationFactory,
    DepartmentFactory,
    ReplyFactory,
    UserFactory,
    moderator,
    official,
)

QUEUE = reverse("moderation:queue")


def _flag(comment, reporter=None, reason=Flag.Reason.SPAM):
    return Flag.objects.create(
        content_type=ContentType.objects.get_for_model(Comment),
        object_id=comment.pk,
        reporter=reporter or UserFactory(),
        reason=reason,
    )


def _decide(client, comment, **data):
    return client.post(reverse("moderation:decide", args=[comment.pk]), data)


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_resident_is_refused(client):
    client.force_login(UserFactory())
    assert client.get(QUEUE).status_code == 403


@pytest.mark.django_db
def test_official_without_moderator_role_is_refused(client):
    client.force_login(official())
    assert client.get(QUEUE).status_code == 403


@pytest.mark.django_db
def test_moderator_without_mfa_is_sent_to_enrolment(client):
    client.force_login(moderator(mfa=False))
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_queue_lists_pending_and_reported_most_reported_first(
    client, django_assert_max_num_queries
):
    consultation = ConsultationFactory(open=True, moderation="pre")
    pending = CommentFactory(consultation=consultation, status=Comment.Status.PENDING)
    reported_once = CommentFactory(consultation=consultation, body="once")
    reported_twice = CommentFactory(consultation=consultation, body="twice")
    untouched = CommentFactory(consultation=consultation, body="fine")
    _flag(reported_once)
    _flag(reported_twice)
    _flag(reported_twice, reason=Flag.Reason.ABUSE)
    client.force_login(moderator())
    with django_assert_max_num_queries(22):
        response = client.get(QUEUE)
    assert response.status_code == 200
    listed = [c.pk for c in response.context["items"]]
    assert listed == [reported_twice.pk, reported_once.pk, pending.pk]
    assert untouched.pk not in listed


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_queue(
    client, django_assert_max_num_queries
):
    consultation = ConsultationFactory(open=True)
    for _ in range(25):
        _flag(CommentFactory(consultation=consultation))
    client.force_login(moderator())
    with django_assert_max_num_queries(22):
        assert client.get(QUEUE).status_code == 200


@pytest.mark.django_db
def test_department_moderator_sees_only_their_department():
    mine, theirs = DepartmentFactory(), DepartmentFactory()
    own = CommentFactory(
        consultation=ConsultationFactory(open=True, department=mine),
        status=Comment.Status.PENDING,
    )
    CommentFactory(
        consultation=ConsultationFactory(open=True, department=theirs),
        status=Comment.Status.PENDING,
    )
    assert list(selectors.comment_queue(moderator=moderator(mine))) == [own]


@pytest.mark.django_db
def test_approving_a_pending_reply_makes_it_visible_and_counts_it(client):
    consultation = ConsultationFactory(
        open=True, moderation=Consultation.Moderation.PRE
    )
    parent = CommentFactory(consultation=consultation)
    reply = ReplyFactory(parent=parent, status=Comment.Status.PENDING)
    client.force_login(moderator())
    response = _decide(client, reply, decision="approve")
    assert response.status_code == 302
    reply.refresh_from_db()
    parent.refresh_from_db()
    assert reply.status == Comment.Status.VISIBLE
    assert parent.reply_count == 1


@pytest.mark.django_db
def test_hiding_needs_a_reason_and_changes_nothing_without_one(client):
    comment = CommentFactory()
    client.force_login(moderator())
    client.cookies["django_language"] = "en"
    response = _decide(client, comment, decision="hide", reason="  ")
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.VISIBLE
    follow = client.get(QUEUE)
    assert "Give a public reason" in follow.content.decode()


@pytest.mark.django_db
def test_hiding_records_the_public_reason_and_resolves_reports(client):
    comment = CommentFactory()
    flag = _flag(comment)
    client.force_login(moderator())
    _decide(client, comment, decision="hide", reason="人身攻击 Personal attack")
    comment.refresh_from_db()
    flag.refresh_from_db()
    assert comment.status == Comment.Status.HIDDEN
    assert comment.hidden_reason == "人身攻击 Personal attack"
    assert flag.resolved_at is not None


@pytest.mark.django_db
def test_moderator_of_another_department_cannot_decide(client):
    comment = CommentFactory(status=Comment.Status.PENDING)
    client.force_login(moderator(DepartmentFactory()))
    _decide(client, comment, decision="approve")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


@pytest.mark.django_db
def test_unknown_comment_is_404(client):
    client.force_login(moderator())
    response = client.post(
        reverse("moderation:decide", args=[999999]), {"decision": "approve"}
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_approving_a_pending_reply_notifies_the_parent_author_once(client):
    consultation = ConsultationFactory(
        open=True, moderation=Consultation.Moderation.PRE
    )
    parent = CommentFactory(consultation=consultation)
    reply = ReplyFactory(parent=parent, status=Comment.Status.PENDING)
    client.force_login(moderator())
    _decide(client, reply, decision="approve")
    _decide(client, reply, decision="hide", reason="重复 Duplicate")
    _decide(client, reply, decision="approve")
    assert Notification.objects.filter(user=parent.author, comment=reply).count() == 1
