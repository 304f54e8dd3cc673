"""Broadcasts: one event fanned out to many residents, once each, in their
language, safe to run again."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from notifications import services
from notifications.models import Broadcast, Follow, Notification, OutboundEmail
from tests.factories import (
    CommentFactory,
    ReplyFactory,
    SupportFactory,
    UserFactory,
    consultation_in,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def outcome_broadcast(consultation) -> Broadcast:
    return Broadcast.objects.create(
        key=f"outcome:{consultation.pk}",
        kind=Notification.Kind.OUTCOME,
        audience=Broadcast.Audience.PARTICIPANTS,
        consultation=consultation,
        url=f"{consultation.get_absolute_url()}#outcome",
    )


def participants_of(consultation) -> dict[str, User]:
    """A commenter (twice, and also a supporter), a replier and a supporter."""
    commenter = UserFactory()
    comment = CommentFactory(consultation=consultation, author=commenter)
    CommentFactory(consultation=consultation, author=commenter)
    replier = ReplyFactory(parent=comment).author
    supporter = SupportFactory(comment=comment).user
    SupportFactory(comment=CommentFactory(consultation=consultation), user=commenter)
    return {"commenter": commenter, "replier": replier, "supporter": supporter}


def run(broadcast, capture) -> int:
    with capture(execute=True):
        return services.broadcast_run(broadcast_id=broadcast.pk)


def test_every_participant_is_notified_exactly_once_even_when_run_twice(
    django_capture_on_commit_callbacks, mailoutbox
):
    consultation = consultation_in("responded")
    people = participants_of(consultation)
    authors_of_other_comments = set(
        consultation.comments.exclude(author__in=people.values()).values_list(
            "author", flat=True
        )
    )
    CommentFactory(consultation=consultation_in("closed"))  # elsewhere
    broadcast = outcome_broadcast(consultation)

    first = run(broadcast, django_capture_on_commit_callbacks)
    second = run(broadcast, django_capture_on_commit_callbacks)

    expected = {u.pk for u in people.values()} | authors_of_other_comments
    notified = list(Notification.objects.values_list("user", flat=True))
    assert sorted(notified) == sorted(expected)
    assert (first, second) == (len(expected), 0)
    assert OutboundEmail.objects.count() == len(expected)
    assert len(mailoutbox) == len(expected)
    assert Broadcast.objects.get().finished_at is not None


def test_rerun_after_a_crash_sends_nothing_twice(
    django_capture_on_commit_callbacks, mailoutbox
):
    consultation = consultation_in("responded")
    participants_of(consultation)
    broadcast = outcome_broadcast(consultation)
    run(broadcast, django_capture_on_commit_callbacks)
    sent = len(mailoutbox)
    # As if the worker died after the fan-out but before marking it done.
    Broadcast.objects.filter(pk=broadcast.pk).update(finished_at=None)

    again = run(broadcast, django_capture_on_commit_callbacks)

    assert again == 0
    assert len(mailoutbox) == sent
    assert Notification.objects.count() == OutboundEmail.objects.count() == sent


def test_outcome_also_reaches_followers_who_did_not_take_part(
    django_capture_on_commit_callbacks,
):
    consultation = consultation_in("responded")
    commenter = CommentFactory(consultation=consultation).author
    Follow.objects.create(user=commenter, consultation=consultation)
    follower = UserFactory()
    Follow.objects.create(user=follower, consultation=consultation)

    run(outcome_broadcast(consultation), django_capture_on_commit_callbacks)

    notified = sorted(Notification.objects.values_list("user", flat=True))
    assert notified == sorted([commenter.pk, follower.pk])


def test_mail_is_written_in_each_users_language(django_capture_on_commit_callbacks):
    consultation = consultation_in("responded", title="公园改造方案")
    english = UserFactory(preferred_language="en")
    chinese = UserFactory(preferred_language="zh-hans")
    CommentFactory(consultation=consultation, author=english)
    CommentFactory(consultation=consultation, author=chinese)

    run(outcome_broadcast(consultation), django_capture_on_commit_callbacks)

    mail_to = {tuple(m.to): m for m in OutboundEmail.objects.all()}
    english_mail = mail_to[(english.email,)]
    chinese_mail = mail_to[(chinese.email,)]
    assert "The outcome of a consultation was published" in english_mail.subject
    assert "意见征集的采纳情况已发布" in chinese_mail.subject
    assert "公园改造方案" in chinese_mail.subject
    assert english_mail.headers["Content-Language"] == "en"
    assert chinese_mail.headers["Content-Language"] == "zh-hans"


def test_inactive_accounts_are_not_notified(django_capture_on_commit_callbacks):
    consultation = consultation_in("responded")
    gone = CommentFactory(consultation=consultation).author
    gone.is_active = False
    gone.save()

    run(outcome_broadcast(consultation), django_capture_on_commit_callbacks)

    assert not Notification.objects.filter(user=gone).exists()
    assert not OutboundEmail.objects.exists()


def test_followers_broadcast_reaches_followers_only(
    django_capture_on_commit_callbacks,
):
    consultation = consultation_in("open")
    follower = UserFactory()
    Follow.objects.create(user=follower, consultation=consultation)
    CommentFactory(consultation=consultation)  # a participant who unfollowed

    with django_capture_on_commit_callbacks(execute=True):
        services.notify_followers(
            consultation=consultation, kind=Notification.Kind.EXTENDED, key="ext:1"
        )

    assert list(Notification.objects.values_list("user", flat=True)) == [follower.pk]


def test_starting_the_same_broadcast_twice_records_one(
    django_capture_on_commit_callbacks,
):
    consultation = consultation_in("closed")
    Follow.objects.create(user=UserFactory(), consultation=consultation)

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            services.notify_followers(
                consultation=consultation, kind="closed", key="closed:1"
            )

    assert Broadcast.objects.count() == 1
    assert Notification.objects.count() == 1


def test_sweep_restarts_a_broadcast_whose_task_was_lost(
    django_capture_on_commit_callbacks,
):
    consultation = consultation_in("responded")
    people = participants_of(consultation)
    broadcast = outcome_broadcast(consultation)
    Broadcast.objects.filter(pk=broadcast.pk).update(
        created_at=timezone.now() - timedelta(minutes=10)
    )

    with django_capture_on_commit_callbacks(execute=True):
        restarted = services.broadcast_sweep()

    assert restarted == 1
    assert set(people.values()) <= {n.user for n in Notification.objects.all()}
    assert Broadcast.objects.get().finished_at is not None


def test_sweep_leaves_recent_and_finished_broadcasts_alone():
    consultation = consultation_in("responded")
    outcome_broadcast(consultation)
    Broadcast.objects.create(
        key="done",
        kind="outcome",
        audience="participants",
        consultation=consultation,
        url="/",
        finished_at=timezone.now(),
    )

    assert services.broadcast_sweep() == 0


@pytest.mark.parametrize("participants", [3, 30])
def test_fan_out_query_count_does_not_grow_with_the_audience(
    participants, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    consultation = consultation_in("responded")
    for _ in range(participants):
        CommentFactory(consultation=consultation)
    broadcast = outcome_broadcast(consultation)

    with django_assert_max_num_queries(12):
        services.broadcast_run(broadcast_id=broadcast.pk)

    assert Notification.objects.count() == participants
