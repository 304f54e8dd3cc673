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
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import User
from civic.models import Department
from consultations import selectors as consultation_selectors
from consultations.models import Consultation
from notifications import preferences, tasks, unsubscribe
from notifications.models import Broadcast, Follow, Notification, OutboundEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
BATCH_SIZE = 1000
# Mails one delivery task sends over one SMTP connection.
DELIVERY_BATCH = 100


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


def _queue_delivery(email_ids: list[int]) -> None:
    """After the commit: one task per mail when there are few, else one
    task per ``DELIVERY_BATCH`` mails (one SMTP connection each)."""
    if len(email_ids) <= 2:
        for email_id in email_ids:
            _enqueue(tasks.email_deliver, email_id=email_id)
        return
    for start in range(0, len(email_ids), DELIVERY_BATCH):
        _enqueue(
            tasks.email_deliver_batch,
            email_ids=email_ids[start : start + DELIVERY_BATCH],
        )


def _message_id(email_id: int) -> str:
    # Stable per outbox row: a mail sent again after a crash between the
    # SMTP hand-over and the commit carries the same Message-ID, so mail
    # servers and clients drop the copy.
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "minyi"
    return f"<outbound-{email_id}@{domain}>"


# Recording a send need not wait for the disk: were the database to lose
# such a commit in a crash, the mail would go once more with the same
# Message-ID (which receivers drop).
_ASYNC_COMMIT = "SET {scope} synchronous_commit TO OFF"


def email_deliver(
    *, email_id: int, connection=None, async_commit_set: bool = False
) -> bool:
    """Send one outbox mail at most once; return whether it was sent now.

    A failed send is recorded (attempt and error) and then raised, so the
    task retries and the sweep stops after ``MAX_ATTEMPTS``.
    """
    failure = None
    with transaction.atomic():
        if not async_commit_set:
            with transaction.get_connection().cursor() as cursor:
                cursor.execute(_ASYNC_COMMIT.format(scope="LOCAL"))
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
            headers={"Message-ID": _message_id(email.pk), **email.headers},
            connection=connection,
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


def email_deliver_batch(*, email_ids: list[int]) -> int:
    """Send several outbox mails over one connection, each at most once
    (each in its own transaction, so a crash loses no finished send);
    raise the first failure after trying them all, for the task to retry
    the rest."""
    failure = None
    sent = 0
    database = transaction.get_connection()
    with database.cursor() as cursor:
        cursor.execute(_ASYNC_COMMIT.format(scope="SESSION"))
    try:
        with get_connection() as connection:
            for email_id in email_ids:
                try:
                    sent += email_deliver(
                        email_id=email_id,
                        connection=connection,
                        async_commit_set=True,
                    )
                except Exception as error:  # recorded on the row; retried below
                    failure = failure or error
    finally:
        with database.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")
    if failure is not None:
        raise failure
    return sent


# Mails one sweep queues: enough to catch up with a whole lost fan-out in
# a few runs, in delivery batches.
SWEEP_LIMIT = 20_000


def email_sweep(*, older_than: timedelta = timedelta(minutes=2)) -> int:
    """Queue delivery of mail whose task never ran (broker down, worker
    killed), in batches; return how many mails were queued."""
    cutoff = timezone.now() - older_than
    ids = list(
        OutboundEmail.objects.filter(
            sent_at__isnull=True, created_at__lt=cutoff, attempts__lt=MAX_ATTEMPTS
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:SWEEP_LIMIT]
    )
    _queue_delivery(ids)
    return len(ids)


# Notifications ----------------------------------------------------------------


# Stand-ins for what differs between recipients of the same event, so a
# fan-out renders each mail's templates once per language, not per person.
_NAME = "\x00name\x00"
_UNSUBSCRIBE = "\x00unsubscribe\x00"


def _rendered(notification: Notification, language: str, mail_context, cache):
    key = (
        language,
        notification.kind,
        notification.consultation_id,
        notification.detail,
        notification.url,
    )
    if cache is None or key not in cache:
        with translation.override(language):
            context = {
                **(mail_context or {}),
                "notification": notification,
                "user": User(display_name=_NAME),
                "url": settings.SITE_URL.rstrip("/") + notification.url,
                "unsubscribe_url": _UNSUBSCRIBE,
            }
            rendered = (
                render_to_string("notifications/email/subject.txt", context),
                render_to_string("notifications/email/message.txt", context),
            )
        if cache is None:
            return rendered
        cache[key] = rendered
    return cache[key]


def _notification_mail(
    notification: Notification,
    user: User,
    mail_context: dict | None = None,
    cache: dict | None = None,
) -> OutboundEmail:
    page_url, one_click_url = unsubscribe.links(user_id=user.pk, what=notification.kind)
    subject, body = _rendered(
        notification, user.preferred_language, mail_context, cache
    )
    subject = subject.replace(_NAME, user.display_name)
    body = body.replace(_NAME, user.display_name).replace(_UNSUBSCRIBE, page_url)
    message = EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={
            "Content-Language": user.preferred_language,
            **unsubscribe.headers(one_click_url=one_click_url),
        },
    )
    return _outbound_from_message(message)


def _create_and_mail(
    notifications: list[Notification],
    users: dict[int, User],
    mail_context: dict | None = None,
) -> int:
    """Insert notifications that do not exist yet, as each resident's
    preference for the kind says (not at all, on the site only, with mail
    now or in a digest), and queue the mail due now (``mail_context``: what
    the mail templates need beyond the notification, e.g. the hearing)."""
    wanted = []
    for kind in {n.kind for n in notifications}:
        of_kind = [n for n in notifications if n.kind == kind]
        channels = preferences.channels_for(
            user_ids={n.user_id for n in of_kind}, kind=kind
        )
        for n in of_kind:
            channel = channels[n.user_id]
            if channel == preferences.Channel.OFF:
                continue
            n.mail = preferences.MAIL_FOR_CHANNEL[channel]
            wanted.append(n)
    if not wanted:
        return 0
    created = Notification.objects.bulk_create(
        wanted, ignore_conflicts=True, batch_size=BATCH_SIZE
    )
    keys = {n.key for n in created}
    fresh = list(
        Notification.objects.filter(
            user_id__in=[n.user_id for n in created],
            key__in=keys,
            emailed_at__isnull=True,
            mail=Notification.Mail.IMMEDIATE,
        )
        # The mail names the consultation: one join, not a query per mail.
        .select_related("consultation")
        .select_for_update(skip_locked=True, of=("self",))
    )
    if not fresh:
        return 0
    cache: dict = {}
    emails = OutboundEmail.objects.bulk_create(
        [_notification_mail(n, users[n.user_id], mail_context, cache) for n in fresh]
    )
    Notification.objects.filter(pk__in=[n.pk for n in fresh]).update(
        emailed_at=timezone.now()
    )
    email_ids = [e.pk for e in emails]
    transaction.on_commit(lambda: _queue_delivery(email_ids))
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
    demand=None,
    detail: str = "",
    mail_context: dict | None = None,
) -> int:
    """The one way every app tells residents of an event: once per
    (resident, ``key``), on the site and by mail as each resident chose
    for ``kind`` (mail goes through the outbox after the commit, never
    inside the request). ``detail``: a short title of what it is about
    when that is not a consultation (a demand's title); ``mail_context``
    goes to the mail templates (e.g. ``hearing``). Return how many mails
    were queued now."""
    users = list({u.pk: u for u in users if u is not None and u.is_active}.values())
    if demand is not None and not detail:
        detail = demand.title
    total = 0
    for start in range(0, len(users), BATCH_SIZE):
        batch = users[start : start + BATCH_SIZE]
        total += _create_and_mail(
            [
                Notification(
                    user=u,
                    kind=kind,
                    key=key,
                    url=url,
                    consultation=consultation,
                    comment=comment,
                    demand=demand,
                    detail=detail[:200],
                )
                for u in batch
            ],
            {u.pk: u for u in batch},
            mail_context,
        )
    return total


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


def consultation_announce(*, consultation: Consultation) -> Broadcast:
    """Tell residents who follow the consultation's areas, topics or
    department that it is published (once per consultation, even if it is
    unpublished and published again)."""
    return broadcast_start(
        consultation=consultation,
        kind=Notification.Kind.NEW_CONSULTATION,
        key=f"new_consultation:{consultation.pk}",
        audience=Broadcast.Audience.SCOPE,
        url=consultation.get_absolute_url(),
    )


def _area_line(paths: list[str]) -> Q:
    """Follows of an area on the line through any of ``paths``: the area
    itself and those above it (a district's follower hears of its streets
    and communities) and those below it (a consultation for the whole
    district, or the whole city, concerns each of its streets)."""
    if not paths:  # No area named: the whole city.
        return Q(area__isnull=False)
    condition = Q()
    for path in paths:
        codes = [code for code in path.split("/") if code]
        above = ["".join(f"{c}/" for c in codes[: n + 1]) for n in range(len(codes))]
        condition |= Q(area__path__in=above) | Q(area__path__startswith=path)
    return condition


def scope_follower_ids(*, consultation: Consultation):
    """Residents who follow an area, topic or department the consultation
    is about (a department's followers also hear of its sub-departments')."""
    paths = list(consultation.areas.values_list("path", flat=True))
    department_ids = [consultation.department_id]
    parent_id = consultation.department.parent_id
    while parent_id and parent_id not in department_ids:
        department_ids.append(parent_id)
        parent_id = (
            Department.objects.filter(pk=parent_id)
            .values_list("parent_id", flat=True)
            .first()
        )
    return (
        Follow.objects.filter(
            _area_line(paths)
            | Q(topic__in=consultation.topics.values("pk"))
            | Q(department_id__in=department_ids)
        )
        .values_list("user_id", flat=True)
        .distinct()
    )


def _audience_user_ids(broadcast: Broadcast):
    if broadcast.audience == Broadcast.Audience.SCOPE:
        return scope_follower_ids(
            consultation=Consultation.objects.select_related("department").get(
                pk=broadcast.consultation_id
            )
        )
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


def follow_toggle(*, user: User, consultation=None, **target) -> bool:
    """Follow or unfollow one thing (``consultation=``, ``area=``,
    ``topic=``, ``department=`` or ``demand=``); return whether now
    following."""
    if consultation is not None:
        target = {"consultation": consultation}
    if len(target) != 1 or next(iter(target.values())) is None:
        raise ValueError("Follow exactly one thing.")
    deleted, _ = Follow.objects.filter(user=user, **target).delete()
    if deleted:
        return False
    Follow.objects.get_or_create(user=user, **target)
    return True


def follow_ensure(*, user: User, consultation=None, **target) -> None:
    """Residents who comment follow the consultation automatically (and
    those who make a suggestion, its demand)."""
    if consultation is not None:
        target = {"consultation": consultation}
    # One INSERT … ON CONFLICT DO NOTHING, written out (every post of a
    # comment runs it): the unique constraint per user and target keeps
    # one row, with no look-up first and no race between two requests.
    fields = [Follow._meta.get_field(n) for n in ("user", *target, "created_at")]
    values = [
        user.pk,
        *(getattr(thing, "pk", thing) for thing in target.values()),
        timezone.now(),
    ]
    database = transaction.get_connection()
    quote = database.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(values))
    sql = (
        f"INSERT INTO {quote(Follow._meta.db_table)} ({columns}) "  # noqa: S608 - names from _meta
        f"VALUES ({placeholders}) ON CONFLICT DO NOTHING"
    )
    with database.cursor() as cursor:
        cursor.execute(sql, values)


@transaction.atomic
def notification_mark_read(*, user: User, notification_id: int | None = None) -> int:
    notifications = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        notifications = notifications.filter(pk=notification_id)
    return notifications.update(read_at=timezone.now())
