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


FOLLOW_TARGETS = ("consultation", "area", "topic", "department", "demand")


def _exactly_one_target() -> models.Q:
    condition = None
    for target in FOLLOW_TARGETS:
        clause = models.Q(**{f"{target}__isnull": False})
        for other in FOLLOW_TARGETS:
            if other != target:
                clause &= models.Q(**{f"{other}__isnull": True})
        condition = clause if condition is None else condition | clause
    return condition


class Follow(models.Model):
    """A resident following one thing, to be told when it changes: a
    consultation or demand, or an area, topic or department (to be told of
    new consultations there)."""

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
    area = models.ForeignKey(
        "civic.Area",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follows",
    )
    topic = models.ForeignKey(
        "civic.Topic",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follows",
    )
    department = models.ForeignKey(
        "civic.Department",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follows",
    )
    demand = models.ForeignKey(
        "demands.Demand",
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
            models.UniqueConstraint(fields=["user", "area"], name="follow_area_once"),
            models.UniqueConstraint(fields=["user", "topic"], name="follow_topic_once"),
            models.UniqueConstraint(
                fields=["user", "department"], name="follow_department_once"
            ),
            models.UniqueConstraint(
                fields=["user", "demand"], name="follow_demand_once"
            ),
            models.CheckConstraint(
                condition=_exactly_one_target(), name="follow_one_target"
            ),
        ]
        indexes = [
            models.Index(fields=["area"], name="follow_area"),
            models.Index(fields=["topic"], name="follow_topic"),
            models.Index(fields=["department"], name="follow_department"),
            models.Index(fields=["demand"], name="follow_demand"),
        ]

    def __str__(self):
        return f"{self.user} → {self.target}"

    @property
    def target(self):
        for name in FOLLOW_TARGETS:
            if getattr(self, f"{name}_id") is not None:
                return getattr(self, name)
        return None

    @property
    def target_type(self) -> str:
        for name in FOLLOW_TARGETS:
            if getattr(self, f"{name}_id") is not None:
                return name
        return ""


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
        CONTENT_RESTORED = (
            "content_restored",
            _("A moderator restored your comment"),
        )
        NEW_CONSULTATION = (
            "new_consultation",
            _("A new consultation where you follow"),
        )
        DEMAND_UPDATE = "demand_update", _("A demand you contributed to was updated")
        MODERATION_ALERT = (
            "moderation_alert",
            _("Your moderation queue needs attention"),
        )

    class Mail(models.TextChoices):
        """How the notification is (or is not) mailed, chosen from the
        resident's preference when it is created."""

        NONE = "none", _("Not mailed")
        IMMEDIATE = "immediate", _("Mailed at once")
        DAILY = "daily", _("In the daily digest")
        WEEKLY = "weekly", _("In the weekly digest")

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
    demand = models.ForeignKey(
        "demands.Demand",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # A short title for what it is about when that is not a consultation
    # (a demand's title), as it was when the event happened.
    detail = models.CharField(max_length=200, blank=True)
    url = models.CharField(max_length=300)
    mail = models.CharField(max_length=10, choices=Mail.choices, default=Mail.IMMEDIATE)
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
            ),
            models.Index(
                fields=["mail", "created_at"],
                name="notification_digest_due",
                condition=models.Q(
                    emailed_at__isnull=True, mail__in=["daily", "weekly"]
                ),
            ),
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
        SCOPE = (
            "scope",
            _("Followers of the consultation's areas, topics or department"),
        )

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


class Preference(models.Model):
    """A resident's choice for one kind of notification; without a row the
    kind's default applies (``notifications.preferences.DEFAULTS``)."""

    class Channel(models.TextChoices):
        IMMEDIATE = "immediate", _("Here and by mail at once")
        DAILY = "daily", _("Here, and by mail in a daily digest")
        WEEKLY = "weekly", _("Here, and by mail in a weekly digest")
        IN_APP = "in_app", _("Here only, no mail")
        OFF = "off", _("Not at all")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(max_length=20, choices=Notification.Kind.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="preference_once")
        ]

    def __str__(self):
        return f"{self.user}: {self.kind} → {self.channel}"


class Digest(models.Model):
    """One digest mail to one resident for one period; the unique period
    key makes a digest run that is repeated (beat twice, a retried task)
    send nothing twice."""

    class Period(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests"
    )
    period = models.CharField(max_length=6, choices=Period.choices)
    # The Beijing date (daily) or ISO week (weekly) the digest covers.
    period_key = models.CharField(max_length=10)
    items = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "period", "period_key"], name="digest_once"
            )
        ]

    def __str__(self):
        return f"{self.user}: {self.period} {self.period_key}"
