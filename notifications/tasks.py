"""Thin Celery wrappers around notification services."""

from smtplib import SMTPException

from celery import shared_task

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
