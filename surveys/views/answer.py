"""Answering a survey one page at a time, and the receipt.

Every step is a plain form post (back, next, update the lists, submit), so
the whole flow works without JavaScript.
"""

import re
import secrets

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from config import ratelimit
from surveys import presenters, receipts, selectors, throttle, validation
from surveys.models import Survey
from surveys.services import answering

BROWSER_COOKIE = "minyi_survey_browser"
BROWSER_COOKIE_AGE = 365 * 24 * 3600
ACTIONS = {"next", "back", "stay"}


def browser_token(request) -> str:
    token = request.COOKIES.get(BROWSER_COOKIE, "")
    return token if re.fullmatch(r"[0-9a-f]{32}", token) else ""


def visible_survey(request, pk: int) -> Survey:
    """The survey if this visitor may see it (published, or an official of
    its department); 404 otherwise."""
    survey = selectors.survey_for_page(pk=pk)
    if survey is None or not request.user.has_perm("surveys.view_survey", survey):
        raise Http404
    return survey


def render_page(
    request,
    survey,
    structure,
    page,
    data,
    *,
    errors=None,
    status=200,
    message="",
    preview=False,
    extra=None,
):
    errors = errors or {}
    context = {
        "survey": survey,
        "page": page,
        "questions": presenters.page_questions(
            structure, page, data, errors, show_all=preview
        ),
        "progress": presenters.progress(structure, data, page),
        "page_hint": presenters.condition_hint(page, structure),
        "message": message,
        "has_errors": bool(errors),
        "preview": preview,
        **(extra or {}),
    }
    return render(request, "surveys/answer_page.html", context, status=status)


@never_cache
def answer(request, pk: int):
    survey = visible_survey(request, pk)
    token = browser_token(request)
    if not token and survey.mode == Survey.Mode.ANONYMOUS:
        token = secrets.token_hex(16)
    message = answering.refusal(survey=survey, user=request.user, browser=token)
    if message and survey.is_verified_mode and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if message:
        context = {"survey": survey, "message": message}
        return render(request, "surveys/answer_refused.html", context, status=403)
    structure = selectors.structure(survey=survey)
    if request.method == "POST":
        response = _post(request, survey, structure, token)
    else:
        response = _show(request, survey, structure, token)
    if token and browser_token(request) != token:
        response.set_cookie(
            BROWSER_COOKIE,
            token,
            max_age=BROWSER_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


def _show(request, survey, structure, token):
    browser = token and answering.browser_hash(token)
    draft = selectors.draft_for(survey=survey, user=request.user, browser=browser)
    if draft is not None:
        data, position = draft.data, min(draft.page_position, len(structure.pages) - 1)
    else:
        own = selectors.own_response(survey=survey, user=request.user)
        answers = selectors.response_answers(response=own) if own else []
        data, position = answering.raw_from_answers(structure, answers), 0
    return render_page(request, survey, structure, structure.pages[position], data)


def _posted_page(structure, value):
    for page in structure.pages:
        if str(page.pk) == value:
            return page
    raise Http404


def _post(request, survey, structure, token):
    page = _posted_page(structure, request.POST.get("page", ""))
    action = request.POST.get("action", "next")
    direction = action if action in ACTIONS else "next"
    raw = {
        q.pk: validation.raw_from_post(q, request.POST)
        for q in structure.page_questions(page)
    }
    posted = {str(pk): value for pk, value in raw.items()}
    try:
        draft = answering.draft_start(survey=survey, user=request.user, browser=token)
        result = answering.draft_save_page(
            survey=survey,
            structure=structure,
            draft=draft,
            page=page,
            posted_ids=validation.posted_question_ids(request.POST),
            raw=raw,
            direction=direction,
            user=request.user,
            browser=token,
        )
    except PermissionDenied as error:
        context = {"survey": survey, "message": str(error)}
        return render(request, "surveys/answer_refused.html", context, status=403)
    except ValidationError as error:
        data = {**_draft_data(survey, request.user, token), **posted}
        return render_page(
            request,
            survey,
            structure,
            page,
            data,
            status=400,
            message=error.messages[0],
        )
    if result.errors:
        data = {**draft.data, **posted}
        return render_page(
            request, survey, structure, page, data, errors=result.errors, status=400
        )
    if result.finished:
        return _submit(request, survey, structure, draft, token)
    return redirect("surveys:answer", pk=survey.pk)


def _draft_data(survey, user, token) -> dict:
    browser = token and answering.browser_hash(token)
    draft = selectors.draft_for(survey=survey, user=user, browser=browser)
    return draft.data if draft else {}


def _submit(request, survey, structure, draft, token):
    try:
        throttle.submission_count(request, survey)
    except ratelimit.RateLimited as refusal:
        context = {
            "survey": survey,
            "message": f"{refusal.message} {_('Your answers are saved.')}",
        }
        return render(request, "surveys/answer_refused.html", context, status=429)
    try:
        response, answers = answering.response_submit(
            survey=survey,
            structure=structure,
            draft=draft,
            user=request.user,
            browser=token,
        )
    except answering.Incomplete as incomplete:
        page = structure.pages[incomplete.position]
        return render_page(
            request,
            survey,
            structure,
            page,
            draft.data,
            errors=incomplete.errors,
            status=400,
            message=incomplete.messages[0],
        )
    except (ValidationError, PermissionDenied) as error:
        message = (
            error.messages[0] if isinstance(error, ValidationError) else str(error)
        )
        context = {"survey": survey, "message": message}
        return render(request, "surveys/answer_refused.html", context, status=409)
    context = {
        "survey": survey,
        "response": response,
        "lines": receipts.summary(structure, answers),
        "identified": survey.mode == Survey.Mode.IDENTIFIED,
    }
    return render(request, "surveys/answer_receipt.html", context)


@never_cache
def receipt(request, pk: int):
    """The identified respondent's receipt, any time later."""
    survey = visible_survey(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    response = selectors.own_response(survey=survey, user=request.user)
    if response is None:
        raise Http404
    structure = selectors.structure(survey=survey)
    data = answering.raw_from_answers(
        structure, selectors.response_answers(response=response)
    )
    answers, _errors = answering.cleaned_answers(structure, data)
    context = {
        "survey": survey,
        "response": response,
        "lines": receipts.summary(structure, answers),
        "identified": True,
    }
    return render(request, "surveys/answer_receipt.html", context)
