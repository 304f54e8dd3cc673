"""Open (free-text) answers: listed with search and paging for results,
and read by demand analysis with their question, area and day."""

from django.db.models import Q, QuerySet

from surveys.models import Answer, Question

PAGE_SIZE = 25


def open_answers(*, question: Question, q: str = "") -> QuerySet[Answer]:
    """The texts given to ``question`` (a text question, or the "other"
    texts of a choice question), newest first."""
    answers = (
        Answer.objects.filter(question=question)
        .exclude(text="")
        .select_related("response__district")
        .only(
            "id",
            "text",
            "response__submitted_on",
            "response__district__name_zh",
            "response__district__name_en",
        )
        .order_by("-id")
    )
    if q:
        answers = answers.filter(text__icontains=q)
    return answers


def demand_inputs(*, since=None) -> QuerySet[Answer]:
    """Every free-text survey answer as an input for demand analysis: the
    text, its question, the respondent's district and the day."""
    answers = (
        Answer.objects.exclude(text="")
        .filter(Q(question__kind__in=Question.TEXT_KINDS) | Q(choice__is_other=True))
        .select_related("question", "response__district")
        .order_by("id")
    )
    if since is not None:
        answers = answers.filter(response__submitted_on__gte=since)
    return answers
