"""Comments: post, reply, edit, delete, support and report."""

import threading
import time
import uuid
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from config.celery import app as celery_app
from consultations.models import COMMENT_MAX_LENGTH, Comment, Consultation, Section
from consultations.models import Support as SupportRow
from consultations.services import comments
from moderation.models import Flag, Sanction
from notifications import services as notification_services
from notifications.models import Follow, Notification, OutboundEmail
from tests.factories import (
    CommentFactory,
    ReplyFactory,
    SectionFactory,
    SupportFactory,
    UserFactory,
    area_chain,
    consultation_in,
    official,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def post(consultation, user=None, **kwargs):
    kwargs.setdefault("body", "建议增加社区食堂的营业时间。")
    kwargs.setdefault("idempotency_key", uuid.uuid4())
    return comments.comment_post(
        user=user or UserFactory(), consultation=consultation, **kwargs
    )


def reply(parent, user=None, **kwargs):
    kwargs.setdefault("body", "同意楼上的意见。")
    kwargs.setdefault("idempotency_key", uuid.uuid4())
    return comments.comment_reply(user=user or UserFactory(), parent=parent, **kwargs)


def reload(comment) -> Comment:
    return Comment.objects.get(pk=comment.pk)


# Posting ---------------------------------------------------------------------


def test_resident_comments_on_the_whole_draft():
    consultation = consultation_in("open")
    user = UserFactory()

    comment, created = post(consultation, user, stance=Comment.Stance.SUPPORT)

    assert created
    assert comment.section is None
    assert comment.status == Comment.Status.VISIBLE
    assert comment.stance == Comment.Stance.SUPPORT
    assert Follow.objects.filter(user=user, consultation=consultation).exists()


def test_resident_comments_on_one_article():
    consultation = consultation_in("open")
    article = SectionFactory(consultation=consultation, number="第三条")

    comment, _created = post(consultation, section=article)

    assert reload(comment).section == article


def test_section_of_another_consultation_is_refused():
    consultation = consultation_in("open")
    foreign = SectionFactory(consultation=consultation_in("open"))

    with pytest.raises(ValidationError) as error:
        post(consultation, section=foreign)

    assert "another consultation" in error.value.message_dict["section"][0]
    assert not Comment.objects.exists()


def test_chapter_heading_is_refused():
    consultation = consultation_in("open")
    chapter = SectionFactory(
        consultation=consultation, kind=Section.Kind.CHAPTER, number="第一章"
    )

    with pytest.raises(ValidationError) as error:
        post(consultation, section=chapter)

    assert "chapter" in error.value.message_dict["section"][0]
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Please write your comment."),
        ("   \n\t  ", "Please write your comment."),
        ("意" * 20_000, f"at most {COMMENT_MAX_LENGTH} characters; yours has 20000"),
    ],
    ids=["empty", "whitespace", "20000 characters"],
)
def test_bad_body_is_refused_with_a_message(body, message):
    consultation = consultation_in("open")

    with pytest.raises(ValidationError) as error:
        post(consultation, body=body)

    assert message in error.value.message_dict["body"][0]
    assert not Comment.objects.exists()


def test_body_of_exactly_the_maximum_length_is_accepted():
    comment, _created = post(consultation_in("open"), body="意" * COMMENT_MAX_LENGTH)

    assert len(comment.body) == COMMENT_MAX_LENGTH


def test_null_character_is_dropped_not_a_database_error():
    comment, _created = post(consultation_in("open"), body="前\x00后")

    assert reload(comment).body == "前后"


def test_unknown_stance_is_refused():
    with pytest.raises(ValidationError) as error:
        post(consultation_in("open"), stance="furious")

    assert "stance" in error.value.message_dict


def test_html_is_stored_as_plain_text_and_escaped_when_rendered():
    html = '<script>alert("x")</script><b onclick="evil()">粗体</b>'

    comment, _created = post(consultation_in("open"), body=html)

    assert reload(comment).body == html
    rendered = Template("{{ comment.body|linebreaksbr }}").render(
        Context({"comment": comment})
    )
    assert "<script>" not in rendered
    assert "&lt;script&gt;" in rendered
    assert "<b " not in rendered


def test_same_idempotency_key_twice_stores_one_comment():
    consultation = consultation_in("open")
    user = UserFactory()
    key = uuid.uuid4()

    first, first_created = post(consultation, user, idempotency_key=key)
    second, second_created = post(consultation, user, idempotency_key=key)

    assert (first_created, second_created) == (True, False)
    assert second.pk == first.pk
    assert Comment.objects.count() == 1


def test_someone_elses_idempotency_key_is_refused_with_a_message():
    consultation = consultation_in("open")
    key = uuid.uuid4()
    post(consultation, idempotency_key=key)

    with pytest.raises(ValidationError, match="reload"):
        post(consultation, UserFactory(), idempotency_key=key)

    assert Comment.objects.count() == 1


def test_pre_moderated_comment_awaits_approval():
    consultation = consultation_in("open", moderation=Consultation.Moderation.PRE)

    comment, _created = post(consultation)

    assert comment.status == Comment.Status.PENDING


def test_author_area_and_district_are_recorded():
    _city, district, _street, community = area_chain()
    user = UserFactory(home_area=community)

    comment, _created = post(consultation_in("open"), user)

    comment = reload(comment)
    assert comment.author_area == community
    assert comment.author_district == district


def test_author_area_is_kept_when_the_author_moves():
    city, district, _street, community = area_chain()
    user = UserFactory(home_area=community)
    comment, _created = post(consultation_in("open"), user)

    user.home_area = city
    user.save()

    assert reload(comment).author_district == district


def test_anonymous_visitor_is_told_to_log_in():
    with pytest.raises(PermissionDenied, match="log in"):
        post(consultation_in("open"), AnonymousUser())


def test_unverified_resident_is_told_to_verify():
    with pytest.raises(PermissionDenied, match="verify your email"):
        post(consultation_in("open"), UserFactory(verified=False))


def test_muted_resident_is_told_why_and_until_when():
    user = UserFactory()
    Sanction.objects.create(
        user=user,
        kind=Sanction.Kind.MUTE,
        reason="发布广告",
        ends_at=timezone.now() + timedelta(days=2),
    )

    with pytest.raises(PermissionDenied, match=r"cannot post until .*发布广告"):
        post(consultation_in("open"), user)

    assert not Comment.objects.exists()


def test_suspended_resident_is_told_the_account_is_suspended():
    user = UserFactory()
    Sanction.objects.create(user=user, kind=Sanction.Kind.SUSPEND, reason="冒用身份")

    with pytest.raises(PermissionDenied, match="Your account is suspended: 冒用身份"):
        post(consultation_in("open"), user)


def test_posting_reads_the_poster_once_and_follows_in_one_statement():
    consultation = consultation_in("open")
    user = UserFactory()
    post(consultation, user)  # follows already: the second post inserts none
    user = User.objects.get(pk=user.pk)  # as the next request loads it

    with CaptureQueriesContext(connection) as queries:
        post(consultation, user)

    statements = [query["sql"] for query in queries]
    about_poster = [
        s
        for s in statements
        if "account_emailaddress" in s or "moderation_sanction" in s
    ]
    follows = [s for s in statements if "notifications_follow" in s]
    assert len(about_poster) == 1
    assert len(follows) == 1
    assert follows[0].startswith("INSERT")
    assert Follow.objects.filter(user=user, consultation=consultation).count() == 1


# Replies ---------------------------------------------------------------------


def test_reply_notifies_the_parent_author_once(
    django_capture_on_commit_callbacks, mailoutbox
):
    parent = CommentFactory()
    key = uuid.uuid4()

    with django_capture_on_commit_callbacks(execute=True):
        first, _created = reply(parent, idempotency_key=key)
    with django_capture_on_commit_callbacks(execute=True):
        again, created = reply(parent, first.author, idempotency_key=key)

    assert not created
    assert again.pk == first.pk
    notification = Notification.objects.get()
    assert (notification.user, notification.kind) == (parent.author, "reply")
    assert OutboundEmail.objects.get().to == [parent.author.email]
    assert [m.to for m in mailoutbox] == [[parent.author.email]]
    assert reload(parent).reply_count == 1


def test_replying_to_oneself_notifies_nobody():
    parent = CommentFactory()

    reply(parent, parent.author)

    assert not Notification.objects.exists()


def test_replies_are_one_level_only():
    child = ReplyFactory()

    with pytest.raises(ValidationError, match="top-level"):
        reply(child)

    assert not Comment.objects.filter(parent=child).exists()


def test_reply_inherits_the_section_and_has_no_stance():
    consultation = consultation_in("open")
    parent = CommentFactory(
        consultation=consultation, section=SectionFactory(consultation=consultation)
    )

    child, _created = reply(parent)

    assert child.section == parent.section
    assert child.stance == ""


def test_pending_reply_notifies_nobody_until_approved():
    consultation = consultation_in("open", moderation=Consultation.Moderation.PRE)
    parent = CommentFactory(consultation=consultation)

    child, _created = reply(parent)

    assert child.status == Comment.Status.PENDING
    assert not Notification.objects.exists()
    assert reload(parent).reply_count == 0


def test_official_reply_is_badged_with_the_department(
    django_capture_on_commit_callbacks, mailoutbox
):
    parent = CommentFactory()
    department = parent.consultation.department

    with django_capture_on_commit_callbacks(execute=True):
        answer, _created = reply(parent, official(department, mfa=False), official=True)

    assert answer.official_department == department
    assert answer.is_official
    assert Notification.objects.get().kind == Notification.Kind.OFFICIAL_REPLY
    assert len(mailoutbox) == 1


def test_official_reply_skips_pre_moderation():
    consultation = consultation_in("open", moderation=Consultation.Moderation.PRE)
    parent = CommentFactory(consultation=consultation)

    answer, _created = reply(
        parent, official(consultation.department, mfa=False), official=True
    )

    assert answer.status == Comment.Status.VISIBLE


def test_official_may_still_answer_after_closing():
    parent = CommentFactory(consultation=consultation_in("closed"))

    answer, _created = reply(
        parent, official(parent.consultation.department, mfa=False), official=True
    )

    assert answer.is_official


@pytest.mark.parametrize("who", ["resident", "other department"])
def test_official_reply_only_by_the_owning_department(who):
    parent = CommentFactory()
    user = UserFactory() if who == "resident" else official(mfa=False)

    with pytest.raises(PermissionDenied, match="Only officials of the department"):
        reply(parent, user, official=True)

    assert not parent.replies.exists()


def test_resident_reply_on_a_closed_consultation_is_refused():
    parent = CommentFactory(consultation=consultation_in("closed"))

    with pytest.raises(PermissionDenied, match="not open"):
        reply(parent)


# Editing ---------------------------------------------------------------------


def test_author_edits_within_fifteen_minutes():
    comment = CommentFactory(created_at=timezone.now() - timedelta(minutes=10))

    comments.comment_edit(user=comment.author, comment=comment, body="  修改后的意见 ")

    comment = reload(comment)
    assert comment.body == "修改后的意见"
    assert comment.edited_at is not None


def test_edit_after_fifteen_minutes_is_refused():
    comment = CommentFactory(created_at=timezone.now() - timedelta(minutes=16))

    with pytest.raises(PermissionDenied, match="15 minutes"):
        comments.comment_edit(user=comment.author, comment=comment, body="太晚了")

    assert reload(comment).edited_at is None


def test_edit_by_someone_else_is_refused():
    comment = CommentFactory()

    with pytest.raises(PermissionDenied):
        comments.comment_edit(user=UserFactory(), comment=comment, body="冒名修改")


def test_edit_to_an_empty_body_is_refused_and_keeps_the_text():
    comment = CommentFactory(body="原文")

    with pytest.raises(ValidationError):
        comments.comment_edit(user=comment.author, comment=comment, body="  ")

    assert reload(comment).body == "原文"


def test_edit_under_pre_moderation_waits_for_approval_again():
    consultation = consultation_in("open", moderation=Consultation.Moderation.PRE)
    parent = CommentFactory(consultation=consultation, reply_count=1)
    child = ReplyFactory(parent=parent)

    comments.comment_edit(user=parent.author, comment=parent, body="改写后的意见")
    comments.comment_edit(user=child.author, comment=child, body="改写后的回复")

    assert reload(parent).status == Comment.Status.PENDING
    assert reload(child).status == Comment.Status.PENDING
    assert reload(parent).reply_count == 0


def test_edit_under_post_moderation_stays_visible():
    comment = CommentFactory()

    comments.comment_edit(user=comment.author, comment=comment, body="改写")

    assert reload(comment).status == Comment.Status.VISIBLE


@pytest.mark.parametrize("status", [Comment.Status.REMOVED, Comment.Status.HIDDEN])
def test_removed_or_hidden_comment_cannot_be_edited(status):
    comment = CommentFactory(status=status, body="")

    with pytest.raises(PermissionDenied):
        comments.comment_edit(user=comment.author, comment=comment, body="复活")

    assert reload(comment).body == ""


# Deleting --------------------------------------------------------------------


def test_delete_with_replies_leaves_a_placeholder():
    parent = CommentFactory(reply_count=1)
    ReplyFactory(parent=parent)

    deleted = comments.comment_delete(user=parent.author, comment=parent)

    assert deleted is False
    parent = reload(parent)
    assert parent.status == Comment.Status.REMOVED
    assert parent.body == ""
    assert parent.replies.count() == 1


def test_delete_without_replies_removes_the_row():
    comment = CommentFactory()

    assert comments.comment_delete(user=comment.author, comment=comment) is True
    assert not Comment.objects.exists()


def test_deleting_a_reply_fixes_the_parents_reply_count():
    parent = CommentFactory()
    child, _created = reply(parent)
    assert reload(parent).reply_count == 1

    comments.comment_delete(user=child.author, comment=child)

    assert reload(parent).reply_count == 0
    assert not Comment.objects.filter(pk=child.pk).exists()


def test_deleting_the_last_reply_of_a_placeholder_removes_it():
    parent = CommentFactory()
    child, _created = reply(parent)
    comments.comment_delete(user=parent.author, comment=reload(parent))

    comments.comment_delete(user=child.author, comment=child)

    assert not Comment.objects.exists()


def test_delete_by_someone_else_is_refused():
    comment = CommentFactory()

    with pytest.raises(PermissionDenied):
        comments.comment_delete(user=UserFactory(), comment=comment)

    assert Comment.objects.filter(pk=comment.pk).exists()


# Supports --------------------------------------------------------------------


def test_support_toggle_counts_correctly():
    comment = CommentFactory()
    alice, bob = UserFactory(), UserFactory()

    assert comments.support_toggle(user=alice, comment=comment) is True
    assert comments.support_toggle(user=bob, comment=comment) is True
    assert reload(comment).support_count == 2

    assert comments.support_toggle(user=alice, comment=comment) is False
    assert reload(comment).support_count == 1
    assert list(SupportRow.objects.values_list("user", flat=True)) == [bob.pk]


def test_cannot_support_own_comment():
    comment = CommentFactory()

    with pytest.raises(PermissionDenied, match="your own comment"):
        comments.support_toggle(user=comment.author, comment=comment)

    assert reload(comment).support_count == 0


def test_cannot_support_on_a_closed_consultation():
    comment = CommentFactory(consultation=consultation_in("closed"))

    with pytest.raises(PermissionDenied, match="not open"):
        comments.support_toggle(user=UserFactory(), comment=comment)


@pytest.mark.parametrize("status", [Comment.Status.HIDDEN, Comment.Status.REMOVED])
def test_cannot_support_a_hidden_or_removed_comment(status):
    comment = CommentFactory(status=status)

    with pytest.raises((PermissionDenied, ValidationError)):
        comments.support_toggle(user=UserFactory(), comment=comment)

    assert not SupportRow.objects.exists()


def test_database_allows_one_support_per_user():
    support = SupportFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        SupportRow.objects.create(comment=support.comment, user=support.user)


def _run_at_once(count, work):
    """Run ``work(i)`` in ``count`` threads released together."""
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def run(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_supports_by_one_user_store_at_most_one():
    comment = CommentFactory()
    user = UserFactory()

    _run_at_once(4, lambda i: comments.support_toggle(user=user, comment=comment))

    rows = SupportRow.objects.filter(comment=comment).count()
    assert rows <= 1
    assert reload(comment).support_count == rows


@pytest.mark.django_db(transaction=True)
def test_concurrent_supports_by_many_users_are_all_counted():
    comment = CommentFactory()
    users = [UserFactory() for _ in range(4)]

    _run_at_once(4, lambda i: comments.support_toggle(user=users[i], comment=comment))

    assert reload(comment).support_count == 4
    assert SupportRow.objects.filter(comment=comment).count() == 4


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submit_stores_one_comment():
    consultation = consultation_in("open")
    user = UserFactory()
    key = uuid.uuid4()

    results = _run_at_once(
        3,
        lambda i: comments.comment_post(
            user=user, consultation=consultation, body="双击提交", idempotency_key=key
        ),
    )

    assert Comment.objects.count() == 1
    assert sorted(created for _comment, created in results) == [False, False, True]


# Reports ---------------------------------------------------------------------


def test_report_is_stored_once_per_person():
    comment = CommentFactory()
    reporter = UserFactory()

    first = comments.comment_report(user=reporter, comment=comment, reason="spam")
    second = comments.comment_report(user=reporter, comment=comment, reason="abuse")

    assert first.pk == second.pk
    assert Flag.objects.count() == 1
    assert Flag.objects.get().content == comment


def test_two_people_report_the_same_comment():
    comment = CommentFactory()

    comments.comment_report(user=UserFactory(), comment=comment, reason="spam")
    comments.comment_report(user=UserFactory(), comment=comment, reason="spam")

    assert Flag.objects.count() == 2


def test_cannot_report_own_comment():
    comment = CommentFactory()

    with pytest.raises(PermissionDenied, match="your own comment"):
        comments.comment_report(user=comment.author, comment=comment, reason="spam")

    assert not Flag.objects.exists()


def test_report_needs_a_known_reason():
    with pytest.raises(ValidationError) as error:
        comments.comment_report(
            user=UserFactory(), comment=CommentFactory(), reason="boring"
        )

    assert "reason" in error.value.message_dict


def test_report_for_another_reason_needs_details():
    with pytest.raises(ValidationError) as error:
        comments.comment_report(
            user=UserFactory(), comment=CommentFactory(), reason="other", text=" "
        )

    assert "text" in error.value.message_dict
    assert not Flag.objects.exists()


# Mail through the queue --------------------------------------------------------


def wait_until(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True)
def test_reply_mail_is_delivered_by_the_real_worker(celery_worker, mailoutbox):
    parent = CommentFactory()

    reply(parent)

    email = OutboundEmail.objects.get()
    assert wait_until(lambda: OutboundEmail.objects.filter(sent_at__isnull=False))
    assert [m.to for m in mailoutbox] == [[parent.author.email]]
    assert mailoutbox[0].subject == OutboundEmail.objects.get(pk=email.pk).subject


def _reset_broker_connections():
    # What Celery does after a fork: forget pooled connections, so the next
    # publish connects to the broker URL configured now.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextmanager
def broker_unreachable():
    conf = celery_app.conf
    unreachable = {
        "broker_url": "redis://127.0.0.1:1/0",
        "task_always_eager": False,
        # Fail at once instead of retrying the connection for seconds.
        "broker_transport_options": {"max_retries": 0},
        "task_publish_retry": False,
    }
    saved = {name: conf[name] for name in unreachable}
    conf.update(unreachable)
    _reset_broker_connections()
    try:
        yield
    finally:
        conf.update(saved)
        _reset_broker_connections()


def test_reply_posted_while_the_broker_is_down_is_mailed_by_the_sweep(
    django_capture_on_commit_callbacks, mailoutbox
):
    parent = CommentFactory()

    with broker_unreachable(), django_capture_on_commit_callbacks(execute=True):
        child, created = reply(parent, body="中间件宕机时的回复")

    assert created
    assert Comment.objects.get(pk=child.pk).body == "中间件宕机时的回复"
    email = OutboundEmail.objects.get()
    assert email.sent_at is None
    assert mailoutbox == []

    # The broker is back (tasks run in-process here); the periodic sweep
    # finds the mail whose task never arrived.
    assert notification_services.email_sweep(older_than=timedelta(0)) == 1

    email.refresh_from_db()
    assert email.sent_at is not None
    assert [m.to for m in mailoutbox] == [[parent.author.email]]
    assert notification_services.email_sweep(older_than=timedelta(0)) == 0
