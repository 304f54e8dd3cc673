"""Thin Celery wrappers around hearing services."""

from celery import shared_task

from hearings.services import notices, records, schedule


@shared_task(acks_late=True)
def hearing_notify(hearing_id: int, audience: str, kind: str, key: str) -> int:
    return notices.fan_out(hearing_id=hearing_id, audience=audience, kind=kind, key=key)


@shared_task
def reminders_send() -> int:
    return records.reminders_send()


@shared_task(acks_late=True)
def record_announce(hearing_id: int) -> int:
    return records.record_announce(hearing_id=hearing_id)


@shared_task(acks_late=True)
def change_announce(hearing_id: int) -> int:
    return schedule.change_announce(hearing_id=hearing_id)
