"""Running the session: speakers (approve, decline, order, give the floor)
for the department's officials, and moderation of questions and written
testimony for moderators and officials.

These live under /console/ so the second factor is required; the buttons
are shown on the live page and the console overview.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consultations.views.console import console_view
from hearings.console_forms import QuestionDecisionForm, TestimonyDecisionForm
from hearings.models import Hearing, LiveQuestion, Registration, Testimony
from hearings.services import questions, registrations, testimony
from hearings.views.console import managed_hearing
from hearings.views.public import error_text


def moderated_hearing(request, pk: int) -> Hearing:
    hearing = get_object_or_404(Hearing.objects.select_related("consultation"), pk=pk)
    if not request.user.has_perm("hearings.moderate_hearing", hearing):
        raise PermissionDenied
    return hearing


def _overview(pk: int, anchor: str):
    return redirect(reverse("hearings_console:overview", args=[pk]) + anchor)


@console_view
@require_POST
def speaker_change(request, pk: int, registration_pk: int):
    """Approve, decline, or move a speaker up or down."""
    hearing = managed_hearing(request, pk)
    registration = get_object_or_404(Registration, pk=registration_pk, hearing=hearing)
    action = request.POST.get("action")
    try:
        if action in ("approve", "decline"):
            registrations.speaker_decide(
                user=request.user,
                registration=registration,
                approve=action == "approve",
            )
        elif action in ("up", "down"):
            registrations.speaker_move(
                user=request.user, registration=registration, up=action == "up"
            )
        else:
            raise ValidationError(_("Unknown action."))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The speakers are updated."))
    return _overview(pk, "#speakers")


@console_view
@require_POST
def speaker_call(request, pk: int):
    """Give the floor to a speaker, or end their turn."""
    hearing = managed_hearing(request, pk)
    chosen = request.POST.get("registration") or None
    registration = None
    if chosen:
        registration = Registration.objects.filter(
            pk=chosen if chosen.isdigit() else 0, hearing=hearing
        ).first()
        if registration is None:
            messages.error(request, _("Choose one of the approved speakers."))
            return _overview(pk, "#speakers")
    try:
        registrations.speaker_call(
            user=request.user, hearing=hearing, registration=registration
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The floor is given."))
    return _overview(pk, "#speakers")


@console_view
@require_POST
def question_moderate(request, pk: int, question_pk: int):
    hearing = moderated_hearing(request, pk)
    question = get_object_or_404(LiveQuestion, pk=question_pk, hearing=hearing)
    form = QuestionDecisionForm(request.POST, hearing=hearing)
    back = redirect(f"{reverse('hearings:live', args=[pk])}#question-{question.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the question."))
        return back
    data = form.cleaned_data
    action = data["action"]
    who = {"moderator": request.user, "question": question}
    try:
        if action == "approve":
            questions.question_approve(**who)
        elif action == "hide":
            questions.question_hide(**who, reason=data["reason"])
        elif action == "merge":
            if data["into"] is None:
                raise ValidationError(_("Choose the question it duplicates."))
            questions.question_merge(**who, into=data["into"])
        else:
            state = {
                "answering": LiveQuestion.Answer.ANSWERING,
                "answered": LiveQuestion.Answer.ANSWERED,
                "reopen": LiveQuestion.Answer.OPEN,
            }[action]
            questions.question_answer(**who, state=state, answer=data["answer"])
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The question is updated."))
    return back


@console_view
@require_POST
def testimony_moderate(request, pk: int, testimony_pk: int):
    hearing = moderated_hearing(request, pk)
    item = get_object_or_404(Testimony, pk=testimony_pk, hearing=hearing)
    form = TestimonyDecisionForm(request.POST)
    back = redirect(f"{reverse('hearings:detail', args=[pk])}#testimony")
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the testimony."))
        return back
    try:
        if form.cleaned_data["action"] == "approve":
            testimony.testimony_approve(moderator=request.user, testimony=item)
        else:
            testimony.testimony_hide(
                moderator=request.user,
                testimony=item,
                reason=form.cleaned_data["reason"],
            )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The testimony is updated."))
    return back
