"""A fan-out survives its worker being killed: a real Celery worker (two
pool processes) on the real broker is SIGKILLed in the middle of a
1,000-recipient outcome fan-out and started again; after the sweeps that
beat runs, every recipient has received exactly one mail (one
Message-ID; the SMTP sink counts what really arrived)."""

import time
from datetime import timedelta

import pytest

from bench import notify_fanout, notify_smtp_sink
from config.celery import app as celery_app
from notifications.models import Broadcast, OutboundEmail
from tests.processes import current_database_url

RECIPIENTS = 1000


def wait_until(predicate, timeout: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True)
def test_killed_worker_restarted_sends_every_mail_exactly_once(tmp_path):
    consultation = notify_fanout.participants_make(count=RECIPIENTS, prefix="kill")
    expected = {
        e.lower() for e in consultation.comments.values_list("author__email", flat=True)
    }
    server, mailbox = notify_smtp_sink.start()
    celery_app.control.purge()
    worker_args = {
        "database_url": current_database_url(),
        "smtp_port": server.server_address[1],
        "queue": celery_app.conf.task_default_queue,
        "batch": 100,  # ten fan-out batches, so the kill can land mid-way
        "log": tmp_path / "worker.log",
    }
    worker = notify_fanout.worker_start(**worker_args)
    try:
        notify_fanout.outcome_announce(consultation)
        assert wait_until(lambda: mailbox.count() >= 150, timeout=120), worker_args[
            "log"
        ].read_text()
        notify_fanout.worker_kill(worker)
        killed_after = mailbox.count()
        assert killed_after < RECIPIENTS

        worker = notify_fanout.worker_start(**worker_args)

        def everyone_reached() -> bool:
            # What beat does every minute or two, without waiting as long.
            notify_fanout.sweeps_run(timedelta(seconds=2))
            return mailbox.reached() >= len(expected)

        assert wait_until(everyone_reached, timeout=180, step=3), (
            f"{len(expected - set(mailbox.per_recipient()[0]))} never reached"
        )
        time.sleep(3)  # anything still queued would arrive now
    finally:
        notify_fanout.worker_stop(worker)
        server.shutdown()

    report = notify_fanout.delivery_report(mailbox, expected)
    assert report["missing"] == 0 and report["strangers"] == 0
    assert report["recipients_with_two_message_ids"] == 0, report
    # A mail handed to SMTP in the instant before the kill, whose sending
    # was not yet recorded, is sent again with the same Message-ID (which
    # mail servers drop): at most one per killed pool process.
    assert report["raw_duplicates_same_message_id"] <= 2, report
    assert Broadcast.objects.get().finished_at is not None
    assert not OutboundEmail.objects.filter(sent_at__isnull=True).exists()
