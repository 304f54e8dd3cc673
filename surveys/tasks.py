"""Thin Celery wrappers around survey services."""

from celery import shared_task

from surveys.services import exports


@shared_task(acks_late=True)
def export_build(job_id: int) -> None:
    exports.export_build(job_id=job_id)
