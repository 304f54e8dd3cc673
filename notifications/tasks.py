"""Thin Celery wrappers around notification services."""

import logging
from datetime import timedelta
from smtplib import SMTPException

from celery import shared_task
from celery.signals import worker_ready

from notifications import digests, services


@shared_task(
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
    acks_late=True,
)
def email_deliver(email_id: int) -> bool:
    return services.email_deliver(email_id=email_id)


@shared_task
def email_sweep() -> int:
    return services.email_sweep()


@shared_task(acks_late=True)
def broadcast_run(broadcast_id: int) -> int:
    return services.broadcast_run(broadcast_id=broadcast_id)


@shared_task
def broadcast_sweep() -> int:
    return services.broadcast_sweep()


@shared_task(
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
    acks_late=True,
)
def email_deliver_batch(email_ids: list[int]) -> int:
    return services.email_deliver_batch(email_ids=email_ids)


@shared_task(acks_late=True)
def digest_send(period: str) -> int:
    return digests.digest_send(period=period)


@worker_ready.connect
def catch_up_after_restart(**kwargs) -> None:
    """A worker that starts (again, after a crash) restarts at once the
    broadcasts a killed worker left half done, instead of waiting for
    beat's sweep, and queues mail whose task was lost. Both are
    idempotent, so work another worker is still doing is not done twice
    (mail younger than the sweep's age may still be on its way: left to
    beat)."""
    try:
        services.broadcast_sweep(older_than=timedelta(0))
        services.email_sweep()
    except Exception:  # The database may not be up yet: beat catches up.
        logging.getLogger(__name__).exception("Catch-up after start failed")
