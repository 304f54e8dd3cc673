"""The live session page: the stream, the agenda with the current item,
the speaker queue with a countdown, and the questions.

The question list is a fragment that a small script polls every five
seconds with ``If-None-Match``: while nothing changed the answer is a 304
that costs one indexed query, and a changed list is put together from
pieces rendered once per version (``hearings.fragments``). Without
JavaScript, reloading the page does the same.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config import ratelimit
from hearings import fragments, selectors
from hearings.forms import QuestionForm
from hearings.models import LiveQuestion
from hearings.services import questions as question_services
from hearings.views.public import error_text, hearing_or_404


def _etag(request, hearing) -> str:
    return fragments.etag(
        hearing_id=hearing.pk,
        version=hearing.qa_version,
        status=hearing.status,
        user=request.user,
    )


def _question_list(request, hearing):
    moderator = request.user.has_perm("hearings.moderate_hearing", hearing)
    return fragments.question_list(request, hearing, moderator=moderator)


def hearing_live(request, pk: int, *, form=None, status=200):
    hearing = hearing_or_404(request, pk)
    can_ask = request.user.has_perm("hearings.ask_question", hearing)
    context = {
        "hearing": hearing,
        "question_list": _question_list(request, hearing),
        "etag": _etag(request, hearing),
        "agenda": list(hearing.agenda.all()),
        "speakers": selectors.speakers(hearing=hearing),
        "remaining": selectors.remaining_seconds(hearing=hearing),
        "can_ask": can_ask,
        "question_form": form or (QuestionForm() if can_ask else None),
    }
    response = render(request, "hearings/hearing_live.html", context, status=status)
    patch_cache_control(response, private=True, no_cache=True)
    return response


def question_list(request, pk: int):
    """The question list alone, for polling; 304 when unchanged."""
    hearing = selectors.poll_hearing(pk=pk)
    if hearing is None or not request.user.has_perm("hearings.view_hearing", hearing):
        raise Http404(_("There is no such hearing."))
    etag = _etag(request, hearing)
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(_question_list(request, hearing))
    response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Cookie", "Accept-Language"])
    return response


def _back(hearing, question: LiveQuestion | None = None):
    anchor = f"#question-{question.pk}" if question else "#questions"
    return redirect(f"{hearing.get_absolute_url()}live/{anchor}")


@login_required
@require_POST
def question_post(request, pk: int):
    hearing = hearing_or_404(request, pk)
    form = QuestionForm(request.POST)
    if not form.is_valid():
        return hearing_live(request, pk, form=form, status=400)
    try:
        ratelimit.hit(request, "question")
    except ratelimit.RateLimited as refusal:
        form.add_error(None, refusal.message)
        return hearing_live(request, pk, form=form, status=429)
    try:
        question, _created = question_services.question_post(
            user=request.user, hearing=hearing, **form.cleaned_data
        )
    except (ValidationError, PermissionDenied) as error:
        form.add_error(None, error_text(error))
        form.data = form.data.copy()
        form.data["idempotency_key"] = str(uuid.uuid4())
        status = 403 if isinstance(error, PermissionDenied) else 400
        return hearing_live(request, pk, form=form, status=status)
    messages.success(
        request, _("Your question is sent. It appears once a moderator approves it.")
    )
    return _back(hearing, question)


@login_required
@require_POST
def question_upvote(request, pk: int, question_pk: int):
    hearing = hearing_or_404(request, pk)
    question = hearing.questions.filter(pk=question_pk).first()
    if question is None:
        raise Http404(_("There is no such question."))
    try:
        upvoted = question_services.question_upvote(
            user=request.user, question=question
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
        status = 403 if isinstance(error, PermissionDenied) else 400
        return hearing_live(request, pk, status=status)
    messages.success(
        request,
        _("You upvoted the question.") if upvoted else _("Your upvote is withdrawn."),
    )
    return _back(hearing, question)
