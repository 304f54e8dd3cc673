"""Service demands (公共服务需求清单): suggestions residents raise on their
own, the demands every resident input is grouped into, the inputs behind
each demand, the public updates on a demand and the analysis runs that
group inputs."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civic.models import Area, Department, Topic

SUGGESTION_TITLE_MAX_LENGTH = 120
SUGGESTION_BODY_MAX_LENGTH = 5000


class Suggestion(models.Model):
    """A need or proposal a resident raises at any time (我有建议)."""

    class Status(models.TextChoices):
        # The same values as a comment's moderation status.
        VISIBLE = "visible", _("Visible")
        PENDING = "pending", _("Awaiting moderation")
        HIDDEN = "hidden", _("Hidden by a moderator")
        REMOVED = "removed", _("Removed by its author")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="suggestions",
    )
    title = models.CharField(_("title"), max_length=SUGGESTION_TITLE_MAX_LENGTH)
    body = models.TextField(_("suggestion"), max_length=SUGGESTION_BODY_MAX_LENGTH)
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestions",
    )
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestions",
    )
    photo = models.ImageField(
        _("photo"), upload_to="suggestions/%Y/%m/", null=True, blank=True
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.VISIBLE
    )
    hidden_reason = models.CharField(max_length=300, blank=True)
    support_count = models.PositiveIntegerField(default=0)
    form_key = models.UUIDField(unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        indexes = [
            models.Index(
                "status",
                F("created_at").desc(),
                F("id").desc(),
                name="suggestion_newest",
            ),
            models.Index(fields=["area", "status"], name="suggestion_area"),
            models.Index(fields=["author", "created_at"], name="suggestion_author"),
            GinIndex(fields=["search_vector"], name="suggestion_search"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("demands:suggestion", args=[self.pk])


class SuggestionSupport(models.Model):
    """One resident's "me too" (我也是) on someone else's suggestion."""

    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.CASCADE, related_name="supports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="suggestion_supports",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "user"], name="suggestion_support_one_per_user"
            )
        ]

    def __str__(self):
        return f"{self.user} + {self.suggestion_id}"


class Demand(models.Model):
    """One public-service need, grouped from many residents' inputs."""

    class Status(models.TextChoices):
        NEW = "new", pgettext_lazy("demand status", "New")
        ACCEPTED = "accepted", _("Accepted")
        ASSIGNED = "assigned", _("Assigned")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        DECLINED = "declined", _("Declined")
        MERGED = "merged", _("Merged")

    class Priority(models.IntegerChoices):
        NORMAL = 0, _("Normal")
        HIGH = 1, _("High")
        URGENT = 2, _("Urgent")

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="demands",
    )
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="demands",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="demands",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_demands",
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    resident_count = models.PositiveIntegerField(default=0)
    support_count = models.PositiveIntegerField(default=0)
    input_count = models.PositiveIntegerField(default=0)
    is_campaign = models.BooleanField(default=False)
    keywords = models.JSONField(default=list, blank=True)
    central_source = models.ForeignKey(
        "DemandSource",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_input_at = models.DateTimeField(null=True, blank=True)
    score = models.FloatField(default=0, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("demand")
        verbose_name_plural = _("demands")
        indexes = [
            models.Index(
                "status", F("score").desc(), F("id").desc(), name="demand_ranked"
            ),
            models.Index(fields=["department", "status"], name="demand_department"),
            models.Index(fields=["area", "status"], name="demand_area"),
            models.Index(fields=["created_at"], name="demand_created"),
            GinIndex(fields=["search_vector"], name="demand_search"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(merged_into__isnull=False),
                name="demand_merged_has_target",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("demands:detail", args=[self.pk])


class AnalysisRun(models.Model):
    """One run of the text-analysis pipeline, with its progress and counts."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=100, blank=True)
    params = models.JSONField(default=dict, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_seconds = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("analysis run")
        verbose_name_plural = _("analysis runs")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="analysisrun_progress_range"
            ),
        ]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pk} ({self.status})"

    def get_absolute_url(self):
        return reverse("demands_console:run", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class DemandSource(models.Model):
    """One resident input (comment, survey answer, testimony, live question
    or suggestion) as the analysis sees it, and the demand it feeds."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        SURVEY_ANSWER = "survey_answer", _("Survey answer")
        TESTIMONY = "testimony", _("Testimony")
        QUESTION = "question", _("Live question")
        SUGGESTION = "suggestion", _("Suggestion")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    url = models.CharField(max_length=500, blank=True)
    text = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="demand_sources",
    )
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    consultation = models.ForeignKey(
        "consultations.Consultation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    demand = models.ForeignKey(
        Demand,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sources",
    )
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    group_size = models.PositiveIntegerField(default=1)
    group_accounts = models.PositiveIntegerField(default=1)
    is_campaign = models.BooleanField(default=False)
    tokens = models.TextField(blank=True)
    minhash = models.BinaryField(null=True, blank=True)
    analysed_run = models.ForeignKey(
        AnalysisRun,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sources",
    )

    class Meta:
        verbose_name = _("demand source")
        verbose_name_plural = _("demand sources")
        indexes = [
            models.Index(fields=["demand"], name="demandsource_demand"),
            models.Index(fields=["analysed_run"], name="demandsource_run"),
            models.Index(fields=["kind", "created_at"], name="demandsource_kind"),
            models.Index(fields=["author"], name="demandsource_author"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="demandsource_one_per_input"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.object_id}"

    def get_absolute_url(self):
        return self.url


class DemandUpdate(models.Model):
    """One step in a demand's public timeline: a status change, a response,
    a progress note, a rename, a transfer, a merge or a split."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        STATUS = "status", _("Status changed")
        RESPONSE = "response", pgettext_lazy("demand update", "Response")
        PROGRESS = "progress", _("Progress update")
        RENAME = "rename", _("Renamed")
        TRANSFER = "transfer", _("Transferred")
        MERGE = "merge", _("Merged")
        SPLIT = "split", _("Split")
        PRIORITY = "priority", _("Priority changed")

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status_from = models.CharField(
        max_length=12, choices=Demand.Status.choices, blank=True
    )
    status_to = models.CharField(
        max_length=12, choices=Demand.Status.choices, blank=True
    )
    text = models.TextField(_("public text"), blank=True)
    department_from = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    department_to = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    related_demand = models.ForeignKey(
        Demand, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_public = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Set once every resident behind the demand has been told; a periodic
    # sweep restarts the fan-out of any public update left unset.
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("demand update")
        verbose_name_plural = _("demand updates")
        indexes = [
            models.Index(fields=["demand", "created_at"], name="demandupdate_demand"),
            models.Index(fields=["kind", "created_at"], name="demandupdate_kind"),
        ]

    def __str__(self):
        return f"{self.demand_id}: {self.get_kind_display()}"
