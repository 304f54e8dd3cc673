"""Mail delivery through the outbox and Celery."""

import logging
from datetime import timedelta

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from notifications import tasks
from notifications.models import OutboundEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10


def _enqueue_delivery(email_id: int) -> None:
    try:
        tasks.email_deliver.delay(email_id=email_id)
    except Exception:  # The broker is down: the sweep sends it later.
        logger.warning("Broker unavailable; mail %s left for the sweep", email_id)


@transaction.atomic
def email_queue(*, message: EmailMessage) -> OutboundEmail:
    """Store ``message`` in the outbox and send it after the commit."""
    html = ""
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            html = content
    if getattr(message, "content_subtype", "plain") == "html":
        html = message.body
    email = OutboundEmail.objects.create(
        subject=message.subject[:300],
        body=message.body,
        html=html,
        from_email=message.from_email,
        to=list(message.to),
        headers=dict(message.extra_headers or {}),
    )
    transaction.on_commit(lambda: _enqueue_delivery(email.pk))
    return email


def email_deliver(*, email_id: int) -> bool:
    """Send one outbox mail at most once; return whether it was sent now."""
    with transaction.atomic():
        email = (
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=email_id, sent_at__isnull=True)
            .first()
        )
        if email is None:
            return False
        message = EmailMultiAlternatives(
            subject=email.subject,
            body=email.body,
            from_email=email.from_email,
            to=email.to,
            headers=email.headers,
        )
        if email.html:
            message.attach_alternative(email.html, "text/html")
        email.attempts += 1
        try:
            message.send()
        except Exception as error:
            email.last_error = str(error)[:2000]
            email.save(update_fields=["attempts", "last_error"])
            raise
        email.sent_at = timezone.now()
        email.save(update_fields=["attempts", "sent_at", "last_error"])
        return True


def email_sweep(*, older_than: timedelta = timedelta(minutes=2)) -> int:
    """Queue delivery of mail whose task never ran (broker was down)."""
    cutoff = timezone.now() - older_than
    ids = list(
        OutboundEmail.objects.filter(
            sent_at__isnull=True, created_at__lt=cutoff, attempts__lt=MAX_ATTEMPTS
        ).values_list("pk", flat=True)[:1000]
    )
    for email_id in ids:
        _enqueue_delivery(email_id)
    return len(ids)
