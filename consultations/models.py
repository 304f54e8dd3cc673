"""Consultations: a department's draft put out for public comment, the
comments residents leave on it, and the published outcome."""

import uuid

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic.models import Area, Department, Topic

COMMENT_MAX_LENGTH = 5000


class Consultation(models.Model):
    """A comment period (网上征求意见) run by one department.

    Open and closed are computed from ``opens_at``/``closes_at``; only the
    steps a person takes (publishing, the outcome, archiving) are stored.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        OPEN = "open", _("Open for comment")
        CLOSED = "closed", _("Closed, awaiting response")
        RESPONDED = "responded", _("Responded")
        ARCHIVED = "archived", _("Archived")

    class Moderation(models.TextChoices):
        POST = "post", _("Comments appear at once and may be removed later")
        PRE = "pre", _("Comments appear after a moderator approves them")

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=1000)
    body = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("A short Markdown subset: paragraphs, lists, emphasis, links."),
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    areas = models.ManyToManyField(
        Area,
        verbose_name=_("areas concerned"),
        related_name="consultations",
        blank=True,
    )
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), related_name="consultations", blank=True
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    moderation = models.CharField(
        _("moderation"),
        max_length=4,
        choices=Moderation.choices,
        default=Moderation.POST,
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-opens_at", "-pk"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        indexes = [
            GinIndex(fields=["search_vector"], name="consultation_search"),
            models.Index(fields=["opens_at", "closes_at"], name="consultation_period"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=F("opens_at")),
                name="consultation_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True)
                | Q(opens_at__isnull=False, closes_at__isnull=False),
                name="consultation_published_has_period",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("consultations:detail", args=[self.pk])

    def status_at(self, now) -> str:
        if self.archived_at:
            return self.Status.ARCHIVED
        if self.published_at is None:
            return self.Status.DRAFT
        if now < self.opens_at:
            return self.Status.SCHEDULED
        if now < self.closes_at:
            return self.Status.OPEN
        if self.has_published_outcome:
            return self.Status.RESPONDED
        return self.Status.CLOSED

    @property
    def has_published_outcome(self) -> bool:
        # Selectors annotate ``outcome_published_at`` so lists cost no query.
        if hasattr(self, "outcome_published_at"):
            return self.outcome_published_at is not None
        try:
            return self.outcome.published_at is not None
        except Outcome.DoesNotExist:
            return False

    @property
    def status(self) -> str:
        return self.status_at(timezone.now())

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def get_status_display(self) -> str:
        return self.Status(self.status).label


class ClosingExtension(models.Model):
    """A recorded, public extension of a consultation's closing time."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="extensions"
    )
    previous_closes_at = models.DateTimeField()
    new_closes_at = models.DateTimeField()
    reason = models.TextField(_("reason"), max_length=1000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_closes_at__gt=F("previous_closes_at")),
                name="extension_moves_closing_later",
            )
        ]

    def __str__(self):
        return f"{self.consultation} → {self.new_closes_at:%Y-%m-%d}"


def attachment_path(instance, filename):
    return f"consultations/{instance.consultation_id}/{uuid.uuid4().hex}.pdf"


class Attachment(models.Model):
    """A PDF published with a consultation (checked by content, not name)."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=attachment_path)
    size = models.PositiveIntegerField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return self.title


class Section(models.Model):
    """One part of the draft document: a chapter, an article or a paragraph,
    in order, with an anchor that does not change when text is edited."""

    class Kind(models.TextChoices):
        PREAMBLE = "preamble", _("Preamble")
        CHAPTER = "chapter", _("Chapter")
        ARTICLE = "article", _("Article")
        PARAGRAPH = "paragraph", _("Paragraph")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="sections"
    )
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=40, blank=True)
    heading = models.CharField(_("heading"), max_length=300, blank=True)
    body = models.TextField(_("text"), blank=True)
    anchor = models.SlugField(max_length=60)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "position"], name="section_position_unique"
            ),
            models.UniqueConstraint(
                fields=["consultation", "anchor"], name="section_anchor_unique"
            ),
        ]

    def __str__(self):
        return (
            " ".join(part for part in (self.number, self.heading) if part)
            or (self.body[:40])
        )

    def get_absolute_url(self):
        return f"{self.consultation.get_absolute_url()}#{self.anchor}"

    @property
    def is_commentable(self) -> bool:
        return self.kind != self.Kind.CHAPTER


class Comment(models.Model):
    """A resident's comment on a consultation or one of its sections, or a
    reply (one level) to such a comment."""

    class Stance(models.TextChoices):
        SUPPORT = "support", _("Support")
        OPPOSE = "oppose", _("Oppose")
        SUGGESTION = "suggestion", _("Suggestion")
        QUESTION = "question", _("Question")

    class Status(models.TextChoices):
        VISIBLE = "visible", _("Visible")
        PENDING = "pending", _("Awaiting moderation")
        HIDDEN = "hidden", _("Hidden by a moderator")
        REMOVED = "removed", _("Removed by its author")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="comments"
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    author_area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_district = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    official_department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="official_comments",
    )
    body = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    stance = models.CharField(
        _("stance"), max_length=12, choices=Stance.choices, blank=True
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.VISIBLE
    )
    hidden_reason = models.CharField(max_length=300, blank=True)
    support_count = models.PositiveIntegerField(default=0)
    reply_count = models.PositiveIntegerField(default=0)
    idempotency_key = models.UUIDField(unique=True)
    outcome_item = models.ForeignKey(
        "OutcomeItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answered_comments",
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(
                "consultation",
                "status",
                F("created_at").desc(),
                F("id").desc(),
                name="comment_newest",
                condition=Q(parent__isnull=True),
            ),
            models.Index(
                "consultation",
                "status",
                F("support_count").desc(),
                F("id").desc(),
                name="comment_supported",
                condition=Q(parent__isnull=True),
            ),
            models.Index(
                "section",
                "status",
                F("created_at").desc(),
                F("id").desc(),
                name="comment_section_newest",
                condition=Q(parent__isnull=True),
            ),
            models.Index(fields=["parent", "created_at"], name="comment_replies"),
            models.Index(fields=["author", "created_at"], name="comment_author"),
            GinIndex(fields=["search_vector"], name="comment_search"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(stance=""),
                name="comment_reply_has_no_stance",
            ),
        ]

    def __str__(self):
        return self.body[:60]

    def get_absolute_url(self):
        # A reply lives on its parent's page, which shows the whole thread.
        thread = reverse(
            "consultations:comment",
            args=[self.consultation_id, self.parent_id or self.pk],
        )
        return f"{thread}#comment-{self.pk}"

    @property
    def is_official(self) -> bool:
        return self.official_department_id is not None


class Support(models.Model):
    """One resident's support ("赞同") of one comment."""

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="supports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supports"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "user"], name="support_one_per_user"
            )
        ]

    def __str__(self):
        return f"{self.user} + {self.comment_id}"


class Outcome(models.Model):
    """What the department heard and decided (意见采纳情况)."""

    consultation = models.OneToOneField(
        Consultation, on_delete=models.CASCADE, related_name="outcome"
    )
    summary = models.TextField(_("summary"))
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        indexes = [models.Index(fields=["-published_at"], name="outcome_published")]

    def __str__(self):
        return str(self.consultation)


class OutcomeItem(models.Model):
    """One theme or section of the outcome: what residents said, the
    decision, and why."""

    class Decision(models.TextChoices):
        ADOPTED = "adopted", _("Adopted")
        PARTIAL = "partial", _("Partially adopted")
        NOT_ADOPTED = "not_adopted", _("Not adopted")
        NOTED = "noted", _("Noted")

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(default=0)
    theme = models.CharField(_("theme"), max_length=200)
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outcome_items",
    )
    what_was_said = models.TextField(_("what residents said"))
    decision = models.CharField(_("decision"), max_length=12, choices=Decision.choices)
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.theme


class ExportJob(models.Model):
    """A comments export built by a Celery task, with progress."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (XLSX)"

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="exports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    format = models.CharField(max_length=4, choices=Format.choices)
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/", blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.consultation} ({self.format})"

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
