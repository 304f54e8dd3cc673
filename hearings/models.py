"""Hearings (网上听证会): a scheduled public session around a consultation,
with registration, speakers, live questions, written testimony and the
published record. Minyi links or embeds the stream; it does not host it."""

import uuid
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic.models import Area
from consultations.models import Consultation

TEXT_MAX_LENGTH = 5000
QUESTION_MAX_LENGTH = 500


class Hearing(models.Model):
    """A hearing of one consultation.

    The state is what the official set, moved on by the clock: a scheduled
    hearing is live from ``starts_at`` and ended from ``ends_at`` even if no
    one pressed a button (see ``status_at``).
    """

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        LIVE = "live", _("Live now")
        ENDED = "ended", _("Ended")
        RECORD_PUBLISHED = "record_published", _("Record published")

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="hearings",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("description"),
        max_length=5000,
        help_text=_("A short Markdown subset: paragraphs, lists, emphasis, links."),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    stream_url = models.URLField(_("stream address"), max_length=500, blank=True)
    embed_stream = models.BooleanField(_("embed the stream in the page"), default=False)
    registration_deadline = models.DateTimeField(_("registration deadline"))
    capacity = models.PositiveIntegerField(_("places"))
    speaker_slots = models.PositiveIntegerField(_("speaker slots"), default=0)
    speaker_minutes = models.PositiveIntegerField(_("minutes per speaker"), default=5)
    testimony_deadline = models.DateTimeField(_("written testimony deadline"))
    state = models.CharField(
        max_length=20, choices=State.choices, default=State.SCHEDULED
    )
    # Kept by the registration service under the hearing's row lock; the
    # check constraint makes overbooking impossible even for a buggy caller.
    registered_count = models.PositiveIntegerField(default=0, editable=False)
    # RFC 5545 SEQUENCE: bumped whenever the time or place changes.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    # The SEQUENCE whose change notice has gone out; Celery beat catches up
    # on any change whose notice was lost (broker down).
    announced_sequence = models.PositiveIntegerField(default=0, editable=False)
    # Bumped on every change to the question list: the poll's ETag.
    qa_version = models.PositiveBigIntegerField(default=0, editable=False)
    current_item = models.ForeignKey(
        "AgendaItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    now_speaking = models.ForeignKey(
        "Registration",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    speaking_since = models.DateTimeField(null=True, blank=True)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        indexes = [models.Index(fields=["starts_at"], name="hearing_starts")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="hearing_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(registration_deadline__lte=F("starts_at")),
                name="hearing_registration_before_start",
            ),
            models.CheckConstraint(
                condition=Q(registered_count__lte=F("capacity")),
                name="hearing_within_capacity",
            ),
            models.CheckConstraint(
                condition=Q(speaker_slots__lte=F("capacity")),
                name="hearing_speakers_within_capacity",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("hearings:detail", args=[self.pk])

    def status_at(self, now) -> str:
        if self.state in (self.State.RECORD_PUBLISHED, self.State.ENDED):
            return self.state
        if now >= self.ends_at:
            return self.State.ENDED
        if self.state == self.State.LIVE or now >= self.starts_at:
            return self.State.LIVE
        return self.State.SCHEDULED

    @property
    def status(self) -> str:
        return self.status_at(timezone.now())

    def get_status_display(self) -> str:
        return self.State(self.status).label

    @property
    def stream_host(self) -> str:
        return (urlsplit(self.stream_url).hostname or "").lower()

    @property
    def stream_embeddable(self) -> bool:
        """Embedded only over HTTPS from a host the administrator allows
        (the CSP's frame-src lists exactly those)."""
        return (
            self.embed_stream
            and self.stream_url.startswith("https://")
            and self.stream_host in stream_hosts()
        )

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at


def stream_hosts() -> set[str]:
    return {host.lower() for host in settings.HEARING_STREAM_HOSTS}


class AgendaItem(models.Model):
    hearing = models.ForeignKey(
        Hearing, on_delete=models.CASCADE, related_name="agenda"
    )
    position = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    presenter = models.CharField(_("presenter"), max_length=200, blank=True)
    planned_minutes = models.PositiveIntegerField(_("planned minutes"), default=10)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class Registration(models.Model):
    """A resident's place at a hearing, to attend or to speak."""

    class Kind(models.TextChoices):
        ATTEND = "attend", _("Attend")
        SPEAK = "speak", _("Speak")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    class Speaker(models.TextChoices):
        NONE = "", _("Not speaking")
        REQUESTED = "requested", _("Speaker request awaiting approval")
        APPROVED = "approved", _("Approved to speak")
        DECLINED = "declined", _("Speaker request declined")

    hearing = models.ForeignKey(
        Hearing, on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="hearing_registrations",
    )
    kind = models.CharField(_("I want to"), max_length=6, choices=Kind.choices)
    topic = models.CharField(_("topic I want to address"), max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    speaker = models.CharField(
        max_length=10, choices=Speaker.choices, blank=True, default=""
    )
    speaker_position = models.PositiveIntegerField(null=True, blank=True)
    spoke_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["hearing", "user"],
                condition=~Q(status="cancelled"),
                name="registration_once_per_hearing",
            ),
            models.CheckConstraint(
                condition=Q(kind="speak") | Q(speaker=""),
                name="registration_speaker_needs_speak",
            ),
        ]
        indexes = [
            models.Index(
                fields=["hearing", "created_at", "id"],
                name="registration_waiting",
                condition=Q(status="waiting"),
            )
        ]

    def __str__(self):
        return f"{self.user} @ {self.hearing_id}"


class LiveQuestion(models.Model):
    """A question sent during the live session; moderators let it through."""

    class Status(models.TextChoices):
        VISIBLE = "visible", _("Visible")
        PENDING = "pending", _("Awaiting moderation")
        HIDDEN = "hidden", _("Hidden by a moderator")
        REMOVED = "removed", _("Removed by its author")

    class Answer(models.TextChoices):
        OPEN = "", _("Not answered yet")
        ANSWERING = "answering", _("Answering now")
        ANSWERED = "answered", _("Answered")

    hearing = models.ForeignKey(
        Hearing, on_delete=models.CASCADE, related_name="questions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="hearing_questions",
    )
    author_area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("your question"), max_length=QUESTION_MAX_LENGTH)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    hidden_reason = models.CharField(max_length=300, blank=True)
    answer_state = models.CharField(
        max_length=10, choices=Answer.choices, blank=True, default=""
    )
    answer = models.TextField(_("answer"), max_length=TEXT_MAX_LENGTH, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    upvote_count = models.PositiveIntegerField(default=0)
    idempotency_key = models.UUIDField(unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(
                "hearing",
                "status",
                F("upvote_count").desc(),
                "created_at",
                name="question_ranked",
            )
        ]

    def __str__(self):
        return self.body[:60]


class QuestionUpvote(models.Model):
    question = models.ForeignKey(
        LiveQuestion, on_delete=models.CASCADE, related_name="upvotes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["question", "user"], name="question_upvote_once"
            )
        ]

    def __str__(self):
        return f"{self.user_id} + {self.question_id}"


def testimony_path(instance, filename):
    return f"hearings/{instance.hearing_id}/{uuid.uuid4().hex}.pdf"


class Testimony(models.Model):
    """Written testimony (书面意见), moderated like comments."""

    hearing = models.ForeignKey(
        Hearing, on_delete=models.CASCADE, related_name="testimonies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="hearing_testimonies",
    )
    author_area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("your testimony"), max_length=TEXT_MAX_LENGTH)
    file = models.FileField(_("PDF"), upload_to=testimony_path, blank=True)
    status = models.CharField(
        max_length=10,
        choices=LiveQuestion.Status.choices,
        default=LiveQuestion.Status.PENDING,
    )
    hidden_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("testimony")
        verbose_name_plural = _("testimonies")
        indexes = [models.Index(fields=["hearing", "status"], name="testimony_status")]

    def __str__(self):
        return self.body[:60]


class Record(models.Model):
    """The published record: minutes, transcript and the recording."""

    hearing = models.OneToOneField(
        Hearing, on_delete=models.CASCADE, related_name="record"
    )
    minutes = models.TextField(_("minutes"), max_length=50000)
    transcript = models.TextField(_("transcript"), blank=True)
    recording_url = models.URLField(_("recording link"), max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    announced_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return str(self.hearing)
