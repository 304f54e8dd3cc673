"""Thin Celery wrappers around the accounts' personal-data services."""

from celery import shared_task

from accounts import data_export


@shared_task(acks_late=True)
def data_export_build(user_id: int) -> str | None:
    return data_export.data_export_build(user_id=user_id)


@shared_task
def data_exports_expire() -> int:
    return data_export.data_exports_expire()
