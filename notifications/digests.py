"""Daily and weekly digests: one mail per resident and period, listing the
notifications they asked to receive that way, grouped by kind and capped.

Idempotent: the ``Digest`` row (unique per resident, period and date or
week) is written in the same transaction as the mail and the marks on the
notifications, so beat firing twice or a retried task sends nothing twice.
"""

from datetime import datetime, timedelta
from itertools import groupby

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import User
from notifications import services, unsubscribe
from notifications.models import Digest, Notification, OutboundEmail

# Items listed in one digest; the rest are counted ("and 12 more").
DIGEST_CAP = 50
USER_BATCH = 500


def period_key(*, period: str, now: datetime) -> str:
    """The local date (daily) or ISO week (weekly) a run at ``now``
    covers."""
    local = timezone.localtime(now)
    if period == Digest.Period.WEEKLY:
        year, week, _ = local.isocalendar()
        return f"{year}-W{week:02d}"
    return local.date().isoformat()


def _due(period: str, now: datetime):
    return Notification.objects.filter(
        mail=period, emailed_at__isnull=True, created_at__lt=now
    )


def _digest_mail(user: User, period: str, items: list, total: int) -> OutboundEmail:
    page_url, one_click_url = unsubscribe.links(
        user_id=user.pk, what=unsubscribe.DIGEST_PREFIX + period
    )
    site = settings.SITE_URL.rstrip("/")
    groups = [
        {"kind": kind, "items": list(rows)}
        for kind, rows in groupby(items, key=lambda n: n.kind)
    ]
    with translation.override(user.preferred_language):
        context = {
            "user": user,
            "period": period,
            "groups": groups,
            "site": site,
            "more": total - len(items),
            "total": total,
            "unsubscribe_url": page_url,
            "preferences_url": site + "/notifications/follows/",
            "all_url": site + "/notifications/",
        }
        subject = render_to_string("notifications/email/digest_subject.txt", context)
        body = render_to_string("notifications/email/digest_message.txt", context)
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
    return services._outbound_from_message(message)


@transaction.atomic
def digest_send_one(*, user_id: int, period: str, key: str, now: datetime) -> bool:
    """Send ``user_id``'s digest for the period ``key`` unless it was sent;
    return whether it was sent now."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    digest, created = Digest.objects.get_or_create(
        user=user, period=period, period_key=key
    )
    if not created:
        return False
    due = (
        _due(period, now)
        .filter(user=user)
        .select_for_update(skip_locked=True, of=("self",))
    )
    ids = list(due.values_list("pk", flat=True))
    if not ids:
        digest.delete()
        return False
    items = list(
        Notification.objects.filter(pk__in=ids)
        .select_related("consultation")
        .order_by("kind", "-created_at", "-pk")[:DIGEST_CAP]
    )
    email = _digest_mail(user, period, items, len(ids))
    email.save()
    Notification.objects.filter(pk__in=ids).update(emailed_at=timezone.now())
    digest.items = len(ids)
    digest.save(update_fields=["items"])
    transaction.on_commit(lambda: services._queue_delivery([email.pk]))
    return True


def digest_send(*, period: str, now: datetime | None = None) -> int:
    """Send every resident's digest for ``period`` due at ``now``; return
    how many were sent."""
    now = now or timezone.now()
    key = period_key(period=period, now=now)
    user_ids = list(
        _due(period, now)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )
    sent = 0
    for user_id in user_ids:
        sent += digest_send_one(user_id=user_id, period=period, key=key, now=now)
    return sent


def next_run(*, period: str, now: datetime) -> datetime:
    """When beat next sends ``period`` digests (for the page's help)."""
    local = timezone.localtime(now).replace(hour=8, minute=0, second=0, microsecond=0)
    if period == Digest.Period.DAILY:
        return local if local > now else local + timedelta(days=1)
    days = (7 - local.weekday()) % 7
    candidate = local + timedelta(days=days)
    return candidate if candidate > now else candidate + timedelta(days=7)
