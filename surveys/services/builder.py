"""Building a survey: its settings, pages, questions and options, and
publishing it. Only officials of the owning department, and only while
the survey is a draft; every change that touches logic is checked."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from surveys import logic, selectors
from surveys.models import Choice, Page, Question, Survey

SURVEY_FIELDS = {
    "title_zh",
    "title_en",
    "intro_zh",
    "intro_en",
    "mode",
    "consultation",
    "opens_at",
    "closes_at",
}
QUESTION_FIELDS = {
    "text_zh",
    "text_en",
    "help_zh",
    "help_en",
    "required",
    "dropdown",
    "min_choices",
    "max_choices",
    "scale_min",
    "scale_max",
    "low_label_zh",
    "low_label_en",
    "high_label_zh",
    "high_label_en",
    "number_min",
    "number_max",
    "condition_question",
    "condition_operator",
    "condition_choice",
    "condition_number",
}
CONDITION_FIELDS = {
    "condition_question",
    "condition_operator",
    "condition_choice",
    "condition_number",
}


def _require(user, permission: str, survey: Survey) -> None:
    if not user.has_perm(permission, survey):
        if permission == "surveys.change_survey" and user.has_perm(
            "surveys.manage_survey", survey
        ):
            raise PermissionDenied(_("A published survey can no longer be changed."))
        raise PermissionDenied(
            _("Only officials of the survey's department can do this.")
        )


def _check_logic(survey: Survey) -> None:
    errors = logic.logic_errors(selectors.structure(survey=survey))
    if errors:
        raise ValidationError(errors)


def _set(obj, fields: dict, allowed: set) -> None:
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(name)
        setattr(obj, name, value)


def _clear_incomplete_condition(obj) -> None:
    if obj.condition_question is None or not obj.condition_operator:
        obj.condition_question = None
        obj.condition_operator = ""
        obj.condition_choice = None
        obj.condition_number = None


# Survey -----------------------------------------------------------------------


@transaction.atomic
def survey_create(*, user, department, areas=(), **fields) -> Survey:
    if not user.memberships.filter(department=department).exists():
        raise PermissionDenied(
            _("You can only create surveys for your own department.")
        )
    survey = Survey(department=department, created_by=user)
    _set(survey, fields, SURVEY_FIELDS)
    survey.full_clean()
    survey.save()
    survey.areas.set(areas)
    Page.objects.create(survey=survey, position=0)
    return survey


@transaction.atomic
def survey_update(*, user, survey: Survey, areas=None, **fields) -> Survey:
    _require(user, "surveys.change_survey", survey)
    _set(survey, fields, SURVEY_FIELDS)
    survey.full_clean()
    survey.save()
    if areas is not None:
        survey.areas.set(areas)
    return survey


def publish_problems(*, survey: Survey) -> list[str]:
    """What still stops the survey from being published."""
    structure = selectors.structure(survey=survey)
    problems = []
    if not survey.opens_at or not survey.closes_at:
        problems.append(_("Set when the survey opens and closes."))
    questions = structure.ordered_questions()
    if not questions:
        problems.append(_("Add at least one question."))
    for question in questions:
        options = structure.options.get(question.pk, [])
        if question.kind in Question.CHOICE_KINDS and len(options) < 2:
            problems.append(
                _("Give “%(q)s” at least two options.") % {"q": question.text}
            )
        if question.kind == Question.Kind.MATRIX and not structure.rows.get(
            question.pk
        ):
            problems.append(_("Give “%(q)s” at least one row.") % {"q": question.text})
    for page in structure.pages:
        if not structure.page_questions(page):
            problems.append(
                _("Page %(n)d has no questions.") % {"n": page.position + 1}
            )
    return problems + logic.logic_errors(structure)


@transaction.atomic
def survey_publish(*, user, survey: Survey) -> Survey:
    _require(user, "surveys.publish_survey", survey)
    problems = publish_problems(survey=survey)
    if problems:
        raise ValidationError(problems)
    survey.published_at = timezone.now()
    survey.save(update_fields=["published_at", "updated_at"])
    return survey


@transaction.atomic
def survey_unpublish(*, user, survey: Survey) -> Survey:
    """Back to draft, only while nobody has answered."""
    _require(user, "surveys.manage_survey", survey)
    if survey.responses.exists() or survey.drafts.exists():
        raise ValidationError(
            _("Residents have started answering; the survey cannot go back to draft.")
        )
    survey.published_at = None
    survey.save(update_fields=["published_at", "updated_at"])
    return survey


@transaction.atomic
def results_publish(*, user, survey: Survey, publish: bool = True) -> Survey:
    _require(user, "surveys.publish_results", survey)
    survey.results_published_at = timezone.now() if publish else None
    survey.save(update_fields=["results_published_at", "updated_at"])
    return survey


# Pages ----------------------------------------------------------------------------


@transaction.atomic
def page_add(*, user, survey: Survey) -> Page:
    _require(user, "surveys.change_survey", survey)
    last = survey.pages.aggregate(m=Max("position"))["m"]
    return Page.objects.create(survey=survey, position=0 if last is None else last + 1)


@transaction.atomic
def page_update(*, user, page: Page, **fields) -> Page:
    _require(user, "surveys.change_survey", page.survey)
    _set(page, fields, {"title_zh", "title_en"} | CONDITION_FIELDS)
    _clear_incomplete_condition(page)
    page.full_clean()
    page.save()
    _check_logic(page.survey)
    return page


@transaction.atomic
def page_delete(*, user, page: Page) -> None:
    survey = page.survey
    _require(user, "surveys.change_survey", survey)
    if survey.pages.count() == 1:
        raise ValidationError(_("A survey needs at least one page."))
    page.delete()
    _renumber(survey.pages.all())
    _check_logic(survey)


@transaction.atomic
def page_move(*, user, page: Page, step: int) -> None:
    _require(user, "surveys.change_survey", page.survey)
    _move(list(page.survey.pages.all()), page, step)
    _check_logic(page.survey)


def _renumber(objects) -> None:
    for position, obj in enumerate(objects):
        if obj.position != position:
            obj.position = position
            obj.save(update_fields=["position"])


def _move(siblings: list, obj, step: int) -> None:
    index = next(i for i, s in enumerate(siblings) if s.pk == obj.pk)
    target = index + step
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
    _renumber(siblings)


# Questions ------------------------------------------------------------------------


@transaction.atomic
def question_save(
    *,
    user,
    page: Page,
    kind: str,
    question: Question | None = None,
    options: list[dict] | None = None,
    rows: list[dict] | None = None,
    **fields,
) -> Question:
    """Create or change a question with its options and matrix rows.

    ``options`` and ``rows`` are lists of {"id", "text_zh", "text_en",
    "is_other", "delete"} in the wanted order; ids must belong to the
    question.
    """
    survey = page.survey
    _require(user, "surveys.change_survey", survey)
    if question is None:
        last = page.questions.aggregate(m=Max("position"))["m"]
        question = Question(
            survey=survey,
            page=page,
            kind=kind,
            position=0 if last is None else last + 1,
        )
    elif question.survey_id != survey.pk:
        raise PermissionDenied(_("This question belongs to another survey."))
    _set(question, fields, QUESTION_FIELDS)
    _clear_incomplete_condition(question)
    question.full_clean()
    question.save()
    if options is not None:
        _save_choices(question, options, is_row=False)
    if rows is not None:
        _save_choices(question, rows, is_row=True)
    _check_logic(survey)
    return question


def _save_choices(question: Question, items: list[dict], *, is_row: bool) -> None:
    existing = {c.pk: c for c in question.choices.filter(is_row=is_row)}
    position = 0
    for item in items:
        choice = existing.get(item.get("id")) if item.get("id") else Choice()
        if choice is None:
            raise ValidationError(_("An option does not belong to this question."))
        if item.get("delete"):
            if choice.pk:
                choice.delete()
            continue
        if not item.get("text_zh"):
            continue
        choice.question, choice.is_row, choice.position = question, is_row, position
        choice.text_zh, choice.text_en = item["text_zh"], item.get("text_en", "")
        choice.is_other = bool(item.get("is_other")) and not is_row
        choice.full_clean()
        choice.save()
        position += 1


@transaction.atomic
def question_move(*, user, question: Question, step: int) -> None:
    _require(user, "surveys.change_survey", question.survey)
    _move(list(question.page.questions.all()), question, step)
    _check_logic(question.survey)


@transaction.atomic
def question_duplicate(*, user, question: Question) -> Question:
    """A copy right after the original, with its options and rows; the copy
    keeps the original's condition."""
    _require(user, "surveys.change_survey", question.survey)
    choices = list(question.choices.all())
    siblings = list(question.page.questions.all())
    copy = Question.objects.get(pk=question.pk)
    copy.pk = copy.id = None
    copy.text_zh = (question.text_zh + _(" (copy)"))[:500]
    copy.save()
    for choice in choices:
        choice.pk = choice.id = None
        choice.question = copy
    Choice.objects.bulk_create(choices)
    index = next(i for i, s in enumerate(siblings) if s.pk == question.pk)
    siblings.insert(index + 1, copy)
    _renumber(siblings)
    return copy


@transaction.atomic
def question_delete(*, user, question: Question) -> None:
    survey = question.survey
    _require(user, "surveys.change_survey", survey)
    if Page.objects.filter(condition_question=question).exists() or (
        Question.objects.filter(condition_question=question).exists()
    ):
        raise ValidationError(
            _(
                "Other questions or pages depend on this question; change their "
                "conditions first."
            )
        )
    page = question.page
    question.delete()
    _renumber(page.questions.all())
