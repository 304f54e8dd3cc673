"""What residents send: drafts in progress, the fact that someone took part,
and the responses with their answers.

In the verified-but-unlinkable and anonymous modes the participation record
(who, which day) and the response (what) are stored apart: both have random
keys, no column joins them and no time finer than the day is kept.
"""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q

from civic.models import Area
from surveys.models.structure import Choice, Question, Survey


class Draft(models.Model):
    """Answers in progress, saved page by page, so a resident can resume.

    Keyed by account (verified modes) or by a random browser token
    (anonymous). Deleted in the transaction that stores the response.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="drafts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    browser = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict)
    page_position = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user"],
                condition=Q(user__isnull=False),
                name="draft_one_per_user",
            ),
            models.UniqueConstraint(
                fields=["survey", "browser"],
                condition=~Q(browser=""),
                name="draft_one_per_browser",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=True) ^ Q(browser=""),
                name="draft_user_or_browser",
            ),
        ]

    def __str__(self):
        return f"draft of {self.survey_id}"


class Participation(models.Model):
    """The fact that a person (or browser) answered a survey, kept apart
    from the response in the unlinkable and anonymous modes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="participations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="survey_participations",
    )
    # sha256 of the browser token; never the token, never an IP address.
    browser = models.CharField(max_length=64, blank=True)
    on_date = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user"],
                condition=Q(user__isnull=False),
                name="participation_one_per_user",
            ),
            models.UniqueConstraint(
                fields=["survey", "browser"],
                condition=~Q(browser=""),
                name="participation_one_per_browser",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=True) ^ Q(browser=""),
                name="participation_user_or_browser",
            ),
        ]

    def __str__(self):
        return f"participation in {self.survey_id}"


class Response(models.Model):
    """One submitted response. ``user`` is set only in the identified mode;
    ``seen`` lists the questions the respondent was shown."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="responses"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_responses",
    )
    district = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    seen = ArrayField(models.BigIntegerField(), default=list)
    submitted_on = models.DateField()
    changed_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["survey", "submitted_on"], name="response_by_day"),
            models.Index(fields=["survey", "district"], name="response_by_district"),
            GinIndex(fields=["seen"], name="response_seen"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user"],
                condition=Q(user__isnull=False),
                name="response_one_per_user",
            ),
        ]

    def __str__(self):
        return str(self.id)

    @property
    def receipt_code(self) -> str:
        return self.id.hex[:12].upper()


class Answer(models.Model):
    """One value of a response: a chosen option (with its rank, or its
    matrix row), a number, a text, a date or an area."""

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers"
    )
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers"
    )
    choice = models.ForeignKey(
        Choice, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    row = models.ForeignKey(
        Choice, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    number = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    text = models.TextField(blank=True)
    date = models.DateField(null=True, blank=True)
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["question", "choice"], name="answer_question_choice"),
            models.Index(fields=["question", "number"], name="answer_question_number"),
            models.Index(fields=["survey", "question"], name="answer_survey_question"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question", "row", "choice"],
                nulls_distinct=False,
                name="answer_once_per_cell",
            ),
        ]

    def __str__(self):
        return f"{self.question_id}: {self.choice_id or self.number or self.text[:20]}"
