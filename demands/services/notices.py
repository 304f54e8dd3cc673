"""Telling residents: every public update on a demand reaches every
distinct resident whose input feeds it, in batches, once per update.

The fan-out runs as a task after the update commits; ``notified_at`` is set
when it has finished, and a periodic sweep restarts any that was lost
(broker down, worker killed). Notification keys make a rerun harmless.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from demands import tasks
from demands.models import DemandSource, DemandUpdate
from notifications import services as notification_services
from notifications.models import Follow, Notification

logger = logging.getLogger(__name__)

KIND = Notification.Kind.DEMAND_UPDATE
BATCH_SIZE = 500


def notice_key(update: DemandUpdate) -> str:
    return f"demand-update-{update.pk}"


def enqueue_update_notice(update_id: int) -> None:
    try:
        tasks.demand_update_notify.delay(update_id)
    except Exception:  # The broker is down: the sweep catches up.
        logger.warning(
            "Broker unavailable; demand update %s left for the sweep", update_id
        )


def audience_ids(*, demand_id: int) -> list[int]:
    """Every distinct account whose input feeds the demand, and those who
    follow it."""
    authors = DemandSource.objects.filter(
        demand_id=demand_id, author__isnull=False
    ).values_list("author_id", flat=True)
    followers = Follow.objects.filter(demand_id=demand_id).values_list(
        "user_id", flat=True
    )
    return sorted(set(authors) | set(followers))


def update_notify(*, update_id: int) -> int:
    """Notify the residents behind the demand of one public update; safe
    to run again. Returns how many were notified now."""
    update = (
        DemandUpdate.objects.select_related("demand")
        .filter(pk=update_id, is_public=True, notified_at__isnull=True)
        .first()
    )
    if update is None:
        return 0
    url = update.demand.get_absolute_url() + f"#update-{update.pk}"
    user_ids = audience_ids(demand_id=update.demand_id)
    total = 0
    for start in range(0, len(user_ids), BATCH_SIZE):
        batch = user_ids[start : start + BATCH_SIZE]
        users = list(User.objects.filter(pk__in=batch, is_active=True))
        total += notification_services.notify(
            users=users,
            kind=KIND,
            key=notice_key(update),
            url=url,
            demand=update.demand,
            mail_context={"demand": update.demand, "demand_update": update},
        )
    DemandUpdate.objects.filter(pk=update.pk).update(notified_at=timezone.now())
    return total


def update_notice_sweep(*, older_than: timedelta = timedelta(minutes=5)) -> int:
    """Restart the fan-out of public updates whose task was lost."""
    cutoff = timezone.now() - older_than
    ids = list(
        DemandUpdate.objects.filter(
            is_public=True, notified_at__isnull=True, created_at__lt=cutoff
        ).values_list("pk", flat=True)[:100]
    )
    for update_id in ids:
        transaction.on_commit(lambda i=update_id: enqueue_update_notice(i))
    return len(ids)
