"""Smoke test of bench/notify_fanout.py's pieces: participants loaded in
bulk, the outcome fan-out delivered through Django's SMTP backend into the
local sink, and the delivery report. The benchmark itself is not part of
the test suite."""

import pytest

from bench import notify_fanout, notify_smtp_sink
from notifications.models import OutboundEmail

pytestmark = pytest.mark.django_db


def test_fanout_pieces_deliver_one_mail_per_participant_into_the_sink(
    settings, django_capture_on_commit_callbacks
):
    server, mailbox = notify_smtp_sink.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.server_address[1]
    try:
        consultation = notify_fanout.participants_make(count=30, prefix="smoke")
        expected = {
            e.lower()
            for e in consultation.comments.values_list("author__email", flat=True)
        }
        with django_capture_on_commit_callbacks(execute=True):
            notify_fanout.outcome_announce(consultation)
        with django_capture_on_commit_callbacks(execute=True):
            assert notify_fanout.sweeps_run(notify_fanout.timedelta(0)) == (0, 0)
    finally:
        server.shutdown()
    report = notify_fanout.delivery_report(mailbox, expected)
    assert report["missing"] == 0 and report["smtp_deliveries"] == 30
    assert report["recipients_with_two_message_ids"] == 0
    assert not OutboundEmail.objects.filter(sent_at__isnull=True).exists()
