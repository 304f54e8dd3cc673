"""Thin Celery wrappers around consultation services."""

from celery import shared_task

from consultations.services import exports, lifecycle


@shared_task(acks_late=True)
def export_build(job_id: int) -> None:
    exports.export_build(job_id=job_id)


@shared_task
def closing_announce() -> int:
    return lifecycle.closing_announce()
