"""Moderation: reports (flags) on public content, account sanctions, the
append-only audit log of every decision, appeals and the word filter."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moderation import textscan


class Flag(models.Model):
    """One resident's report of one piece of content."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        ABUSE = "abuse", _("Abuse or harassment")
        PERSONAL_INFO = "personal_info", _("Personal information")
        OFF_TOPIC = "off_topic", _("Off-topic")
        ILLEGAL = "illegal", _("Illegal content")
        OTHER = "other", _("Other")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content = GenericForeignKey("content_type", "object_id")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    text = models.TextField(_("details"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "reporter"],
                name="flag_one_per_reporter",
            )
        ]
        indexes = [
            models.Index(
                fields=["content_type", "object_id"],
                name="flag_open",
                condition=Q(resolved_at__isnull=True),
            )
        ]

    def __str__(self):
        return f"{self.get_reason_display()} ({self.content_type} {self.object_id})"


class SanctionQuerySet(models.QuerySet):
    def active(self):
        now = timezone.now()
        return self.filter(
            kind__in=[Sanction.Kind.MUTE, Sanction.Kind.SUSPEND],
            starts_at__lte=now,
        ).filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now), lifted_at__isnull=True)


class Sanction(models.Model):
    """A warning, a mute (cannot post) or a suspension of an account."""

    class Kind(models.TextChoices):
        WARN = "warn", _("Warning")
        MUTE = "mute", _("Muted")
        SUSPEND = "suspend", _("Suspended")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sanctions"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    reason = models.TextField(_("reason"))
    starts_at = models.DateTimeField(_("starts"), default=timezone.now)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SanctionQuerySet.as_manager()

    class Meta:
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")
        indexes = [models.Index(fields=["user", "kind"], name="sanction_user_kind")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.user}"


class ModerationAction(models.Model):
    """One entry of the audit log: who did what to which content or account,
    when, why, and the content as it was before.

    Append-only: a trigger in the database (migration 0002) refuses every
    UPDATE and DELETE of these rows, whatever the application does. Users
    and departments are referenced without a database constraint, so that
    deleting an account never has to touch the log.
    """

    class Kind(models.TextChoices):
        APPROVE = "approve", _("Approved")
        HIDE = "hide", _("Hidden by a moderator")
        AUTO_HIDE = "auto_hide", _("Hidden pending review after reports")
        HOLD = "hold", _("Held for review by the filters")
        REQUEST_EDIT = "request_edit", _("Author asked to edit")
        EDITED = "edited", _("Edited by its author as asked")
        ESCALATE = "escalate", _("Escalated")
        WARN = "warn", _("Account warned")
        MUTE = "mute", _("Account muted")
        SUSPEND = "suspend", _("Account suspended")
        APPEAL = "appeal", _("Appealed by the author")
        APPEAL_UPHELD = "appeal_upheld", _("Appeal upheld: decision reversed")
        APPEAL_REJECTED = "appeal_rejected", _("Appeal rejected")
        ACCOUNT_DELETED = "account_deleted", _("Account deleted by its owner")

    kind = models.CharField(_("action"), max_length=20, choices=Kind.choices)
    # None: an automatic rule (reports threshold, filters) acted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    content = GenericForeignKey("content_type", "object_id")
    # The author of the content, or the sanctioned account.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    department = models.ForeignKey(
        "civic.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    snapshot = models.JSONField(_("content as it was"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation actions")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="action_object"),
            models.Index(fields=["department", "created_at"], name="action_dept"),
            models.Index(fields=["kind", "created_at"], name="action_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d %H:%M})"


class Appeal(models.Model):
    """An author contesting one hide or one sanction, once; decided by a
    moderator other than the one who took the decision."""

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting a decision")
        UPHELD = "upheld", _("Upheld: the decision was reversed")
        REJECTED = "rejected", _("Rejected: the decision stands")

    action = models.OneToOneField(
        ModerationAction,
        verbose_name=_("contested decision"),
        on_delete=models.PROTECT,
        related_name="appeal",
    )
    appellant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appeals"
    )
    text = models.TextField(_("why the decision is wrong"), max_length=2000)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        indexes = [
            models.Index(
                fields=["created_at"],
                name="appeal_open",
                condition=Q(status="open"),
            )
        ]

    def __str__(self):
        return f"{self.get_status_display()}: {self.action}"


class WordFilter(models.Model):
    """A word or pattern that administrators block, hold for review, or
    allow (an allowed phrase is never caught by the other entries).

    Matching is on normalised text: NFKC (full- and half-width forms
    alike), case-folded, traditional converted to simplified Chinese.
    """

    class Action(models.TextChoices):
        BLOCK = "block", _("Block: refuse the text")
        HOLD = "hold", _("Hold for review")
        ALLOW = "allow", _("Allow-list: never catch this phrase")

    pattern = models.CharField(_("word or pattern"), max_length=200)
    is_regex = models.BooleanField(
        _("regular expression"),
        default=False,
        help_text=_("Treat the pattern as a Python regular expression."),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("word filter")
        verbose_name_plural = _("word filters")
        constraints = [
            models.UniqueConstraint(
                fields=["pattern", "is_regex"], name="word_filter_unique"
            )
        ]

    def __str__(self):
        return f"{self.pattern} ({self.get_action_display()})"

    def clean(self):
        textscan.pattern_check(self.pattern, is_regex=self.is_regex)


class RateCounter(models.Model):
    """One fixed window of one rate limit (config/ratelimit.py writes it
    with raw upserts). UNLOGGED (migration 0003): counters need no crash
    safety, and skipping the write-ahead log keeps each hit cheap."""

    key = models.CharField(max_length=200, primary_key=True)
    hits = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key}: {self.hits}"
