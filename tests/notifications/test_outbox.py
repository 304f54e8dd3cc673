"""The mail outbox: every mail is stored with the change that causes it,
sent at most once, and never lost when the broker is down."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.test import override_settings

from accounts.models import User
from notifications import services
from notifications.models import OutboundEmail
from tests.factories import PASSWORD
from tests.processes import CLOSED_PORT_BROKER_URL, current_database_url, run_django


def message(**overrides) -> EmailMessage:
    fields = {
        "subject": "您的意见已收到 Your comment was received",
        "body": "谢谢。Thank you.",
        "from_email": "民意 Minyi <noreply@minyi.example>",
        "to": ["resident@example.com"],
    }
    fields.update(overrides)
    return EmailMessage(**fields)


@pytest.mark.django_db
def test_email_queue_stores_one_row_and_sends_only_after_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        email = services.email_queue(message=message())
        assert OutboundEmail.objects.count() == 1
        assert mail.outbox == []

    assert len(callbacks) == 1
    email.refresh_from_db()
    assert email.sent_at is not None
    assert email.attempts == 1
    assert email.to == ["resident@example.com"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "您的意见已收到 Your comment was received"


@pytest.mark.django_db
def test_email_queued_in_a_rolled_back_transaction_is_never_sent(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                services.email_queue(message=message())
                raise RuntimeError("the change failed")
        except RuntimeError:
            pass

    assert callbacks == []
    assert not OutboundEmail.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_html_alternative_is_kept_through_the_outbox(
    django_capture_on_commit_callbacks,
):
    rich = EmailMultiAlternatives(
        subject="s", body="plain", from_email="a@minyi.example", to=["b@example.com"]
    )
    rich.attach_alternative("<p>rich</p>", "text/html")

    with django_capture_on_commit_callbacks(execute=True):
        services.email_queue(message=rich)

    sent = mail.outbox[0]
    assert sent.body == "plain"
    assert sent.alternatives[0][0] == "<p>rich</p>"


@pytest.mark.django_db
def test_delivering_twice_sends_once():
    email = services.email_queue(message=message())

    assert services.email_deliver(email_id=email.pk) is True
    assert services.email_deliver(email_id=email.pk) is False

    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.attempts == 1


@pytest.mark.django_db
@override_settings(
    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
    EMAIL_HOST="127.0.0.1",
    EMAIL_PORT=1,
    EMAIL_TIMEOUT=2,
)
def test_failed_send_is_recorded_and_left_unsent():
    email = services.email_queue(message=message())

    with pytest.raises(OSError):
        services.email_deliver(email_id=email.pk)

    email.refresh_from_db()
    assert email.sent_at is None
    assert email.attempts == 1
    assert email.last_error


@pytest.mark.django_db
def test_sweep_leaves_recent_and_sent_mail_alone():
    recent = services.email_queue(message=message())
    sent = services.email_queue(message=message(to=["other@example.com"]))
    services.email_deliver(email_id=sent.pk)
    OutboundEmail.objects.filter(pk=sent.pk).update(
        created_at=sent.created_at - timedelta(hours=1)
    )

    assert services.email_sweep() == 0
    recent.refresh_from_db()
    assert recent.sent_at is None


@pytest.mark.django_db
def test_sweep_gives_up_after_the_maximum_number_of_attempts():
    email = services.email_queue(message=message())
    OutboundEmail.objects.filter(pk=email.pk).update(
        attempts=services.MAX_ATTEMPTS,
        created_at=email.created_at - timedelta(hours=1),
    )

    assert services.email_sweep() == 0
    assert mail.outbox == []


QUEUE_IN_A_TRANSACTION = """
from django.core.mail import EmailMessage
from django.db import transaction
from notifications import services
with transaction.atomic():
    email = services.email_queue(message=EmailMessage(
        subject="broker down", body="still stored",
        from_email="noreply@minyi.example", to=["resident@example.com"],
    ))
print(email.pk)
"""


@pytest.mark.django_db(transaction=True)
def test_mail_queued_while_the_broker_is_down_is_stored_and_swept_later():
    started = time.monotonic()
    result = run_django(
        QUEUE_IN_A_TRANSACTION,
        DEBUG="1",
        DATABASE_URL=current_database_url(),
        CELERY_BROKER_URL=CLOSED_PORT_BROKER_URL,
    )

    assert result.returncode == 0, result.stderr
    assert "Broker unavailable" in result.stderr
    assert time.monotonic() - started < 30
    email = OutboundEmail.objects.get(pk=int(result.stdout.split()[-1]))
    assert email.sent_at is None
    assert mail.outbox == []

    assert services.email_sweep(older_than=timedelta(0)) == 1

    email.refresh_from_db()
    assert email.sent_at is not None
    assert [m.subject for m in mail.outbox] == ["broker down"]


@pytest.mark.real_worker
def test_signup_verification_mail_is_delivered_by_a_real_worker(celery_worker, client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "worker@example.com",
            "display_name": "Worker Test",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert User.objects.filter(email="worker@example.com").exists()

    # The worker sends, then records the send in its own transaction.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (
        mail.outbox and OutboundEmail.objects.filter(sent_at__isnull=False).exists()
    ):
        time.sleep(0.1)

    assert [m.to for m in mail.outbox] == [["worker@example.com"]]
    assert "/accounts/confirm-email/" in mail.outbox[0].body
    assert OutboundEmail.objects.get().sent_at is not None
