from celery import shared_task

from api import exports


@shared_task
def open_data_dump() -> None:
    exports.open_data_dump()
