"""Notifications. For now: the outbox every outgoing mail passes through."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboundEmail(models.Model):
    """A mail waiting to be sent, or sent.

    Written in the same transaction as the change that causes it, so a mail
    is never lost when the broker is down: the worker sends it when the task
    arrives, and a periodic sweep picks up any row whose task never did.
    """

    subject = models.CharField(max_length=300)
    body = models.TextField()
    html = models.TextField(blank=True)
    from_email = models.CharField(max_length=254)
    to = ArrayField(models.EmailField())
    headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mail")
        indexes = [
            models.Index(
                fields=["created_at"],
                name="outbound_unsent",
                condition=models.Q(sent_at__isnull=True),
            )
        ]

    def __str__(self):
        return self.subject
