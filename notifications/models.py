"""Notifications: the mail outbox, follows and in-app notifications."""

from django.conf import settings
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


class Follow(models.Model):
    """A resident following something, to be told when it changes."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    consultation = models.ForeignKey(
        "consultations.Consultation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follows",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "consultation"], name="follow_consultation_once"
            ),
            models.CheckConstraint(
                condition=models.Q(consultation__isnull=False),
                name="follow_has_target",
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.consultation}"


class Notification(models.Model):
    """An in-app notification; rendered in the reader's language when shown.

    ``key`` makes each event idempotent per recipient: a retried fan-out
    never notifies anyone twice.
    """

    class Kind(models.TextChoices):
        REPLY = "reply", _("A reply to your comment")
        OFFICIAL_REPLY = "official_reply", _("An official reply to your comment")
        EXTENDED = "extended", _("A consultation you follow was extended")
        CLOSED = "closed", _("A consultation you follow has closed")
        OUTCOME = "outcome", _("The outcome of a consultation was published")
        HEARING_REGISTERED = (
            "hearing_registered",
            _("Your place at a public hearing is confirmed"),
        )
        HEARING_WAITING = (
            "hearing_waiting",
            _("You are on the waiting list of a public hearing"),
        )
        HEARING_PROMOTED = (
            "hearing_promoted",
            _("A place at a public hearing has opened up for you"),
        )
        HEARING_SPEAKER = (
            "hearing_speaker",
            _("The hearing's organisers decided on your request to speak"),
        )
        HEARING_REMINDER = (
            "hearing_reminder",
            _("Reminder: a public hearing you registered for starts soon"),
        )
        HEARING_CHANGED = (
            "hearing_changed",
            _("The time or place of a public hearing you registered for changed"),
        )
        HEARING_RECORD = (
            "hearing_record",
            _("The record of a public hearing you took part in is published"),
        )
        CONTENT_HIDDEN = "content_hidden", _("A moderator hid your comment")
        EDIT_REQUESTED = (
            "edit_requested",
            _("A moderator asks you to edit your comment"),
        )
        SANCTIONED = "sanctioned", _("A moderator took action on your account")
        APPEAL_DECIDED = "appeal_decided", _("Your appeal was decided")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=100)
    consultation = models.ForeignKey(
        "consultations.Consultation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    comment = models.ForeignKey(
        "consultations.Comment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_once")
        ]
        indexes = [
            models.Index(
                fields=["user", "-created_at"],
                name="notification_unread",
                condition=models.Q(read_at__isnull=True),
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.user}"


class Broadcast(models.Model):
    """One event to fan out to many residents (followers, participants).

    Written in the same transaction as the event; a task does the fan-out
    in batches and marks it finished, and a periodic sweep restarts any
    broadcast whose task was lost (broker down, worker killed).
    """

    class Audience(models.TextChoices):
        FOLLOWERS = "followers", _("Followers of the consultation")
        PARTICIPANTS = "participants", _("Everyone who took part")

    key = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=Notification.Kind.choices)
    audience = models.CharField(max_length=20, choices=Audience.choices)
    consultation = models.ForeignKey(
        "consultations.Consultation", on_delete=models.CASCADE, related_name="+"
    )
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.key
