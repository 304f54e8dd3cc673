from celery import shared_task

from config import ratelimit
from moderation import alerts


@shared_task
def queue_alerts_send() -> int:
    return alerts.queue_alerts_send()


@shared_task
def ratelimit_prune() -> int:
    return ratelimit.prune()
