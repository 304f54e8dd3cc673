"""Telling moderators that their queue needs them: when it grows past
``MODERATION_QUEUE_ALERT_SIZE`` items or an item has waited longer than
``MODERATION_QUEUE_ALERT_MINUTES``, and when an item is escalated.

Alerts are notifications (in-app, and by mail at once or in the digest, as
each moderator chose); each carries a key per period, so the beat task can
run as often as it likes and a moderator hears once per period and queue.
"""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.models import ModeratorRole, User
from civic.models import Department
from moderation import content, selectors
from moderation.models import ModerationAction
from notifications import services as notification_services
from notifications.models import Notification

ALERT_KIND = Notification.Kind.MODERATION_ALERT


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def queue_summary() -> dict:
    """Per department (None: the whole queue, for site-wide moderators):
    how many items wait and since when the oldest waits."""
    summary: dict = {}
    for kind in content.KINDS.values():
        part = selectors.queue_part(kind, roles=[None], filters={})
        if part is None:
            continue
        department = kind.department
        rows = (
            part.values_list(department, "waiting_since")
            if department
            else part.values_list("waiting_since")
        )
        for row in rows:
            waiting_since = row[-1]
            keys = [None] if not department else [None, row[0]]
            for key in keys:
                count, oldest = summary.get(key, (0, None))
                summary[key] = (
                    count + 1,
                    waiting_since if oldest is None else min(oldest, waiting_since),
                )
    return summary


def _period_key(now) -> str:
    minutes = max(1, _setting("MODERATION_QUEUE_ALERT_MINUTES", 60))
    return str(int(now.timestamp()) // (minutes * 60))


def _detail(count: int, oldest, department: Department | None) -> str:
    waited = int((timezone.now() - oldest).total_seconds() // 60) if oldest else 0
    where = department.name if department else _("all departments")
    return _("%(where)s: %(n)d items waiting, the oldest for %(minutes)d minutes") % {
        "where": where,
        "n": count,
        "minutes": waited,
    }


def queue_alerts_send(*, now=None) -> int:
    """Alert the moderators of every queue past a threshold (size or the
    oldest item's wait), once per period; return how many were alerted."""
    now = now or timezone.now()
    size = _setting("MODERATION_QUEUE_ALERT_SIZE", 50)
    wait = timedelta(minutes=_setting("MODERATION_QUEUE_ALERT_MINUTES", 60))
    summary = queue_summary()
    late = {
        key: (count, oldest)
        for key, (count, oldest) in summary.items()
        if count >= size or (oldest is not None and now - oldest >= wait)
    }
    if not late:
        return 0
    departments = Department.objects.in_bulk([k for k in late if k is not None])
    roles = ModeratorRole.objects.filter(
        user__is_active=True, department_id__in=[k for k in late if k is not None]
    ) | ModeratorRole.objects.filter(user__is_active=True, department__isnull=True)
    moderators: dict = {}
    for role in roles.select_related("user"):
        moderators.setdefault(role.department_id, []).append(role.user)
    period = _period_key(now)
    alerted = 0
    for key, (count, oldest) in late.items():
        users = moderators.get(key, [])
        if not users:
            continue
        with override(settings.LANGUAGE_CODE):
            detail = _detail(count, oldest, departments.get(key))
        url = reverse("moderation:queue")
        if key is not None:
            url += f"?department={key}"
        notification_services.notify(
            users=users,
            kind=ALERT_KIND,
            key=f"moderation-queue:{key or 'all'}:{period}",
            url=url,
            detail=detail,
        )
        alerted += len(users)
    return alerted


def escalation_announce(*, action: ModerationAction) -> None:
    """Tell the site-wide moderators (but the one escalating) that an item
    waits for one of them."""
    users = list(
        User.objects.filter(
            pk__in=ModeratorRole.objects.filter(department__isnull=True).values(
                "user_id"
            ),
            is_active=True,
        ).exclude(pk=action.actor_id)
    )
    if not users:
        return
    with override(settings.LANGUAGE_CODE):
        detail = _("Escalated: %(reason)s") % {"reason": action.reason}
    notification_services.notify(
        users=users,
        kind=ALERT_KIND,
        key=f"moderation-escalated:{action.pk}",
        url=reverse("moderation:queue") + "?escalated=on",
        detail=detail,
    )
