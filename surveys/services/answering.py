"""Answering a survey: who may, saving a draft page by page, submitting.

The server decides everything: which pages and questions were shown (the
logic), whether each answer is valid, and whether this person may store a
response at all. One response per person is enforced by unique constraints
(``response_one_per_user``, ``participation_one_per_user``), so two
concurrent submissions store one response.
"""

import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from civic import selectors as civic_selectors
from civic.models import Area
from consultations import rules as consultation_rules
from surveys import logic, receipts, selectors, validation
from surveys.logic import Structure
from surveys.models import Answer, Draft, Page, Participation, Response, Survey
from surveys.results import tallies

Mode = Survey.Mode


def browser_hash(token: str) -> str:
    return hashlib.sha256(f"minyi-survey-browser:{token}".encode()).hexdigest()


def refusal(*, survey: Survey, user, browser: str = "") -> str | None:
    """Why this person may not answer now, or None when they may."""
    status = survey.status
    if status == Survey.Status.DRAFT:
        return _("This survey has not been published.")
    if status == Survey.Status.SCHEDULED:
        return _("This survey is not open yet. It opens on %(date)s.") % {
            "date": timezone.localtime(survey.opens_at).strftime("%Y-%m-%d %H:%M")
        }
    if status == Survey.Status.CLOSED:
        return _("This survey is closed and accepts no more answers.")
    if survey.mode == Mode.ANONYMOUS:
        if (
            browser
            and Participation.objects.filter(
                survey=survey, browser=browser_hash(browser)
            ).exists()
        ):
            return _("This browser has already answered this survey. Thank you!")
        return None
    if not user.is_authenticated:
        return _("Please log in with a verified account to answer this survey.")
    if not consultation_rules.may_participate(user):
        return _(
            "Only residents with a verified email address and no active "
            "sanction can answer this survey."
        )
    if not _in_areas(survey, user):
        return _("This survey is only for residents of: %(areas)s.") % {
            "areas": "、".join(a.name for a in survey.areas.all())
        }
    if (
        survey.mode == Mode.UNLINKABLE
        and Participation.objects.filter(survey=survey, user=user).exists()
    ):
        return _("You have already answered this survey. Thank you!")
    return None


def _in_areas(survey: Survey, user) -> bool:
    paths = [a.path for a in survey.areas.all()]
    if not paths:
        return True
    home = user.home_area
    return home is not None and home.path.startswith(tuple(paths))


def _require(survey, user, browser):
    message = refusal(survey=survey, user=user, browser=browser)
    if message:
        raise PermissionDenied(message)


# Drafts -------------------------------------------------------------------------


def _draft_key(survey: Survey, user, browser: str) -> dict:
    if survey.is_verified_mode:
        return {"user": user, "browser": ""}
    if not browser:
        raise PermissionDenied(_("Your browser must accept cookies to answer."))
    return {"user": None, "browser": browser_hash(browser)}


@transaction.atomic
def draft_start(*, survey: Survey, user, browser: str = "") -> Draft:
    """The person's draft, created (and counted as started) if missing.

    An identified respondent who already answered starts from their
    response, so they can change it until the survey closes.
    """
    _require(survey, user, browser)
    key = _draft_key(survey, user, browser)
    draft = Draft.objects.filter(survey=survey, **key).first()
    if draft is not None:
        return draft
    data = {}
    response = selectors.own_response(survey=survey, user=user)
    if response is not None:
        data = raw_from_answers(
            selectors.structure(survey=survey),
            selectors.response_answers(response=response),
        )
    try:
        with transaction.atomic():
            draft = Draft.objects.create(survey=survey, data=data, **key)
    except IntegrityError:
        return Draft.objects.get(survey=survey, **key)
    Survey.objects.filter(pk=survey.pk).update(started_count=F("started_count") + 1)
    return draft


def cleaned_answers(structure: Structure, data: dict) -> tuple[dict, dict]:
    """Cleaned answers and errors ({question id: message}) for a draft's raw
    answers, over the whole survey."""
    answers, errors = {}, {}
    for question in structure.ordered_questions():
        raw = data.get(str(question.pk))
        if not raw:
            continue
        try:
            cleaned = validation.clean_answer(question, raw, structure)
        except ValidationError as error:
            errors[question.pk] = error.messages[0]
        else:
            if cleaned is not None:
                answers[question.pk] = cleaned
    return answers, errors


@dataclass
class PageResult:
    """What happened to a posted page: errors to show (nothing saved), or
    the page to show next (``None`` once the last page was passed)."""

    errors: dict = field(default_factory=dict)
    next_position: int | None = None
    finished: bool = False


def _check_page(structure, page, data: dict) -> dict:
    """Errors of the shown questions on ``page`` for draft ``data``."""
    answers, errors = cleaned_answers(structure, data)
    seen = logic.visibility(structure, answers)
    page_errors = {}
    for question in structure.page_questions(page):
        if question.pk not in seen.questions:
            continue
        if question.pk in errors:
            page_errors[question.pk] = errors[question.pk]
            continue
        try:
            validation.check_required(question, answers.get(question.pk))
        except ValidationError as error:
            page_errors[question.pk] = error.messages[0]
    return page_errors


def _neighbour(structure, data, position: int, step: int) -> int | None:
    answers, _errors = cleaned_answers(structure, data)
    seen = logic.visibility(structure, answers)
    index = position + step
    while 0 <= index < len(structure.pages):
        if structure.pages[index].pk in seen.pages:
            return index
        index += step
    return None


@transaction.atomic
def draft_save_page(
    *,
    survey: Survey,
    structure: Structure,
    draft: Draft,
    page: Page,
    posted_ids: set[int],
    raw: dict,
    direction: str,
    user=None,
    browser: str = "",
) -> PageResult:
    """Save a page's answers and move ``direction`` ("next", "back" or
    "stay", which re-renders the page, e.g. to update the area lists).

    Moving on checks the page first; with any error nothing is saved. Going
    back or staying saves what was typed without judging it. A field naming a
    question that is not on this page is refused.
    """
    _require(survey, user, browser)
    own = {q.pk for q in structure.page_questions(page)}
    if not posted_ids <= own:
        raise ValidationError(
            _("The form sent an answer to a question that is not on this page.")
        )
    position = structure.pages.index(page)
    data = {**draft.data, **{str(pk): raw.get(pk, {}) for pk in own}}
    if direction in ("back", "stay"):
        target = (
            position
            if direction == "stay"
            else _neighbour(structure, data, position, -1)
        )
        draft.data, draft.page_position = data, position if target is None else target
        draft.save(update_fields=["data", "page_position", "updated_at"])
        return PageResult(next_position=draft.page_position)
    errors = _check_page(structure, page, data)
    if errors:
        return PageResult(errors=errors, next_position=position)
    target = _neighbour(structure, data, position, +1)
    draft.data = data
    draft.page_position = position if target is None else target
    draft.save(update_fields=["data", "page_position", "updated_at"])
    return PageResult(next_position=target, finished=target is None)


# Submitting ---------------------------------------------------------------------


class Incomplete(ValidationError):
    """The draft cannot be submitted: ``position`` is the first page with a
    problem and ``errors`` the messages by question id."""

    def __init__(self, position: int, errors: dict):
        super().__init__(_("Some answers need your attention."))
        self.position, self.errors = position, errors


def answer_rows(response, structure, answers) -> list[Answer]:
    rows = []
    for question in structure.ordered_questions():
        value = answers.get(question.pk)
        if value is None:
            continue
        base = {
            "response": response,
            "survey_id": response.survey_id,
            "question": question,
        }
        kind = question.Kind
        if question.kind == kind.SINGLE:
            rows.append(Answer(choice_id=value["choice"], text=value["other"], **base))
        elif question.kind == kind.MULTIPLE:
            other_ids = {c.pk for c in structure.options[question.pk] if c.is_other}
            rows += [
                Answer(
                    choice_id=c, text=value["other"] if c in other_ids else "", **base
                )
                for c in value["choices"]
            ]
        elif question.kind == kind.RANKING:
            rows += [
                Answer(choice_id=c, rank=rank, **base)
                for rank, c in enumerate(value["ranking"], start=1)
            ]
        elif question.kind == kind.MATRIX:
            rows += [
                Answer(row_id=int(r), choice_id=c, **base)
                for r, c in value["rows"].items()
            ]
        elif question.kind in (kind.RATING, kind.NUMBER):
            rows.append(Answer(number=value["number"], **base))
        elif question.kind == kind.DATE:
            rows.append(Answer(date=value["date"], **base))
        elif question.kind == kind.AREA:
            rows.append(Answer(area_id=value["area"], **base))
        else:
            rows.append(Answer(text=value["text"], **base))
    return rows


def _district(structure, answers, seen, user) -> int | None:
    for question in structure.ordered_questions():
        if question.kind == question.Kind.AREA and question.pk in answers:
            return answers[question.pk]["district"]
    if user is not None and user.is_authenticated and user.home_area_id:
        home = user.home_area
        if home.level == Area.Level.DISTRICT:
            return home.pk
        for area in civic_selectors.area_ancestors(area=home):
            if area.level == Area.Level.DISTRICT:
                return area.pk
    return None


def _complete(structure, data) -> tuple[dict, logic.Visibility]:
    answers, errors = cleaned_answers(structure, data)
    seen = logic.visibility(structure, answers)
    for position, page in enumerate(structure.pages):
        if page.pk not in seen.pages:
            continue
        page_errors = _check_page(structure, page, data)
        if page_errors:
            raise Incomplete(position, page_errors)
    return logic.prune(answers, seen), seen


@transaction.atomic
def response_submit(
    *, survey: Survey, structure: Structure, draft: Draft, user=None, browser: str = ""
) -> tuple[Response, dict]:
    """Store the draft as the person's one response, and count it in the
    results tallies; return it with the answers stored. Hidden questions'
    answers are discarded."""
    _require(survey, user, browser)
    answers, seen = _complete(structure, draft.data)
    today = timezone.localdate()
    response = Response(
        survey=survey,
        district_id=_district(structure, answers, seen, user),
        seen=sorted(seen.questions),
        submitted_on=today,
    )
    previous = None
    try:
        with transaction.atomic():
            if survey.mode == Mode.IDENTIFIED:
                response, previous = _identified_response(
                    response, user, today, structure
                )
            else:
                Participation.objects.create(
                    survey=survey, on_date=today, **_draft_key(survey, user, browser)
                )
                response.save()
    except IntegrityError as error:
        raise ValidationError(_("You have already answered this survey.")) from error
    rows = Answer.objects.bulk_create(answer_rows(response, structure, answers))
    tallies.record(
        survey=survey,
        add=tallies.contribution(structure=structure, response=response, answers=rows),
        remove=previous,
    )
    Draft.objects.filter(pk=draft.pk).delete()
    if survey.mode == Mode.IDENTIFIED:
        receipts.receipt_mail(
            response=response, user=user, structure=structure, answers=answers
        )
    return response, answers


def _identified_response(
    response: Response, user, today, structure: Structure
) -> tuple[Response, dict | None]:
    """The new response, or the respondent's earlier one made ready for the
    new answers, with what the earlier answers added to the tallies."""
    existing = (
        Response.objects.select_for_update()
        .filter(survey=response.survey, user=user)
        .first()
    )
    if existing is None:
        response.user = user
        response.save()
        return response, None
    previous = tallies.contribution(
        structure=structure,
        response=existing,
        answers=selectors.response_answers(response=existing),
    )
    existing.answers.all().delete()
    existing.seen, existing.district_id = response.seen, response.district_id
    existing.changed_on = today
    existing.save(update_fields=["seen", "district", "changed_on"])
    return existing, previous


def raw_from_answers(structure: Structure, answers: list[Answer]) -> dict:
    """Stored answers as draft data, to edit an identified response."""
    data: dict = {}
    by_question = {q.pk: q for q in structure.ordered_questions()}
    for answer in answers:
        question = by_question.get(answer.question_id)
        if question is None:
            continue
        raw = data.setdefault(str(question.pk), {})
        name, kind = question.field_name, question.Kind
        if question.kind in (kind.SINGLE, kind.MULTIPLE):
            raw.setdefault(name, []).append(str(answer.choice_id))
            if answer.text:
                raw[f"{name}_other"] = [answer.text]
        elif question.kind == kind.RANKING:
            raw[f"{name}_c{answer.choice_id}"] = [str(answer.rank)]
        elif question.kind == kind.MATRIX:
            raw[f"{name}_r{answer.row_id}"] = [str(answer.choice_id)]
        elif question.kind == kind.RATING:
            raw[name] = [str(int(answer.number))]
        elif question.kind == kind.NUMBER:
            raw[name] = [format(answer.number.normalize(), "f")]
        elif question.kind == kind.DATE:
            raw[name] = [answer.date.isoformat()]
        elif question.kind == kind.AREA and answer.area_id:
            levels = {2: "district", 3: "street", 4: "community"}
            for area in civic_selectors.area_ancestors(area=answer.area):
                if area.level in levels:
                    raw[f"{name}_{levels[area.level]}"] = [str(area.pk)]
        else:
            raw[name] = [answer.text]
    return data
