"""Reads of surveys shared by the public pages, the console and services."""

from django.db.models import OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from surveys.logic import Structure
from surveys.models import (
    Answer,
    Choice,
    Draft,
    Page,
    Question,
    Response,
    Survey,
    Tally,
)

PAGE_SIZE = 20


def structure(*, survey: Survey) -> Structure:
    """The survey's pages, questions, options and rows in three queries."""
    pages = list(Page.objects.filter(survey=survey))
    result = Structure(pages=pages)
    for question in Question.objects.filter(survey=survey):
        result.questions.setdefault(question.page_id, []).append(question)
    for choice in Choice.objects.filter(question__survey=survey):
        target = result.rows if choice.is_row else result.options
        target.setdefault(choice.question_id, []).append(choice)
    return result


def _response_count() -> Coalesce:
    """Each survey's number of responses, from its results tallies."""
    tallied = (
        Tally.objects.filter(survey=OuterRef("pk"), kind=Tally.Kind.RESPONSES)
        .values("survey")
        .annotate(n=Sum("count"))
        .values("n")
    )
    return Coalesce(Subquery(tallied), 0)


def public_surveys(
    *, status: str = "", department: int | None = None, q: str = ""
) -> QuerySet[Survey]:
    """Published surveys, newest first, filtered as the list page asks."""
    now = timezone.now()
    surveys = Survey.objects.filter(published_at__isnull=False).select_related(
        "department", "consultation"
    )
    if status == Survey.Status.OPEN:
        surveys = surveys.filter(opens_at__lte=now, closes_at__gt=now)
    elif status == Survey.Status.CLOSED:
        surveys = surveys.filter(closes_at__lte=now)
    elif status == Survey.Status.SCHEDULED:
        surveys = surveys.filter(opens_at__gt=now)
    if department:
        surveys = surveys.filter(department_id=department)
    if q:
        surveys = surveys.filter(
            Q(title_zh__icontains=q)
            | Q(title_en__icontains=q)
            | Q(intro_zh__icontains=q)
            | Q(intro_en__icontains=q)
        )
    return surveys.annotate(response_count=_response_count()).order_by(
        "-opens_at", "-pk"
    )


def survey_for_page(*, pk: int) -> Survey | None:
    return (
        Survey.objects.select_related("department", "consultation")
        .filter(pk=pk)
        .first()
    )


def official_surveys(*, user) -> QuerySet[Survey]:
    """The surveys of every department the official belongs to."""
    return (
        Survey.objects.filter(department__memberships__user=user)
        .select_related("department")
        .annotate(response_count=_response_count())
        .order_by("-created_at")
    )


def draft_for(*, survey: Survey, user=None, browser: str = "") -> Draft | None:
    if user is not None and user.is_authenticated and survey.is_verified_mode:
        return Draft.objects.filter(survey=survey, user=user).first()
    if browser and not survey.is_verified_mode:
        return Draft.objects.filter(survey=survey, browser=browser).first()
    return None


def own_response(*, survey: Survey, user) -> Response | None:
    """The identified respondent's response (other modes keep no link)."""
    if survey.mode != Survey.Mode.IDENTIFIED or not user.is_authenticated:
        return None
    return Response.objects.filter(survey=survey, user=user).first()


def response_answers(*, response: Response) -> list[Answer]:
    return list(response.answers.order_by("pk"))


def survey_counts(*, survey: Survey, responses: int | None = None) -> dict:
    """Responses (from the results tallies, unless given) and the completion
    rate (responses over drafts started)."""
    if responses is None:
        responses = (
            Tally.objects.filter(survey=survey, kind=Tally.Kind.RESPONSES).aggregate(
                n=Sum("count")
            )["n"]
            or 0
        )
    started = max(survey.started_count, responses)
    return {
        "responses": responses,
        "started": survey.started_count,
        "completion": round(100 * responses / started) if started else 0,
    }
