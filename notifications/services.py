"""Notifications and mail.

Every mail passes through the outbox (``OutboundEmail``) written in the same
transaction as the event that causes it, so nothing is lost when the broker
is down; fan-outs to many residents are recorded as a ``Broadcast`` and run
in batches by a task. Both are idempotent: a notification is unique per
(user, key) and a mail is sent at most once.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import User
from consultations import selectors as consultation_selectors
from notifications import tasks
from notifications.models import Broadcast, Follow, Notification, OutboundEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
BATCH_SIZE = 1000


def _enqueue(task, **kwargs) -> None:
    try:
        task.delay(**kwargs)
    except Exception:  # The broker is down: a periodic sweep catches up.
        logger.warning(
            "Broker unavailable; %s(%s) left for the sweep", task.name, kwargs
        )


# Mail -----------------------------------------------------------------------


def _outbound_from_message(message: EmailMessage) -> OutboundEmail:
    html = ""
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            html = content
    if getattr(message, "content_subtype", "plain") == "html":
        html = message.body
    return OutboundEmail(
        subject=message.subject[:300],
        body=message.body,
        html=html,
        from_email=message.from_email,
        to=list(message.to),
        headers=dict(message.extra_headers or {}),
    )


@transaction.atomic
def email_queue(*, message: EmailMessage) -> OutboundEmail:
    """Store ``message`` in the outbox and send it after the commit."""
    email = _outbound_from_message(message)
    email.save()
    transaction.on_commit(lambda: _enqueue(tasks.email_deliver, email_id=email.pk))
    return email


def email_deliver(*, email_id: int) -> bool:
    """Send one outbox mail at most once; return whether it was sent now.

    A failed send is recorded (attempt and error) and then raised, so the
    task retries and the sweep stops after ``MAX_ATTEMPTS``.
    """
    failure = None
    with transaction.atomic():
        email = (
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=email_id, sent_at__isnull=True)
            .first()
        )
        if email is None:
            return False
        message = EmailMultiAlternatives(
            subject=email.subject,
            body=email.body,
            from_email=email.from_email,
            to=email.to,
            headers=email.headers,
        )
        if email.html:
            message.attach_alternative(email.html, "text/html")
        email.attempts += 1
        try:
            message.send()
        except Exception as error:
            # Raised after the commit: raising here would roll the record
            # of this attempt back.
            failure = error
            email.last_error = str(error)[:2000]
            email.save(update_fields=["attempts", "last_error"])
        else:
            email.sent_at = timezone.now()
            email.save(update_fields=["attempts", "sent_at"])
    if failure is not None:
        raise failure
    return True


def email_sweep(*, older_than: timedelta = timedelta(minutes=2)) -> int:
    """Queue delivery of mail whose task never ran (broker was down)."""
    cutoff = timezone.now() - older_than
    ids = list(
        OutboundEmail.objects.filter(
            sent_at__isnull=True, created_at__lt=cutoff, attempts__lt=MAX_ATTEMPTS
        ).values_list("pk", flat=True)[:BATCH_SIZE]
    )
    for email_id in ids:
        _enqueue(tasks.email_deliver, email_id=email_id)
    return len(ids)


# Notifications ----------------------------------------------------------------


def _notification_mail(
    notification: Notification, user: User, mail_context: dict | None = None
) -> OutboundEmail:
    with translation.override(user.preferred_language):
        context = {
            **(mail_context or {}),
            "notification": notification,
            "user": user,
            "url": settings.SITE_URL.rstrip("/") + notification.url,
        }
        subject = render_to_string("notifications/email/subject.txt", context)
        body = render_to_string("notifications/email/message.txt", context)
    message = EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={"Content-Language": user.preferred_language},
    )
    return _outbound_from_message(message)


def _create_and_mail(
    notifications: list[Notification],
    users: dict[int, User],
    mail_context: dict | None = None,
) -> int:
    """Insert notifications that do not exist yet and queue their mail
    (``mail_context``: what the mail templates need beyond the
    notification, e.g. the hearing)."""
    created = Notification.objects.bulk_create(
        notifications, ignore_conflicts=True, batch_size=BATCH_SIZE
    )
    keys = {n.key for n in created}
    fresh = list(
        Notification.objects.filter(
            user_id__in=[n.user_id for n in created],
            key__in=keys,
            emailed_at__isnull=True,
        )
        # The mail names the consultation: one join, not a query per mail.
        .select_related("consultation")
        .select_for_update(skip_locked=True, of=("self",))
    )
    if not fresh:
        return 0
    emails = OutboundEmail.objects.bulk_create(
        [_notification_mail(n, users[n.user_id], mail_context) for n in fresh]
    )
    Notification.objects.filter(pk__in=[n.pk for n in fresh]).update(
        emailed_at=timezone.now()
    )
    email_ids = [e.pk for e in emails]
    transaction.on_commit(
        lambda: [_enqueue(tasks.email_deliver, email_id=i) for i in email_ids]
    )
    return len(fresh)


@transaction.atomic
def notify(
    *,
    users: list[User],
    kind: str,
    key: str,
    url: str,
    consultation=None,
    comment=None,
    mail_context: dict | None = None,
) -> int:
    """Notify a few residents now (in-app and by mail), once per key;
    ``mail_context`` goes to the mail templates (e.g. ``hearing``)."""
    users = [u for u in users if u is not None and u.is_active]
    return _create_and_mail(
        [
            Notification(
                user=u,
                kind=kind,
                key=key,
                url=url,
                consultation=consultation,
                comment=comment,
            )
            for u in users
        ],
        {u.pk: u for u in users},
        mail_context,
    )


@transaction.atomic
def broadcast_start(*, consultation, kind: str, key: str, audience: str, url: str):
    """Record a fan-out and run it in the background after the commit."""
    broadcast, created = Broadcast.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "audience": audience,
            "consultation": consultation,
            "url": url,
        },
    )
    if created:
        transaction.on_commit(
            lambda: _enqueue(tasks.broadcast_run, broadcast_id=broadcast.pk)
        )
    return broadcast


def notify_followers(*, consultation, kind: str, key: str) -> Broadcast:
    return broadcast_start(
        consultation=consultation,
        kind=kind,
        key=key,
        audience=Broadcast.Audience.FOLLOWERS,
        url=consultation.get_absolute_url(),
    )


def _audience_user_ids(broadcast: Broadcast):
    followers = Follow.objects.filter(
        consultation_id=broadcast.consultation_id
    ).values_list("user_id", flat=True)
    if broadcast.audience == Broadcast.Audience.FOLLOWERS:
        return followers
    # Everyone who took part, and those who follow without having taken
    # part: both were promised the outcome.
    return consultation_selectors.participant_ids(
        consultation_id=broadcast.consultation_id
    ).union(followers)


def broadcast_run(*, broadcast_id: int) -> int:
    """Fan a broadcast out in batches; safe to run again after a crash."""
    broadcast = Broadcast.objects.filter(
        pk=broadcast_id, finished_at__isnull=True
    ).first()
    if broadcast is None:
        return 0
    # A UNION is already distinct, and cannot take .distinct() in Django.
    user_ids = sorted(set(_audience_user_ids(broadcast)))
    total = 0
    for start in range(0, len(user_ids), BATCH_SIZE):
        batch = user_ids[start : start + BATCH_SIZE]
        with transaction.atomic():
            users = {u.pk: u for u in User.objects.filter(pk__in=batch, is_active=True)}
            total += _create_and_mail(
                [
                    Notification(
                        user_id=uid,
                        kind=broadcast.kind,
                        key=broadcast.key,
                        url=broadcast.url,
                        consultation_id=broadcast.consultation_id,
                    )
                    for uid in users
                ],
                users,
            )
    Broadcast.objects.filter(pk=broadcast.pk).update(finished_at=timezone.now())
    return total


def broadcast_sweep(*, older_than: timedelta = timedelta(minutes=5)) -> int:
    """Restart broadcasts whose task was lost."""
    cutoff = timezone.now() - older_than
    ids = list(
        Broadcast.objects.filter(
            finished_at__isnull=True, created_at__lt=cutoff
        ).values_list("pk", flat=True)[:100]
    )
    for broadcast_id in ids:
        _enqueue(tasks.broadcast_run, broadcast_id=broadcast_id)
    return len(ids)


# Follows ------------------------------------------------------------------------


def follow_toggle(*, user: User, consultation) -> bool:
    """Follow or unfollow a consultation; return whether now following."""
    deleted, _ = Follow.objects.filter(user=user, consultation=consultation).delete()
    if deleted:
        return False
    Follow.objects.get_or_create(user=user, consultation=consultation)
    return True


def follow_ensure(*, user: User, consultation) -> None:
    """Residents who comment follow the consultation automatically."""
    Follow.objects.get_or_create(user=user, consultation=consultation)


@transaction.atomic
def notification_mark_read(*, user: User, notification_id: int | None = None) -> int:
    notifications = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        notifications = notifications.filter(pk=notification_id)
    return notifications.update(read_at=timezone.now())
