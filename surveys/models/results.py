"""Results tallies: running counts behind the results page, so that it
reads a few hundred rows however many responses there are."""

from django.db import models

from civic.models import Area
from surveys.models.structure import Choice, Question, Survey


def _key(model):
    # Keys of a tally, without database constraint or index: a published
    # survey's structure cannot change, and tallies go with their survey.
    return models.ForeignKey(
        model,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )


class Tally(models.Model):
    """How many responses (of one district) gave one thing, kept up to date
    by ``surveys.results.tallies`` in the transaction that stores or
    changes a response, and rebuilt from the raw answers when needed.

    ``kind`` says what is counted: ``responses`` per day; ``seen`` and
    ``answered`` per question; ``choice`` per option (and matrix row), with
    ``total`` the sum of its ranks; ``number`` per value of a rating or
    number question; ``pair`` per option among the responses that chose
    ``by_choice``, an option of another single-choice question (cross-tabs).
    """

    class Kind(models.TextChoices):
        RESPONSES = "responses"
        SEEN = "seen"
        ANSWERED = "answered"
        CHOICE = "choice"
        NUMBER = "number"
        PAIR = "pair"

    # Indexed by tally_key, which starts with it.
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, db_index=False, related_name="+"
    )
    kind = models.CharField(max_length=9, choices=Kind.choices)
    by_choice = _key(Choice)
    district = _key(Area)
    question = _key(Question)
    row = _key(Choice)
    choice = _key(Choice)
    number = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    day = models.DateField(null=True)
    count = models.BigIntegerField(default=0)
    total = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            # Also the index every results query starts from.
            models.UniqueConstraint(
                fields=[
                    "survey",
                    "kind",
                    "by_choice",
                    "district",
                    "question",
                    "row",
                    "choice",
                    "number",
                    "day",
                ],
                nulls_distinct=False,
                name="tally_key",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.question_id}: {self.count}"
