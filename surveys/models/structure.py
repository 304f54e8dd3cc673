"""A survey's structure: the survey, its pages, questions and choices."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from civic.models import Area, Department

TEXT_MAX_LENGTH = 500
SHORT_TEXT_MAX_LENGTH = 200
LONG_TEXT_MAX_LENGTH = 5000


def in_language(zh: str, en: str) -> str:
    """The English text when English is active and present, else Chinese."""
    if (get_language() or "zh-hans").startswith("en") and en:
        return en
    return zh or en


class Survey(models.Model):
    """A questionnaire run by one department, alone or in a consultation.

    Open and closed follow ``opens_at``/``closes_at``; only publishing and
    publishing the results are stored steps.
    """

    class Mode(models.TextChoices):
        ANONYMOUS = "anonymous", _("Anonymous: anyone, no account")
        IDENTIFIED = "identified", _("Identified: verified residents, named")
        UNLINKABLE = (
            "unlinkable",
            _("Verified but unlinkable: verified residents, answers not linked"),
        )

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    intro_zh = models.TextField(
        _("introduction (Chinese)"), max_length=3000, blank=True
    )
    intro_en = models.TextField(
        _("introduction (English)"), max_length=3000, blank=True
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="surveys",
    )
    consultation = models.ForeignKey(
        "consultations.Consultation",
        verbose_name=_("consultation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="surveys",
    )
    mode = models.CharField(
        _("who may answer"),
        max_length=10,
        choices=Mode.choices,
        default=Mode.IDENTIFIED,
    )
    areas = models.ManyToManyField(
        Area,
        verbose_name=_("limited to residents of"),
        blank=True,
        related_name="surveys",
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    results_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Raised when a draft is first started, in the same transaction; every
    # response comes from a started draft, so completion never passes 100%.
    started_count = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opens_at", "-pk"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        indexes = [models.Index(fields=["opens_at", "closes_at"], name="survey_period")]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=F("opens_at")),
                name="survey_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True)
                | Q(opens_at__isnull=False, closes_at__isnull=False),
                name="survey_published_has_period",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("surveys:detail", args=[self.pk])

    @property
    def title(self) -> str:
        return in_language(self.title_zh, self.title_en)

    @property
    def intro(self) -> str:
        return in_language(self.intro_zh, self.intro_en)

    def status_at(self, now) -> str:
        if self.published_at is None:
            return self.Status.DRAFT
        if now < self.opens_at:
            return self.Status.SCHEDULED
        if now < self.closes_at:
            return self.Status.OPEN
        return self.Status.CLOSED

    @property
    def status(self) -> str:
        return self.status_at(timezone.now())

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def get_status_display(self) -> str:
        return self.Status(self.status).label

    @property
    def is_verified_mode(self) -> bool:
        return self.mode != self.Mode.ANONYMOUS


class Conditional(models.Model):
    """Shown only when an earlier answer matches (equals / includes /
    greater than); no condition means always shown."""

    class Operator(models.TextChoices):
        EQUALS = "equals", _("equals")
        INCLUDES = "includes", _("includes")
        GREATER = "gt", _("is greater than")

    condition_question = models.ForeignKey(
        "surveys.Question",
        verbose_name=_("show only when the answer to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    condition_operator = models.CharField(
        _("condition"), max_length=8, choices=Operator.choices, blank=True
    )
    condition_choice = models.ForeignKey(
        "surveys.Choice",
        verbose_name=_("option"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    condition_number = models.DecimalField(
        _("number"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        abstract = True

    @property
    def has_condition(self) -> bool:
        return self.condition_question_id is not None and bool(self.condition_operator)


class Page(Conditional):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="pages")
    position = models.PositiveIntegerField(default=0)
    title_zh = models.CharField(_("page title (Chinese)"), max_length=200, blank=True)
    title_en = models.CharField(_("page title (English)"), max_length=200, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title or f"#{self.position + 1}"

    @property
    def title(self) -> str:
        return in_language(self.title_zh, self.title_en)


class Question(Conditional):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        RATING = "rating", _("Rating scale")
        RANKING = "ranking", _("Ranking")
        MATRIX = "matrix", _("Matrix (Likert grid)")
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        NUMBER = "number", _("Number")
        DATE = "date", _("Date")
        AREA = "area", _("Area (district, street, community)")

    CHOICE_KINDS = frozenset({"single", "multiple", "ranking", "matrix"})
    CLOSED_KINDS = frozenset({"single", "multiple", "rating", "area"})
    TEXT_KINDS = frozenset({"short_text", "long_text"})
    NUMERIC_KINDS = frozenset({"rating", "number"})

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="questions"
    )
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    text_zh = models.CharField(_("question (Chinese)"), max_length=TEXT_MAX_LENGTH)
    text_en = models.CharField(
        _("question (English)"), max_length=TEXT_MAX_LENGTH, blank=True
    )
    help_zh = models.CharField(_("help text (Chinese)"), max_length=500, blank=True)
    help_en = models.CharField(_("help text (English)"), max_length=500, blank=True)
    required = models.BooleanField(_("an answer is required"), default=False)
    dropdown = models.BooleanField(_("show the options as a dropdown"), default=False)
    min_choices = models.PositiveSmallIntegerField(
        _("at least this many options"), null=True, blank=True
    )
    max_choices = models.PositiveSmallIntegerField(
        _("at most this many options"), null=True, blank=True
    )
    scale_min = models.SmallIntegerField(_("scale from"), default=1)
    scale_max = models.SmallIntegerField(_("scale to"), default=5)
    low_label_zh = models.CharField(
        _("low end label (Chinese)"), max_length=60, blank=True
    )
    low_label_en = models.CharField(
        _("low end label (English)"), max_length=60, blank=True
    )
    high_label_zh = models.CharField(
        _("high end label (Chinese)"), max_length=60, blank=True
    )
    high_label_en = models.CharField(
        _("high end label (English)"), max_length=60, blank=True
    )
    number_min = models.DecimalField(
        _("smallest number"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    number_max = models.DecimalField(
        _("largest number"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_max__gt=F("scale_min")), name="question_scale_order"
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def text(self) -> str:
        return in_language(self.text_zh, self.text_en)

    @property
    def help(self) -> str:
        return in_language(self.help_zh, self.help_en)

    @property
    def low_label(self) -> str:
        return in_language(self.low_label_zh, self.low_label_en)

    @property
    def high_label(self) -> str:
        return in_language(self.high_label_zh, self.high_label_en)

    @property
    def scale(self) -> range:
        return range(self.scale_min, self.scale_max + 1)

    @property
    def field_name(self) -> str:
        return f"q{self.pk}"


class Choice(models.Model):
    """An option of a choice, ranking or matrix question, or (``is_row``) a
    row of a matrix; ``is_other`` asks the resident to say what."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices"
    )
    position = models.PositiveIntegerField(default=0)
    text_zh = models.CharField(_("option (Chinese)"), max_length=200)
    text_en = models.CharField(_("option (English)"), max_length=200, blank=True)
    is_other = models.BooleanField(_("other, please specify"), default=False)
    is_row = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(is_other=True, is_row=True), name="choice_row_not_other"
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def text(self) -> str:
        return in_language(self.text_zh, self.text_en)
