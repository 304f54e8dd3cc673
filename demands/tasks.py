"""Thin Celery wrappers around demand services."""

from celery import shared_task

from demands import pipeline
from demands.services import notices


@shared_task(acks_late=True)
def demand_update_notify(update_id: int) -> int:
    return notices.update_notify(update_id=update_id)


@shared_task
def demand_update_notice_sweep() -> int:
    return notices.update_notice_sweep()


@shared_task(acks_late=True)
def run_analysis(run_id: int) -> str:
    return pipeline.run(run_id).status


@shared_task
def analysis_nightly() -> int | None:
    return pipeline.run_nightly()
